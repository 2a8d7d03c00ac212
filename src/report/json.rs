//! The report as JSON, for other tools. The shape is documented in
//! `docs/report.md` and versioned by [`super::REPORT_VERSION`].

use std::io::Write;

use super::Report;

/// Writes the report as pretty-printed JSON.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}
