//! `Lanes` on x86-64 SSE2, the baseline every x86-64 CPU has.
//!
//! SSE2 lacks several of SIMD128's instructions (i8/i32/i64 multiply, i64
//! compare, NaN-propagating max); each is emulated here in a few lines, so
//! the kernels above stay one algorithm for both targets.

use core::arch::x86_64::*;

use super::{FloatLanes, Lanes, float_acc};

/// Calls SSE2 intrinsics, which Rust marks unsafe outside an `sse2` context.
macro_rules! sse {
    ($($t:tt)*) => {
        // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 CPU has it.
        unsafe { $($t)* }
    };
}

macro_rules! vector {
    ($name:ident, $raw:ty, $elem:ty, $lanes:expr) => {
        #[derive(Clone, Copy, Debug)]
        pub struct $name($raw);

        impl $name {
            #[inline(always)]
            fn check(len: usize) {
                assert!(len >= $lanes);
            }
        }
    };
}

vector!(I8x16, __m128i, i8, 16);
vector!(I16x8, __m128i, i16, 8);
vector!(I32x4, __m128i, i32, 4);
vector!(I64x2, __m128i, i64, 2);
vector!(F32x4, __m128, f32, 4);
vector!(F64x2, __m128d, f64, 2);

/// The parts every integer vector shares.
macro_rules! int_common {
    ($elem:ty, $lanes:expr, $splat:expr, $add:ident, $sub:ident) => {
        type Elem = $elem;
        const LANES: usize = $lanes;
        #[inline(always)]
        fn splat(x: $elem) -> Self {
            sse! {
                Self($splat(x))
            }
        }
        #[inline(always)]
        fn load(s: &[$elem]) -> Self {
            Self::check(s.len());
            // SAFETY: `s` holds at least 16 bytes; `loadu` needs no alignment.
            Self(unsafe { _mm_loadu_si128(s.as_ptr().cast()) })
        }
        #[inline(always)]
        fn store(self, s: &mut [$elem]) {
            Self::check(s.len());
            // SAFETY: `s` has room for 16 bytes; `storeu` needs no alignment.
            unsafe { _mm_storeu_si128(s.as_mut_ptr().cast(), self.0) }
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            sse! {
                Self($add(self.0, o.0))
            }
        }
        #[inline(always)]
        fn sub(self, o: Self) -> Self {
            sse! {
                Self($sub(self.0, o.0))
            }
        }
        #[inline(always)]
        fn select(mask: Self, a: Self, b: Self) -> Self {
            sse! {
                Self(_mm_or_si128(_mm_and_si128(mask.0, a.0), _mm_andnot_si128(mask.0, b.0)))
            }
        }
    };
}

/// Adds the two lanes of an i64x2.
#[inline(always)]
fn hsum_i64x2(v: __m128i) -> i64 {
    sse! {
        let hi = _mm_unpackhi_epi64(v, v);
        _mm_cvtsi128_si64(v).wrapping_add(_mm_cvtsi128_si64(hi))
    }
}

/// Sign-extends an i32x4 into two i64x2 and adds them lane-wise.
#[inline(always)]
fn widen_i32x4(v: __m128i) -> __m128i {
    sse! {
        let sign = _mm_srai_epi32(v, 31);
        _mm_add_epi64(_mm_unpacklo_epi32(v, sign), _mm_unpackhi_epi32(v, sign))
    }
}

impl Lanes for I8x16 {
    int_common!(i8, 16, _mm_set1_epi8, _mm_add_epi8, _mm_sub_epi8);
    #[inline(always)]
    fn zip_lo(self, o: Self) -> Self {
        sse! {
            Self(_mm_unpacklo_epi8(self.0, o.0))
        }
    }
    #[inline(always)]
    fn zip_hi(self, o: Self) -> Self {
        sse! {
            Self(_mm_unpackhi_epi8(self.0, o.0))
        }
    }

