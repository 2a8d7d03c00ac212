//! Adding one `[[outlet]]` table to a sources.toml without touching the rest,
//! for `wirecopy sources add`.
//!
//! The file is never re-serialised: the new table is *appended*, so every
//! byte already there (comments, order, spacing, quoting) stays as the user
//! wrote it. An `[[outlet]]` header may follow any table in TOML, so an
//! append is always in the right place; what could still go wrong (a file
//! that writes `outlet = [...]` inline, say) is caught by parsing the result
//! before anything is written ([`with_outlet`]).
//!
//! The table's lines end like the file's: CRLF when every line of the file
//! does, else LF.
//!
//! Values are written as TOML strings by [`toml_string`]: a literal string
//! (`'...'`) for regexes when it can hold them, so backslashes read as the
//! user would type them, else a basic string with escapes.

use url::Url;

use super::locate::{Locator, Section};
use super::{ConfigError, Problem, Sources};

/// The outlet to add, as it will be written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewOutlet {
    /// Its name.
    pub name: String,
    /// Its homepage.
    pub homepage: String,
    /// Feeds to read.
    pub feeds: Vec<String>,
    /// Sitemaps to read.
    pub sitemaps: Vec<String>,
    /// Section pages to scan.
    pub sections: Vec<String>,
    /// The `article_url` regex, when one was inferred.
    pub article_url: Option<String>,
    /// True for a news agency.
    pub agency: bool,
}

impl NewOutlet {
    /// The table as TOML text: `# comment` lines first (one per line of
    /// `comment`), then the `[[outlet]]` header and its keys, ending in a
    /// newline.
    pub fn to_toml(&self, comment: &str) -> String {
        let mut out = String::new();
        for line in comment.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("[[outlet]]\n");
        out.push_str(&format!("name = {}\n", toml_string(&self.name)));
        out.push_str(&format!("homepage = {}\n", toml_string(&self.homepage)));
        for (key, list) in [
            ("feeds", &self.feeds),
            ("sitemaps", &self.sitemaps),
            ("sections", &self.sections),
        ] {
            if list.is_empty() {
                continue;
            }
            let items: Vec<String> = list.iter().map(|s| toml_string(s)).collect();
            out.push_str(&format!("{key} = [{}]\n", items.join(", ")));
        }
        if let Some(re) = &self.article_url {
            out.push_str(&format!("article_url = {}\n", toml_string(re)));
        }
        if self.agency {
            out.push_str("agency = true\n");
        }
        out
    }
}

