//! The naive, obviously right versions every variant is checked against,
//! and the comparison rules (exact, ULPs, or a stated float error bound).
//!
//! Integer results and element-wise float results must match exactly; `exp`
//! within [`exp_ulps`] ULPs of the correctly rounded value; float sums, dots,
//! matmuls and convolutions within the error bound of their summation order
//! ([`sum_bound`]) around a sum computed in higher precision.
//!
//! A crate of its own so that it can be built for size (`opt-level = "z"`
//! in the workspace's Cargo.toml): it runs once per run in the worker, never
//! timed, and at the kernels' `-O3` it was 67 KB of the worker's code.

use std::borrow::Cow;

use lanes_kernels::pairwise::SUM_BLOCK;
use lanes_kernels::{
    DType, Data, Element, Error, Float, Op, Outcome, Par, Params, Problem, Shape, Slice, Strategy,
    Tagged, Variant,
};

/// How far `exp` may be from the correctly rounded result.
pub const fn exp_ulps(_dtype: DType) -> u64 {
    2
}

/// Machine epsilon of a float dtype (0 for integers).
pub fn eps(dtype: DType) -> f64 {
    match dtype {
        DType::F32 => f32::EPSILON as f64,
        DType::F64 => f64::EPSILON,
        _ => 0.0,
    }
}

/// The error bound of a float sum of `len` terms whose magnitudes add up to
/// `abs_sum`: pairwise over `SUM_BLOCK` blocks when `pairwise`, else
/// sequential. (Higham, "Accuracy and Stability of Numerical Algorithms",
/// 4.2: a sum computed by any order within a tree of depth d errs by at most
/// d * eps * sum |x|.) One more eps covers the final rounding.
pub fn sum_bound(dtype: DType, len: usize, pairwise: bool, abs_sum: f64) -> f64 {
    let depth = if pairwise {
        let blocks = len.div_ceil(SUM_BLOCK).max(1);
        SUM_BLOCK.min(len) + (usize::BITS - blocks.leading_zeros()) as usize + 2
    } else {
        len + 2
    };
    depth as f64 * eps(dtype) * abs_sum
}

/// The expected output of a problem.
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    /// The result in the output dtype (rounded from higher precision where inexact).
    pub data: Data,
    /// The result in `f64` (before rounding to the output dtype), for bounds.
    pub wide: Vec<f64>,
    pub rule: Rule,
}

/// How an output is compared with the expected one.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// Equal values (NaN equals NaN, and -0 equals +0).
    Exact,
    /// Within this many units in the last place.
    Ulps(u64),
    /// Within these absolute errors of `wide`, element by element.
    Bound(Vec<f64>),
}

/// A difference between a result and the reference.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    pub index: usize,
    pub got: f64,
    pub expected: f64,
    pub allowed: String,
}

impl core::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "element {} is {} but should be {} ({})",
            self.index, self.got, self.expected, self.allowed
        )
    }
}

/// Computes the expected output of `problem` on `inputs`.
pub fn expected(
    problem: &Problem,
    inputs: &[Slice<'_>],
    params: &Params,
) -> Result<Expected, Error> {
    let want = problem.inputs();
    if inputs.len() != want.len()
        || want
            .iter()
            .zip(inputs)
            .any(|(w, s)| s.dtype() != w.dtype || s.len() != w.shape.len())
    {
        return Err(Error::Shape("inputs do not match the problem".into()));
    }
    if problem.op == Op::Max && problem.shape.is_empty() {
        return Err(Error::Empty("max"));
    }
    Ok(match problem.dtype {
        DType::I8 => typed::<i8>(problem, inputs, params),
        DType::I16 => typed::<i16>(problem, inputs, params),
        DType::I32 => typed::<i32>(problem, inputs, params),
        DType::I64 => typed::<i64>(problem, inputs, params),
        DType::F32 => typed::<f32>(problem, inputs, params),
        DType::F64 => typed::<f64>(problem, inputs, params),
    })
}

fn exact<T: Tagged>(v: Vec<T>) -> Expected {
    let wide = v.iter().map(|x| x.to_f64()).collect();
    Expected {
        data: T::wrap_vec(v),
        wide,
        rule: Rule::Exact,
    }
}

/// A float-or-integer result computed in `f64` with a bound per element.
fn bounded(dtype: DType, wide: Vec<f64>, bounds: Vec<f64>) -> Expected {
    let data = Data::from_f64(dtype, wide.iter().copied());
    Expected {
        data,
        wide,
        rule: Rule::Bound(bounds),
    }
}

/// An exact sum in i128 for integers, compensated (Neumaier) f64 otherwise.
fn wide_sum(xs: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut s, mut c, mut abs) = (0.0f64, 0.0f64, 0.0f64);
    for x in xs {
        abs += x.abs();
        let t = s + x;
        if s.abs() >= x.abs() {
            c += (s - t) + x;
        } else {
            c += (x - t) + s;
        }
        s = t;
    }
    // With infinities the compensation is NaN: the plain sum is then right.
    if s.is_finite() {
        (s + c, abs)
    } else {
        (s, abs)
    }
}

