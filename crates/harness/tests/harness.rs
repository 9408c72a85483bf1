#![cfg(not(target_arch = "wasm32"))]
//! The planner and the statistics against a fake clock and hand-computed
//! values; the engine end to end (natively) on real kernels.

use std::cell::RefCell;

use lanes_harness::clock::{FakeClock, resolution_ns};
use lanes_harness::memory::CountingAlloc;
use lanes_harness::planner::{self, Settings};
use lanes_harness::protocol::{ErrorKind, Event, Rung};
use lanes_harness::stats::{self, Summary};
use lanes_kernels::Variant;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn resolution_probe_finds_the_timer_step() {
    let clock = FakeClock::new(100_000.0).with_read_cost(1_000.0);
    assert_eq!(resolution_ns(&clock), 100_000.0);
    let fine = FakeClock::new(0.0).with_read_cost(25.0);
    assert_eq!(resolution_ns(&fine), 25.0);
}

#[test]
fn autorange_steps_are_timeits() {
    let v: Vec<u64> = planner::autorange_steps().take(8).collect();
    assert_eq!(v, [1, 2, 5, 10, 20, 50, 100, 200]);
}

#[test]
fn target_is_100_timer_steps_or_the_minimum() {
    let s = Settings {
        min_sample_ns: 1e6,
        ..Settings::default()
    };
    assert_eq!(planner::target_ns(&s, 100_000.0), 10e6);
    assert_eq!(planner::target_ns(&s, 5_000.0), 1e6);
}

#[test]
fn calibration_picks_the_first_loop_count_reaching_the_target() {
    let clock = FakeClock::new(0.0);
    // Each loop costs 1 us: 10 ms needs 10_000 loops (after 5_000 fell short).
    let mut subject = |loops: u64| clock.advance(1_000.0 * loops as f64);
    let cal = planner::calibrate(&clock, &mut subject, 10e6, 1 << 40, f64::INFINITY);
    assert_eq!(cal.loops, 10_000);
    assert!(!cal.saturated);
    assert_eq!(cal.sample_ns, 10e6);
}

#[test]
fn confirmation_catches_a_calibration_made_during_warm_up() {
    // The first calls are 10x slower (a baseline tier), then the code is fast.
    let clock = FakeClock::new(0.0);
    let calls = std::cell::Cell::new(0u32);
    let mut subject = |loops: u64| {
        calls.set(calls.get() + 1);
        let per = if calls.get() <= 10 { 10_000.0 } else { 1_000.0 };
        clock.advance(per * loops as f64);
    };
    let cal = planner::calibrate(&clock, &mut subject, 10e6, 1 << 40, f64::INFINITY);
    assert_eq!(cal.loops, 1000, "autorange stopped on the slow tier");
    let cal = planner::confirm(&clock, &mut subject, cal, 10e6, 1 << 40);
    assert_eq!(
        cal.loops, 10_000,
        "scaled up to the next step that reaches the target"
    );
    // A sound calibration is left alone.
    assert_eq!(
        planner::confirm(&clock, &mut subject, cal, 10e6, 1 << 40).loops,
        10_000
    );
}

#[test]
fn saturation_fires_when_the_target_cannot_be_reached() {
    let clock = FakeClock::new(1e6);
    let mut subject = |loops: u64| clock.advance(10.0 * loops as f64);
    let cal = planner::calibrate(&clock, &mut subject, 100e6, 1000, f64::INFINITY);
    assert!(cal.saturated);
    assert_eq!(cal.loops, 1000);
    // ...and does not when it can.
    let mut fast = |loops: u64| clock.advance(1e6 * loops as f64);
    assert!(!planner::calibrate(&clock, &mut fast, 100e6, 1 << 40, f64::INFINITY).saturated);
}

