//! `np.sort(a)`: ascending, NaN last.

use super::ravel;
use crate::catalogue::{A, Flops, Form, Row, Rungs, Strategy, Unit};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::rung::{Keep, serial};

pub(crate) const ROW: Row = Row {
    flops: Flops::NLogN,
    unit: Unit::Elements,
    ..Row::vector(
        "sort",
        3,
        &[Form::new(Strategy::Default, "np.sort(a)", "np.sort(a)")
            .rungs(Rungs::Scalar)
            .python(&["l = a.tolist()"], "sorted(l)", 2)],
        A,
    )
};

/// A copy, then the standard library's unstable sort in NumPy's order
/// (`Element::sort_numpy`, shared with the reference).
#[inline(always)]
pub(crate) fn each<T: Element, K: Keep>(a: &[T], out: &mut [T]) {
    ravel::each_copy::<T, K>(a, out);
    T::sort_numpy(out);
}

serial!(scalar, auto = each<T: Element>(a: &[T], out: &mut [T]));

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => c.map::<T>(|_, x, o| scalar::<T>(x[0], o)))
}
