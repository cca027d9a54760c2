//! Training and test windows: whole days of the history, `FROM..TO` (both dates included).

use crate::history::{Observed, timestamp};
use crate::scenario::parse_date;
use crate::{Error, Result};

const DAY_S: i64 = 86_400;

/// Whole days `[first, last]`, as day numbers since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First day.
    pub first: i64,
    /// Last day, included.
    pub last: i64,
}

impl Window {
    /// Reads `YYYY-MM-DD..YYYY-MM-DD`; `what` (`--train`, `--test`) names the option in errors, and the window
    /// must lie within the history's days `[lo, hi]`.
    pub fn parse(text: &str, what: &str, lo: i64, hi: i64) -> Result<Window> {
        let fail = |why: String| Error::Input(format!("{what} {text}: {why}"));
        let (a, b) = text
            .split_once("..")
            .ok_or_else(|| fail("expected FROM..TO, two dates, e.g. 1999-02-01..1999-02-14".into()))?;
        let day = |s: &str| parse_date(s.trim()).map_err(|_| fail(format!("{s:?} is not a date YYYY-MM-DD")));
        let w = Window { first: day(a)?, last: day(b)? };
        if w.first > w.last {
            return Err(fail("FROM is after TO".into()));
        }
        if w.first < lo || w.last > hi {
            return Err(fail(format!(
                "outside the history, which covers {} to {}",
                &timestamp(lo * DAY_S)[..10],
                &timestamp(hi * DAY_S)[..10]
            )));
        }
        Ok(w)
    }

    /// Days in the window.
    pub fn days(&self) -> i64 {
        self.last - self.first + 1
    }

    /// Whether a moment (seconds since 1970-01-01) falls in the window.
    pub fn holds(&self, s: i64) -> bool {
        (self.first * DAY_S..(self.last + 1) * DAY_S).contains(&s)
    }

    /// `FROM..TO` as written.
    pub fn label(&self) -> String {
        format!("{}..{}", &timestamp(self.first * DAY_S)[..10], &timestamp(self.last * DAY_S)[..10])
    }

    /// Whether two windows share a day.
    pub fn overlaps(&self, other: &Window) -> bool {
        self.first <= other.last && other.first <= self.last
    }

    /// The history's intervals inside the window.
    pub fn observed(&self, history: &[Observed]) -> Vec<Observed> {
        history.iter().copied().filter(|o| self.holds(o.start_s)).collect()
    }
}

/// The default windows: the first half of the history's days to train, the rest to test.
pub fn halves(lo: i64, hi: i64) -> Result<(Window, Window)> {
    if hi <= lo {
        return Err(Error::Input("the history covers one day: give --train and --test, or import a longer log".into()));
    }
    let mid = lo + (hi - lo + 1) / 2 - 1;
    Ok((Window { first: lo, last: mid }, Window { first: mid + 1, last: hi }))
}
