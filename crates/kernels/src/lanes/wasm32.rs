//! `Lanes` on WebAssembly SIMD128 (`v128`).
//!
//! Every method is `#[inline(always)]`: it is only ever called from kernels
//! compiled with `#[target_feature(enable = "simd128")]`, where the
//! intrinsics inline into single instructions.

use core::arch::wasm32::*;

use super::{FloatLanes, Lanes, float_acc};

macro_rules! vector {
    ($name:ident, $elem:ty, $lanes:expr, $splat:ident, $add:ident, $sub:ident, $gt:ident) => {
        #[derive(Clone, Copy, Debug)]
        pub struct $name(v128);

        impl $name {
            #[inline(always)]
            fn load_(s: &[$elem]) -> Self {
                assert!(s.len() >= $lanes);
                // SAFETY: `s` holds at least 16 bytes; `v128_load` does not
                // need alignment.
                Self(unsafe { v128_load(s.as_ptr().cast()) })
            }
            #[inline(always)]
            fn store_(self, s: &mut [$elem]) {
                assert!(s.len() >= $lanes);
                // SAFETY: `s` has room for 16 bytes; no alignment needed.
                unsafe { v128_store(s.as_mut_ptr().cast(), self.0) }
            }
        }
    };
}

macro_rules! common {
    ($elem:ty, $lanes:expr, $splat:ident, $add:ident, $sub:ident, $gt:ident) => {
        type Elem = $elem;
        const LANES: usize = $lanes;
        #[inline(always)]
        fn splat(x: $elem) -> Self {
            Self($splat(x))
        }
        #[inline(always)]
        fn load(s: &[$elem]) -> Self {
            Self::load_(s)
        }
        #[inline(always)]
        fn store(self, s: &mut [$elem]) {
            self.store_(s)
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            Self($add(self.0, o.0))
        }
        #[inline(always)]
        fn sub(self, o: Self) -> Self {
            Self($sub(self.0, o.0))
        }
        #[inline(always)]
        fn gt(self, o: Self) -> Self {
            Self($gt(self.0, o.0))
        }
        #[inline(always)]
        fn select(mask: Self, a: Self, b: Self) -> Self {
            Self(v128_bitselect(a.0, b.0, mask.0))
        }
    };
}

macro_rules! minmax {
    ($max:ident, $min:ident) => {
        #[inline(always)]
        fn max(self, o: Self) -> Self {
            Self($max(self.0, o.0))
        }
        #[inline(always)]
        fn min(self, o: Self) -> Self {
            Self($min(self.0, o.0))
        }
    };
}

macro_rules! zips {
    ($shuffle:ident, $($lo:literal),* ; $($hi:literal),*) => {
        #[inline(always)]
        fn zip_lo(self, o: Self) -> Self {
            Self($shuffle::<$($lo),*>(self.0, o.0))
        }
        #[inline(always)]
        fn zip_hi(self, o: Self) -> Self {
            Self($shuffle::<$($hi),*>(self.0, o.0))
        }
    };
}

vector!(I8x16, i8, 16, i8x16_splat, i8x16_add, i8x16_sub, i8x16_gt);
vector!(I16x8, i16, 8, i16x8_splat, i16x8_add, i16x8_sub, i16x8_gt);
vector!(I32x4, i32, 4, i32x4_splat, i32x4_add, i32x4_sub, i32x4_gt);
vector!(I64x2, i64, 2, i64x2_splat, i64x2_add, i64x2_sub, i64x2_gt);
vector!(F32x4, f32, 4, f32x4_splat, f32x4_add, f32x4_sub, f32x4_gt);
vector!(F64x2, f64, 2, f64x2_splat, f64x2_add, f64x2_sub, f64x2_gt);

/// Adds the lanes of an `i64x2`.
#[inline(always)]
fn hsum_i64x2(v: v128) -> i64 {
    i64x2_extract_lane::<0>(v).wrapping_add(i64x2_extract_lane::<1>(v))
}

/// Widens an `i32x4` into two `i64x2` and adds them up.
#[inline(always)]
fn hsum_i32x4(v: v128) -> i64 {
    hsum_i64x2(i64x2_add(
        i64x2_extend_low_i32x4(v),
        i64x2_extend_high_i32x4(v),
    ))
}

