//! SIMD reductions: four independent accumulators hide the add latency.

use crate::dtype::Element;
use crate::lanes::Lanes;
use crate::scalar::Keep;
use crate::scalar::reduce::{Leaf, pairwise};
use core::ops::Range;

/// Independent accumulators per reduction.
const U: usize = 4;

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
pub(crate) fn sum<T: Element, K: Keep>(a: &[T]) -> T::Sum {
    if T::DTYPE.is_float() {
        pairwise(a.len(), &SumLeaf(a))
    } else {
        sum_leaf(a)
    }
}

#[inline(always)]
pub(crate) fn max<T: Element, K: Keep>(a: &[T]) -> T {
    if T::DTYPE.is_float() {
        return max_float::<T, K>(a);
    }
    max_exact::<T, K>(a)
}

/// Floats: the ISA's plain maximum, with NaN tracked beside it: `x - x` is
/// 0 for every finite `x` and NaN for NaN (and for an infinity), so a sum of
/// them is NaN when any lane was. Only then is the array scanned again with
/// the exact, NaN-propagating maximum (which also gets infinities right).
fn max_float<T: Element, K: Keep>(a: &[T]) -> T {
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
        return max_exact::<T, K>(a);
    }
    let m = acc[0].max(acc[1]).max(acc[2].max(acc[3])).reduce_max();
    singles.remainder().iter().fold(m, |m, &x| m.max_nan(x))
}

fn max_exact<T: Element, K: Keep>(a: &[T]) -> T {
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

/// One leaf of a dot product: products added into `U` vector accumulators.
#[inline(always)]
fn dot_leaf<T: Element>(a: &[T], b: &[T]) -> T {
    let l = T::V::LANES;
    let mut acc = [T::V::splat(T::ZERO); U];
    let mut qa = a.chunks_exact(U * l);
    let mut qb = b.chunks_exact(U * l);
    for (x, y) in (&mut qa).zip(&mut qb) {
        for (u, acc) in acc.iter_mut().enumerate() {
            *acc = acc.add(T::V::load(&x[u * l..]).mul(T::V::load(&y[u * l..])));
        }
    }
    let mut sa = qa.remainder().chunks_exact(l);
    let mut sb = qb.remainder().chunks_exact(l);
    for (x, y) in (&mut sa).zip(&mut sb) {
        acc[0] = acc[0].add(T::V::load(x).mul(T::V::load(y)));
    }
    let (a0, a1) = (acc[0].reduce_add(), acc[1].reduce_add());
    let (a2, a3) = (acc[2].reduce_add(), acc[3].reduce_add());
    let tail = sa.remainder().iter().zip(sb.remainder());
    let tail = tail.fold(T::ZERO, |s, (&x, &y)| s.add(x.mul(y)));
    a0.add(a1).add(a2.add(a3)).add(tail)
}

struct DotLeaf<'a, T>(&'a [T], &'a [T]);

impl<T: Element> Leaf for DotLeaf<'_, T> {
    type Out = T;
    #[inline(always)]
    fn leaf(&self, r: Range<usize>) -> T {
        dot_leaf(&self.0[r.clone()], &self.1[r])
    }
}

#[inline(always)]
pub(crate) fn dot<T: Element, K: Keep>(a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    if T::DTYPE.is_float() {
        pairwise(n, &DotLeaf(a, b))
    } else {
        dot_leaf(&a[..n], &b[..n])
    }
}
