//! `np.convolve(a, k, mode="valid")`.

use crate::catalogue::{
    CONV_TAPS, FLOATS, Flops, Form, InShape, Input, OutDType, OutShape, Row, Strategy, Unit,
};
use crate::dispatch::{Call, Outcome, by_float};
use crate::dtype::Float;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::par;
use crate::rung::{Keep, Plain, pick, serial, simd};

pub(crate) const ROW: Row = Row {
    name: "convolve",
    chapter: 3,
    forms: &[Form::new(
        Strategy::Default,
        "np.convolve(a, k, mode='valid')",
        "np.convolve(a, k, mode='valid')",
    )
    .output(OutShape::Valid)],
    dtypes: FLOATS,
    matrix: false,
    inputs: &[
        Input {
            name: "a",
            shape: InShape::Same,
        },
        Input {
            name: "k",
            shape: InShape::Taps,
        },
    ],
    out_dtype: OutDType::Same,
    flops: Flops::PerOutput(2.0 * CONV_TAPS as f64),
    unit: Unit::Flops,
    min_len: CONV_TAPS,
    // Each output sums many products: inputs below 1 in size keep it small.
    float_inputs: (-1.0, 1.0),
};

/// `out[i] = sum_j a[i + j] * k[len(k) - 1 - j]`, the products added in the
/// order j = 0..len(k) (the SIMD kernel keeps that order, lane by lane).
#[inline(always)]
pub(crate) fn each<T: Float, K: Keep>(a: &[T], k: &[T], out: &mut [T]) {
    let taps = k.len();
    for (i, o) in out.iter_mut().enumerate() {
        let mut s = T::ZERO;
        for (j, &x) in a[i..i + taps].iter().enumerate() {
            s = K::keep(s.add(x.mul(k[taps - 1 - j])));
        }
        *o = s;
    }
}

/// One vector of outputs at a time; each lane adds its products in the
/// same order as the plain loop, so the results are bit-identical to it.
#[inline(always)]
pub(crate) fn vectors<T: Float>(a: &[T], k: &[T], out: &mut [T]) {
    let l = T::V::LANES;
    let whole = out.len() / l * l;
    let (body, tail) = out.split_at_mut(whole);
    for (c, o) in body.chunks_exact_mut(l).enumerate() {
        let i = c * l;
        let mut s = T::V::splat(T::ZERO);
        for (j, &w) in k.iter().rev().enumerate() {
            s = s.add(T::V::load(&a[i + j..]).mul(T::V::splat(w)));
        }
        s.store(o);
    }
    each::<T, Plain>(&a[whole..], k, tail);
}

serial!(scalar, auto = each<T: Float>(a: &[T], k: &[T], out: &mut [T]));
simd!(simd = vectors<T: Float>(a: &[T], k: &[T], out: &mut [T]));

/// `simd-threads` splits the output; each piece reads its outputs' window
/// of `a` (`taps - 1` elements more than it writes).
pub(crate) fn run(mut c: Call<'_>) -> Result<Outcome, Error> {
    by_float!(c, T => {
        let (a, k) = (c.input::<T>(0), c.input::<T>(1));
        let (variant, par) = (c.variant, c.par);
        let out = c.out::<T>();
        let taps = k.len();
        if variant == crate::Variant::SimdThreads {
            par::chunks(par, par::line::<T>(), out, &|s, o| {
                simd(&a[s..s + o.len() + taps - 1], k, o)
            });
        } else {
            pick(variant, [scalar::<T>, auto::<T>, simd::<T>])(a, k, out);
        }
        Ok(Outcome::Written)
    })
}
