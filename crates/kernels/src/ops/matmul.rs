//! Matrix multiplication, `out (n x m) = a (n x k) @ b (k x m)`, all row-major.
//!
//! Every variant adds the products for one output in the order p = 0..k, so
//! all of them give bit-identical results (no fused multiply-add anywhere).

use crate::array::Shape;
use crate::catalogue::{FLOATS, Flops, Form, InShape, Input, OutDType, OutShape, Row, Rungs, Strategy, Unit};
use crate::dispatch::{Call, Outcome, by_float};
use crate::dtype::{DType, Float};
use crate::error::Error;
use crate::lanes::Lanes;
use crate::par;
use crate::rung::{Keep, pick, serial, simd};

pub(crate) const ROW: Row = Row {
    name: "matmul",
    chapter: 3,
    forms: &[
        Form::new(Strategy::Ijk, "a @ b (i-j-k loops)", "np.matmul(a, b, out=o)")
            .output(OutShape::Square)
            .rungs(Rungs::Serial),
        Form::new(Strategy::Ikj, "a @ b (i-k-j loops)", "np.matmul(a, b, out=o)")
            .output(OutShape::Square),
        Form::new(Strategy::Blocked, "a @ b (blocked)", "np.matmul(a, b, out=o)")
            .output(OutShape::Square)
            .rungs(Rungs::Simd)
            .temp(packed_bytes)
            // Nobody writes a cache-blocked matmul in plain JavaScript.
            .no_js(),
    ],
    dtypes: FLOATS,
    matrix: true,
    inputs: &[
        Input {
            name: "a",
            shape: InShape::Same,
        },
        Input {
            name: "b",
            shape: InShape::Transposed,
        },
    ],
    out_dtype: OutDType::Same,
    flops: Flops::Matmul,
    unit: Unit::Flops,
    min_len: 0,
    // Each output sums many products: inputs below 1 in size keep it small.
    float_inputs: (-1.0, 1.0),
};

/// The packed panel of `b` blocked matmul allocates (one per thread of
/// simd-threads), in bytes.
fn packed_bytes(shape: Shape, dtype: DType) -> u64 {
    match shape {
        Shape::Matrix(r, c) => {
            let item = dtype.itemsize();
            (pack_len(c, r, 16 / item) as u64).saturating_mul(item as u64)
        }
        Shape::Vector(_) => 0,
    }
}

/// The textbook loop: the inner loop walks down a column of `b`.
#[inline(always)]
pub(crate) fn each_ijk<T: Float, K: Keep>(a: &[T], b: &[T], k: usize, out: &mut [T]) {
    if k == 0 {
        out.fill(T::ZERO);
        return;
    }
    let m = b.len() / k;
    if m == 0 {
        return;
    }
    for (arow, orow) in a.chunks_exact(k).zip(out.chunks_exact_mut(m)) {
        for (j, o) in orow.iter_mut().enumerate() {
            let mut s = T::ZERO;
            for (p, &x) in arow.iter().enumerate() {
                s = K::keep(s.add(x.mul(b[p * m + j])));
            }
            *o = s;
        }
    }
}

/// Loops reordered so the inner loop runs along a row of `b` and of `out`.
#[inline(always)]
pub(crate) fn each_ikj<T: Float, K: Keep>(a: &[T], b: &[T], k: usize, out: &mut [T]) {
    out.fill(T::ZERO);
    if k == 0 {
        return;
    }
    let m = b.len() / k;
    if m == 0 {
        return;
    }
    for (arow, orow) in a.chunks_exact(k).zip(out.chunks_exact_mut(m)) {
        for (&x, brow) in arow.iter().zip(b.chunks_exact(m)) {
            for (o, &y) in orow.iter_mut().zip(brow) {
                *o = K::keep(o.add(x.mul(y)));
            }
        }
    }
}

