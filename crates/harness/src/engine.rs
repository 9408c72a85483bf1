//! Runs a request: validates it, makes seeded inputs outside any timed
//! region, checks every rung against the reference before timing it (a wrong
//! rung is reported and never timed), measures the rest interleaved, and
//! streams events as samples arrive.

use core::hint::black_box;
use std::sync::{Mutex, PoisonError};

use lanes_kernels::{
    DType, Data, Element, Op, Par, Params, Problem, Shape, Slice, SliceMut, Strategy, Tagged, Team,
};
use lanes_reference::{self as reference, Expected};

use crate::clock::Clock;
use crate::memory;
use crate::planner::{self, Sample};
use crate::protocol::{
    ArrayInfo, ErrorKind, Event, Failure, Limits, Plan, RunInfo, RunRequest, RunSummary, Rung,
    VariantResult, format_bytes, wasm_bytes,
};
use crate::stats::{self, Summary};

/// A JavaScript rung, prepared on its own copies of the inputs.
pub trait JsRung {
    /// Runs the loop `loops` times.
    fn run(&mut self, loops: u64);
    /// Copies the output of the last run into `out` (the problem's output,
    /// in its dtype). Into the wasm rungs' output, not a new array: a buffer
    /// allocated and freed in the middle of a run is a hole the run's small
    /// allocations fall into, and the next run's arrays then may not fit.
    fn output_into(&mut self, out: SliceMut<'_>) -> Result<(), String>;
    /// Bytes the rung's own objects hold, where the host measures them
    /// (the python rung's, by `tracemalloc`).
    fn held_bytes(&self) -> Option<u64> {
        None
    }
}

/// What the engine needs from where it runs.
pub trait Host {
    fn clock(&self) -> &dyn Clock;
    /// The measured timer resolution.
    fn resolution_ns(&self) -> f64;
    fn limits(&self) -> Limits;
    /// The team `simd-threads` runs with: the host's own, kept across
    /// runs (its helpers are what the rung's calls reuse).
    fn team(&self) -> &Team;
    /// Prepares a rung outside the kernels, a JavaScript loop or the
    /// python rung (copies of the inputs, outside any timed region). Hosts
    /// without them never get asked (`Limits::js`,
    /// `Limits::max_python_bytes`).
    fn prepare_js(
        &mut self,
        rung: Rung,
        problem: &Problem,
        inputs: &[Slice<'_>],
        params: &Params,
    ) -> Result<Box<dyn JsRung>, String>;
}

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `n` values of `T` drawn from `[lo, hi)` (rounded for integers), in a
/// buffer reserved up front so that a failed allocation is a message.
fn fill<T: Element + Tagged>(
    rng: &mut Rng,
    n: usize,
    (lo, hi): (f64, f64),
    name: &str,
) -> Result<Data, String> {
    let mut v: Vec<T> = Vec::new();
    v.try_reserve_exact(n).map_err(|_| {
        format!(
            "could not allocate input {name}: {} elements of {}",
            n,
            T::DTYPE
        )
    })?;
    v.extend((0..n).map(|_| {
        let x = lo + (hi - lo) * rng.unit();
        T::from_f64(if T::DTYPE.is_float() { x } else { x.round() })
    }));
    Ok(T::wrap_vec(v))
}

/// Seeded inputs; allocation failures are messages, not aborts.
pub fn make_inputs(problem: &Problem, seed: u64) -> Result<Vec<Data>, String> {
    let range = if problem.dtype.is_float() {
        problem.op.row().float_inputs
    } else {
        lanes_kernels::catalogue::INPUTS
    };
    let mut rng = Rng(seed ^ 0x5EED);
    problem
        .inputs()
        .iter()
        .map(|o| {
            let (r, n, name) = (&mut rng, o.shape.len(), o.name);
            match o.dtype {
                DType::I8 => fill::<i8>(r, n, range, name),
                DType::I16 => fill::<i16>(r, n, range, name),
                DType::I32 => fill::<i32>(r, n, range, name),
                DType::I64 => fill::<i64>(r, n, range, name),
                DType::F32 => fill::<f32>(r, n, range, name),
                DType::F64 => fill::<f64>(r, n, range, name),
            }
        })
        .collect()
}

fn array_info(o: &lanes_kernels::Operand) -> ArrayInfo {
    ArrayInfo {
        name: o.name.to_owned(),
        dtype: o.dtype.name().to_owned(),
        shape: o.shape.dims(),
        bytes: o.nbytes(),
    }
}

fn run_info(plan: &Plan, target_ns: f64, resolution_ns: f64) -> RunInfo {
    let p = &plan.problem;
    let info = p.op.row();
    let cost = p.cost();
    RunInfo {
        op: p.op.name().to_owned(),
        strategy: p.strategy.name().to_owned(),
        dtype: p.dtype.name().to_owned(),
        shape: p.shape.dims(),
        numpy: p.op.numpy(p.strategy).to_owned(),
        variants: plan.rungs.clone(),
        baseline: plan.baseline,
        threads: plan.threads,
        inputs: p.inputs().iter().map(array_info).collect(),
        output: array_info(&p.output()),
        temp_bytes: p.temp_bytes(),
        bytes_per_loop: cost.bytes_read + cost.bytes_written,
        flops_per_loop: cost.flops,
        elements_per_loop: cost.elements,
        unit: match info.unit {
            lanes_kernels::Unit::Bytes => "bytes",
            lanes_kernels::Unit::Elements => "elements",
            lanes_kernels::Unit::Flops => "flops",
        }
        .to_owned(),
        target_sample_ns: target_ns,
        timer_resolution_ns: resolution_ns,
    }
}

/// Asks the allocator for every byte the run will hold, at once, and gives
/// it back: where the memory cannot grow that far, the run is refused here
/// with a message instead of aborting in the middle of an allocation. The
/// allocator keeps what it got, so the arrays that follow fit in it.
fn reserve(bytes: u64) -> Result<(), Failure> {
    let refused = || {
        let now = memory::wasm_memory_bytes()
            .map(|b| format!(" (its memory is {} now)", format_bytes(b as u64)))
            .unwrap_or_default();
        Failure::new(
            ErrorKind::OutOfMemory,
            format!(
                "out of memory: this run needs {} and the worker could not get it{now}; try a smaller size",
                format_bytes(bytes)
            ),
        )
    };
    let n = usize::try_from(bytes).map_err(|_| refused())?;
    let mut v: Vec<u8> = Vec::new();
    v.try_reserve_exact(n).map_err(|_| refused())
}

/// What a run's arrays are made from: the problem, the seed and the params.
type Key = (Problem, u64, Params);

/// The arrays of a run: its seeded inputs, the reference's result on them
/// and the buffer the rungs write their output into.
struct Arrays {
    key: Key,
    inputs: Vec<Data>,
    expected: Expected,
    out: Data,
}

/// The last run's arrays, kept for the next run of the same problem (the
/// playground's Run, again and again). Its arrays are then neither made nor
/// computed again, and above all not freed and allocated again: between two
/// runs, a freed array of 240 MB is a hole the worker's small allocations
/// (a block of rayon's job queue, a message) fall into, and the next run's
/// arrays no longer fit in it. The wasm memory, which never shrinks, then
/// grows by as much again. A run of another problem frees them first.
static KEPT: Mutex<Option<Arrays>> = Mutex::new(None);

/// The arrays for `problem`: the kept ones if they were made for it, or
/// new ones (with every byte of the run asked for first).
fn arrays(problem: &Problem, seed: u64, params: &Params) -> Result<Arrays, Failure> {
    let key = (*problem, seed, *params);
    let kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner).take();
    // Kept arrays of another problem are dropped here, before the reserve.
    if let Some(a) = kept.filter(|a| a.key == key) {
        reserve(problem.temp_bytes())?;
        return Ok(a);
    }
    reserve(wasm_bytes(problem))?;
    let inputs = make_inputs(problem, seed).map_err(|m| Failure::new(ErrorKind::OutOfMemory, m))?;
    let slices: Vec<Slice<'_>> = inputs.iter().map(Data::as_slice).collect();
    let expected = reference::expected(problem, &slices, params)
        .map_err(|e| Failure::new(ErrorKind::Refused, e.to_string()))?;
    let o = problem.output();
    let out = Data::zeros(o.dtype, o.shape.len());
    Ok(Arrays {
        key,
        inputs,
        expected,
        out,
    })
}

/// Fills the output buffer with a value before a rung is checked, so that a
/// rung that leaves some of it unwritten fails its check instead of passing
/// on what the rung before it (or the last run) wrote there.
fn poison(out: &mut Data) {
    match out {
        Data::I8(v) => v.fill(-93),
        Data::I16(v) => v.fill(-23_917),
        Data::I32(v) => v.fill(-1_592_653_589),
        Data::I64(v) => v.fill(-3_141_592_653_589_793),
        Data::F32(v) => v.fill(-2.718_281_7e-29),
        Data::F64(v) => v.fill(-2.718_281_828_459_045e-299),
    }
}

/// One rung ready to be timed.
enum Ready {
    Wasm(lanes_kernels::Variant),
    Js(Box<dyn JsRung>),
}

/// Runs `request` on `host`, streaming events to `emit`. Returns the
/// summary (also sent as the last event), or `None` if nothing could run.
pub fn run(
    request: &RunRequest,
    host: &mut dyn Host,
    emit: &mut dyn FnMut(Event),
) -> Option<RunSummary> {
    let fail = |emit: &mut dyn FnMut(Event), f: Failure| {
        emit(Event::Error {
            variant: None,
            kind: f.kind,
            message: f.message,
        });
    };
    let plan = match request.plan(&host.limits()) {
        Ok(p) => p,
        Err(m) => {
            fail(emit, Failure::new(ErrorKind::Refused, m));
            return None;
        }
    };
    let resolution = host.resolution_ns();
    let started = host.clock().now_ns();
    let target = planner::target_ns(&plan.settings, resolution);
    let info = run_info(&plan, target, resolution);
    emit(Event::Started { info: info.clone() });

    let p = plan.problem;
    let params = Params::default();
    let Arrays {
        key,
        inputs,
        expected,
        mut out,
    } = match arrays(&p, plan.seed, &params) {
        Ok(a) => a,
        Err(m) => {
            fail(emit, m);
            return None;
        }
    };
    let slices: Vec<Slice<'_>> = inputs.iter().map(Data::as_slice).collect();

    // The thread pool starts (and every thread of it runs once) before
    // anything is timed or counted.
    let team = host.team().clone();
    let par = Par::on(&team, plan.threads);
    if plan
        .rungs
        .contains(&Rung::Wasm(lanes_kernels::Variant::SimdThreads))
    {
        team.warm();
    }

    // Check every rung once before timing any.
    let mut ready: Vec<(Rung, Ready)> = Vec::new();
    let mut failed: Vec<(Rung, String)> = Vec::new();
    for &rung in &plan.rungs {
        poison(&mut out);
        let checked = match rung {
            Rung::Wasm(v) => lanes_kernels::run(&p, v, par, &slices, &params, out.as_slice_mut())
                .map_err(|e| e.to_string())
                .and_then(|outcome| {
                    let got = match outcome {
                        lanes_kernels::Outcome::View => slices[0],
                        lanes_kernels::Outcome::Written => out.as_slice(),
                    };
                    reference::compare(got, &expected).map_err(|m| format!("wrong result: {m}"))
                })
                .map(|()| Ready::Wasm(v)),
            js => host.prepare_js(js, &p, &slices, &params).and_then(|mut j| {
                j.run(1);
                j.output_into(out.as_slice_mut())?;
                let rule = reference::float64_rule(&p, &slices, &params, &expected);
                reference::compare_by(out.as_slice(), &expected, &rule)
                    .map_err(|m| format!("wrong result: {m}"))?;
                Ok(Ready::Js(j))
            }),
        };
        match checked {
            Ok(r) => {
                let held_bytes = match &r {
                    Ready::Js(j) => j.held_bytes(),
                    Ready::Wasm(_) => None,
                };
                emit(Event::Verified {
                    variant: rung,
                    held_bytes,
                });
                ready.push((rung, r));
            }
            Err(message) => {
                emit(Event::Error {
                    variant: Some(rung),
                    kind: ErrorKind::Rung,
                    message: message.clone(),
                });
                failed.push((rung, message));
            }
        }
    }

    // The no-op: the same dispatch path on an empty problem, so it costs
    // what the harness and the call cost, and nothing else.
    let noop_problem = Problem::new(Op::Add, Strategy::Default, p.dtype, Shape::Vector(0)).ok()?;
    let noop_in = Data::zeros(p.dtype, 0);
    let mut noop_out = Data::zeros(p.dtype, 0);
    let noop = ready.len();
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); noop + 1];
    let mut extra: Vec<usize> = vec![0; noop + 1];
    let names: Vec<Rung> = ready.iter().map(|(r, _)| *r).collect();
    let threaded =
        |i: usize| names.get(i) == Some(&Rung::Wasm(lanes_kernels::Variant::SimdThreads));
    let mut call = |i: usize, loops: u64| {
        if !threaded(i) {
            team.quiesce();
        }
        if i == noop {
            for _ in 0..loops {
                let ins = [noop_in.as_slice(), noop_in.as_slice()];
                let r = lanes_kernels::run(
                    &noop_problem,
                    lanes_kernels::Variant::Scalar,
                    Par::SEQ,
                    &ins,
                    &params,
                    noop_out.as_slice_mut(),
                );
                black_box(r.is_ok());
            }
            return;
        }
        match &mut ready[i].1 {
            Ready::Wasm(v) => {
                for _ in 0..loops {
                    let r = lanes_kernels::run(&p, *v, par, &slices, &params, out.as_slice_mut());
                    black_box(r.is_ok());
                    black_box(&mut out);
                }
            }
            Ready::Js(j) => j.run(loops),
        }
    };
    let mut on_sample = |s: Sample| {
        samples[s.subject].push(s.ns);
        extra[s.subject] = extra[s.subject].max(s.extra_bytes);
        if s.subject < noop {
            emit(Event::Sample {
                variant: names[s.subject],
                round: s.round,
                loops: s.loops,
                ns: s.ns,
                extra_bytes: s.extra_bytes,
            });
        }
    };
    let primed: Vec<bool> = (0..=noop).map(threaded).collect();
    let cals = planner::measure(
        host.clock(),
        &primed,
        &mut call,
        &plan.settings,
        resolution,
        &mut on_sample,
    );

    let noop_summary = Summary::of(&samples[noop]);
    let summaries: Vec<Option<Summary>> = samples.iter().map(|s| Summary::of(s)).collect();
    let base = names
        .iter()
        .position(|r| *r == plan.baseline)
        .and_then(|i| summaries[i].clone());
    let cost = p.cost();
    let mut results = Vec::new();
    for (i, rung) in names.iter().enumerate() {
        let Some(s) = &summaries[i] else { continue };
        let t = stats::throughput(&cost, s.min);
        let sp = base.as_ref().map(|b| stats::speedup(b, s));
        let result = VariantResult {
            variant: *rung,
            loops: cals[i].loops,
            repeats: s.n,
            samples_ns: samples[i].clone(),
            min_ns: s.min,
            median_ns: s.median,
            mean_ns: s.mean,
            std_ns: s.std,
            mad_ns: s.mad,
            ci_low_ns: s.ci_low,
            ci_high_ns: s.ci_high,
            cv: s.cv(),
            outliers_low: s.outliers_low,
            outliers_high: s.outliers_high,
            timeit: stats::timeit_line(cals[i].loops, s.n, s.min),
            bytes_per_loop: cost.bytes_read + cost.bytes_written,
            gb_per_s: t.gb_per_s,
            gelem_per_s: t.gelem_per_s,
            gflop_per_s: t.gflop_per_s,
            peak_extra_bytes: extra[i],
            verified: true,
            optimized_away: noop_summary
                .as_ref()
                .is_some_and(|n| stats::indistinguishable_from_noop(n, s)),
            timer_saturated: cals[i].saturated,
            speedup: sp.map(|x| x.ratio),
            speedup_low: sp.map(|x| x.low),
            speedup_high: sp.map(|x| x.high),
        };
        emit(Event::VariantDone {
            result: result.clone(),
        });
        results.push(result);
    }
    drop(slices);
    *KEPT.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arrays {
        key,
        inputs,
        expected,
        out,
    });
    let summary = RunSummary {
        info,
        results,
        failed,
        noop_ns_per_loop: noop_summary.map_or(f64::NAN, |s| s.median),
        noop_loops: cals[noop].loops,
        memory_counted: memory::counting(),
        wasm_memory_bytes: memory::wasm_memory_bytes(),
        elapsed_ms: (host.clock().now_ns() - started) / 1e6,
    };
    emit(Event::RunDone {
        summary: summary.clone(),
    });
    Some(summary)
}
