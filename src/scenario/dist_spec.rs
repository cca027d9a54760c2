//! Distribution tables of the scenario file turned into samplers, with errors naming the exact key.
//!
//! Each distribution takes exactly its own parameters: `constant {value}`, `exponential {mean}`,
//! `lognormal {mean, sd}`, `gamma {mean, sd}`, `uniform {min, max}`, `empirical {file}` for durations, and
//! `constant {value}`, `geometric {mean}`, `uniform {min, max}`, `empirical {file}` for counts. A parameter
//! that does not belong to the chosen distribution is an error rather than silently ignored.

use super::check::{Checker, TEN_YEARS};
use super::dist::{CountDist, Dist, DistError};
use super::error::Problem;
use super::raw::{RawCountDist, RawDist};
use super::trace::read_numbers;
use crate::routing::Millis;
use crate::{Error, Result};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The largest count a count distribution may produce or average.
const MAX_COUNT: i64 = 10_000;

/// A duration distribution at `key`.
pub fn duration_dist(c: &Checker<'_>, raw: &Spanned<RawDist>, key: &str) -> Result<Dist> {
    let table = raw.span();
    let r = raw.get_ref();
    let name = c.required(&r.dist, &table, &format!("{key}.dist"), "dist = \"lognormal\"")?;
    let kind = c.choice(
        name,
        &format!("{key}.dist"),
        &[
            ("constant", "constant"),
            ("exponential", "exponential"),
            ("lognormal", "lognormal"),
            ("gamma", "gamma"),
            ("uniform", "uniform"),
            ("empirical", "empirical"),
        ],
    )?;
    let present = [
        ("value", r.value.as_ref().map(Spanned::span)),
        ("mean", r.mean.as_ref().map(Spanned::span)),
        ("sd", r.sd.as_ref().map(Spanned::span)),
        ("min", r.min.as_ref().map(Spanned::span)),
        ("max", r.max.as_ref().map(Spanned::span)),
        ("file", r.file.as_ref().map(Spanned::span)),
    ];
    let takes: &[&str] = match kind {
        "constant" => &["value"],
        "exponential" => &["mean"],
        "lognormal" | "gamma" => &["mean", "sd"],
        "uniform" => &["min", "max"],
        _ => &["file"],
    };
    only(c, &present, takes, kind, key)?;
    let k = |p: &str| format!("{key}.{p}");
    let positive = Millis(1);
    let ex_mean = "mean = \"40s\"";
    let fail = |e: DistError| c.src.error(&table, key, e);
    match kind {
        "constant" => {
            let v = c.required(&r.value, &table, &k("value"), "value = \"30s\"")?;
            Ok(Dist::constant(c.duration(v, &k("value"), Millis::ZERO, TEN_YEARS)?))
        }
        "exponential" => {
            let m = c.duration(c.required(&r.mean, &table, &k("mean"), ex_mean)?, &k("mean"), positive, TEN_YEARS)?;
            Dist::exponential(m).map_err(fail)
        }
        "lognormal" | "gamma" => {
            let m = c.duration(c.required(&r.mean, &table, &k("mean"), ex_mean)?, &k("mean"), positive, TEN_YEARS)?;
            let s = c.duration(c.required(&r.sd, &table, &k("sd"), "sd = \"30s\"")?, &k("sd"), positive, TEN_YEARS)?;
            if kind == "lognormal" { Dist::lognormal(m, s) } else { Dist::gamma(m, s) }.map_err(fail)
        }
        "uniform" => {
            let lo = c.required(&r.min, &table, &k("min"), "min = \"10s\"")?;
            let hi = c.required(&r.max, &table, &k("max"), "max = \"50s\"")?;
            let lo_v = c.duration(lo, &k("min"), Millis::ZERO, TEN_YEARS)?;
            let hi_v = c.duration(hi, &k("max"), Millis::ZERO, TEN_YEARS)?;
            Dist::uniform(lo_v, hi_v).map_err(|e| c.src.error(&hi.span(), &k("max"), e))
        }
        _ => {
            let f = c.required(&r.file, &table, &k("file"), "file = \"reply-times.csv\"")?;
            let path = c.data_file(f, &k("file"))?;
            let values = samples(c, f, &k("file"), &path)?;
            if let Some((line, v)) = values.iter().find(|(_, v)| *v < 0.0 || *v > TEN_YEARS.as_secs_f64()) {
                return Err(named_by(
                    c,
                    f,
                    &k("file"),
                    format!("{}:{line}: {v} is not a duration in seconds (0 or more)", path.display()),
                ));
            }
            Dist::empirical(path, values.into_iter().map(|x| x.1).collect()).map_err(fail)
        }
    }
}

