//! The HTTP messages inside WARC blocks: written from a fetcher's
//! [`Exchange`], read back from any crawler's `response` record.
//!
//! Writing: a request block is the request line and headers; a response
//! block is the status line, the headers and the body. The fetcher hands
//! over the body de-chunked and decoded, so `Transfer-Encoding` is renamed
//! `X-Crawler-Transfer-Encoding` (as Common Crawl does) and a reader does
//! not try to de-chunk a body that is not chunked.
//!
//! Reading: other crawlers store bodies as sent, chunked and compressed.
//! [`parse_response`] splits the block and undoes `chunked` and
//! gzip/deflate content coding, never past a size cap (a small
//! compressed body must not expand without bound).

use std::io::Read;

use crate::fetch::Exchange;

/// A header renamed on write because its coding is undone already.
const RENAMED: &[(&str, &str)] = &[("transfer-encoding", "X-Crawler-Transfer-Encoding")];

/// The request block of an exchange: request line, headers, empty line.
pub(crate) fn request_block(exchange: &Exchange<'_>) -> Vec<u8> {
    let url = exchange.url;
    let mut target = url.path().to_owned();
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    // The request line names HTTP/1.1 for HTTP/2 too: WARC readers parse
    // HTTP/1.x messages, and HTTP/2 has no request line of its own.
    let mut block = format!("GET {target} HTTP/1.1\r\n").into_bytes();
    for (name, value) in exchange.request_headers {
        block.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    block.extend_from_slice(b"\r\n");
    block
}

/// The response block of an exchange and where its payload starts.
pub(crate) fn response_block(exchange: &Exchange<'_>) -> (Vec<u8>, usize) {
    let reason = reqwest::StatusCode::from_u16(exchange.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let version = match exchange.version {
        "HTTP/1.0" => "HTTP/1.0",
        _ => "HTTP/1.1",
    };
    let mut block = format!("{version} {} {reason}\r\n", exchange.status).into_bytes();
    for (name, value) in exchange.response_headers {
        let shown = RENAMED
            .iter()
            .find(|(from, _)| name.eq_ignore_ascii_case(from))
            .map_or(name.as_str(), |(_, to)| to);
        block.extend_from_slice(shown.as_bytes());
        block.extend_from_slice(b": ");
        block.extend_from_slice(value);
        block.extend_from_slice(b"\r\n");
    }
    block.extend_from_slice(b"\r\n");
    let payload = block.len();
    block.extend_from_slice(exchange.body);
    (block, payload)
}

/// An HTTP response read from a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers in order, values as text (lossy).
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked and decoded.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits a response block into status, headers and body, undoing
/// `chunked` transfer coding and gzip or deflate content coding.
///
/// Errors (with what is wrong) for a block that is not an HTTP response,
/// broken compression, another content coding, and a body that decodes
/// past `max_body` bytes. A body marked chunked that does not parse as
/// chunks is taken as it is.
pub fn parse_response(block: &[u8], max_body: usize) -> Result<HttpResponse, String> {
    let (head_len, body_start) = match find(block, b"\r\n\r\n") {
        Some(at) => (at, at + 4),
        None => match find(block, b"\n\n") {
            Some(at) => (at, at + 2),
            None => return Err("the HTTP headers never end".into()),
        },
    };
    let head = String::from_utf8_lossy(&block[..head_len]);
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.split_whitespace();
    let status = match (parts.next(), parts.next().map(str::parse::<u16>)) {
        (Some(protocol), Some(Ok(status))) if protocol.starts_with("HTTP/") => status,
        _ => {
            let shown: String = status_line.chars().take(40).collect();
            return Err(format!("not an HTTP status line: {shown:?}"));
        }
    };
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut response = HttpResponse {
        status,
        headers,
        body: Vec::new(),
    };
    let raw = &block[body_start..];
    let chunked = response
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    // A body that does not parse as chunks is taken as it is, as warcio
    // does: some writers keep the header after de-chunking the body.
    let body = match chunked.then(|| dechunk(raw, max_body)) {
        Some(Ok(body)) => body,
        Some(Err(error)) if error.contains("over") => return Err(error),
        _ => raw.to_vec(),
    };
    let coding = response
        .header("content-encoding")
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    response.body = match coding.as_str() {
        "" | "identity" => body,
        "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(&body[..]), max_body)?,
        "deflate" => inflate(flate2::read::ZlibDecoder::new(&body[..]), max_body)?,
        other => return Err(format!("content coding {other:?} is not supported")),
    };
    if response.body.len() > max_body {
        return Err(format!("the body is over {max_body} bytes"));
    }
    Ok(response)
}

/// Reads a decoder to its end, failing past `max` bytes.
fn inflate(decoder: impl Read, max: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    decoder
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|error| format!("the body does not decompress: {error}"))?;
    if out.len() > max {
        return Err(format!("the body decompresses past {max} bytes"));
    }
    Ok(out)
}

/// Undoes `chunked` transfer coding (RFC 9112 §7.1).
fn dechunk(mut raw: &[u8], max: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = find(raw, b"\n").ok_or("a chunk size line never ends")?;
        let line = String::from_utf8_lossy(&raw[..line_end]);
        let size_text = line.trim().split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        raw = &raw[line_end + 1..];
        if size == 0 {
            return Ok(out);
        }
        if size > raw.len() {
            return Err("a chunk is cut short".into());
        }
        if out.len() + size > max {
            return Err(format!("the body is over {max} bytes"));
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size..];
        raw = raw.strip_prefix(b"\r\n").unwrap_or(raw);
        raw = raw.strip_prefix(b"\n").unwrap_or(raw);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_plain_response_splits_into_status_headers_and_body() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>hi</p>";
        let response = parse_response(block, 1000).expect("parses");
        assert_eq!(response.status, 200);
        assert_eq!(response.header("content-type"), Some("text/html"));
        assert_eq!(response.body, b"<p>hi</p>");
    }

    #[test]
    fn chunked_and_gzipped_bodies_are_undone() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<p>the council met</p>").expect("gzip");
        let zipped = gz.finish().expect("gzip");
        let mut block =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        let (a, b) = zipped.split_at(7);
        for part in [a, b] {
            block.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
            block.extend_from_slice(part);
            block.extend_from_slice(b"\r\n");
        }
        block.extend_from_slice(b"0\r\n\r\n");
        let response = parse_response(&block, 1000).expect("parses");
        assert_eq!(response.body, b"<p>the council met</p>");
    }

    #[test]
    fn a_body_that_inflates_past_the_cap_is_refused() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![b'a'; 100_000]).expect("gzip");
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend_from_slice(&gz.finish().expect("gzip"));
        let error = parse_response(&block, 10_000).expect_err("over the cap");
        assert!(error.contains("10000"), "{error}");
    }

    #[test]
    fn a_body_marked_chunked_that_is_not_is_taken_as_it_is() {
        let block = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<p>plain</p>";
        let response = parse_response(block, 1000).expect("parses");
        assert_eq!(response.body, b"<p>plain</p>");
    }

    #[test]
    fn a_block_that_is_not_http_is_an_error() {
        let error = parse_response(b"hello\r\n\r\n", 100).expect_err("not HTTP");
        assert!(error.contains("status line"), "{error}");
    }
}
