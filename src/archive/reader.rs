//! [`WarcReader`]: the records of one WARC file, compressed or not, one at
//! a time, with the offset of each, going on past broken ones.
//!
//! A file whose first bytes are the gzip magic is read member by member:
//! each gzip member is decoded from where the last one ended, and the
//! records inside it are read in turn (Common Crawl and this writer put
//! one record in each member; a file gzipped whole is one member holding
//! them all, and reads the same). Any other file is read as uncompressed
//! WARC.
//!
//! Only one record is in memory at a time, and a record's block is read
//! only up to the reader's cap (a larger record is skipped, unread, with an
//! error), so memory does not grow with the file.
//!
//! When a record is broken (cut short, a bad header, a gzip member that
//! does not decode), the reader yields an error naming the file and the
//! offset where the record started, then looks for the next record: in a
//! compressed file, the next gzip magic (`1f 8b 08`) after the failed
//! member's start; in an uncompressed one, the next line starting
//! `WARC/1.`. A truncated last record (a killed writer) is therefore one
//! error after all the complete records.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use flate2::bufread::GzDecoder;

use super::record::{field, parse_head, Record};
use super::ReadError;

/// The gzip magic and the deflate method byte: where a member starts.
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b, 0x08];
/// What starts a record in an uncompressed file, after a newline.
const RECORD_START: &[u8] = b"\nWARC/1.";
/// The longest header a record may have.
const MAX_HEAD: u64 = 64 * 1024;

/// A record and where it starts in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The offset of the record's gzip member (compressed files) or of its
    /// version line (uncompressed files).
    pub offset: u64,
    /// The record.
    pub record: Record,
}

/// Reads the records of one file; an iterator of entries and errors.
pub struct WarcReader {
    path: PathBuf,
    input: Option<Input>,
    gzip: bool,
    max_block: u64,
}

enum Input {
    /// Between gzip members, or anywhere in an uncompressed file.
    Raw(BufReader<File>),
    /// Inside the gzip member that starts at `start`.
    Member {
        decoded: Box<BufReader<GzDecoder<BufReader<File>>>>,
        start: u64,
    },
}

/// Why a record could not be read.
enum Problem {
    /// The record is broken: look for the next one.
    Broken(String),
    /// The record is whole but over the cap, and was skipped: go on from
    /// here.
    Skipped(String),
}

impl WarcReader {
    /// Opens a WARC file (`.warc` or `.warc.gz`, told apart by content).
    /// Records whose block is over `max_block` bytes are skipped with an
    /// error.
    ///
    /// Errors when the file cannot be opened or read.
    pub fn open(path: &Path, max_block: u64) -> Result<WarcReader, ReadError> {
        let io_error = |source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut input = BufReader::with_capacity(64 * 1024, File::open(path).map_err(io_error)?);
        let gzip = input
            .fill_buf()
            .map_err(io_error)?
            .starts_with(&GZIP_MAGIC[..2]);
        Ok(WarcReader {
            path: path.to_path_buf(),
            input: Some(Input::Raw(input)),
            gzip,
            max_block,
        })
    }

    /// Returns true if and only if the file is gzip-compressed.
    pub fn is_gzip(&self) -> bool {
        self.gzip
    }

    fn error(&self, offset: u64, message: String) -> ReadError {
        ReadError::Record {
            path: self.path.clone(),
            offset,
            message,
        }
    }

    fn io_error(&self, source: io::Error) -> ReadError {
        ReadError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// The next entry or error, `None` at the end of the file.
    fn step(&mut self) -> Option<Result<Entry, ReadError>> {
        loop {
            match self.input.take()? {
                Input::Raw(mut raw) => {
                    let start = match raw.stream_position() {
                        Ok(at) => at,
                        Err(error) => return Some(Err(self.io_error(error))),
                    };
                    match raw.fill_buf() {
                        Ok([]) => return None,
                        Ok(_) => {}
                        Err(error) => return Some(Err(self.io_error(error))),
                    }
                    if self.gzip {
                        self.input = Some(Input::Member {
                            decoded: Box::new(BufReader::new(GzDecoder::new(raw))),
                            start,
                        });
                        continue;
                    }
                    match read_record(&mut raw, self.max_block) {
                        Ok(Some(record)) => {
                            self.input = Some(Input::Raw(raw));
                            return Some(Ok(Entry {
                                offset: start,
                                record,
                            }));
                        }
                        Ok(None) => return None,
                        Err(Problem::Skipped(message)) => {
                            self.input = Some(Input::Raw(raw));
                            return Some(Err(self.error(start, message)));
                        }
                        Err(Problem::Broken(message)) => {
                            if let Ok(Some(at)) = scan(&mut raw, start + 1, RECORD_START) {
                                // The record starts after the newline.
                                if raw.seek(SeekFrom::Start(at + 1)).is_ok() {
                                    self.input = Some(Input::Raw(raw));
                                }
                            }
                            return Some(Err(self.error(start, message)));
                        }
                    }
                }
                Input::Member { mut decoded, start } => {
                    match read_record(&mut decoded, self.max_block) {
                        Ok(Some(record)) => {
                            self.input = Some(Input::Member { decoded, start });
                            return Some(Ok(Entry {
                                offset: start,
                                record,
                            }));
                        }
                        Ok(None) => {
                            // The member ended; the file goes on after it.
                            self.input = Some(Input::Raw(decoded.into_inner().into_inner()));
                        }
                        Err(Problem::Skipped(message)) => {
                            self.input = Some(Input::Member { decoded, start });
                            return Some(Err(self.error(start, message)));
                        }
                        Err(Problem::Broken(message)) => {
                            let mut raw = decoded.into_inner().into_inner();
                            if let Ok(Some(_)) = scan(&mut raw, start + 1, GZIP_MAGIC) {
                                self.input = Some(Input::Raw(raw));
                            }
                            return Some(Err(self.error(start, message)));
                        }
                    }
                }
            }
        }
    }
}

impl Iterator for WarcReader {
    type Item = Result<Entry, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.step()
    }
}

