//! `np.sum(a)`: integers accumulate in 64 bits, floats pairwise in their
//! own type, as NumPy's do.

use core::marker::PhantomData;
use core::ops::Range;

use crate::catalogue::{A, Form, OutDType, OutShape, Row, Strategy};
use crate::catalogue::Variant;
use crate::dispatch::{Call, Outcome, by_dtype, reduce};
use crate::dtype::Element;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::pairwise::{Leaf, pairwise};
use crate::par::{self, Par};
use crate::rung::{Keep, pick, serial, simd};
use crate::simd::U;

pub(crate) const ROW: Row = Row {
    out_dtype: OutDType::Sum,
    ..Row::vector(
        "sum",
        3,
        &[Form::new(Strategy::Default, "np.sum(a)", "np.sum(a)")
            .output(OutShape::Scalar)
            // The post's `sum(big_array)`: each element boxed as it is read.
            .python(&[], "sum(a)", 0)],
        A,
    )
};

struct EachLeaf<'a, T, K>(&'a [T], PhantomData<K>);

impl<T: Element, K: Keep> Leaf for EachLeaf<'_, T, K> {
    type Out = T::Sum;
    #[inline(always)]
    fn leaf(&self, r: Range<usize>) -> T::Sum {
        self.0[r]
            .iter()
            .fold(T::Sum::ZERO, |s, &x| K::keep(s.add(x.to_sum())))
    }
}

#[inline(always)]
pub(crate) fn each<T: Element, K: Keep>(a: &[T]) -> T::Sum {
    let leaf = EachLeaf::<T, K>(a, PhantomData);
    if T::DTYPE.is_float() {
        pairwise(a.len(), &leaf)
    } else {
        leaf.leaf(0..a.len())
    }
}

/// The SIMD sum of one leaf: integers widen through `Lanes::Acc`, flushed to
/// the 64-bit total after every block of steps. The first accumulator also
/// takes the up to `U - 1` vectors left after the last block's steps, so a
/// block is `U - 1` steps short of what an accumulator can take.
#[inline(always)]
fn sum_leaf<T: Element>(a: &[T]) -> T::Sum {
    let l = T::V::LANES;
    let steps = T::V::ACC_STEPS.saturating_sub(U - 1).clamp(1, 1 << 20);
    let mut total = T::Sum::ZERO;
    for part in a.chunks(steps.saturating_mul(U * l)) {
        let mut acc = [T::V::acc_zero(); U];
        let mut quads = part.chunks_exact(U * l);
        for q in &mut quads {
            for (u, acc) in acc.iter_mut().enumerate() {
                *acc = T::V::acc_add(*acc, T::V::load(&q[u * l..]));
            }
        }
        let steps = part.len() / (U * l);
        let mut singles = quads.remainder().chunks_exact(l);
        let first = steps + singles.len();
        for v in &mut singles {
            acc[0] = T::V::acc_add(acc[0], T::V::load(v));
        }
        // Written out, not `acc.map(..)`: the intrinsics must inline here.
        let (a0, a1) = (
            T::V::acc_total(acc[0], first),
            T::V::acc_total(acc[1], steps),
        );
        let (a2, a3) = (
            T::V::acc_total(acc[2], steps),
            T::V::acc_total(acc[3], steps),
        );
        let tail = singles
            .remainder()
            .iter()
            .fold(T::Sum::ZERO, |s, &x| s.add(x.to_sum()));
        total = total.add(a0.add(a1).add(a2.add(a3)).add(tail));
    }
    total
}

struct SumLeaf<'a, T>(&'a [T]);

impl<T: Element> Leaf for SumLeaf<'_, T> {
    type Out = T::Sum;
    #[inline(always)]
    fn leaf(&self, r: Range<usize>) -> T::Sum {
        sum_leaf(&self.0[r])
    }
}

#[inline(always)]
pub(crate) fn vectors<T: Element>(a: &[T]) -> T::Sum {
    if T::DTYPE.is_float() {
        pairwise(a.len(), &SumLeaf(a))
    } else {
        sum_leaf(a)
    }
}

serial!(scalar, auto = each<T: Element>(a: &[T]) -> T::Sum);
simd!(simd = vectors<T: Element>(a: &[T]) -> T::Sum);

/// The sum of `a` by rung `v` (`simd-threads`: in pieces, added in a fixed
/// tree); `mean` shares it.
pub(crate) fn total<T: Element>(v: Variant, par: Par<'_>, a: &[T]) -> T::Sum {
    reduce(
        v,
        par,
        a.len(),
        par::sum_align::<T>(),
        |v, r| pick(v, [scalar::<T>, auto::<T>, simd::<T>])(&a[r]),
        |x, y| x.add(y),
    )
}

pub(crate) fn run(mut c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => {
        let s = total(c.variant, c.par, c.input::<T>(0));
        c.put(s)
    })
}
