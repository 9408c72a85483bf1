//! Reductions: `sum`, `max`, `dot`, and the float64 accumulation of `mean`.

use core::marker::PhantomData;
use core::ops::Range;

use super::Keep;
use crate::dtype::Element;

/// Float sums are pairwise over blocks of this many elements, as NumPy's are
/// (over blocks of 128): the error stays within
/// `(SUM_BLOCK + log2(n / SUM_BLOCK) + 1) * eps * sum(|a|)` however long `a` is.
pub const SUM_BLOCK: usize = 256;

/// One block's worth of a pairwise reduction.
///
/// A trait with an `#[inline(always)]` method rather than a closure: the
/// SIMD leaves must inline into the SIMD128-enabled entry point, and a
/// closure body is not guaranteed to.
pub(crate) trait Leaf {
    type Out: Element;
    fn leaf(&self, range: Range<usize>) -> Self::Out;
}

/// NumPy's pairwise summation over blocks of `SUM_BLOCK`, without
/// recursion (so that it inlines): block sums are merged like the digits of
/// a binary counter, leaving a tree of depth `log2(blocks) + 1`.
#[inline(always)]
pub(crate) fn pairwise<L: Leaf>(len: usize, leaf: &L) -> L::Out {
    let mut stack = [L::Out::ZERO; usize::BITS as usize + 1];
    let mut top = 0;
    for (b, start) in (0..len).step_by(SUM_BLOCK).enumerate() {
        let mut s = leaf.leaf(start..(start + SUM_BLOCK).min(len));
        let mut k = b;
        while k & 1 == 1 {
            top -= 1;
            s = stack[top].add(s);
            k >>= 1;
        }
        stack[top] = s;
        top += 1;
    }
    let mut total = if top > 0 {
        stack[top - 1]
    } else {
        L::Out::ZERO
    };
    for i in (0..top.saturating_sub(1)).rev() {
        total = stack[i].add(total);
    }
    total
}

struct SumLeaf<'a, T, K>(&'a [T], PhantomData<K>);

impl<T: Element, K: Keep> Leaf for SumLeaf<'_, T, K> {
    type Out = T::Sum;
    #[inline(always)]
    fn leaf(&self, r: Range<usize>) -> T::Sum {
        self.0[r]
            .iter()
            .fold(T::Sum::ZERO, |s, &x| K::keep(s.add(x.to_sum())))
    }
}

#[inline(always)]
pub(crate) fn sum<T: Element, K: Keep>(a: &[T]) -> T::Sum {
    let leaf = SumLeaf::<T, K>(a, PhantomData);
    if T::DTYPE.is_float() {
        pairwise(a.len(), &leaf)
    } else {
        leaf.leaf(0..a.len())
    }
}

#[inline(always)]
pub(crate) fn max<T: Element, K: Keep>(a: &[T]) -> T {
    a.iter().fold(T::LOWEST, |m, &x| K::keep(m.max_nan(x)))
}

struct DotLeaf<'a, T, K>(&'a [T], &'a [T], PhantomData<K>);

impl<T: Element, K: Keep> Leaf for DotLeaf<'_, T, K> {
    type Out = T;
    #[inline(always)]
    fn leaf(&self, r: Range<usize>) -> T {
        let (a, b) = (&self.0[r.clone()], &self.1[r]);
        a.iter()
            .zip(b)
            .fold(T::ZERO, |s, (&x, &y)| K::keep(s.add(x.mul(y))))
    }
}

#[inline(always)]
pub(crate) fn dot<T: Element, K: Keep>(a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    let leaf = DotLeaf::<T, K>(a, b, PhantomData);
    if T::DTYPE.is_float() {
        pairwise(n, &leaf)
    } else {
        leaf.leaf(0..n)
    }
}

struct MeanLeaf<'a, T, K>(&'a [T], PhantomData<K>);

impl<T: Element, K: Keep> Leaf for MeanLeaf<'_, T, K> {
    type Out = f64;
    #[inline(always)]
    fn leaf(&self, r: Range<usize>) -> f64 {
        self.0[r]
            .iter()
            .fold(0.0f64, |s, &x| K::keep(s + x.to_f64()))
    }
}

/// The sum of `a` accumulated in float64, pairwise: what `np.mean` does for
/// integer inputs (int64 sums may pass 2^63, which an i64 sum would wrap).
#[inline(always)]
pub(crate) fn mean_f64<T: Element, K: Keep>(a: &[T]) -> f64 {
    pairwise(a.len(), &MeanLeaf::<T, K>(a, PhantomData)) / a.len() as f64
}
