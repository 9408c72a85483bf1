//! All the page's state in one reducer: what to run, and what came back.
//! The config is a small value, cloned on every action; what came back (every
//! sample of a run) is [`Shared`], changed in place, so that an event costs
//! one sample, not a copy of all of them.

use std::cell::{Ref, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use lanes_harness::protocol::{
    Environment, ErrorKind, Event, Failure, Limits, RunInfo, RunRequest, Rung, VariantResult,
    default_rungs, offered,
};
use lanes_harness::stats::Summary;
use lanes_kernels::{DType, Op, Problem, Shape, Strategy, Variant};
use yew::Reducible;

use crate::chapters::CHAPTERS;

/// What the next run measures.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub chapter: usize,
    pub op: Op,
    pub strategy: Strategy,
    pub dtype: DType,
    /// Elements (2-D ops use the nearest square).
    pub size: usize,
    pub variants: Vec<Rung>,
    /// Whether the rungs were chosen (ticked, or named by a link) rather than
    /// left at "all this device offers".
    pub chosen: bool,
    pub repeats: usize,
    pub min_sample_ms: f64,
    /// The time budget of a run, in seconds: past it no new round starts.
    pub budget_s: u32,
    /// What the worker allows, as its environment published it (`None`
    /// until it has).
    pub limits: Option<Limits>,
    /// Threads `simd-threads` uses; 0 means the whole pool.
    pub threads: usize,
}

/// The budgets offered, in seconds.
pub const BUDGETS: [u32; 4] = [5, 15, 60, 300];

pub const MIN_SIZE: usize = 10;

impl Config {
    pub fn for_chapter(chapter: usize) -> Config {
        let c = &CHAPTERS[chapter];
        let mut config = Config {
            chapter,
            op: c.op,
            strategy: c.strategy,
            dtype: c.dtype,
            size: c.size,
            variants: Vec::new(),
            chosen: false,
            repeats: 7,
            min_sample_ms: 10.0,
            budget_s: 60,
            limits: None,
            threads: 0,
        };
        config.variants = config.defaults();
        config
    }

    /// The same config on a worker with these limits (its pool, above
    /// all). Rungs left at their default ([`defaults`](Config::defaults)) gain `simd-threads`
    /// with a pool; a pool too small for it loses it.
    pub fn on(self, limits: Limits) -> Config {
        let mut c = Config {
            limits: Some(limits),
            ..self
        };
        if !c.chosen {
            c.variants = c.defaults();
        }
        c.settle().0
    }

    /// Chapter `chapter`'s config on the worker this one knows, with the
    /// same threads.
    pub fn to_chapter(&self, chapter: usize) -> Config {
        let c = Config {
            threads: self.threads,
            ..Config::for_chapter(chapter)
        };
        match self.limits {
            Some(l) => c.on(l),
            None => c,
        }
    }

    /// The config that tests the chapter's claim: the post's problem, the
    /// two rungs it compares, best of 5 as `%timeit` took it; this config
    /// if the chapter has no claim.
    pub fn for_claim(&self) -> Config {
        let Some(claim) = CHAPTERS[self.chapter].claim else {
            return self.clone();
        };
        Config {
            op: claim.op,
            strategy: claim.op.row().default_strategy(),
            dtype: claim.dtype,
            size: claim.size,
            variants: vec![claim.slow.rung, claim.fast.rung],
            chosen: true,
            repeats: 5,
            ..self.clone()
        }
        .settled()
    }

    /// The config of chapter 4's comparison: `np.sum` of 10**7 numbers
    /// (the post's size) by the SIMD rung, which a sweep over dtypes then
    /// runs for each.
    pub fn for_dtype_sums(&self) -> Config {
        Config {
            op: Op::Sum,
            strategy: Op::Sum.row().default_strategy(),
            dtype: DType::I64,
            size: 10_000_000,
            variants: vec![Rung::Wasm(Variant::Simd)],
            chosen: true,
            ..self.clone()
        }
        .settled()
    }

    /// What the worker allows as far as it is known: until it has said,
    /// a worker without a pool.
    pub fn limits(&self) -> Limits {
        self.limits.unwrap_or(Limits::BROWSER)
    }

    /// What a worker may still turn out to allow: its limits once known,
    /// and until then the largest pool one starts (a link may name
    /// `simd-threads` before the pool is known; it stays if there is one).
    fn admissible(&self) -> Limits {
        self.limits
            .unwrap_or(Limits::BROWSER.with_pool(Limits::MAX_POOL))
    }