#[test]
fn rounds_interleave_the_subjects_and_respect_the_budget() {
    let clock = FakeClock::new(0.0);
    let order = RefCell::new(Vec::new());
    let mut run = |i: usize, loops: u64| {
        clock.advance(1e5 * (i + 1) as f64 * loops as f64);
    };
    let settings = Settings {
        min_sample_ns: 1e6,
        repeats: 4,
        warmup_ns: 1e6,
        budget_ns: 1e12,
        max_loops: 1 << 40,
    };
    let cals = planner::measure(&clock, &[false; 3], &mut run, &settings, 1.0, &mut |s| {
        order.borrow_mut().push((s.round, s.subject));
    });
    assert_eq!(cals.iter().map(|c| c.loops).collect::<Vec<_>>(), [10, 5, 5]);
    let expected: Vec<(usize, usize)> = (0..4).flat_map(|r| (0..3).map(move |s| (r, s))).collect();
    assert_eq!(
        *order.borrow(),
        expected,
        "one sample per subject per round, in turn"
    );

    // A budget spent during calibration still leaves one sample each.
    let tight = Settings {
        budget_ns: 1.0,
        ..settings
    };
    let n = RefCell::new(0);
    planner::measure(&clock, &[false; 3], &mut run, &tight, 1.0, &mut |_| {
        *n.borrow_mut() += 1
    });
    assert_eq!(*n.borrow(), 3);
}

#[test]
fn a_primed_subject_is_warmed_up_before_each_sample() {
    let clock = FakeClock::new(0.0);
    let calls = RefCell::new(Vec::new());
    let mut run = |i: usize, loops: u64| {
        calls.borrow_mut().push((i, loops));
        clock.advance(1e6 * loops as f64);
    };
    let settings = Settings {
        min_sample_ns: 1e6,
        repeats: 3,
        warmup_ns: 3e6,
        budget_ns: 1e12,
        max_loops: 1 << 40,
    };
    let samples = RefCell::new(Vec::new());
    planner::measure(&clock, &[false, true], &mut run, &settings, 1.0, &mut |s| {
        samples.borrow_mut().push((s.subject, s.ns));
    });
    // Each sample times one loop of 1 ms: the warm-up is not in it.
    assert_eq!(samples.borrow().len(), 6);
    assert!(samples.borrow().iter().all(|&(_, ns)| ns == 1e6));
    // In the rounds, subject 1 runs 3 ms of untimed calls, then its timed
    // call; subject 0 only its timed call.
    let calls = calls.borrow();
    let rounds: Vec<usize> = calls[calls.len() - 15..].iter().map(|c| c.0).collect();
    assert_eq!(rounds, [0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1]);
}

#[test]
fn statistics_match_hand_computed_values() {
    let s = Summary::of(&[3.0, 1.0, 100.0, 2.0, 4.0]).unwrap();
    assert_eq!((s.n, s.min, s.max, s.median), (5, 1.0, 100.0, 3.0));
    assert!(close(s.mean, 22.0));
    // Deviations from 22: 21, 20, 19, 18, 78 -> variance 7610 / 4.
    assert!(close(s.std, (7610.0f64 / 4.0).sqrt()));
    // |x - 3| = 2, 1, 0, 1, 97 -> median 1.
    assert_eq!(s.mad, 1.0);
    assert_eq!((s.q1, s.q3), (2.0, 4.0));
    // Fences at -1 and 7: 100 is one high outlier, counted and kept.
    assert_eq!((s.outliers_low, s.outliers_high), (0, 1));
    assert!(close(s.cv(), s.std / 22.0));
    // Fewer than 6 samples: the interval is the range.
    assert_eq!((s.ci_low, s.ci_high), (1.0, 100.0));

    let twenty: Vec<f64> = (1..=20).map(f64::from).collect();
    let s = Summary::of(&twenty).unwrap();
    assert_eq!(s.median, 10.5);
    // n/2 -+ 1.96 sqrt(n)/2 = 10 -+ 4.38: ranks 5 and 16.
    assert_eq!((s.ci_low, s.ci_high), (5.0, 16.0));
    assert_eq!(s.outliers_low + s.outliers_high, 0);
    assert!(Summary::of(&[]).is_none());
}

#[test]
fn timeit_lines_read_like_timeit() {
    assert_eq!(
        stats::timeit_line(100, 5, 7.23e6),
        "100 loops, best of 5: 7.23 ms per loop"
    );
    assert_eq!(
        stats::timeit_line(1000, 5, 861e3),
        "1000 loops, best of 5: 861 µs per loop"
    );
    assert_eq!(
        stats::timeit_line(10, 5, 98.4e6),
        "10 loops, best of 5: 98.4 ms per loop"
    );
    assert_eq!(
        stats::timeit_line(1, 7, 1.5e9),
        "1 loop, best of 7: 1.5 s per loop"
    );
    assert_eq!(stats::format_time(12.0), "12 ns");
}

