//! `np.sort`: ascending, NaN last.

use super::Keep;
use crate::dtype::Element;

#[inline(always)]
pub(crate) fn sort<T: Element, K: Keep>(a: &[T], out: &mut [T]) {
    super::elementwise::copy::<T, K>(a, out);
    out.sort_unstable_by(|x, y| {
        if x.sort_lt(*y) {
            core::cmp::Ordering::Less
        } else if y.sort_lt(*x) {
            core::cmp::Ordering::Greater
        } else {
            core::cmp::Ordering::Equal
        }
    });
}
