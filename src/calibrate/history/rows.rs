//! What the reader keeps of a history while it streams: per row only the
//! two dates, the outcome and the line, packed in 12 bytes, so a file of
//! millions of short rows costs about its own size in memory, not 17
//! times it as the whole text plus a copy of every cell did. The cells'
//! text is read again only to quote a refused row ([`Source::cells`]).

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::calendar::Date;
use crate::calibrate::dates::RawDate;

/// Bit 31 of a packed date: a slashed date (else an ISO one).
const SLASHED: u32 = 1 << 31;
/// Added to an ISO date's epoch day, so that years 1 to 9999 (epoch days
/// −719,162 to 2,932,896) pack as positive numbers below bit 31.
const EPOCH_OFFSET: i64 = 1 << 22;
/// No date: a packed slashed date has `a` below 100, so never all ones.
const NONE: u32 = u32::MAX;
/// Lines are kept in 30 bits (a 256 MiB file has at most 2^28 + 1);
/// the top two hold the outcome.
pub(super) const MAX_LINE: u64 = (1 << 30) - 1;
const DECLINED: u32 = 1 << 31;
const ACCEPTED: u32 = 1 << 30;

fn pack(raw: RawDate) -> u32 {
    match raw {
        RawDate::Iso(d) => (d.to_epoch_days() + EPOCH_OFFSET) as u32,
        // `read` gives a, b of at most two digits and a four-digit year.
        RawDate::Slashed { a, b, year } => SLASHED | a << 21 | b << 14 | year as u32,
    }
}

fn unpack(packed: u32) -> RawDate {
    if packed & SLASHED == 0 {
        return RawDate::Iso(Date::from_epoch_days(i64::from(packed) - EPOCH_OFFSET));
    }
    RawDate::Slashed {
        a: (packed >> 21) & 0x3ff,
        b: (packed >> 14) & 0x7f,
        year: (packed & 0x3fff) as i32,
    }
}

/// One row of the history as the fit needs it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    sent: u32,
    replied: u32,
    line_outcome: u32,
}

impl Row {
    /// `line` must be at most [`MAX_LINE`].
    pub(super) fn new(
        line: u64,
        sent: RawDate,
        replied: Option<RawDate>,
        declined: Option<bool>,
    ) -> Row {
        let outcome = match declined {
            Some(true) => DECLINED,
            Some(false) => ACCEPTED,
            None => 0,
        };
        Row {
            sent: pack(sent),
            replied: replied.map_or(NONE, pack),
            line_outcome: line.min(MAX_LINE) as u32 | outcome,
        }
    }

    pub(super) fn sent(&self) -> RawDate {
        unpack(self.sent)
    }

    pub(super) fn replied(&self) -> Option<RawDate> {
        (self.replied != NONE).then(|| unpack(self.replied))
    }

    pub(super) fn line(&self) -> u64 {
        u64::from(self.line_outcome & !(DECLINED | ACCEPTED))
    }

    pub(super) fn declined(&self) -> Option<bool> {
        match self.line_outcome & (DECLINED | ACCEPTED) {
            DECLINED => Some(true),
            ACCEPTED => Some(false),
            _ => None,
        }
    }
}

/// Where the history's text comes from: streamed once, and read again
/// only to quote the cells of a refused row.
#[derive(Debug, Clone, Copy)]
pub(super) enum Source<'a> {
    Text(&'a str),
    File(&'a Path),
}

impl Source<'_> {
    fn open(&self) -> io::Result<Box<dyn Read + '_>> {
        Ok(match self {
            Source::Text(text) => Box::new(text.as_bytes()),
            Source::File(path) => Box::new(std::fs::File::open(path)?),
        })
    }

    /// The file's own line number (1 for the header) of the record the
    /// csv reader puts on `line`: the reader is read again to the record,
    /// then the text up to its first character (past the line ends and
    /// blank lines the reader counts late) has its line feeds counted.
    /// `line` itself if the text cannot be read again or has changed.
    pub(super) fn file_line(&self, line: u64) -> u64 {
        // Line 1 too: in a CRLF file the first record is read as on line 1.
        self.record_byte(line)
            .and_then(|byte| self.lines_to(byte))
            .unwrap_or(line)
    }

    /// The byte where the reader starts the record it puts on `line`.
    fn record_byte(&self, line: u64) -> Option<u64> {
        let mut reader = csv_reader(without_bom(self.open().ok()?).ok()?);
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {
                    let p = record.position()?;
                    if p.line() == line {
                        return Some(p.byte());
                    }
                    if p.line() > line {
                        return None;
                    }
                }
                Ok(false) => return None,
                Err(e) => {
                    let p = e.position()?;
                    return (p.line() == line).then(|| p.byte());
                }
            }
        }
    }

    /// 1 + the line feeds before the first byte at or after `byte` that
    /// is not a line end.
    fn lines_to(&self, byte: u64) -> Option<u64> {
        let input = std::io::BufReader::new(without_bom(self.open().ok()?).ok()?);
        let mut feeds = 0;
        for (at, b) in (0u64..).zip(input.bytes()) {
            let b = b.ok()?;
            if at >= byte && b != b'\n' && b != b'\r' {
                return Some(feeds + 1);
            }
            feeds += u64::from(b == b'\n');
        }
        Some(feeds + 1)
    }

    /// Whether the record starting at `byte` (a record position of the
    /// reader) ends inside a quoted cell: a quote opened and never closed,
    /// so the reader took the rest of the text as that one cell. The csv
    /// reader ends such a cell at the end of the text without a word, so
    /// its quotes are followed again here, as the reader follows them
    /// (only a quote that starts a cell opens one; `""` inside is a quote;
    /// a line end outside quotes ends the record). `None` if the record
    /// ends outside quotes, or the text cannot be read again.
    pub(super) fn open_quote(&self, byte: u64) -> Option<OpenQuote> {
        #[derive(PartialEq)]
        enum At {
            CellStart,
            InCell,
            InQuotes,
            QuoteInQuotes,
        }
        let mut input = without_bom(self.open().ok()?).ok()?;
        io::copy(&mut (&mut input).take(byte), &mut io::sink()).ok()?;
        let (mut at, mut started) = (At::CellStart, false);
        let (mut feeds, mut opened, mut last) = (0, 0, 0);
        for b in input.bytes() {
            let b = b.ok()?;
            let line_end = b == b'\n' || b == b'\r';
            // The line ends the reader counts before the record are not
            // its lines (see `file_line`).
            if !started && line_end {
                continue;
            }
            started = true;
            feeds += u64::from(b == b'\n');
            if !line_end {
                last = feeds;
            }
            at = match (at, b) {
                (At::CellStart, b'"') => {
                    opened = feeds;
                    At::InQuotes
                }
                (At::InQuotes, b'"') => At::QuoteInQuotes,
                (At::InQuotes, _) | (At::QuoteInQuotes, b'"') => At::InQuotes,
                (_, b',') => At::CellStart,
                (_, b'\n' | b'\r') => At::CellStart,
                _ => At::InCell,
            };
        }
        (at == At::InQuotes).then_some(OpenQuote { opened, last })
    }

    /// The cells `columns` of the record on `line`, as the reader saw them
    /// (trimmed); empty strings if the text cannot be read again.
    pub(super) fn cells(&self, line: u64, columns: &[usize]) -> Vec<String> {
        let found = self.open().ok().and_then(|input| {
            let mut reader = csv_reader(without_bom(input).ok()?);
            let mut record = csv::StringRecord::new();
            while reader.read_record(&mut record).ok()? {
                if record.position().is_some_and(|p| p.line() == line) {
                    return Some(record.clone());
                }
            }
            None
        });
        let cell = |i: usize| found.as_ref().and_then(|r| r.get(i)).unwrap_or("");
        columns.iter().map(|&i| cell(i).to_string()).collect()
    }
}

