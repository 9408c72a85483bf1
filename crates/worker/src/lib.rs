//! The Web Worker's wasm entry. The page never runs a kernel: it posts a
//! `RunRequest` to the worker (`web/js/worker.js`), which calls
//! [`Engine::run`]; events come back one JSON string at a time as samples
//! arrive. The JavaScript rungs are the loops in `web/js/baselines.js`
//! (reached through `web/js/rungs.js`), timed by the same harness through
//! [`JsBaseline`].
//!
//! Two builds come from this crate (see `cargo xtask worker`): the default,
//! single-threaded one, and the threaded one (`--features threads`, nightly,
//! atomics and shared memory), whose rayon pool `worker.js` starts with
//! [`init_thread_pool`] and checks with [`ask_pool`] before it creates the
//! [`Engine`]. The engine checks the pool itself ([`pool`]) and offers
//! `simd-threads` only on a pool that really has two or more threads on
//! shared memory, every one of which has answered.

use js_sys::{Array, Function, JsString, Reflect};
use lanes_harness::clock::{Clock, resolution_ns};
use lanes_harness::engine::{Host, JsRung};
use lanes_harness::memory::{self, CountingAlloc};
use lanes_harness::probe;
use lanes_harness::protocol::{Environment, ErrorKind, Event, Limits, RunRequest, Rung};
use lanes_kernels::{Params, Problem, Slice, SliceMut, Team};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

#[wasm_bindgen(module = "/../../web/js/rungs.js")]
extern "C" {
    /// A prepared JavaScript rung.
    type Baseline;

    #[wasm_bindgen(catch)]
    fn prepare(
        kind: &str,
        op: &str,
        strategy: &str,
        dtype: &str,
        shape: Array,
        out_dtype: &str,
        out_len: usize,
        inputs: Array,
        params: JsValue,
    ) -> Result<Baseline, JsValue>;

    #[wasm_bindgen(method)]
    fn run(this: &Baseline, loops: f64);

    #[wasm_bindgen(method, catch)]
    fn output(this: &Baseline) -> Result<JsValue, JsValue>;

    /// The python rung, prepared (`web/js/python.js`).
    type PythonRung;

    #[wasm_bindgen(catch, js_name = preparePython)]
    fn prepare_python(
        dtype: &str,
        shape: Array,
        names: Array,
        inputs: Array,
        params: JsValue,
        setup: Array,
        stmt: &str,
        out_dtype: &str,
    ) -> Result<PythonRung, JsValue>;

    #[wasm_bindgen(method, catch, js_name = run)]
    fn run_python(this: &PythonRung, loops: f64) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = output)]
    fn output_python(this: &PythonRung) -> Result<JsValue, JsValue>;

    /// Bytes its Python objects hold (`tracemalloc`).
    #[wasm_bindgen(method)]
    fn held(this: &PythonRung) -> f64;
}

/// `performance.now()` of the worker, in nanoseconds.
struct PerfClock(web_sys::Performance);

impl Clock for PerfClock {
    fn now_ns(&self) -> f64 {
        self.0.now() * 1e6
    }
}

fn global() -> JsValue {
    js_sys::global().into()
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsString::from(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A copy of a wasm slice in a new JavaScript typed array.
fn to_js(s: Slice<'_>) -> JsValue {
    match s {
        Slice::I8(x) => js_sys::Int8Array::from(x).into(),
        Slice::I16(x) => js_sys::Int16Array::from(x).into(),
        Slice::I32(x) => js_sys::Int32Array::from(x).into(),
        Slice::I64(x) => js_sys::BigInt64Array::from(x).into(),
        Slice::F32(x) => js_sys::Float32Array::from(x).into(),
        Slice::F64(x) => js_sys::Float64Array::from(x).into(),
    }
}

/// Copies the typed array `v` into `out`, which it must match in type and
/// length.
fn copy_from_js(v: &JsValue, out: SliceMut<'_>) -> Result<(), String> {
    fn typed<T: JsCast>(v: &JsValue, what: &str, len: usize) -> Result<T, String> {
        let a: T = v
            .clone()
            .dyn_into()
            .map_err(|_| format!("the JavaScript rung returned no {what}"))?;
        let got = get(a.as_ref(), "length").as_f64().unwrap_or(-1.0);
        if got != len as f64 {
            return Err(format!(
                "the JavaScript rung returned {got} elements where {len} were expected"
            ));
        }
        Ok(a)
    }
    match out {
        SliceMut::I8(o) => typed::<js_sys::Int8Array>(v, "Int8Array", o.len())?.copy_to(o),
        SliceMut::I16(o) => typed::<js_sys::Int16Array>(v, "Int16Array", o.len())?.copy_to(o),
        SliceMut::I32(o) => typed::<js_sys::Int32Array>(v, "Int32Array", o.len())?.copy_to(o),
        SliceMut::I64(o) => typed::<js_sys::BigInt64Array>(v, "BigInt64Array", o.len())?.copy_to(o),
        SliceMut::F32(o) => typed::<js_sys::Float32Array>(v, "Float32Array", o.len())?.copy_to(o),
        SliceMut::F64(o) => typed::<js_sys::Float64Array>(v, "Float64Array", o.len())?.copy_to(o),
    }
    Ok(())
}

fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| get(&e, "message").as_string())
        .unwrap_or_else(|| "JavaScript error".into())
}

