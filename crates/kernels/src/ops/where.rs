//! `np.where(a > 0, a, b)`: a select, no branch in the SIMD kernel.

use crate::catalogue::{AB, Form, Row, Strategy};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::rung::{Keep, pick, serial, simd};

pub(crate) const ROW: Row = Row::vector(
    "where",
    3,
    &[Form::new(
        Strategy::Default,
        "np.where(a > 0, a, b)",
        "np.where(a > 0, a, b)",
    )
    .python(
        &["l1 = a.tolist()", "l2 = b.tolist()"],
        "[x if x > 0 else y for x, y in zip(l1, l2)]",
        3,
    )],
    AB,
);

#[inline(always)]
pub(crate) fn each<T: Element, K: Keep>(a: &[T], b: &[T], out: &mut [T]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = K::keep(if x > T::ZERO { x } else { y });
    }
}

#[inline(always)]
pub(crate) fn vectors<T: Element>(a: &[T], b: &[T], out: &mut [T]) {
    let zero = T::V::splat(T::ZERO);
    crate::simd::map2(
        a,
        b,
        out,
        |x, y| T::V::select(x.gt(zero), x, y),
        |x, y| if x > T::ZERO { x } else { y },
    );
}

serial!(scalar, auto = each<T: Element>(a: &[T], b: &[T], out: &mut [T]));
simd!(simd = vectors<T: Element>(a: &[T], b: &[T], out: &mut [T]));

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => c.map::<T>(|v, x, o| pick(v, [scalar::<T>, auto::<T>, simd::<T>])(x[0], x[1], o)))
}
