//! The small lane trait every hand-written SIMD kernel is written against.
//!
//! One implementation per instruction set, about a screen each:
//! `wasm32` (SIMD128, in the browser) and `sse2` (x86-64 natively, so the
//! native build runs the very same algorithms), plus a `portable` one for other
//! targets. Vector types never leave the `simd` module: kernels take slices.

use crate::dtype::Element;

#[cfg(all(target_arch = "wasm32", not(feature = "portable-lanes")))]
#[path = "lanes/wasm32.rs"]
pub mod arch;

#[cfg(all(target_arch = "x86_64", not(feature = "portable-lanes")))]
#[path = "lanes/sse2.rs"]
pub mod arch;

// Other targets (aarch64, ...), or any target with the `portable-lanes`
// feature, which is how the tests run this backend on x86-64 too.
#[cfg(any(
    feature = "portable-lanes",
    not(any(target_arch = "wasm32", target_arch = "x86_64"))
))]
#[path = "lanes/portable.rs"]
pub mod arch;

/// A 128-bit vector of `LANES` elements.
///
/// Integer arithmetic wraps; `max`/`min` follow `np.maximum`/`np.minimum`
/// (NaN propagates). Masks are all-ones lanes.
pub trait Lanes: Copy + Send + Sync + 'static {
    type Elem: Element;
    const LANES: usize;

    /// A widening accumulator for sums (`np.sum` semantics).
    type Acc: Copy;
    /// How many vectors one accumulator can take (through `acc_add`) before
    /// `acc_total` must be called: the sums would overflow its lanes after.
    const ACC_STEPS: usize;

    fn splat(x: Self::Elem) -> Self;
    /// Loads `LANES` elements from the start of `s` (no alignment needed).
    fn load(s: &[Self::Elem]) -> Self;
    /// Stores `LANES` elements at the start of `s`.
    fn store(self, s: &mut [Self::Elem]);
    fn add(self, other: Self) -> Self;
    fn sub(self, other: Self) -> Self;
    fn mul(self, other: Self) -> Self;
    /// Lane-wise `self > other` as a mask.
    fn gt(self, other: Self) -> Self;
    /// Lane-wise `mask ? a : b`.
    fn select(mask: Self, a: Self, b: Self) -> Self;

    /// `np.maximum` lane-wise.
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        Self::select(other.gt(self), other, self)
    }
    /// `np.minimum` lane-wise.
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        Self::select(self.gt(other), other, self)
    }

    /// A maximum for reductions that track NaN apart: lane-wise the larger
    /// of the two when neither is NaN, and anything when one is (so each
    /// ISA can use its one-instruction maximum). Integers: `max`.
    #[inline(always)]
    fn max_unordered(self, other: Self) -> Self {
        self.max(other)
    }

    /// Interleaves the low halves of two vectors: `[a0, b0, a1, b1, ...]`.
    fn zip_lo(self, other: Self) -> Self;
    /// Interleaves the high halves of two vectors.
    fn zip_hi(self, other: Self) -> Self;

    fn acc_zero() -> Self::Acc;
    fn acc_add(acc: Self::Acc, v: Self) -> Self::Acc;
    /// The sum `acc` holds after `acc_add` took `vectors` vectors (an
    /// accumulator that biases its lanes takes the bias back out from it).
    fn acc_total(acc: Self::Acc, vectors: usize) -> <Self::Elem as Element>::Sum;

    /// Horizontal wrapping sum, lanes in order.
    #[inline(always)]
    fn reduce_add(self) -> Self::Elem {
        let mut buf = [Self::Elem::ZERO; 16];
        self.store(&mut buf);
        buf[..Self::LANES]
            .iter()
            .fold(Self::Elem::ZERO, |s, &x| s.add(x))
    }
    /// Horizontal `np.max`.
    #[inline(always)]
    fn reduce_max(self) -> Self::Elem {
        let mut buf = [Self::Elem::ZERO; 16];
        self.store(&mut buf);
        buf[1..Self::LANES]
            .iter()
            .fold(buf[0], |m, &x| m.max_nan(x))
    }
}