/// A quote never closed ([`Source::open_quote`]), in lines after the
/// first of its record: the line it opens on, and the last line with text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct OpenQuote {
    pub(super) opened: u64,
    pub(super) last: u64,
}

/// The reader every pass uses: header first, cells trimmed.
pub(super) fn csv_reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(input)
}

/// A buffered reader past a UTF-8 byte-order mark, if the text has one
/// (spreadsheets write it; it is not part of the first column's name).
pub(super) fn without_bom<R: Read>(input: R) -> io::Result<BufReader<R>> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    if input.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    Ok(input)
}

/// A reader that hashes what passes through it: the history's SHA-256
/// (which names the data in metadata) without holding its text.
pub(super) struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    pub(super) bytes: u64,
}

impl<R: Read> Hashing<R> {
    pub(super) fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Reads what is left, so the hash covers the whole file.
    pub(super) fn finish(mut self) -> io::Result<(u64, String)> {
        io::copy(&mut self, &mut io::sink())?;
        let hex = self
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok((self.bytes, hex))
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_packs_and_unpacks_every_field_it_keeps() {
        let days = [
            RawDate::Iso(Date::parse("0001-01-01").unwrap()),
            RawDate::Iso(Date::parse("9999-12-31").unwrap()),
            RawDate::Slashed {
                a: 99,
                b: 31,
                year: 9999,
            },
            RawDate::Slashed {
                a: 1,
                b: 12,
                year: 0,
            },
        ];
        for (i, &sent) in days.iter().enumerate() {
            for replied in [None, Some(days[(i + 1) % days.len()])] {
                for declined in [None, Some(true), Some(false)] {
                    let r = Row::new(MAX_LINE, sent, replied, declined);
                    assert_eq!(
                        (r.sent(), r.replied(), r.declined(), r.line()),
                        (sent, replied, declined, MAX_LINE)
                    );
                }
            }
        }
        assert_eq!(std::mem::size_of::<Row>(), 12);
    }

    #[test]
    fn the_hash_is_the_sha256_of_every_byte_read() {
        let text = "sent,replied\n2026-01-01,\n".repeat(5000);
        let mut h = Hashing::new(text.as_bytes());
        let mut first = [0u8; 10];
        h.read_exact(&mut first).unwrap();
        let (bytes, hex) = h.finish().unwrap();
        assert_eq!(bytes, text.len() as u64);
        assert_eq!(hex, crate::scenario::sha256_hex(text.as_bytes()));
    }

    #[test]
    fn a_quote_is_open_only_where_the_csv_reader_would_leave_it_open() {
        let open = |text: &str| Source::Text(text).open_quote(0);
        // Opened at a cell's start and never closed: on which line after
        // the record's first, and to which last line with text.
        assert_eq!(
            open("a,\"b\nc\nd\n\n"),
            Some(OpenQuote { opened: 0, last: 2 })
        );
        assert_eq!(
            open("\n\"x\ny\",\"z\nw"),
            Some(OpenQuote { opened: 1, last: 2 })
        );
        // Closed, doubled inside, or not at a cell's start (a quote there
        // is text): not open.
        for closed in [
            "a,\"b\nc\"\n",
            "\"say \"\"hi\"\"\",x\n",
            "ab\"c,d\n",
            " \"x,y\n",
            "\"a\"b,\"c\"\r\n",
        ] {
            assert_eq!(open(closed), None, "{closed:?}");
        }
        // A quote after a closed one's doubled quote is still inside.
        assert_eq!(open("\"a\"\"\n"), Some(OpenQuote { opened: 0, last: 0 }));
    }
}
