//! The `simd-threads` rung: the `simd` kernels split across a rayon pool.
//!
//! Parallel is a wrapper, not another implementation: each function cuts its
//! output into `threads` pieces (on cache-line boundaries) and runs the serial
//! SIMD kernel on each piece. The thread count is an argument; the pieces run
//! on the current rayon pool (natively the global one, in the browser the
//! worker's `initThreadPool` pool).

use core::ops::Range;

use crate::dtype::{Element, Float};
use crate::scalar::reduce::SUM_BLOCK;
use crate::simd;

/// Cuts `out` into `pieces` chunks whose lengths are multiples of `align`
/// (but the last) and runs `f(start, chunk)` on each, in parallel.
fn split_mut<T: Send>(
    pieces: usize,
    align: usize,
    start: usize,
    out: &mut [T],
    f: &(impl Fn(usize, &mut [T]) + Sync),
) {
    let units = out.len().div_ceil(align.max(1));
    if pieces <= 1 || units <= 1 {
        return f(start, out);
    }
    let left = pieces / 2;
    let mid = (units * left / pieces).max(1) * align.max(1);
    let (lo, hi) = out.split_at_mut(mid.min(out.len()));
    rayon::join(
        || split_mut(left, align, start, lo, f),
        || split_mut(pieces - left, align, start + mid, hi, f),
    );
}

/// Cuts `range` into `pieces` on multiples of `align`, maps each piece with
/// `f` in parallel and combines the results pairwise with `g`.
fn split_reduce<S: Send>(
    pieces: usize,
    align: usize,
    range: Range<usize>,
    f: &(impl Fn(Range<usize>) -> S + Sync),
    g: &(impl Fn(S, S) -> S + Sync),
) -> S {
    let units = range.len().div_ceil(align.max(1));
    if pieces <= 1 || units <= 1 {
        return f(range);
    }
    let left = pieces / 2;
    let mid = range.start + ((units * left / pieces).max(1) * align).min(range.len());
    let (l, r) = rayon::join(
        || split_reduce(left, align, range.start..mid, f, g),
        || split_reduce(pieces - left, align, mid..range.end, f, g),
    );
    g(l, r)
}

/// Elements per piece boundary: a 64-byte cache line.
fn line<T>() -> usize {
    (64 / size_of::<T>()).max(1)
}

pub fn add<T: Element>(threads: usize, a: &[T], b: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), 0, out, &|s, o| {
        simd::add(&a[s..s + o.len()], &b[s..s + o.len()], o)
    });
}

pub fn multiply<T: Element>(threads: usize, a: &[T], b: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), 0, out, &|s, o| {
        simd::multiply(&a[s..s + o.len()], &b[s..s + o.len()], o)
    });
}

pub fn axpy<T: Element>(threads: usize, alpha: T, x: &[T], y: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), 0, out, &|s, o| {
        simd::axpy(alpha, &x[s..s + o.len()], &y[s..s + o.len()], o)
    });
}

pub fn add_scalar<T: Element>(threads: usize, a: &[T], v: T, out: &mut [T]) {
    split_mut(threads, line::<T>(), 0, out, &|s, o| {
        simd::add_scalar(&a[s..s + o.len()], v, o)
    });
}

pub fn sqrt<T: Float>(threads: usize, a: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), 0, out, &|s, o| {
        simd::sqrt(&a[s..s + o.len()], o)
    });
}

pub fn exp<T: Float>(threads: usize, a: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), 0, out, &|s, o| {
        simd::exp(&a[s..s + o.len()], o)
    });
}

pub fn where_positive<T: Element>(threads: usize, a: &[T], b: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), 0, out, &|s, o| {
        simd::where_positive(&a[s..s + o.len()], &b[s..s + o.len()], o)
    });
}

pub fn clip<T: Element>(threads: usize, a: &[T], lo: T, hi: T, out: &mut [T]) {
    split_mut(threads, line::<T>(), 0, out, &|s, o| {
        simd::clip(&a[s..s + o.len()], lo, hi, o)
    });
}

pub fn copy<T: Element>(threads: usize, a: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), 0, out, &|s, o| {
        simd::copy(&a[s..s + o.len()], o)
    });
}

