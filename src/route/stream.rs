//! The driver loop: read event lines, write decision lines, report each refused line and go on (or stop, when
//! strict).

use super::driver::{Counts, Driver};
use crate::{Error, Result};
use std::io::{BufRead, Read, Write};

/// The longest event line read; a longer one is refused without being held in memory.
pub const MAX_LINE: usize = 1 << 20;

/// Decisions are written out in pieces of about this size.
const FLUSH_AT: usize = 1 << 16;

/// Feeds every line of `input` to `driver`, writing decisions to `output`. A refused line is passed to
/// `refused` as `SOURCE:LINE: problem` and skipped; with `strict` the first one stops the loop with an input
/// error (exit 2) carrying that message, after writing the decisions made before it. Blank lines are ignored.
pub fn run(
    driver: &mut Driver,
    mut input: impl BufRead,
    output: &mut impl Write,
    source: &str,
    strict: bool,
    refused: &mut dyn FnMut(&str),
) -> Result<Counts> {
    let write_error = |e: std::io::Error| Error::Other(format!("cannot write the decisions: {e}"));
    let mut line = Vec::with_capacity(256);
    let mut out = Vec::with_capacity(FLUSH_AT * 2);
    let mut number = 0u64;
    loop {
        line.clear();
        number += 1;
        let read = (&mut input)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::Other(format!("{source}: cannot read line {number}: {e}")))?;
        if read == 0 {
            break;
        }
        let result = if line.len() > MAX_LINE && line.last() != Some(&b'\n') {
            skip_rest(&mut input).map_err(|e| Error::Other(format!("{source}: cannot read line {number}: {e}")))?;
            Err(format!("line longer than {MAX_LINE} bytes"))
        } else {
            let text = line.trim_ascii();
            if text.is_empty() {
                continue;
            }
            driver.line(text, &mut out).map_err(|e| e.0)
        };
        if let Err(problem) = result {
            let message = format!("{source}:{number}: {problem}");
            if strict {
                output.write_all(&out).map_err(write_error)?;
                output.flush().map_err(write_error)?;
                return Err(Error::Input(message));
            }
            refused(&message);
        }
        if out.len() >= FLUSH_AT {
            output.write_all(&out).map_err(write_error)?;
            out.clear();
        }
    }
    output.write_all(&out).map_err(write_error)?;
    output.flush().map_err(write_error)?;
    Ok(driver.counts())
}

/// Reads and drops the rest of an over-long line, up to its newline.
fn skip_rest(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = buf.iter().position(|&b| b == b'\n') {
            input.consume(i + 1);
            return Ok(());
        }
        let n = buf.len();
        input.consume(n);
    }
}
