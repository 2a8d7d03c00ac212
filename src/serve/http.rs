//! Just enough HTTP/1.1 for the fixture server: read one request head, write
//! one response. No bodies are read (GET and HEAD have none), no keep-alive.

use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The largest request head accepted; longer ones get 431.
const MAX_HEAD: usize = 16 * 1024;

/// A parsed request head.
#[derive(Debug, Default)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// Percent-decoded path without the query; `None` when it does not
    /// decode to UTF-8 or is not an origin-form or absolute-form target.
    pub(crate) path: Option<String>,
    pub(crate) raw_path: String,
    pub(crate) query: Option<String>,
    headers: Vec<(String, String)>,
}

impl Request {
    /// The value of header `name` (case-insensitive), if sent.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request head could not be used.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// The peer closed the connection or the read failed.
    Closed,
    /// The head was larger than [`MAX_HEAD`].
    TooLarge,
    /// The request line or a header line was malformed.
    Malformed,
}

/// Reads one request head (up to the blank line) from `stream`.
pub(crate) async fn read_request<R: AsyncReadExt + Unpin>(
    stream: &mut R,
) -> Result<Request, ReadError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let end = loop {
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|_| ReadError::Closed)?;
        if n == 0 {
            return Err(ReadError::Closed);
        }
        let start = buf.len().saturating_sub(3);
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = find(&buf[start..], b"\r\n\r\n") {
            break start + i;
        }
        if buf.len() > MAX_HEAD {
            return Err(ReadError::TooLarge);
        }
    };
    let head = std::str::from_utf8(&buf[..end]).map_err(|_| ReadError::Malformed)?;
    parse_head(head)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &str) -> Result<Request, ReadError> {
    let mut lines = head.split("\r\n");
    let line = lines.next().ok_or(ReadError::Malformed)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed);
    };
    if method.is_empty() || !version.starts_with("HTTP/1.") {
        return Err(ReadError::Malformed);
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or(ReadError::Malformed)?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    // Absolute-form (`GET http://host/path`) is allowed by HTTP/1.1; keep the path.
    let origin_form = match target.find("://") {
        Some(i) => target[i + 3..]
            .find('/')
            .map_or("/", |j| &target[i + 3 + j..]),
        None => target,
    };
    let without_fragment = origin_form.split('#').next().unwrap_or_default();
    let (raw_path, query) = match without_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (without_fragment, None),
    };
    let path = if raw_path.starts_with('/') {
        percent_decode(raw_path)
    } else {
        None
    };
    Ok(Request {
        method: method.to_string(),
        path,
        raw_path: raw_path.to_string(),
        query,
        headers,
    })
}

/// Decodes `%XX` escapes; `None` for a bad escape, invalid UTF-8 or a NUL.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    if out.contains(&0) {
        return None;
    }
    String::from_utf8(out).ok()
}

/// A response about to be written.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// A short plain-text response, e.g. for 404 or an injected 500.
    pub(crate) fn text(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".to_string())],
            body: body.as_bytes().to_vec(),
        }
    }
}

/// The reason phrase for the statuses this server sends (and a generic one).
pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Writes `resp` (without its body when `head_only`), then closes the write side.
pub(crate) async fn write_response<W: AsyncWrite + Unpin>(
    stream: &mut W,
    resp: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (name, value) in &resp.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    // A 304 has no body and its Content-Length would describe the full file.
    if resp.status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
    }
    head.push_str("Server: wirecopy-serve\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await?;
    if !head_only && resp.status != 304 {
        stream.write_all(&resp.body).await?;
    }
    stream.flush().await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_request_line_headers_and_query() {
        let r = parse_head(
            "GET /a%20b/c.html?utm_source=x HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"x\"",
        )
        .expect("valid head");
        assert_eq!(r.method, "GET");
        assert_eq!(r.path.as_deref(), Some("/a b/c.html"));
        assert_eq!(r.query.as_deref(), Some("utm_source=x"));
        assert_eq!(r.header("if-none-match"), Some("\"x\""));
    }

    #[test]
    fn absolute_form_keeps_the_path() {
        let r = parse_head("GET http://127.0.0.1:9/x.xml HTTP/1.1").expect("valid head");
        assert_eq!(r.path.as_deref(), Some("/x.xml"));
    }

    #[test]
    fn refuses_bad_escapes_and_nul() {
        assert_eq!(percent_decode("/%2"), None);
        assert_eq!(percent_decode("/a%00b"), None);
        assert_eq!(percent_decode("/%ff"), None);
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
    }

    #[test]
    fn refuses_malformed_lines() {
        assert_eq!(parse_head("GET /").err(), Some(ReadError::Malformed));
        assert_eq!(
            parse_head("GET / HTTP/1.1\r\nno colon").err(),
            Some(ReadError::Malformed)
        );
    }
}
