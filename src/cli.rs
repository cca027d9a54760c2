//! The command line, as clap definitions and nothing else.

use chatcap::commands::Settings;
use chatcap::routing::Millis;
use chatcap::scenario::parse_duration;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// chatcap: how many chat agents, which routing policy. Simulates live and persistent chat.
#[derive(Debug, Parser)]
#[command(name = "chatcap", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate every policy of a scenario and write summary.csv, intervals.csv, plots and report.html.
    Run(RunArgs),
    /// Validate a scenario (and overrides) without running it.
    Check(CheckArgs),
    /// Erlang C or Erlang A: the textbook answer for a single-chat, single-message queue.
    Erlang(ErlangArgs),
    /// Run a scenario over a grid of values (--vary) and write sweep.csv, paired.csv, plots and report.html.
    Sweep(SweepArgs),
    /// Join the output folders of a sharded sweep into the folder one machine would have written.
    Merge(MergeArgs),
    /// Find the fewest agents meeting every --target, per policy (and per --vary point); write staff.csv.
    Staff(StaffArgs),
    /// Turn a contact log (CSV/TSV, any layout, described by a mapping file) into a trace, schedule and history.
    Import(ImportArgs),
    /// Fit what a log cannot show on a training window, test on another; write calibration.csv and a verdict.
    Calibrate(CalibrateArgs),
    /// Run one policy's routing set-up as a router: event lines (JSON) in, decision lines out.
    Route(RouteArgs),
}

/// `chatcap route`.
#[derive(Debug, Args)]
pub struct RouteArgs {
    /// The scenario whose routing set-up (workstreams, queues, groups, offers) to run.
    pub config: PathBuf,
    /// Event lines, one JSON object each (docs/route-events.schema.json) [default: standard input].
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Where to write the decision lines (docs/route-decisions.schema.json) [default: standard output].
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The policy whose set-up to run [default: the scenario's only policy].
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
    /// Stop at the first line that cannot be taken (exit 2) instead of reporting and skipping it.
    #[arg(long)]
    pub strict: bool,
}

/// `chatcap import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The contact log (CSV or TSV, header row first).
    pub log: PathBuf,
    /// The mapping file (TOML) saying which column means what; see examples/bank_log/mapping.toml.
    #[arg(long = "map", value_name = "MAPPING")]
    pub mapping: PathBuf,
    /// Output folder: trace.csv, schedule.csv, history.csv, scenario.toml.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// `chatcap calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// The scenario to calibrate (e.g. DIR/scenario.toml from `chatcap import`).
    pub scenario: PathBuf,
    /// The folder `chatcap import` wrote.
    #[arg(long, value_name = "DIR")]
    pub history: PathBuf,
    /// Training window, dates included: YYYY-MM-DD..YYYY-MM-DD [default: first half of the history].
    #[arg(long, value_name = "FROM..TO")]
    pub train: Option<String>,
    /// Test window, dates included [default: second half of the history].
    #[arg(long, value_name = "FROM..TO")]
    pub test: Option<String>,
    /// Output folder [default: output/<scenario file name>-calibration/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads [default: all cores].
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub jobs: usize,
    /// Override a scenario key before fitting, e.g. --set replications=10.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Fit one availability for the whole day instead of one per busy hour of day.
    #[arg(long)]
    pub constant_availability: bool,
    /// How patience depends on time already waited: one exponential, or the hazard by wait the log shows.
    #[arg(long, value_enum, value_name = "SHAPE", default_value_t = PatienceShape::Exponential)]
    pub patience_shape: PatienceShape,
}

/// `--patience-shape`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PatienceShape {
    /// One constant hazard: the log's maximum-likelihood exponential.
    Exponential,
    /// The hazard of giving up by time waited, piece by piece, from the training window.
    Logged,
}

/// `chatcap staff`.
#[derive(Debug, Args)]
pub struct StaffArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// A goal over a summary column: METRIC>=X or METRIC<=X, e.g. service_level>=0.8; on a routing set-up also
    /// workstream.NAME.METRIC or queue.NAME.METRIC, e.g. queue.french.service_level>=0.8; repeat for several.
    #[arg(long = "target", value_name = "EXPR", required = true)]
    pub targets: Vec<String>,
    /// Only this policy [default: every policy].
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
    /// On a routing set-up, the agent group to staff (the others keep their written headcount) [default: the only
    /// group].
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    /// Output folder [default: output/<scenario file name>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed, replications, threads, overrides, progress.
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Targets must hold on the pessimistic end of the 95% interval, not only on the mean.
    #[arg(long)]
    pub confident: bool,
    /// Also find a headcount per interval of the week, written as a schedule file and staff-week.csv.
    #[arg(long)]
    pub per_interval: bool,
    /// Staff again at every value of a key: KEY=a,b,c or KEY=lo..hi or KEY=lo..hi:step, as sweep; repeat for a grid.
    #[arg(long = "vary", value_name = "KEY=SPEC")]
    pub varies: Vec<String>,
}

