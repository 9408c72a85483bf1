//! `m.T.copy()`: row by row (reads sequential, writes a row apart) against
//! tile by tile (both sides stay in cache).

use crate::catalogue::{ALL_DTYPES, Flops, Form, INPUTS, M, PYTHON_ROWS, OutDType, OutShape, Row, Rungs, Strategy, Unit};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::par;
use crate::rung::{Keep, Plain, pick, serial, simd};

/// The transpose in plain Python: the columns of the rows, as lists.
const TRANSPOSED: &str = "[list(col) for col in zip(*ml)]";

pub(crate) const ROW: Row = Row {
    name: "transpose",
    chapter: 5,
    forms: &[
        Form::new(Strategy::Naive, "m.T.copy()", "np.copyto(o, m.T)")
            .output(OutShape::Transposed)
            .rungs(Rungs::Serial)
            .python(&[PYTHON_ROWS], TRANSPOSED, 2),
        Form::new(Strategy::Tiled, "m.T.copy()", "np.copyto(o, m.T)")
            .output(OutShape::Transposed)
            .python(&[PYTHON_ROWS], TRANSPOSED, 2),
    ],
    dtypes: ALL_DTYPES,
    matrix: true,
    inputs: M,
    out_dtype: OutDType::Same,
    flops: Flops::PerElement(0.0),
    unit: Unit::Bytes,
    min_len: 0,
    float_inputs: INPUTS,
};

/// Tile edge for the tiled transpose: a 32 x 32 tile of f64 is 8 KiB, so the
/// source and destination tiles stay in L1 together.
pub(crate) const TILE: usize = 32;

