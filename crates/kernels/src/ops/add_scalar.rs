//! `a + s`: a scalar broadcast over an array.

use crate::catalogue::{A, Form, Row, Strategy};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::rung::{Keep, pick, serial, simd};

pub(crate) const ROW: Row = Row::vector(
    "add_scalar",
    2,
    &[Form::new(Strategy::Default, "a + s", "np.add(a, s, out=o)").python(
        &["l = a.tolist()"],
        "[x + s for x in l]",
        2,
    )],
    A,
);

#[inline(always)]
pub(crate) fn each<T: Element, K: Keep>(a: &[T], s: T, out: &mut [T]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = K::keep(x.add(s));
    }
}

#[inline(always)]
pub(crate) fn vectors<T: Element>(a: &[T], s: T, out: &mut [T]) {
    let vs = T::V::splat(s);
    crate::simd::map1(a, out, |x| x.add(vs), |x| x.add(s));
}

serial!(scalar, auto = each<T: Element>(a: &[T], s: T, out: &mut [T]));
simd!(simd = vectors<T: Element>(a: &[T], s: T, out: &mut [T]));

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => {
        let s = c.param::<T>(|p| p.scalar);
        c.map::<T>(|v, x, o| pick(v, [scalar::<T>, auto::<T>, simd::<T>])(x[0], s, o))
    })
}
