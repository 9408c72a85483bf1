//! Clocks: one trait, `performance.now()` in the worker, `Instant` natively,
//! and a fake clock for tests.

use core::cell::Cell;

/// A monotonic clock reading in nanoseconds.
pub trait Clock {
    fn now_ns(&self) -> f64;
}

/// `std::time::Instant` (not on wasm32, where the worker uses `performance.now()`).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug)]
pub struct SystemClock(std::time::Instant);

#[cfg(not(target_arch = "wasm32"))]
impl Default for SystemClock {
    fn default() -> Self {
        SystemClock(std::time::Instant::now())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for SystemClock {
    fn now_ns(&self) -> f64 {
        self.0.elapsed().as_nanos() as f64
    }
}

/// The timer's resolution: the median step between successive distinct
/// readings (browsers coarsen `performance.now()`, to 100 us in Chrome and
/// 1 ms in Firefox unless the page is cross-origin isolated, and add jitter;
/// the median is robust to that jitter).
pub fn resolution_ns(clock: &dyn Clock) -> f64 {
    const STEPS: usize = 31;
    const MAX_READS: usize = 5_000_000;
    let mut steps = Vec::with_capacity(STEPS);
    let mut last = clock.now_ns();
    let mut reads = 0;
    while steps.len() < STEPS && reads < MAX_READS {
        let t = clock.now_ns();
        reads += 1;
        if t > last {
            steps.push(t - last);
            last = t;
        }
    }
    if steps.is_empty() {
        return f64::INFINITY;
    }
    steps.sort_by(f64::total_cmp);
    steps[steps.len() / 2]
}

/// A clock for tests: time moves only when told, and reads are quantized to
/// `resolution_ns` like a coarse browser timer.
#[derive(Debug)]
pub struct FakeClock {
    t: Cell<f64>,
    resolution_ns: f64,
    /// Time every read itself takes (so that polling loops end).
    read_cost_ns: f64,
}

impl FakeClock {
    pub fn new(resolution_ns: f64) -> FakeClock {
        FakeClock {
            t: Cell::new(0.0),
            resolution_ns,
            read_cost_ns: 0.0,
        }
    }

    pub fn with_read_cost(mut self, ns: f64) -> FakeClock {
        self.read_cost_ns = ns;
        self
    }

    pub fn advance(&self, ns: f64) {
        self.t.set(self.t.get() + ns);
    }

    /// The true (unquantized) time.
    pub fn true_ns(&self) -> f64 {
        self.t.get()
    }
}

impl Clock for FakeClock {
    fn now_ns(&self) -> f64 {
        self.advance(self.read_cost_ns);
        let t = self.t.get();
        if self.resolution_ns > 0.0 {
            (t / self.resolution_ns).floor() * self.resolution_ns
        } else {
            t
        }
    }
}
