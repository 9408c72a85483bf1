//! Fuzzing the run request decoder: whatever JSON (or not JSON) reaches the
//! worker, decoding and planning never panic; a request is either refused
//! with a message or becomes a plan that fits the host's limits.
//!
//! 10,000 cases per property in `cargo xtask test`; `cargo xtask fuzz N`
//! (or `LANES_FUZZ_CASES=N`) runs longer. Native only (proptest's
//! randomness has no wasm32 source).
#![cfg(not(target_arch = "wasm32"))]

use lanes_harness::RunRequest;
use lanes_harness::protocol::{Limits, Plan, offered, wasm_bytes};
use lanes_kernels::Op;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn cases() -> u32 {
    std::env::var("LANES_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const LIMITS: [Limits; 2] = [
    // A browser tab with a pool.
    Limits {
        max_bytes: 1 << 30,
        max_js_bytes: 512 << 20,
        max_threads: 4,
        useful_threads: 2,
        threads: true,
        js: true,
        max_python_bytes: 256 << 20,
    },
    // Native, one thread, little memory.
    Limits {
        max_bytes: 64 << 20,
        max_js_bytes: 0,
        max_threads: 1,
        useful_threads: 1,
        threads: false,
        js: false,
        max_python_bytes: 0,
    },
];

/// Decodes and plans as the worker does; a panic fails the property.
fn decode(json: &str, limits: &Limits) -> Result<Plan, String> {
    let req: RunRequest = serde_json::from_str(json).map_err(|e| format!("bad request: {e}"))?;
    req.plan(limits)
}

/// What every accepted plan must satisfy.
fn check_plan(plan: &Plan, limits: &Limits) -> Result<(), TestCaseError> {
    prop_assert!(wasm_bytes(&plan.problem) <= limits.max_bytes);
    prop_assert!((1..=limits.max_threads).contains(&plan.threads));
    prop_assert!(!plan.rungs.is_empty());
    let offered = offered(&plan.problem, limits);
    prop_assert!(plan.rungs.iter().all(|r| offered.contains(r)));
    prop_assert!(plan.rungs.contains(&plan.baseline));
    let s = &plan.settings;
    prop_assert!((1..=1000).contains(&s.repeats));
    prop_assert!(s.min_sample_ns.is_finite() && s.min_sample_ns > 0.0);
    prop_assert!(s.budget_ns.is_finite() && s.budget_ns > 0.0);
    Ok(())
}

fn check(json: &str) -> Result<(), TestCaseError> {
    for limits in &LIMITS {
        match decode(json, limits) {
            Ok(plan) => check_plan(&plan, limits)?,
            Err(msg) => {
                prop_assert!(!msg.trim().is_empty(), "an empty message for {json}");
                prop_assert!(msg.len() < 2000, "a message of {} bytes", msg.len());
            }
        }
    }
    Ok(())
}

/// A JSON value of any shape, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Names that exist (and near misses), so requests get past the decoder.
fn word(valid: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop_oneof![
        30 => prop::sample::select(valid).prop_map(|s| json!(s)),
        1 => "[a-z0-9<>\"'&;/ -]{0,12}".prop_map(Value::String),
        1 => any_json(),
    ]
}

fn size() -> impl Strategy<Value = Value> {
    size_n().prop_map(|n| json!(n))
}

fn size_n() -> impl Strategy<Value = usize> {
    prop_oneof![
        12 => 1usize..3000,
        1 => Just(0usize),
        1 => Just(usize::MAX),
        1 => Just(usize::MAX / 2 + 1),
        1 => Just(1usize << 32),
        1 => Just((1usize << 31) - 1),
        1 => any::<usize>(),
    ]
}

/// An op with one of its own strategies and dtypes, and a shape of its rank.
fn coherent() -> impl Strategy<Value = (Value, Option<Value>, Value, Value)> {
    (
        prop::sample::select(Op::ALL.to_vec()),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        size_n(),
        size_n(),
    )
        .prop_map(|(op, s, d, a, b)| {
            let info = op.row();
            let strategy = info.forms[s.index(info.forms.len())].strategy;
            let dtype = info.dtypes[d.index(info.dtypes.len())];
            let shape = if info.matrix {
                json!([a, b])
            } else {
                json!([a])
            };
            (
                json!(info.name),
                Some(json!(strategy.name())),
                json!(dtype.name()),
                shape,
            )
        })
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<u32>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        (-1e3f64..1e7).prop_map(|f| json!(f)),
        Just(json!(0)),
        Just(json!(-1)),
        Just(Value::Null),
    ]
}

