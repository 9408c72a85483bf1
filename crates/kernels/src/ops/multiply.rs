//! `a * b`, wrapping on integer overflow as NumPy does.

use crate::catalogue::{AB, Form, Row, Strategy};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::rung::{Keep, pick, serial, simd};

pub(crate) const ROW: Row = Row::vector(
    "multiply",
    1,
    &[Form::new(Strategy::Default, "a * b", "np.multiply(a, b, out=o)").python(
        &["l1 = a.tolist()", "l2 = b.tolist()"],
        "[x * y for x, y in zip(l1, l2)]",
        3,
    )],
    AB,
);

#[inline(always)]
pub(crate) fn each<T: Element, K: Keep>(a: &[T], b: &[T], out: &mut [T]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = K::keep(x.mul(y));
    }
}

#[inline(always)]
pub(crate) fn vectors<T: Element>(a: &[T], b: &[T], out: &mut [T]) {
    crate::simd::map2(a, b, out, |x, y| x.mul(y), |x, y| x.mul(y));
}

serial!(scalar, auto = each<T: Element>(a: &[T], b: &[T], out: &mut [T]));
simd!(simd = vectors<T: Element>(a: &[T], b: &[T], out: &mut [T]));

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => c.map::<T>(|v, x, o| pick(v, [scalar::<T>, auto::<T>, simd::<T>])(x[0], x[1], o)))
}
