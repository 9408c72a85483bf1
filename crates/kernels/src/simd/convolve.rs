//! `np.convolve(a, k, mode="valid")` with one vector of outputs at a time.

use crate::dtype::Float;
use crate::lanes::Lanes;
use crate::scalar::Keep;

/// Each lane adds its products in the same order as the scalar loop
/// (j = 0..taps), so the results are bit-identical to it.
#[inline(always)]
pub(crate) fn convolve<T: Float, K: Keep>(a: &[T], k: &[T], out: &mut [T]) {
    let l = T::V::LANES;
    let whole = out.len() / l * l;
    let (body, tail) = out.split_at_mut(whole);
    for (c, o) in body.chunks_exact_mut(l).enumerate() {
        let i = c * l;
        let mut s = T::V::splat(T::ZERO);
        for (j, &w) in k.iter().rev().enumerate() {
            s = s.add(T::V::load(&a[i + j..]).mul(T::V::splat(w)));
        }
        s.store(o);
    }
    crate::scalar::convolve::convolve::<T, K>(&a[whole..], k, tail);
}
