//! The `scalar` rung: plain Rust loops, one element at a time.
//!
//! Each loop is written once, generic over [`Keep`], and compiled twice:
//! here with [`Opaque`] (every result goes through an optimization barrier,
//! and the crate is built without SIMD128, so nothing vectorizes it) and in
//! [`crate::auto`] with [`Plain`] inside a SIMD128-enabled function, where the
//! compiler vectorizes what it can by itself.

pub mod broadcast;
pub mod convolve;
pub mod elementwise;
pub mod layout;
pub mod matmul;
pub mod reduce;
pub mod sort;

use crate::dtype::{Element, Float};

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

/// Declares the public, never-inlined entry points of a rung from a list of
/// loops, so that each rung is one function per (op, dtype) in the binary.
macro_rules! entries {
    (#[$attr:meta] keep = $keep:ty;
     $( $(#[doc = $doc:literal])* fn $name:ident<$T:ident: $B:ident>($($a:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? = $($body:ident)::+; )*) => {$(
        $(#[doc = $doc])*
        #[inline(never)]
        #[$attr]
        pub fn $name<$T: $B>($($a: $ty),*) $(-> $ret)? {
            $($body)::+::<$T, $keep>($($a),*)
        }
    )*};
}
pub(crate) use entries;

/// The loops shared by the `scalar` and `auto` rungs.
macro_rules! loops {
    ($m:ident! ($($pre:tt)*)) => {
        $m! { $($pre)*
            /// `out = a + b`
            fn add<T: Element>(a: &[T], b: &[T], out: &mut [T]) = crate::scalar::elementwise::add;
            /// `out = a * b`
            fn multiply<T: Element>(a: &[T], b: &[T], out: &mut [T]) = crate::scalar::elementwise::multiply;
            /// `out = alpha * x + y`
            fn axpy<T: Element>(alpha: T, x: &[T], y: &[T], out: &mut [T]) = crate::scalar::elementwise::axpy;
            /// `out = a + s`
            fn add_scalar<T: Element>(a: &[T], s: T, out: &mut [T]) = crate::scalar::elementwise::add_scalar;
            /// `out = np.sqrt(a)`
            fn sqrt<T: Float>(a: &[T], out: &mut [T]) = crate::scalar::elementwise::sqrt;
            /// `out = np.exp(a)`
            fn exp<T: Float>(a: &[T], out: &mut [T]) = crate::scalar::elementwise::exp;
            /// `out = np.where(a > 0, a, b)`
            fn where_positive<T: Element>(a: &[T], b: &[T], out: &mut [T]) = crate::scalar::elementwise::where_positive;
            /// `out = np.clip(a, lo, hi)`
            fn clip<T: Element>(a: &[T], lo: T, hi: T, out: &mut [T]) = crate::scalar::elementwise::clip;
            /// `out = a` (a copy)
            fn copy<T: Element>(a: &[T], out: &mut [T]) = crate::scalar::elementwise::copy;
            /// `np.sum(a)`
            fn sum<T: Element>(a: &[T]) -> T::Sum = crate::scalar::reduce::sum;
            /// `np.max(a)` (`LOWEST` for an empty slice)
            fn max<T: Element>(a: &[T]) -> T = crate::scalar::reduce::max;
            /// `np.dot(a, b)`
            fn dot<T: Element>(a: &[T], b: &[T]) -> T = crate::scalar::reduce::dot;
            /// `np.mean(a)` for int64, accumulated in float64 as NumPy does
            fn mean_f64<T: Element>(a: &[T]) -> f64 = crate::scalar::reduce::mean_f64;
            /// `out = m + v` with `v` broadcast over the rows of `m`
            fn add_row_broadcast<T: Element>(m: &[T], v: &[T], out: &mut [T]) = crate::scalar::broadcast::add_row_broadcast;
            /// `out = m + np.tile(v, (rows, 1))`: the tile is materialized
            fn add_row_tile<T: Element>(m: &[T], v: &[T], out: &mut [T]) = crate::scalar::broadcast::add_row_tile;
            /// `out = a @ b`, naive i-j-k loops
            fn matmul_ijk<T: Float>(a: &[T], b: &[T], k: usize, out: &mut [T]) = crate::scalar::matmul::matmul_ijk;
            /// `out = a @ b`, loops reordered i-k-j
            fn matmul_ikj<T: Float>(a: &[T], b: &[T], k: usize, out: &mut [T]) = crate::scalar::matmul::matmul_ikj;
            /// `out = np.sort(a)`
            fn sort<T: Element>(a: &[T], out: &mut [T]) = crate::scalar::sort::sort;
            /// `out = np.convolve(a, k, mode="valid")`
            fn convolve<T: Float>(a: &[T], k: &[T], out: &mut [T]) = crate::scalar::convolve::convolve;
            /// `out = m.sum(axis=1)`
            fn sum_rows<T: Element>(m: &[T], cols: usize, out: &mut [T::Sum]) = crate::scalar::layout::sum_rows;
            /// `out = m.sum(axis=0)`, walking down each column
            fn sum_cols<T: Element>(m: &[T], cols: usize, out: &mut [T::Sum]) = crate::scalar::layout::sum_cols;
            /// `out = m.T.copy()`, row by row
            fn transpose_naive<T: Element>(m: &[T], cols: usize, out: &mut [T]) = crate::scalar::layout::transpose_naive;
            /// `out = m.T.copy()`, tile by tile
            fn transpose_tiled<T: Element>(m: &[T], cols: usize, out: &mut [T]) = crate::scalar::layout::transpose_tiled;
        }
    };
}
pub(crate) use loops;

loops!(entries!(#[allow(clippy::needless_pass_by_value)] keep = Opaque;));
