//! Reductions: `sum`, `max`, `dot`, and the float64 accumulation of `mean`.

use super::Keep;
use crate::dtype::Element;

/// Float sums are pairwise over blocks of this many elements, as NumPy's are
/// (over blocks of 128): the error stays within
/// `(SUM_BLOCK + log2(n / SUM_BLOCK) + 1) * eps * sum(|a|)` however long `a` is.
pub const SUM_BLOCK: usize = 256;

/// Splits `0..len` in halves on block boundaries down to single blocks, and
/// adds the two halves' results: NumPy's pairwise summation.
#[inline]
pub(crate) fn pairwise<S: Element>(
    start: usize,
    len: usize,
    leaf: &impl Fn(core::ops::Range<usize>) -> S,
) -> S {
    if len <= SUM_BLOCK {
        leaf(start..start + len)
    } else {
        let half = (len / SUM_BLOCK).div_ceil(2) * SUM_BLOCK;
        pairwise(start, half, leaf).add(pairwise(start + half, len - half, leaf))
    }
}

#[inline(always)]
pub(crate) fn sum<T: Element, K: Keep>(a: &[T]) -> T::Sum {
    let leaf = |r: core::ops::Range<usize>| {
        a[r].iter()
            .fold(T::Sum::ZERO, |s, &x| K::keep(s.add(x.to_sum())))
    };
    if T::DTYPE.is_float() {
        pairwise(0, a.len(), &leaf)
    } else {
        leaf(0..a.len())
    }
}

#[inline(always)]
pub(crate) fn max<T: Element, K: Keep>(a: &[T]) -> T {
    a.iter().fold(T::LOWEST, |m, &x| K::keep(m.max_nan(x)))
}

#[inline(always)]
pub(crate) fn dot<T: Element, K: Keep>(a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    let leaf = |r: core::ops::Range<usize>| {
        let (a, b) = (&a[r.clone()], &b[r]);
        a.iter()
            .zip(b)
            .fold(T::ZERO, |s, (&x, &y)| K::keep(s.add(x.mul(y))))
    };
    if T::DTYPE.is_float() {
        pairwise(0, n, &leaf)
    } else {
        leaf(0..n)
    }
}

/// The sum of `a` accumulated in float64, pairwise: what `np.mean` does for
/// integer inputs (int64 sums may pass 2^63, which an i64 sum would wrap).
#[inline(always)]
pub(crate) fn mean_f64<T: Element, K: Keep>(a: &[T]) -> f64 {
    let leaf =
        |r: core::ops::Range<usize>| a[r].iter().fold(0.0f64, |s, &x| K::keep(s + x.to_f64()));
    pairwise(0, a.len(), &leaf) / a.len() as f64
}
