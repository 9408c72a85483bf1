//! The `lanes-bench/1` JSON (docs/bench-schema.md), typed once: what
//! `cargo xtask bench` writes and what the playground exports, read back by
//! the playground's import and by anyone comparing two runs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::protocol::{Environment, RunInfo, RunRequest, RunSummary, Rung, VariantResult};
use lanes_kernels::Variant;

pub const SCHEMA: &str = "lanes-bench/1";

/// Which problem a record measured.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ProblemKey {
    pub op: String,
    pub strategy: String,
    pub dtype: String,
    pub shape: Vec<usize>,
}

impl ProblemKey {
    /// The problem a run measures.
    pub fn of(info: &RunInfo) -> ProblemKey {
        ProblemKey {
            op: info.op.clone(),
            strategy: info.strategy.clone(),
            dtype: info.dtype.clone(),
            shape: info.shape.clone(),
        }
    }

    /// `3162x3162`.
    pub fn shape_text(&self) -> String {
        let dims: Vec<String> = self.shape.iter().map(usize::to_string).collect();
        dims.join("x")
    }
}

/// The threads a rung ran on, in a run that gave `simd-threads` `threads`.
pub fn threads_of(rung: Rung, threads: usize) -> usize {
    if rung == Rung::Wasm(Variant::SimdThreads) {
        threads
    } else {
        1
    }
}

/// One measured rung of one problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchRecord {
    #[serde(flatten)]
    pub problem: ProblemKey,
    pub threads: usize,
    pub unit: String,
    /// The harness's overhead per loop; `null` in an export of a run
    /// stopped before the worker measured it.
    pub noop_ns_per_loop: Option<f64>,
    #[serde(flatten)]
    pub result: VariantResult,
    /// `cargo xtask bench`: how many passes measured the row; the record is
    /// the pass with the best `min_ns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passes: Option<usize>,
    /// `--numpy`: the same variant natively, and its time over this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_ns: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vs_native: Option<f64>,
    /// `--numpy`: NumPy's time of the problem, its form, and its time over
    /// this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numpy_ns: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numpy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vs_numpy: Option<f64>,
}

impl BenchRecord {
    /// A record of `result`, one of `summary`'s rungs.
    pub fn new(summary: &RunSummary, result: &VariantResult) -> BenchRecord {
        BenchRecord::of(&summary.info, Some(summary.noop_ns_per_loop), result)
    }

    /// A record of `result`, a rung of the run `info` describes, with the
    /// harness overhead if it was measured (a stopped run's may not be).
    pub fn of(
        info: &RunInfo,
        noop_ns_per_loop: Option<f64>,
        result: &VariantResult,
    ) -> BenchRecord {
        BenchRecord {
            problem: ProblemKey::of(info),
            threads: threads_of(result.variant, info.threads),
            unit: info.unit.clone(),
            noop_ns_per_loop,
            result: result.clone(),
            passes: None,
            native_ns: None,
            vs_native: None,
            numpy_ns: None,
            numpy: None,
            vs_numpy: None,
        }
    }

    /// What makes a row of a report: the problem, the rung, its threads.
    pub fn row(&self) -> (&ProblemKey, Rung, usize) {
        (&self.problem, self.result.variant, self.threads)
    }
}

/// A rung cut short (Stop, a worker that crashed): the samples that came.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartialRecord {
    #[serde(flatten)]
    pub problem: ProblemKey,
    pub variant: Rung,
    pub threads: usize,
    pub unit: String,
    pub samples_ns: Vec<f64>,
    /// Always true: what tells a reader there are no statistics.
    pub partial: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Record {
    Measured(Box<BenchRecord>),
    Partial(PartialRecord),
}

/// What did not measure: a rung refused (a wrong result, no memory), or a
/// whole request the worker refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Failed {
    Rung {
        #[serde(flatten)]
        problem: ProblemKey,
        variant: Option<Rung>,
        message: String,
    },
    Request {
        /// The request, where the runner said which (the browser's does).
        request: Option<RunRequest>,
        message: String,
    },
}

/// A file the page fetched, as served and gzipped (`-9`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileSize {
    pub raw: u64,
    pub gzip: u64,
}

/// The page's loading (the browser bench's first pass): milliseconds from
/// navigation to a usable Run button, fresh and reloaded, and every file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Load {
    pub first_ms: f64,
    pub warm_ms: Vec<f64>,
    pub files: BTreeMap<String, FileSize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    pub schema: String,
    pub env: Option<Environment>,
    pub records: Vec<Record>,
    pub failed: Vec<Failed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<Load>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numpy_version: Option<String>,
    /// `--numpy` with the python rung: the version of the native CPython
    /// that timed the rung's code beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpython_version: Option<String>,
    /// `cargo xtask bench`: the CPU model of the machine it ran on (as
    /// `lscpu` names it), and its logical CPUs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
}

impl BenchReport {
    pub fn new(env: Option<Environment>) -> BenchReport {
        BenchReport {
            schema: SCHEMA.into(),
            env,
            records: Vec::new(),
            failed: Vec::new(),
            load: None,
            numpy_version: None,
            cpython_version: None,
            cpu: None,
        }
    }

    /// Adds a finished run: a record per measured rung, and its refusals.
    pub fn add(&mut self, summary: &RunSummary) {
        for r in &summary.results {
            self.records
                .push(Record::Measured(Box::new(BenchRecord::new(summary, r))));
        }
        for (rung, message) in &summary.failed {
            self.failed.push(Failed::Rung {
                problem: ProblemKey::of(&summary.info),
                variant: Some(*rung),
                message: message.clone(),
            });
        }
    }

    pub fn measured(&self) -> impl Iterator<Item = &BenchRecord> {
        self.records.iter().filter_map(|r| match r {
            Record::Measured(m) => Some(&**m),
            Record::Partial(_) => None,
        })
    }

    pub fn measured_mut(&mut self) -> impl Iterator<Item = &mut BenchRecord> {
        self.records.iter_mut().filter_map(|r| match r {
            Record::Measured(m) => Some(&mut **m),
            Record::Partial(_) => None,
        })
    }

    /// One record per row (problem, rung, threads), in the order rows first
    /// came: the pass with the best time, with how many passes measured it.
    pub fn keep_best_passes(&mut self) {
        let mut rows: Vec<Record> = Vec::new();
        for r in std::mem::take(&mut self.records) {
            let Record::Measured(mut r) = r else {
                rows.push(r);
                continue;
            };
            let same = rows.iter_mut().find_map(|x| match x {
                Record::Measured(x) if x.row() == r.row() => Some(x),
                _ => None,
            });
            match same {
                Some(row) => {
                    let passes = row.passes.unwrap_or(1) + 1;
                    if r.result.min_ns < row.result.min_ns {
                        *row = r;
                    }
                    row.passes = Some(passes);
                }
                None => {
                    r.passes = Some(1);
                    rows.push(Record::Measured(r));
                }
            }
        }
        self.records = rows;
    }
}
