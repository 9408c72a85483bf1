//! What each op's file declares its rungs with.
//!
//! An op's plain loop is written once, generic over [`Keep`], and compiled
//! twice: as the `scalar` entry with [`Opaque`] (every result goes through an
//! optimization barrier, and the crate is built without SIMD128, so nothing
//! vectorizes it) and as the `auto` entry with [`Plain`] inside a
//! SIMD128-enabled function, where the compiler vectorizes what it can by
//! itself (float reductions stay scalar: reordering a float sum changes its
//! result, so the compiler may not). Its hand-written kernel, over
//! [`crate::lanes::Lanes`], is the `simd` entry. Each entry is a
//! never-inlined function, so every rung is one function per (op, dtype) in
//! the binary: `lanes_kernels::ops::<op>::<rung>[_<strategy>]::<T>`, the
//! names the SIMD proof (`cargo xtask test`) checks.

use crate::catalogue::Variant;
use crate::dtype::Element;

/// What a loop does with each result: keep it opaque or leave it plain.
pub trait Keep {
    fn keep<T: Element>(x: T) -> T;
}

/// Results pass an optimization barrier: the loop stays scalar.
#[derive(Debug)]
pub enum Opaque {}

/// Results are left alone: the compiler may vectorize.
#[derive(Debug)]
pub enum Plain {}

impl Keep for Opaque {
    #[inline(always)]
    fn keep<T: Element>(x: T) -> T {
        x.opaque()
    }
}

impl Keep for Plain {
    #[inline(always)]
    fn keep<T: Element>(x: T) -> T {
        x
    }
}

/// The entry of `[scalar, auto, simd]` that runs rung `v` (`simd-threads`
/// runs `simd` on each of its pieces).
#[inline(always)]
pub(crate) fn pick<F>(v: Variant, [scalar, auto, simd]: [F; 3]) -> F {
    match v {
        Variant::Scalar => scalar,
        Variant::Auto => auto,
        Variant::Simd | Variant::SimdThreads => simd,
    }
}

/// Declares the `scalar` and `auto` entry points of a loop over [`Keep`]:
/// `serial!(scalar, auto = each<T: Element>(a: &[T], out: &mut [T]));`
macro_rules! serial {
    ($scalar:ident, $auto:ident = $each:ident<$T:ident: $B:path>($($a:ident: $ty:ty),* $(,)?) $(-> $ret:ty)?) => {
        #[inline(never)]
        #[allow(clippy::needless_pass_by_value)]
        pub fn $scalar<$T: $B>($($a: $ty),*) $(-> $ret)? {
            $each::<$T, $crate::rung::Opaque>($($a),*)
        }

        #[inline(never)]
        #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
        pub fn $auto<$T: $B>($($a: $ty),*) $(-> $ret)? {
            $each::<$T, $crate::rung::Plain>($($a),*)
        }
    };
}
pub(crate) use serial;

/// Declares the `simd` entry point of a hand-written kernel (SIMD128 on for
/// it on wasm32; natively SSE2 is always on):
/// `simd!(simd = vectors<T: Element>(a: &[T], out: &mut [T]));`
macro_rules! simd {
    ($simd:ident = $vectors:ident<$T:ident: $B:path>($($a:ident: $ty:ty),* $(,)?) $(-> $ret:ty)?) => {
        #[inline(never)]
        #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
        pub fn $simd<$T: $B>($($a: $ty),*) $(-> $ret)? {
            $vectors::<$T>($($a),*)
        }
    };
}
pub(crate) use simd;
