//! The shell of every page (head, style, navigation) and the pieces pages
//! share: the POST form with its CSRF field, links, and the similarity
//! format.

use crate::report::html::esc;

const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fff}
header{background:#1d2b3a;color:#fff;padding:.5rem 1rem;display:flex;gap:1.2rem;align-items:baseline}
header a{color:#fff;text-decoration:none;font-weight:600}header .app{font-size:1.1rem}
main{max-width:78rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.3rem 0}h2{font-size:1.1rem;margin:1.4rem 0 .4rem}
.meta{color:#666;font-size:.88rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.92rem}
th,td{border-bottom:1px solid #e5e5e5;padding:.35rem .45rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}
tr.doubt{background:#fffaf0}.flag{color:#a15c00;font-weight:600}
.ok{color:#17702b}.error{color:#a4001d;font-weight:600}
.notice{background:#eef7ee;border:1px solid #b7dfb9;border-radius:6px;padding:.5rem .8rem}
form.inline{display:inline}form.filters{display:flex;gap:.6rem;flex-wrap:wrap;align-items:end;margin:.5rem 0}
label{font-size:.88rem;color:#444}.filters label{display:flex;flex-direction:column;gap:.15rem;font-size:.85rem}
.actions{display:flex;gap:1.5rem;flex-wrap:wrap;align-items:center;margin:.6rem 0}
input[type=number]{width:6rem}
button{font:inherit;font-size:.85rem;padding:.2rem .6rem;border:1px solid #888;border-radius:5px;background:#f4f4f4;cursor:pointer}
button.primary{background:#0b57d0;border-color:#0b57d0;color:#fff}
input,select{font:inherit;font-size:.9rem;padding:.15rem .3rem}
.member{border:1px solid #ddd;border-radius:8px;margin:1rem 0;padding:.4rem .8rem}
.member.doubt{border-color:#e0a100}
.sbs{table-layout:fixed;font-size:.88rem}.sbs td{width:50%;overflow-wrap:anywhere}
.sbs tr.same td{color:#555}.sbs tr.changed td{background:#fcfcfc}
ins{background:#c9f0c9;text-decoration:none}del{background:#f8c9c9}
.pager{display:flex;gap:1rem;margin:.8rem 0}
a{color:#0b57d0;overflow-wrap:anywhere}
";

/// A whole page: `title` (escaped here), `flash` (HTML, may be empty) above
/// `body` (HTML).
pub(crate) fn page(title: &str, flash: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · wirecopy review</title><style>{STYLE}</style></head><body>\
         <header><a class=\"app\" href=\"/\">wirecopy review</a><a href=\"/\">Clusters</a>\
         <a href=\"/decisions\">Recent decisions</a></header><main>{flash}{body}</main></body></html>\n",
        esc(title)
    )
}

/// A POST form to `action` with the CSRF field, `fields` (HTML inputs) and
/// one submit button labelled `button`.
pub(crate) fn form(action: &str, csrf: &str, fields: &str, button: &str) -> String {
    format!(
        "<form class=\"inline\" method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">{fields}<button type=\"submit\">{}</button></form>",
        esc(action),
        esc(csrf),
        esc(button)
    )
}

/// A hidden form field.
pub(crate) fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        esc(name),
        esc(value)
    )
}

/// A link to an http(s) URL; anything else is shown as text.
pub(crate) fn link(label: &str, url: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            esc(url),
            esc(label)
        )
    } else {
        esc(label)
    }
}

pub(crate) use crate::report::similarity;

/// The date part of an RFC 3339 time.
pub(crate) fn day(time: &str) -> &str {
    time.get(..10).unwrap_or(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_carry_the_token_and_escape_everything() {
        let f = form(
            "/cluster/3/split",
            "tok\"en",
            &hidden("article", "7"),
            "Split <out>",
        );
        assert!(f.contains("method=\"post\""));
        assert!(f.contains("name=\"csrf\" value=\"tok&quot;en\""));
        assert!(f.contains("Split &lt;out&gt;"));
        assert_eq!(link("x", "javascript:alert(1)"), "x");
        assert!(link("<b>", "https://a.example/?q=\"").contains("&lt;b&gt;"));
        assert_eq!(day("2024-03-05T10:00:00Z"), "2024-03-05");
        assert_eq!(day("bad"), "bad");
    }
}