/// A JavaScript rung, prepared on its own copies of the inputs.
struct JsBaseline {
    baseline: Baseline,
}

impl JsRung for JsBaseline {
    fn run(&mut self, loops: u64) {
        self.baseline.run(loops as f64);
    }
    fn output_into(&mut self, out: SliceMut<'_>) -> Result<(), String> {
        let v = self.baseline.output().map_err(js_error)?;
        copy_from_js(&v, out)
    }
}

/// The python rung, timed through the same trait.
struct Python {
    rung: PythonRung,
    /// A Python exception in a timed run (the check passed, so only a
    /// `MemoryError` is likely): reported by the next `output_into`.
    failed: Option<String>,
}

impl JsRung for Python {
    fn run(&mut self, loops: u64) {
        if let Err(e) = self.rung.run_python(loops as f64) {
            self.failed.get_or_insert_with(|| js_error(e));
        }
    }
    fn output_into(&mut self, out: SliceMut<'_>) -> Result<(), String> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let v = self.rung.output_python().map_err(js_error)?;
        copy_from_js(&v, out)
    }
    fn held_bytes(&self) -> Option<u64> {
        Some(self.rung.held() as u64)
    }
}

struct Browser {
    clock: PerfClock,
    resolution_ns: f64,
    /// Threads of the verified pool (1 without one).
    pool: usize,
    /// Threads of it that help (the probe's; the pool until probed).
    useful: usize,
    /// The team `simd-threads` runs with, kept for the worker's life.
    team: Team,
}

impl Host for Browser {
    fn clock(&self) -> &dyn Clock {
        &self.clock
    }
    fn resolution_ns(&self) -> f64 {
        self.resolution_ns
    }
    fn limits(&self) -> Limits {
        Limits::BROWSER
            .with_pool(self.pool)
            .with_useful(self.useful)
    }
    fn team(&self) -> &Team {
        &self.team
    }
    fn prepare_js(
        &mut self,
        rung: Rung,
        problem: &Problem,
        inputs: &[Slice<'_>],
        params: &Params,
    ) -> Result<Box<dyn JsRung>, String> {
        let p = js_sys::Object::new();
        for (k, v) in [
            ("alpha", params.alpha),
            ("scalar", params.scalar),
            ("lo", params.lo),
            ("hi", params.hi),
        ] {
            Reflect::set(&p, &k.into(), &v.into()).map_err(js_error)?;
        }
        let arrays: Array = inputs.iter().map(|s| to_js(*s)).collect();
        let out = problem.output();
        let shape: Array = problem
            .shape
            .dims()
            .into_iter()
            .map(|d| JsValue::from(d as f64))
            .collect();
        if rung == Rung::Python {
            let py = problem
                .form()
                .python
                .ok_or_else(|| format!("{} has no Python form", problem.op.name()))?;
            let names: Array = problem
                .inputs()
                .iter()
                .map(|o| JsValue::from_str(o.name))
                .collect();
            let setup: Array = py.setup.iter().map(|l| JsValue::from_str(l)).collect();
            let rung = prepare_python(
                problem.dtype.name(),
                shape,
                names,
                arrays,
                p.into(),
                setup,
                py.stmt,
                out.dtype.name(),
            )
            .map_err(js_error)?;
            return Ok(Box::new(Python { rung, failed: None }));
        }
        let kind = if rung == Rung::JsArray {
            "array"
        } else {
            "typed"
        };
        let baseline = prepare(
            kind,
            problem.op.name(),
            problem.strategy.name(),
            problem.dtype.name(),
            shape,
            out.dtype.name(),
            out.shape.len(),
            arrays,
            p.into(),
        )
        .map_err(js_error)?;
        Ok(Box::new(JsBaseline { baseline }))
    }
}

/// The engine as the worker script sees it.
#[wasm_bindgen]
pub struct Engine {
    host: Browser,
    env: Environment,
}

impl core::fmt::Debug for Engine {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Engine")
            .field("env", &self.env)
            .finish_non_exhaustive()
    }
}

