//! `np.minimum(a, b)`: the smaller of each pair, NaN from either side.

use crate::catalogue::{AB, Form, Row, Strategy};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::rung::{Keep, pick, serial, simd};

pub(crate) const ROW: Row = Row::vector(
    "minimum",
    1,
    &[Form::new(
        Strategy::Default,
        "np.minimum(a, b)",
        "np.minimum(a, b, out=o)",
    )],
    AB,
);

#[inline(always)]
pub(crate) fn each<T: Element, K: Keep>(a: &[T], b: &[T], out: &mut [T]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = K::keep(x.min_nan(y));
    }
}

/// `Lanes::min` is `np.minimum` lane-wise: NaN from either side wins.
#[inline(always)]
pub(crate) fn vectors<T: Element>(a: &[T], b: &[T], out: &mut [T]) {
    crate::simd::map2(a, b, out, |x, y| x.min(y), |x, y| x.min_nan(y));
}

serial!(scalar, auto = each<T: Element>(a: &[T], b: &[T], out: &mut [T]));
simd!(simd = vectors<T: Element>(a: &[T], b: &[T], out: &mut [T]));

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => c.map::<T>(|v, x, o| pick(v, [scalar::<T>, auto::<T>, simd::<T>])(x[0], x[1], o)))
}
