//! The planner: warm-up, timeit's autorange, interleaved repeats, a budget.
//!
//! Each subject runs `loops` iterations of its kernel per call. A sample is
//! one timed call divided by `loops`, and `loops` is chosen once per subject
//! (1, 2, 5, 10, 20, 50, ... as `timeit.autorange`) so that a sample lasts at
//! least `max(min_sample, 100 x timer resolution)`. Then the subjects take
//! turns, one sample each per round, so that a slow drift of the machine
//! (thermal, another tab) spreads over all of them instead of biasing the
//! last one.

use crate::clock::Clock;
use crate::memory::Scope;

/// Something to time: `run(loops)` performs the work `loops` times.
pub trait Subject {
    fn run(&mut self, loops: u64);
}

impl<F: FnMut(u64)> Subject for F {
    fn run(&mut self, loops: u64) {
        self(loops)
    }
}

/// How long to measure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// A sample lasts at least this long (and at least 100 timer steps).
    pub min_sample_ns: f64,
    /// Samples per subject (timeit's "best of").
    pub repeats: usize,
    /// Each subject runs for at least this long before calibration.
    pub warmup_ns: f64,
    /// The whole measurement stops starting new rounds past this.
    pub budget_ns: f64,
    /// Upper bound on loops per sample.
    pub max_loops: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_sample_ns: 10e6,
            repeats: 7,
            warmup_ns: 20e6,
            budget_ns: 20e9,
            max_loops: 1 << 40,
        }
    }
}

/// The loop count chosen for a subject.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibration {
    pub loops: u64,
    /// The sample time reached with `loops` (ns for the whole call).
    pub sample_ns: f64,
    /// The target could not be reached (budget or `max_loops`): samples
    /// are shorter than 100 timer steps, so quantization shows.
    pub saturated: bool,
}

/// One timed sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub subject: usize,
    pub round: usize,
    pub loops: u64,
    /// Nanoseconds per loop.
    pub ns: f64,
    /// Peak bytes allocated above the baseline during the sample.
    pub extra_bytes: usize,
}

/// The sample target: `max(min_sample, 100 x resolution)`.
pub fn target_ns(settings: &Settings, resolution_ns: f64) -> f64 {
    settings.min_sample_ns.max(100.0 * resolution_ns)
}

/// Times one call of `loops` iterations; returns (ns for the call, extra bytes).
pub fn time(clock: &dyn Clock, subject: &mut dyn Subject, loops: u64) -> (f64, usize) {
    let scope = Scope::begin();
    let t0 = clock.now_ns();
    subject.run(loops);
    let t1 = clock.now_ns();
    (t1 - t0, scope.extra())
}

/// Runs the subject until `warmup_ns` has passed (at least once): JIT tiers
/// and caches settle before anything counts.
pub fn warm_up(clock: &dyn Clock, subject: &mut dyn Subject, warmup_ns: f64, deadline: f64) {
    let start = clock.now_ns();
    loop {
        subject.run(1);
        let now = clock.now_ns();
        if now - start >= warmup_ns || now >= deadline {
            break;
        }
    }
}

/// The loop counts of timeit's autorange: 1, 2, 5, 10, 20, 50, ...
pub fn autorange_steps() -> impl Iterator<Item = u64> {
    (0u32..)
        .map_while(|e| 10u64.checked_pow(e))
        .flat_map(|p| [p, 2 * p, 5 * p])
}

/// Checks a calibration once more: code that was still warming up (a wasm
/// baseline tier, a cold JIT) makes autorange stop too early, and the real
/// samples then fall short of the target. Re-times once and, if the call
/// now falls short of the target, scales the loop count up to the next
/// autorange step that reaches it.
pub fn confirm(
    clock: &dyn Clock,
    subject: &mut dyn Subject,
    cal: Calibration,
    target_ns: f64,
    max_loops: u64,
) -> Calibration {
    if cal.saturated {
        return cal;
    }
    let (ns, _) = time(clock, subject, cal.loops);
    if ns <= 0.0 || ns >= target_ns {
        return cal;
    }
    let want = cal.loops as f64 * target_ns / ns;
    let loops = autorange_steps()
        .find(|&l| l as f64 >= want)
        .unwrap_or(max_loops)
        .min(max_loops);
    Calibration {
        loops,
        sample_ns: ns * loops as f64 / cal.loops as f64,
        saturated: false,
    }
}

