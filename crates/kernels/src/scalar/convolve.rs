//! `np.convolve(a, k, mode="valid")`.

use super::Keep;
use crate::dtype::Float;

/// `out[i] = sum_j a[i + j] * k[len(k) - 1 - j]`, the products added in the
/// order j = 0..len(k) (the SIMD kernel keeps that order, lane by lane).
#[inline(always)]
pub(crate) fn convolve<T: Float, K: Keep>(a: &[T], k: &[T], out: &mut [T]) {
    let taps = k.len();
    for (i, o) in out.iter_mut().enumerate() {
        let mut s = T::ZERO;
        for (j, &x) in a[i..i + taps].iter().enumerate() {
            s = K::keep(s.add(x.mul(k[taps - 1 - j])));
        }
        *o = s;
    }
}