/// A count distribution at `key` (counts are at least 1).
pub fn count_dist(c: &Checker<'_>, raw: &Spanned<RawCountDist>, key: &str) -> Result<CountDist> {
    let table = raw.span();
    let r = raw.get_ref();
    let name = c.required(&r.dist, &table, &format!("{key}.dist"), "dist = \"geometric\"")?;
    let kind = c.choice(
        name,
        &format!("{key}.dist"),
        &[("constant", "constant"), ("geometric", "geometric"), ("uniform", "uniform"), ("empirical", "empirical")],
    )?;
    let present = [
        ("value", r.value.as_ref().map(Spanned::span)),
        ("mean", r.mean.as_ref().map(Spanned::span)),
        ("min", r.min.as_ref().map(Spanned::span)),
        ("max", r.max.as_ref().map(Spanned::span)),
        ("file", r.file.as_ref().map(Spanned::span)),
    ];
    let takes: &[&str] = match kind {
        "constant" => &["value"],
        "geometric" => &["mean"],
        "uniform" => &["min", "max"],
        _ => &["file"],
    };
    only(c, &present, takes, kind, key)?;
    let k = |p: &str| format!("{key}.{p}");
    let fail = |e: DistError| c.src.error(&table, key, e);
    match kind {
        "constant" => {
            let v = c.required(&r.value, &table, &k("value"), "value = 1")?;
            Ok(CountDist::constant(c.whole(v, &k("value"), 1, MAX_COUNT)? as u32))
        }
        "geometric" => {
            let m = c.required(&r.mean, &table, &k("mean"), "mean = 2")?;
            let mean =
                c.number(m, &k("mean"), 1.0, MAX_COUNT as f64, "a number from 1 to 10000 (counts start at 1)")?;
            CountDist::geometric(mean).map_err(fail)
        }
        "uniform" => {
            let lo = c.required(&r.min, &table, &k("min"), "min = 1")?;
            let hi = c.required(&r.max, &table, &k("max"), "max = 4")?;
            let lo_v = c.whole(lo, &k("min"), 1, MAX_COUNT)? as u32;
            let hi_v = c.whole(hi, &k("max"), 1, MAX_COUNT)? as u32;
            CountDist::uniform(lo_v, hi_v).map_err(|e| c.src.error(&hi.span(), &k("max"), e))
        }
        _ => {
            let f = c.required(&r.file, &table, &k("file"), "file = \"sessions.csv\"")?;
            let path = c.data_file(f, &k("file"))?;
            let mut counts = Vec::new();
            for (line, v) in samples(c, f, &k("file"), &path)? {
                if v.fract() != 0.0 || v < 1.0 || v > MAX_COUNT as f64 {
                    return Err(named_by(
                        c,
                        f,
                        &k("file"),
                        format!("{}:{line}: {v} is not a whole number from 1 to {MAX_COUNT}", path.display()),
                    ));
                }
                counts.push(v as u32);
            }
            CountDist::empirical(path, counts).map_err(fail)
        }
    }
}

/// The samples of an empirical file, with any error in it also naming the key that points to it.
fn samples(c: &Checker<'_>, file: &Spanned<String>, key: &str, path: &Path) -> Result<Vec<(u64, f64)>> {
    read_numbers(path).map_err(|e| match e {
        Error::Input(m) => named_by(c, file, key, m),
        other => other,
    })
}

/// `what`, followed by the scenario line and key that name the file: `reply.csv:4: "x" is not a number (read
/// for scenarios/a.toml:23: agents.reply.file)`.
fn named_by(c: &Checker<'_>, file: &Spanned<String>, key: &str, what: String) -> Error {
    c.src.error(&file.span(), key, Problem::DataFile(what))
}

/// Rejects parameters that the chosen distribution does not take.
fn only(
    c: &Checker<'_>,
    present: &[(&str, Option<Range<usize>>)],
    takes: &[&str],
    kind: &str,
    key: &str,
) -> Result<()> {
    for (name, span) in present {
        if let Some(span) = span
            && !takes.contains(name)
        {
            return Err(c.src.error(
                span,
                &format!("{key}.{name}"),
                format!(
                    "{} {kind} distribution takes only {}",
                    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" },
                    takes.join(" and ")
                ),
            ));
        }
    }
    Ok(())
}