/// Float pieces start on `SUM_BLOCK` boundaries, like the serial pairwise sum.
fn reduce_align<T: Element>() -> usize {
    if T::DTYPE.is_float() {
        SUM_BLOCK
    } else {
        line::<T>()
    }
}

pub fn sum<T: Element>(threads: usize, a: &[T]) -> T::Sum {
    split_reduce(
        threads,
        reduce_align::<T>(),
        0..a.len(),
        &|r| simd::sum(&a[r]),
        &|x, y| x.add(y),
    )
}

pub fn max<T: Element>(threads: usize, a: &[T]) -> T {
    split_reduce(
        threads,
        line::<T>(),
        0..a.len(),
        &|r| simd::max(&a[r]),
        &|x, y| x.max_nan(y),
    )
}

pub fn dot<T: Element>(threads: usize, a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    let f = |r: Range<usize>| simd::dot(&a[r.clone()], &b[r]);
    split_reduce(threads, reduce_align::<T>(), 0..n, &f, &|x, y| x.add(y))
}

pub fn add_row_broadcast<T: Element>(threads: usize, m: &[T], v: &[T], out: &mut [T]) {
    split_mut(threads, v.len(), 0, out, &|s, o| {
        simd::add_row_broadcast(&m[s..s + o.len()], v, o)
    });
}

/// The tile is materialized whole (that is the point of this strategy), then
/// filled and added piece by piece in parallel.
pub fn add_row_tile<T: Element>(threads: usize, m: &[T], v: &[T], out: &mut [T]) {
    if v.is_empty() {
        return;
    }
    let mut tile = vec![T::ZERO; m.len()];
    split_mut(threads, v.len(), 0, &mut tile, &|_, t| {
        for row in t.chunks_exact_mut(v.len()) {
            simd::copy(v, row);
        }
    });
    add(threads, m, &tile, out);
}

pub fn matmul_ikj<T: Float>(threads: usize, a: &[T], b: &[T], k: usize, out: &mut [T]) {
    let m = b.len().checked_div(k).unwrap_or(0);
    if m == 0 {
        return simd::matmul_ikj(a, b, k, out);
    }
    split_mut(threads, m, 0, out, &|s, o| {
        let rows = s / m..(s + o.len()) / m;
        simd::matmul_ikj(&a[rows.start * k..rows.end * k], b, k, o)
    });
}

pub fn matmul_blocked<T: Float>(threads: usize, a: &[T], b: &[T], k: usize, out: &mut [T]) {
    let m = b.len().checked_div(k).unwrap_or(0);
    if m == 0 {
        return simd::matmul_blocked(a, b, k, out);
    }
    split_mut(threads, m, 0, out, &|s, o| {
        let rows = s / m..(s + o.len()) / m;
        simd::matmul_blocked(&a[rows.start * k..rows.end * k], b, k, o)
    });
}

pub fn convolve<T: Float>(threads: usize, a: &[T], k: &[T], out: &mut [T]) {
    let taps = k.len();
    split_mut(threads, line::<T>(), 0, out, &|s, o| {
        simd::convolve(&a[s..s + o.len() + taps - 1], k, o)
    });
}

pub fn sum_rows<T: Element>(threads: usize, m: &[T], cols: usize, out: &mut [T::Sum]) {
    split_mut(threads, 1, 0, out, &|s, o| {
        simd::sum_rows(&m[s * cols..(s + o.len()) * cols], cols, o)
    });
}

pub fn sum_cols<T: Element>(threads: usize, m: &[T], cols: usize, out: &mut [T::Sum]) {
    split_mut(threads, 4 * line::<T>(), 0, out, &|s, o| {
        simd::sum_cols_range(m, cols, s, o)
    });
}

pub fn transpose_tiled<T: Element>(threads: usize, m: &[T], cols: usize, out: &mut [T]) {
    if cols == 0 || m.len() < cols {
        return;
    }
    let rows = m.len() / cols;
    // Output rows are input columns: each piece writes whole rows of `m.T`.
    split_mut(
        threads,
        rows * crate::scalar::layout::TILE,
        0,
        out,
        &|s, o| simd::transpose_tiled_range(m, cols, s / rows, o),
    );
}
