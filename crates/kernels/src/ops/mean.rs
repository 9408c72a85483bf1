//! `np.mean(a)`: float inputs divide their own-type sum; integer inputs
//! accumulate exactly and return float64 (int64 in float64, as NumPy).

use core::marker::PhantomData;
use core::ops::Range;

use super::sum;
use crate::catalogue::{A, Form, OutDType, OutShape, Row, Rungs, Strategy};
use crate::dtype::DType;
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::pairwise::{Leaf, pairwise};
use crate::rung::{Keep, pick, serial};

pub(crate) const ROW: Row = Row {
    out_dtype: OutDType::Mean,
    ..Row::vector(
        "mean",
        3,
        &[Form::new(Strategy::Default, "np.mean(a)", "np.mean(a)")
            .output(OutShape::Scalar)
            // NumPy accumulates int64 means in float64; SIMD128 has no
            // int64 -> float64 conversion, so this one stays serial.
            .except(&[(DType::I64, Rungs::Serial)])
            .python(&[], "sum(a) / len(a)", 0)],
        A,
    )
};

struct EachLeaf<'a, T, K>(&'a [T], PhantomData<K>);

impl<T: Element, K: Keep> Leaf for EachLeaf<'_, T, K> {
    type Out = f64;
    #[inline(always)]
    fn leaf(&self, r: Range<usize>) -> f64 {
        self.0[r]
            .iter()
            .fold(0.0f64, |s, &x| K::keep(s + x.to_f64()))
    }
}

/// The mean of `a` accumulated in float64, pairwise: what `np.mean` does
/// for int64 inputs (their sums may pass 2^63, which an i64 sum would wrap).
#[inline(always)]
pub(crate) fn each_f64<T: Element, K: Keep>(a: &[T]) -> f64 {
    pairwise(a.len(), &EachLeaf::<T, K>(a, PhantomData)) / a.len() as f64
}

serial!(scalar_f64, auto_f64 = each_f64<T: Element>(a: &[T]) -> f64);

pub(crate) fn run(mut c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => {
        let a = c.input::<T>(0);
        let n = a.len() as f64;
        if T::DTYPE.is_float() {
            // For f32 divide in f32, for f64 in f64: `from_f64(s / n)` is the
            // same correctly rounded quotient in both cases.
            let s = sum::total(c.variant, c.par, a);
            c.put(<T as Element>::Sum::from_f64(s.to_f64() / n))
        } else if T::DTYPE == DType::I64 {
            // `pick`'s third entry is never taken: i64 offers no SIMD rung.
            let m = pick(c.variant, [scalar_f64::<T>, auto_f64::<T>, auto_f64::<T>])(a);
            c.put(m)
        } else {
            let s = sum::total(c.variant, c.par, a);
            c.put(s.to_f64() / n)
        }
    })
}
