//! Vector math written once over [`FloatLanes`]: it runs on SIMD128 / SSE2
//! vectors in the `simd` rung and on one-lane "vectors" (plain f32/f64) in
//! the `scalar` and `auto` rungs.

use crate::dtype::{Element, Float};
use crate::lanes::FloatLanes;

/// The constants of `exp` for one float type.
pub trait ExpConsts: Float {
    const LOG2E: Self;
    /// `ln 2` split in two: `LN2_HI` has few enough bits that `k * LN2_HI` is exact.
    const LN2_HI: Self;
    const LN2_LO: Self;
    /// Inputs are clamped to `[LO, HI]`; outside, `exp` is 0 or inf anyway.
    const LO: Self;
    const HI: Self;
    /// `1.5 * 2^mantissa_bits`: adding and subtracting it rounds to an integer.
    const ROUND: Self;
    /// `q` in `exp(r) = 1 + r + r^2 q(r)`, highest power first.
    const Q: &'static [Self];
}

impl ExpConsts for f32 {
    const LOG2E: f32 = core::f32::consts::LOG2_E;
    // Cephes' split of ln 2 for single precision.
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    const LO: f32 = -104.0;
    const HI: f32 = 89.0;
    const ROUND: f32 = 12_582_912.0;
    // Cephes' minimax polynomial for expf on [-ln2/2, ln2/2].
    const Q: &'static [f32] = &[
        1.987_569_1e-4,
        1.398_199_9e-3,
        8.333_452e-3,
        4.166_579_6e-2,
        1.666_666_5e-1,
        0.5,
    ];
}

impl ExpConsts for f64 {
    const LOG2E: f64 = core::f64::consts::LOG2_E;
    // fdlibm's split: LN2_HI has 32 significant bits.
    const LN2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEE0_0000);
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    const LO: f64 = -746.0;
    const HI: f64 = 710.0;
    const ROUND: f64 = 6_755_399_441_055_744.0;
    // Taylor terms 1/14! .. 1/2!: on |r| <= ln2/2 the first term left out,
    // r^14/16!, is below 1e-21.
    const Q: &'static [f64] = &[
        1.0 / 87_178_291_200.0,
        1.0 / 6_227_020_800.0,
        1.0 / 479_001_600.0,
        1.0 / 39_916_800.0,
        1.0 / 3_628_800.0,
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        1.0 / 2.0,
    ];
}

/// `exp(x)` lane-wise: `x = k ln2 + r`, a polynomial for `exp(r)`, then
/// scaling by `2^k` in two steps so that results down in the subnormal range
/// are rounded once. NaN propagates; `-inf` gives 0 and `+inf` gives inf.
#[inline(always)]
pub fn exp_lanes<V: FloatLanes>(x: V) -> V
where
    V::Elem: ExpConsts,
{
    let c = V::splat;
    let e = <V::Elem as ExpConsts>::LOG2E;
    let x = x.clamp(c(V::Elem::LO), c(V::Elem::HI));
    let k = round_lanes(x.mul(c(e)));
    let r = x
        .sub(k.mul(c(V::Elem::LN2_HI)))
        .sub(k.mul(c(V::Elem::LN2_LO)));
    let q = V::Elem::Q;
    let mut p = c(q[0]);
    for &coef in &q[1..] {
        p = p.mul(r).add(c(coef));
    }
    let one = c(V::Elem::from_f64(1.0));
    let y = p.mul(r).mul(r).add(r).add(one);
    let k1 = round_lanes(k.mul(c(V::Elem::from_f64(0.5))));
    let k2 = k.sub(k1);
    y.mul(k1.pow2i()).mul(k2.pow2i())
}

/// Rounds to the nearest integer (ties to even) for `|v| < 2^22`: adding
/// `1.5 * 2^23` pushes the fraction bits out of the mantissa.
#[inline(always)]
fn round_lanes<V: FloatLanes>(v: V) -> V
where
    V::Elem: ExpConsts,
{
    v.add(V::splat(V::Elem::ROUND))
        .sub(V::splat(V::Elem::ROUND))
}

/// `exp` of one element (the one-lane instance of [`exp_lanes`]).
#[inline(always)]
pub fn exp<T: Float>(x: T) -> T {
    T::exp_one(x)
}