    // `psadbw` adds 8 unsigned bytes into a u64 lane in one instruction; the
    // bytes are biased by 128 first (signed -> unsigned), and the bias is
    // taken back out from the count of vectors in `acc_total`.
    type Acc = __m128i;
    const ACC_STEPS: usize = usize::MAX;

    #[inline(always)]
    fn gt(self, o: Self) -> Self {
        sse! {
            Self(_mm_cmpgt_epi8(self.0, o.0))
        }
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        sse! {
            // No byte multiply in SSE2: multiply even and odd bytes in 16-bit lanes.
            let even = _mm_mullo_epi16(self.0, o.0);
            let odd = _mm_mullo_epi16(_mm_srli_epi16(self.0, 8), _mm_srli_epi16(o.0, 8));
            let low = _mm_and_si128(even, _mm_set1_epi16(0x00ff));
            Self(_mm_or_si128(low, _mm_slli_epi16(odd, 8)))
        }
    }
    #[inline(always)]
    fn acc_zero() -> Self::Acc {
        sse! {
            _mm_setzero_si128()
        }
    }
    #[inline(always)]
    fn acc_add(acc: Self::Acc, v: Self) -> Self::Acc {
        sse! {
            let biased = _mm_xor_si128(v.0, _mm_set1_epi8(i8::MIN));
            _mm_add_epi64(acc, _mm_sad_epu8(biased, _mm_setzero_si128()))
        }
    }
    #[inline(always)]
    fn acc_total(acc: Self::Acc, vectors: usize) -> i64 {
        hsum_i64x2(acc).wrapping_sub((vectors as i64).wrapping_mul(16 * 128))
    }
}

impl Lanes for I16x8 {
    int_common!(i16, 8, _mm_set1_epi16, _mm_add_epi16, _mm_sub_epi16);
    #[inline(always)]
    fn zip_lo(self, o: Self) -> Self {
        sse! {
            Self(_mm_unpacklo_epi16(self.0, o.0))
        }
    }
    #[inline(always)]
    fn zip_hi(self, o: Self) -> Self {
        sse! {
            Self(_mm_unpackhi_epi16(self.0, o.0))
        }
    }

    // `pmaddwd` by ones adds pairs of i16 into i32 lanes: at least -2^16 and
    // at most 2^16 - 2 per step, so 2^15 steps fit.
    type Acc = __m128i;
    const ACC_STEPS: usize = 32768;

    #[inline(always)]
    fn gt(self, o: Self) -> Self {
        sse! {
            Self(_mm_cmpgt_epi16(self.0, o.0))
        }
    }
    #[inline(always)]
    fn max(self, o: Self) -> Self {
        sse! {
            Self(_mm_max_epi16(self.0, o.0))
        }
    }
    #[inline(always)]
    fn min(self, o: Self) -> Self {
        sse! {
            Self(_mm_min_epi16(self.0, o.0))
        }
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        sse! {
            Self(_mm_mullo_epi16(self.0, o.0))
        }
    }
    #[inline(always)]
    fn acc_zero() -> __m128i {
        sse! {
            _mm_setzero_si128()
        }
    }
    #[inline(always)]
    fn acc_add(acc: __m128i, v: Self) -> __m128i {
        sse! {
            _mm_add_epi32(acc, _mm_madd_epi16(v.0, _mm_set1_epi16(1)))
        }
    }
    #[inline(always)]
    fn acc_total(acc: __m128i, _: usize) -> i64 {
        hsum_i64x2(widen_i32x4(acc))
    }
}

impl Lanes for I32x4 {
    int_common!(i32, 4, _mm_set1_epi32, _mm_add_epi32, _mm_sub_epi32);
    #[inline(always)]
    fn zip_lo(self, o: Self) -> Self {
        sse! {
            Self(_mm_unpacklo_epi32(self.0, o.0))
        }
    }
    #[inline(always)]
    fn zip_hi(self, o: Self) -> Self {
        sse! {
            Self(_mm_unpackhi_epi32(self.0, o.0))
        }
    }

