//! Broadcasting with SIMD: `m + v` without materializing `v`'s tile.

use crate::dtype::Element;
use crate::lanes::Lanes;
use crate::scalar::Keep;

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
/// them (native i8 3162x3162: 499 us a row at a time, 896 us in strips of
/// 5 rows). Rows shorter than a vector go row by row through `add`.
#[inline(always)]
pub(crate) fn add_row_broadcast<T: Element, K: Keep>(m: &[T], v: &[T], out: &mut [T]) {
    let cols = v.len();
    if cols == 0 {
        return;
    }
    let l = T::V::LANES;
    if cols < l {
        for (o, r) in out.chunks_exact_mut(cols).zip(m.chunks_exact(cols)) {
            super::elementwise::add::<T, K>(r, v, o);
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
pub(crate) fn add_row_tile<T: Element, K: Keep>(m: &[T], v: &[T], out: &mut [T]) {
    if v.is_empty() {
        return;
    }
    let mut tile = vec![T::ZERO; m.len()];
    for row in tile.chunks_exact_mut(v.len()) {
        super::elementwise::copy::<T, K>(v, row);
    }
    super::elementwise::add::<T, K>(m, &tile, out);
}
