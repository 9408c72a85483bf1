//! `np.max(a)`: NaN propagates; an empty array is an error, as in NumPy.

use crate::catalogue::{A, Form, OutShape, Row, Strategy};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::par;
use crate::rung::{Keep, pick, serial, simd};
use crate::simd::U;

pub(crate) const ROW: Row = Row::vector(
    "max",
    3,
    &[Form::new(Strategy::Default, "np.max(a)", "np.max(a)")
        .output(OutShape::Scalar)
        .python(&[], "max(a)", 0)],
    A,
);

/// `LOWEST` for an empty slice (`run` refuses those first).
#[inline(always)]
pub(crate) fn each<T: Element, K: Keep>(a: &[T]) -> T {
    a.iter().fold(T::LOWEST, |m, &x| K::keep(m.max_nan(x)))
}

#[inline(always)]
pub(crate) fn vectors<T: Element>(a: &[T]) -> T {
    if T::DTYPE.is_float() {
        return max_float::<T>(a);
    }
    max_exact::<T>(a)
}

/// Floats: the ISA's plain maximum, with NaN tracked beside it: `x - x` is
/// 0 for every finite `x` and NaN for NaN (and for an infinity), so a sum of
/// them is NaN when any lane was. Only then is the array scanned again with
/// the exact, NaN-propagating maximum (which also gets infinities right).
fn max_float<T: Element>(a: &[T]) -> T {
    let l = T::V::LANES;
    let mut acc = [T::V::splat(T::LOWEST); U];
    // One NaN tally per accumulator: a single one would chain every add.
    let mut odd = [T::V::splat(T::ZERO); U];
    let mut quads = a.chunks_exact(U * l);
    for q in &mut quads {
        for u in 0..U {
            let x = T::V::load(&q[u * l..]);
            acc[u] = acc[u].max_unordered(x);
            odd[u] = odd[u].add(x.sub(x));
        }
    }
    let mut singles = quads.remainder().chunks_exact(l);
    for v in &mut singles {
        let x = T::V::load(v);
        acc[0] = acc[0].max_unordered(x);
        odd[0] = odd[0].add(x.sub(x));
    }
    let odd = odd[0].add(odd[1]).add(odd[2].add(odd[3]));
    if odd.reduce_add() != T::ZERO {
        return max_exact::<T>(a);
    }
    let m = acc[0].max(acc[1]).max(acc[2].max(acc[3])).reduce_max();
    singles.remainder().iter().fold(m, |m, &x| m.max_nan(x))
}

fn max_exact<T: Element>(a: &[T]) -> T {
    let l = T::V::LANES;
    let mut acc = [T::V::splat(T::LOWEST); U];
    let mut quads = a.chunks_exact(U * l);
    for q in &mut quads {
        for (u, acc) in acc.iter_mut().enumerate() {
            *acc = acc.max(T::V::load(&q[u * l..]));
        }
    }
    let mut singles = quads.remainder().chunks_exact(l);
    for v in &mut singles {
        acc[0] = acc[0].max(T::V::load(v));
    }
    let m = acc[0].max(acc[1]).max(acc[2].max(acc[3])).reduce_max();
    singles.remainder().iter().fold(m, |m, &x| m.max_nan(x))
}

serial!(scalar, auto = each<T: Element>(a: &[T]) -> T);
simd!(simd = vectors<T: Element>(a: &[T]) -> T);

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    if c.problem.shape.is_empty() {
        return Err(Error::Empty("max"));
    }
    by_dtype!(c, T => {
        let a = c.input::<T>(0);
        c.reduce(
            a.len(),
            par::line::<T>(),
            |v, r| pick(v, [scalar::<T>, auto::<T>, simd::<T>])(&a[r]),
            |x, y| x.max_nan(y),
        )
    })
}
