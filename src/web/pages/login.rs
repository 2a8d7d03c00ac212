//! The login page shown (401) when `--token` is set and a request carries
//! neither the bearer header nor this session's login cookie.

use super::layout::{form, page as shell};
use crate::report::html::esc;

/// The login page; `error` says why the last attempt failed.
pub(crate) fn page(csrf: &str, error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p class=\"error\">{}</p>", esc(e)))
        .unwrap_or_default();
    let fields = "<label>Access token <input type=\"password\" name=\"token\" autocomplete=\"current-password\" autofocus></label> ";
    shell(
        "Log in",
        "",
        &format!(
            "<h1>Log in</h1><p>This server was started with <code>--token</code>: enter that token to review.</p>{error}{}",
            form("/login", csrf, fields, "Log in")
        ),
    )
}
