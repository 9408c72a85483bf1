//! `alpha * x + y`, two roundings as NumPy's (no fused multiply-add).

use crate::catalogue::{Form, InShape, Input, Row, Strategy};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::rung::{Keep, pick, serial, simd};

pub(crate) const ROW: Row = Row {
    flops: crate::catalogue::Flops::PerElement(2.0),
    ..Row::vector(
        "axpy",
        1,
        &[Form::new(
            Strategy::Default,
            "alpha * x + y",
            "np.multiply(x, alpha, out=o); np.add(o, y, out=o)",
        )
        .python(
            &["lx = x.tolist()", "ly = y.tolist()"],
            "[alpha * xi + yi for xi, yi in zip(lx, ly)]",
            3,
        )],
        &[
            Input {
                name: "x",
                shape: InShape::Same,
            },
            Input {
                name: "y",
                shape: InShape::Same,
            },
        ],
    )
};

#[inline(always)]
pub(crate) fn each<T: Element, K: Keep>(alpha: T, x: &[T], y: &[T], out: &mut [T]) {
    for ((o, &x), &y) in out.iter_mut().zip(x).zip(y) {
        *o = K::keep(alpha.mul(x).add(y));
    }
}

#[inline(always)]
pub(crate) fn vectors<T: Element>(alpha: T, x: &[T], y: &[T], out: &mut [T]) {
    let va = T::V::splat(alpha);
    crate::simd::map2(
        x,
        y,
        out,
        |x, y| va.mul(x).add(y),
        |x, y| alpha.mul(x).add(y),
    );
}

serial!(scalar, auto = each<T: Element>(alpha: T, x: &[T], y: &[T], out: &mut [T]));
simd!(simd = vectors<T: Element>(alpha: T, x: &[T], y: &[T], out: &mut [T]));

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => {
        let alpha = c.param::<T>(|p| p.alpha);
        c.map::<T>(|v, x, o| pick(v, [scalar::<T>, auto::<T>, simd::<T>])(alpha, x[0], x[1], o))
    })
}