    /// Threads of the worker's pool: 1 until the worker reports one (and
    /// wherever there is none).
    pub fn pool(&self) -> usize {
        self.limits().max_threads
    }

    /// The pool's threads that help (the worker's probe; all of them
    /// where it did not probe): what `simd-threads` runs on unless told.
    pub fn useful_threads(&self) -> usize {
        self.limits().useful_threads.clamp(1, self.pool())
    }

    /// The threads `simd-threads` runs on.
    pub fn threads_used(&self) -> usize {
        if self.threads == 0 {
            self.useful_threads()
        } else {
            self.threads.min(self.pool())
        }
    }

    pub fn shape(&self) -> Shape {
        if self.op.row().matrix {
            let r = ((self.size as f64).sqrt().round() as usize).max(1);
            Shape::Matrix(r, r)
        } else {
            Shape::Vector(self.size)
        }
    }

    pub fn problem(&self) -> Result<Problem, String> {
        Problem::new(self.op, self.strategy, self.dtype, self.shape()).map_err(|e| e.to_string())
    }

    /// The rungs this problem offers in this worker, as far as it is known.
    pub fn offered(&self) -> Vec<Rung> {
        self.problem()
            .map(|p| offered(&p, &self.limits()))
            .unwrap_or_default()
    }

    /// The rungs a config runs when none were chosen: every one offered but
    /// `python`, which is opt-in (it downloads CPython).
    pub fn defaults(&self) -> Vec<Rung> {
        self.problem()
            .map(|p| default_rungs(&p, &self.limits()))
            .unwrap_or_default()
    }

    /// The rungs a config may keep: those offered here once the worker is
    /// known, and until then those any worker could offer.
    pub fn allowed(&self) -> Vec<Rung> {
        self.problem()
            .map(|p| offered(&p, &self.admissible()))
            .unwrap_or_default()
    }

    /// The largest size the worker would accept this config's request at:
    /// the worker's own check (`RunRequest::plan`) on its published limits,
    /// so that what the page offers is exactly what the worker runs.
    /// Rungs this config names that are not allowed here do not count (a
    /// config in the middle of a change of op may still name some).
    pub fn max_size(&self) -> usize {
        let allowed = self.allowed();
        let mut variants: Vec<Rung> = self
            .variants
            .iter()
            .copied()
            .filter(|v| allowed.contains(v))
            .collect();
        if variants.is_empty() {
            variants = self
                .problem()
                .map(|p| default_rungs(&p, &self.admissible()))
                .unwrap_or_default();
        }
        let fits = |size| {
            let c = Config {
                size,
                variants: variants.clone(),
                ..self.clone()
            };
            c.request().plan(&self.admissible()).is_ok()
        };
        let (mut lo, mut hi) = (MIN_SIZE, 1usize << 31);
        while lo + 1 < hi {
            let mid = lo + (hi - lo) / 2;
            if fits(mid) { lo = mid } else { hi = mid }
        }
        lo
    }