/// Requests with the right fields (each sometimes missing, sometimes of the
/// wrong type, sometimes an unknown one beside them).
fn structured() -> impl Strategy<Value = String> {
    let ops = &[
        "add",
        "multiply",
        "sum",
        "max",
        "dot",
        "add_row",
        "exp",
        "sqrt",
        "transpose",
        "matmul",
        "mean",
    ];
    let strategies = &["default", "broadcast", "tiled", "blocked", "naive", "loop"];
    let dtypes = &["f32", "f64", "i8", "i16", "i32", "i64", "u8", "float32"];
    let rungs = &[
        "js-array",
        "js-typed",
        "scalar",
        "auto",
        "simd",
        "simd-threads",
        "SIMD",
    ];
    let loose = (
        word(ops),
        prop::option::of(word(strategies)),
        word(dtypes),
        prop_oneof![
            8 => prop::collection::vec(size(), 1..3).prop_map(Value::Array),
            1 => prop::collection::vec(size(), 0..5).prop_map(Value::Array),
            1 => any_json()
        ],
    );
    (
        prop_oneof![2 => coherent(), 1 => loose],
        prop_oneof![
            8 => prop::collection::vec(word(rungs), 1..4).prop_map(Value::Array),
            1 => prop::collection::vec(word(rungs), 0..8).prop_map(Value::Array),
            1 => any_json()
        ],
        prop::option::of(
            prop_oneof![8 => (1usize..6).prop_map(|n| json!(n)), 1 => size(), 1 => number()],
        ),
        prop::option::of(prop_oneof![4 => any::<u64>().prop_map(|n| json!(n)), 1 => number()]),
        prop::option::of(prop_oneof![6 => (1usize..50).prop_map(|n| json!(n)), 1 => number()]),
        prop::option::of(prop_oneof![6 => (0.01f64..5.0).prop_map(|n| json!(n)), 1 => number()]),
        prop::option::of(prop_oneof![6 => (10f64..60_000.0).prop_map(|n| json!(n)), 1 => number()]),
        prop::option::of(word(rungs)),
        (
            prop::array::uniform8(prop::bool::weighted(0.03)),
            prop::bool::weighted(0.02),
            "[a-z_]{1,8}",
            any_json(),
        ),
    )
        .prop_map(
            |(
                (op, strategy, dtype, shape),
                variants,
                threads,
                seed,
                rep,
                ms,
                budget,
                base,
                extra,
            )| {
                let mut m = Map::new();
                let (dropped, unknown, key, value) = extra;
                let mut put = |i: usize, k: &str, v: Option<Value>| {
                    // Each field is left out now and then.
                    if let (false, Some(v)) = (dropped[i], v) {
                        m.insert(k.into(), v);
                    }
                };
                put(0, "op", Some(op));
                put(7, "strategy", strategy);
                put(1, "dtype", Some(dtype));
                put(2, "shape", Some(shape));
                put(3, "variants", Some(variants));
                put(7, "threads", threads);
                put(7, "seed", seed);
                put(4, "repeats", rep);
                put(5, "min_sample_ms", ms);
                put(5, "budget_ms", budget);
                put(6, "baseline", base);
                if unknown {
                    m.insert(key, value);
                }
                Value::Object(m).to_string()
            },
        )
}