#[test]
fn throughput_and_speedup() {
    let cost = lanes_kernels::Cost {
        bytes_read: 8e6,
        bytes_written: 4e6,
        flops: 1e6,
        elements: 1e6,
    };
    let t = stats::throughput(&cost, 1e6);
    assert_eq!((t.gb_per_s, t.gelem_per_s, t.gflop_per_s), (12.0, 1.0, 1.0));
    let base = Summary::of(&[10.0; 7]).unwrap();
    let fast = Summary::of(&[2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.5]).unwrap();
    let sp = stats::speedup(&base, &fast);
    assert_eq!(sp.ratio, 5.0);
    assert!(sp.low <= sp.ratio && sp.ratio <= sp.high);
    assert_eq!(sp.low, 4.0);
    // One definition, whoever asks: the sweeps' speed-up from two results'
    // medians and intervals is the harness's.
    let same = stats::Speedup::between(
        [base.median, base.ci_low, base.ci_high],
        [fast.median, fast.ci_low, fast.ci_high],
    );
    assert_eq!(same, sp);
    let shown = stats::Speedup::between([10.0, 9.0, 11.0], [5.0, 4.0, 6.0]);
    assert_eq!(shown.text(), "2.00× (1.50–2.75)");
}

#[test]
fn noop_flag_fires_and_does_not() {
    let noop = Summary::of(&[10.0, 10.0, 11.0, 10.0, 10.0]).unwrap();
    assert!(stats::indistinguishable_from_noop(
        &noop,
        &Summary::of(&[12.0; 5]).unwrap()
    ));
    assert!(!stats::indistinguishable_from_noop(
        &noop,
        &Summary::of(&[100.0; 5]).unwrap()
    ));
}

#[path = "support/host.rs"]
mod host;
use host::{Js, run, run_with};

#[test]
fn a_rung_that_writes_nothing_fails_even_after_one_that_wrote_the_answer() {
    let events = run_with(
        r#"{"op":"add","dtype":"i16","shape":[1003],"variants":["simd","js-typed"],"repeats":3,"min_sample_ms":0.1}"#,
        Some(Js::Silent),
    );
    let Some(Event::RunDone { summary }) = events.last() else {
        panic!("{:?}", events.last())
    };
    assert_eq!(summary.results.len(), 1, "{summary:?}");
    assert_eq!(summary.results[0].variant, Rung::Wasm(Variant::Simd));
    let [(Rung::JsTyped, message)] = &summary.failed[..] else {
        panic!("{:?}", summary.failed)
    };
    assert!(
        message.starts_with("wrong result: element 0 is "),
        "{message}"
    );
}

#[test]
fn a_wrong_rung_is_reported_and_never_timed() {
    let events = run(
        r#"{"op":"add","dtype":"f32","shape":[1000],"variants":["js-array","simd"],"repeats":3,"min_sample_ms":0.1}"#,
        true,
    );
    let err = events.iter().find_map(|e| match e {
        Event::Error {
            variant: Some(Rung::JsArray),
            kind: ErrorKind::Rung,
            message,
        } => Some(message.clone()),
        _ => None,
    });
    assert!(err.is_some_and(|m| m.contains("wrong result")));
    assert!(!events.iter().any(|e| matches!(
        e,
        Event::Sample {
            variant: Rung::JsArray,
            ..
        }
    )));
    let Some(Event::RunDone { summary }) = events.last() else {
        panic!()
    };
    assert_eq!(summary.results.len(), 1);
    assert_eq!(summary.failed.len(), 1);
}

#[test]
fn requests_that_cannot_fit_or_make_no_sense_are_refused_with_a_reason() {
    let cases = [
        (
            r#"{"op":"add","dtype":"f32","shape":[100000000000],"variants":["simd"]}"#,
            "needs 1.2 TB",
        ),
        (
            r#"{"op":"add","dtype":"f7","shape":[10],"variants":["simd"]}"#,
            "unknown dtype",
        ),
        (
            r#"{"op":"sort","dtype":"f32","shape":[10],"variants":["simd"]}"#,
            "not offered",
        ),
        (
            r#"{"op":"add","dtype":"f32","shape":[10],"variants":[]}"#,
            "no variant",
        ),
        (
            r#"{"op":"add","dtype":"f32","shape":[10],"variants":["simd"],"threads":64}"#,
            "threads must be",
        ),
        (
            r#"{"op":"add","dtype":"f32","shape":[2,3,4],"variants":["simd"]}"#,
            "shape must be",
        ),
        (
            r#"{"op":"add_row","dtype":"f32","shape":[10],"variants":["simd"]}"#,
            "2-D",
        ),
    ];
    for (json, want) in cases {
        let events = run(json, false);
        match &events[..] {
            [
                Event::Error {
                    variant: None,
                    kind: ErrorKind::Refused,
                    message,
                },
            ] => {
                assert!(message.contains(want), "{json}: {message}")
            }
            other => panic!("{json}: {other:?}"),
        }
    }
}

