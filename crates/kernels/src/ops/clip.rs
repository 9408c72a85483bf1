//! `np.clip(a, lo, hi)`: NaN stays NaN.

use crate::catalogue::{A, Form, Row, Strategy};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::rung::{Keep, pick, serial, simd};

pub(crate) const ROW: Row = Row::vector(
    "clip",
    3,
    &[Form::new(
        Strategy::Default,
        "np.clip(a, lo, hi)",
        "np.clip(a, lo, hi, out=o)",
    )
    .python(&["l = a.tolist()"], "[min(max(x, lo), hi) for x in l]", 2)],
    A,
);

#[inline(always)]
pub(crate) fn each<T: Element, K: Keep>(a: &[T], lo: T, hi: T, out: &mut [T]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = K::keep(x.max_nan(lo).min_nan(hi));
    }
}

#[inline(always)]
pub(crate) fn vectors<T: Element>(a: &[T], lo: T, hi: T, out: &mut [T]) {
    let (vlo, vhi) = (T::V::splat(lo), T::V::splat(hi));
    crate::simd::map1(
        a,
        out,
        |x| x.max(vlo).min(vhi),
        |x| x.max_nan(lo).min_nan(hi),
    );
}

serial!(scalar, auto = each<T: Element>(a: &[T], lo: T, hi: T, out: &mut [T]));
simd!(simd = vectors<T: Element>(a: &[T], lo: T, hi: T, out: &mut [T]));

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => {
        let (lo, hi) = (c.param::<T>(|p| p.lo), c.param::<T>(|p| p.hi));
        c.map::<T>(|v, x, o| pick(v, [scalar::<T>, auto::<T>, simd::<T>])(x[0], lo, hi, o))
    })
}
