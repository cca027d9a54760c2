//! Per-conversation records in arrival order, handed on as soon as the order allows.
//!
//! `conversations.csv` lists each replication's conversations by arrival (then id), but they finish in another
//! order: a conversation that waits a day is finished long after hundreds that arrived behind it. The log knows
//! which measured conversations are still open; a finished record is released once every conversation that
//! arrived before it has been released, so it holds only the finished records still waiting behind an
//! earlier-arriving open one (at most the conversations that arrived during the longest-lived open one), not the
//! whole run's history. Released records go to memory (for `staff` and `calibrate`, which read them) or to a
//! file (for `chatcap run`, see [`RecordFile`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::run::{ConversationRecord, Outcome};
use crate::hours::Origin;
use crate::report::Cell;
use crate::report::csv::cell_text;
use crate::routing::{ConversationId, EndReason, Millis};
use crate::{Error, Result};

/// The order of `conversations.csv` within a replication: arrival, then id.
type Key = (Millis, ConversationId);

/// Where released records go.
#[derive(Debug)]
enum Sink {
    /// Kept in memory, in order.
    Keep(Vec<ConversationRecord>),
    /// Written to a file as CSV rows; shared so the caller can finish the file after the run.
    Stream(Arc<Mutex<RecordFile>>),
}

/// Measured conversations of one run, released in arrival order.
#[derive(Debug)]
pub struct ConversationLog {
    /// Measured conversations still open.
    open: BTreeSet<Key>,
    /// Finished records waiting for an earlier-arriving open conversation.
    waiting: BTreeMap<Key, ConversationRecord>,
    /// The most records [`ConversationLog::waiting`] ever held.
    most_waiting: usize,
    sink: Sink,
}

impl Default for ConversationLog {
    fn default() -> ConversationLog {
        ConversationLog::keep()
    }
}

impl ConversationLog {
    /// A log whose records are kept in memory.
    pub fn keep() -> ConversationLog {
        ConversationLog::with_sink(Sink::Keep(Vec::new()))
    }

    /// A log whose records are written to `file` as they are released.
    pub fn stream(file: Arc<Mutex<RecordFile>>) -> ConversationLog {
        ConversationLog::with_sink(Sink::Stream(file))
    }

    fn with_sink(sink: Sink) -> ConversationLog {
        ConversationLog { open: BTreeSet::new(), waiting: BTreeMap::new(), most_waiting: 0, sink }
    }

    /// A measured conversation arrived at `at`.
    pub fn opened(&mut self, conversation: ConversationId, at: Millis) {
        self.open.insert((at, conversation));
    }

    /// A measured conversation reached its outcome (or the run stopped with it open).
    pub fn finished(&mut self, record: ConversationRecord) {
        let key = (record.arrived_at, record.conversation);
        self.open.remove(&key);
        if self.open.first().is_some_and(|first| *first < key) {
            self.waiting.insert(key, record);
            self.most_waiting = self.most_waiting.max(self.waiting.len());
            return;
        }
        // It was the earliest open one, so it comes before every waiting record (each waits behind an open one).
        self.release(record);
        while let Some(entry) = self.waiting.first_entry() {
            if self.open.first().is_some_and(|first| first < entry.key()) {
                break;
            }
            let record = entry.remove();
            self.release(record);
        }
    }

    fn release(&mut self, record: ConversationRecord) {
        match &mut self.sink {
            Sink::Keep(all) => all.push(record),
            Sink::Stream(file) => file.lock().unwrap_or_else(|e| e.into_inner()).write(&record),
        }
    }

    /// The most finished records held at once, waiting for an earlier arrival to finish.
    pub fn most_waiting(&self) -> usize {
        self.most_waiting
    }

    /// The records kept in memory, in arrival order (none when streamed). Every conversation must have finished.
    pub fn into_records(self) -> Vec<ConversationRecord> {
        debug_assert!(self.open.is_empty() && self.waiting.is_empty(), "every conversation was finished");
        match self.sink {
            Sink::Keep(all) => all,
            Sink::Stream(file) => {
                file.lock().unwrap_or_else(|e| e.into_inner()).most_waiting = self.most_waiting;
                Vec::new()
            }
        }
    }
}

/// One run's `conversations.csv` rows (no header), written to a temporary file as the run releases them.
#[derive(Debug)]
pub struct RecordFile {
    path: PathBuf,
    writer: ::csv::Writer<std::io::BufWriter<std::fs::File>>,
    policy: String,
    replication: usize,
    origin: Origin,
    /// The first write error: reported by [`RecordFile::finish`] rather than stopping the run.
    error: Option<String>,
    /// The most records the run held back at once (see [`ConversationLog::most_waiting`]).
    pub most_waiting: usize,
}

