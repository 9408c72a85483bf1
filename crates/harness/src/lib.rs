//! The Lanes measurement engine, in pure Rust (native and wasm32).
//!
//! Separated as criterion separates it: the [`clock`], the [`planner`]
//! (warm-up, timeit's autorange, interleaved repeats, a time budget), the
//! [`stats`] (best, median, spread, confidence interval, outliers, the
//! `%timeit` line, throughput, speed-ups), [`memory`] accounting, the
//! [`protocol`] spoken with the page, and the [`engine`] that runs a request
//! against the kernels through a [`engine::Host`] (the browser worker, or
//! the native runner).

pub mod clock;
pub mod engine;
pub mod memory;
pub mod planner;
pub mod probe;
pub mod protocol;
pub mod report;
pub mod stats;

pub use clock::Clock;
pub use engine::{Host, JsRung, run};
pub use protocol::{Environment, Event, RunRequest, RunSummary, Rung, VariantResult};
