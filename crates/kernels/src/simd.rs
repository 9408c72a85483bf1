//! The drivers of elementwise SIMD kernels: whole vectors through the
//! kernel's vector function, the tail (fewer than `LANES` elements) through
//! its scalar one. Vector types stay inside the kernels: these take slices.

use crate::dtype::Element;
use crate::lanes::Lanes;

/// Runs `v` over whole vectors of `a` and `s` over the tail.
#[inline(always)]
pub(crate) fn map1<T: Element>(
    a: &[T],
    out: &mut [T],
    v: impl Fn(T::V) -> T::V,
    s: impl Fn(T) -> T,
) {
    let n = out.len().min(a.len());
    let (a, out) = (&a[..n], &mut out[..n]);
    let l = T::V::LANES;
    let mut oc = out.chunks_exact_mut(l);
    let mut ac = a.chunks_exact(l);
    for (o, x) in (&mut oc).zip(&mut ac) {
        v(T::V::load(x)).store(o);
    }
    for (o, &x) in oc.into_remainder().iter_mut().zip(ac.remainder()) {
        *o = s(x);
    }
}

/// Runs `v` over whole vectors of `a` and `b` and `s` over the tail.
#[inline(always)]
pub(crate) fn map2<T: Element>(
    a: &[T],
    b: &[T],
    out: &mut [T],
    v: impl Fn(T::V, T::V) -> T::V,
    s: impl Fn(T, T) -> T,
) {
    let n = out.len().min(a.len()).min(b.len());
    let (a, b, out) = (&a[..n], &b[..n], &mut out[..n]);
    let l = T::V::LANES;
    // Four vectors a step, at constant offsets from one position per array
    // (wasm-opt folds them into the loads' and stores' offsets): V8 keeps a
    // wasm loop's pointer increments as separate adds, so fewer steps cost
    // fewer instructions.
    let mut oc = out.chunks_exact_mut(4 * l);
    let mut ac = a.chunks_exact(4 * l);
    let mut bc = b.chunks_exact(4 * l);
    for ((o, x), y) in (&mut oc).zip(&mut ac).zip(&mut bc) {
        for u in 0..4 {
            let r = u * l..;
            v(T::V::load(&x[r.clone()]), T::V::load(&y[r.clone()])).store(&mut o[r]);
        }
    }
    let (out, a, b) = (oc.into_remainder(), ac.remainder(), bc.remainder());
    let mut oc = out.chunks_exact_mut(l);
    let mut ac = a.chunks_exact(l);
    let mut bc = b.chunks_exact(l);
    for ((o, x), y) in (&mut oc).zip(&mut ac).zip(&mut bc) {
        v(T::V::load(x), T::V::load(y)).store(o);
    }
    let tail = oc
        .into_remainder()
        .iter_mut()
        .zip(ac.remainder())
        .zip(bc.remainder());
    for ((o, &x), &y) in tail {
        *o = s(x, y);
    }
}

/// Independent accumulators of a SIMD reduction: four hide the add latency.
pub(crate) const U: usize = 4;
