//! Memory layout: sums along rows and down columns, transposed copies.

use super::Keep;
use crate::dtype::Element;

/// Tile edge for the tiled transpose: a 32 x 32 tile of f64 is 8 KiB, so the
/// source and destination tiles stay in L1 together.
pub const TILE: usize = 32;

/// `m.sum(axis=1)`: each row is contiguous.
#[inline(always)]
pub(crate) fn sum_rows<T: Element, K: Keep>(m: &[T], cols: usize, out: &mut [T::Sum]) {
    if cols == 0 {
        out.fill(T::Sum::ZERO);
        return;
    }
    for (o, row) in out.iter_mut().zip(m.chunks_exact(cols)) {
        *o = super::reduce::sum::<T, K>(row);
    }
}

/// `m.sum(axis=0)`, the way a C loop over columns would: each step jumps a
/// whole row ahead in memory.
#[inline(always)]
pub(crate) fn sum_cols<T: Element, K: Keep>(m: &[T], cols: usize, out: &mut [T::Sum]) {
    for (j, o) in out.iter_mut().enumerate().take(cols) {
        let mut s = T::Sum::ZERO;
        let mut i = j;
        while i < m.len() {
            s = K::keep(s.add(m[i].to_sum()));
            i += cols;
        }
        *o = s;
    }
}

/// `m.T.copy()` row by row: reads are sequential, writes jump by `rows`.
#[inline(always)]
pub(crate) fn transpose_naive<T: Element, K: Keep>(m: &[T], cols: usize, out: &mut [T]) {
    if cols == 0 {
        return;
    }
    let rows = m.len() / cols;
    for (i, row) in m.chunks_exact(cols).enumerate() {
        for (j, &x) in row.iter().enumerate() {
            out[j * rows + i] = K::keep(x);
        }
    }
}

/// `m.T.copy()` in `TILE x TILE` tiles, so both sides stay in cache.
#[inline(always)]
pub(crate) fn transpose_tiled<T: Element, K: Keep>(m: &[T], cols: usize, out: &mut [T]) {
    if cols == 0 {
        return;
    }
    let rows = m.len() / cols;
    for i0 in (0..rows).step_by(TILE) {
        for j0 in (0..cols).step_by(TILE) {
            let (rs, cs) = (i0..(i0 + TILE).min(rows), j0..(j0 + TILE).min(cols));
            transpose_block::<T, K>(m, cols, out, 0, rs, cs);
        }
    }
}

/// Transposes the block `rows_r x cols_r` of `m` into `out`, element by
/// element; `out` holds the rows of the result from row `j0` on.
#[inline(always)]
pub(crate) fn transpose_block<T: Element, K: Keep>(
    m: &[T],
    cols: usize,
    out: &mut [T],
    j0: usize,
    rows_r: core::ops::Range<usize>,
    cols_r: core::ops::Range<usize>,
) {
    let rows = m.len() / cols;
    for i in rows_r {
        for j in cols_r.clone() {
            out[(j - j0) * rows + i] = K::keep(m[i * cols + j]);
        }
    }
}
