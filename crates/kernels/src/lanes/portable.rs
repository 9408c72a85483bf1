//! `Lanes` as plain arrays, for targets with neither SIMD128 nor SSE2 (the
//! compiler may still vectorize these loops with the target's own SIMD).

use super::{FloatLanes, Lanes};
use crate::dtype::Element;

macro_rules! vector {
    ($name:ident, $elem:ty, $lanes:literal) => {
        #[derive(Clone, Copy, Debug)]
        pub struct $name([$elem; $lanes]);

        impl $name {
            #[inline(always)]
            fn map2(self, o: Self, f: impl Fn($elem, $elem) -> $elem) -> Self {
                let mut r = self.0;
                for (r, (&a, &b)) in r.iter_mut().zip(self.0.iter().zip(&o.0)) {
                    *r = f(a, b);
                }
                Self(r)
            }
        }

        impl Lanes for $name {
            type Elem = $elem;
            const LANES: usize = $lanes;
            type Acc = <$elem as Element>::Sum;
            const ACC_STEPS: usize = usize::MAX;

            #[inline(always)]
            fn splat(x: $elem) -> Self {
                Self([x; $lanes])
            }
            #[inline(always)]
            fn load(s: &[$elem]) -> Self {
                let mut r = [<$elem as Element>::ZERO; $lanes];
                r.copy_from_slice(&s[..$lanes]);
                Self(r)
            }
            #[inline(always)]
            fn store(self, s: &mut [$elem]) {
                s[..$lanes].copy_from_slice(&self.0);
            }
            #[inline(always)]
            fn add(self, o: Self) -> Self {
                self.map2(o, Element::add)
            }
            #[inline(always)]
            fn sub(self, o: Self) -> Self {
                self.map2(o, Element::sub)
            }
            #[inline(always)]
            fn mul(self, o: Self) -> Self {
                self.map2(o, Element::mul)
            }
            #[inline(always)]
            fn gt(self, o: Self) -> Self {
                self.map2(o, |a, b| Lanes::gt(a, b))
            }
            #[inline(always)]
            fn select(mask: Self, a: Self, b: Self) -> Self {
                let mut r = b.0;
                for (i, r) in r.iter_mut().enumerate() {
                    *r = <$elem as Lanes>::select(mask.0[i], a.0[i], b.0[i]);
                }
                Self(r)
            }
            #[inline(always)]
            fn max(self, o: Self) -> Self {
                self.map2(o, Element::max_nan)
            }
            #[inline(always)]
            fn min(self, o: Self) -> Self {
                self.map2(o, Element::min_nan)
            }
            #[inline(always)]
            fn zip_lo(self, o: Self) -> Self {
                let mut r = self.0;
                for (i, r) in r.iter_mut().enumerate() {
                    *r = if i % 2 == 0 {
                        self.0[i / 2]
                    } else {
                        o.0[i / 2]
                    };
                }
                Self(r)
            }
            #[inline(always)]
            fn zip_hi(self, o: Self) -> Self {
                let mut r = self.0;
                for (i, r) in r.iter_mut().enumerate() {
                    let j = $lanes / 2 + i / 2;
                    *r = if i % 2 == 0 { self.0[j] } else { o.0[j] };
                }
                Self(r)
            }
            #[inline(always)]
            fn acc_zero() -> Self::Acc {
                Element::ZERO
            }
            #[inline(always)]
            fn acc_add(acc: Self::Acc, v: Self) -> Self::Acc {
                v.0.iter().fold(acc, |s, &x| Element::add(s, x.to_sum()))
            }
            #[inline(always)]
            fn acc_total(acc: Self::Acc, _: usize) -> Self::Acc {
                acc
            }
        }
    };
}

vector!(I8x16, i8, 16);
vector!(I16x8, i16, 8);
vector!(I32x4, i32, 4);
vector!(I64x2, i64, 2);
vector!(F32x4, f32, 4);
vector!(F64x2, f64, 2);

macro_rules! float_vector {
    ($name:ident, $elem:ty) => {
        impl FloatLanes for $name {
            #[inline(always)]
            fn sqrt(self) -> Self {
                Self(self.0.map(<$elem>::sqrt))
            }
            #[inline(always)]
            fn pow2i(self) -> Self {
                Self(self.0.map(FloatLanes::pow2i))
            }
        }
    };
}

float_vector!(F32x4, f32);
float_vector!(F64x2, f64);
