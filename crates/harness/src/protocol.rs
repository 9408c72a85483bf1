//! What the page and the worker say to each other (and what the bench
//! runner writes): serde types, validated into a plan before anything runs.

use core::fmt;
use core::str::FromStr;

use lanes_kernels::catalogue::PYTHON_BYTES_PER_ITEM;
use lanes_kernels::{DType, Op, Problem, Shape, Strategy, Variant};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::planner::Settings;

/// A rung of the full ladder: CPython, the two JavaScript loops, then the
/// kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rung {
    /// The op in plain Python (the catalogue's [`Python`] form), run by
    /// CPython compiled to wasm (Pyodide), loaded when a run asks for it.
    Python,
    /// A JavaScript loop over a plain `Array` of numbers.
    JsArray,
    /// A JavaScript loop over a `TypedArray`.
    JsTyped,
    Wasm(Variant),
}

impl Rung {
    pub const ALL: [Rung; 7] = [
        Rung::Python,
        Rung::JsArray,
        Rung::JsTyped,
        Rung::Wasm(Variant::Scalar),
        Rung::Wasm(Variant::Auto),
        Rung::Wasm(Variant::Simd),
        Rung::Wasm(Variant::SimdThreads),
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Rung::Python => "python",
            Rung::JsArray => "js-array",
            Rung::JsTyped => "js-typed",
            Rung::Wasm(v) => v.name(),
        }
    }

    /// Whether the rung runs outside the wasm kernels (the worker's
    /// JavaScript, or CPython), on its own copies of the inputs.
    pub const fn is_js(self) -> bool {
        matches!(self, Rung::Python | Rung::JsArray | Rung::JsTyped)
    }
}

impl fmt::Display for Rung {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Rung {
    type Err = String;
    fn from_str(s: &str) -> Result<Rung, String> {
        Rung::ALL.into_iter().find(|r| r.name() == s).ok_or_else(|| {
            format!(
                "unknown variant {s:?}: expected one of python, js-array, js-typed, scalar, auto, simd, simd-threads"
            )
        })
    }
}

impl Serialize for Rung {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Rung {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Rung, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The rungs an (op, strategy, dtype) offers on a host with these limits.
pub fn offered(problem: &Problem, limits: &Limits) -> Vec<Rung> {
    let mut v = Vec::new();
    // Where a faithful pure-Python form exists (the catalogue says), and
    // the host can load CPython; never on an empty array, where the plain
    // Python raises (`max([])`, `sum(a) / len(a)`) or returns another shape
    // (`zip(*rows)` of no rows) where NumPy returns a value.
    if limits.max_python_bytes > 0 && problem.form().python.is_some() && !problem.shape.is_empty() {
        v.push(Rung::Python);
    }
    // JavaScript numbers are doubles: int64 would need BigInt, another
    // lesson; and some forms have no JavaScript loop (the catalogue says).
    if limits.js && problem.dtype != DType::I64 && problem.form().js {
        v.extend([Rung::JsArray, Rung::JsTyped]);
    }
    let wasm = problem
        .op
        .variants(problem.strategy, problem.dtype)
        .into_iter();
    v.extend(
        wasm.filter(|&w| limits.threads || w != Variant::SimdThreads)
            .map(Rung::Wasm),
    );
    v
}

/// The rungs a problem runs with when none are named: every one offered
/// but `python`, which is opt-in (it downloads CPython, about 13 MB, 6 MB
/// compressed, and its loops take seconds).
pub fn default_rungs(problem: &Problem, limits: &Limits) -> Vec<Rung> {
    let mut v = offered(problem, limits);
    v.retain(|&r| r != Rung::Python);
    v
}

fn default_threads() -> usize {
    1
}

/// A request to measure one problem with some rungs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    pub op: String,
    /// The op's strategy; defaults to its first.
    #[serde(default)]
    pub strategy: Option<String>,
    pub dtype: String,
    /// `[n]` for 1-D ops, `[rows, cols]` for 2-D ones.
    pub shape: Vec<usize>,
    pub variants: Vec<String>,
    /// Threads for `simd-threads`.
    #[serde(default = "default_threads")]
    pub threads: usize,
    /// Seed of the generated inputs.
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub repeats: Option<usize>,
    #[serde(default)]
    pub min_sample_ms: Option<f64>,
    #[serde(default)]
    pub budget_ms: Option<f64>,
    /// The rung speed-ups are relative to; defaults to the first one.
    #[serde(default)]
    pub baseline: Option<String>,
}

/// What this host allows: the one source of every limit a request is held
/// to. The worker publishes its own in its [`Environment`]; the page
/// validates against those (`Limits::BROWSER` until they arrive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Bytes the kernels' arrays (and the reference's copy) may take together.
    pub max_bytes: u64,
    /// Bytes the JavaScript rungs' copies may take together.
    pub max_js_bytes: u64,
    /// Threads the pool has (1 without threads).
    pub max_threads: usize,
    /// Threads that help here: what `simd-threads` runs on unless told
    /// (the thread probe's answer, [`crate::probe`]; the pool's size where
    /// nothing was probed). A browser may report more cores than it has.
    pub useful_threads: usize,
    /// Whether `simd-threads` runs on a real pool here.
    pub threads: bool,
    /// Whether JavaScript rungs exist here.
    pub js: bool,
    /// Bytes the python rung's objects may take (its arrays and lists, by
    /// [`python_bytes`]); 0 where there is no CPython to load.
    pub max_python_bytes: u64,
}

impl Limits {
    /// A browser worker without a pool. wasm32 addresses 4 GiB: 1 GiB for
    /// the arrays leaves room for the reference's copies and the JavaScript
    /// rungs' own.
    pub const BROWSER: Limits = Limits {
        max_bytes: 1 << 30,
        max_js_bytes: 1 << 30,
        max_threads: 1,
        useful_threads: 1,
        threads: false,
        js: true,
        // CPython's wasm memory is its own (up to 4 GiB); a list of numbers
        // is 28 bytes an element at most there (`PYTHON_BYTES_PER_ITEM`),
        // so 1 GiB is 38 million of them.
        max_python_bytes: 1 << 30,
    };