#[test]
fn events_round_trip_as_json() {
    let events = run(
        r#"{"op":"sum","dtype":"i8","shape":[1000],"variants":["scalar","simd"],"repeats":3,"min_sample_ms":0.1}"#,
        false,
    );
    for e in &events {
        let json = serde_json::to_string(e).unwrap();
        let back: Event = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, e);
    }
    let json = serde_json::to_string(events.last().unwrap()).unwrap();
    assert!(json.starts_with(r#"{"type":"run-done""#), "{json}");
}

/// `Event::from_json` (the page's light decoder) reads back every kind of
/// event exactly as serde's derived decoder would, including an error
/// without a rung and a summary with a refused rung.
#[test]
fn every_event_reads_back_from_its_json() {
    let mut events = run(
        r#"{"op":"add","dtype":"f32","shape":[1000],"variants":["js-array","simd"],"repeats":3,"min_sample_ms":0.1}"#,
        true,
    );
    events.extend(run(
        r#"{"op":"add","dtype":"f7","shape":[10],"variants":["simd"]}"#,
        false,
    ));
    events.extend(run_with(
        r#"{"op":"sum","dtype":"i64","shape":[1000],"variants":["python","simd"],"repeats":3,"min_sample_ms":0.1}"#,
        Some(Js::Right),
    ));
    events.push(Event::Loading {
        stage: "downloading Python".into(),
        bytes: 1 << 20,
        total: 13 << 20,
    });
    events.push(Event::Ready {
        env: lanes_harness::protocol::Environment {
            platform: "browser".into(),
            user_agent: "test".into(),
            cross_origin_isolated: false,
            hardware_concurrency: 2,
            timer_resolution_ns: 100.0,
            simd: true,
            threads_reason: Some("not isolated".into()),
            build: "lanes-worker test".into(),
            wasm_memory_bytes: Some(1 << 20),
            ..lanes_harness::protocol::Environment::of(lanes_harness::protocol::Limits::BROWSER)
        },
    });
    let kinds: std::collections::BTreeSet<String> = events
        .iter()
        .map(|e| {
            serde_json::to_value(e).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "error",
            "loading",
            "ready",
            "run-done",
            "sample",
            "started",
            "variant-done",
            "verified"
        ]
    );
    for e in &events {
        let json = serde_json::to_string(e).unwrap();
        assert_eq!(Event::from_json(&json).as_ref(), Some(e), "{json}");
        assert_eq!(serde_json::from_str::<Event>(&json).ok().as_ref(), Some(e));
    }
    assert_eq!(
        Event::from_json(r#"{"type":"sample","variant":"simd"}"#),
        None
    );
    assert_eq!(Event::from_json(r#"{"type":"unknown"}"#), None);
    assert_eq!(Event::from_json("not json"), None);
}

/// The bench's JSON, typed once: a report of two passes keeps each row's
/// best, and reads back as it was written, partial records and refusals too.
#[test]
fn a_bench_report_keeps_each_rows_best_pass_and_reads_back() {
    use lanes_harness::report::{BenchReport, Failed, PartialRecord, ProblemKey, Record, SCHEMA};
    let events = run_with(
        r#"{"op":"add","dtype":"i16","shape":[1003],"variants":["simd","js-typed"],"repeats":3,"min_sample_ms":0.1}"#,
        Some(Js::Silent),
    );
    let Some(Event::RunDone { summary }) = events.last() else {
        panic!("{:?}", events.last())
    };
    let mut report = BenchReport::new(None);
    report.add(summary);
    let mut faster = summary.clone();
    faster.results[0].min_ns /= 2.0;
    report.add(&faster);
    report.add(summary);
    let problem = ProblemKey {
        op: "add".into(),
        strategy: "default".into(),
        dtype: "i16".into(),
        shape: vec![1003],
    };
    report.records.push(Record::Partial(PartialRecord {
        problem: problem.clone(),
        variant: Rung::Wasm(Variant::Scalar),
        threads: 1,
        unit: "bytes".into(),
        samples_ns: vec![10.0, 11.0],
        partial: true,
    }));
    report.keep_best_passes();
    let rows: Vec<_> = report.measured().collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].passes, Some(3));
    assert_eq!(rows[0].result.min_ns, faster.results[0].min_ns);
    assert_eq!(rows[0].problem, problem);
    assert_eq!(report.records.len(), 2, "the partial record stays");
    assert!(matches!(
        &report.failed[..],
        [
            Failed::Rung {
                variant: Some(Rung::JsTyped),
                ..
            },
            ..
        ]
    ));
    let text = serde_json::to_string(&report).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema"], SCHEMA);
    assert_eq!(v["records"][0]["variant"], "simd");
    assert_eq!(v["records"][0]["threads"], 1);
    assert_eq!(v["records"][1]["partial"], true);
    assert!(
        v["records"][0].get("numpy_ns").is_none(),
        "absent, not null"
    );
    let back: BenchReport = serde_json::from_str(&text).unwrap();
    assert_eq!(back, report);
}

/// The python rung is timed like the others, and what its objects hold
/// (measured by its host) comes with its check.
#[test]
fn the_python_rung_is_checked_timed_and_reports_what_it_holds() {
    let events = run_with(
        r#"{"op":"add","dtype":"i8","shape":[1000],"variants":["python","simd"],"repeats":3,"min_sample_ms":0.1}"#,
        Some(Js::Right),
    );
    assert!(events.contains(&Event::Verified {
        variant: Rung::Python,
        held_bytes: Some(4321)
    }));
    assert!(events.contains(&Event::Verified {
        variant: Rung::Wasm(Variant::Simd),
        held_bytes: None
    }));
    let Some(Event::RunDone { summary }) = events.last() else {
        panic!("{:?}", events.last())
    };
    let rungs: Vec<Rung> = summary.results.iter().map(|r| r.variant).collect();
    assert_eq!(rungs, [Rung::Python, Rung::Wasm(Variant::Simd)]);
    // A wrong Python answer is an error, never a time.
    let events = run(
        r#"{"op":"add","dtype":"i8","shape":[1000],"variants":["python","simd"],"repeats":3,"min_sample_ms":0.1}"#,
        true,
    );
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Error { variant: Some(Rung::Python), kind: ErrorKind::Rung, message } if message.contains("wrong result")
    )));
}