#[wasm_bindgen]
impl Engine {
    /// Measures the timer and describes the environment. `fallback` is why
    /// `worker.js` runs this single-threaded build (it did not get a pool);
    /// the threaded build ignores it and checks its pool.
    #[wasm_bindgen(constructor)]
    pub fn new(fallback: Option<String>) -> Result<Engine, JsValue> {
        let scope: web_sys::WorkerGlobalScope = js_sys::global().dyn_into()?;
        let perf = scope
            .performance()
            .ok_or("no performance.now() in this worker")?;
        let clock = PerfClock(perf);
        let resolution = resolution_ns(&clock);
        let g = global();
        let nav = get(&g, "navigator");
        let isolated = get(&g, "crossOriginIsolated").as_bool().unwrap_or(false);
        let (pool, threads_reason) = match pool() {
            Ok(n) => (n, None),
            Err(why) => (1, Some(fallback.unwrap_or(why))),
        };
        let host = Browser {
            clock,
            resolution_ns: resolution,
            pool,
            useful: pool,
            team: Team::new(),
        };
        let env = Environment {
            platform: "browser".into(),
            user_agent: get(&nav, "userAgent").as_string().unwrap_or_default(),
            cross_origin_isolated: isolated,
            hardware_concurrency: get(&nav, "hardwareConcurrency").as_f64().unwrap_or(1.0) as usize,
            timer_resolution_ns: resolution,
            threads_reason,
            build: BUILD.into(),
            wasm_memory_bytes: memory::wasm_memory_bytes(),
            ..Environment::of(host.limits())
        };
        Ok(Engine { host, env })
    }

    /// Measures how many of the pool's threads help ([`probe`]) and makes
    /// that `simd-threads`'s default: a browser may report more cores than
    /// the device has (WebKit reports 4 below 8 cores). Nothing to do
    /// without a pool; a probe that fails keeps the whole pool.
    #[wasm_bindgen(js_name = probeThreads)]
    pub fn probe_threads(&mut self) -> Result<(), JsValue> {
        if self.host.pool < 2 {
            return Ok(());
        }
        let h = &self.host;
        let ns = probe::probe(&h.clock, h.resolution_ns, &h.team, h.pool)
            .map_err(|m| JsValue::from_str(&m))?;
        self.host.useful = probe::useful_threads(&ns);
        self.env.useful_threads = self.host.limits().useful_threads;
        self.env.thread_probe_ns = ns;
        Ok(())
    }

    /// The environment, as JSON.
    pub fn environment(&self) -> String {
        let mut env = self.env.clone();
        env.wasm_memory_bytes = memory::wasm_memory_bytes();
        serde_json::to_string(&env).unwrap_or_default()
    }

    /// Whether the request (JSON) would run the python rung: `worker.js`
    /// loads CPython for it first, and not for a request that names the
    /// rung but is refused (that one's `run` says why, with nothing loaded).
    #[wasm_bindgen(js_name = needsPython)]
    pub fn needs_python(&self, request: &str) -> bool {
        serde_json::from_str::<RunRequest>(request)
            .ok()
            .and_then(|r| r.plan(&self.host.limits()).ok())
            .is_some_and(|p| p.rungs.contains(&Rung::Python))
    }

