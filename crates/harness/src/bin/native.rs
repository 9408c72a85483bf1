//! `lanes-native`: the engine run natively, for `cargo xtask bench --native`.
//!
//! Reads run requests, one JSON object per line, from standard input and
//! writes events, one JSON object per line, to standard output: first a
//! `ready` event with the environment, then each request's events.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::{BufRead, Write};

    use lanes_harness::clock::{Clock, SystemClock, resolution_ns};
    use lanes_harness::engine::{Host, JsRung};
    use lanes_harness::memory::CountingAlloc;
    use lanes_harness::protocol::{Environment, ErrorKind, Event, Limits, RunRequest, Rung};
    use lanes_kernels::{Params, Problem, Slice, Team};

    #[global_allocator]
    static ALLOC: CountingAlloc = CountingAlloc;

    struct Native {
        clock: SystemClock,
        resolution_ns: f64,
        threads: usize,
        team: Team,
    }

    impl Host for Native {
        fn clock(&self) -> &dyn Clock {
            &self.clock
        }
        fn resolution_ns(&self) -> f64 {
            self.resolution_ns
        }
        fn limits(&self) -> Limits {
            Limits {
                max_bytes: 8 << 30,
                max_js_bytes: 0,
                max_threads: self.threads,
                useful_threads: self.threads,
                threads: true,
                js: false,
                max_python_bytes: 0,
            }
        }
        fn team(&self) -> &Team {
            &self.team
        }
        fn prepare_js(
            &mut self,
            rung: Rung,
            _: &Problem,
            _: &[Slice<'_>],
            _: &Params,
        ) -> Result<Box<dyn JsRung>, String> {
            Err(format!("{rung} needs a browser"))
        }
    }

    pub(super) fn main() {
        let clock = SystemClock::default();
        let resolution = resolution_ns(&clock);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut host = Native {
            clock,
            resolution_ns: resolution,
            threads,
            team: Team::new(),
        };
        let env = Environment {
            platform: "native".into(),
            user_agent: format!(
                "{} {} (Rust, SSE2 lanes)",
                std::env::consts::ARCH,
                std::env::consts::OS
            ),
            cross_origin_isolated: false,
            hardware_concurrency: threads,
            timer_resolution_ns: resolution,
            build: env!("CARGO_PKG_VERSION").into(),
            ..Environment::of(host.limits())
        };
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let mut emit = |e: Event| {
            let line = serde_json::to_string(&e).expect("events serialize");
            writeln!(out, "{line}")
                .and_then(|()| out.flush())
                .expect("stdout");
        };
        emit(Event::Ready { env });
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<RunRequest>(&line) {
                Ok(req) => {
                    lanes_harness::run(&req, &mut host, &mut emit);
                }
                Err(e) => emit(Event::Error {
                    variant: None,
                    kind: ErrorKind::Refused,
                    message: format!("bad request: {e}"),
                }),
            }
        }
    }
}