    type Acc = __m128i;
    const ACC_STEPS: usize = usize::MAX;

    #[inline(always)]
    fn gt(self, o: Self) -> Self {
        sse! {
            Self(_mm_cmpgt_epi32(self.0, o.0))
        }
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        sse! {
            // `pmulld` is SSE4.1: multiply even and odd lanes as 64-bit products.
            let even = _mm_mul_epu32(self.0, o.0);
            let odd = _mm_mul_epu32(_mm_srli_epi64(self.0, 32), _mm_srli_epi64(o.0, 32));
            let even = _mm_shuffle_epi32(even, 0b00_00_10_00);
            let odd = _mm_shuffle_epi32(odd, 0b00_00_10_00);
            Self(_mm_unpacklo_epi32(even, odd))
        }
    }
    #[inline(always)]
    fn acc_zero() -> __m128i {
        sse! {
            _mm_setzero_si128()
        }
    }
    #[inline(always)]
    fn acc_add(acc: __m128i, v: Self) -> __m128i {
        sse! {
            _mm_add_epi64(acc, widen_i32x4(v.0))
        }
    }
    #[inline(always)]
    fn acc_total(acc: __m128i, _: usize) -> i64 {
        hsum_i64x2(acc)
    }
}

impl Lanes for I64x2 {
    int_common!(i64, 2, _mm_set1_epi64x, _mm_add_epi64, _mm_sub_epi64);
    #[inline(always)]
    fn zip_lo(self, o: Self) -> Self {
        sse! {
            Self(_mm_unpacklo_epi64(self.0, o.0))
        }
    }
    #[inline(always)]
    fn zip_hi(self, o: Self) -> Self {
        sse! {
            Self(_mm_unpackhi_epi64(self.0, o.0))
        }
    }

    type Acc = __m128i;
    const ACC_STEPS: usize = usize::MAX;

    #[inline(always)]
    fn gt(self, o: Self) -> Self {
        sse! {
            // `pcmpgtq` is SSE4.2: compare the high halves signed, and where they
            // are equal the low halves unsigned, then spread the answer.
            let (a, b) = (self.0, o.0);
            let hi_gt = _mm_cmpgt_epi32(a, b);
            let hi_eq = _mm_cmpeq_epi32(a, b);
            let bias = _mm_set1_epi32(i32::MIN);
            let lo_gt = _mm_cmpgt_epi32(_mm_xor_si128(a, bias), _mm_xor_si128(b, bias));
            let lo_gt = _mm_shuffle_epi32(lo_gt, 0b10_10_00_00);
            let r = _mm_or_si128(hi_gt, _mm_and_si128(hi_eq, lo_gt));
            Self(_mm_shuffle_epi32(r, 0b11_11_01_01))
        }
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        sse! {
            // No 64-bit multiply: lo*lo + ((lo*hi + hi*lo) << 32).
            let (a, b) = (self.0, o.0);
            let lo = _mm_mul_epu32(a, b);
            let cross = _mm_add_epi64(
                _mm_mul_epu32(a, _mm_srli_epi64(b, 32)),
                _mm_mul_epu32(_mm_srli_epi64(a, 32), b),
            );
            Self(_mm_add_epi64(lo, _mm_slli_epi64(cross, 32)))
        }
    }
    #[inline(always)]
    fn acc_zero() -> __m128i {
        sse! {
            _mm_setzero_si128()
        }
    }
    #[inline(always)]
    fn acc_add(acc: __m128i, v: Self) -> __m128i {
        sse! {
            _mm_add_epi64(acc, v.0)
        }
    }
    #[inline(always)]
    fn acc_total(acc: __m128i, _: usize) -> i64 {
        hsum_i64x2(acc)
    }
}

