//! `m + v`: a row broadcast over a matrix, in place or after materializing
//! the tile (`np.tile`), as NumPy code that does not rely on broadcasting
//! would.

use super::{add, ravel};
use crate::array::Shape;
use crate::catalogue::{ALL_DTYPES, Flops, Form, INPUTS, InShape, Input, OutDType, PYTHON_ROWS, Row, Strategy, Unit};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::{DType, Element};
use crate::error::Error;
use crate::lanes::Lanes;
use crate::par::{self, Par};
use crate::rung::{Keep, pick, serial, simd};

pub(crate) const ROW: Row = Row {
    name: "add_row",
    chapter: 2,
    forms: &[
        Form::new(Strategy::Broadcast, "m + v", "np.add(m, v, out=o)").python(
            &[PYTHON_ROWS, "lv = v.tolist()"],
            "[[x + y for x, y in zip(row, lv)] for row in ml]",
            2,
        ),
        Form::new(
            Strategy::Tile,
            "m + np.tile(v, (m.shape[0], 1))",
            "np.add(m, np.tile(v, (m.shape[0], 1)), out=o)",
        )
        .temp(tile_bytes),
    ],
    dtypes: ALL_DTYPES,
    matrix: true,
    inputs: &[
        Input {
            name: "m",
            shape: InShape::Same,
        },
        Input {
            name: "v",
            shape: InShape::Row,
        },
    ],
    out_dtype: OutDType::Same,
    flops: Flops::PerElement(1.0),
    unit: Unit::Bytes,
    min_len: 0,
    float_inputs: INPUTS,
};

/// The tile is as large as `m`.
fn tile_bytes(shape: Shape, dtype: DType) -> u64 {
    (shape.len() as u64).saturating_mul(dtype.itemsize() as u64)
}

/// `out = m + v`, with `v` (one row) added to every row of `m`.
#[inline(always)]
pub(crate) fn each_broadcast<T: Element, K: Keep>(m: &[T], v: &[T], out: &mut [T]) {
    if v.is_empty() {
        return;
    }
    for (o, r) in out.chunks_exact_mut(v.len()).zip(m.chunks_exact(v.len())) {
        add::each::<T, K>(r, v, o);
    }
}

/// `out = m + np.tile(v, (rows, 1))`: the tiled copy of `v` is allocated and
/// filled first.
#[inline(always)]
pub(crate) fn each_tile<T: Element, K: Keep>(m: &[T], v: &[T], out: &mut [T]) {
    if v.is_empty() {
        return;
    }
    let mut tile = vec![T::ZERO; m.len()];
    for row in tile.chunks_exact_mut(v.len()) {
        ravel::each_copy::<T, K>(v, row);
    }
    add::each::<T, K>(m, &tile, out);
}

/// Bytes of `m` (and as many of `out`) one block of rows may take: both fit
/// in a 32 KB L1 data cache, so the cache lines a strip shares with the
/// next (rows need not start on a line) are still there for it.
const BLOCK_BYTES: usize = 16 * 1024;

