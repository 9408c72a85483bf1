//! Matrix multiplication, `out (n x m) = a (n x k) @ b (k x m)`, all row-major.
//!
//! Every variant adds the products for one output in the order p = 0..k, so
//! all of them give bit-identical results (no fused multiply-add anywhere).

use super::Keep;
use crate::dtype::Float;

/// The textbook loop: the inner loop walks down a column of `b`.
#[inline(always)]
pub(crate) fn matmul_ijk<T: Float, K: Keep>(a: &[T], b: &[T], k: usize, out: &mut [T]) {
    if k == 0 {
        out.fill(T::ZERO);
        return;
    }
    let m = b.len() / k;
    if m == 0 {
        return;
    }
    for (arow, orow) in a.chunks_exact(k).zip(out.chunks_exact_mut(m)) {
        for (j, o) in orow.iter_mut().enumerate() {
            let mut s = T::ZERO;
            for (p, &x) in arow.iter().enumerate() {
                s = K::keep(s.add(x.mul(b[p * m + j])));
            }
            *o = s;
        }
    }
}

/// Loops reordered so the inner loop runs along a row of `b` and of `out`.
#[inline(always)]
pub(crate) fn matmul_ikj<T: Float, K: Keep>(a: &[T], b: &[T], k: usize, out: &mut [T]) {
    out.fill(T::ZERO);
    if k == 0 {
        return;
    }
    let m = b.len() / k;
    if m == 0 {
        return;
    }
    for (arow, orow) in a.chunks_exact(k).zip(out.chunks_exact_mut(m)) {
        for (&x, brow) in arow.iter().zip(b.chunks_exact(m)) {
            for (o, &y) in orow.iter_mut().zip(brow) {
                *o = K::keep(o.add(x.mul(y)));
            }
        }
    }
}