macro_rules! float_vector {
    ($name:ident, $elem:ty, $lanes:expr, $sfx:ident) => {
        impl Lanes for $name {
            type Elem = $elem;
            const LANES: usize = $lanes;
            float_acc!();

            #[inline(always)]
            fn splat(x: $elem) -> Self {
                sse! {
                    Self(paste_sfx!($sfx, set1)(x))
                }
            }
            #[inline(always)]
            fn load(s: &[$elem]) -> Self {
                Self::check(s.len());
                // SAFETY: `s` holds 16 bytes; `loadu` needs no alignment.
                Self(unsafe { paste_sfx!($sfx, loadu)(s.as_ptr()) })
            }
            #[inline(always)]
            fn store(self, s: &mut [$elem]) {
                Self::check(s.len());
                // SAFETY: `s` has room for 16 bytes; `storeu` needs no alignment.
                unsafe { paste_sfx!($sfx, storeu)(s.as_mut_ptr(), self.0) }
            }
            #[inline(always)]
            fn add(self, o: Self) -> Self {
                sse! {
                    Self(paste_sfx!($sfx, add)(self.0, o.0))
                }
            }
            #[inline(always)]
            fn sub(self, o: Self) -> Self {
                sse! {
                    Self(paste_sfx!($sfx, sub)(self.0, o.0))
                }
            }
            #[inline(always)]
            fn mul(self, o: Self) -> Self {
                sse! {
                    Self(paste_sfx!($sfx, mul)(self.0, o.0))
                }
            }
            #[inline(always)]
            fn reduce_add(self) -> $elem {
                self.hsum()
            }
            #[inline(always)]
            fn zip_lo(self, o: Self) -> Self {
                sse! {
                    Self(paste_sfx!($sfx, unpacklo)(self.0, o.0))
                }
            }
            #[inline(always)]
            fn zip_hi(self, o: Self) -> Self {
                sse! {
                    Self(paste_sfx!($sfx, unpackhi)(self.0, o.0))
                }
            }
            #[inline(always)]
            fn gt(self, o: Self) -> Self {
                sse! {
                    Self(paste_sfx!($sfx, cmpgt)(self.0, o.0))
                }
            }
            #[inline(always)]
            fn select(mask: Self, a: Self, b: Self) -> Self {
                sse! {
                    let and = paste_sfx!($sfx, and)(mask.0, a.0);
                    Self(paste_sfx!($sfx, or)(and, paste_sfx!($sfx, andnot)(mask.0, b.0)))
                }
            }
            // `maxps` returns its second operand when either is NaN; put a NaN
            // first operand back so NaN always propagates, as in np.maximum.
            #[inline(always)]
            fn max(self, o: Self) -> Self {
                sse! {
                    let nan = Self(paste_sfx!($sfx, cmpunord)(self.0, self.0));
                    Self::select(nan, self, Self(paste_sfx!($sfx, max)(self.0, o.0)))
                }
            }
            #[inline(always)]
            fn min(self, o: Self) -> Self {
                sse! {
                    let nan = Self(paste_sfx!($sfx, cmpunord)(self.0, self.0));
                    Self::select(nan, self, Self(paste_sfx!($sfx, min)(self.0, o.0)))
                }
            }
            #[inline(always)]
            fn max_unordered(self, o: Self) -> Self {
                sse! {
                    Self(paste_sfx!($sfx, max)(self.0, o.0))
                }
            }
        }
    };
}