    /// The largest pool a browser worker starts: each thread is a Web Worker
    /// with its own instance of the module (`worker.js` asks the module for
    /// this number: [`max_pool`](Limits::MAX_POOL)).
    pub const MAX_POOL: usize = 16;

    /// The repeats a run may take.
    pub const REPEATS: core::ops::RangeInclusive<usize> = 1..=1000;

    /// The same limits with a pool of `pool` threads (no pool below 2),
    /// every one of them taken to help.
    pub const fn with_pool(self, pool: usize) -> Limits {
        let pool = if pool == 0 { 1 } else { pool };
        Limits {
            max_threads: pool,
            useful_threads: pool,
            threads: pool > 1,
            ..self
        }
    }

    /// The same limits where `useful` of the pool's threads help (at least
    /// one, at most the pool).
    pub fn with_useful(self, useful: usize) -> Limits {
        Limits {
            useful_threads: useful.clamp(1, self.max_threads),
            ..self
        }
    }
}

/// A validated request.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub problem: Problem,
    pub rungs: Vec<Rung>,
    pub baseline: Rung,
    pub threads: usize,
    pub seed: u64,
    pub settings: Settings,
}

/// Bytes a JavaScript rung holds: its own copies of the inputs and output
/// (8 bytes per number in a plain `Array`, the itemsize in a `TypedArray`).
pub fn js_bytes(problem: &Problem, rung: Rung) -> u64 {
    let elems: u64 = problem
        .inputs()
        .iter()
        .map(|o| o.shape.len() as u64)
        .fold(problem.output().shape.len() as u64, u64::saturating_add);
    let per = if rung == Rung::JsArray {
        8
    } else {
        problem.dtype.itemsize() as u64
    };
    elems.saturating_mul(per)
}

/// Bytes the python rung holds at most: the inputs as `array.array`s (and
/// the bytes they are made from), the lists its setup builds and its result
/// (a slot and a number object per element: [`PYTHON_BYTES_PER_ITEM`]), and
/// its result read back (an `array.array` and its bytes). What it really
/// holds is measured (`tracemalloc`) and reported when it is checked.
/// CPython's heap never shrinks: what a run took stays the worker's.
pub fn python_bytes(problem: &Problem) -> u64 {
    let Some(py) = problem.form().python else {
        return 0;
    };
    let out = problem.output();
    let largest = problem
        .inputs()
        .iter()
        .map(|o| o.shape.len())
        .fold(out.shape.len(), usize::max) as u64;
    (largest.saturating_mul(u64::from(py.lists)))
        .saturating_mul(PYTHON_BYTES_PER_ITEM)
        .saturating_add(problem.total_bytes().saturating_mul(2))
}

