//! One runner over every op x strategy x dtype x variant x shape x unaligned
//! start, against the naive reference, with guard cells around every output.

use lanes_kernels::{
    CONV_TAPS, DType, Data, Error, Op, Outcome, Par, Params, Problem, Shape, Slice, SliceMut,
    Strategy, Tagged, Team, Variant,
};
use lanes_reference::{self as reference, Expected};

/// The team every `simd-threads` call here runs with.
static TEAM: std::sync::LazyLock<Team> = std::sync::LazyLock::new(Team::new);

fn par(threads: usize) -> Par<'static> {
    Par::on(&TEAM, threads)
}

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Fill {
    Random,
    /// A quarter of the elements are special: NaN, +-inf, -0.0, extremes.
    Special,
}

/// Input values for `op` in `dtype`: full-range integers, and floats over a
/// range where the op is interesting.
fn values(rng: &mut Rng, op: Op, dtype: DType, n: usize, fill: Fill) -> Vec<f64> {
    let (lo, hi) = match (op, dtype) {
        (Op::Exp, DType::F32) => (-110.0, 95.0),
        (Op::Exp, DType::F64) => (-750.0, 712.0),
        _ => (-100.0, 100.0),
    };
    let reduction = matches!(
        op,
        Op::Sum | Op::Mean | Op::Dot | Op::Matmul | Op::Convolve | Op::SumAxis
    );
    (0..n)
        .map(|_| {
            if fill == Fill::Special && rng.next().is_multiple_of(4) {
                let floats: &[f64] = if reduction {
                    &[f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, 0.0]
                } else {
                    &[
                        f64::NAN,
                        f64::INFINITY,
                        f64::NEG_INFINITY,
                        -0.0,
                        0.0,
                        3.0e38,
                        -3.0e38,
                        1e-40,
                    ]
                };
                let ints: &[f64] = &[f64::MIN, f64::MAX, -1.0, 0.0, 1.0];
                let pick = if dtype.is_float() { floats } else { ints };
                return pick[(rng.next() % pick.len() as u64) as usize];
            }
            if dtype.is_float() {
                lo + (hi - lo) * rng.unit()
            } else {
                // Full-range integers (saturating conversion from i64 bits).
                (rng.next() as i64 >> (64 - 8 * dtype.itemsize())) as f64
            }
        })
        .collect()
}

/// Integers beyond 2^53 do not survive a trip through f64: fill int64 arrays
/// straight from the generator.
fn make(rng: &mut Rng, op: Op, dtype: DType, n: usize, fill: Fill, offset: usize) -> Data {
    if dtype == DType::I64 {
        Data::I64(
            (0..n + offset)
                .map(|i| match (fill, rng.next() % 4) {
                    (Fill::Special, 0) => [i64::MIN, i64::MAX, -1, 0][i % 4],
                    _ => rng.next() as i64,
                })
                .collect(),
        )
    } else {
        Data::from_f64(dtype, values(rng, op, dtype, n + offset, fill))
    }
}

const GUARD: usize = 7;

/// A guard value that no kernel would write by accident.
fn guard_of(dtype: DType) -> f64 {
    if dtype.is_float() { -1.234_567e7 } else { 99.0 }
}

/// Runs one rung with `GUARD` sentinel cells on each side of the output and
/// returns the output, or the error, after checking the sentinels survived.
fn run_guarded(
    problem: &Problem,
    variant: Variant,
    inputs: &[Slice<'_>],
    params: &Params,
) -> Result<(Outcome, Data), Error> {
    let o = problem.output();
    let len = o.shape.len();
    let g = guard_of(o.dtype);
    let mut buf = Data::from_f64(o.dtype, (0..len + 2 * GUARD).map(|_| g));
    let outcome = {
        let out = sub_mut(&mut buf, GUARD..GUARD + len);
        lanes_kernels::run(problem, variant, par(3), inputs, params, out)?
    };
    let s = buf.as_slice();
    for i in (0..GUARD).chain(GUARD + len..len + 2 * GUARD) {
        let v = s.get_f64(i);
        assert!(
            v == g,
            "{problem:?} {variant:?}: guard cell {i} overwritten with {v}"
        );
    }
    Ok((outcome, s.slice(GUARD..GUARD + len).to_data()))
}

fn sub_mut(d: &mut Data, r: core::ops::Range<usize>) -> SliceMut<'_> {
    match d {
        Data::I8(v) => i8::wrap_mut(&mut v[r]),
        Data::I16(v) => i16::wrap_mut(&mut v[r]),
        Data::I32(v) => i32::wrap_mut(&mut v[r]),
        Data::I64(v) => i64::wrap_mut(&mut v[r]),
        Data::F32(v) => f32::wrap_mut(&mut v[r]),
        Data::F64(v) => f64::wrap_mut(&mut v[r]),
    }
}

