//! `chatcap route`: run one policy's routing set-up as a router over an event file, writing its decisions.

use crate::report::atomic::Staging;
use crate::route::{Counts, Driver, run};
use crate::scenario::load;
use crate::{Error, Result};
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// What `chatcap route` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct RouteRequest {
    /// The scenario whose routing set-up to run.
    pub config: PathBuf,
    /// The event lines; standard input when absent or `-`.
    pub input: Option<PathBuf>,
    /// Where the decision lines go; standard output when absent or `-`. A file appears only when complete.
    pub output: Option<PathBuf>,
    /// The policy whose set-up to run; needed when the scenario has several.
    pub policy: Option<String>,
    /// Stop at the first refused line (exit 2) instead of skipping it.
    pub strict: bool,
}

/// Routes the events, passing each refused line's message (`SOURCE:LINE: problem`) to `refused`.
pub fn route(request: &RouteRequest, refused: &mut dyn FnMut(&str)) -> Result<Counts> {
    let scenario = load(&request.config, &[])?;
    let names: Vec<&str> = scenario.policies.iter().map(|p| p.name.as_str()).collect();
    let policy = match &request.policy {
        Some(name) => scenario.policies.iter().find(|p| &p.name == name).ok_or_else(|| {
            Error::Input(format!("--policy {name}: no policy has that name (policies: {})", names.join(", ")))
        })?,
        None if scenario.policies.len() == 1 => &scenario.policies[0],
        None => {
            return Err(Error::Input(format!(
                "{}: the scenario has {} policies ({}): choose one with --policy NAME",
                request.config.display(),
                names.len(),
                names.join(", ")
            )));
        }
    };
    let mut driver = Driver::for_policy(&scenario, policy);
    let input = request.input.as_deref().filter(|p| *p != Path::new("-"));
    let source = input.map_or("<stdin>".to_string(), |p| p.display().to_string());
    let mut go = |output: &mut dyn Write| -> Result<Counts> {
        let mut output = output;
        match input {
            Some(path) => {
                let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
                run(&mut driver, BufReader::with_capacity(1 << 16, file), &mut output, &source, request.strict, refused)
            }
            None => run(&mut driver, std::io::stdin().lock(), &mut output, &source, request.strict, refused),
        }
    };
    match request.output.as_deref().filter(|p| *p != Path::new("-")) {
        None => go(&mut std::io::stdout().lock()),
        Some(dest) => {
            let mut staging = Staging::new();
            let mut counts = Counts::default();
            staging.write_with(dest, |tmp| {
                let file = std::fs::File::create(tmp).map_err(|e| Error::io(tmp, e))?;
                let mut writer = BufWriter::new(file);
                counts = go(&mut writer)?;
                let file = writer.into_inner().map_err(|e| Error::io(tmp, e.into_error()))?;
                file.sync_all().map_err(|e| Error::io(tmp, e))
            })?;
            staging.commit()?;
            Ok(counts)
        }
    }
}