/// Bytes the kernels' side of a run holds: the arrays, the temporaries, and
/// the reference's expected output (in its dtype and in float64).
pub fn wasm_bytes(problem: &Problem) -> u64 {
    let out = problem.output();
    [
        problem.temp_bytes(),
        out.nbytes(),
        (out.shape.len() as u64).saturating_mul(8),
    ]
    .into_iter()
    .fold(problem.total_bytes(), u64::saturating_add)
}

/// `1.2 TB`, `1.5 GB`, `40.0 MB`, `12 KB`, `100 B` (decimal units).
pub fn format_bytes(b: u64) -> String {
    let b = b as f64;
    if b >= 1e12 {
        format!("{:.1} TB", b / 1e12)
    } else if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.0} KB", b / 1e3)
    } else {
        format!("{b} B")
    }
}

impl RunRequest {
    /// The problem the request names, checked against the catalogue.
    pub fn problem(&self) -> Result<Problem, String> {
        let op: Op = self
            .op
            .parse()
            .map_err(|e: lanes_kernels::Error| e.to_string())?;
        let strategy = match &self.strategy {
            Some(s) => s.parse::<Strategy>().map_err(|e| e.to_string())?,
            None => op.row().default_strategy(),
        };
        let dtype: DType = self
            .dtype
            .parse()
            .map_err(|e: lanes_kernels::Error| e.to_string())?;
        let shape = match self.shape[..] {
            [n] => Shape::Vector(n),
            [r, c] => Shape::Matrix(r, c),
            _ => {
                return Err(format!(
                    "shape must be [n] or [rows, cols], not {:?}",
                    self.shape
                ));
            }
        };
        Problem::new(op, strategy, dtype, shape).map_err(|e| e.to_string())
    }

    /// Checks every field; a bad one gives a message that says what is
    /// accepted, and nothing runs.
    pub fn plan(&self, limits: &Limits) -> Result<Plan, String> {
        let problem = self.problem()?;
        let (op, strategy, dtype, shape) =
            (problem.op, problem.strategy, problem.dtype, problem.shape);
        if self.variants.is_empty() {
            return Err("no variant to run: pick at least one".into());
        }
        let offered = offered(&problem, limits);
        let mut rungs = Vec::new();
        for name in &self.variants {
            let rung: Rung = name.parse()?;
            if !offered.contains(&rung) {
                let list: Vec<&str> = offered.iter().map(|r| r.name()).collect();
                return Err(format!(
                    "{} is not offered for {} ({}, {dtype}) here: it offers {}",
                    rung.name(),
                    op.name(),
                    strategy.name(),
                    list.join(", ")
                ));
            }
            if !rungs.contains(&rung) {
                rungs.push(rung);
            }
        }
        let baseline = match &self.baseline {
            Some(b) => {
                let b: Rung = b.parse()?;
                if !rungs.contains(&b) {
                    return Err(format!("baseline {b} is not among the variants run"));
                }
                b
            }
            None => rungs[0],
        };
        if self.threads == 0 || self.threads > limits.max_threads {
            return Err(format!(
                "threads must be between 1 and {} here, not {}",
                limits.max_threads, self.threads
            ));
        }
        let mut settings = Settings::default();
        if let Some(r) = self.repeats {
            if !Limits::REPEATS.contains(&r) {
                return Err(format!(
                    "repeats must be between {} and {}, not {r}",
                    Limits::REPEATS.start(),
                    Limits::REPEATS.end()
                ));
            }
            settings.repeats = r;
        }
        if let Some(ms) = self.min_sample_ms {
            if !(0.001..=10_000.0).contains(&ms) {
                return Err(format!(
                    "min_sample_ms must be between 0.001 and 10000, not {ms}"
                ));
            }
            settings.min_sample_ns = ms * 1e6;
            settings.warmup_ns = settings.warmup_ns.min(2.0 * ms * 1e6).max(ms * 1e6);
        }
        if let Some(ms) = self.budget_ms {
            if !(1.0..=3_600_000.0).contains(&ms) {
                return Err(format!("budget_ms must be between 1 and 3600000, not {ms}"));
            }
            settings.budget_ns = ms * 1e6;
        }
        // A rung outside the kernels is checked by a rule that may hold a
        // bound per element (`float64_rule`).
        let rule_bytes = if rungs.iter().any(|r| r.is_js()) {
            lanes_reference::float64_rule_bytes(&problem)
        } else {
            0
        };
        let wasm_bytes = wasm_bytes(&problem).saturating_add(rule_bytes);
        let js: u64 = rungs
            .iter()
            .filter(|r| r.is_js())
            .map(|&r| js_bytes(&problem, r))
            .fold(0, u64::saturating_add);
        if wasm_bytes > limits.max_bytes || js > limits.max_js_bytes {
            let mut parts: Vec<String> = problem
                .inputs()
                .iter()
                .map(|o| format!("{}: {}", o.name, format_bytes(o.nbytes())))
                .collect();
            parts.push(format!("out: {}", format_bytes(problem.output().nbytes())));
            if problem.temp_bytes() > 0 {
                parts.push(format!("tile: {}", format_bytes(problem.temp_bytes())));
            }
            let mut msg = format!(
                "{} {dtype} at shape {shape} needs {} ({}), but this tab allows {}",
                op.name(),
                format_bytes(problem.total_bytes().saturating_add(problem.temp_bytes())),
                parts.join(", "),
                format_bytes(limits.max_bytes)
            );
            if js > limits.max_js_bytes {
                msg += &format!(
                    "; the JavaScript copies need {} more (allowed {})",
                    format_bytes(js),
                    format_bytes(limits.max_js_bytes)
                );
            }
            return Err(msg);
        }
        let python = python_bytes(&problem);
        if rungs.contains(&Rung::Python) && python > limits.max_python_bytes {
            let lists = problem.form().python.map_or(0, |p| p.lists);
            return Err(format!(
                "python at shape {shape} needs up to {}: {lists} Python list{} of {} numbers at up to {PYTHON_BYTES_PER_ITEM} B each (a slot and a number object) and its arrays, but Python may take {} here; try a smaller size or leave python out",
                format_bytes(python),
                if lists == 1 { "" } else { "s" },
                shape.len(),
                format_bytes(limits.max_python_bytes)
            ));
        }
        Ok(Plan {
            problem,
            rungs,
            baseline,
            threads: self.threads,
            seed: self.seed,
            settings,
        })
    }
}

