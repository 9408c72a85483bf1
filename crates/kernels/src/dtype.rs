//! Data types and the scalar element trait.

use core::fmt;

use crate::lanes::{FloatLanes, Lanes};

/// The NumPy dtypes Lanes supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
}

impl DType {
    /// Every dtype, smallest integers first.
    pub const ALL: [DType; 6] = [
        DType::I8,
        DType::I16,
        DType::I32,
        DType::I64,
        DType::F32,
        DType::F64,
    ];

    /// Bytes per element (NumPy's `itemsize`).
    pub const fn itemsize(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 => 2,
            DType::I32 | DType::F32 => 4,
            DType::I64 | DType::F64 => 8,
        }
    }

    /// Elements per 128-bit SIMD vector.
    pub const fn lanes(self) -> usize {
        16 / self.itemsize()
    }

    /// The short name used in URLs and JSON (`f32`, `i8`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            DType::I8 => "i8",
            DType::I16 => "i16",
            DType::I32 => "i32",
            DType::I64 => "i64",
            DType::F32 => "f32",
            DType::F64 => "f64",
        }
    }

    /// NumPy's name for the dtype (`float32`, `int8`, ...).
    pub const fn numpy_name(self) -> &'static str {
        match self {
            DType::I8 => "int8",
            DType::I16 => "int16",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::F32 => "float32",
            DType::F64 => "float64",
        }
    }

    pub const fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F64)
    }

    /// The dtype `np.sum` returns for this input dtype: integers accumulate
    /// in 64 bits, floats keep their type.
    pub const fn sum_dtype(self) -> DType {
        if self.is_float() { self } else { DType::I64 }
    }

    /// The dtype `np.mean` returns: float64 for integers, the input for floats.
    pub const fn mean_dtype(self) -> DType {
        if self.is_float() { self } else { DType::F64 }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for DType {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DType::ALL
            .into_iter()
            .find(|d| d.name() == s || d.numpy_name() == s)
            .ok_or_else(|| crate::Error::Parse {
                what: "dtype",
                value: s.to_owned(),
                expected: "one of i8, i16, i32, i64, f32, f64".to_owned(),
            })
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A scalar element of one of the six dtypes, with NumPy's arithmetic.
pub trait Element:
    Copy + Send + Sync + PartialOrd + PartialEq + Default + fmt::Debug + 'static + sealed::Sealed
{
    const DTYPE: DType;
    const ZERO: Self;
    /// The smallest value (`-inf` for floats), the identity of `max`.
    const LOWEST: Self;
    /// The largest value (`+inf` for floats), the identity of `min`.
    const HIGHEST: Self;

    /// The type `np.sum` accumulates into and returns.
    type Sum: Element;
    /// The 128-bit vector of this element on the current architecture.
    type V: Lanes<Elem = Self>;

    /// `self + other`, wrapping on integer overflow as NumPy does.
    fn add(self, other: Self) -> Self;
    /// `self * other`, wrapping on integer overflow as NumPy does.
    fn mul(self, other: Self) -> Self;
    /// `self - other`, wrapping on integer overflow.
    fn sub(self, other: Self) -> Self;
    /// Widen into the sum type.
    fn to_sum(self) -> Self::Sum;
    fn to_f64(self) -> f64;
    /// Converts to i64 (exact for integers; floats truncate).
    fn to_i64(self) -> i64;
    /// Converts from `f64`, saturating for integers (used to make inputs).
    fn from_f64(x: f64) -> Self;
    fn is_nan(self) -> bool;

    /// `np.maximum`: NaN wins, from either side; on a tie the first operand.
    #[inline(always)]
    fn max_nan(self, other: Self) -> Self {
        if other > self || (other.is_nan() && !self.is_nan()) {
            other
        } else {
            self
        }
    }

    /// `np.minimum`: NaN wins, from either side; on a tie the first operand.
    #[inline(always)]
    fn min_nan(self, other: Self) -> Self {
        if other < self || (other.is_nan() && !self.is_nan()) {
            other
        } else {
            self
        }
    }

    /// NumPy's sort order: NaN after everything, including `+inf`.
    #[inline(always)]
    fn sort_lt(self, other: Self) -> bool {
        self < other || (other.is_nan() && !self.is_nan())
    }

    /// NumPy's sort order as an `Ordering` (NaNs equal to each other).
    #[inline(always)]
    fn sort_cmp(self, other: Self) -> core::cmp::Ordering {
        if self.sort_lt(other) {
            core::cmp::Ordering::Less
        } else if other.sort_lt(self) {
            core::cmp::Ordering::Greater
        } else {
            core::cmp::Ordering::Equal
        }
    }

    /// Sorts `v` in NumPy's order (ascending, NaN last) with the standard
    /// library's unstable sort. One function for the kernels and the
    /// reference: the sort kernels *are* this sort, and a second copy of
    /// it per dtype would cost the worker's download ~10 KB gzip for
    /// nothing (NumPy's golden vectors check the order independently).
    fn sort_numpy(v: &mut [Self]) {
        v.sort_unstable_by(|x, y| x.sort_cmp(*y));
    }

    /// An optimization barrier for one value. The `scalar` rung passes every
    /// result through it so that no compiler can vectorize that loop (on x86-64
    /// SSE2 is always on, so this is the only way to keep a loop scalar there).
    /// It compiles to no instruction.
    fn opaque(self) -> Self;
}

/// Float elements.
pub trait Float: Element<Sum = Self, V: FloatLanes> {
    const NAN: Self;
    const INFINITY: Self;
    fn sqrt(self) -> Self;
    /// Units in the last place between two floats (0 for equal, NaN == NaN).
    fn ulps(self, other: Self) -> u64;
}

macro_rules! opaque_asm {
    ($x:ident, $class:ident, $fmt:literal) => {{
        #[cfg(target_arch = "x86_64")]
        {
            let mut v = $x;
            // SAFETY: an empty asm block that only claims to read and write a
            // register; it touches no memory and no flags.
            unsafe {
                core::arch::asm!($fmt, inout($class) v, options(pure, nomem, nostack, preserves_flags));
            }
            v
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            // Elsewhere (wasm32 without simd128 in particular) a scalar loop
            // is already scalar.
            $x
        }
    }};
}

macro_rules! int_element {
    ($t:ty, $dt:ident, $vec:ident, $class:ident, $fmt:literal) => {
        impl sealed::Sealed for $t {}
        impl Element for $t {
            const DTYPE: DType = DType::$dt;
            const ZERO: Self = 0;
            const LOWEST: Self = <$t>::MIN;
            const HIGHEST: Self = <$t>::MAX;
            type Sum = i64;
            type V = crate::lanes::arch::$vec;

            #[inline(always)]
            fn add(self, other: Self) -> Self {
                self.wrapping_add(other)
            }
            #[inline(always)]
            fn mul(self, other: Self) -> Self {
                self.wrapping_mul(other)
            }
            #[inline(always)]
            fn sub(self, other: Self) -> Self {
                self.wrapping_sub(other)
            }
            #[inline(always)]
            fn to_sum(self) -> i64 {
                self as i64
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn to_i64(self) -> i64 {
                self as i64
            }
            #[inline(always)]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                false
            }
            #[inline(always)]
            fn opaque(self) -> Self {
                opaque_asm!(self, $class, $fmt)
            }
        }
    };
}

int_element!(i8, I8, I8x16, reg_byte, "/* {0} */");
int_element!(i16, I16, I16x8, reg, "/* {0:x} */");
int_element!(i32, I32, I32x4, reg, "/* {0:e} */");
int_element!(i64, I64, I64x2, reg, "/* {0} */");

macro_rules! float_element {
    ($t:ty, $dt:ident, $fv:ident, $bits:ty) => {
        impl sealed::Sealed for $t {}
        impl Element for $t {
            const DTYPE: DType = DType::$dt;
            const ZERO: Self = 0.0;
            const LOWEST: Self = <$t>::NEG_INFINITY;
            const HIGHEST: Self = <$t>::INFINITY;
            type Sum = $t;
            type V = crate::lanes::arch::$fv;

            #[inline(always)]
            fn add(self, other: Self) -> Self {
                self + other
            }
            #[inline(always)]
            fn mul(self, other: Self) -> Self {
                self * other
            }
            #[inline(always)]
            fn sub(self, other: Self) -> Self {
                self - other
            }
            #[inline(always)]
            fn to_sum(self) -> Self {
                self
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn to_i64(self) -> i64 {
                self as i64
            }
            #[inline(always)]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            #[inline(always)]
            fn opaque(self) -> Self {
                opaque_asm!(self, xmm_reg, "/* {0} */")
            }
        }
        impl Float for $t {
            const NAN: Self = <$t>::NAN;
            const INFINITY: Self = <$t>::INFINITY;
            #[inline(always)]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            fn ulps(self, other: Self) -> u64 {
                if self.is_nan() && other.is_nan() {
                    return 0;
                }
                if self.is_nan() || other.is_nan() {
                    return u64::MAX;
                }
                // Map the sign-magnitude bit patterns onto one monotonic line.
                let key = |x: $t| -> i128 {
                    let b = x.to_bits() as $bits;
                    let mag = (b & !(1 << (<$bits>::BITS - 1))) as i128;
                    if x.is_sign_negative() { -mag } else { mag }
                };
                (key(self) - key(other)).unsigned_abs() as u64
            }
        }
    };
}

float_element!(f32, F32, F32x4, u32);
float_element!(f64, F64, F64x2, u64);
