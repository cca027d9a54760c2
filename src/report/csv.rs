//! CSV text of a [`Table`]: the format planners open in spreadsheets and scripts parse.
//!
//! Numbers are written with at most [`SIGNIFICANT_DIGITS`] significant digits in plain decimal notation, so the
//! same run always produces byte-identical files, `0.1 + 0.2` shows as `0.3`, and no spreadsheet meets an
//! exponent or a `NaN`. Values that are not finite become empty cells, like [`Cell::Empty`].

use std::path::Path;

use super::{Cell, Table, atomic};
use crate::{Error, Result};

/// Significant digits kept in CSV numbers: far beyond any simulation's precision, short enough to hide
/// floating-point noise.
pub const SIGNIFICANT_DIGITS: usize = 12;

/// A number as it appears in a CSV cell: empty when not finite, otherwise plain decimal, rounded to
/// [`SIGNIFICANT_DIGITS`], without trailing zeros, and never `-0`.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let rounded: f64 = format!("{:.*e}", SIGNIFICANT_DIGITS - 1, v).parse().unwrap_or(v);
    if rounded == 0.0 {
        return "0".to_string();
    }
    format!("{rounded}")
}

/// The text of one cell, before CSV quoting.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Num(v) => format_number(*v),
        Cell::Empty => String::new(),
    }
}

/// The CSV text of a table: a header line, then one line per row; text is quoted only where needed. A table
/// without columns (nothing was measured) is an empty file.
pub fn to_csv(table: &Table) -> Result<String> {
    if table.columns.is_empty() && table.rows.iter().all(Vec::is_empty) {
        return Ok(String::new());
    }
    let mut writer = ::csv::WriterBuilder::new().flexible(false).from_writer(Vec::new());
    let err = |e: ::csv::Error| Error::Other(format!("CSV: {e}"));
    writer.write_record(&table.columns).map_err(err)?;
    for (r, row) in table.rows.iter().enumerate() {
        if row.len() != table.columns.len() {
            return Err(Error::Other(format!(
                "CSV: row {} has {} cells for {} columns",
                r + 1,
                row.len(),
                table.columns.len()
            )));
        }
        writer.write_record(row.iter().map(cell_text)).map_err(err)?;
    }
    let bytes = writer.into_inner().map_err(|e| Error::Other(format!("CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Other(format!("CSV: {e}")))
}

/// Writes a table to `path` atomically (temporary file, then rename): for `sweep.csv`, `staff.csv` and the like.
pub fn write_csv(path: &Path, table: &Table) -> Result<()> {
    atomic::write_file(path, to_csv(table)?.as_bytes())
}

/// Parses CSV text written by [`to_csv`] back into a table: empty cells become [`Cell::Empty`], cells that
/// parse as numbers [`Cell::Num`], the rest [`Cell::Text`]. The `policy` and `interval_start` columns always
/// stay text, whatever a policy is called.
pub fn from_csv(text: &str) -> Result<Table> {
    let mut reader = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let err = |e: ::csv::Error| Error::Input(format!("CSV: {e}"));
    let columns: Vec<String> = reader.headers().map_err(err)?.iter().map(str::to_string).collect();
    let always_text: Vec<bool> = columns.iter().map(|c| c == "policy" || c == "interval_start").collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(err)?;
        rows.push(
            record
                .iter()
                .zip(&always_text)
                .map(|(s, &text)| match s.parse::<f64>() {
                    _ if s.is_empty() => Cell::Empty,
                    Ok(v) if !text && v.is_finite() => Cell::Num(v),
                    _ => Cell::Text(s.to_string()),
                })
                .collect(),
        );
    }
    Ok(Table { columns, rows })
}

/// Reads a CSV file written by chatcap (see [`from_csv`]).
pub fn read_csv(path: &Path) -> Result<Table> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    from_csv(&text).map_err(|e| Error::Input(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_plain_and_deterministic() {
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(1234.0), "1234");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(1e-7), "0.0000001");
        assert_eq!(format_number(2.5e15), "2500000000000000");
        assert_eq!(format_number(1.0 / 3.0), "0.333333333333");
        assert_eq!(format_number(f64::NAN), "");
        assert_eq!(format_number(f64::INFINITY), "");
    }

    #[test]
    fn round_trip() {
        let table = Table {
            columns: vec!["policy".into(), "x".into(), "x_ci95".into()],
            rows: vec![
                vec![Cell::Text("live, \"fast\"".into()), Cell::Num(0.25), Cell::Empty],
                vec![Cell::Text("2".into()), Cell::Num(f64::NAN), Cell::Num(-3.5)],
            ],
        };
        let text = to_csv(&table).unwrap();
        assert_eq!(text.lines().nth(2), Some("2,,-3.5"));
        let back = from_csv(&text).unwrap();
        assert_eq!(back.rows[0], table.rows[0]);
        assert_eq!(back.rows[1], vec![Cell::Text("2".into()), Cell::Empty, Cell::Num(-3.5)]);
    }

    #[test]
    fn empty_table_is_empty_file() {
        assert_eq!(to_csv(&Table::default()).unwrap(), "");
        assert_eq!(from_csv("").unwrap(), Table::default());
    }

    #[test]
    fn ragged_rows_are_an_error() {
        let table = Table { columns: vec!["a".into()], rows: vec![vec![]] };
        assert!(to_csv(&table).is_err());
    }
}