impl Lanes for I8x16 {
    common!(i8, 16, i8x16_splat, i8x16_add, i8x16_sub, i8x16_gt);
    zips!(i8x16_shuffle, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23; 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    minmax!(i8x16_max, i8x16_min);

    // The bytes are biased by 128 (signed -> unsigned) and each vector is
    // added twice, with no constant: whole, as u16 lanes (`a`, which wraps:
    // it keeps the low bytes' sum plus 256 times the high bytes'), and
    // shifted right by 8 (`h`, the high bytes' sum). `a - (h << 8)` is then
    // the low bytes' sum, exact while it fits 16 bits: 257 vectors of 255
    // (and `h` then holds at most 257 * 255 too). The bias comes back out
    // from the count of vectors. The pairwise add that would do
    // this in one instruction, `extadd_pairwise`, becomes a `pmaddubsw` on
    // a splat(1) that V8 reaches in memory, through an address it loads for
    // every vector: three loads per vector and 6.4 instructions against 4.75
    // natively (docs/codegen.md). The bias is carried in the accumulator,
    // past an optimization barrier, so that it stays in a register: as a
    // `v128.const` V8 would rebuild it inside the loop.
    type Acc = (v128, v128, v128);
    const ACC_STEPS: usize = 257;

    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        // SIMD128 has no i8x16.mul. The low byte of a product depends only on
        // the low bytes of its factors, so two i16x8 multiplies do: one of
        // whole lanes (its low bytes are the even bytes' products), one of
        // the odd bytes shifted down by the odd bytes kept in place (its high
        // bytes are theirs, its low bytes zero). Six one-instruction ops on
        // x86, where widening with extmul and narrowing with a two-input
        // shuffle costs about fifteen.
        let even = i16x8_mul(self.0, o.0);
        let odd = i16x8_mul(u16x8_shr(self.0, 8), v128_and(o.0, u16x8_splat(0xFF00)));
        Self(v128_or(v128_and(even, u16x8_splat(0x00FF)), odd))
    }
    #[inline(always)]
    fn acc_zero() -> Self::Acc {
        let zero = i16x8_splat(0);
        (zero, zero, core::hint::black_box(i8x16_splat(i8::MIN)))
    }
    #[inline(always)]
    fn acc_add((a, h, bias): Self::Acc, v: Self) -> Self::Acc {
        let u = v128_xor(v.0, bias);
        (i16x8_add(a, u), i16x8_add(h, u16x8_shr(u, 8)), bias)
    }
    #[inline(always)]
    fn acc_total((a, h, _): Self::Acc, vectors: usize) -> i64 {
        let lo = i16x8_sub(a, i16x8_shl(h, 8));
        let wide = i32x4_add(
            u32x4_extadd_pairwise_u16x8(lo),
            u32x4_extadd_pairwise_u16x8(h),
        );
        let sum = i64x2_add(u64x2_extend_low_u32x4(wide), u64x2_extend_high_u32x4(wide));
        hsum_i64x2(sum) - (vectors as i64) * 16 * 128
    }
}

impl Lanes for I16x8 {
    common!(i16, 8, i16x8_splat, i16x8_add, i16x8_sub, i16x8_gt);
    zips!(i16x8_shuffle, 0, 8, 1, 9, 2, 10, 3, 11; 4, 12, 5, 13, 6, 14, 7, 15);
    minmax!(i16x8_max, i16x8_min);

    // Pairs of i16 into i32 lanes: each step adds at least -2^16 and at most
    // 2^16 - 2 per lane, so 2^15 steps fit.
    // The accumulator carries a splat(1) beside the sums: pairs are added by
    // `i32x4.dot_i16x8_s(v, ones)`, one `pmaddwd` with a register operand,
    // where V8 lowers `extadd_pairwise_i16x8_s` to a `pmaddwd` that loads
    // its constant from memory for every vector. The ones pass an
    // optimization barrier once per accumulator set (`[acc_zero(); 4]`
    // copies one value), or LLVM would make them a `v128.const` again, which
    // V8 rebuilds from immediates inside the loop.
    type Acc = (v128, v128);
    const ACC_STEPS: usize = 32768;

    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        Self(i16x8_mul(self.0, o.0))
    }
    #[inline(always)]
    fn acc_zero() -> (v128, v128) {
        (i32x4_splat(0), core::hint::black_box(i16x8_splat(1)))
    }
    #[inline(always)]
    fn acc_add((acc, ones): (v128, v128), v: Self) -> (v128, v128) {
        (i32x4_add(acc, i32x4_dot_i16x8(v.0, ones)), ones)
    }
    #[inline(always)]
    fn acc_total((acc, _): (v128, v128), _: usize) -> i64 {
        hsum_i32x4(acc)
    }
}

impl Lanes for I32x4 {
    common!(i32, 4, i32x4_splat, i32x4_add, i32x4_sub, i32x4_gt);
    zips!(i32x4_shuffle, 0, 4, 1, 5; 2, 6, 3, 7);
    minmax!(i32x4_max, i32x4_min);

    type Acc = v128;
    const ACC_STEPS: usize = usize::MAX;

    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        Self(i32x4_mul(self.0, o.0))
    }
    #[inline(always)]
    fn acc_zero() -> v128 {
        i64x2_splat(0)
    }
    #[inline(always)]
    fn acc_add(acc: v128, v: Self) -> v128 {
        let wide = i64x2_add(i64x2_extend_low_i32x4(v.0), i64x2_extend_high_i32x4(v.0));
        i64x2_add(acc, wide)
    }
    #[inline(always)]
    fn acc_total(acc: v128, _: usize) -> i64 {
        hsum_i64x2(acc)
    }
}

