//! The `chatcap` command: parse the command line, call the library, map errors to exit codes.

mod cli;

use chatcap::commands::{
    CalibrateRequest, ImportRequest, RunRequest, StaffRequest, SweepRequest, calibrate, check, import, merge, run,
    staff, sweep,
};
use chatcap::erlang::{Query, run_query};
use clap::Parser;
use cli::{Cli, Command, ErlangModel};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => run(&RunRequest {
            scenario: a.scenario,
            out: a.out,
            settings: a.settings.into(),
            conversations: a.conversations,
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
        }),
        Command::Erlang(e) => {
            let (q, patience) = match e.model {
                ErlangModel::C(q) => (q, None),
                ErlangModel::A { queue, patience } => (queue, Some(patience)),
            };
            run_query(&Query { rate_per_hour: q.rate, aht: q.aht, agents: q.agents, patience, sl: q.sl })
        }
    };
    match result {
        Ok(text) => {
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("chatcap: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
