//! Element-wise loops: `add`, `multiply`, `axpy`, `add_scalar`, `sqrt`, `exp`,
//! `where`, `clip` and a plain copy.

use super::Keep;
use crate::dtype::{Element, Float};
use crate::simd::math;

#[inline(always)]
pub(crate) fn add<T: Element, K: Keep>(a: &[T], b: &[T], out: &mut [T]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = K::keep(x.add(y));
    }
}

#[inline(always)]
pub(crate) fn multiply<T: Element, K: Keep>(a: &[T], b: &[T], out: &mut [T]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = K::keep(x.mul(y));
    }
}

#[inline(always)]
pub(crate) fn axpy<T: Element, K: Keep>(alpha: T, x: &[T], y: &[T], out: &mut [T]) {
    for ((o, &x), &y) in out.iter_mut().zip(x).zip(y) {
        // Two roundings, as NumPy's `alpha * x + y` (no fused multiply-add).
        *o = K::keep(alpha.mul(x).add(y));
    }
}

#[inline(always)]
pub(crate) fn add_scalar<T: Element, K: Keep>(a: &[T], s: T, out: &mut [T]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = K::keep(x.add(s));
    }
}

#[inline(always)]
pub(crate) fn sqrt<T: Float, K: Keep>(a: &[T], out: &mut [T]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = K::keep(x.sqrt());
    }
}

#[inline(always)]
pub(crate) fn exp<T: Float, K: Keep>(a: &[T], out: &mut [T]) {
    for (o, &x) in out.iter_mut().zip(a) {
        // The same algorithm as the SIMD kernel, run on a one-lane vector.
        *o = K::keep(math::exp::<T>(x));
    }
}

#[inline(always)]
pub(crate) fn where_positive<T: Element, K: Keep>(a: &[T], b: &[T], out: &mut [T]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = K::keep(if x > T::ZERO { x } else { y });
    }
}

#[inline(always)]
pub(crate) fn clip<T: Element, K: Keep>(a: &[T], lo: T, hi: T, out: &mut [T]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = K::keep(x.max_nan(lo).min_nan(hi));
    }
}

#[inline(always)]
pub(crate) fn copy<T: Element, K: Keep>(a: &[T], out: &mut [T]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = K::keep(x);
    }
}