/// A TOML string holding `value`: literal (`'...'`) when it has a backslash
/// and a literal string can hold it, else basic (`"..."`) with escapes.
pub fn toml_string(value: &str) -> String {
    let literal_ok = !value.contains('\'') && !value.chars().any(char::is_control);
    if value.contains('\\') && literal_ok {
        return format!("'{value}'");
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` with `table` appended: a newline first if the file lacks a final
/// one, then a blank line, then the table. `text` is a prefix of the result.
/// A file whose every line ends in CRLF gets CRLF lines.
pub fn appended(text: &str, table: &str) -> String {
    let lines = text.matches('\n').count();
    let newline = if lines > 0 && text.matches("\r\n").count() == lines {
        "\r\n"
    } else {
        "\n"
    };
    let mut out = String::with_capacity(text.len() + table.len() + 4);
    out.push_str(text);
    if !text.is_empty() {
        if !text.ends_with('\n') {
            out.push_str(newline);
        }
        out.push_str(newline);
    }
    out.push_str(&table.replace('\n', newline));
    out
}

/// Parses config text that may hold no outlet yet (a new file, or one with
/// only `[defaults]`): the settings `sources add` fetches with. Its
/// outlets are the file's, possibly none.
///
/// Errors list the file's problems, as [`parse`](super::parse) does,
/// except that a file without outlets is accepted.
pub fn settings(text: &str, path: &str) -> Result<Sources, ConfigError> {
    let error = match super::parse(text, path) {
        Ok(sources) => return Ok(sources),
        Err(error) => error,
    };
    let only_no_outlet = error.problems.len() == 1
        && error.problems[0].line.is_none()
        && error.problems[0].message.starts_with("no outlet");
    if !only_no_outlet {
        return Err(error);
    }
    let placeholder =
        "[[outlet]]\nname = \"placeholder\"\nhomepage = \"https://placeholder.invalid/\"\n\
                       feeds = [\"https://placeholder.invalid/rss\"]\n";
    let mut sources = super::parse(&appended(text, placeholder), path)?;
    sources.outlets.clear();
    Ok(sources)
}

/// Parses `text` with `table` appended and returns the result's text and
/// configuration, whose last outlet is the new one.
///
/// Errors (naming `path` and the line) when an outlet of the file already
/// has the new outlet's name or homepage, or when the result does not load.
pub fn with_outlet(
    text: &str,
    path: &str,
    new: &NewOutlet,
    table: &str,
) -> Result<(String, Sources), ConfigError> {
    check_new(text, path, &new.name, &new.homepage)?;
    let joined = appended(text, table);
    let sources = super::parse(&joined, path)?;
    if sources.outlets.last().map(|o| o.name.as_str()) != Some(new.name.as_str()) {
        return Err(ConfigError {
            path: path.to_owned(),
            problems: vec![Problem {
                line: None,
                message: "the appended [[outlet]] table did not become the last outlet; \
                          add it by hand"
                    .to_owned(),
            }],
        });
    }
    Ok((joined, sources))
}

/// Refuses an outlet `name` or `homepage` that the config text `text`
/// already has, naming the line; a text that does not load refuses
/// nothing here (appending to it fails later, with its own problems).
///
/// Errors name `path`, the line, and what to do.
pub fn check_new(text: &str, path: &str, name: &str, homepage: &str) -> Result<(), ConfigError> {
    let Ok(existing) = super::parse(text, path) else {
        return Ok(());
    };
    let at = Locator::new(text);
    let homepage = Url::parse(homepage).ok();
    for (index, outlet) in existing.outlets.iter().enumerate() {
        let section = Section::Array("outlet", index);
        let problem = if outlet.name == name {
            Some((
                at.key(section, "name"),
                format!(
                    "outlet \"{name}\" is already in the file; pass --name to add the site under another name"
                ),
            ))
        } else if homepage
            .as_ref()
            .is_some_and(|h| same_homepage(h, &outlet.homepage))
        {
            Some((
                at.key(section, "homepage"),
                format!(
                    "outlet \"{}\" already has homepage {}; edit that table instead",
                    outlet.name, outlet.homepage
                ),
            ))
        } else {
            None
        };
        if let Some((line, message)) = problem {
            return Err(ConfigError {
                path: path.to_owned(),
                problems: vec![Problem {
                    line: line.or(Some(outlet.line)),
                    message,
                }],
            });
        }
    }
    Ok(())
}

/// Returns true if and only if two homepages are one: the same site
/// ([`same_site`](crate::fetch::same_site)) and the same path, a final `/`
/// aside.
fn same_homepage(a: &Url, b: &Url) -> bool {
    crate::fetch::same_site(a, b)
        && a.path().trim_end_matches('/') == b.path().trim_end_matches('/')
}

/// A default outlet name from a URL's host: lowercase, without `www.` and
/// without the last label (`news.example.com` → `news-example`, `tass.ru`
/// → `tass`); an IP address keeps all of it and its port. Letters, digits
/// and single `-` only.
///
/// ```
/// use url::Url;
/// use wirecopy::config::slug_of_host;
///
/// assert_eq!(slug_of_host(&Url::parse("https://www.tass.ru/").unwrap()), "tass");
/// assert_eq!(slug_of_host(&Url::parse("https://news.example.co.uk/x").unwrap()), "news-example-co");
/// assert_eq!(slug_of_host(&Url::parse("http://127.0.0.1:8080/").unwrap()), "127-0-0-1-8080");
/// ```
pub fn slug_of_host(url: &Url) -> String {
    let host = url.host_str().unwrap_or("outlet").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let is_ip = url
        .host()
        .is_some_and(|h| !matches!(h, url::Host::Domain(_)));
    let mut parts: Vec<&str> = host.split('.').filter(|p| !p.is_empty()).collect();
    if !is_ip && parts.len() > 1 {
        parts.pop();
    }
    let mut slug = parts.join("-");
    if is_ip {
        if let Some(port) = url.port() {
            slug.push_str(&format!("-{port}"));
        }
    }
    let cleaned: String = slug
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let words: Vec<&str> = cleaned.split('-').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        "outlet".to_owned()
    } else {
        words.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# my outlets\n[defaults]\nrate = 0.5 # slow\n\n[[outlet]]\nname = \"tass\"\n\
                        homepage = \"https://tass.com/\"\nfeeds = [ 'https://tass.com/rss/v2.xml' ]";

    fn outlet(name: &str, homepage: &str) -> NewOutlet {
        NewOutlet {
            name: name.into(),
            homepage: homepage.into(),
            feeds: vec!["https://news.example/rss".into()],
            article_url: Some(r"^https?://news\.example/\d{4}/".into()),
            ..NewOutlet::default()
        }
    }

    #[test]
    fn the_file_is_a_prefix_of_the_result_and_the_result_loads() {
        let new = outlet("news-example", "https://news.example/");
        let table = new.to_toml("added by wirecopy sources add on 2026-12-01");
        let (text, sources) = with_outlet(FILE, "sources.toml", &new, &table).expect("appends");
        assert!(text.starts_with(FILE));
        assert_eq!(&text[FILE.len()..FILE.len() + 2], "\n\n");
        assert!(text.ends_with(
            "# added by wirecopy sources add on 2026-12-01\n[[outlet]]\nname = \"news-example\"\n\
             homepage = \"https://news.example/\"\nfeeds = [\"https://news.example/rss\"]\n\
             article_url = '^https?://news\\.example/\\d{4}/'\n"
        ));
        let added = sources.outlets.last().expect("an outlet");
        assert_eq!(added.rate, 0.5, "the new outlet inherits [defaults]");
        assert!(added.wants(&Url::parse("https://news.example/2024/x").expect("URL")));
    }

    #[test]
    fn crlf_files_get_crlf_lines() {
        let crlf = "[defaults]\r\nrate = 1\r\n";
        assert_eq!(
            appended(crlf, "[[outlet]]\nname = \"a\"\n"),
            format!("{crlf}\r\n[[outlet]]\r\nname = \"a\"\r\n")
        );
        let mixed = "[defaults]\r\nrate = 1\n";
        assert_eq!(appended(mixed, "x\n"), format!("{mixed}\nx\n"));
        assert_eq!(appended("", "x\n"), "x\n");
        assert_eq!(appended("a = 1", "x\n"), "a = 1\n\nx\n");
    }

    #[test]
    fn duplicates_are_refused_naming_the_line() {
        let error = with_outlet(
            FILE,
            "sources.toml",
            &outlet("tass", "https://other.example/"),
            "",
        )
        .expect_err("same name");
        assert_eq!(error.problems[0].line, Some(6));
        assert!(error
            .to_string()
            .starts_with("sources.toml:6: outlet \"tass\" is already"));
        let error = with_outlet(
            FILE,
            "sources.toml",
            &outlet("t2", "http://www.tass.com"),
            "",
        )
        .expect_err("same homepage");
        assert_eq!(error.problems[0].line, Some(7));
        assert!(error
            .to_string()
            .contains("already has homepage https://tass.com/"));
    }

    #[test]
    fn an_inline_outlet_array_is_caught_before_writing() {
        let inline = "outlet = [{ name = \"a\", homepage = \"https://a.example/\" }]\n";
        let new = outlet("b", "https://b.example/");
        assert!(with_outlet(inline, "s.toml", &new, &new.to_toml("x")).is_err());
    }

    #[test]
    fn settings_of_a_file_without_outlets() {
        let sources = settings("[defaults]\nrate = 7\n", "s.toml").expect("settings");
        assert_eq!(sources.defaults.rate, 7.0);
        assert!(sources.outlets.is_empty());
        assert!(settings("", "s.toml").is_ok());
        assert!(settings("[defaults]\nrat = 7\n", "s.toml").is_err());
    }

    #[test]
    fn strings() {
        assert_eq!(toml_string("plain"), "\"plain\"");
        assert_eq!(toml_string(r"a\.b"), r"'a\.b'");
        assert_eq!(toml_string(r"it's\d"), r#""it's\\d""#);
        assert_eq!(toml_string("q\"\n"), r#""q\"\n""#);
        let parsed: toml::Table = format!("k = {}", toml_string("x'\\\u{1}\""))
            .parse()
            .expect("TOML");
        assert_eq!(parsed["k"].as_str(), Some("x'\\\u{1}\""));
    }

    #[test]
    fn slugs() {
        let slug = |s: &str| slug_of_host(&Url::parse(s).expect("URL"));
        assert_eq!(slug("https://sputnikglobe.com/"), "sputnikglobe");
        assert_eq!(slug("https://m.rt.com/"), "m-rt");
        assert_eq!(slug("https://xn--80ak6aa92e.com/"), "xn-80ak6aa92e");
        assert_eq!(slug("http://[::1]:81/"), "1-81");
    }
}
