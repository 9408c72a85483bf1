//! `np.sort`: ascending, NaN last.

use super::Keep;
use crate::dtype::Element;

#[inline(always)]
pub(crate) fn sort<T: Element, K: Keep>(a: &[T], out: &mut [T]) {
    super::elementwise::copy::<T, K>(a, out);
    T::sort_numpy(out);
}
