//! [`WarcWriter`]: WARC files in a directory, one gzip member per record,
//! rotated at a size cap; and the [`Recorder`] that feeds it from a
//! fetcher.
//!
//! Each file starts with a `warcinfo` record and is named
//! `wirecopy-TIMESTAMP-SERIAL-PID-HOST.warc.gz` (UTC time to the
//! millisecond, a five-digit serial counting this writer's files, the
//! process id, the machine's host name), in the spirit of Heritrix's
//! `prefix-timestamp-serial-host` names. Files are created with
//! `create_new`: a writer never appends to a file, so the next run after a
//! killed one starts a new file.
//!
//! Each record is compressed on its own and written with one `write_all`
//! of whole gzip members (a request and its response go together), so a
//! process killed mid-write leaves at most the last member cut short,
//! every complete record before it readable, and any reader able to start
//! at any member (as Common Crawl's files allow).
//!
//! State, behind one mutex: the open file, its size, the serial number,
//! the id counter, and the first write error. An error does not stop the
//! run being recorded (the fetch goes on); it is kept and
//! [`WarcWriter::finish`] returns it.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use flate2::write::GzEncoder;
use flate2::Compression;

use super::http::{request_block, response_block};
use super::record::{field, sha1_digest, Record, PROFILE_NOT_MODIFIED};
use super::WriteError;
use crate::fetch::{Exchange, Recorder};

/// Writes WARC files into one directory. Share it behind an `Arc`.
#[derive(Debug)]
pub struct WarcWriter {
    dir: PathBuf,
    max_bytes: u64,
    host: String,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    open: Option<Open>,
    serial: u32,
    ids: u64,
    records: u64,
    files: Vec<PathBuf>,
    error: Option<WriteError>,
}

#[derive(Debug)]
struct Open {
    file: File,
    path: PathBuf,
    bytes: u64,
    /// Records besides the `warcinfo` one.
    records: u64,
    info_id: String,
}

/// What a writer wrote, for the run's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WarcSummary {
    /// The files written, in order.
    pub files: Vec<PathBuf>,
    /// Records written, `warcinfo` records included.
    pub records: u64,
}

impl WarcWriter {
    /// A writer into `dir` (created if missing) that starts a new file
    /// once one would pass `max_bytes`. The first file is created now, so
    /// an unwritable directory fails before anything is fetched.
    ///
    /// Errors when the directory or the first file cannot be created.
    pub fn create(dir: &Path, max_bytes: u64) -> Result<WarcWriter, WriteError> {
        std::fs::create_dir_all(dir).map_err(|error| WriteError::new(dir, error))?;
        let writer = WarcWriter {
            dir: dir.to_path_buf(),
            max_bytes: max_bytes.max(1),
            host: machine_name(),
            state: Mutex::new(State::default()),
        };
        {
            let mut state = writer.lock();
            writer.start_file(&mut state)?;
        }
        Ok(writer)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every change to the state is one step; a panic cannot leave it
        // half-made.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes records as consecutive gzip members of the current file,
    /// starting a new file first when they would take it past the cap.
    ///
    /// Errors when compressing or writing fails; the file may then end in
    /// a partial member, and the next write starts a new file.
    pub fn write(&self, records: &[Record]) -> Result<(), WriteError> {
        let mut state = self.lock();
        self.write_locked(&mut state, records)
    }

    fn write_locked(&self, state: &mut State, records: &[Record]) -> Result<(), WriteError> {
        let mut members = Vec::new();
        for record in records {
            members.extend_from_slice(&gzip(record).map_err(|e| WriteError::new(&self.dir, e))?);
        }
        let full = state.open.as_ref().is_some_and(|open| {
            open.records > 0 && open.bytes + members.len() as u64 > self.max_bytes
        });
        if full || state.open.is_none() {
            self.start_file(state)?;
        }
        let Some(open) = state.open.as_mut() else {
            return Err(WriteError::new(
                &self.dir,
                std::io::Error::other("no open file"),
            ));
        };
        if let Err(error) = open.file.write_all(&members) {
            let error = WriteError::new(&open.path, error);
            state.open = None;
            return Err(error);
        }
        open.bytes += members.len() as u64;
        open.records += records.len() as u64;
        state.records += records.len() as u64;
        Ok(())
    }

    /// Opens the next file and writes its `warcinfo` record.
    fn start_file(&self, state: &mut State) -> Result<(), WriteError> {
        let now = Utc::now();
        let name = format!(
            "wirecopy-{}-{:05}-{}-{}.warc.gz",
            now.format("%Y%m%d%H%M%S%3f"),
            state.serial,
            std::process::id(),
            self.host
        );
        state.serial += 1;
        let path = self.dir.join(&name);
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|error| WriteError::new(&path, error))?;
        let info_id = next_id(state, &name);
        let fields = format!(
            "software: wirecopy/{}\r\nformat: WARC File Format 1.1\r\n\
             conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n\
             robots: obey\r\nhostname: {}\r\n",
            env!("CARGO_PKG_VERSION"),
            self.host
        );
        let info = Record::new("warcinfo", &info_id, now)
            .field(field::FILENAME, &name)
            .block("application/warc-fields", fields.into_bytes());
        let member = gzip(&info).map_err(|error| WriteError::new(&path, error))?;
        file.write_all(&member)
            .map_err(|error| WriteError::new(&path, error))?;
        state.records += 1;
        state.files.push(path.clone());
        state.open = Some(Open {
            file,
            path,
            bytes: member.len() as u64,
            records: 0,
            info_id,
        });
        Ok(())
    }

