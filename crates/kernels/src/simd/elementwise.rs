//! Element-wise SIMD kernels.

use crate::dtype::{Element, Float};
use crate::lanes::{FloatLanes, Lanes};
use crate::scalar::Keep;

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

#[inline(always)]
pub(crate) fn add<T: Element, K: Keep>(a: &[T], b: &[T], out: &mut [T]) {
    map2(a, b, out, |x, y| x.add(y), |x, y| x.add(y));
}

#[inline(always)]
pub(crate) fn multiply<T: Element, K: Keep>(a: &[T], b: &[T], out: &mut [T]) {
    map2(a, b, out, |x, y| x.mul(y), |x, y| x.mul(y));
}

#[inline(always)]
pub(crate) fn axpy<T: Element, K: Keep>(alpha: T, x: &[T], y: &[T], out: &mut [T]) {
    let va = T::V::splat(alpha);
    map2(
        x,
        y,
        out,
        |x, y| va.mul(x).add(y),
        |x, y| alpha.mul(x).add(y),
    );
}

#[inline(always)]
pub(crate) fn add_scalar<T: Element, K: Keep>(a: &[T], s: T, out: &mut [T]) {
    let vs = T::V::splat(s);
    map1(a, out, |x| x.add(vs), |x| x.add(s));
}

#[inline(always)]
pub(crate) fn sqrt<T: Float, K: Keep>(a: &[T], out: &mut [T]) {
    map1(a, out, |x| x.sqrt(), |x| Float::sqrt(x));
}

#[inline(always)]
pub(crate) fn exp<T: Float, K: Keep>(a: &[T], out: &mut [T]) {
    T::exp_vectors(a, out);
}

#[inline(always)]
pub(crate) fn where_positive<T: Element, K: Keep>(a: &[T], b: &[T], out: &mut [T]) {
    let zero = T::V::splat(T::ZERO);
    map2(
        a,
        b,
        out,
        |x, y| T::V::select(x.gt(zero), x, y),
        |x, y| if x > T::ZERO { x } else { y },
    );
}

#[inline(always)]
pub(crate) fn clip<T: Element, K: Keep>(a: &[T], lo: T, hi: T, out: &mut [T]) {
    let (vlo, vhi) = (T::V::splat(lo), T::V::splat(hi));
    map1(
        a,
        out,
        |x| x.max(vlo).min(vhi),
        |x| x.max_nan(lo).min_nan(hi),
    );
}

/// A copy with explicit vector loads and stores. Left alone, the compiler
/// recognizes the loop as a copy and calls `memcpy` (on wasm: `memory.copy`),
/// which is neither this rung nor SIMD; passing each 64-byte destination
/// through `black_box` keeps the loop as written.
#[inline(always)]
pub(crate) fn copy<T: Element, K: Keep>(a: &[T], out: &mut [T]) {
    let n = out.len().min(a.len());
    let (a, out) = (&a[..n], &mut out[..n]);
    let l = T::V::LANES;
    let mut oc = out.chunks_exact_mut(4 * l);
    let mut ac = a.chunks_exact(4 * l);
    for (o, x) in (&mut oc).zip(&mut ac) {
        let o = core::hint::black_box(o);
        for u in 0..4 {
            T::V::load(&x[u * l..]).store(&mut o[u * l..]);
        }
    }
    map1(ac.remainder(), oc.into_remainder(), |x| x, |x| x);
}