/// `out_row += x * b_row`, vector by vector.
#[inline(always)]
fn axpy_row<T: Float>(x: T, brow: &[T], orow: &mut [T]) {
    let l = T::V::LANES;
    let vx = T::V::splat(x);
    let mut oc = orow.chunks_exact_mut(l);
    let mut bc = brow.chunks_exact(l);
    for (o, y) in (&mut oc).zip(&mut bc) {
        T::V::load(o).add(vx.mul(T::V::load(y))).store(o);
    }
    for (o, &y) in oc.into_remainder().iter_mut().zip(bc.remainder()) {
        *o = o.add(x.mul(y));
    }
}

#[inline(always)]
pub(crate) fn vectors_ikj<T: Float>(a: &[T], b: &[T], k: usize, out: &mut [T]) {
    out.fill(T::ZERO);
    if k == 0 || b.len() < k {
        return;
    }
    let m = b.len() / k;
    for (arow, orow) in a.chunks_exact(k).zip(out.chunks_exact_mut(m)) {
        for (&x, brow) in arow.iter().zip(b.chunks_exact(m)) {
            axpy_row(x, brow, orow);
        }
    }
}

/// Rows of the register tile.
const MR: usize = 4;
/// Depth of a block of `k`: an `MR x KC` strip of `a` stays in L1.
const KC: usize = 128;
/// Width of a block of columns: a `KC x NC` panel of `b` stays in L2.
const NC: usize = 256;

/// Elements of the packed panel of `b` for `k` x `m` (`lanes` to a vector).
const fn pack_len(k: usize, m: usize, lanes: usize) -> usize {
    let w = 2 * lanes;
    let cols = if m < NC { m } else { NC };
    let depth = if k < KC { k } else { KC };
    cols / w * w * depth
}

#[inline(always)]
pub(crate) fn vectors_blocked<T: Float>(a: &[T], b: &[T], k: usize, out: &mut [T]) {
    out.fill(T::ZERO);
    if k == 0 || b.len() < k {
        return;
    }
    let m = b.len() / k;
    let n = a.len() / k;
    let l = T::V::LANES;
    let w = 2 * l;
    // The block of `b` the micro tiles read, packed tile by tile: each
    // tile's `KC x 2L` panel contiguous. Read in place, a tile's rows are
    // `m` elements apart, and with `m` a power of two (512 floats: 2 KB)
    // they all fall in the same few sets of the L1 cache and evict each
    // other. Packed, they are consecutive lines.
    let mut pack = vec![T::ZERO; pack_len(k, m, l)];
    for j0 in (0..m).step_by(NC) {
        let j1 = (j0 + NC).min(m);
        let tiles = (j1 - j0) / w;
        for p0 in (0..k).step_by(KC) {
            let p1 = (p0 + KC).min(k);
            let depth = p1 - p0;
            let panels = &mut pack[..tiles * depth * w];
            for (t, panel) in panels.chunks_exact_mut(depth * w).enumerate() {
                let j = j0 + t * w;
                for (p, row) in (p0..p1).zip(panel.chunks_exact_mut(w)) {
                    row.copy_from_slice(&b[p * m + j..p * m + j + w]);
                }
            }
            let panels = &pack[..tiles * depth * w];
            let mut i = 0;
            // The strip of `a` the micro tiles share, each value splatted
            // once here rather than once per tile (8 KB of f32 on the stack).
            let mut strip = [[T::V::splat(T::ZERO); MR]; KC];
            while i + MR <= n {
                for (p, s) in (p0..p1).zip(strip.iter_mut()) {
                    for (r, s) in s.iter_mut().enumerate() {
                        *s = T::V::splat(a[(i + r) * k + p]);
                    }
                }
                for (t, panel) in panels.chunks_exact(depth * w).enumerate() {
                    micro_tile(panel, m, out, &strip[..depth], i, j0 + t * w);
                }
                edge(a, b, k, m, out, i..i + MR, j0 + tiles * w..j1, p0..p1);
                i += MR;
            }
            edge(a, b, k, m, out, i..n, j0..j1, p0..p1);
        }
    }
}