/// Float vectors: what `sqrt` and `exp` need.
pub trait FloatLanes: Lanes {
    fn sqrt(self) -> Self;
    /// Clamps to `[lo, hi]`, keeping NaN lanes NaN (`lo`, `hi` are not NaN).
    /// Cheaper than `max` then `min`, which must also propagate a NaN bound.
    #[inline(always)]
    fn clamp(self, lo: Self, hi: Self) -> Self {
        self.max(lo).min(hi)
    }
    /// `2^k` for lanes holding integral values with `k + bias` a normal
    /// exponent (for f32, `-126 <= k <= 127`).
    fn pow2i(self) -> Self;
}

/// The float sum accumulator shared by the SIMD ISAs: just the vector itself.
#[cfg(all(
    any(target_arch = "wasm32", target_arch = "x86_64"),
    not(feature = "portable-lanes")
))]
macro_rules! float_acc {
    () => {
        type Acc = Self;
        const ACC_STEPS: usize = usize::MAX;
        #[inline(always)]
        fn acc_zero() -> Self {
            Self::splat(0.0)
        }
        #[inline(always)]
        fn acc_add(acc: Self, v: Self) -> Self {
            acc.add(v)
        }
        #[inline(always)]
        fn acc_total(acc: Self, _: usize) -> Self::Elem {
            acc.reduce_add()
        }
    };
}
#[cfg(all(
    any(target_arch = "wasm32", target_arch = "x86_64"),
    not(feature = "portable-lanes")
))]
pub(crate) use float_acc;

/// Every element is also a vector of one lane. Kernels written over `Lanes`
/// run at width 1 on it (for tails, and for the `scalar` rung of the math
/// functions, which must be the same algorithm one element at a time).
macro_rules! width_one {
    ($($t:ty),*) => {$(
        impl Lanes for $t {
            type Elem = $t;
            const LANES: usize = 1;
            type Acc = <$t as Element>::Sum;
            const ACC_STEPS: usize = usize::MAX;

            #[inline(always)]
            fn splat(x: $t) -> Self {
                x
            }
            #[inline(always)]
            fn load(s: &[$t]) -> Self {
                s[0]
            }
            #[inline(always)]
            fn store(self, s: &mut [$t]) {
                s[0] = self;
            }
            #[inline(always)]
            fn add(self, o: Self) -> Self {
                Element::add(self, o)
            }
            #[inline(always)]
            fn sub(self, o: Self) -> Self {
                Element::sub(self, o)
            }
            #[inline(always)]
            fn mul(self, o: Self) -> Self {
                Element::mul(self, o)
            }
            #[inline(always)]
            fn gt(self, o: Self) -> Self {
                // A one-lane mask: 1 for true, 0 for false.
                if self > o { 1 as $t } else { 0 as $t }
            }
            #[inline(always)]
            fn select(mask: Self, a: Self, b: Self) -> Self {
                if mask != 0 as $t { a } else { b }
            }
            #[inline(always)]
            fn max(self, o: Self) -> Self {
                self.max_nan(o)
            }
            #[inline(always)]
            fn min(self, o: Self) -> Self {
                self.min_nan(o)
            }
            #[inline(always)]
            fn zip_lo(self, _o: Self) -> Self {
                self
            }
            #[inline(always)]
            fn zip_hi(self, o: Self) -> Self {
                o
            }
            #[inline(always)]
            fn acc_zero() -> Self::Acc {
                Element::ZERO
            }
            #[inline(always)]
            fn acc_add(acc: Self::Acc, v: Self) -> Self::Acc {
                Element::add(acc, v.to_sum())
            }
            #[inline(always)]
            fn acc_total(acc: Self::Acc, _: usize) -> Self::Acc {
                acc
            }
        }
    )*};
}
width_one!(i8, i16, i32, i64, f32, f64);

impl FloatLanes for f32 {
    #[inline(always)]
    fn sqrt(self) -> Self {
        f32::sqrt(self)
    }
    #[inline(always)]
    fn pow2i(self) -> Self {
        f32::from_bits(((self as i32 + 127) as u32) << 23)
    }
}

impl FloatLanes for f64 {
    #[inline(always)]
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    #[inline(always)]
    fn pow2i(self) -> Self {
        f64::from_bits(((self as i64 + 1023) as u64) << 52)
    }
}
