//! The one entry point: run (op, strategy, variant, dtype) on inputs.

use crate::array::{Slice, SliceMut, Tagged};
use crate::dtype::{DType, Element, Float};
use crate::error::Error;
use crate::op::{Op, Problem, Strategy, Variant};
use crate::{auto, par, scalar, simd};

/// The scalar parameters some ops take.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// `alpha` of `axpy`.
    pub alpha: f64,
    /// `s` of `add_scalar`.
    pub scalar: f64,
    /// `lo` and `hi` of `clip`.
    pub lo: f64,
    pub hi: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            alpha: 3.0,
            scalar: 7.0,
            lo: -50.0,
            hi: 50.0,
        }
    }
}

/// What a run produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The result is in `out`.
    Written,
    /// The result is a view of the first input (nothing was copied).
    View,
}

/// Runs `problem` with one rung of the ladder. `inputs` are the arrays of
/// `problem.inputs()` in order, `out` is `problem.output()`. Unsupported
/// combinations and mismatched arrays are errors, never panics.
pub fn run(
    problem: &Problem,
    variant: Variant,
    threads: usize,
    inputs: &[Slice<'_>],
    params: &Params,
    out: SliceMut<'_>,
) -> Result<Outcome, Error> {
    check(problem, variant, inputs, &out)?;
    let threads = threads.max(1);
    match problem.dtype {
        DType::I8 => run_any::<i8>(problem, variant, threads, inputs, params, out),
        DType::I16 => run_any::<i16>(problem, variant, threads, inputs, params, out),
        DType::I32 => run_any::<i32>(problem, variant, threads, inputs, params, out),
        DType::I64 => run_any::<i64>(problem, variant, threads, inputs, params, out),
        DType::F32 => run_float::<f32>(problem, variant, threads, inputs, params, out),
        DType::F64 => run_float::<f64>(problem, variant, threads, inputs, params, out),
    }
}

fn check(
    p: &Problem,
    variant: Variant,
    inputs: &[Slice<'_>],
    out: &SliceMut<'_>,
) -> Result<(), Error> {
    if !p.op.supports(p.strategy, p.dtype, variant) {
        return Err(Error::Variant {
            op: p.op.name(),
            strategy: p.strategy.name(),
            dtype: p.dtype.name(),
            variant: variant.name(),
        });
    }
    let want = p.inputs();
    if inputs.len() != want.len() {
        return Err(Error::Shape(format!(
            "{} takes {} input arrays, got {}",
            p.op.name(),
            want.len(),
            inputs.len()
        )));
    }
    for (w, got) in want.iter().zip(inputs) {
        if got.dtype() != w.dtype || got.len() != w.shape.len() {
            return Err(Error::Shape(format!(
                "input {} should be {} {} ({} elements), got {} with {} elements",
                w.name,
                w.dtype,
                w.shape,
                w.shape.len(),
                got.dtype(),
                got.len()
            )));
        }
    }
    let o = p.output();
    if out.dtype() != o.dtype || out.len() != o.shape.len() {
        return Err(Error::Shape(format!(
            "output should be {} with {} elements, got {} with {}",
            o.dtype,
            o.shape.len(),
            out.dtype(),
            out.len()
        )));
    }
    if p.op == Op::Max && p.shape.is_empty() {
        return Err(Error::Empty("max"));
    }
    Ok(())
}

/// Calls the kernel `$name` of the chosen rung.
macro_rules! rung {
    ($variant:expr, $threads:expr, $name:ident($($arg:expr),* $(,)?)) => {
        match $variant {
            Variant::Scalar => scalar::$name($($arg),*),
            Variant::Auto => auto::$name($($arg),*),
            Variant::Simd => simd::$name($($arg),*),
            Variant::SimdThreads => par::$name($threads, $($arg),*),
        }
    };
}

/// Columns of a 2-D problem (1 for a vector).
fn cols(p: &Problem) -> usize {
    match p.shape {
        crate::Shape::Matrix(_, c) => c,
        crate::Shape::Vector(_) => 1,
    }
}

fn typed<'a, T: Tagged>(s: &Slice<'a>) -> &'a [T] {
    // `check` compared every dtype with the problem's.
    T::unwrap(*s).expect("dtype checked")
}

fn typed_mut<'a, T: Tagged>(s: &'a mut SliceMut<'_>) -> &'a mut [T] {
    T::unwrap_mut(s).expect("dtype checked")
}