fn typed<T: Element + Tagged>(p: &Problem, inputs: &[Slice<'_>], params: &Params) -> Expected
where
    T::Sum: Tagged,
{
    let a = T::unwrap(inputs[0]).expect("checked");
    let b = || T::unwrap(inputs[1]).expect("checked");
    let (rows, cols) = match p.shape {
        Shape::Matrix(r, c) => (r, c),
        Shape::Vector(n) => (n, 1),
    };
    let map2 = |f: &dyn Fn(T, T) -> T| exact(a.iter().zip(b()).map(|(&x, &y)| f(x, y)).collect());
    let map1 = |f: &dyn Fn(T) -> T| exact(a.iter().map(|&x| f(x)).collect());
    let dt = T::DTYPE;
    match p.op {
        Op::Add => map2(&|x, y| x.add(y)),
        Op::Multiply => map2(&|x, y| x.mul(y)),
        // NaN from either side (the first when both are), else the smaller;
        // on a tie (0.0 and -0.0) the first, as NumPy's loop.
        Op::Minimum => map2(&|x, y| {
            if x.is_nan() || !(y.is_nan() || y < x) {
                x
            } else {
                y
            }
        }),
        Op::Axpy => {
            let alpha = T::from_f64(params.alpha);
            map2(&|x, y| alpha.mul(x).add(y))
        }
        Op::AddScalar => {
            let s = T::from_f64(params.scalar);
            map1(&|x| x.add(s))
        }
        Op::Where => map2(&|x, y| if x > T::ZERO { x } else { y }),
        Op::Clip => {
            let (lo, hi) = (T::from_f64(params.lo), T::from_f64(params.hi));
            map1(&|x| x.max_nan(lo).min_nan(hi))
        }
        // sqrt in f64 then rounded once to f32 is the correctly rounded f32 sqrt.
        Op::Sqrt => map1(&|x| T::from_f64(x.to_f64().sqrt())),
        Op::Exp => {
            let v: Vec<T> = a.iter().map(|&x| T::from_f64(x.to_f64().exp())).collect();
            let mut e = exact(v);
            e.rule = Rule::Ulps(exp_ulps(dt));
            e
        }
        Op::Sum | Op::Mean => {
            let n = a.len();
            let exact_int = || a.iter().fold(0i128, |acc, &x| acc + i128::from(x.to_i64()));
            match (p.op, dt.is_float()) {
                (Op::Sum, true) => {
                    let (s, abs) = wide_sum(a.iter().map(|x| x.to_f64()));
                    bounded(
                        dt,
                        vec![s],
                        vec![sum_bound(dt, n, true, abs) + eps(dt) * s.abs()],
                    )
                }
                // np.sum of integers wraps in int64.
                (Op::Sum, false) => exact(vec![exact_int() as i64]),
                _ if n == 0 => bounded(dt.mean_dtype(), vec![f64::NAN], vec![0.0]),
                (_, true) => {
                    let (s, abs) = wide_sum(a.iter().map(|x| x.to_f64()));
                    let m = s / n as f64;
                    let bound = sum_bound(dt, n, true, abs) / n as f64 + 2.0 * eps(dt) * m.abs();
                    bounded(dt, vec![m], vec![bound])
                }
                (_, false) => {
                    // Integers accumulate exactly, or for int64 in float64 (NumPy's way).
                    let m = exact_int() as f64 / n as f64;
                    let abs: f64 = a.iter().map(|x| x.to_f64().abs()).sum();
                    let bound = sum_bound(DType::F64, n, true, abs) / n as f64
                        + 2.0 * f64::EPSILON * m.abs();
                    bounded(DType::F64, vec![m], vec![bound])
                }
            }
        }
        Op::Max => exact(vec![a[1..].iter().fold(a[0], |m, &x| m.max_nan(x))]),
        Op::Dot => {
            if dt.is_float() {
                let (s, abs) = wide_sum(a.iter().zip(b()).map(|(x, y)| x.to_f64() * y.to_f64()));
                let bound = sum_bound(dt, a.len(), true, abs) + eps(dt) * (abs + s.abs());
                bounded(dt, vec![s], vec![bound])
            } else {
                exact(vec![
                    a.iter()
                        .zip(b())
                        .fold(T::ZERO, |s, (&x, &y)| s.add(x.mul(y))),
                ])
            }
        }
        Op::AddRow => {
            let v = b();
            exact(
                a.iter()
                    .enumerate()
                    .map(|(i, &x)| x.add(v[i % cols]))
                    .collect(),
            )
        }
        Op::Matmul => {
            let (b, k, m) = (b(), cols, rows);
            let mut wide = Vec::with_capacity(rows * m);
            let mut bounds = Vec::with_capacity(rows * m);
            for i in 0..rows {
                for j in 0..m {
                    let terms = (0..k).map(|q| a[i * k + q].to_f64() * b[q * m + j].to_f64());
                    let (s, abs) = wide_sum(terms);
                    wide.push(s);
                    bounds.push(sum_bound(dt, k, false, abs) + eps(dt) * s.abs());
                }
            }
            bounded(dt, wide, bounds)
        }
        Op::Sort => {
            // By its own rule, not the kernels' `sort_numpy` (a reference
            // that is the kernel checks nothing): the numbers ascending, by
            // a stable sort on `partial_cmp`, then every NaN (NumPy's
            // order; -0.0 and 0.0 are equal to it, and to `compare`).
            let (mut v, nans): (Vec<T>, Vec<T>) = a.iter().copied().partition(|x| !x.is_nan());
            v.sort_by(|x, y| x.partial_cmp(y).unwrap_or(core::cmp::Ordering::Equal));
            v.extend(nans);
            exact(v)
        }
        Op::Convolve => {
            let k = b();
            let taps = k.len();
            let mut wide = Vec::new();
            let mut bounds = Vec::new();
            for i in 0..=a.len() - taps {
                let terms = (0..taps).map(|j| a[i + j].to_f64() * k[taps - 1 - j].to_f64());
                let (s, abs) = wide_sum(terms);
                wide.push(s);
                bounds.push(sum_bound(dt, taps, false, abs) + eps(dt) * s.abs());
            }
            bounded(dt, wide, bounds)
        }
        Op::SumAxis => {
            let along_rows = p.strategy == Strategy::Rows;
            let (count, len) = if along_rows {
                (rows, cols)
            } else {
                (cols, rows)
            };
            let at = |o: usize, t: usize| {
                if along_rows {
                    a[o * cols + t]
                } else {
                    a[t * cols + o]
                }
            };
            if dt.is_float() {
                let mut wide = Vec::new();
                let mut bounds = Vec::new();
                for o in 0..count {
                    let (s, abs) = wide_sum((0..len).map(|t| at(o, t).to_f64()));
                    wide.push(s);
                    bounds.push(sum_bound(dt, len, along_rows, abs) + eps(dt) * s.abs());
                }
                bounded(dt, wide, bounds)
            } else {
                let sums = (0..count)
                    .map(|o| (0..len).fold(0i128, |s, t| s + i128::from(at(o, t).to_i64())) as i64)
                    .collect();
                exact::<i64>(sums)
            }
        }
        Op::Transpose => {
            let mut v = Vec::with_capacity(a.len());
            for j in 0..cols {
                for i in 0..rows {
                    v.push(a[i * cols + j]);
                }
            }
            exact(v)
        }
        Op::Ravel => exact(a.to_vec()),
    }
}

/// The rule a rung that computes in float64 and rounds once, when it stores
/// into the output's dtype, is held to (the JavaScript loops and the python
/// rung; NumPy rounds a float32 result after every operation). One
/// operation rounded once is the float32 operation's result, and 1 ULP is
/// allowed for any op that is exact here. `alpha * x + y` is two
/// operations: NumPy's float32 result also carries the rounding of `alpha *
/// x`, so half an ULP of that product and one of the result are allowed
/// (an absolute bound: where the sum cancels, that is many of the result's
/// ULPs). Any other rule stands as it is (borrowed: a bound per element of
/// a 1e7-element result is 80 MB).
pub fn float64_rule<'e>(
    problem: &Problem,
    inputs: &[Slice<'_>],
    params: &Params,
    expected: &'e Expected,
) -> Cow<'e, Rule> {
    fn ulp(x: f32) -> f64 {
        let a = x.abs();
        if !a.is_finite() {
            return f64::INFINITY;
        }
        (f64::from(f32::from_bits(a.to_bits() + 1)) - f64::from(a)).abs()
    }
    match (&expected.rule, expected.data.as_slice(), inputs) {
        (Rule::Exact, Slice::F32(want), [Slice::F32(x), _]) if problem.op == Op::Axpy => {
            let alpha = params.alpha as f32;
            Cow::Owned(Rule::Bound(
                x.iter()
                    .zip(want)
                    .map(|(&x, &w)| 0.5 * ulp(alpha * x) + ulp(w))
                    .collect(),
            ))
        }
        (Rule::Exact, want, _) if want.dtype().is_float() => Cow::Owned(Rule::Ulps(1)),
        (rule, ..) => Cow::Borrowed(rule),
    }
}

/// Bytes [`float64_rule`] allocates for `problem` (its bound per element),
/// for the plan to count.
pub fn float64_rule_bytes(problem: &Problem) -> u64 {
    if problem.op == Op::Axpy && problem.dtype == DType::F32 {
        (problem.output().shape.len() as u64).saturating_mul(8)
    } else {
        0
    }
}

/// Compares `got` with `expected` by its rule; the first difference is returned.
pub fn compare(got: Slice<'_>, expected: &Expected) -> Result<(), Mismatch> {
    compare_by(got, expected, &expected.rule)
}

/// Compares `got` with `expected` by `rule` (which may be looser than the
/// expected result's own; a copy of a 1e7-element `Expected` would be 120 MB).
pub fn compare_by(got: Slice<'_>, expected: &Expected, rule: &Rule) -> Result<(), Mismatch> {
    let want = expected.data.as_slice();
    if got.dtype() != want.dtype() || got.len() != want.len() {
        return Err(Mismatch {
            index: 0,
            got: got.len() as f64,
            expected: want.len() as f64,
            allowed: format!(
                "{} elements of {}, got {} of {}",
                want.len(),
                want.dtype(),
                got.len(),
                got.dtype()
            ),
        });
    }
    match got.dtype() {
        DType::I8 => cmp_typed::<i8>(got, expected, rule),
        DType::I16 => cmp_typed::<i16>(got, expected, rule),
        DType::I32 => cmp_typed::<i32>(got, expected, rule),
        DType::I64 => cmp_typed::<i64>(got, expected, rule),
        DType::F32 => cmp_typed::<f32>(got, expected, rule),
        DType::F64 => cmp_typed::<f64>(got, expected, rule),
    }
}

fn cmp_typed<T: Tagged>(got: Slice<'_>, expected: &Expected, rule: &Rule) -> Result<(), Mismatch> {
    let got = T::unwrap(got).expect("dtype compared");
    let want = T::unwrap(expected.data.as_slice()).expect("dtype compared");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let same = g == w || (g.is_nan() && w.is_nan());
        let ok = match rule {
            Rule::Exact => same,
            Rule::Ulps(u) => same || ulps(g, w) <= *u,
            Rule::Bound(bounds) => {
                let wide = expected.wide[i];
                let (gf, wf) = (g.to_f64(), w.to_f64());
                same || (gf.is_finite() && wf.is_finite() && (gf - wide).abs() <= bounds[i])
            }
        };
        if !ok {
            let allowed = match rule {
                Rule::Exact => "exactly".to_owned(),
                Rule::Ulps(u) => format!("within {u} ULP, off by {}", ulps(g, w)),
                Rule::Bound(b) => format!("within {:e} of {}", b[i], expected.wide[i]),
            };
            return Err(Mismatch {
                index: i,
                got: g.to_f64(),
                expected: w.to_f64(),
                allowed,
            });
        }
    }
    Ok(())
}