proptest! {
    #![proptest_config(config())]

    /// Any text at all.
    #[test]
    fn any_text_is_refused_or_planned(s in ".{0,200}") {
        check(&s)?;
    }

    /// Any JSON value.
    #[test]
    fn any_json_is_refused_or_planned(v in any_json()) {
        check(&v.to_string())?;
    }

    /// Requests that look right, with bad values mixed in.
    #[test]
    fn structured_requests_are_refused_or_planned(s in structured()) {
        check(&s)?;
    }

    /// A valid request with one byte changed, dropped or added.
    #[test]
    fn mutated_requests_are_refused_or_planned(
        at in any::<prop::sample::Index>(),
        how in 0u8..3,
        byte in any::<u8>(),
    ) {
        let good = br#"{"op":"add_row","strategy":"broadcast","dtype":"i16","shape":[300,200],"variants":["js-typed","simd","simd-threads"],"threads":2,"seed":7,"repeats":5,"min_sample_ms":0.5,"budget_ms":2000,"baseline":"js-typed"}"#;
        let mut b = good.to_vec();
        let i = at.index(b.len());
        match how {
            0 => b[i] = byte,
            1 => { b.remove(i); }
            _ => b.insert(i, byte),
        }
        check(&String::from_utf8_lossy(&b))?;
    }
}

#[test]
fn the_unmutated_request_is_planned() {
    // So the mutation property starts from a request that is accepted.
    let good = r#"{"op":"add_row","strategy":"broadcast","dtype":"i16","shape":[300,200],"variants":["js-typed","simd","simd-threads"],"threads":2,"seed":7,"repeats":5,"min_sample_ms":0.5,"budget_ms":2000,"baseline":"js-typed"}"#;
    let plan = decode(good, &LIMITS[0]).expect("accepted");
    assert_eq!(plan.rungs.len(), 3);
}

#[test]
fn huge_shapes_are_refused_with_the_bytes_needed() {
    for shape in [
        "[4000000000]",
        "[18446744073709551615]",
        "[4294967296, 4294967296]",
    ] {
        let json = format!(r#"{{"op":"add","dtype":"f32","shape":{shape},"variants":["simd"]}}"#);
        let msg = decode(&json, &LIMITS[0]).expect_err("too big");
        assert!(
            msg.contains("needs") || msg.contains("too large") || msg.contains("overflow"),
            "{shape}: {msg}"
        );
    }
    let msg = decode(
        r#"{"op":"add","dtype":"f32","shape":[400000000],"variants":["simd"]}"#,
        &LIMITS[0],
    )
    .expect_err("4.8 GB");
    assert!(msg.contains("needs 4.8 GB"), "{msg}");
    assert!(msg.contains("this tab allows 1.1 GB"), "{msg}");
}

#[test]
fn the_structured_generator_reaches_the_planner() {
    // A fuzzer that only ever makes undecodable requests proves little:
    // enough of them must be planned, and enough refused by the planner.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut shown = 0;
    let (mut planned, mut refused, mut undecoded) = (0, 0, 0);
    for _ in 0..2000 {
        let json = structured().new_tree(&mut runner).unwrap().current();
        match serde_json::from_str::<RunRequest>(&json) {
            Err(e) => {
                if shown < 2000 && std::env::var_os("LANES_FUZZ_SHOW").is_some() {
                    shown += 1;
                    eprintln!("{e}: {json}");
                }
                undecoded += 1
            }
            Ok(req) => match req.plan(&LIMITS[0]) {
                Ok(_) => planned += 1,
                Err(e) => {
                    if refused < 2000 && std::env::var_os("LANES_FUZZ_SHOW").is_some() {
                        eprintln!("refused: {e}");
                    }
                    refused += 1
                }
            },
        }
    }
    assert!(
        planned >= 100,
        "planned {planned}, refused {refused}, undecoded {undecoded}"
    );
    assert!(
        refused >= 100,
        "planned {planned}, refused {refused}, undecoded {undecoded}"
    );
    eprintln!("planned {planned}, refused by the planner {refused}, undecoded {undecoded}");
}