/// Ops that need float math (`sqrt`, `exp`, `matmul`, `convolve`), then the rest.
fn run_float<T: Float + Tagged>(
    p: &Problem,
    variant: Variant,
    threads: usize,
    inputs: &[Slice<'_>],
    params: &Params,
    mut out: SliceMut<'_>,
) -> Result<Outcome, Error> {
    let a = typed::<T>(&inputs[0]);
    match p.op {
        Op::Sqrt => rung!(variant, threads, sqrt(a, typed_mut::<T>(&mut out))),
        Op::Exp => rung!(variant, threads, exp(a, typed_mut::<T>(&mut out))),
        Op::Convolve => {
            let k = typed::<T>(&inputs[1]);
            rung!(variant, threads, convolve(a, k, typed_mut::<T>(&mut out)))
        }
        Op::Matmul => {
            let b = typed::<T>(&inputs[1]);
            let cols = cols(p);
            let o = typed_mut::<T>(&mut out);
            match (p.strategy, variant) {
                (Strategy::Ijk, Variant::Scalar) => scalar::matmul_ijk(a, b, cols, o),
                (Strategy::Ijk, _) => auto::matmul_ijk(a, b, cols, o),
                (Strategy::Ikj, _) => rung!(variant, threads, matmul_ikj(a, b, cols, o)),
                (_, Variant::SimdThreads) => par::matmul_blocked(threads, a, b, cols, o),
                _ => simd::matmul_blocked(a, b, cols, o),
            }
        }
        _ => return run_any::<T>(p, variant, threads, inputs, params, out),
    }
    Ok(Outcome::Written)
}

fn run_any<T: Element + Tagged>(
    p: &Problem,
    variant: Variant,
    threads: usize,
    inputs: &[Slice<'_>],
    params: &Params,
    mut out: SliceMut<'_>,
) -> Result<Outcome, Error>
where
    T::Sum: Tagged,
{
    let a = typed::<T>(&inputs[0]);
    let b = || typed::<T>(&inputs[1]);
    let cols = cols(p);
    match p.op {
        Op::Add => rung!(variant, threads, add(a, b(), typed_mut::<T>(&mut out))),
        Op::Multiply => rung!(variant, threads, multiply(a, b(), typed_mut::<T>(&mut out))),
        Op::Axpy => {
            let alpha = T::from_f64(params.alpha);
            rung!(
                variant,
                threads,
                axpy(alpha, a, b(), typed_mut::<T>(&mut out))
            )
        }
        Op::AddScalar => {
            let s = T::from_f64(params.scalar);
            rung!(variant, threads, add_scalar(a, s, typed_mut::<T>(&mut out)))
        }
        Op::Where => rung!(
            variant,
            threads,
            where_positive(a, b(), typed_mut::<T>(&mut out))
        ),
        Op::Clip => {
            let (lo, hi) = (T::from_f64(params.lo), T::from_f64(params.hi));
            rung!(variant, threads, clip(a, lo, hi, typed_mut::<T>(&mut out)))
        }
        Op::Sum => typed_mut::<T::Sum>(&mut out)[0] = rung!(variant, threads, sum(a)),
        Op::Max => typed_mut::<T>(&mut out)[0] = rung!(variant, threads, max(a)),
        Op::Dot => typed_mut::<T>(&mut out)[0] = rung!(variant, threads, dot(a, b())),
        Op::Mean => mean::<T>(a, variant, threads, &mut out),
        Op::AddRow => {
            let o = typed_mut::<T>(&mut out);
            match p.strategy {
                Strategy::Tile => rung!(variant, threads, add_row_tile(a, b(), o)),
                _ => rung!(variant, threads, add_row_broadcast(a, b(), o)),
            }
        }
        Op::Sort => scalar::sort(a, typed_mut::<T>(&mut out)),
        Op::SumAxis => {
            let o = typed_mut::<T::Sum>(&mut out);
            match p.strategy {
                Strategy::Rows => rung!(variant, threads, sum_rows(a, cols, o)),
                _ => rung!(variant, threads, sum_cols(a, cols, o)),
            }
        }
        Op::Transpose => {
            let o = typed_mut::<T>(&mut out);
            match (p.strategy, variant) {
                (Strategy::Naive, Variant::Scalar) => scalar::transpose_naive(a, cols, o),
                (Strategy::Naive, _) => auto::transpose_naive(a, cols, o),
                _ => rung!(variant, threads, transpose_tiled(a, cols, o)),
            }
        }
        Op::Ravel => match p.strategy {
            Strategy::View => return Ok(Outcome::View),
            _ => rung!(variant, threads, copy(a, typed_mut::<T>(&mut out))),
        },
        Op::Sqrt | Op::Exp | Op::Matmul | Op::Convolve => {
            unreachable!("float ops are dispatched by run_float and refused for integers by check")
        }
    }
    Ok(Outcome::Written)
}

/// `np.mean`: float inputs divide their own-type sum; integer inputs
/// accumulate exactly in 64 bits (int64 in float64, as NumPy) and return f64.
fn mean<T: Element + Tagged>(a: &[T], variant: Variant, threads: usize, out: &mut SliceMut<'_>)
where
    T::Sum: Tagged,
{
    let n = a.len();
    if T::DTYPE.is_float() {
        let s = rung!(variant, threads, sum(a));
        let m = T::Sum::from_f64(s.to_f64() / n as f64);
        // For f32 divide in f32, for f64 in f64: `from_f64(s / n)` is the same
        // correctly rounded quotient in both cases.
        typed_mut::<T::Sum>(out)[0] = m;
    } else if T::DTYPE == DType::I64 {
        let m = match variant {
            Variant::Scalar => scalar::mean_f64(a),
            _ => auto::mean_f64(a),
        };
        typed_mut::<f64>(out)[0] = m;
    } else {
        let s = rung!(variant, threads, sum(a));
        typed_mut::<f64>(out)[0] = s.to_f64() / n as f64;
    }
}