/// ULP distance for floats (via `f64` bits of the value in its own type).
fn ulps<T: Element>(a: T, b: T) -> u64 {
    match T::DTYPE {
        DType::F32 => Float::ulps(a.to_f64() as f32, b.to_f64() as f32),
        DType::F64 => Float::ulps(a.to_f64(), b.to_f64()),
        _ => {
            if a == b {
                0
            } else {
                u64::MAX
            }
        }
    }
}

/// Allocates a zeroed output for `problem` (a convenience for tests and tools).
pub fn output_for(problem: &Problem) -> Data {
    let o = problem.output();
    Data::zeros(o.dtype, o.shape.len())
}

/// Runs a problem's rung and compares it with the reference in one call.
pub fn check_variant(
    problem: &Problem,
    variant: Variant,
    par: Par<'_>,
    inputs: &[Slice<'_>],
    params: &Params,
) -> Result<(), String> {
    let want = expected(problem, inputs, params).map_err(|e| e.to_string())?;
    let mut out = output_for(problem);
    let outcome = lanes_kernels::run(problem, variant, par, inputs, params, out.as_slice_mut())
        .map_err(|e| e.to_string())?;
    let got = match outcome {
        Outcome::View => inputs[0],
        Outcome::Written => out.as_slice(),
    };
    compare(got, &want).map_err(|m| m.to_string())
}