impl Lanes for I64x2 {
    // SIMD128 has no i64x2 max/min: the trait's compare-and-select is used.
    common!(i64, 2, i64x2_splat, i64x2_add, i64x2_sub, i64x2_gt);
    zips!(i64x2_shuffle, 0, 2; 1, 3);

    type Acc = v128;
    const ACC_STEPS: usize = usize::MAX;

    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        Self(i64x2_mul(self.0, o.0))
    }
    #[inline(always)]
    fn acc_zero() -> v128 {
        i64x2_splat(0)
    }
    #[inline(always)]
    fn acc_add(acc: v128, v: Self) -> v128 {
        i64x2_add(acc, v.0)
    }
    #[inline(always)]
    fn acc_total(acc: v128, _: usize) -> i64 {
        hsum_i64x2(acc)
    }
}

impl Lanes for F32x4 {
    common!(f32, 4, f32x4_splat, f32x4_add, f32x4_sub, f32x4_gt);
    /// In registers: (a + c) + (b + d).
    #[inline(always)]
    fn reduce_add(self) -> f32 {
        let v = self.0;
        let s = f32x4_add(v, i32x4_shuffle::<2, 3, 0, 1>(v, v));
        let s = f32x4_add(s, i32x4_shuffle::<1, 0, 3, 2>(s, s));
        f32x4_extract_lane::<0>(s)
    }
    zips!(i32x4_shuffle, 0, 4, 1, 5; 2, 6, 3, 7);
    // f32x4.max/min propagate NaN, exactly np.maximum/np.minimum.
    minmax!(f32x4_max, f32x4_min);
    float_acc!();

    // pmax is one `maxps` on x86 (f32x4.max, with its NaN and -0 rules, is
    // about eight instructions in V8).
    #[inline(always)]
    fn max_unordered(self, o: Self) -> Self {
        Self(f32x4_pmax(self.0, o.0))
    }

    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        Self(f32x4_mul(self.0, o.0))
    }
}

impl Lanes for F64x2 {
    common!(f64, 2, f64x2_splat, f64x2_add, f64x2_sub, f64x2_gt);
    #[inline(always)]
    fn reduce_add(self) -> f64 {
        f64x2_extract_lane::<0>(self.0) + f64x2_extract_lane::<1>(self.0)
    }
    zips!(i64x2_shuffle, 0, 2; 1, 3);
    minmax!(f64x2_max, f64x2_min);
    float_acc!();

    #[inline(always)]
    fn max_unordered(self, o: Self) -> Self {
        Self(f64x2_pmax(self.0, o.0))
    }

    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        Self(f64x2_mul(self.0, o.0))
    }
}

impl FloatLanes for F32x4 {
    // `f32x4.max` must propagate NaN from either side, which costs several
    // instructions on x86; the "pseudo" min/max are single instructions and
    // keep a NaN first operand: `pmax(x, lo)` is `x < lo ? lo : x`.
    #[inline(always)]
    fn clamp(self, lo: Self, hi: Self) -> Self {
        Self(f32x4_pmin(f32x4_pmax(self.0, lo.0), hi.0))
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        Self(f32x4_sqrt(self.0))
    }
    // No float -> int conversion (several instructions for `trunc_sat` on
    // x86): adding 1.5 * 2^23 puts the integer k in the low mantissa bits.
    #[inline(always)]
    fn pow2i(self) -> Self {
        let y = f32x4_add(self.0, f32x4_splat(12_582_912.0));
        Self(i32x4_shl(i32x4_sub(y, i32x4_splat(0x4B40_0000 - 127)), 23))
    }
}

impl FloatLanes for F64x2 {
    // `f32x4.max` must propagate NaN from either side, which costs several
    // instructions on x86; the "pseudo" min/max are single instructions and
    // keep a NaN first operand: `pmax(x, lo)` is `x < lo ? lo : x`.
    #[inline(always)]
    fn clamp(self, lo: Self, hi: Self) -> Self {
        Self(f64x2_pmin(f64x2_pmax(self.0, lo.0), hi.0))
    }
    // As for f32: 1.5 * 2^52 puts k in the low mantissa bits.
    #[inline(always)]
    fn pow2i(self) -> Self {
        let y = f64x2_add(self.0, f64x2_splat(6_755_399_441_055_744.0));
        Self(i64x2_shl(
            i64x2_sub(y, i64x2_splat(0x4338_0000_0000_0000 - 1023)),
            52,
        ))
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        Self(f64x2_sqrt(self.0))
    }
}
