//! The `chatcap` command: parse the command line, call the library, map errors to exit codes.

mod cli;

use chatcap::calibrate::patience::Shape;
use chatcap::commands::{
    CalibrateRequest, ImportRequest, RouteRequest, RunRequest, StaffRequest, SweepRequest, calibrate, check, import,
    merge, route, run, staff, sweep,
};
use chatcap::erlang::{Query, run_query};
use clap::Parser;
use cli::{Cli, Command, ErlangModel, PatienceShape};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => run(&RunRequest {
            scenario: a.scenario,
            out: a.out,
            settings: a.settings.into(),
            conversations: a.conversations,
            record_routing: a.record_routing.clone(),
            force: a.force,
        }),
        Command::Check(a) => check(&a.scenario, &a.sets),
        Command::Sweep(a) => sweep(&SweepRequest {
            scenario: a.scenario,
            varies: a.varies,
            out: a.out,
            settings: a.settings.into(),
            shard: a.shard,
        }),
        Command::Merge(a) => merge(&a.dirs, &a.out),
        Command::Staff(a) => staff(&StaffRequest {
            scenario: a.scenario,
            targets: a.targets,
            policy: a.policy,
            out: a.out,
            settings: a.settings.into(),
            confident: a.confident,
            per_interval: a.per_interval,
            varies: a.varies,
            group: a.group,
        }),
        Command::Import(a) => import(&ImportRequest { log: a.log, mapping: a.mapping, out: a.out }),
        Command::Calibrate(a) => calibrate(&CalibrateRequest {
            scenario: a.scenario,
            history: a.history,
            train: a.train,
            test: a.test,
            out: a.out,
            jobs: a.jobs,
            sets: a.sets,
            constant_availability: a.constant_availability,
            patience_shape: match a.patience_shape {
                PatienceShape::Logged => Shape::Logged,
                PatienceShape::Exponential => Shape::Exponential,
            },
        }),
        Command::Erlang(e) => {
            let (q, patience) = match e.model {
                ErlangModel::C(q) => (q, None),
                ErlangModel::A { queue, patience } => (queue, Some(patience)),
            };
            run_query(&Query { rate_per_hour: q.rate, aht: q.aht, agents: q.agents, patience, sl: q.sl })
        }
        Command::Route(a) => return route_command(a),
    };
    match result {
        Ok(text) => match write_out(&text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                // The output is what was asked for: losing it is a failure, said on stderr if stderr still works.
                let _ = write_err(&format!("chatcap: cannot write to standard output: {e}"));
                ExitCode::from(1)
            }
        },
        Err(e) => {
            let _ = write_err(&format!("chatcap: {e}"));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// `chatcap route`: decisions go to stdout or a file as they are made, so nothing is printed after them; each
/// refused line and a closing count of them go to stderr.
fn route_command(a: cli::RouteArgs) -> ExitCode {
    let request =
        RouteRequest { config: a.config, input: a.input, output: a.output, policy: a.policy, strict: a.strict };
    let mut refused = |line: &str| {
        let _ = write_err(&format!("chatcap route: {line}"));
    };
    match route(&request, &mut refused) {
        Ok(counts) => {
            if counts.refused > 0 {
                let _ = write_err(&format!(
                    "chatcap route: {} of {} event lines skipped",
                    counts.refused,
                    counts.refused + counts.events
                ));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = write_err(&format!("chatcap route: {e}"));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Writes the command's text to stdout, ending in a newline; a closed or full stream is an error, not a panic.
fn write_out(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Writes one line to stderr; the caller ignores a failure, as there is nowhere left to report it.
fn write_err(line: &str) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    writeln!(err, "{line}")?;
    err.flush()
}