fn shapes(op: Op, dtype: DType) -> Vec<Shape> {
    let l = dtype.lanes();
    if op.row().matrix {
        let dims = [0, 1, 2, 3, l - 1, l, l + 1, 2 * l + 3, 33, 37];
        let mut v: Vec<Shape> = dims
            .iter()
            .flat_map(|&r| dims.iter().map(move |&c| Shape::Matrix(r, c)))
            .collect();
        if op == Op::Matmul {
            // Past the k block (128) and past the column block (256).
            v.extend([Shape::Matrix(5, 130), Shape::Matrix(260, 3)]);
        } else {
            // Several blocks of rows (add_row: 16 KB of f32 is 61 of these
            // rows), and rows too long for a block (4 KB and more, in f32).
            v.extend([Shape::Matrix(130, 67), Shape::Matrix(9, 1100)]);
        }
        v
    } else {
        let mut v: Vec<Shape> = (0..=4 * l + 1).map(Shape::Vector).collect();
        v.extend([257, 1000, 4099].map(Shape::Vector));
        if op != Op::Sort && cfg!(not(target_arch = "wasm32")) {
            v.push(Shape::Vector(70_001));
        }
        v
    }
}

fn offsets(dtype: DType) -> Vec<usize> {
    let mut v = vec![0, 1, 3, dtype.lanes() + 1];
    v.dedup();
    v
}

