//! `np.sqrt(a)`, correctly rounded in every rung.

use crate::catalogue::{A, FLOATS, Form, Row, Strategy, Unit};
use crate::dispatch::{Call, Outcome, by_float};
use crate::dtype::Float;
use crate::error::Error;
use crate::lanes::FloatLanes;
use crate::rung::{Keep, pick, serial, simd};

pub(crate) const ROW: Row = Row {
    dtypes: FLOATS,
    unit: Unit::Elements,
    // Negative inputs are NaN, which the tests cover; the timing does not.
    float_inputs: (0.0, 1000.0),
    ..Row::vector(
        "sqrt",
        1,
        &[Form::new(Strategy::Default, "np.sqrt(a)", "np.sqrt(a, out=o)").python(
            &["import math", "l = a.tolist()"],
            "[math.sqrt(x) for x in l]",
            2,
        )],
        A,
    )
};

#[inline(always)]
pub(crate) fn each<T: Float, K: Keep>(a: &[T], out: &mut [T]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = K::keep(x.sqrt());
    }
}

#[inline(always)]
pub(crate) fn vectors<T: Float>(a: &[T], out: &mut [T]) {
    crate::simd::map1(a, out, |x| x.sqrt(), |x| Float::sqrt(x));
}

serial!(scalar, auto = each<T: Float>(a: &[T], out: &mut [T]));
simd!(simd = vectors<T: Float>(a: &[T], out: &mut [T]));

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    by_float!(c, T => c.map::<T>(|v, x, o| pick(v, [scalar::<T>, auto::<T>, simd::<T>])(x[0], o)))
}
