use std::io::Write;

use chrono::Utc;

use super::*;
use crate::archive::{Record, WarcWriter};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wirecopy-archive-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn record(n: usize) -> Record {
    let id = format!("<urn:uuid:00000000-0000-4000-8000-{n:012}>");
    Record::new("resource", &id, Utc::now())
        .field(field::TARGET_URI, &format!("http://news.example/{n}"))
        .block(
            "text/plain",
            format!("story number {n}\n").repeat(40).into_bytes(),
        )
}

fn uris(path: &Path) -> Vec<Result<String, u64>> {
    WarcReader::open(path, 1 << 20)
        .expect("opens")
        .map(|entry| match entry {
            Ok(e) => Ok(e.record.get(field::TARGET_URI).unwrap_or("-").to_owned()),
            Err(error) => Err(error.offset().expect("a record error")),
        })
        .collect()
}

fn plain_file(dir: &Path, records: &[Record]) -> (PathBuf, Vec<u64>) {
    let path = dir.join("plain.warc");
    let mut bytes = Vec::new();
    let mut offsets = Vec::new();
    for r in records {
        offsets.push(bytes.len() as u64);
        r.write_to(&mut bytes).expect("to a Vec");
    }
    std::fs::write(&path, bytes).expect("write");
    (path, offsets)
}

fn writer_file(dir: &Path, count: usize) -> PathBuf {
    let writer = WarcWriter::create(dir, 1 << 30).expect("writer");
    for n in 0..count {
        writer.write(&[record(n)]).expect("write");
    }
    writer.finish().expect("summary").files.remove(0)
}

#[test]
fn gzip_members_read_back_in_order_with_their_offsets() {
    let dir = scratch("members");
    let path = writer_file(&dir, 3);
    let entries: Vec<Entry> = WarcReader::open(&path, 1 << 20)
        .expect("opens")
        .map(|e| e.expect("valid"))
        .collect();
    let kinds: Vec<&str> = entries.iter().map(|e| e.record.kind()).collect();
    assert_eq!(kinds, ["warcinfo", "resource", "resource", "resource"]);
    assert_eq!(entries[0].offset, 0);
    assert!(entries.windows(2).all(|w| w[0].offset < w[1].offset));
    // Each offset is a member one can start reading at.
    let bytes = std::fs::read(&path).expect("read");
    for e in &entries {
        assert_eq!(&bytes[e.offset as usize..e.offset as usize + 3], GZIP_MAGIC);
    }
}

#[test]
fn a_file_cut_inside_its_last_member_keeps_every_complete_record() {
    let dir = scratch("cut");
    let path = writer_file(&dir, 3);
    let bytes = std::fs::read(&path).expect("read");
    std::fs::write(&path, &bytes[..bytes.len() - 40]).expect("cut");
    let got = uris(&path);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[1], Ok("http://news.example/0".to_owned()));
    assert_eq!(got[2], Ok("http://news.example/1".to_owned()));
    assert!(got[3].is_err(), "{got:?}");
}

#[test]
fn a_corrupt_member_is_an_error_at_its_offset_and_the_next_member_reads() {
    let dir = scratch("corrupt");
    let path = writer_file(&dir, 3);
    let entries: Vec<Entry> = WarcReader::open(&path, 1 << 20)
        .expect("opens")
        .map(|e| e.expect("valid"))
        .collect();
    let mut bytes = std::fs::read(&path).expect("read");
    // Garble the middle of the second resource's deflate data.
    let (start, end) = (entries[2].offset as usize, entries[3].offset as usize);
    for b in &mut bytes[start + 20..end - 20] {
        *b ^= 0x5a;
    }
    std::fs::write(&path, &bytes).expect("write");
    let got = uris(&path);
    assert_eq!(
        got,
        vec![
            Ok("-".to_owned()),
            Ok("http://news.example/0".to_owned()),
            Err(entries[2].offset),
            Ok("http://news.example/2".to_owned()),
        ]
    );
}

#[test]
fn an_uncompressed_file_resyncs_at_the_next_version_line() {
    let dir = scratch("plain");
    let records: Vec<Record> = (0..3).map(record).collect();
    let (path, offsets) = plain_file(&dir, &records);
    let mut bytes = std::fs::read(&path).expect("read");
    // Break the second record's Content-Length so its block swallows the
    // start of the third.
    let text = String::from_utf8(bytes.clone()).expect("ASCII");
    let second = offsets[1] as usize;
    let at = second + text[second..].find("Content-Length: ").expect("length") + 16;
    bytes[at] = b'9';
    bytes.insert(at, b'9');
    std::fs::write(&path, &bytes).expect("write");
    let got = uris(&path);
    assert_eq!(got[0], Ok("http://news.example/0".to_owned()));
    assert_eq!(got[1], Err(offsets[1]));
    assert_eq!(got.last(), Some(&Ok("http://news.example/2".to_owned())));
}

#[test]
fn a_file_gzipped_whole_reads_as_one_member() {
    let dir = scratch("whole");
    let records: Vec<Record> = (0..3).map(record).collect();
    let (plain, _) = plain_file(&dir, &records);
    let path = dir.join("whole.warc.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&std::fs::read(&plain).expect("read"))
        .expect("gzip");
    std::fs::write(&path, gz.finish().expect("gzip")).expect("write");
    let got = uris(&path);
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(Result::is_ok), "{got:?}");
}

#[test]
fn a_record_over_the_cap_is_skipped_and_the_next_one_reads() {
    let dir = scratch("cap");
    let path = writer_file(&dir, 2);
    let got: Vec<Result<Entry, ReadError>> = WarcReader::open(&path, 500).expect("opens").collect();
    // warcinfo is small; both resources are over 500 bytes.
    assert!(got[0].is_ok());
    assert_eq!(got.len(), 3);
    let message = got[1].as_ref().expect_err("over the cap").to_string();
    assert!(message.contains("over the 500-byte cap"), "{message}");
}

#[test]
fn the_writer_rotates_at_its_cap_and_never_splits_a_record() {
    let dir = scratch("rotate");
    let writer = WarcWriter::create(&dir, 1200).expect("writer");
    for n in 0..4 {
        writer.write(&[record(n)]).expect("write");
    }
    let summary = writer.finish().expect("summary");
    assert!(summary.files.len() >= 2, "{:?}", summary.files);
    let mut seen = Vec::new();
    for file in &summary.files {
        let got = uris(file);
        assert_eq!(got.first(), Some(&Ok("-".to_owned())), "warcinfo first");
        seen.extend(got.into_iter().skip(1));
    }
    let want: Vec<Result<String, u64>> = (0..4)
        .map(|n| Ok(format!("http://news.example/{n}")))
        .collect();
    assert_eq!(seen, want);
}