impl RecordFile {
    /// Creates `path` for replication `replication` (from 1) of `policy`.
    pub fn create(path: &Path, policy: &str, replication: usize, origin: Origin) -> Result<RecordFile> {
        let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
        let writer = ::csv::WriterBuilder::new().flexible(false).from_writer(std::io::BufWriter::new(file));
        Ok(RecordFile {
            path: path.to_path_buf(),
            writer,
            policy: policy.to_string(),
            replication,
            origin,
            error: None,
            most_waiting: 0,
        })
    }

    fn write(&mut self, record: &ConversationRecord) {
        if self.error.is_some() {
            return;
        }
        let row = conversation_row(&self.policy, self.replication, record, self.origin);
        if let Err(e) = self.writer.write_record(row.iter().map(cell_text)) {
            self.error = Some(e.to_string());
        }
    }

    /// Flushes the file; the first error met while writing, if any.
    pub fn finish(&mut self) -> Result<()> {
        if let Some(e) = self.error.take() {
            return Err(Error::Other(format!("{}: {e}", self.path.display())));
        }
        self.writer.flush().map_err(|e| Error::io(&self.path, e))
    }
}

/// The columns of `conversations.csv`.
pub const COLUMNS: [&str; 9] =
    ["policy", "replication", "conversation", "customer", "arrival", "recontact", "outcome", "queue_wait_s", "ended"];

/// One row of `conversations.csv`.
pub fn conversation_row(policy: &str, replication: usize, c: &ConversationRecord, origin: Origin) -> Vec<Cell> {
    let outcome = match c.outcome {
        Outcome::Refused => "refused",
        Outcome::Abandoned => "abandoned",
        Outcome::Closed(EndReason::Resolved) => "resolved",
        Outcome::Closed(EndReason::CustomerIdle) => "ended_idle",
        Outcome::Closed(EndReason::CustomerEnded) => "ended_by_customer",
        Outcome::Closed(EndReason::AutoClosed) => "auto_closed",
        Outcome::Closed(EndReason::Overflowed) => "overflowed",
        Outcome::Open => "still_open",
    };
    let wait = match (c.outcome, c.assigned_at) {
        (_, Some(at)) => Cell::Num((at - c.arrived_at).as_secs_f64()),
        (Outcome::Abandoned, None) => Cell::Num((c.ended_at - c.arrived_at).as_secs_f64()),
        _ => Cell::Empty,
    };
    vec![
        Cell::Text(policy.to_string()),
        Cell::Num(replication as f64),
        Cell::Num(c.conversation.0 as f64),
        Cell::Num(c.customer as f64),
        Cell::Text(origin.format(c.arrived_at)),
        Cell::Num(f64::from(u8::from(c.recontact))),
        Cell::Text(outcome.into()),
        wait,
        Cell::Text(origin.format(c.ended_at)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: u64, arrived: u64, ended: u64) -> ConversationRecord {
        ConversationRecord {
            conversation: ConversationId(id),
            customer: id,
            arrived_at: Millis(arrived),
            assigned_at: None,
            recontact: false,
            outcome: Outcome::Closed(EndReason::Resolved),
            ended_at: Millis(ended),
        }
    }

    #[test]
    fn records_leave_in_arrival_order_holding_only_those_behind_an_open_one() {
        let mut log = ConversationLog::keep();
        for (id, at) in [(1, 10), (2, 20), (3, 20), (4, 30)] {
            log.opened(ConversationId(id), Millis(at));
        }
        log.finished(record(3, 20, 25));
        log.finished(record(4, 30, 35));
        assert_eq!(log.waiting.len(), 2, "both wait for conversation 1");
        log.finished(record(1, 10, 40));
        assert_eq!(log.waiting.len(), 2, "3 and 4 still wait for 2, which arrived with 3 and has a smaller id");
        log.finished(record(2, 20, 50));
        assert_eq!(log.most_waiting(), 2);
        let ids: Vec<u64> = log.into_records().iter().map(|r| r.conversation.0).collect();
        assert_eq!(ids, [1, 2, 3, 4]);
    }

    #[test]
    fn in_order_finishes_hold_nothing() {
        let mut log = ConversationLog::keep();
        for id in 0..100 {
            log.opened(ConversationId(id), Millis(id));
            log.finished(record(id, id, id + 1));
        }
        assert_eq!(log.most_waiting(), 0);
        assert_eq!(log.into_records().len(), 100);
    }
}