/// timeit's autorange: the first loop count whose call lasts `target_ns`.
pub fn calibrate(
    clock: &dyn Clock,
    subject: &mut dyn Subject,
    target_ns: f64,
    max_loops: u64,
    deadline: f64,
) -> Calibration {
    let mut last = Calibration {
        loops: 1,
        sample_ns: 0.0,
        saturated: true,
    };
    for loops in autorange_steps() {
        if loops > max_loops {
            break;
        }
        let (ns, _) = time(clock, subject, loops);
        last = Calibration {
            loops,
            sample_ns: ns,
            saturated: false,
        };
        if ns >= target_ns {
            return last;
        }
        if clock.now_ns() >= deadline {
            break;
        }
    }
    last.saturated = true;
    last
}

/// Subject `index` of a set run through one closure (so that subjects can
/// share buffers, like the one output array all wasm rungs write).
struct Indexed<'a> {
    run: &'a mut dyn FnMut(usize, u64),
    index: usize,
}

impl Subject for Indexed<'_> {
    fn run(&mut self, loops: u64) {
        (self.run)(self.index, loops)
    }
}

/// The whole measurement of `primed.len()` subjects, run as
/// `run(index, loops)`: warm-up and calibration per subject, then `repeats`
/// interleaved rounds, each sample reported to `on_sample` as it is taken.
/// Stops starting rounds when the budget is spent (every subject still gets
/// one sample). Returns the calibrations.
///
/// A primed subject is warmed up again (untimed, `warmup_ns`) before each
/// of its samples. The threaded rung needs it: while the other rungs of a
/// round run, its pool's threads fall asleep, and the first milliseconds
/// after they wake run slowly (on a laptop the core wakes in microseconds;
/// on a busy virtual machine the host gives the idle virtual core back only
/// after several milliseconds). `%timeit` has no such gap: its loops run
/// back to back.
pub fn measure(
    clock: &dyn Clock,
    primed: &[bool],
    run: &mut dyn FnMut(usize, u64),
    settings: &Settings,
    resolution_ns: f64,
    on_sample: &mut dyn FnMut(Sample),
) -> Vec<Calibration> {
    let count = primed.len();
    let start = clock.now_ns();
    let deadline = start + settings.budget_ns;
    let target = target_ns(settings, resolution_ns);
    for index in 0..count {
        warm_up(
            clock,
            &mut Indexed {
                run: &mut *run,
                index,
            },
            settings.warmup_ns,
            deadline,
        );
    }
    let cals: Vec<Calibration> = (0..count)
        .map(|index| {
            let mut s = Indexed {
                run: &mut *run,
                index,
            };
            let cal = calibrate(clock, &mut s, target, settings.max_loops, deadline);
            confirm(clock, &mut s, cal, target, settings.max_loops)
        })
        .collect();
    for round in 0..settings.repeats.max(1) {
        if round > 0 && clock.now_ns() >= deadline {
            break;
        }
        for (index, cal) in cals.iter().enumerate() {
            let mut subject = Indexed {
                run: &mut *run,
                index,
            };
            if primed[index] {
                warm_up(clock, &mut subject, settings.warmup_ns, f64::INFINITY);
            }
            let (ns, extra_bytes) = time(clock, &mut subject, cal.loops);
            on_sample(Sample {
                subject: index,
                round,
                loops: cal.loops,
                ns: ns / cal.loops as f64,
                extra_bytes,
            });
        }
    }
    cals
}