/// Reads one record, `None` at a clean end of input.
fn read_record(input: &mut impl BufRead, max_block: u64) -> Result<Option<Record>, Problem> {
    let broken = |error: io::Error| Problem::Broken(describe(&error));
    let mut head = Vec::new();
    // Blank lines before a record (the end of the last one) are skipped.
    loop {
        head.clear();
        let n = input
            .by_ref()
            .take(MAX_HEAD)
            .read_until(b'\n', &mut head)
            .map_err(broken)?;
        if n == 0 {
            return Ok(None);
        }
        if !head.iter().all(u8::is_ascii_whitespace) {
            break;
        }
    }
    loop {
        let before = head.len();
        let room = MAX_HEAD.saturating_sub(before as u64);
        let n = input
            .by_ref()
            .take(room)
            .read_until(b'\n', &mut head)
            .map_err(broken)?;
        if n == 0 {
            return Err(Problem::Broken(
                "the record is cut short in its header".into(),
            ));
        }
        let line = &head[before..];
        if line == b"\r\n" || line == b"\n" {
            head.truncate(before);
            break;
        }
        if head.len() as u64 >= MAX_HEAD {
            return Err(Problem::Broken(format!(
                "the record header is over {MAX_HEAD} bytes"
            )));
        }
    }
    let (version, fields) = parse_head(&head).map_err(Problem::Broken)?;
    let length = fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(field::CONTENT_LENGTH))
        .map(|(_, v)| v.as_str())
        .ok_or_else(|| Problem::Broken("the record has no Content-Length".into()))?;
    let length: u64 = length
        .parse()
        .map_err(|_| Problem::Broken(format!("bad Content-Length {length:?}")))?;
    if length > max_block {
        let skipped =
            io::copy(&mut input.by_ref().take(length), &mut io::sink()).map_err(broken)?;
        if skipped < length {
            return Err(Problem::Broken(format!(
                "the record is cut short: {skipped} of {length} bytes"
            )));
        }
        return Err(Problem::Skipped(format!(
            "the record's block is {length} bytes, over the {max_block}-byte cap; skipped"
        )));
    }
    let mut block = Vec::with_capacity(length as usize);
    let got = input
        .by_ref()
        .take(length)
        .read_to_end(&mut block)
        .map_err(broken)?;
    if (got as u64) < length {
        return Err(Problem::Broken(format!(
            "the record is cut short: {got} of {length} bytes"
        )));
    }
    // The record's closing CRLFs, so that the next record's offset is its
    // version line.
    skip_newlines(input).map_err(broken)?;
    Ok(Some(Record {
        version,
        fields,
        block,
    }))
}

/// Consumes CR and LF bytes up to the next other byte or the end.
fn skip_newlines(input: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buffer = input.fill_buf()?;
        let newlines = buffer
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let all = newlines == buffer.len();
        input.consume(newlines);
        if !all || newlines == 0 {
            return Ok(());
        }
    }
}

/// Words for an I/O error met while decoding.
fn describe(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::UnexpectedEof => "the record is cut short (the file ends inside it)".into(),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            format!("the gzip member is corrupt ({error})")
        }
        _ => error.to_string(),
    }
}

/// Finds the first `needle` at or after `from` and leaves the reader
/// there. Returns its offset, `None` if there is none.
fn scan(raw: &mut BufReader<File>, from: u64, needle: &[u8]) -> io::Result<Option<u64>> {
    raw.seek(SeekFrom::Start(from))?;
    let mut window: Vec<u8> = Vec::new();
    let mut window_at = from;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = raw.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        window.extend_from_slice(&chunk[..n]);
        if let Some(i) = window.windows(needle.len()).position(|w| w == needle) {
            let at = window_at + i as u64;
            raw.seek(SeekFrom::Start(at))?;
            return Ok(Some(at));
        }
        let keep_from = window.len().saturating_sub(needle.len() - 1);
        window.drain(..keep_from);
        window_at += keep_from as u64;
    }
}

#[cfg(test)]
mod tests;
