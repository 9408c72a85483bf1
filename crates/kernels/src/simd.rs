//! The `simd` rung: hand-written 128-bit SIMD over [`crate::lanes::Lanes`].
//!
//! Each kernel runs whole vectors with `chunks_exact(LANES)` and hands the
//! tail (fewer than `LANES` elements) to the scalar loop. On wasm32 every
//! entry point is compiled with `simd128` enabled; natively SSE2 is always on.

// Kernel bodies share the `entries!` shape of the scalar loops, whose second
// type parameter is the rung's `Keep`: SIMD bodies pass it to the scalar
// loops they reuse, or have no use for it.
#[allow(clippy::extra_unused_type_parameters)]
pub mod broadcast;
#[allow(clippy::extra_unused_type_parameters)]
pub mod convolve;
#[allow(clippy::extra_unused_type_parameters)]
pub mod elementwise;
#[allow(clippy::extra_unused_type_parameters)]
pub mod layout;
pub mod math;
#[allow(clippy::extra_unused_type_parameters)]
pub mod matmul;
#[allow(clippy::extra_unused_type_parameters)]
pub mod reduce;

use crate::dtype::{Element, Float};
use crate::scalar::{Plain, entries};

macro_rules! simd_kernels {
    ($m:ident! ($($pre:tt)*)) => {
        $m! { $($pre)*
            /// `out = a + b`
            fn add<T: Element>(a: &[T], b: &[T], out: &mut [T]) = crate::simd::elementwise::add;
            /// `out = a * b`
            fn multiply<T: Element>(a: &[T], b: &[T], out: &mut [T]) = crate::simd::elementwise::multiply;
            /// `out = alpha * x + y`
            fn axpy<T: Element>(alpha: T, x: &[T], y: &[T], out: &mut [T]) = crate::simd::elementwise::axpy;
            /// `out = a + s`
            fn add_scalar<T: Element>(a: &[T], s: T, out: &mut [T]) = crate::simd::elementwise::add_scalar;
            /// `out = np.sqrt(a)`
            fn sqrt<T: Float>(a: &[T], out: &mut [T]) = crate::simd::elementwise::sqrt;
            /// `out = np.exp(a)`
            fn exp<T: Float>(a: &[T], out: &mut [T]) = crate::simd::elementwise::exp;
            /// `out = np.where(a > 0, a, b)`
            fn where_positive<T: Element>(a: &[T], b: &[T], out: &mut [T]) = crate::simd::elementwise::where_positive;
            /// `out = np.clip(a, lo, hi)`
            fn clip<T: Element>(a: &[T], lo: T, hi: T, out: &mut [T]) = crate::simd::elementwise::clip;
            /// `out = a` (a copy)
            fn copy<T: Element>(a: &[T], out: &mut [T]) = crate::simd::elementwise::copy;
            /// `np.sum(a)`
            fn sum<T: Element>(a: &[T]) -> T::Sum = crate::simd::reduce::sum;
            /// `np.max(a)` (`LOWEST` for an empty slice)
            fn max<T: Element>(a: &[T]) -> T = crate::simd::reduce::max;
            /// `np.dot(a, b)`
            fn dot<T: Element>(a: &[T], b: &[T]) -> T = crate::simd::reduce::dot;
            /// `out = m + v` with `v` broadcast over the rows of `m`
            fn add_row_broadcast<T: Element>(m: &[T], v: &[T], out: &mut [T]) = crate::simd::broadcast::add_row_broadcast;
            /// `out = m + np.tile(v, (rows, 1))`: the tile is materialized
            fn add_row_tile<T: Element>(m: &[T], v: &[T], out: &mut [T]) = crate::simd::broadcast::add_row_tile;
            /// `out = a @ b`, loops i-k-j with a SIMD inner loop
            fn matmul_ikj<T: Float>(a: &[T], b: &[T], k: usize, out: &mut [T]) = crate::simd::matmul::matmul_ikj;
            /// `out = a @ b`, cache-blocked with a 4 x 2-vector register tile
            fn matmul_blocked<T: Float>(a: &[T], b: &[T], k: usize, out: &mut [T]) = crate::simd::matmul::matmul_blocked;
            /// `out = np.convolve(a, k, mode="valid")`
            fn convolve<T: Float>(a: &[T], k: &[T], out: &mut [T]) = crate::simd::convolve::convolve;
            /// `out = m.sum(axis=1)`
            fn sum_rows<T: Element>(m: &[T], cols: usize, out: &mut [T::Sum]) = crate::simd::layout::sum_rows;
            /// `out = m.sum(axis=0)`, one vector of columns at a time (no widening)
            fn sum_cols<T: Element>(m: &[T], cols: usize, out: &mut [T::Sum]) = crate::simd::layout::sum_cols;
            /// Columns `first..` of `m.sum(axis=0)`
            fn sum_cols_range<T: Element>(m: &[T], cols: usize, first: usize, out: &mut [T::Sum]) = crate::simd::layout::sum_cols_range;
            /// `out = m.T.copy()`, tiles transposed in registers
            fn transpose_tiled<T: Element>(m: &[T], cols: usize, out: &mut [T]) = crate::simd::layout::transpose_tiled;
            /// Rows `first..` of `m.T.copy()`
            fn transpose_tiled_range<T: Element>(m: &[T], cols: usize, first: usize, out: &mut [T]) = crate::simd::layout::transpose_tiled_range;
        }
    };
}

simd_kernels!(
    entries!(#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))] keep = Plain;)
);