    /// The one check of a config against the catalogue and the worker's
    /// limits, for the controls and the permalink alike: the op's strategy
    /// and dtype, rungs it offers here, a size that fits, repeats and
    /// threads in range. Returns the config made consistent, and a note for
    /// everything it had to change (the controls offer only what it keeps,
    /// so there the notes are for a change of op).
    pub fn settle(mut self) -> (Config, Vec<String>) {
        let mut notes = Vec::new();
        let info = self.op.row();
        if !info.has_strategy(self.strategy) {
            let s = info.default_strategy();
            notes.push(format!(
                "{} has no strategy {}: using {}",
                info.name,
                self.strategy.name(),
                s.name()
            ));
            self.strategy = s;
        }
        if !info.dtypes.contains(&self.dtype) {
            notes.push(format!(
                "{} does not take dtype {}: using {}",
                info.name, self.dtype, info.dtypes[0]
            ));
            self.dtype = info.dtypes[0];
        }
        let allowed = self.allowed();
        if self.variants.iter().any(|v| !allowed.contains(v)) {
            for v in self.variants.iter().filter(|v| !allowed.contains(v)) {
                notes.push(format!("variant {v} is not offered here: left out"));
            }
            self.variants.retain(|v| allowed.contains(v));
        }
        if self.variants.is_empty() {
            self.variants = self.defaults();
        }
        let repeats = self
            .repeats
            .clamp(*Limits::REPEATS.start(), *Limits::REPEATS.end());
        if repeats != self.repeats {
            notes.push(format!(
                "repeats {} is not {} to {}: using {repeats}",
                self.repeats,
                Limits::REPEATS.start(),
                Limits::REPEATS.end()
            ));
            self.repeats = repeats;
        }
        if !BUDGETS.contains(&self.budget_s) {
            notes.push(format!(
                "budget {} is not one of {BUDGETS:?} seconds: using {}",
                self.budget_s, BUDGETS[2]
            ));
            self.budget_s = BUDGETS[2];
        }
        if self.threads > Limits::MAX_POOL {
            notes.push(format!(
                "threads {} is more than a pool ever has ({}): using the whole pool",
                self.threads,
                Limits::MAX_POOL
            ));
            self.threads = 0;
        }
        let max = self.max_size();
        let size = self.size.clamp(MIN_SIZE, max);
        if size != self.size {
            notes.push(format!(
                "size {} is not {MIN_SIZE} to {max} here: using {size}",
                self.size
            ));
            self.size = size;
        }
        (self, notes)
    }

    /// [`settle`](Config::settle), for a change the controls made.
    fn settled(self) -> Config {
        self.settle().0
    }

    /// The worker's request. Every run of a config times the same inputs
    /// (seed 0), as `%timeit` times the same arrays: the worker keeps the
    /// last run's arrays and a run again reuses them.
    pub fn request(&self) -> RunRequest {
        RunRequest {
            op: self.op.name().into(),
            strategy: Some(self.strategy.name().into()),
            dtype: self.dtype.name().into(),
            shape: self.shape().dims(),
            variants: self.variants.iter().map(|v| v.name().to_owned()).collect(),
            threads: self.threads_used(),
            seed: 0,
            repeats: Some(self.repeats),
            min_sample_ms: Some(self.min_sample_ms),
            budget_ms: Some(f64::from(self.budget_s) * 1000.0),
            baseline: None,
        }
    }
}

/// Where a run is.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Status {
    #[default]
    Idle,
    Running,
    Done,
    Stopped,
    Failed(String),
}

/// A value the reducer changes in place and components read: every handle
/// sees the same value, and a handle compares equal to another only if both
/// are of the same value at the same revision. So a component given a
/// handle re-renders when, and only when, the value changed since its last
/// props, and a change costs what it changes, not a copy of the whole.
pub struct Shared<T> {
    cell: Rc<RefCell<T>>,
    revision: u64,
}

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared {
            cell: Rc::new(RefCell::new(value)),
            revision: 0,
        }
    }

    pub fn borrow(&self) -> Ref<'_, T> {
        self.cell.borrow()
    }

    /// Changes the value for every handle; this one moves to a new revision
    /// (handles cloned before compare unequal to it from now on).
    pub fn update<R>(&mut self, f: impl FnOnce(&mut T) -> R) -> R {
        self.revision += 1;
        f(&mut self.cell.borrow_mut())
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared {
            cell: self.cell.clone(),
            revision: self.revision,
        }
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cell, &other.cell) && self.revision == other.revision
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Self {
        Shared::new(T::default())
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Shared@{} ", self.revision)?;
        self.cell.borrow().fmt(f)
    }
}

/// What came back from the current (or last) run. The samples, and each
/// rung's running summary (computed once per sample, here, not once per
/// render by everything that shows it), change only through [`Live::fold`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Live {
    pub id: u32,
    pub status: Status,
    pub info: Option<RunInfo>,
    samples: BTreeMap<Rung, Vec<f64>>,
    summaries: BTreeMap<Rung, Summary>,
    pub extra_bytes: BTreeMap<Rung, usize>,
    pub results: Vec<VariantResult>,
    pub errors: Vec<(Option<Rung>, String)>,
    pub noop_ns: Option<f64>,
    /// The worker's wasm linear memory at the end of the run.
    pub wasm_memory: Option<u64>,
    /// Repeats asked for (to show progress).
    pub repeats: usize,
    /// What the run is waiting for before it starts (CPython's download),
    /// while it does: its stage, bytes arrived and bytes in all.
    pub loading: Option<(String, u64, u64)>,
    /// What the rungs outside the kernels hold, measured (the python
    /// rung's objects).
    pub held_bytes: BTreeMap<Rung, u64>,
}

