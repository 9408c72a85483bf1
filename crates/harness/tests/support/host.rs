//! A native engine host for the tests, shared by the test binaries.

use lanes_harness::clock::{Clock, SystemClock};
use lanes_harness::engine::{Host, JsRung};
use lanes_harness::protocol::{Event, Limits, RunRequest, Rung};
use lanes_kernels::{Data, Params, Problem, Slice};

/// A native host; `bad_js` makes a JavaScript rung that returns a wrong answer.
struct TestHost {
    clock: SystemClock,
    bad_js: bool,
}

struct WrongJs(Data);

impl JsRung for WrongJs {
    fn run(&mut self, _: u64) {}
    fn output(&mut self) -> Result<Data, String> {
        Ok(self.0.clone())
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
            threads: true,
            js: self.bad_js,
        }
    }
    fn prepare_js(
        &mut self,
        _: Rung,
        p: &Problem,
        _: &[Slice<'_>],
        _: &Params,
    ) -> Result<Box<dyn JsRung>, String> {
        let o = p.output();
        Ok(Box::new(WrongJs(Data::from_f64(
            o.dtype,
            (0..o.shape.len()).map(|i| i as f64 + 0.5),
        ))))
    }
}

pub(crate) fn request(json: &str) -> RunRequest {
    serde_json::from_str(json).unwrap()
}

/// The allocation counters are global: engine runs in this binary take turns
/// so that one test's allocations do not show in another's figures.
static ENGINE: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub(crate) fn run(json: &str, bad_js: bool) -> Vec<Event> {
    let _turn = ENGINE.lock().unwrap_or_else(|e| e.into_inner());
    let mut host = TestHost {
        clock: SystemClock::default(),
        bad_js,
    };
    let mut events = Vec::new();
    lanes_harness::run(&request(json), &mut host, &mut |e| events.push(e));
    events
}
