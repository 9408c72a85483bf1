//! `np.dot(a, b)` of two vectors: floats pairwise, integers wrapping in
//! their own type, as NumPy's do.

use core::marker::PhantomData;
use core::ops::Range;

use crate::catalogue::{AB, Flops, Form, OutShape, Row, Strategy, Unit};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::Element;
use crate::error::Error;
use crate::lanes::Lanes;
use crate::pairwise::{Leaf, pairwise};
use crate::par;
use crate::rung::{Keep, pick, serial, simd};
use crate::simd::U;

pub(crate) const ROW: Row = Row {
    flops: Flops::PerElement(2.0),
    unit: Unit::Flops,
    ..Row::vector(
        "dot",
        3,
        &[Form::new(Strategy::Default, "np.dot(a, b)", "np.dot(a, b)")
            .output(OutShape::Scalar)
            .python(
                &["l1 = a.tolist()", "l2 = b.tolist()"],
                "sum(x * y for x, y in zip(l1, l2))",
                2,
            )],
        AB,
    )
};

struct EachLeaf<'a, T, K>(&'a [T], &'a [T], PhantomData<K>);

impl<T: Element, K: Keep> Leaf for EachLeaf<'_, T, K> {
    type Out = T;
    #[inline(always)]
    fn leaf(&self, r: Range<usize>) -> T {
        let (a, b) = (&self.0[r.clone()], &self.1[r]);
        a.iter()
            .zip(b)
            .fold(T::ZERO, |s, (&x, &y)| K::keep(s.add(x.mul(y))))
    }
}

#[inline(always)]
pub(crate) fn each<T: Element, K: Keep>(a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    let leaf = EachLeaf::<T, K>(a, b, PhantomData);
    if T::DTYPE.is_float() {
        pairwise(n, &leaf)
    } else {
        leaf.leaf(0..n)
    }
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
pub(crate) fn vectors<T: Element>(a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    if T::DTYPE.is_float() {
        pairwise(n, &DotLeaf(a, b))
    } else {
        dot_leaf(&a[..n], &b[..n])
    }
}

serial!(scalar, auto = each<T: Element>(a: &[T], b: &[T]) -> T);
simd!(simd = vectors<T: Element>(a: &[T], b: &[T]) -> T);

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => {
        let (a, b) = (c.input::<T>(0), c.input::<T>(1));
        c.reduce(
            a.len().min(b.len()),
            par::sum_align::<T>(),
            |v, r| pick(v, [scalar::<T>, auto::<T>, simd::<T>])(&a[r.clone()], &b[r]),
            Element::add,
        )
    })
}
