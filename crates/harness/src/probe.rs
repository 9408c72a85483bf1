//! How many of the pool's threads help. A browser's `hardwareConcurrency`
//! is not always the cores it has: WebKit reports 4 below 8 cores and 8 at
//! or above, on purpose (fingerprinting), so a pool sized by it can hold
//! more threads than there are cores, and `simd-threads` on all of them is
//! slower than on fewer (their helpers spin for a seat on a core another
//! one holds). At the worker's start a short probe times one kernel on 1 to
//! all of the pool's threads, interleaved, and the default of
//! `simd-threads` is the fewest threads within [`WITHIN`] of the best.

use lanes_kernels::{DType, Data, Op, Par, Params, Problem, Shape, Strategy, Team, Variant};

use crate::clock::Clock;

/// Elements of the probe's `np.exp` (float32): 256 KB in and 256 KB out,
/// which any core's L2 holds, and compute-bound, so that the time follows
/// the cores that work and not the memory they share.
pub const ELEMENTS: usize = 1 << 16;

/// Timed rounds over every thread count; each count keeps its upper
/// quartile (threads that outnumber the cores are preempted now and then:
/// their best time, even their median, can look fine where a run that
/// meets the preemption does not).
const ROUNDS: usize = 9;

/// Untimed rounds for at least this long first: JavaScriptCore runs a
/// module's first calls in its baseline tier and compiles the optimized
/// one in the background (on the same cores); measured before, 1 and 2
/// threads took the same time on two cores.
const WARM_NS: f64 = 100e6;

/// Fewer threads are as good as the best when they are this close to it.
pub const WITHIN: f64 = 1.1;

/// The fewest threads (of `ns_by_threads[i]` for `i + 1` of them) whose
/// time is within [`WITHIN`] of the best; 1 for an empty probe.
pub fn useful_threads(ns_by_threads: &[f64]) -> usize {
    let best = ns_by_threads
        .iter()
        .copied()
        .filter(|t| t.is_finite())
        .fold(f64::INFINITY, f64::min);
    ns_by_threads
        .iter()
        .position(|&t| t <= best * WITHIN)
        .map_or(1, |i| i + 1)
}

/// Times `np.exp` of [`ELEMENTS`] float32 on 1 to `pool` of `team`'s
/// threads: each sample long enough for 100 steps of the clock (as the
/// harness's autorange), after [`WARM_NS`] of untimed rounds, [`ROUNDS`]
/// interleaved rounds, the upper quartile of each count. Returns ns per loop,
/// index `i` for `i + 1` threads; the team's helpers are sent away after
/// it. About 150 to 300 ms.
pub fn probe(
    clock: &dyn Clock,
    resolution_ns: f64,
    team: &Team,
    pool: usize,
) -> Result<Vec<f64>, String> {
    let p = Problem::new(
        Op::Exp,
        Strategy::Default,
        DType::F32,
        Shape::Vector(ELEMENTS),
    )
    .map_err(|e| e.to_string())?;
    let a = Data::from_f64(
        DType::F32,
        (0..ELEMENTS).map(|i| (i % 2000) as f64 / 100.0 - 10.0),
    );
    let mut out = Data::zeros(DType::F32, ELEMENTS);
    let params = Params::default();
    let mut time = |threads: usize, loops: u64| -> Result<f64, String> {
        let inputs = [a.as_slice()];
        // The helpers the last sample left spinning go first: spinning on
        // the cores this one needs, they would slow it (as the engine
        // sends them away before a single-threaded rung).
        team.quiesce();
        let start = clock.now_ns();
        for _ in 0..loops {
            lanes_kernels::run(
                &p,
                Variant::SimdThreads,
                Par::on(team, threads),
                &inputs,
                &params,
                out.as_slice_mut(),
            )
            .map_err(|e| e.to_string())?;
        }
        Ok((clock.now_ns() - start) / loops as f64)
    };
    team.warm();
    let counts = pool.max(1);
    let warm = clock.now_ns();
    while clock.now_ns() - warm < WARM_NS {
        for t in 1..=counts {
            time(t, 1)?;
        }
    }
    // Loops per sample: doubled until one thread takes 100 clock steps.
    let target = 100.0 * resolution_ns.max(1.0);
    let mut loops = 1u64;
    while time(1, loops)? * (loops as f64) < target && loops < 1 << 16 {
        loops *= 2;
    }
    let mut samples = vec![Vec::with_capacity(ROUNDS); counts];
    for _ in 0..ROUNDS {
        for (i, s) in samples.iter_mut().enumerate() {
            s.push(time(i + 1, loops)?);
        }
    }
    let upper_quartile = |mut s: Vec<f64>| {
        s.sort_by(f64::total_cmp);
        s[s.len() * 3 / 4]
    };
    team.quiesce();
    Ok(samples.into_iter().map(upper_quartile).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fewest_threads_near_the_best_are_useful() {
        // Four threads on two cores: two is best, more are slower.
        assert_eq!(useful_threads(&[100.0, 52.0, 90.0, 480.0]), 2);
        // Eight real cores: every thread helps.
        assert_eq!(
            useful_threads(&[80.0, 41.0, 28.0, 21.0, 17.0, 14.5, 12.5, 11.0]),
            8
        );
        // Flat past three: three is within 10% of the best.
        assert_eq!(useful_threads(&[90.0, 46.0, 31.5, 30.0]), 3);
        // One core, or a probe that could not run a thread count.
        assert_eq!(useful_threads(&[50.0, 70.0]), 1);
        assert_eq!(useful_threads(&[]), 1);
        assert_eq!(useful_threads(&[f64::NAN, 40.0]), 2);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_probe_times_every_thread_count_of_the_pool() {
        let team = Team::new();
        let clock = crate::clock::SystemClock::default();
        let ns = probe(&clock, 1000.0, &team, 2).unwrap();
        assert_eq!(ns.len(), 2);
        assert!(ns.iter().all(|t| t.is_finite() && *t > 0.0), "{ns:?}");
        assert!((1..=2).contains(&useful_threads(&ns)));
    }
}