/// Where the python rung is offered, that it is never a default, and the
/// sizes it refuses, with the bytes its lists would need.
#[test]
fn the_python_rung_is_opt_in_and_refuses_what_its_lists_cannot_hold() {
    use lanes_harness::protocol::{Limits, default_rungs, offered, python_bytes};
    use lanes_kernels::{DType, Op, Problem, Shape, Strategy};
    let p = |op, strategy, dtype, shape| Problem::new(op, strategy, dtype, shape).unwrap();
    let add = p(
        Op::Add,
        Strategy::Default,
        DType::I64,
        Shape::Vector(1_000_000),
    );
    assert_eq!(offered(&add, &Limits::BROWSER)[0], Rung::Python);
    assert!(!default_rungs(&add, &Limits::BROWSER).contains(&Rung::Python));
    let native = Limits {
        max_python_bytes: 0,
        ..Limits::BROWSER
    };
    assert!(!offered(&add, &native).contains(&Rung::Python));
    // No faithful pure-Python form: not offered.
    let matmul = p(Op::Matmul, Strategy::Ikj, DType::F32, Shape::Matrix(64, 64));
    assert!(!offered(&matmul, &Limits::BROWSER).contains(&Rung::Python));
    // Nor on an empty array, where the plain Python raises or answers in
    // another shape than NumPy: max([]), sum(a) / 0, zip(*[]) of no rows.
    for (op, strategy, shape) in [
        (Op::Max, Strategy::Default, Shape::Vector(0)),
        (Op::Mean, Strategy::Default, Shape::Vector(0)),
        (Op::SumAxis, Strategy::Columns, Shape::Matrix(0, 5)),
    ] {
        let empty = p(op, strategy, DType::F32, shape);
        assert!(
            !offered(&empty, &Limits::BROWSER).contains(&Rung::Python),
            "{op:?}"
        );
    }
    let one = p(Op::Mean, Strategy::Default, DType::F32, Shape::Vector(1));
    assert_eq!(offered(&one, &Limits::BROWSER)[0], Rung::Python);
    // a, b and the result as lists (28 B an element at most), and the
    // arrays (8 B an element each, three of them, each twice: the
    // array.array and the bytes it is made from or read back as).
    assert_eq!(
        python_bytes(&add),
        3 * 28 * 1_000_000 + 2 * 3 * 8 * 1_000_000
    );
    // `sum(a)` builds no list: its array, and its result.
    let sum = p(
        Op::Sum,
        Strategy::Default,
        DType::I64,
        Shape::Vector(10_000_000),
    );
    assert_eq!(python_bytes(&sum), 2 * (8 * 10_000_000 + 8));
    let plan = |json: &str| host::request(json).plan(&Limits::BROWSER);
    assert!(
        plan(r#"{"op":"sum","dtype":"i64","shape":[10000000],"variants":["python","simd"]}"#)
            .is_ok()
    );
    assert!(
        plan(r#"{"op":"add","dtype":"i64","shape":[1000000],"variants":["python","simd"]}"#)
            .is_ok()
    );
    let refused =
        plan(r#"{"op":"add","dtype":"i64","shape":[10000000],"variants":["python","simd"]}"#)
            .unwrap_err();
    assert_eq!(
        refused,
        "python at shape (10000000,) needs up to 1.3 GB: 3 Python lists of 10000000 numbers at up to 28 B each (a slot and a number object) and its arrays, but Python may take 1.1 GB here; try a smaller size or leave python out"
    );
    // Without python the same size runs.
    assert!(plan(r#"{"op":"add","dtype":"i64","shape":[10000000],"variants":["simd"]}"#).is_ok());
}

/// A rung that computes in float64 and rounds once (the python rung, the
/// JavaScript loops) is held to what that rounding allows: float32
/// `alpha * x + y` is NumPy's two roundings apart from it, more where the
/// sum cancels; anything further off still fails.
#[test]
fn a_float64_rung_is_allowed_numpys_extra_float32_rounding_and_no_more() {
    use lanes_kernels::{DType, Data, Op, Params, Problem, Shape, Strategy};
    use lanes_reference::{self as reference, Rule};
    let n = 4096;
    let params = Params::default();
    let x: Vec<f32> = (0..n).map(|i| 97.3 + i as f32 * 0.0137).collect();
    // y close to -alpha * x: the sum cancels most of its digits.
    let y: Vec<f32> = x
        .iter()
        .map(|&v| -(params.alpha as f32) * v + 0.01)
        .collect();
    let p = Problem::new(Op::Axpy, Strategy::Default, DType::F32, Shape::Vector(n)).unwrap();
    let (xs, ys) = (Data::F32(x.clone()), Data::F32(y.clone()));
    let inputs = [xs.as_slice(), ys.as_slice()];
    let expected = reference::expected(&p, &inputs, &params).unwrap();
    let once: Vec<f32> = x
        .iter()
        .zip(&y)
        .map(|(&x, &y)| (params.alpha * f64::from(x) + f64::from(y)) as f32)
        .collect();
    let got = Data::F32(once.clone());
    assert!(
        reference::compare_by(got.as_slice(), &expected, &Rule::Ulps(1)).is_err(),
        "rounded once, some elements are more than 1 ULP from NumPy's float32 result"
    );
    let rule = reference::float64_rule(&p, &inputs, &params, &expected);
    assert!(matches!(*rule, Rule::Bound(_)));
    reference::compare_by(got.as_slice(), &expected, &rule).unwrap();
    // Two of the product's ULPs off is too far.
    let mut off = once;
    off[100] += 2.0 * (params.alpha as f32 * x[100]).abs() * f32::EPSILON;
    let off = Data::F32(off);
    assert!(reference::compare_by(off.as_slice(), &expected, &rule).is_err());
    // One operation, rounded once, is the float32 result: 1 ULP, borrowed
    // rules stand.
    let add = Problem::new(Op::Add, Strategy::Default, DType::F32, Shape::Vector(n)).unwrap();
    let e = reference::expected(&add, &inputs, &params).unwrap();
    assert_eq!(
        *reference::float64_rule(&add, &inputs, &params, &e),
        Rule::Ulps(1)
    );
    let sum = Problem::new(Op::Sum, Strategy::Default, DType::F32, Shape::Vector(n)).unwrap();
    let e = reference::expected(&sum, &inputs[..1], &params).unwrap();
    assert!(matches!(
        reference::float64_rule(&sum, &inputs[..1], &params, &e),
        std::borrow::Cow::Borrowed(Rule::Bound(_))
    ));
}
