//! The one entry point: run (op, strategy, variant, dtype) on inputs. It
//! checks the call against the catalogue, then hands it to the op's own
//! `run` (in `ops/<op>.rs`), which picks the rung.

use core::ops::Range;

use crate::array::{Shape, Slice, SliceMut, Tagged};
use crate::catalogue::Variant;
use crate::dtype::Element;
use crate::error::Error;
use crate::par::{self, Par};
use crate::problem::Problem;

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
/// `problem.inputs()` in order, `out` is `problem.output()`; `par` is how
/// far `simd-threads` may spread (every other rung runs on the caller).
/// Unsupported combinations and mismatched arrays are errors, never panics.
pub fn run(
    problem: &Problem,
    variant: Variant,
    par: Par<'_>,
    inputs: &[Slice<'_>],
    params: &Params,
    out: SliceMut<'_>,
) -> Result<Outcome, Error> {
    check(problem, variant, inputs, &out)?;
    problem.op.run(Call {
        problem,
        variant,
        par,
        inputs,
        params,
        out,
    })
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
    Ok(())
}

/// A checked call of one op: its arrays have the problem's dtypes and
/// shapes, and the op offers the rung.
pub(crate) struct Call<'a> {
    pub(crate) problem: &'a Problem,
    pub(crate) variant: Variant,
    pub(crate) par: Par<'a>,
    inputs: &'a [Slice<'a>],
    pub(crate) params: &'a Params,
    out: SliceMut<'a>,
}

impl<'a> Call<'a> {
    /// Input `i`, typed (`check` compared every dtype with the problem's).
    pub(crate) fn input<T: Tagged>(&self, i: usize) -> &'a [T] {
        T::unwrap(self.inputs[i]).unwrap_or(&[])
    }

    /// The output, typed.
    pub(crate) fn out<T: Tagged>(&mut self) -> &mut [T] {
        T::unwrap_mut(&mut self.out).unwrap_or(&mut [])
    }

    /// Writes a reduction's one number.
    pub(crate) fn put<T: Tagged>(&mut self, x: T) -> Result<Outcome, Error> {
        if let Some(o) = self.out::<T>().first_mut() {
            *o = x;
        }
        Ok(Outcome::Written)
    }

    /// Columns of a 2-D problem (1 for a vector).
    pub(crate) fn cols(&self) -> usize {
        match self.problem.shape {
            Shape::Matrix(_, c) => c,
            Shape::Vector(_) => 1,
        }
    }

    /// A parameter as the element type.
    pub(crate) fn param<T: Element>(&self, pick: fn(&Params) -> f64) -> T {
        T::from_f64(pick(self.params))
    }

    /// An elementwise op: `f(variant, inputs, out)` runs one rung on whole
    /// arrays; `simd-threads` cuts the output on cache lines and runs the
    /// `simd` rung on each piece, with the same range of every input.
    pub(crate) fn map<T: Tagged>(
        mut self,
        f: impl Fn(Variant, &[&[T]], &mut [T]) + Sync,
    ) -> Result<Outcome, Error> {
        let n = self.inputs.len().min(2);
        let ins: [&[T]; 2] = [self.input(0), self.input(n.saturating_sub(1))];
        let (variant, par) = (self.variant, self.par);
        let out = self.out::<T>();
        match variant {
            Variant::SimdThreads => par::map(par, &ins[..n], out, &|x, o| {
                f(Variant::Simd, x, o);
            }),
            v => f(v, &ins[..n], out),
        }
        Ok(Outcome::Written)
    }

    /// A reduction written to the output: see [`reduce`].
    pub(crate) fn reduce<S: Tagged + Send>(
        mut self,
        len: usize,
        align: usize,
        f: impl Fn(Variant, Range<usize>) -> S + Sync,
        g: impl Fn(S, S) -> S + Sync,
    ) -> Result<Outcome, Error> {
        let s = reduce(self.variant, self.par, len, align, f, g);
        self.put(s)
    }

    /// The error where an op's `run` meets a dtype it has no kernel for
    /// (`check` refuses those first).
    pub(crate) fn unsupported(&self) -> Error {
        Error::Variant {
            op: self.problem.op.name(),
            strategy: self.problem.strategy.name(),
            dtype: self.problem.dtype.name(),
            variant: self.variant.name(),
        }
    }
}

/// A reduction over `0..len`: `f(variant, range)` runs one rung on a
/// range; `simd-threads` cuts the range on multiples of `align`, runs the
/// `simd` rung on each piece on `par`'s threads, and combines the pieces
/// with `g` in a fixed tree.
pub(crate) fn reduce<S: Send>(
    variant: Variant,
    par: Par<'_>,
    len: usize,
    align: usize,
    f: impl Fn(Variant, Range<usize>) -> S + Sync,
    g: impl Fn(S, S) -> S + Sync,
) -> S {
    match variant {
        Variant::SimdThreads => par::reduce(par, align, 0..len, &|r| f(Variant::Simd, r), &g),
        v => f(v, 0..len),
    }
}

/// A `match` on the call's dtype with an arm per `$D: $t` that expands
/// `$body` with `$T` the element type, then the `$rest` arms.
macro_rules! dtype_arms {
    ($c:expr, $T:ident => $body:expr; $($D:ident: $t:ty),*; $($rest:tt)*) => {
        match $c.problem.dtype {
            $($crate::dtype::DType::$D => {
                type $T = $t;
                $body
            })*
            $($rest)*
        }
    };
}
pub(crate) use dtype_arms;

/// Expands `$body` once per dtype with `$T` the element type.
macro_rules! by_dtype {
    ($c:expr, $T:ident => $body:expr) => {
        $crate::dispatch::dtype_arms!($c, $T => $body;
            I8: i8, I16: i16, I32: i32, I64: i64, F32: f32, F64: f64;)
    };
}
pub(crate) use by_dtype;

/// Expands `$body` for the float dtypes with `$T` the element type; the
/// others are an error (`check` refuses them first).
macro_rules! by_float {
    ($c:expr, $T:ident => $body:expr) => {
        $crate::dispatch::dtype_arms!($c, $T => $body; F32: f32, F64: f64;
            _ => Err($c.unsupported()),)
    };
}
pub(crate) use by_float;
