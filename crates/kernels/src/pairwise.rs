//! NumPy's pairwise summation, shared by every float reduction.

use core::ops::Range;

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
