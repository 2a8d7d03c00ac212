//! One site's files: mapping a request path to a file inside the site's root
//! (and never outside it), the bytes served for it (`{{origin}}` filled in,
//! `.gz` made on demand), its `Content-Type`, and the validators.
//!
//! A [`Site`] is built once when its listener starts and never changes; files
//! are read from disk on every request, so edits show up at once.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

/// The `Last-Modified` date of every file served. File modification times
/// change with every checkout, so they would make the demo's second run
/// re-fetch everything; a fixed date keeps `If-Modified-Since` meaningful.
pub const LAST_MODIFIED: &str = "Tue, 05 Mar 2024 12:00:00 GMT";

/// The placeholder replaced by the site's origin in text files.
const ORIGIN_PLACEHOLDER: &[u8] = b"{{origin}}";

/// A site directory being served.
#[derive(Debug)]
pub(crate) struct Site {
    pub(crate) name: String,
    /// The root, canonicalised when possible (symlinks resolved), so that
    /// resolved files can be checked to lie inside it.
    root: PathBuf,
    pub(crate) origin: String,
    /// From the root's `.charset` file: the charset of the site's HTML.
    html_charset: Option<String>,
}

/// The bytes and headers for one file.
#[derive(Debug)]
pub(crate) struct Served {
    pub(crate) body: Vec<u8>,
    pub(crate) content_type: String,
    /// A text type, worth compressing for clients that accept gzip.
    pub(crate) compressible: bool,
}

impl Site {
    pub(crate) fn open(name: &str, dir: &Path, origin: &str) -> Site {
        let root = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let html_charset = std::fs::read_to_string(root.join(".charset"))
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| {
                !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            });
        Site {
            name: name.to_string(),
            root,
            origin: origin.to_string(),
            html_charset,
        }
    }

    /// The file for a decoded request path, or `None` (404) when there is
    /// none or the path tries to leave the root: `..`, hidden segments
    /// (`.charset`, `.git`), backslashes, or a symlink pointing outside.
    fn resolve(&self, path: &str) -> Option<PathBuf> {
        let mut file = self.root.clone();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            if segment.starts_with('.') || segment.contains('\\') || segment.contains(':') {
                return None;
            }
            // A second line of defence: the segment must be one plain name.
            let mut components = Path::new(segment).components();
            match (components.next(), components.next()) {
                (Some(Component::Normal(_)), None) => file.push(segment),
                _ => return None,
            }
        }
        if file.is_dir() {
            file.push("index.html");
        }
        let real = file.canonicalize().ok()?;
        (real.starts_with(&self.root) && real.is_file()).then_some(real)
    }

    /// What to send for `path`, or `None` for 404.
    pub(crate) fn load(&self, path: &str) -> Option<Served> {
        if let Some(file) = self.resolve(path) {
            let bytes = std::fs::read(&file).ok()?;
            return Some(self.prepare(&file, bytes));
        }
        // `NAME.gz` with no such file: gzip the sibling template `NAME`.
        let template = path.strip_suffix(".gz")?;
        let file = self.resolve(template)?;
        let bytes = std::fs::read(&file).ok()?;
        let plain = self.prepare(&file, bytes);
        Some(Served {
            body: gzip(&plain.body),
            content_type: "application/gzip".to_string(),
            compressible: false,
        })
    }

    fn prepare(&self, file: &Path, bytes: Vec<u8>) -> Served {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
        let (mime, text) = match ext {
            "html" | "htm" => ("text/html", true),
            "xml" => ("application/xml", true),
            "rss" => ("application/rss+xml", true),
            "atom" => ("application/atom+xml", true),
            "txt" => ("text/plain", true),
            "json" => ("application/json", false),
            "css" => ("text/css", false),
            "js" => ("text/javascript", false),
            "gz" => ("application/gzip", false),
            "png" => ("image/png", false),
            "jpg" | "jpeg" => ("image/jpeg", false),
            "gif" => ("image/gif", false),
            "svg" => ("image/svg+xml", false),
            _ => ("application/octet-stream", false),
        };
        let body = if text {
            replace_all(&bytes, ORIGIN_PLACEHOLDER, self.origin.as_bytes())
        } else {
            bytes
        };
        let charset = match (ext, &self.html_charset) {
            ("html" | "htm", Some(cs)) => Some(cs.as_str()),
            _ if text || matches!(ext, "json" | "css" | "js") => Some("utf-8"),
            _ => None,
        };
        let content_type = match charset {
            Some(cs) => format!("{mime}; charset={cs}"),
            None => mime.to_string(),
        };
        Served {
            body,
            content_type,
            compressible: text || matches!(ext, "json" | "css" | "js" | "svg"),
        }
    }
}

/// Replaces every `needle` in `haystack` (bytes, so any encoding works).
fn replace_all(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(i) = rest.windows(needle.len()).position(|w| w == needle) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(with);
        rest = &rest[i + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// Gzips `bytes` (header mtime 0, so the output is the same every time).
pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .unwrap_or_default()
}

/// A strong ETag for `body`: a quoted hash of the exact bytes served.
pub(crate) fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Returns true if and only if the request's validators say the client
/// already holds this representation. `If-None-Match` wins when present
/// (weak comparison, `*` matches anything); otherwise `If-Modified-Since`
/// at or after [`LAST_MODIFIED`] matches.
pub(crate) fn not_modified(
    etag: &str,
    if_none_match: Option<&str>,
    if_modified_since: Option<&str>,
) -> bool {
    if let Some(inm) = if_none_match {
        return inm
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag);
    }
    match (if_modified_since, http_date(LAST_MODIFIED)) {
        (Some(ims), Some(modified)) => http_date(ims).is_some_and(|since| since >= modified),
        _ => false,
    }
}

/// Parses an IMF-fixdate (`Tue, 05 Mar 2024 12:00:00 GMT`) to Unix seconds.
fn http_date(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc2822(s.trim())
        .ok()
        .map(|d| d.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_every_placeholder() {
        assert_eq!(
            replace_all(b"a{{origin}}/x {{origin}}", b"{{origin}}", b"http://h"),
            b"ahttp://h/x http://h".to_vec()
        );
        assert_eq!(
            replace_all(b"{{origin", b"{{origin}}", b"x"),
            b"{{origin".to_vec()
        );
    }

    #[test]
    fn conditional_requests() {
        let tag = etag(b"page");
        assert!(not_modified(&tag, Some(&tag), None));
        assert!(not_modified(
            &tag,
            Some(&format!("\"other\", W/{tag}")),
            None
        ));
        assert!(not_modified(&tag, Some("*"), None));
        assert!(!not_modified(&tag, Some("\"other\""), Some(LAST_MODIFIED)));
        assert!(not_modified(&tag, None, Some(LAST_MODIFIED)));
        assert!(not_modified(
            &tag,
            None,
            Some("Wed, 06 Mar 2024 00:00:00 GMT")
        ));
        assert!(!not_modified(
            &tag,
            None,
            Some("Mon, 04 Mar 2024 00:00:00 GMT")
        ));
        assert!(!not_modified(&tag, None, Some("yesterday")));
        assert!(!not_modified(&tag, None, None));
    }

    #[test]
    fn etags_differ_with_the_bytes() {
        assert_ne!(etag(b"a"), etag(b"b"));
        assert_eq!(etag(b"a"), etag(b"a"));
        assert!(etag(b"a").starts_with('"'));
    }
}
