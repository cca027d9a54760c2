//! Outputs: CSV tables, charts and the one-page HTML report, one file per format.

/// One value in an output table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, such as a policy name or a timestamp.
    Text(String),
    /// A number.
    Num(f64),
    /// No value (for example a confidence interval with one replication).
    Empty,
}

/// A table of named columns, the in-memory form of every CSV chatcap writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column names, in output order.
    pub columns: Vec<String>,
    /// Rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// A numeric cell by row and column name; `None` when absent, empty or text.
    pub fn num(&self, row: usize, column: &str) -> Option<f64> {
        match self.rows.get(row)?.get(self.column(column)?)? {
            Cell::Num(v) => Some(*v),
            _ => None,
        }
    }

    /// A text cell by row and column name.
    pub fn text(&self, row: usize, column: &str) -> Option<&str> {
        match self.rows.get(row)?.get(self.column(column)?)? {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
}