impl Live {
    /// A run with this id that has started, asking for `repeats` samples per
    /// rung.
    pub fn started(id: u32, repeats: usize) -> Live {
        Live {
            id,
            status: Status::Running,
            repeats,
            ..Live::default()
        }
    }

    pub fn expected_samples(&self) -> usize {
        self.info.as_ref().map_or(0, |i| i.variants.len()) * self.repeats
    }

    pub fn received_samples(&self) -> usize {
        self.samples.values().map(Vec::len).sum()
    }

    /// A rung's samples so far (ns per loop), in the order they came.
    pub fn samples(&self, rung: Rung) -> &[f64] {
        self.samples.get(&rung).map_or(&[], Vec::as_slice)
    }

    /// Every rung that has samples, with them.
    #[cfg(feature = "playground")]
    pub fn all_samples(&self) -> impl Iterator<Item = (Rung, &[f64])> {
        self.samples.iter().map(|(r, s)| (*r, s.as_slice()))
    }

    /// A rung's samples so far, summarised.
    pub fn summary(&self, rung: Rung) -> Option<&Summary> {
        self.summaries.get(&rung)
    }

    /// The smallest and largest sample of any rung.
    pub fn range(&self) -> Option<(f64, f64)> {
        let mut s = self.summaries.values();
        let first = s.next()?;
        Some(s.fold((first.min, first.max), |(lo, hi), x| {
            (lo.min(x.min), hi.max(x.max))
        }))
    }

    /// Folds one event of the worker into the live results.
    pub fn fold(&mut self, e: Event) {
        match e {
            Event::Loading {
                stage,
                bytes,
                total,
            } => self.loading = Some((stage, bytes, total)),
            Event::Started { info } => {
                self.loading = None;
                self.info = Some(info);
            }
            Event::Verified {
                variant,
                held_bytes: Some(b),
            } => {
                self.held_bytes.insert(variant, b);
            }
            Event::Sample {
                variant,
                ns,
                extra_bytes,
                ..
            } => {
                let samples = self.samples.entry(variant).or_default();
                samples.push(ns);
                if let Some(s) = Summary::of(samples) {
                    self.summaries.insert(variant, s);
                }
                let x = self.extra_bytes.entry(variant).or_default();
                *x = (*x).max(extra_bytes);
            }
            Event::VariantDone { result } => self.results.push(result),
            Event::Error {
                variant, message, ..
            } => self.errors.push((variant, message)),
            // The worker is gone: what it said is kept with the run's errors.
            Event::Crashed { message } => self.errors.push((None, message)),
            Event::RunDone { summary } => {
                self.noop_ns = Some(summary.noop_ns_per_loop);
                self.wasm_memory = summary.wasm_memory_bytes.map(|b| b as u64);
                self.results = summary.results;
                self.status = Status::Done;
            }
            Event::Ready { .. } | Event::Verified { .. } => {}
        }
    }
}

/// What a sweep varies. The widget has no sweeps, but its state is the
/// playground's: a sweep's kind is never made there.
#[cfg_attr(not(feature = "playground"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepKind {
    /// The array size, from 100 elements to the largest that fits.
    Sizes,
    /// The dtype, over every dtype the op takes.
    DTypes,
    /// The threads of `simd-threads`, from 1 to the pool, against `simd`.
    Threads,
}

/// One point of a sweep: the size, dtype or thread count, and each rung's
/// result there.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub size: usize,
    pub dtype: DType,
    pub threads: usize,
    pub bytes_per_array: u64,
    pub results: Vec<VariantResult>,
}

/// A series of runs over sizes or dtypes.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    pub kind: SweepKind,
    /// The op every point ran.
    pub op: Op,
    pub id: u32,
    pub planned: usize,
    pub points: Vec<Point>,
    pub status: Status,
}