/// Where the run happens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// `browser` or `native`.
    pub platform: String,
    pub user_agent: String,
    pub cross_origin_isolated: bool,
    pub hardware_concurrency: usize,
    /// Measured at start-up (median step of the clock).
    pub timer_resolution_ns: f64,
    pub simd: bool,
    pub threads: bool,
    /// Why threads are off, when they are.
    pub threads_reason: Option<String>,
    /// Threads `simd-threads` may use here (the pool's size; 1 without one).
    #[serde(default = "default_threads")]
    pub max_threads: usize,
    /// Threads that help here, `simd-threads`'s default ([`Limits`]); 0 in
    /// an environment from before the probe: the pool's size.
    #[serde(default)]
    pub useful_threads: usize,
    /// The thread probe's times, ns per loop for 1, 2, ... threads
    /// ([`crate::probe`]); empty where nothing was probed.
    #[serde(default)]
    pub thread_probe_ns: Vec<f64>,
    /// Bytes a run's arrays may take here (see [`Limits`]).
    #[serde(default)]
    pub max_bytes: u64,
    /// Bytes the JavaScript rungs' copies may take here.
    #[serde(default)]
    pub max_js_bytes: u64,
    /// Whether the JavaScript rungs exist here.
    #[serde(default)]
    pub js: bool,
    /// Bytes the python rung's objects may take here (0: no python rung).
    #[serde(default)]
    pub max_python_bytes: u64,
    pub build: String,
    pub wasm_memory_bytes: Option<usize>,
}

impl Environment {
    /// An environment that publishes `limits` (the rest left empty, for
    /// the host to fill in).
    pub fn of(limits: Limits) -> Environment {
        Environment {
            platform: String::new(),
            user_agent: String::new(),
            cross_origin_isolated: false,
            hardware_concurrency: 1,
            timer_resolution_ns: 0.0,
            simd: true,
            threads: limits.threads,
            threads_reason: None,
            max_threads: limits.max_threads,
            useful_threads: limits.useful_threads,
            thread_probe_ns: Vec::new(),
            max_bytes: limits.max_bytes,
            max_js_bytes: limits.max_js_bytes,
            js: limits.js,
            max_python_bytes: limits.max_python_bytes,
            build: String::new(),
            wasm_memory_bytes: None,
        }
    }

