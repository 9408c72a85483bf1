//! NumPy is the oracle: every variant of every op against the outputs NumPy
//! itself computed (tests/golden/generate.py, NumPy pinned there).

use lanes_kernels::{DType, Data, Op, Outcome, Par, Params, Problem, Shape, Strategy, Team};
use lanes_reference::{self as reference, Expected, Rule};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[allow(clippy::type_complexity, unreachable_pub)]
mod cases {
    include!("../../../tests/golden/cases.rs");
}

/// Reads a `.npy` file into a tagged buffer and its shape.
fn read_npy(bytes: &[u8]) -> (Data, Vec<usize>) {
    let npy = npyz::NpyFile::new(bytes).expect("valid .npy");
    let shape: Vec<usize> = npy.shape().iter().map(|&d| d as usize).collect();
    let descr = npy.header().dtype().descr();
    let data = match descr.trim_matches('\'') {
        "<i1" | "|i1" => Data::I8(npy.into_vec().unwrap()),
        "<i2" => Data::I16(npy.into_vec().unwrap()),
        "<i4" => Data::I32(npy.into_vec().unwrap()),
        "<i8" => Data::I64(npy.into_vec().unwrap()),
        "<f4" => Data::F32(npy.into_vec().unwrap()),
        "<f8" => Data::F64(npy.into_vec().unwrap()),
        other => panic!("unexpected dtype {other}"),
    };
    (data, shape)
}

fn problem_of(case: &str, shape: &[usize]) -> Problem {
    let mut parts = case.split('-');
    let op: Op = parts.next().unwrap().parse().unwrap();
    let strategy: Strategy = parts.next().unwrap().parse().unwrap();
    let dtype: DType = parts.next().unwrap().parse().unwrap();
    let shape = match shape {
        [n] => Shape::Vector(*n),
        [r, c] => Shape::Matrix(*r, *c),
        other => panic!("{case}: shape {other:?}"),
    };
    Problem::new(op, strategy, dtype, shape).unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// NumPy's result, compared with the rule of our reference: exact stays
/// exact; ULPs get one more (NumPy's own exp is not correctly rounded);
/// bounds double (both NumPy and we are within the bound of the true sum).
fn numpy_expectation(ours: &Expected, numpy: Data) -> Expected {
    let wide = (0..numpy.len())
        .map(|i| numpy.as_slice().get_f64(i))
        .collect();
    let rule = match &ours.rule {
        Rule::Exact => Rule::Exact,
        Rule::Ulps(u) => Rule::Ulps(u + 1),
        Rule::Bound(b) => Rule::Bound(b.iter().map(|x| 2.0 * x).collect()),
    };
    Expected {
        data: numpy,
        wide,
        rule,
    }
}

#[test]
fn every_variant_matches_numpy() {
    let team = Team::new();
    assert_eq!(
        cases::NUMPY_VERSION,
        include_str!("../../../tests/golden/NUMPY_VERSION").trim()
    );
    let params = Params::default();
    let mut checked = 0;
    let mut ops_seen = std::collections::BTreeSet::new();
    for (case, input_bytes, out_bytes) in cases::CASES {
        let inputs: Vec<(Data, Vec<usize>)> = input_bytes.iter().map(|b| read_npy(b)).collect();
        let (numpy_out, _) = read_npy(out_bytes);
        let problem = problem_of(case, &inputs[0].1);
        ops_seen.insert(problem.op);
        let slices: Vec<_> = inputs.iter().map(|(d, _)| d.as_slice()).collect();
        let ours = reference::expected(&problem, &slices, &params).unwrap();
        // The reference itself agrees with NumPy...
        let numpy = numpy_expectation(&ours, numpy_out);
        if let Err(m) = reference::compare(ours.data.as_slice(), &numpy) {
            panic!("{case}: reference differs from NumPy: {m}");
        }
        // ...and so does every variant.
        for variant in problem.op.variants(problem.strategy, problem.dtype) {
            let mut out = reference::output_for(&problem);
            let outcome = lanes_kernels::run(
                &problem,
                variant,
                Par::on(&team, 2),
                &slices,
                &params,
                out.as_slice_mut(),
            )
            .unwrap_or_else(|e| panic!("{case} {}: {e}", variant.name()));
            let got = match outcome {
                Outcome::View => slices[0],
                Outcome::Written => out.as_slice(),
            };
            if let Err(m) = reference::compare(got, &numpy) {
                panic!("{case} {}: differs from NumPy: {m}", variant.name());
            }
            checked += 1;
        }
    }
    assert_eq!(ops_seen.len(), Op::ALL.len(), "golden files cover every op");
    assert!(checked > 1000, "only {checked} variant checks");
}