    /// Runs one request (JSON), calling `emit(eventJson)` for every event.
    /// Never throws for a bad request: that is an `error` event. Returns
    /// whether the run was refused because the memory could not grow: this
    /// instance's memory never shrinks, so a fresh worker should take over.
    pub fn run(&mut self, request: &str, emit: &Function) -> bool {
        let mut spent = false;
        let mut send = |e: Event| {
            spent |= matches!(
                e,
                Event::Error {
                    kind: ErrorKind::OutOfMemory,
                    ..
                }
            );
            let json = serde_json::to_string(&e).unwrap_or_default();
            // A throwing listener must not abort the run.
            let _ = emit.call1(&JsValue::NULL, &JsValue::from_str(&json));
        };
        match serde_json::from_str::<RunRequest>(request) {
            Ok(req) => {
                lanes_harness::run(&req, &mut self.host, &mut send);
            }
            Err(e) => send(Event::Error {
                variant: None,
                kind: ErrorKind::Refused,
                message: format!("bad request: {e}"),
            }),
        }
        spent
    }
}

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// Fault injection for the end-to-end tests (`window.lanes.inject`): grows
/// the wasm memory as far as it goes, so that no large block can be had any
/// more; with `every_block`, also takes every block the allocator can still
/// give (and never returns them), so that the engine's next allocation of
/// any size fails, as in a tab out of memory. Returns the memory's bytes.
#[wasm_bindgen(js_name = exhaustMemory)]
pub fn exhaust_memory(every_block: bool) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        use core::arch::wasm32::memory_grow;
        for pages in [1024, 1] {
            while memory_grow(0, pages) != usize::MAX {}
        }
    }
    if every_block {
        let mut chunk = 64usize << 20;
        while chunk >= 8 {
            let mut v: Vec<u8> = Vec::new();
            if v.try_reserve_exact(chunk).is_ok() {
                core::mem::forget(v);
            } else {
                chunk /= 2;
            }
        }
    }
    memory::wasm_memory_bytes().unwrap_or(0) as f64
}

#[cfg(not(feature = "threads"))]
const BUILD: &str = concat!(
    "lanes-worker ",
    env!("CARGO_PKG_VERSION"),
    " single-threaded"
);
#[cfg(feature = "threads")]
const BUILD: &str = concat!("lanes-worker ", env!("CARGO_PKG_VERSION"), " threaded");

/// The single-threaded build has no pool.
#[cfg(not(feature = "threads"))]
fn pool() -> Result<usize, String> {
    Err("this is the single-threaded build".into())
}

/// The largest pool `worker.js` starts ([`Limits::MAX_POOL`]).
#[wasm_bindgen(js_name = maxPool)]
pub fn max_pool() -> usize {
    Limits::MAX_POOL
}

/// The pool's threads that have answered [`ask_pool`], one bit per thread
/// index (the pool has at most [`Limits::MAX_POOL`] threads).
#[cfg(feature = "threads")]
const _: () = assert!(Limits::MAX_POOL <= 32);
#[cfg(feature = "threads")]
static ANSWERED: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0);

/// Asks every thread of the pool to show that it runs, without waiting for
/// the answers (a blocking broadcast would hang the worker's start for good
/// if one thread never ran): `worker.js` polls [`pool_answers`] with a
/// deadline, then creates the [`Engine`], which checks the count.
#[cfg(feature = "threads")]
#[wasm_bindgen(js_name = askPool)]
pub fn ask_pool() {
    use core::sync::atomic::Ordering;
    rayon::spawn_broadcast(|ctx| {
        if let Some(bit) = 1u32.checked_shl(ctx.index() as u32) {
            ANSWERED.fetch_or(bit, Ordering::SeqCst);
        }
    });
}

/// Fault injection for the end-to-end tests (`worker.js`, the
/// `silent-pool` start fault): the pool's first thread parks for good, so
/// it never answers an [`ask_pool`] made after this (a thread takes its
/// broadcasts in order).
#[cfg(feature = "threads")]
#[wasm_bindgen(js_name = parkPoolThread)]
pub fn park_pool_thread() {
    rayon::spawn_broadcast(|ctx| {
        if ctx.index() == 0 {
            loop {
                std::thread::park();
            }
        }
    });
}

/// How many threads of the pool have answered [`ask_pool`] so far.
#[cfg(feature = "threads")]
#[wasm_bindgen(js_name = poolAnswers)]
pub fn pool_answers() -> u32 {
    ANSWERED
        .load(core::sync::atomic::Ordering::SeqCst)
        .count_ones()
}

/// The size of the rayon pool, after checking that it can run in parallel:
/// the wasm memory must be shared (a build linked without `--shared-memory`
/// still compiles, and its "pool" would silently be one thread), and every
/// thread of the pool must have answered [`ask_pool`].
#[cfg(feature = "threads")]
fn pool() -> Result<usize, String> {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    if !memory
        .buffer()
        .is_instance_of::<js_sys::SharedArrayBuffer>()
    {
        return Err(
            "this threaded build's memory is not shared (it was linked without --shared-memory), \
             so its threads could not work on the same arrays"
                .into(),
        );
    }
    let n = rayon::current_num_threads();
    if n < 2 {
        return Err(format!(
            "the thread pool has {n} thread: simd-threads needs two or more"
        ));
    }
    let answered = pool_answers() as usize;
    if answered != n {
        return Err(format!(
            "only {answered} of the pool's {n} threads answered in time when asked to show that they run"
        ));
    }
    Ok(n)
}
