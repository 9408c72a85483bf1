//! A native engine host for the tests, shared by the test binaries.
#![allow(dead_code, reason = "each test binary uses what it needs of it")]

use lanes_harness::clock::{Clock, SystemClock};
use lanes_harness::engine::{Host, JsRung};
use lanes_harness::protocol::{Event, Limits, RunRequest, Rung};
use lanes_kernels::{Element, Params, Problem, Slice, SliceMut, Team};

/// A native host whose JavaScript rungs, if it has any, are `js`.
struct TestHost {
    clock: SystemClock,
    js: Option<Js>,
    team: Team,
}

/// What a test's JavaScript rung does.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Js {
    /// Writes a wrong answer.
    Wrong,
    /// Writes nothing at all.
    Silent,
    /// Writes the reference's answer, and says it holds 4321 bytes (as the
    /// python rung does, measured).
    Right,
}

/// The reference's answer, copied out each time.
struct RightJs(lanes_kernels::Data);

impl JsRung for RightJs {
    fn run(&mut self, _: u64) {}
    fn output_into(&mut self, out: SliceMut<'_>) -> Result<(), String> {
        use lanes_kernels::Slice as S;
        match (out, self.0.as_slice()) {
            (SliceMut::I8(o), S::I8(x)) => o.copy_from_slice(x),
            (SliceMut::I16(o), S::I16(x)) => o.copy_from_slice(x),
            (SliceMut::I32(o), S::I32(x)) => o.copy_from_slice(x),
            (SliceMut::I64(o), S::I64(x)) => o.copy_from_slice(x),
            (SliceMut::F32(o), S::F32(x)) => o.copy_from_slice(x),
            (SliceMut::F64(o), S::F64(x)) => o.copy_from_slice(x),
            _ => return Err("dtypes differ".into()),
        }
        Ok(())
    }
    fn held_bytes(&self) -> Option<u64> {
        Some(4321)
    }
}

/// Writes nothing: whatever the output buffer holds is its answer.
struct SilentJs;

impl JsRung for SilentJs {
    fn run(&mut self, _: u64) {}
    fn output_into(&mut self, _: SliceMut<'_>) -> Result<(), String> {
        Ok(())
    }
}

/// Writes `i + 0.5` (in the output's dtype) at every index `i`: wrong for
/// every op.
struct WrongJs;

impl JsRung for WrongJs {
    fn run(&mut self, _: u64) {}
    fn output_into(&mut self, out: SliceMut<'_>) -> Result<(), String> {
        fn fill<T: Element>(o: &mut [T]) {
            for (i, x) in o.iter_mut().enumerate() {
                *x = T::from_f64(i as f64 + 0.5);
            }
        }
        match out {
            SliceMut::I8(o) => fill(o),
            SliceMut::I16(o) => fill(o),
            SliceMut::I32(o) => fill(o),
            SliceMut::I64(o) => fill(o),
            SliceMut::F32(o) => fill(o),
            SliceMut::F64(o) => fill(o),
        }
        Ok(())
    }
}

impl Host for TestHost {
    fn clock(&self) -> &dyn Clock {
        &self.clock
    }
    fn resolution_ns(&self) -> f64 {
        50.0
    }
    fn limits(&self) -> Limits {
        Limits {
            max_bytes: 1 << 30,
            max_js_bytes: 1 << 30,
            max_threads: 2,
            useful_threads: 2,
            threads: true,
            js: self.js.is_some(),
            max_python_bytes: if self.js.is_some() { 1 << 30 } else { 0 },
        }
    }
    fn team(&self) -> &Team {
        &self.team
    }
    fn prepare_js(
        &mut self,
        _: Rung,
        problem: &Problem,
        inputs: &[Slice<'_>],
        params: &Params,
    ) -> Result<Box<dyn JsRung>, String> {
        match self.js {
            Some(Js::Wrong) => Ok(Box::new(WrongJs)),
            Some(Js::Silent) => Ok(Box::new(SilentJs)),
            Some(Js::Right) => lanes_reference::expected(problem, inputs, params)
                .map(|e| Box::new(RightJs(e.data)) as Box<dyn JsRung>)
                .map_err(|e| e.to_string()),
            None => Err("no JavaScript here".into()),
        }
    }
}

pub(crate) fn request(json: &str) -> RunRequest {
    serde_json::from_str(json).unwrap()
}

/// The allocation counters are global: engine runs in this binary take turns
/// so that one test's allocations do not show in another's figures.
static ENGINE: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub(crate) fn run(json: &str, bad_js: bool) -> Vec<Event> {
    run_with(json, bad_js.then_some(Js::Wrong))
}

/// Runs `json` on a host whose JavaScript rungs are `js`.
pub(crate) fn run_with(json: &str, js: Option<Js>) -> Vec<Event> {
    let _turn = ENGINE.lock().unwrap_or_else(|e| e.into_inner());
    let mut host = TestHost {
        clock: SystemClock::default(),
        js,
        team: Team::new(),
    };
    let mut events = Vec::new();
    lanes_harness::run(&request(json), &mut host, &mut |e| events.push(e));
    events
}