/// `chatcap sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// A key and its values: KEY=a,b,c or KEY=lo..hi or KEY=lo..hi:step (numbers or durations); repeat for a grid.
    #[arg(long = "vary", value_name = "KEY=SPEC", required = true)]
    pub varies: Vec<String>,
    /// Output folder [default: output/<scenario file name>-sweep/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed, replications, threads, overrides, progress.
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Run only shard K of N of the grid (points i with i % N = K-1); auto reads Slurm or Kubernetes variables.
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,
}

/// `chatcap merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard output folders.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Where to write the merged sweep.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// `chatcap run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Output folder [default: output/<scenario file name>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed, replications, threads, overrides, progress.
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Also write conversations.csv, one row per measured conversation.
    #[arg(long)]
    pub conversations: bool,
    /// Write each policy's and replication's router inputs and decisions as JSON lines in DIR (replay the
    /// inputs with `chatcap route` to get the same decisions)
    #[arg(long, value_name = "DIR")]
    pub record_routing: Option<PathBuf>,
    /// Run even when `chatcap check`'s estimate of the work passes its limits.
    #[arg(long)]
    pub force: bool,
}

/// The options every simulating command takes.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Replace the scenario's seed (0 to 9223372036854775807, as the scenario's `seed`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Replace the scenario's number of replications.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub replications: Option<u32>,
    /// Worker threads [default: all cores]; at most 1024, and more than 4 per core are not started.
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true,
          value_parser = clap::value_parser!(u32).range(0..=MAX_JOBS))]
    pub jobs: u32,
    /// Override a scenario key (at every point of a sweep), e.g. --set agents.count=30 or
    /// --set policy.persistent.park_after_idle=5m.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// No progress display.
    #[arg(long)]
    pub quiet: bool,
}

/// The largest `--jobs` accepted: anything more is a typo (threads beyond the cores only add overhead).
const MAX_JOBS: i64 = 1024;

/// Threads actually started for `--jobs N`: at most 4 per core, since more only cost time to start and switch
/// (the outputs are the same for any number of threads).
fn capped_jobs(jobs: u32) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    (jobs as usize).min(4 * cores)
}

impl From<SettingsArgs> for Settings {
    fn from(a: SettingsArgs) -> Settings {
        let jobs = capped_jobs(a.jobs);
        Settings { seed: a.seed, replications: a.replications, jobs, sets: a.sets, quiet: a.quiet }
    }
}

/// `chatcap check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Override a scenario key, as with `run`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
}

/// `chatcap erlang c|a`.
#[derive(Debug, Args)]
pub struct ErlangArgs {
    /// Which model.
    #[command(subcommand)]
    pub model: ErlangModel,
}

/// Erlang C (customers wait forever) or Erlang A (customers abandon).
#[derive(Debug, Subcommand)]
pub enum ErlangModel {
    /// Erlang C (M/M/c): probability of waiting, mean wait, service level, occupancy.
    C(QueueArgs),
    /// Erlang A (M/M/c+M): the same with exponential patience, plus abandonment.
    A {
        /// The queue.
        #[command(flatten)]
        queue: QueueArgs,
        /// Mean patience before a customer abandons, e.g. 4m.
        #[arg(long, value_name = "DURATION", value_parser = duration)]
        patience: Millis,
    },
}

/// The queue the Erlang formulas describe.
#[derive(Debug, Args)]
pub struct QueueArgs {
    /// Arrivals per hour.
    #[arg(long, value_name = "PER_HOUR")]
    pub rate: f64,
    /// Average handling time, e.g. 180s or 4m.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub aht: Millis,
    /// Number of agents.
    #[arg(long, value_name = "N")]
    pub agents: u32,
    /// Service level threshold.
    #[arg(long, value_name = "DURATION", value_parser = duration, default_value = "20s")]
    pub sl: Millis,
}

fn duration(text: &str) -> Result<Millis, String> {
    parse_duration(text).map_err(|e| e.to_string())
}
