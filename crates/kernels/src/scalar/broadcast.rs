//! Broadcasting a row over a matrix: in place, or after materializing the tile.

use super::Keep;
use crate::dtype::Element;

/// `out = m + v`, with `v` (one row) broadcast over every row of `m`.
#[inline(always)]
pub(crate) fn add_row_broadcast<T: Element, K: Keep>(m: &[T], v: &[T], out: &mut [T]) {
    if v.is_empty() {
        return;
    }
    for (o, r) in out.chunks_exact_mut(v.len()).zip(m.chunks_exact(v.len())) {
        super::elementwise::add::<T, K>(r, v, o);
    }
}

/// `out = m + np.tile(v, (rows, 1))`: the tiled copy of `v` is allocated and
/// filled first, as NumPy code that does not rely on broadcasting would.
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