#[cfg(feature = "playground")]
impl Config {
    /// The configs a sweep runs, in order.
    pub fn sweep(&self, kind: SweepKind) -> Vec<Config> {
        let quick = |c: Config| Config {
            repeats: 3,
            min_sample_ms: 5.0,
            ..c
        };
        match kind {
            SweepKind::Sizes => {
                // Half decades from 100 elements to what fits, at most ~3e7:
                // past that every point is memory-bound and only slower.
                let max = self.max_size().min(31_622_777);
                (4..=15)
                    .map(|k| 10f64.powf(k as f64 / 2.0).round() as usize)
                    .filter(|&n| n <= max)
                    .map(|size| {
                        quick(
                            Config {
                                size,
                                ..self.clone()
                            }
                            .settled(),
                        )
                    })
                    .collect()
            }
            SweepKind::DTypes => self
                .op
                .row()
                .dtypes
                .iter()
                .map(|&dtype| {
                    quick(
                        Config {
                            dtype,
                            variants: self.variants.clone(),
                            ..self.clone()
                        }
                        .settled(),
                    )
                })
                .collect(),
            SweepKind::Threads => {
                let both = vec![Rung::Wasm(Variant::Simd), Rung::Wasm(Variant::SimdThreads)];
                if !both.iter().all(|r| self.offered().contains(r)) {
                    return Vec::new();
                }
                (1..=self.pool())
                    .map(|threads| {
                        quick(Config {
                            threads,
                            variants: both.clone(),
                            ..self.clone()
                        })
                    })
                    .collect()
            }
        }
    }

