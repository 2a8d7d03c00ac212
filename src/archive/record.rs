//! One WARC record: its named fields and its block, how it is written out,
//! and how its header is read back.
//!
//! A record on disk is a version line (`WARC/1.1`), `Name: value` lines,
//! an empty line, `Content-Length` bytes of block, and two CRLFs
//! ([WARC 1.1 §4](https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/#file-and-record-model)).
//! [`Record::new`] fills in the fields every record needs (type, id,
//! date); [`Record::block`] sets the block with its length and SHA-1
//! digest, in the `sha1:BASE32` form Common Crawl and warcio use.

use std::io::{self, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use sha1::{Digest, Sha1};

/// The version line this writer puts on every record.
pub const WARC_VERSION: &str = "WARC/1.1";

/// Field names used by the writer and reader.
pub mod field {
    /// The record's type.
    pub const TYPE: &str = "WARC-Type";
    /// The record's id, `<urn:uuid:…>`.
    pub const RECORD_ID: &str = "WARC-Record-ID";
    /// When the capture began.
    pub const DATE: &str = "WARC-Date";
    /// The URL captured.
    pub const TARGET_URI: &str = "WARC-Target-URI";
    /// The block's length in bytes.
    pub const CONTENT_LENGTH: &str = "Content-Length";
    /// The block's media type.
    pub const CONTENT_TYPE: &str = "Content-Type";
    /// The digest of the whole block.
    pub const BLOCK_DIGEST: &str = "WARC-Block-Digest";
    /// The digest of the HTTP payload (the body after the headers).
    pub const PAYLOAD_DIGEST: &str = "WARC-Payload-Digest";
    /// The record captured in the same exchange (request ↔ response).
    pub const CONCURRENT_TO: &str = "WARC-Concurrent-To";
    /// The server's IP address.
    pub const IP_ADDRESS: &str = "WARC-IP-Address";
    /// Why the block is shorter than what was sent (`length`).
    pub const TRUNCATED: &str = "WARC-Truncated";
    /// What a `revisit` record's block stands for.
    pub const PROFILE: &str = "WARC-Profile";
    /// The name of the file a `warcinfo` record describes.
    pub const FILENAME: &str = "WARC-Filename";
    /// The `warcinfo` record a record belongs to.
    pub const WARCINFO_ID: &str = "WARC-Warcinfo-ID";
}

/// The `revisit` profile of a 304 answer (WARC 1.1 §6.7.3).
pub const PROFILE_NOT_MODIFIED: &str =
    "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

/// A WARC record: named fields in order, and the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The version line as read (`WARC/1.1`, `WARC/1.0`).
    pub version: String,
    /// The named fields in order, as written (the writer sets
    /// `Content-Length` from the block).
    pub fields: Vec<(String, String)>,
    /// The block.
    pub block: Vec<u8>,
}

impl Record {
    /// A record of type `kind` with the given id and date, and no block.
    pub fn new(kind: &str, id: &str, date: DateTime<Utc>) -> Record {
        Record {
            version: WARC_VERSION.to_owned(),
            fields: vec![
                (field::TYPE.to_owned(), kind.to_owned()),
                (field::RECORD_ID.to_owned(), id.to_owned()),
                (
                    field::DATE.to_owned(),
                    date.to_rfc3339_opts(SecondsFormat::Micros, true),
                ),
            ],
            block: Vec::new(),
        }
    }

    /// Adds a field (after the ones there).
    pub fn field(mut self, name: &str, value: &str) -> Record {
        self.fields.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the block, its media type and its digest.
    pub fn block(mut self, content_type: &str, block: Vec<u8>) -> Record {
        self.fields
            .push((field::CONTENT_TYPE.to_owned(), content_type.to_owned()));
        self.fields
            .push((field::BLOCK_DIGEST.to_owned(), sha1_digest(&block)));
        self.block = block;
        self
    }

    /// The first value of a field, by case-insensitive name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The record's type (`response`, `request`, `warcinfo` …), lowercased
    /// by the reader's callers as needed; empty when missing.
    pub fn kind(&self) -> &str {
        self.get(field::TYPE).unwrap_or("")
    }

    /// Writes the record out: version line, fields, `Content-Length`,
    /// empty line, block, two CRLFs.
    ///
    /// Errors when `out` does.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        write!(out, "{}\r\n", self.version)?;
        for (name, value) in &self.fields {
            if name.eq_ignore_ascii_case(field::CONTENT_LENGTH) {
                continue;
            }
            write!(out, "{name}: {value}\r\n")?;
        }
        write!(
            out,
            "{}: {}\r\n\r\n",
            field::CONTENT_LENGTH,
            self.block.len()
        )?;
        out.write_all(&self.block)?;
        out.write_all(b"\r\n\r\n")
    }
}

/// `sha1:` and the base32 (RFC 4648) of the SHA-1 of `bytes`.
pub fn sha1_digest(bytes: &[u8]) -> String {
    let hash = Sha1::digest(bytes);
    format!("sha1:{}", base32(&hash))
}

/// RFC 4648 base32, upper case, no padding (a SHA-1 needs none: 160 bits
/// are 32 symbols).
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u64, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u64::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Parses a record's header (the version line and fields, without the
/// empty line). Returns the version and fields, or what is wrong.
pub(crate) fn parse_head(head: &[u8]) -> Result<(String, Vec<(String, String)>), String> {
    let text = std::str::from_utf8(head).map_err(|_| "the header is not UTF-8".to_owned())?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let version = lines.next().unwrap_or_default();
    if !version.starts_with("WARC/1.") {
        let shown: String = version.chars().take(40).collect();
        return Err(format!(
            "expected a version line \"WARC/1.0\" or \"WARC/1.1\", found {shown:?}"
        ));
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        if line.starts_with([' ', '\t']) {
            // A continuation line (WARC 1.1 §4 allows folded values).
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
                continue;
            }
        }
        let Some((name, value)) = line.split_once(':') else {
            let shown: String = line.chars().take(40).collect();
            return Err(format!("a header line without a colon: {shown:?}"));
        };
        fields.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    Ok((version.to_owned(), fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc_4648_vectors() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
    }

    #[test]
    fn the_digest_of_nothing_is_the_known_sha1() {
        // SHA-1 of "" is da39a3ee…, in base32 3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ.
        assert_eq!(sha1_digest(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }

    #[test]
    fn a_written_record_reads_back() {
        let date = DateTime::from_timestamp(1_700_000_000, 0).expect("valid time");
        let record = Record::new("resource", "<urn:uuid:1>", date)
            .field(field::TARGET_URI, "http://news.example/a")
            .block("text/plain", b"hello".to_vec());
        let mut out = Vec::new();
        record.write_to(&mut out).expect("write to a Vec");
        let text = String::from_utf8(out.clone()).expect("ASCII");
        assert!(text.starts_with("WARC/1.1\r\nWARC-Type: resource\r\n"));
        assert!(text.contains("WARC-Date: 2023-11-14T22:13:20.000000Z\r\n"));
        assert!(text.ends_with("Content-Length: 5\r\n\r\nhello\r\n\r\n"));
        let head_end = text.find("\r\n\r\n").expect("end of header");
        let (version, fields) = parse_head(&out[..head_end]).expect("parses");
        assert_eq!(version, "WARC/1.1");
        assert!(fields.contains(&("Content-Length".into(), "5".into())));
    }

    #[test]
    fn a_head_without_a_version_line_is_refused() {
        let error = parse_head(b"HTTP/1.1 200 OK\r\n").expect_err("not WARC");
        assert!(error.contains("version line"), "{error}");
    }
}
