//! `m.sum(axis=1)` along contiguous rows against `m.sum(axis=0)` down
//! strided columns: the same sums, a different walk through memory.

use super::sum;
use crate::catalogue::{ALL_DTYPES, Flops, Form, INPUTS, M, PYTHON_ROWS, OutDType, OutShape, Row, Rungs, Strategy, Unit};
use crate::dispatch::{Call, Outcome, by_dtype};
use crate::dtype::{DType, Element};
use crate::error::Error;
use crate::lanes::Lanes;
use crate::par;
use crate::rung::{Keep, Plain, pick, serial, simd};

pub(crate) const ROW: Row = Row {
    name: "sum_axis",
    chapter: 5,
    forms: &[
        Form::new(Strategy::Rows, "m.sum(axis=1)", "m.sum(axis=1)")
            .output(OutShape::PerRow)
            .python(&[PYTHON_ROWS], "[sum(row) for row in ml]", 1),
        Form::new(Strategy::Columns, "m.sum(axis=0)", "m.sum(axis=0)")
            .output(OutShape::PerColumn)
            .python(&[PYTHON_ROWS], "[sum(col) for col in zip(*ml)]", 1)
            // Column sums of narrow integers would need widening lanes.
            .except(&[
                (DType::I8, Rungs::Serial),
                (DType::I16, Rungs::Serial),
                (DType::I32, Rungs::Serial),
            ]),
    ],
    dtypes: ALL_DTYPES,
    matrix: true,
    inputs: M,
    out_dtype: OutDType::Sum,
    flops: Flops::PerElement(1.0),
    unit: Unit::Bytes,
    min_len: 0,
    float_inputs: INPUTS,
};

/// `m.sum(axis=1)`: each row is contiguous.
#[inline(always)]
pub(crate) fn each_rows<T: Element, K: Keep>(m: &[T], cols: usize, out: &mut [T::Sum]) {
    if cols == 0 {
        out.fill(T::Sum::ZERO);
        return;
    }
    for (o, row) in out.iter_mut().zip(m.chunks_exact(cols)) {
        *o = sum::each::<T, K>(row);
    }
}

/// `m.sum(axis=0)`, the way a C loop over columns would: each step jumps a
/// whole row ahead in memory.
#[inline(always)]
pub(crate) fn each_columns<T: Element, K: Keep>(m: &[T], cols: usize, out: &mut [T::Sum]) {
    for (j, o) in out.iter_mut().enumerate().take(cols) {
        let mut s = T::Sum::ZERO;
        let mut i = j;
        while i < m.len() {
            s = K::keep(s.add(m[i].to_sum()));
            i += cols;
        }
        *o = s;
    }
}

#[inline(always)]
pub(crate) fn vectors_rows<T: Element>(m: &[T], cols: usize, out: &mut [T::Sum]) {
    if cols == 0 {
        out.fill(T::Sum::ZERO);
        return;
    }
    for (o, row) in out.iter_mut().zip(m.chunks_exact(cols)) {
        *o = sum::vectors(row);
    }
}

/// Column sums a band of 4 vectors of columns at a time, walking down the
/// rows: each lane still adds its column top to bottom (bit-identical to the
/// scalar loop). Only for dtypes whose sum has their own type (f32, f64,
/// i64); the others need widening and take the scalar loop.
#[inline(always)]
pub(crate) fn vectors_columns<T: Element>(m: &[T], cols: usize, out: &mut [T::Sum]) {
    vectors_columns_range::<T>(m, cols, 0, out);
}

/// Sums of columns `first..first + out.len()` of `m` into `out`.
#[inline(always)]
pub(crate) fn vectors_columns_range<T: Element>(
    m: &[T],
    cols: usize,
    first: usize,
    out: &mut [T::Sum],
) {
    if T::DTYPE.sum_dtype() != T::DTYPE || cols == 0 || first > cols {
        // Never reached through dispatch, which offers this kernel only for
        // f32, f64 and i64; the scalar loop keeps it correct regardless.
        let mut all = vec![T::Sum::ZERO; cols];
        each_columns::<T, Plain>(m, cols, &mut all);
        let n = out.len().min(all.len().saturating_sub(first));
        out[..n].copy_from_slice(&all[first..first + n]);
        return;
    }
    let last = (first + out.len()).min(cols);
    let out = &mut out[..last - first];
    let l = T::V::LANES;
    let mut j = first;
    while j + 4 * l <= last {
        band(m, cols, first, j, 4, out);
        j += 4 * l;
    }
    while j + l <= last {
        band(m, cols, first, j, 1, out);
        j += l;
    }
    let rest = &mut out[j - first..];
    for (c, o) in rest.iter_mut().enumerate() {
        *o = m
            .iter()
            .skip(j + c)
            .step_by(cols)
            .fold(T::Sum::ZERO, |s, x| s.add(x.to_sum()));
    }
}

/// Sums columns `j..j + width * L` (at most 4 vectors) down all rows.
#[inline(always)]
fn band<T: Element>(
    m: &[T],
    cols: usize,
    first: usize,
    j: usize,
    width: usize,
    out: &mut [T::Sum],
) {
    let l = T::V::LANES;
    let mut acc = [T::V::splat(T::ZERO); 4];
    for row in m.chunks_exact(cols) {
        for (u, acc) in acc.iter_mut().enumerate().take(width) {
            *acc = acc.add(T::V::load(&row[j + u * l..]));
        }
    }
    let mut buf = [T::ZERO; 16];
    for (u, acc) in acc.iter().enumerate().take(width) {
        acc.store(&mut buf);
        let o0 = j - first + u * l;
        for (o, x) in out[o0..o0 + l].iter_mut().zip(&buf) {
            *o = x.to_sum();
        }
    }
}

serial!(scalar_rows, auto_rows = each_rows<T: Element>(m: &[T], cols: usize, out: &mut [T::Sum]));
serial!(scalar_columns, auto_columns = each_columns<T: Element>(m: &[T], cols: usize, out: &mut [T::Sum]));
simd!(simd_rows = vectors_rows<T: Element>(m: &[T], cols: usize, out: &mut [T::Sum]));
simd!(simd_columns = vectors_columns<T: Element>(m: &[T], cols: usize, out: &mut [T::Sum]));
simd!(simd_columns_range = vectors_columns_range<T: Element>(m: &[T], cols: usize, first: usize, out: &mut [T::Sum]));

/// `simd-threads` splits the output: whole rows, or bands of columns.
pub(crate) fn run(mut c: Call<'_>) -> Result<Outcome, Error> {
    by_dtype!(c, T => {
        let (m, cols) = (c.input::<T>(0), c.cols());
        let (variant, par, strategy) = (c.variant, c.par, c.problem.strategy);
        let out = c.out::<<T as Element>::Sum>();
        match (strategy, variant) {
            (Strategy::Rows, crate::Variant::SimdThreads) => par::chunks(par, 1, out, &|s, o| {
                simd_rows(&m[s * cols..(s + o.len()) * cols], cols, o)
            }),
            (Strategy::Rows, _) => pick(variant, [scalar_rows::<T>, auto_rows::<T>, simd_rows::<T>])(m, cols, out),
            (_, crate::Variant::SimdThreads) => par::chunks(par, 4 * par::line::<T>(), out, &|s, o| {
                simd_columns_range(m, cols, s, o)
            }),
            _ => pick(variant, [scalar_columns::<T>, auto_columns::<T>, simd_columns::<T>])(m, cols, out),
        }
        Ok(Outcome::Written)
    })
}