    /// Why a sweep over threads cannot run here, if it cannot.
    pub fn threads_sweep_blocked(&self) -> Option<String> {
        if self.pool() < 2 {
            return Some("no thread pool here (see This device)".into());
        }
        let offered = self.offered();
        if !offered.contains(&Rung::Wasm(Variant::SimdThreads)) {
            return Some(format!(
                "{} ({}) has no simd-threads rung",
                self.op.name(),
                self.dtype.numpy_name()
            ));
        }
        None
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub config: Config,
    pub env: Option<Environment>,
    pub env_error: Option<String>,
    /// What the worker's start is doing, until its environment comes.
    pub stage: Option<String>,
    pub live: Shared<Live>,
    /// Notes about the URL parameters that were not understood.
    pub notes: Vec<String>,
    pub dark: bool,
    /// Run once the worker is ready (`autorun=1`, for widgets).
    pub autorun: bool,
    pub sweep: Option<Rc<Sweep>>,
    /// Another device's results, overlaid on the time chart.
    #[cfg(feature = "playground")]
    pub imported: Option<Rc<crate::export::Imported>>,
    #[cfg(feature = "playground")]
    pub import_error: Option<String>,
}

impl Default for State {
    fn default() -> Self {
        State {
            config: Config::for_chapter(0),
            env: None,
            env_error: None,
            stage: None,
            live: Shared::default(),
            notes: Vec::new(),
            dark: false,
            autorun: false,
            sweep: None,
            #[cfg(feature = "playground")]
            imported: None,
            #[cfg(feature = "playground")]
            import_error: None,
        }
    }
}

/// What changes the state. The widget's controls are Run and Stop: the
/// rest of the playground's actions are never made there.
#[cfg_attr(not(feature = "playground"), allow(dead_code))]
pub enum Action {
    Chapter(usize),
    /// The config that tests the current chapter's claim (its two rungs on
    /// the post's problem).
    Claim,
    /// The config of chapter 4's sums across dtypes.
    DTypeSums,
    Op(Op),
    Strategy(Strategy),
    DType(DType),
    Size(usize),
    Toggle(Rung),
    Repeats(usize),
    Budget(u32),
    /// Threads for `simd-threads` (0: the whole pool).
    Threads(usize),
    /// A run with this id started.
    Start(u32),
    Event(u32, Box<Event>),
    /// The run with this id ended in an error (or was stopped).
    Ended(u32, Result<(), Failure>),
    Stop,
    Env(Result<Environment, String>),
    /// What the worker's start is doing now (`lanes.stage`).
    Stage(Option<String>),
    Dark(bool),
    /// A sweep with this id, of this op and this many points, started.
    SweepStart(u32, SweepKind, Op, usize),
    /// A point of the sweep with this id finished.
    SweepPoint(u32, Box<Point>),
    SweepEnded(u32, Result<(), Failure>),
    #[cfg(feature = "playground")]
    Import(Result<crate::export::Imported, String>),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Chapter(c) if c < CHAPTERS.len() => s.config = s.config.to_chapter(c),
            Action::Chapter(_) => {}
            Action::Claim => s.config = s.config.for_claim(),
            Action::DTypeSums => s.config = s.config.for_dtype_sums(),
            Action::Op(op) => s.config = Config { op, ..s.config }.settled(),
            Action::Strategy(st) => {
                s.config = Config {
                    strategy: st,
                    ..s.config
                }
                .settled()
            }
            Action::DType(d) => {
                s.config = Config {
                    dtype: d,
                    ..s.config
                }
                .settled()
            }
            Action::Size(n) => {
                s.config = Config {
                    size: n,
                    ..s.config
                }
                .settled()
            }
            Action::Repeats(r) => {
                s.config.repeats = r.clamp(*Limits::REPEATS.start(), *Limits::REPEATS.end())
            }
            Action::Budget(b) if BUDGETS.contains(&b) => s.config.budget_s = b,
            Action::Budget(_) => {}
            Action::Threads(t) if t <= s.config.pool() => s.config.threads = t,
            Action::Threads(_) => {}
            Action::Toggle(v) => {
                s.config.chosen = true;
                if let Some(i) = s.config.variants.iter().position(|x| *x == v) {
                    if s.config.variants.len() > 1 {
                        s.config.variants.remove(i);
                    }
                } else if s.config.offered().contains(&v) {
                    s.config.variants.push(v);
                    let order = s.config.offered();
                    s.config
                        .variants
                        .sort_by_key(|x| order.iter().position(|o| o == x));
                    // A JavaScript rung adds its own copies: stay within what fits.
                    s.config.size = s.config.size.min(s.config.max_size());
                }
            }
            // A fresh value: the last run's handles keep showing the last run.
            Action::Start(id) => s.live = Shared::new(Live::started(id, s.config.repeats)),
            Action::Event(id, e) if id == s.live.borrow().id => s.live.update(|l| l.fold(*e)),
            Action::Event(..) => {}
            Action::Ended(id, r) => {
                let ours = {
                    let l = s.live.borrow();
                    l.id == id && l.status == Status::Running
                };
                if ours {
                    s.live.update(|l| l.status = ended(r));
                }
            }
            Action::Stop => {
                if s.live.borrow().status == Status::Running {
                    s.live.update(|l| l.status = Status::Stopped);
                }
                if let Some(sw) = s.sweep.as_mut().filter(|sw| sw.status == Status::Running) {
                    Rc::make_mut(sw).status = Status::Stopped;
                }
            }
            #[cfg(feature = "playground")]
            Action::Import(Ok(i)) => {
                s.imported = Some(Rc::new(i));
                s.import_error = None;
            }
            #[cfg(feature = "playground")]
            Action::Import(Err(m)) => s.import_error = Some(m),
            Action::SweepStart(id, kind, op, planned) => {
                s.sweep = Some(Rc::new(Sweep {
                    kind,
                    op,
                    id,
                    planned,
                    points: Vec::new(),
                    status: Status::Running,
                }));
            }
            Action::SweepPoint(id, p) => {
                if let Some(sw) = s
                    .sweep
                    .as_mut()
                    .filter(|sw| sw.id == id && sw.status == Status::Running)
                {
                    Rc::make_mut(sw).points.push(*p);
                }
            }
            Action::SweepEnded(id, r) => {
                if let Some(sw) = s
                    .sweep
                    .as_mut()
                    .filter(|sw| sw.id == id && sw.status == Status::Running)
                {
                    Rc::make_mut(sw).status = ended(r);
                }
            }
            Action::Env(Ok(env)) => {
                let before = s.config.variants.clone();
                s.config = s.config.clone().on(env.limits());
                if s.config.threads > s.config.pool() {
                    s.notes.push(if s.config.pool() > 1 {
                        format!(
                            "threads {} is more than this device's pool of {}: using all of them",
                            s.config.threads,
                            s.config.pool()
                        )
                    } else {
                        format!(
                            "threads {} was asked for, but this page has no thread pool: {}",
                            s.config.threads,
                            env.threads_reason.clone().unwrap_or_default()
                        )
                    });
                    s.config.threads = 0;
                }
                let st = Rung::Wasm(Variant::SimdThreads);
                if before.contains(&st) && !s.config.variants.contains(&st) {
                    s.notes.push(format!(
                        "simd-threads cannot run here: {}",
                        env.threads_reason.clone().unwrap_or_default()
                    ));
                }
                s.env = Some(env);
                s.stage = None;
            }
            Action::Env(Err(m)) => s.env_error = Some(m),
            // A worker that starts again (after Stop) is not news: the page
            // shows its stage only until the first environment.
            Action::Stage(stage) if s.env.is_none() => s.stage = stage,
            Action::Stage(_) => {}
            Action::Dark(d) => s.dark = d,
        }
        Rc::new(s)
    }
}