    /// The limits this host holds every request to, as it published them.
    pub fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_bytes,
            max_js_bytes: self.max_js_bytes,
            max_threads: self.max_threads,
            useful_threads: match self.useful_threads {
                0 => self.max_threads,
                n => n.min(self.max_threads),
            },
            threads: self.threads,
            js: self.js,
            max_python_bytes: self.max_python_bytes,
        }
    }
}

/// One array of the problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArrayInfo {
    pub name: String,
    pub dtype: String,
    pub shape: Vec<usize>,
    pub bytes: u64,
}

/// What is about to be measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub op: String,
    pub strategy: String,
    pub dtype: String,
    pub shape: Vec<usize>,
    pub numpy: String,
    pub variants: Vec<Rung>,
    pub baseline: Rung,
    pub threads: usize,
    pub inputs: Vec<ArrayInfo>,
    pub output: ArrayInfo,
    pub temp_bytes: u64,
    pub bytes_per_loop: f64,
    pub flops_per_loop: f64,
    pub elements_per_loop: f64,
    /// `bytes`, `elements` or `flops`: the natural throughput unit.
    pub unit: String,
    pub target_sample_ns: f64,
    pub timer_resolution_ns: f64,
}

/// The measurement of one rung.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantResult {
    pub variant: Rung,
    pub loops: u64,
    pub repeats: usize,
    /// Every sample, ns per loop, in the order taken.
    pub samples_ns: Vec<f64>,
    pub min_ns: f64,
    pub median_ns: f64,
    pub mean_ns: f64,
    pub std_ns: f64,
    pub mad_ns: f64,
    pub ci_low_ns: f64,
    pub ci_high_ns: f64,
    pub cv: f64,
    pub outliers_low: usize,
    pub outliers_high: usize,
    pub timeit: String,
    pub bytes_per_loop: f64,
    pub gb_per_s: f64,
    pub gelem_per_s: f64,
    pub gflop_per_s: f64,
    pub peak_extra_bytes: usize,
    pub verified: bool,
    /// Indistinguishable from the no-op: the work was optimized away, or
    /// there is none (a view).
    pub optimized_away: bool,
    /// Samples could not reach 100 timer steps: quantization shows.
    pub timer_saturated: bool,
    /// Times faster than the baseline (ratio of medians), with its interval.
    pub speedup: Option<f64>,
    pub speedup_low: Option<f64>,
    pub speedup_high: Option<f64>,
}

impl VariantResult {
    /// How many times faster this rung is than `baseline`, by the
    /// harness's one definition (`stats::speedup`: medians, with an interval).
    pub fn speedup_over(&self, baseline: &VariantResult) -> crate::stats::Speedup {
        let three = |r: &VariantResult| [r.median_ns, r.ci_low_ns, r.ci_high_ns];
        crate::stats::Speedup::between(three(baseline), three(self))
    }
}

/// The end of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub info: RunInfo,
    pub results: Vec<VariantResult>,
    /// Rungs that were refused (wrong result, failure), with the reason.
    pub failed: Vec<(Rung, String)>,
    /// The harness's own cost per loop (the no-op subject).
    pub noop_ns_per_loop: f64,
    pub noop_loops: u64,
    pub memory_counted: bool,
    pub wasm_memory_bytes: Option<usize>,
    pub elapsed_ms: f64,
}

/// What kind of failure an error event, or a run that ended without its
/// summary, is. The page decides what to do by this, never by the words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ErrorKind {
    /// The request asks for what this host does not do or allow: nothing ran.
    #[default]
    Refused,
    /// The memory the run needs could not be had. A browser worker's memory
    /// never shrinks: a fresh worker takes over.
    OutOfMemory,
    /// One rung failed (a wrong result, or it could not start); the others
    /// are still measured.
    Rung,
    /// The worker died (a trap) or gave up its instance; a fresh one starts.
    Crashed,
    /// The reader stopped it.
    Stopped,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 5] = [
        ErrorKind::Refused,
        ErrorKind::OutOfMemory,
        ErrorKind::Rung,
        ErrorKind::Crashed,
        ErrorKind::Stopped,
    ];

    /// The name on the wire (`kind` of an error event, and of the error a
    /// failed `lanes.run` rejects with).
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::Refused => "refused",
            ErrorKind::OutOfMemory => "out-of-memory",
            ErrorKind::Rung => "rung",
            ErrorKind::Crashed => "crashed",
            ErrorKind::Stopped => "stopped",
        }
    }

    pub fn from_name(s: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

impl Serialize for ErrorKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for ErrorKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ErrorKind, D::Error> {
        let s = String::deserialize(d)?;
        ErrorKind::from_name(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown error kind {s:?}")))
    }
}

/// Why a run ended without its summary: the kind, and the words for the
/// reader.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
}

