//! `np.exp(a)`: written once over [`FloatLanes`], it runs on SIMD128 / SSE2
//! vectors in the `simd` rung and on one-lane "vectors" (plain f32/f64) in
//! the `scalar` and `auto` rungs.

use crate::catalogue::{A, FLOATS, Form, Row, Strategy, Unit};
use crate::dispatch::{Call, Outcome, by_float};
use crate::dtype::{Element, Float};
use crate::error::Error;
use crate::lanes::FloatLanes;
use crate::rung::{Keep, pick, serial, simd};

pub(crate) const ROW: Row = Row {
    dtypes: FLOATS,
    unit: Unit::Elements,
    // Past about 88, f32's exp is inf: the interesting range is below it.
    float_inputs: (-10.0, 10.0),
    ..Row::vector(
        "exp",
        1,
        &[Form::new(Strategy::Default, "np.exp(a)", "np.exp(a, out=o)").python(
            &["import math", "l = a.tolist()"],
            "[math.exp(x) for x in l]",
            2,
        )],
        A,
    )
};

/// The constants of `exp` for one float type.
pub trait Exp: Float {
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
    /// `exp` of one element: [`exp_lanes`] on a one-lane "vector", the
    /// same algorithm as the vector kernel's.
    fn one(self) -> Self;
}

impl Exp for f32 {
    #[inline(always)]
    fn one(self) -> f32 {
        exp_lanes(self)
    }
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

impl Exp for f64 {
    #[inline(always)]
    fn one(self) -> f64 {
        exp_lanes(self)
    }
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
    V::Elem: Exp,
{
    ExpVectors::new(|v| v).exp(x)
}

/// The vectors `exp` needs, each constant splatted once and passed through
/// `keep`: the vector kernels make them once per call with an optimization
/// barrier ([`ExpVectors::hoisted`]), so that each lives in a local of the
/// wasm function. Without it LLVM places every constant at its use, inside
/// the loop (a `v128.const`, being cheap to rematerialize), and V8 builds each
/// `v128.const` from immediates every time it runs: about as many
/// instructions as the arithmetic itself.
#[derive(Clone, Copy, Debug)]
pub struct ExpVectors<V> {
    lo: V,
    hi: V,
    log2e: V,
    round: V,
    ln2_hi: V,
    ln2_lo: V,
    one: V,
    half: V,
    /// The polynomial's coefficients, `Q.len()` of them.
    q: [V; 16],
}

impl<V: FloatLanes> ExpVectors<V>
where
    V::Elem: Exp,
{
    #[inline(always)]
    fn new(keep: impl Fn(V) -> V) -> Self {
        let c = |x| keep(V::splat(x));
        let q = V::Elem::Q;
        let mut qv = [V::splat(V::Elem::ZERO); 16];
        for (v, &coef) in qv.iter_mut().zip(q) {
            *v = c(coef);
        }
        ExpVectors {
            lo: c(V::Elem::LO),
            hi: c(V::Elem::HI),
            log2e: c(V::Elem::LOG2E),
            round: c(V::Elem::ROUND),
            ln2_hi: c(V::Elem::LN2_HI),
            ln2_lo: c(V::Elem::LN2_LO),
            one: c(V::Elem::from_f64(1.0)),
            half: c(V::Elem::from_f64(0.5)),
            q: qv,
        }
    }

    /// The constants for a loop over many vectors: made once, kept in
    /// registers (or locals) rather than rebuilt inside the loop. Natively
    /// the compiler already does so, and folds them into memory operands.
    #[inline(always)]
    pub fn hoisted() -> Self {
        #[cfg(target_arch = "wasm32")]
        let keep = core::hint::black_box::<V>;
        #[cfg(not(target_arch = "wasm32"))]
        let keep = |v: V| v;
        Self::new(keep)
    }

    #[inline(always)]
    pub fn exp(&self, x: V) -> V {
        let x = x.clamp(self.lo, self.hi);
        let k = self.round(x.mul(self.log2e));
        let r = x.sub(k.mul(self.ln2_hi)).sub(k.mul(self.ln2_lo));
        let n = V::Elem::Q.len();
        let mut p = self.q[0];
        for &coef in &self.q[1..n] {
            p = p.mul(r).add(coef);
        }
        let y = p.mul(r).mul(r).add(r).add(self.one);
        let k1 = self.round(k.mul(self.half));
        let k2 = k.sub(k1);
        y.mul(k1.pow2i()).mul(k2.pow2i())
    }

    /// Rounds to the nearest integer (ties to even) for `|v| < 2^22` (f32;
    /// `2^51` for f64): adding `1.5 * 2^23` pushes the fraction bits out of
    /// the mantissa.
    #[inline(always)]
    fn round(&self, v: V) -> V {
        v.add(self.round).sub(self.round)
    }
}

#[inline(always)]
pub(crate) fn each<T: Exp, K: Keep>(a: &[T], out: &mut [T]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = K::keep(x.one());
    }
}

/// The constants made once per call, then whole vectors, the tail one by one.
#[inline(always)]
pub(crate) fn vectors<T: Exp>(a: &[T], out: &mut [T]) {
    let k = ExpVectors::<T::V>::hoisted();
    crate::simd::map1(a, out, |x| k.exp(x), |x| x.one());
}

serial!(scalar, auto = each<T: Exp>(a: &[T], out: &mut [T]));
simd!(simd = vectors<T: Exp>(a: &[T], out: &mut [T]));

pub(crate) fn run(c: Call<'_>) -> Result<Outcome, Error> {
    by_float!(c, T => c.map::<T>(|v, x, o| pick(v, [scalar::<T>, auto::<T>, simd::<T>])(x[0], o)))
}