/// `out = m + v`, `v` broadcast over the rows of `m`.
///
/// Short rows go in blocks: four vectors of `v` are loaded once and stay
/// in registers while every row of a block (16 KB of `m`) passes under
/// them, then the next four. Per four vectors of output that is four loads,
/// four adds and four stores, one pointer and one counter: row by row it
/// was eight loads, and the row loop's state cost V8 register spills (a
/// 316-column row is a loop of 20 steps, entered 316 times). Long rows
/// (fewer than eight to a block) go one at a time: they are bound by
/// memory, and strips across a few rows kept the prefetcher from streaming
/// them (measured: docs/codegen.md, "Why the code is as it is"). Rows
/// shorter than a vector go row by row through `add`.
#[inline(always)]
pub(crate) fn vectors_broadcast<T: Element>(m: &[T], v: &[T], out: &mut [T]) {
    let cols = v.len();
    if cols == 0 {
        return;
    }
    let l = T::V::LANES;
    if cols < l {
        for (o, r) in out.chunks_exact_mut(cols).zip(m.chunks_exact(cols)) {
            add::vectors(r, v, o);
        }
        return;
    }
    let fit = BLOCK_BYTES / size_of_val(v);
    let block = if fit >= 8 { fit } else { 1 } * cols;
    for (ob, mb) in out.chunks_mut(block).zip(m.chunks(block)) {
        let mut j = 0;
        while j + 4 * l <= cols {
            let w = &v[j..j + 4 * l];
            let (v0, v1) = (T::V::load(w), T::V::load(&w[l..]));
            let (v2, v3) = (T::V::load(&w[2 * l..]), T::V::load(&w[3 * l..]));
            for (o, r) in ob.chunks_exact_mut(cols).zip(mb.chunks_exact(cols)) {
                let (o, r) = (&mut o[j..j + 4 * l], &r[j..j + 4 * l]);
                T::V::load(r).add(v0).store(o);
                T::V::load(&r[l..]).add(v1).store(&mut o[l..]);
                T::V::load(&r[2 * l..]).add(v2).store(&mut o[2 * l..]);
                T::V::load(&r[3 * l..]).add(v3).store(&mut o[3 * l..]);
            }
            j += 4 * l;
        }
        // Then a vector at a time; the last columns (fewer than a vector)
        // are the row's last vector, which overlaps the one before: its
        // first lanes are written again with the same sums (`out` is not
        // `m`), where one by one they were most of the time of i8.
        while j < cols {
            let at = j.min(cols - l);
            let v0 = T::V::load(&v[at..at + l]);
            for (o, r) in ob.chunks_exact_mut(cols).zip(mb.chunks_exact(cols)) {
                T::V::load(&r[at..at + l]).add(v0).store(&mut o[at..at + l]);
            }
            j = at + l;
        }
    }
}

#[inline(always)]
pub(crate) fn vectors_tile<T: Element>(m: &[T], v: &[T], out: &mut [T]) {
    if v.is_empty() {
        return;
    }
    let mut tile = vec![T::ZERO; m.len()];
    for row in tile.chunks_exact_mut(v.len()) {
        ravel::vectors_copy(v, row);
    }
    add::vectors(m, &tile, out);
}

serial!(scalar_broadcast, auto_broadcast = each_broadcast<T: Element>(m: &[T], v: &[T], out: &mut [T]));
serial!(scalar_tile, auto_tile = each_tile<T: Element>(m: &[T], v: &[T], out: &mut [T]));
simd!(simd_broadcast = vectors_broadcast<T: Element>(m: &[T], v: &[T], out: &mut [T]));
simd!(simd_tile = vectors_tile<T: Element>(m: &[T], v: &[T], out: &mut [T]));

/// The tile is materialized whole (that is the point of this strategy), then
/// filled and added piece by piece in parallel.
fn threads_tile<T: Element>(par: Par<'_>, m: &[T], v: &[T], out: &mut [T]) {
    if v.is_empty() {
        return;
    }
    let mut tile = vec![T::ZERO; m.len()];
    par::chunks(par, v.len(), &mut tile, &|_, t| {
        for row in t.chunks_exact_mut(v.len()) {
            ravel::simd_copy(v, row);
        }
    });
    par::map(par, &[m, &tile], out, &|x, o| add::simd(x[0], x[1], o));
}

/// `simd-threads` splits whole rows of `m` and `out`; every piece reads `v`.
pub(crate) fn run(mut c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => {
        let (m, v) = (c.input::<T>(0), c.input::<T>(1));
        let (variant, par, strategy) = (c.variant, c.par, c.problem.strategy);
        let out = c.out::<T>();
        match (strategy, variant) {
            (Strategy::Tile, crate::Variant::SimdThreads) => threads_tile(par, m, v, out),
            (Strategy::Tile, _) => pick(variant, [scalar_tile::<T>, auto_tile::<T>, simd_tile::<T>])(m, v, out),
            (_, crate::Variant::SimdThreads) => par::chunks(par, v.len(), out, &|s, o| {
                simd_broadcast(&m[s..s + o.len()], v, o)
            }),
            _ => pick(variant, [scalar_broadcast::<T>, auto_broadcast::<T>, simd_broadcast::<T>])(m, v, out),
        }
        Ok(Outcome::Written)
    })
}