impl Failure {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
        }
    }

    /// The reader stopped the run (or the sweep).
    pub fn stopped() -> Failure {
        Failure::new(ErrorKind::Stopped, "stopped")
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the worker streams to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    Ready {
        env: Environment,
    },
    Started {
        info: RunInfo,
    },
    /// Something the run needs is loading (CPython, for the python rung):
    /// written by `worker.js` before the run starts. `bytes` of `total`
    /// have arrived.
    Loading {
        stage: String,
        bytes: u64,
        total: u64,
    },
    /// A rung passed the check against the reference. `held_bytes`: what a
    /// rung outside the kernels holds, measured (the python rung's objects,
    /// by `tracemalloc`).
    Verified {
        variant: Rung,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        held_bytes: Option<u64>,
    },
    Sample {
        variant: Rung,
        round: usize,
        loops: u64,
        ns: f64,
        extra_bytes: usize,
    },
    VariantDone {
        result: VariantResult,
    },
    /// A rung failed (`variant` is it), or the whole run did (`None`).
    Error {
        variant: Option<Rung>,
        #[serde(default)]
        kind: ErrorKind,
        message: String,
    },
    RunDone {
        summary: RunSummary,
    },
    /// The worker is gone, or gave up its instance: written by `worker.js`
    /// (a trap leaves the instance unusable; a memory that could not grow
    /// never shrinks again). The page starts a fresh worker; the run in
    /// flight fails with this message.
    Crashed {
        message: String,
    },
}

/// An event as the worker writes it, read flat: the tag is one more field.
/// `Event` is an internally tagged enum, and serde decodes those through a
/// buffered copy of every value, code that cost the page's wasm 20 KB gzip;
/// this reads the same JSON directly. The harness tests check that every
/// kind of event the engine emits reads back equal.
#[derive(Deserialize)]
struct Wire {
    r#type: String,
    env: Option<Environment>,
    info: Option<RunInfo>,
    variant: Option<Rung>,
    round: Option<usize>,
    loops: Option<u64>,
    ns: Option<f64>,
    extra_bytes: Option<usize>,
    result: Option<VariantResult>,
    kind: Option<ErrorKind>,
    message: Option<String>,
    summary: Option<RunSummary>,
    stage: Option<String>,
    bytes: Option<u64>,
    total: Option<u64>,
    held_bytes: Option<u64>,
}

impl Wire {
    fn event(self) -> Option<Event> {
        Some(match self.r#type.as_str() {
            "ready" => Event::Ready { env: self.env? },
            "started" => Event::Started { info: self.info? },
            "loading" => Event::Loading {
                stage: self.stage?,
                bytes: self.bytes?,
                total: self.total?,
            },
            "verified" => Event::Verified {
                variant: self.variant?,
                held_bytes: self.held_bytes,
            },
            "sample" => Event::Sample {
                variant: self.variant?,
                round: self.round?,
                loops: self.loops?,
                ns: self.ns?,
                extra_bytes: self.extra_bytes?,
            },
            "variant-done" => Event::VariantDone {
                result: self.result?,
            },
            "error" => Event::Error {
                variant: self.variant,
                kind: self.kind.unwrap_or_default(),
                message: self.message?,
            },
            "run-done" => Event::RunDone {
                summary: self.summary?,
            },
            "crashed" => Event::Crashed {
                message: self.message?,
            },
            _ => return None,
        })
    }
}

impl Event {
    /// Decodes one event of the worker's stream (its JSON), as
    /// `serde_json::from_str::<Event>` would, with much less code.
    pub fn from_json(json: &str) -> Option<Event> {
        serde_json::from_str::<Wire>(json).ok()?.event()
    }
}
