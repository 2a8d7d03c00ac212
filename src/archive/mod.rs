//! WARC in and out: [`WarcWriter`] records what a run fetched
//! (`wirecopy run --warc DIR`), [`WarcReader`] streams the records of any
//! WARC file back (`wirecopy import`). Only the CLI's `run` and `import`
//! use this module.
//!
//! # Brief overview
//!
//! * `record.rs`: [`Record`], one WARC record (named fields and a block),
//!   written out and parsed back; SHA-1 digests in base32.
//! * `http.rs`: the HTTP messages in request and response blocks, built
//!   from a fetcher's [`crate::fetch::Exchange`] and read back (chunked
//!   and gzip bodies undone under a cap).
//! * `writer.rs`: [`WarcWriter`], gzip per record, `warcinfo` first in each
//!   file, rotation at a size cap; it implements
//!   [`crate::fetch::Recorder`], the fetcher's hook.
//! * `reader.rs`: [`WarcReader`], one record at a time, with offsets, going
//!   on past broken records.
//! * `pages.rs`: [`page_of`], a `response` record → a [`crate::fetch::Page`]
//!   for the pipeline's import.
//!
//! ```
//! use wirecopy::archive::{Record, WarcReader, WarcWriter};
//! let dir = std::env::temp_dir().join(format!("wirecopy-doc-{}", std::process::id()));
//! let writer = WarcWriter::create(&dir, 1 << 20).unwrap();
//! let record = Record::new("resource", "<urn:uuid:00000000-0000-4000-8000-000000000001>", chrono::Utc::now())
//!     .field("WARC-Target-URI", "http://news.example/")
//!     .block("text/plain", b"hello".to_vec());
//! writer.write(&[record]).unwrap();
//! let file = &writer.finish().unwrap().files[0];
//! let kinds: Vec<String> = WarcReader::open(file, 1 << 20).unwrap()
//!     .map(|entry| entry.unwrap().record.kind().to_owned())
//!     .collect();
//! assert_eq!(kinds, ["warcinfo", "resource"]);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
//!
//! # Why not the `warc` crate
//!
//! `warc` 0.4 reads and writes records well, but its gzip support wraps the
//! whole stream in one encoder or one multi-member decoder: it cannot write
//! one gzip member per record (what Common Crawl's files and warcio's
//! `check` expect, and what lets a killed run leave every complete record
//! readable), report the offset of the member a broken record is in, or
//! resume at the next member after a corrupt one. Those three are most of
//! what this module does, and the record format itself is small, so the
//! module owns both halves (about 1,200 lines with tests) instead of
//! wrapping the crate.
//!
//! Interoperability is tested against warcio, the Python library Common
//! Crawl's tools use: `tests/archive.rs` runs `warcio check` and `warcio
//! index` on files a run writes, and imports a file warcio wrote.

mod error;
mod http;
mod pages;
mod reader;
mod record;
mod writer;

pub use error::{ReadError, WriteError};
pub use http::{parse_response, HttpResponse};
pub use pages::{page_of, NotAPage};
pub use reader::{Entry, WarcReader};
pub use record::{field, sha1_digest, Record, PROFILE_NOT_MODIFIED, WARC_VERSION};
pub use writer::{WarcSummary, WarcWriter};