fn check(problem: &Problem, variant: Variant, inputs: &[Slice<'_>], want: &Expected, what: &str) {
    let params = Params::default();
    let (outcome, got) =
        run_guarded(problem, variant, inputs, &params).unwrap_or_else(|e| panic!("{what}: {e}"));
    let got_slice = match outcome {
        Outcome::View => inputs[0],
        Outcome::Written => got.as_slice(),
    };
    if let Err(m) = reference::compare(got_slice, want) {
        panic!("{what}: {m}");
    }
}

fn ladder(op: Op) {
    let mut rng = Rng(0x1A9E5 ^ op as u64);
    let params = Params::default();
    let mut runs = 0usize;
    for strategy in op.row().strategies() {
        for &dtype in op.row().dtypes {
            let variants = op.variants(strategy, dtype);
            assert!(
                !variants.is_empty(),
                "{op:?} {strategy:?} {dtype} offers no variant"
            );
            for shape in shapes(op, dtype) {
                let problem = match Problem::new(op, strategy, dtype, shape) {
                    Ok(p) => p,
                    Err(e) => {
                        // Only convolve refuses shapes of the right rank.
                        assert!(op == Op::Convolve && shape.len() < CONV_TAPS, "{e}");
                        continue;
                    }
                };
                for fill in [Fill::Random, Fill::Special] {
                    for offset in offsets(dtype) {
                        let owned: Vec<Data> = problem
                            .inputs()
                            .iter()
                            .map(|o| make(&mut rng, op, dtype, o.shape.len(), fill, offset))
                            .collect();
                        let inputs: Vec<Slice<'_>> = owned
                            .iter()
                            .map(|d| d.as_slice().slice(offset..d.len()))
                            .collect();
                        let want = match reference::expected(&problem, &inputs, &params) {
                            Ok(w) => w,
                            Err(Error::Empty(_)) => {
                                for &v in &variants {
                                    let r = lanes_kernels::run(
                                        &problem,
                                        v,
                                        par(2),
                                        &inputs,
                                        &params,
                                        sub_mut(&mut reference::output_for(&problem), 0..1),
                                    );
                                    assert_eq!(r, Err(Error::Empty("max")));
                                }
                                continue;
                            }
                            Err(e) => panic!("{e}"),
                        };
                        for &variant in &variants {
                            let what = format!(
                                "{} {} {dtype} {shape} {} offset {offset} {fill:?}",
                                op.name(),
                                strategy.name(),
                                variant.name()
                            );
                            check(&problem, variant, &inputs, &want, &what);
                            runs += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(runs > 100, "{op:?}: only {runs} runs");
}

macro_rules! ladder_tests {
    ($($name:ident => $op:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                ladder(Op::$op);
            }
        )*

        /// The ops the tests above run.
        const COVERED: &[Op] = &[$(Op::$op),*];
    };
}

ladder_tests! {
    add => Add,
    multiply => Multiply,
    minimum => Minimum,
    axpy => Axpy,
    sqrt => Sqrt,
    exp => Exp,
    add_scalar => AddScalar,
    add_row => AddRow,
    sum => Sum,
    max => Max,
    mean => Mean,
    dot => Dot,
    matmul => Matmul,
    sort => Sort,
    where_positive => Where,
    clip => Clip,
    convolve => Convolve,
    sum_axis => SumAxis,
    transpose => Transpose,
    ravel => Ravel,
}

/// Integer sums whose every element is the dtype's minimum or maximum, at
/// lengths around where the SIMD kernels' narrow accumulators are widened
/// (after a block of vectors, with the leftover vectors all in the first
/// accumulator): a lane that held one vector too many would wrap. The
/// random fills rarely come near these sums.
#[test]
fn integer_sums_at_the_extremes() {
    let mut runs = 0usize;
    for dtype in [DType::I8, DType::I16, DType::I32, DType::I64] {
        let l = dtype.lanes();
        // Around blocks of about 128 and 256 steps of four vectors, plus up
        // to three vectors and a tail; for i16 also around 2^15 steps.
        let mut steps = vec![125, 126, 127, 128, 129, 253, 254, 255, 256, 257, 258];
        if dtype == DType::I16 {
            steps.extend([32764, 32765, 32766, 32767, 32768]);
        }
        let lengths: Vec<usize> = steps
            .iter()
            .flat_map(|&steps| [0, 3 * l, 3 * l + 1, 4 * l - 1].map(|extra| steps * 4 * l + extra))
            .collect();
        for n in lengths {
            // Saturated: the dtype's minimum and maximum.
            for (value, name) in [(f64::MIN, "min"), (f64::MAX, "max")] {
                for op in [Op::Sum, Op::Mean] {
                    let problem =
                        Problem::new(op, Strategy::Default, dtype, Shape::Vector(n)).unwrap();
                    let data = Data::from_f64(dtype, vec![value; n]);
                    let inputs = [data.as_slice()];
                    let want = reference::expected(&problem, &inputs, &Params::default()).unwrap();
                    for variant in op.variants(Strategy::Default, dtype) {
                        let what =
                            format!("{} {dtype} n={n} all {name} {}", op.name(), variant.name());
                        check(&problem, variant, &inputs, &want, &what);
                        runs += 1;
                    }
                }
            }
        }
    }
    assert!(runs > 100, "only {runs} runs");
}

#[test]
fn every_op_is_covered() {
    // The list above must name every op of the catalogue, once.
    for op in Op::ALL {
        let n = COVERED.iter().filter(|&&c| c == op).count();
        assert_eq!(n, 1, "{op:?} is in the ladder's list {n} times");
    }
    assert_eq!(COVERED.len(), Op::ALL.len());
}

#[test]
fn unsupported_combinations_are_errors() {
    let p = Problem::new(Op::Sort, Strategy::Default, DType::F32, Shape::Vector(8)).unwrap();
    let a = Data::zeros(DType::F32, 8);
    let mut out = Data::zeros(DType::F32, 8);
    let r = lanes_kernels::run(
        &p,
        Variant::Simd,
        Par::SEQ,
        &[a.as_slice()],
        &Params::default(),
        out.as_slice_mut(),
    );
    assert!(matches!(r, Err(Error::Variant { .. })), "{r:?}");
    let e = Problem::new(Op::Exp, Strategy::Default, DType::I32, Shape::Vector(8)).unwrap_err();
    assert!(e.to_string().contains("does not take i32"), "{e}");
    let e = Problem::new(
        Op::AddRow,
        Strategy::Default,
        DType::F32,
        Shape::Matrix(2, 2),
    )
    .unwrap_err();
    assert!(e.to_string().contains("no strategy"), "{e}");
    let e = Problem::new(Op::Add, Strategy::Default, DType::F32, Shape::Matrix(2, 2)).unwrap_err();
    assert!(e.to_string().contains("1-D"), "{e}");
    // Mismatched arrays are refused, not read out of bounds.
    let p = Problem::new(Op::Add, Strategy::Default, DType::F32, Shape::Vector(8)).unwrap();
    let short = Data::zeros(DType::F32, 7);
    let r = lanes_kernels::run(
        &p,
        Variant::Scalar,
        Par::SEQ,
        &[a.as_slice(), short.as_slice()],
        &Params::default(),
        out.as_slice_mut(),
    );
    assert!(matches!(r, Err(Error::Shape(_))), "{r:?}");
}