    /// Builds the records of one exchange: `request` and `response`, or
    /// `request` and `revisit` for a 304.
    fn exchange_records(&self, state: &mut State, exchange: &Exchange<'_>) -> Vec<Record> {
        let url = exchange.url.as_str();
        let date: DateTime<Utc> = exchange.sent_at;
        let info_id = state
            .open
            .as_ref()
            .map(|o| o.info_id.clone())
            .unwrap_or_default();
        let response_id = next_id(state, url);
        let request_id = next_id(state, url);
        let (block, payload_at) = response_block(exchange);
        let mut response = if exchange.status == 304 {
            Record::new("revisit", &response_id, date)
                .field(field::TARGET_URI, url)
                .field(field::PROFILE, PROFILE_NOT_MODIFIED)
        } else {
            Record::new("response", &response_id, date)
                .field(field::TARGET_URI, url)
                .field(field::PAYLOAD_DIGEST, &sha1_digest(&block[payload_at..]))
        };
        if !info_id.is_empty() {
            response = response.field(field::WARCINFO_ID, &info_id);
        }
        if let Some(ip) = exchange.remote_ip {
            response = response.field(field::IP_ADDRESS, &ip.to_string());
        }
        if exchange.truncated {
            response = response.field(field::TRUNCATED, "length");
        }
        let response = response.block("application/http; msgtype=response", block);
        let mut request = Record::new("request", &request_id, date)
            .field(field::TARGET_URI, url)
            .field(field::CONCURRENT_TO, &response_id);
        if !info_id.is_empty() {
            request = request.field(field::WARCINFO_ID, &info_id);
        }
        let request = request.block("application/http; msgtype=request", request_block(exchange));
        vec![request, response]
    }

    /// The files written so far, and the record count; the first write
    /// error, if any write failed.
    pub fn finish(&self) -> Result<WarcSummary, WriteError> {
        let mut state = self.lock();
        if let Some(error) = state.error.take() {
            return Err(error);
        }
        Ok(WarcSummary {
            files: state.files.clone(),
            records: state.records,
        })
    }
}

impl Recorder for WarcWriter {
    fn record(&self, exchange: &Exchange<'_>) {
        let mut state = self.lock();
        let records = self.exchange_records(&mut state, exchange);
        if let Err(error) = self.write_locked(&mut state, &records) {
            tracing::error!(%error, url = %exchange.url, "Could not write a WARC record.");
            state.error.get_or_insert(error);
        }
    }
}

/// One record as one gzip member.
fn gzip(record: &Record) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(
        Vec::with_capacity(record.block.len() / 3 + 512),
        Compression::fast(),
    );
    record.write_to(&mut encoder)?;
    encoder.finish()
}

/// A record id, `<urn:uuid:…>`, unique within the process and across
/// processes: 128 bits of xxh3 over the time, process id, counter and
/// `salt`, shaped as a version 4 UUID.
fn next_id(state: &mut State, salt: &str) -> String {
    state.ids += 1;
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or(0);
    let seed = format!("{nanos}:{}:{}:{salt}", std::process::id(), state.ids);
    let mut bytes = xxhash_rust::xxh3::xxh3_128(seed.as_bytes()).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The machine's host name for file names: letters, digits, `-` and `.`
/// only; `localhost` when it cannot be read.
fn machine_name() -> String {
    let raw = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .unwrap_or_default();
    let name: String = raw
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        .collect();
    if name.is_empty() {
        "localhost".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::WarcReader;

    fn exchange<'a>(
        url: &'a url::Url,
        status: u16,
        headers: &'a [(String, Vec<u8>)],
        body: &'a [u8],
    ) -> Exchange<'a> {
        Exchange {
            url,
            request_headers: &[],
            version: "HTTP/1.1",
            status,
            response_headers: headers,
            body,
            truncated: false,
            remote_ip: None,
            sent_at: Utc::now(),
        }
    }

    #[test]
    fn an_exchange_is_a_request_and_a_response_and_a_304_a_revisit() {
        let dir = std::env::temp_dir().join(format!("wirecopy-writer-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let writer = WarcWriter::create(&dir, 1 << 20).expect("writer");
        let url: url::Url = "http://news.example/a.html".parse().expect("url");
        let headers = vec![
            ("content-type".to_owned(), b"text/html".to_vec()),
            ("transfer-encoding".to_owned(), b"chunked".to_vec()),
        ];
        writer.record(&exchange(&url, 200, &headers, b"<p>story</p>"));
        writer.record(&exchange(&url, 304, &[], b""));
        let file = writer.finish().expect("no error").files.remove(0);
        let records: Vec<Record> = WarcReader::open(&file, 1 << 20)
            .expect("opens")
            .map(|e| e.expect("valid").record)
            .collect();
        let kinds: Vec<&str> = records.iter().map(Record::kind).collect();
        assert_eq!(
            kinds,
            ["warcinfo", "request", "response", "request", "revisit"]
        );
        let response = String::from_utf8_lossy(&records[2].block).into_owned();
        assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
        assert!(response.contains("X-Crawler-Transfer-Encoding: chunked\r\n"));
        assert!(response.ends_with("\r\n\r\n<p>story</p>"));
        assert_eq!(
            records[1].get(field::CONCURRENT_TO),
            records[2].get(field::RECORD_ID)
        );
        assert_eq!(records[4].get(field::PROFILE), Some(PROFILE_NOT_MODIFIED));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
