//! The review app's HTML: one file per page, plus the shell every page
//! shares ([`layout`]) and the side-by-side diff ([`diff_view`]).
//!
//! Pages are plain strings built with `format!`; every scraped string (titles,
//! outlets, URLs, texts, notes) goes through [`crate::report::html::esc`],
//! links are written only for `http(s)` URLs, and ids are numbers. Every
//! action is a `<form method="post">` with the session's hidden `csrf`
//! field ([`layout::form`]); nothing needs JavaScript.

pub(crate) mod cluster;
pub(crate) mod decisions;
pub(crate) mod diff_view;
pub(crate) mod layout;
pub(crate) mod list;
pub(crate) mod login;
