//! SIMD matrix multiplication. Like the scalar loops, every output adds its
//! products in the order p = 0..k, so results are bit-identical across rungs.

use crate::dtype::Float;
use crate::lanes::Lanes;
use crate::scalar::Keep;

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
pub(crate) fn matmul_ikj<T: Float, K: Keep>(a: &[T], b: &[T], k: usize, out: &mut [T]) {
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

#[inline(always)]
pub(crate) fn matmul_blocked<T: Float, K: Keep>(a: &[T], b: &[T], k: usize, out: &mut [T]) {
    out.fill(T::ZERO);
    if k == 0 || b.len() < k {
        return;
    }
    let m = b.len() / k;
    let n = a.len() / k;
    let l = T::V::LANES;
    for j0 in (0..m).step_by(NC) {
        let j1 = (j0 + NC).min(m);
        for p0 in (0..k).step_by(KC) {
            let p1 = (p0 + KC).min(k);
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
                let mut j = j0;
                while j + 2 * l <= j1 {
                    micro_tile(b, m, out, &strip[..p1 - p0], i, j, p0);
                    j += 2 * l;
                }
                edge(a, b, k, m, out, i..i + MR, j..j1, p0..p1);
                i += MR;
            }
            edge(a, b, k, m, out, i..n, j0..j1, p0..p1);
        }
    }
}

/// `out[i..i+MR][j..j+2L] += a[i..i+MR][ps] @ b[ps][j..j+2L]` in 8 registers,
/// with `a`'s values already splatted (`strip[p - p0][r]`).
#[inline(always)]
fn micro_tile<T: Float>(
    b: &[T],
    m: usize,
    out: &mut [T],
    strip: &[[T::V; MR]],
    i: usize,
    j: usize,
    p0: usize,
) {
    let l = T::V::LANES;
    let mut acc = [[T::V::splat(T::ZERO); 2]; MR];
    for (r, acc) in acc.iter_mut().enumerate() {
        let o = (i + r) * m + j;
        *acc = [T::V::load(&out[o..]), T::V::load(&out[o + l..])];
    }
    for (p, xs) in (p0..).zip(strip) {
        let b0 = T::V::load(&b[p * m + j..]);
        let b1 = T::V::load(&b[p * m + j + l..]);
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