/// `m.T.copy()` row by row: reads are sequential, writes jump by `rows`.
#[inline(always)]
pub(crate) fn each_naive<T: Element, K: Keep>(m: &[T], cols: usize, out: &mut [T]) {
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
pub(crate) fn each_tiled<T: Element, K: Keep>(m: &[T], cols: usize, out: &mut [T]) {
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

/// Transposes an `L x L` block held in `L` vectors: log2(L) rounds of
/// interleaving (`zip_lo`/`zip_hi`) turn rows into columns.
///
/// For wasm every round is written out with constant indices, so that LLVM
/// keeps the rows in locals: as a loop over a copied array it kept the
/// sixteen rows of i8 in linear memory and copied them with `memory.copy`
/// twice a round, which V8 runs as a call into C. Natively the loop is
/// faster (x86-64 has 16 vector registers and LLVM schedules the loop
/// well), so it stays. Both measured: docs/codegen.md.
#[inline(always)]
fn transpose_in_registers<V: Lanes>(rows: &mut [V; 16]) {
    let l = V::LANES;
    if cfg!(target_arch = "wasm32") {
        for round in 0..4 {
            if 2 << round <= l {
                *rows = zip_round(rows, l / 2);
            }
        }
        return;
    }
    let mut width = 1;
    while width < l {
        let mut next = *rows;
        for t in 0..l / 2 {
            next[2 * t] = rows[t].zip_lo(rows[t + l / 2]);
            next[2 * t + 1] = rows[t].zip_hi(rows[t + l / 2]);
        }
        *rows = next;
        width *= 2;
    }
}

/// A 4 x 4 block in four vectors, transposed by two rounds of zips. (The
/// arrays stay small so that LLVM keeps them in wasm locals: two 16-vector
/// arrays side by side went to linear memory, and V8 ran the copies between
/// rounds as calls, 4x slower.)
#[inline(always)]
fn transpose4<V: Lanes>(r: [V; 4]) -> [V; 4] {
    let round = |r: [V; 4]| {
        [
            r[0].zip_lo(r[2]),
            r[0].zip_hi(r[2]),
            r[1].zip_lo(r[3]),
            r[1].zip_hi(r[3]),
        ]
    };
    round(round(r))
}

/// One round: element `2t` is `zip_lo(r[t], r[t + h])`, `2t + 1` the
/// `zip_hi` (for `t < h`; the rest are unused).
#[inline(always)]
fn zip_round<V: Lanes>(r: &[V; 16], h: usize) -> [V; 16] {
    let lo = |t: usize| if t < h { r[t].zip_lo(r[t + h]) } else { r[t] };
    let hi = |t: usize| if t < h { r[t].zip_hi(r[t + h]) } else { r[t] };
    [
        lo(0),
        hi(0),
        lo(1),
        hi(1),
        lo(2),
        hi(2),
        lo(3),
        hi(3),
        lo(4),
        hi(4),
        lo(5),
        hi(5),
        lo(6),
        hi(6),
        lo(7),
        hi(7),
    ]
}

/// Columns of a tile. On wasm twice the rows: V8 spends about 50
/// instructions, most of them stack moves, setting up each strip of blocks,
/// so longer strips pay less of it per block; 64 rows of `out` still stay
/// in L1.
const COLUMN_TILE: usize = if cfg!(target_arch = "wasm32") {
    2 * TILE
} else {
    TILE
};

#[inline(always)]
pub(crate) fn vectors_tiled<T: Element>(m: &[T], cols: usize, out: &mut [T]) {
    vectors_tiled_range::<T>(m, cols, 0, out);
}

/// Writes rows `first..` of `m.T` (columns `first..` of `m`, as many as `out`
/// holds) into `out`.
///
/// Every element goes through a block in registers: where the rows or
/// columns of a tile do not divide into blocks, the last block overlaps the
/// one before it and writes some of the same elements again (`out` never
/// aliases `m`). Only a matrix with fewer rows than a block, or a range of
/// fewer columns than a block (a thread's share), takes the scalar loop. (Done element by element, the edges of a 316 x 316 i8
/// matrix were 7% of its elements and, at ten times the cost of the rest,
/// a large part of its time.)
#[inline(always)]
pub(crate) fn vectors_tiled_range<T: Element>(
    m: &[T],
    cols: usize,
    first: usize,
    out: &mut [T],
) {
    if cols == 0 || m.len() < cols {
        return;
    }
    let rows = m.len() / cols;
    let last = (first + out.len() / rows).min(cols);
    let l = T::V::LANES;
    if rows < l || last < first + l {
        transpose_block::<T, Plain>(m, cols, out, first, 0..rows, first..last);
        return;
    }
    for i0 in (0..rows).step_by(TILE) {
        let i1 = (i0 + TILE).min(rows);
        for j0 in (first..last).step_by(COLUMN_TILE) {
            let j1 = (j0 + COLUMN_TILE).min(last);
            // A tile narrower than a block starts back in the one before.
            let j0 = j0.min(j1 - l);
            for i in (i0..i1).step_by(l) {
                // The last strip of the tile overlaps the one before it.
                strip(m, cols, rows, first, out, i.min(i1 - l), j0..j1);
            }
        }
    }
}

/// Transposes rows `i..i + l` of columns `js` (at least `l` of them) into
/// `out`, a block of `l x l` at a time; the last block ends at `js.end`.
#[inline(always)]
fn strip<T: Element>(
    m: &[T],
    cols: usize,
    rows: usize,
    first: usize,
    out: &mut [T],
    i: usize,
    js: core::ops::Range<usize>,
) {
    let l = T::V::LANES;
    let (j0, j1) = (js.start, js.end);
    // The strip's last block (columns j1 - l..j1): its last element in `m`
    // and in `out`, checked once for the strip's loads and stores (checked
    // one by one, they were most of the loop's instructions).
    assert!(
        j1 >= j0 + l
            && j0 >= first
            && (i + l - 1) * cols + j1 <= m.len()
            && (j1 - first - 1) * rows + i + l <= out.len()
    );
    // Each block's first row in `m` and first column in `out`, advanced by
    // additions: no multiplication per block.
    let (mut at_m, mut at_out) = (i * cols + j0, (j0 - first) * rows + i);
    let mut j = j0;
    // On wasm, 4-lane blocks go two side by side: the second block's loads
    // are the first's at +16 bytes (a free offset in wasm and x86
    // addressing), so V8's per-iteration address arithmetic, loop control
    // and stack check are paid once per two blocks.
    if cfg!(target_arch = "wasm32") && l == 4 {
        let pairs = (j1 - j) / (2 * l);
        let end = at_m + pairs * 2 * l;
        while at_m < end {
            // SAFETY: at_m < end, so this pair's columns end at most at
            // j + pairs * 2l <= j1, within what the assert checked.
            unsafe { pair(m, out, at_m, at_out, cols, rows) };
            at_m += 2 * l;
            at_out += 2 * l * rows;
        }
        j += pairs * 2 * l;
    }
    while j + l <= j1 {
        // SAFETY: the block at column j ends at j + l <= j1.
        unsafe { block(m, out, at_m, at_out, cols, rows) };
        at_m += l;
        at_out += l * rows;
        j += l;
    }
    if j < j1 {
        let back = j + l - j1;
        // SAFETY: the block at column j1 - l (>= j0) ends at j1.
        unsafe { block(m, out, at_m - back, at_out - back * rows, cols, rows) };
    }
}

/// Transposes the `l x l` block whose first element is `m[at_m]` into the
/// block whose first element is `out[at_out]`.
///
/// # Safety
///
/// `at_m + (l - 1) * cols + l <= m.len()` and
/// `at_out + (l - 1) * rows + l <= out.len()`.
#[inline(always)]
unsafe fn block<T: Element>(
    m: &[T],
    out: &mut [T],
    at_m: usize,
    at_out: usize,
    cols: usize,
    rows: usize,
) {
    let l = T::V::LANES;
    let mut r = [T::V::splat(T::ZERO); 16];
    let mut k = at_m;
    for r in r.iter_mut().take(l) {
        // SAFETY: k = at_m + t * cols for t < l, so k + l is within the
        // caller's bound on `m`.
        *r = T::V::load(unsafe { m.get_unchecked(k..k + l) });
        k += cols;
    }
    transpose_in_registers(&mut r);
    let mut k = at_out;
    for r in r.iter().take(l) {
        // SAFETY: k = at_out + c * rows for c < l, within the caller's
        // bound on `out`.
        r.store(unsafe { out.get_unchecked_mut(k..k + l) });
        k += rows;
    }
}

/// Two 4 x 4 blocks side by side (columns `c..c + 8` of `m`), each
/// transposed in a `[V; 4]`.
///
/// # Safety
///
/// `at_m + 3 * cols + 8 <= m.len()` and `at_out + 7 * rows + 4 <= out.len()`.
#[inline(always)]
unsafe fn pair<T: Element>(
    m: &[T],
    out: &mut [T],
    at_m: usize,
    at_out: usize,
    cols: usize,
    rows: usize,
) {
    let l = T::V::LANES;
    debug_assert_eq!(l, 4);
    let (mut a, mut b) = ([T::V::splat(T::ZERO); 4], [T::V::splat(T::ZERO); 4]);
    let mut k = at_m;
    for (a, b) in a.iter_mut().zip(&mut b) {
        // SAFETY: k = at_m + t * cols for t < 4: within the caller's bound.
        *a = T::V::load(unsafe { m.get_unchecked(k..k + l) });
        // SAFETY: the same row, the next block's columns.
        *b = T::V::load(unsafe { m.get_unchecked(k + l..k + 2 * l) });
        k += cols;
    }
    let (a, b) = (transpose4(a), transpose4(b));
    let (r1, r2) = (rows, 2 * rows);
    let (o0, o2) = (at_out, at_out + r2);
    let (o4, o6) = (o0 + 2 * r2, o2 + 2 * r2);
    // SAFETY: each index is at_out + c * rows for c < 8: within the bound.
    unsafe {
        a[0].store(out.get_unchecked_mut(o0..o0 + l));
        a[1].store(out.get_unchecked_mut(o0 + r1..o0 + r1 + l));
        a[2].store(out.get_unchecked_mut(o2..o2 + l));
        a[3].store(out.get_unchecked_mut(o2 + r1..o2 + r1 + l));
        b[0].store(out.get_unchecked_mut(o4..o4 + l));
        b[1].store(out.get_unchecked_mut(o4 + r1..o4 + r1 + l));
        b[2].store(out.get_unchecked_mut(o6..o6 + l));
        b[3].store(out.get_unchecked_mut(o6 + r1..o6 + r1 + l));
    }
}

serial!(scalar_naive, auto_naive = each_naive<T: Element>(m: &[T], cols: usize, out: &mut [T]));
serial!(scalar_tiled, auto_tiled = each_tiled<T: Element>(m: &[T], cols: usize, out: &mut [T]));
simd!(simd_tiled = vectors_tiled<T: Element>(m: &[T], cols: usize, out: &mut [T]));
simd!(simd_tiled_range = vectors_tiled_range<T: Element>(m: &[T], cols: usize, first: usize, out: &mut [T]));

/// `simd-threads` splits the output's rows (the input's columns), a tile's
/// worth at a time.
pub(crate) fn run(mut c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => {
        let (m, cols) = (c.input::<T>(0), c.cols());
        let (variant, par, strategy) = (c.variant, c.par, c.problem.strategy);
        let out = c.out::<T>();
        match (strategy, variant) {
            // Naive offers no SIMD rung: `pick`'s third entry is never taken.
            (Strategy::Naive, _) => pick(variant, [scalar_naive::<T>, auto_naive::<T>, auto_naive::<T>])(m, cols, out),
            (_, crate::Variant::SimdThreads) if cols > 0 && m.len() >= cols => {
                let rows = m.len() / cols;
                par::chunks(par, rows * TILE, out, &|s, o| {
                    simd_tiled_range(m, cols, s / rows, o)
                });
            }
            (_, crate::Variant::SimdThreads) => {}
            _ => pick(variant, [scalar_tiled::<T>, auto_tiled::<T>, simd_tiled::<T>])(m, cols, out),
        }
        Ok(Outcome::Written)
    })
}