/// Where a run or sweep that ended is.
fn ended(r: Result<(), Failure>) -> Status {
    match r {
        Ok(()) => Status::Done,
        Err(f) if f.kind == ErrorKind::Stopped => Status::Stopped,
        Err(f) => Status::Failed(f.message),
    }
}

/// What a worker says as it starts an f32 `add` of 1000 elements over these
/// rungs (for tests).
#[cfg(test)]
pub fn run_info(variants: Vec<Rung>) -> RunInfo {
    use lanes_harness::protocol::ArrayInfo;
    let array = |name: &str| ArrayInfo {
        name: name.into(),
        dtype: "f32".into(),
        shape: vec![1000],
        bytes: 4000,
    };
    RunInfo {
        op: "add".into(),
        strategy: "default".into(),
        dtype: "f32".into(),
        shape: vec![1000],
        numpy: "a + b".into(),
        baseline: variants[0],
        variants,
        threads: 1,
        inputs: vec![array("a"), array("b")],
        output: array("out"),
        temp_bytes: 0,
        bytes_per_loop: 12000.0,
        flops_per_loop: 1000.0,
        elements_per_loop: 1000.0,
        unit: "bytes".into(),
        target_sample_ns: 1e7,
        timer_resolution_ns: 5000.0,
    }
}