macro_rules! paste_sfx {
    (ps, set1) => {
        _mm_set1_ps
    };
    (ps, loadu) => {
        _mm_loadu_ps
    };
    (ps, storeu) => {
        _mm_storeu_ps
    };
    (ps, add) => {
        _mm_add_ps
    };
    (ps, sub) => {
        _mm_sub_ps
    };
    (ps, mul) => {
        _mm_mul_ps
    };
    (ps, cmpgt) => {
        _mm_cmpgt_ps
    };
    (ps, cmpunord) => {
        _mm_cmpunord_ps
    };
    (ps, and) => {
        _mm_and_ps
    };
    (ps, andnot) => {
        _mm_andnot_ps
    };
    (ps, or) => {
        _mm_or_ps
    };
    (ps, max) => {
        _mm_max_ps
    };
    (ps, min) => {
        _mm_min_ps
    };
    (ps, unpacklo) => {
        _mm_unpacklo_ps
    };
    (ps, unpackhi) => {
        _mm_unpackhi_ps
    };
    (pd, set1) => {
        _mm_set1_pd
    };
    (pd, loadu) => {
        _mm_loadu_pd
    };
    (pd, storeu) => {
        _mm_storeu_pd
    };
    (pd, add) => {
        _mm_add_pd
    };
    (pd, sub) => {
        _mm_sub_pd
    };
    (pd, mul) => {
        _mm_mul_pd
    };
    (pd, cmpgt) => {
        _mm_cmpgt_pd
    };
    (pd, cmpunord) => {
        _mm_cmpunord_pd
    };
    (pd, and) => {
        _mm_and_pd
    };
    (pd, andnot) => {
        _mm_andnot_pd
    };
    (pd, or) => {
        _mm_or_pd
    };
    (pd, max) => {
        _mm_max_pd
    };
    (pd, min) => {
        _mm_min_pd
    };
    (pd, unpacklo) => {
        _mm_unpacklo_pd
    };
    (pd, unpackhi) => {
        _mm_unpackhi_pd
    };
}

float_vector!(F32x4, f32, 4, ps);
float_vector!(F64x2, f64, 2, pd);

impl F32x4 {
    /// In registers: (a + c) + (b + d).
    #[inline(always)]
    fn hsum(self) -> f32 {
        sse! {
            let v = self.0;
            let s = _mm_add_ps(v, _mm_movehl_ps(v, v));
            _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 0b01)))
        }
    }
}

impl F64x2 {
    #[inline(always)]
    fn hsum(self) -> f64 {
        sse! {
            let v = self.0;
            _mm_cvtsd_f64(_mm_add_sd(v, _mm_unpackhi_pd(v, v)))
        }
    }
}

impl FloatLanes for F32x4 {
    // `maxps` returns its second operand when either is NaN: with `self`
    // second, a NaN lane stays NaN.
    #[inline(always)]
    fn clamp(self, lo: Self, hi: Self) -> Self {
        sse! { Self(_mm_min_ps(hi.0, _mm_max_ps(lo.0, self.0))) }
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        sse! {
            Self(_mm_sqrt_ps(self.0))
        }
    }
    #[inline(always)]
    fn pow2i(self) -> Self {
        // Adding 1.5 * 2^23 puts the integer k in the low mantissa bits.
        sse! {
            let y = _mm_castps_si128(_mm_add_ps(self.0, _mm_set1_ps(12_582_912.0)));
            let bits = _mm_sub_epi32(y, _mm_set1_epi32(0x4B40_0000 - 127));
            Self(_mm_castsi128_ps(_mm_slli_epi32(bits, 23)))
        }
    }
}

impl FloatLanes for F64x2 {
    // `maxps` returns its second operand when either is NaN: with `self`
    // second, a NaN lane stays NaN.
    #[inline(always)]
    fn clamp(self, lo: Self, hi: Self) -> Self {
        sse! { Self(_mm_min_pd(hi.0, _mm_max_pd(lo.0, self.0))) }
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        sse! {
            Self(_mm_sqrt_pd(self.0))
        }
    }
    #[inline(always)]
    fn pow2i(self) -> Self {
        sse! {
            let y = _mm_castpd_si128(_mm_add_pd(self.0, _mm_set1_pd(6_755_399_441_055_744.0)));
            let bits = _mm_sub_epi64(y, _mm_set1_epi64x(0x4338_0000_0000_0000 - 1023));
            Self(_mm_castsi128_pd(_mm_slli_epi64(bits, 52)))
        }
    }
}
