//! Broadcasting with SIMD: the row is reloaded from cache for every row.

use crate::dtype::Element;
use crate::scalar::Keep;

#[inline(always)]
pub(crate) fn add_row_broadcast<T: Element, K: Keep>(m: &[T], v: &[T], out: &mut [T]) {
    if v.is_empty() {
        return;
    }
    for (o, r) in out.chunks_exact_mut(v.len()).zip(m.chunks_exact(v.len())) {
        super::elementwise::add::<T, K>(r, v, o);
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