/// A sample of `ns` from `rung` (for tests).
#[cfg(test)]
pub fn sample(rung: Rung, ns: f64) -> Event {
    Event::Sample {
        variant: rung,
        round: 0,
        loops: 1,
        ns,
        extra_bytes: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(threads: bool, pool: usize) -> Environment {
        let limits = Limits::BROWSER.with_pool(if threads { pool } else { 1 });
        Environment {
            platform: "browser".into(),
            cross_origin_isolated: threads,
            hardware_concurrency: pool,
            timer_resolution_ns: 5000.0,
            threads_reason: (!threads).then(|| "the page is not cross-origin isolated".into()),
            build: "test".into(),
            ..Environment::of(limits)
        }
    }

    fn with(s: State, a: Action) -> State {
        (*Rc::new(s).reduce(a)).clone()
    }

    const ST: Rung = Rung::Wasm(Variant::SimdThreads);

    #[test]
    fn a_pool_brings_simd_threads_and_a_threads_sweep() {
        let mut s = State::default();
        s = with(s, Action::Op(Op::Exp));
        assert!(!s.config.variants.contains(&ST), "no pool known yet");
        assert!(s.config.threads_sweep_blocked().is_some());
        s = with(s, Action::Env(Ok(env(true, 4))));
        assert!(s.config.variants.contains(&ST));
        assert_eq!(s.config.request().threads, 4, "the whole pool by default");
        assert_eq!(s.config.threads_sweep_blocked(), None);
        let plan = s.config.sweep(SweepKind::Threads);
        assert_eq!(
            plan.iter().map(|c| c.threads_used()).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        assert!(
            plan.iter()
                .all(|c| c.variants == [Rung::Wasm(Variant::Simd), ST])
        );
        s = with(s, Action::Threads(3));
        assert_eq!(s.config.request().threads, 3);
        s = with(s, Action::Threads(5));
        assert_eq!(s.config.threads, 3, "more than the pool is ignored");
        // A chapter keeps the pool.
        s = with(s, Action::Chapter(2));
        assert_eq!(s.config.pool(), 4);
        assert!(s.config.variants.contains(&ST));
    }

    #[test]
    fn simd_threads_runs_on_the_threads_the_probe_found_help_not_on_the_reported_cores() {
        // WebKit on two cores: it reports 4, the pool has 4, the probe
        // found that 2 help.
        let probed = Environment {
            user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/605.1.15".into(),
            useful_threads: 2,
            thread_probe_ns: vec![100.0, 52.0, 90.0, 480.0],
            ..env(true, 4)
        };
        let mut s = with(State::default(), Action::Op(Op::Exp));
        s = with(s, Action::Env(Ok(probed.clone())));
        assert_eq!(s.config.pool(), 4);
        assert!(s.config.variants.contains(&ST));
        assert_eq!(s.config.request().threads, 2, "the probe's, not the pool's");
        // Asked for, every thread of the pool still runs; and the sweep
        // still goes over all of them.
        s = with(s, Action::Threads(4));
        assert_eq!(s.config.request().threads, 4);
        assert_eq!(s.config.sweep(SweepKind::Threads).len(), 4);
        s = with(s, Action::Threads(0));
        assert_eq!(s.config.request().threads, 2);
        // An environment from before the probe: the whole pool.
        let old = Environment {
            useful_threads: 0,
            ..probed
        };
        let s = with(State::default(), Action::Env(Ok(old)));
        assert_eq!(s.config.threads_used(), 4);
    }

    #[test]
    fn no_pool_no_threads_with_the_reason() {
        let mut s = State::default();
        s.config.op = Op::Exp;
        s.config.variants = vec![Rung::Wasm(Variant::Simd), ST];
        s.config.chosen = true;
        s.config.threads = 2;
        s = with(s, Action::Env(Ok(env(false, 1))));
        assert_eq!(s.config.variants, [Rung::Wasm(Variant::Simd)]);
        assert_eq!(s.config.request().threads, 1);
        assert!(
            s.notes.iter().any(|n| n
                .contains("simd-threads cannot run here: the page is not cross-origin isolated")),
            "{:?}",
            s.notes
        );
        assert_eq!(
            s.config.threads_sweep_blocked().as_deref(),
            Some("no thread pool here (see This device)")
        );
        assert!(s.config.sweep(SweepKind::Threads).is_empty());
        // Sort has no simd-threads rung even with a pool.
        let mut s = with(State::default(), Action::Env(Ok(env(true, 2))));
        s = with(s, Action::Op(Op::Sort));
        assert!(
            s.config
                .threads_sweep_blocked()
                .unwrap()
                .contains("no simd-threads rung")
        );
    }

    #[test]
    fn samples_change_the_live_results_and_nothing_else() {
        let simd = Rung::Wasm(Variant::Simd);
        let mut s = with(State::default(), Action::Start(1));
        s = with(
            s,
            Action::Event(
                1,
                Box::new(Event::Started {
                    info: run_info(vec![Rung::JsArray, simd]),
                }),
            ),
        );
        let before = s.clone();
        for ns in [300.0, 100.0, 200.0] {
            s = with(s, Action::Event(1, Box::new(sample(simd, ns))));
        }
        // The config and every other part compare equal: nothing that reads
        // only them re-renders as samples arrive.
        assert_eq!(s.config, before.config);
        assert_eq!(
            (&s.sweep, &s.env, &s.notes),
            (&before.sweep, &before.env, &before.notes)
        );
        assert_ne!(s.live, before.live, "the results changed");
        {
            let live = s.live.borrow();
            assert_eq!(live.samples(simd), [300.0, 100.0, 200.0]);
            assert_eq!(live.summary(simd).map(|x| x.median), Some(200.0));
            assert_eq!(live.range(), Some((100.0, 300.0)));
            assert_eq!((live.received_samples(), live.expected_samples()), (3, 14));
        }
        // Events of another run change nothing, not even the revision.
        let now = s.clone();
        s = with(s, Action::Event(2, Box::new(sample(simd, 1.0))));
        assert_eq!(s.live, now.live);
        // A new run is a new value: the old run's handle still shows it.
        s = with(s, Action::Start(3));
        assert_eq!(s.live.borrow().received_samples(), 0);
        assert_eq!(now.live.borrow().received_samples(), 3);
        s = with(s, Action::Ended(3, Err(Failure::stopped())));
        assert_eq!(s.live.borrow().status, Status::Stopped);
    }

    #[test]
    fn the_start_stage_shows_until_the_worker_is_ready() {
        let stage = |s: &str| Action::Stage(Some(s.into()));
        let mut s = with(State::default(), stage("loading the threaded build"));
        assert_eq!(s.stage.as_deref(), Some("loading the threaded build"));
        s = with(s, Action::Env(Ok(env(true, 2))));
        assert_eq!(s.stage, None);
        // The worker respawned after Stop starts again: the page stays as it is.
        let ready = s.clone();
        s = with(s, stage("compiling the threaded build"));
        assert_eq!(s, ready);
    }
}