/// `out[i..i+MR][j..j+2L] += a[i..i+MR][ps] @ b[ps][j..j+2L]` in 8 registers,
/// with `a`'s values already splatted (`strip[q][r]`) and `b`'s packed
/// (`panel[q * 2L..][..2L]`), for the block's `q`th `p`.
#[inline(always)]
fn micro_tile<T: Float>(
    panel: &[T],
    m: usize,
    out: &mut [T],
    strip: &[[T::V; MR]],
    i: usize,
    j: usize,
) {
    let l = T::V::LANES;
    let mut acc = [[T::V::splat(T::ZERO); 2]; MR];
    for (r, acc) in acc.iter_mut().enumerate() {
        let o = (i + r) * m + j;
        *acc = [T::V::load(&out[o..]), T::V::load(&out[o + l..])];
    }
    for (bs, xs) in panel.chunks_exact(2 * l).zip(strip) {
        let b0 = T::V::load(bs);
        let b1 = T::V::load(&bs[l..]);
        for (acc, &x) in acc.iter_mut().zip(xs) {
            // SIMD128 has no lane-FMA: multiply, then add.
            acc[0] = acc[0].add(x.mul(b0));
            acc[1] = acc[1].add(x.mul(b1));
        }
    }
    for (r, acc) in acc.iter().enumerate() {
        let o = (i + r) * m + j;
        acc[0].store(&mut out[o..]);
        acc[1].store(&mut out[o + l..]);
    }
}

/// The ragged edges of the blocked loop, in the same p order.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn edge<T: Float>(
    a: &[T],
    b: &[T],
    k: usize,
    m: usize,
    out: &mut [T],
    rows: core::ops::Range<usize>,
    cols: core::ops::Range<usize>,
    ps: core::ops::Range<usize>,
) {
    if cols.is_empty() {
        return;
    }
    for i in rows {
        for p in ps.clone() {
            let x = a[i * k + p];
            let brow = &b[p * m + cols.start..p * m + cols.end];
            axpy_row(x, brow, &mut out[i * m + cols.start..i * m + cols.end]);
        }
    }
}

serial!(scalar_ijk, auto_ijk = each_ijk<T: Float>(a: &[T], b: &[T], k: usize, out: &mut [T]));
serial!(scalar_ikj, auto_ikj = each_ikj<T: Float>(a: &[T], b: &[T], k: usize, out: &mut [T]));
simd!(simd_ikj = vectors_ikj<T: Float>(a: &[T], b: &[T], k: usize, out: &mut [T]));
simd!(simd_blocked = vectors_blocked<T: Float>(a: &[T], b: &[T], k: usize, out: &mut [T]));

/// `simd-threads` splits the rows of `a` and `out`; every piece reads all of `b`.
pub(crate) fn run(mut c: Call<'_>) -> Result<Outcome, Error> {
    by_float!(c, T => {
        let (a, b, k) = (c.input::<T>(0), c.input::<T>(1), c.cols());
        let (variant, par) = (c.variant, c.par);
        let f = match c.problem.strategy {
            // i-j-k offers no SIMD rung: `pick`'s third entry is never taken.
            Strategy::Ijk => pick(variant, [scalar_ijk::<T>, auto_ijk::<T>, auto_ijk::<T>]),
            Strategy::Ikj => pick(variant, [scalar_ikj::<T>, auto_ikj::<T>, simd_ikj::<T>]),
            _ => simd_blocked::<T>,
        };
        let out = c.out::<T>();
        let m = b.len().checked_div(k).unwrap_or(0);
        if variant == crate::Variant::SimdThreads && m > 0 {
            par::chunks(par, m, out, &|s, o| {
                let rows = s / m..(s + o.len()) / m;
                f(&a[rows.start * k..rows.end * k], b, k, o)
            });
        } else {
            f(a, b, k, out);
        }
        Ok(Outcome::Written)
    })
}
