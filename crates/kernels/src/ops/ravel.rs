//! `m.ravel()` (a view: nothing is copied) against `m.flatten()` (always a
//! copy).

use crate::catalogue::{ALL_DTYPES, Flops, Form, INPUTS, M, OutDType, OutShape, Row, Rungs, Strategy, Unit};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::rung::{Keep, simd};

pub(crate) const ROW: Row = Row {
    name: "ravel",
    chapter: 5,
    forms: &[
        Form::new(Strategy::View, "m.ravel()", "m.ravel()")
            .output(OutShape::View)
            .rungs(Rungs::Scalar),
        // A plain copy loop is turned into `memcpy` by the compiler: it would
        // be neither scalar nor auto-vectorized, so only the SIMD rungs.
        Form::new(Strategy::Copy, "m.flatten()", "m.flatten()")
            .output(OutShape::Flat)
            .rungs(Rungs::Simd),
    ],
    dtypes: ALL_DTYPES,
    matrix: true,
    inputs: M,
    out_dtype: OutDType::Same,
    flops: Flops::PerElement(0.0),
    unit: Unit::Bytes,
    min_len: 0,
    float_inputs: INPUTS,
};

/// `out = a`, element by element (what `sort` and `add_row`'s tile copy
/// with; left alone, the compiler makes it a `memcpy`).
#[inline(always)]
pub(crate) fn each_copy<T: Element, K: Keep>(a: &[T], out: &mut [T]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = K::keep(x);
    }
}

/// A copy with explicit vector loads and stores. Left alone, the compiler
/// recognizes the loop as a copy and calls `memcpy` (on wasm: `memory.copy`),
/// which is neither this rung nor SIMD; passing each 64-byte destination
/// through `black_box` keeps the loop as written.
#[inline(always)]
pub(crate) fn vectors_copy<T: Element>(a: &[T], out: &mut [T]) {
    let n = out.len().min(a.len());
    let (a, out) = (&a[..n], &mut out[..n]);
    let l = T::V::LANES;
    let mut oc = out.chunks_exact_mut(4 * l);
    let mut ac = a.chunks_exact(4 * l);
    for (o, x) in (&mut oc).zip(&mut ac) {
        let o = core::hint::black_box(o);
        for u in 0..4 {
            T::V::load(&x[u * l..]).store(&mut o[u * l..]);
        }
    }
    crate::simd::map1(ac.remainder(), oc.into_remainder(), |x| x, |x| x);
}

simd!(simd_copy = vectors_copy<T: Element>(a: &[T], out: &mut [T]));

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    if c.problem.strategy == Strategy::View {
        return Ok(Outcome::View);
    }
    by_dtype!(c, T => c.map::<T>(|_, x, o| simd_copy::<T>(x[0], o)))
}
