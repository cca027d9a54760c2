//! `chatcap run --record-routing DIR`: every router input the simulation sends, and every decision it acts on,
//! written as the JSON lines `chatcap route` reads and writes.
//!
//! Replaying a run's `events.jsonl` through `chatcap route` gives its `decisions.jsonl` back, line for line: the
//! simulation runs the same routing core a platform would run. Timers are recorded as `timer_fired` events (the
//! simulator fires them itself), so a replay needs no `tick`.

use crate::route::{Agents, Conversations, DecisionWriter as Writer, Names, write_event};
use crate::routing::{Effect, Input, Millis};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// One run's recording.
pub struct Recorder {
    names: Names,
    conversations: Conversations,
    agents: Agents,
    events: BufWriter<File>,
    decisions: BufWriter<File>,
    line: Vec<u8>,
    /// The first write error, reported when the run ends.
    error: Option<(PathBuf, std::io::Error)>,
    paths: (PathBuf, PathBuf),
}

impl Recorder {
    /// Files `DIR/POLICY-REPLICATION.events.jsonl` and `.decisions.jsonl` (replication from 1).
    pub fn create(dir: &Path, policy: &crate::scenario::PolicySpec, replication: u32) -> crate::Result<Recorder> {
        let stem = format!("{}-{}", policy.name, replication + 1);
        let events_path = dir.join(format!("{stem}.events.jsonl"));
        let decisions_path = dir.join(format!("{stem}.decisions.jsonl"));
        let open = |p: &Path| File::create(p).map(BufWriter::new).map_err(|e| crate::Error::io(p, e));
        Ok(Recorder {
            names: Names::of(policy),
            conversations: Conversations::default(),
            agents: Agents::default(),
            events: open(&events_path)?,
            decisions: open(&decisions_path)?,
            line: Vec::new(),
            error: None,
            paths: (events_path, decisions_path),
        })
    }

    /// Records one input and the decisions the router made on it.
    pub fn record(&mut self, at: Millis, input: &Input, effects: &[Effect]) {
        self.line.clear();
        write_event(at, input, &self.names, &mut self.line);
        if let Err(e) = self.events.write_all(&self.line) {
            self.error.get_or_insert((self.paths.0.clone(), e));
        }
        self.line.clear();
        let writer = Writer { names: &self.names, conversations: &self.conversations, agents: &self.agents };
        for effect in effects {
            writer.write(at, effect, &mut self.line);
        }
        if let Err(e) = self.decisions.write_all(&self.line) {
            self.error.get_or_insert((self.paths.1.clone(), e));
        }
    }

    /// Flushes both files; the first error of the run, if any.
    pub fn finish(mut self) -> crate::Result<()> {
        if let Some((path, e)) = self.error.take() {
            return Err(crate::Error::io(&path, e));
        }
        self.events.flush().map_err(|e| crate::Error::io(&self.paths.0, e))?;
        self.decisions.flush().map_err(|e| crate::Error::io(&self.paths.1, e))
    }
}
