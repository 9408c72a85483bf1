//! Dtype-tagged arrays: shapes, owned buffers and borrowed slices.

use crate::dtype::{DType, Element};

/// A problem or array shape: 1-D or 2-D (row-major).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    Vector(usize),
    Matrix(usize, usize),
}

impl Shape {
    /// Number of elements (NumPy's `size`); `None` on overflow.
    pub fn checked_len(self) -> Option<usize> {
        match self {
            Shape::Vector(n) => Some(n),
            Shape::Matrix(r, c) => r.checked_mul(c),
        }
    }

    /// Number of elements. Shapes are checked when a problem is built, so
    /// this only saturates for shapes nothing could allocate anyway.
    pub fn len(self) -> usize {
        self.checked_len().unwrap_or(usize::MAX)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    pub fn dims(self) -> Vec<usize> {
        match self {
            Shape::Vector(n) => vec![n],
            Shape::Matrix(r, c) => vec![r, c],
        }
    }
}

impl core::fmt::Display for Shape {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Shape::Vector(n) => write!(f, "({n},)"),
            Shape::Matrix(r, c) => write!(f, "({r}, {c})"),
        }
    }
}

/// Expands `$body` once per dtype with `$x` bound to the typed payload.
#[macro_export]
#[doc(hidden)]
macro_rules! for_dtype {
    ($enum:ident, $value:expr, $x:ident => $body:expr) => {
        match $value {
            $enum::I8($x) => $body,
            $enum::I16($x) => $body,
            $enum::I32($x) => $body,
            $enum::I64($x) => $body,
            $enum::F32($x) => $body,
            $enum::F64($x) => $body,
        }
    };
}

/// An owned, dtype-tagged buffer.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
}

/// A borrowed, dtype-tagged slice.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Slice<'a> {
    I8(&'a [i8]),
    I16(&'a [i16]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    F32(&'a [f32]),
    F64(&'a [f64]),
}

/// A mutably borrowed, dtype-tagged slice.
#[derive(Debug, PartialEq)]
pub enum SliceMut<'a> {
    I8(&'a mut [i8]),
    I16(&'a mut [i16]),
    I32(&'a mut [i32]),
    I64(&'a mut [i64]),
    F32(&'a mut [f32]),
    F64(&'a mut [f64]),
}

/// Conversions between typed slices and the tagged enums.
pub trait Tagged: Element {
    fn wrap_vec(v: Vec<Self>) -> Data;
    fn wrap(s: &[Self]) -> Slice<'_>;
    fn wrap_mut(s: &mut [Self]) -> SliceMut<'_>;
    fn unwrap(s: Slice<'_>) -> Option<&[Self]>;
    fn unwrap_mut<'a>(s: &'a mut SliceMut<'_>) -> Option<&'a mut [Self]>;
}

macro_rules! tagged {
    ($t:ty, $v:ident) => {
        impl Tagged for $t {
            fn wrap_vec(v: Vec<Self>) -> Data {
                Data::$v(v)
            }
            fn wrap(s: &[Self]) -> Slice<'_> {
                Slice::$v(s)
            }
            fn wrap_mut(s: &mut [Self]) -> SliceMut<'_> {
                SliceMut::$v(s)
            }
            fn unwrap(s: Slice<'_>) -> Option<&[Self]> {
                match s {
                    Slice::$v(x) => Some(x),
                    _ => None,
                }
            }
            fn unwrap_mut<'a>(s: &'a mut SliceMut<'_>) -> Option<&'a mut [Self]> {
                match s {
                    SliceMut::$v(x) => Some(&mut **x),
                    _ => None,
                }
            }
        }
    };
}
tagged!(i8, I8);
tagged!(i16, I16);
tagged!(i32, I32);
tagged!(i64, I64);
tagged!(f32, F32);
tagged!(f64, F64);

impl Data {
    /// A zero-filled buffer of `len` elements.
    pub fn zeros(dtype: DType, len: usize) -> Data {
        match dtype {
            DType::I8 => Data::I8(vec![0; len]),
            DType::I16 => Data::I16(vec![0; len]),
            DType::I32 => Data::I32(vec![0; len]),
            DType::I64 => Data::I64(vec![0; len]),
            DType::F32 => Data::F32(vec![0.0; len]),
            DType::F64 => Data::F64(vec![0.0; len]),
        }
    }

    /// Converts `values` to `dtype` (saturating for integers).
    pub fn from_f64(dtype: DType, values: impl IntoIterator<Item = f64>) -> Data {
        let it = values.into_iter();
        match dtype {
            DType::I8 => Data::I8(it.map(i8::from_f64).collect()),
            DType::I16 => Data::I16(it.map(i16::from_f64).collect()),
            DType::I32 => Data::I32(it.map(i32::from_f64).collect()),
            DType::I64 => Data::I64(it.map(i64::from_f64).collect()),
            DType::F32 => Data::F32(it.map(f32::from_f64).collect()),
            DType::F64 => Data::F64(it.collect()),
        }
    }

    pub fn dtype(&self) -> DType {
        self.as_slice().dtype()
    }

    pub fn len(&self) -> usize {
        for_dtype!(Data, self, x => x.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn as_slice(&self) -> Slice<'_> {
        match self {
            Data::I8(x) => Slice::I8(x),
            Data::I16(x) => Slice::I16(x),
            Data::I32(x) => Slice::I32(x),
            Data::I64(x) => Slice::I64(x),
            Data::F32(x) => Slice::F32(x),
            Data::F64(x) => Slice::F64(x),
        }
    }

    pub fn as_slice_mut(&mut self) -> SliceMut<'_> {
        match self {
            Data::I8(x) => SliceMut::I8(x),
            Data::I16(x) => SliceMut::I16(x),
            Data::I32(x) => SliceMut::I32(x),
            Data::I64(x) => SliceMut::I64(x),
            Data::F32(x) => SliceMut::F32(x),
            Data::F64(x) => SliceMut::F64(x),
        }
    }
}

impl<'a> Slice<'a> {
    pub fn dtype(&self) -> DType {
        match self {
            Slice::I8(_) => DType::I8,
            Slice::I16(_) => DType::I16,
            Slice::I32(_) => DType::I32,
            Slice::I64(_) => DType::I64,
            Slice::F32(_) => DType::F32,
            Slice::F64(_) => DType::F64,
        }
    }

    pub fn len(&self) -> usize {
        for_dtype!(Slice, self, x => x.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Element `i` as `f64` (exact for every dtype but large int64 values).
    pub fn get_f64(&self, i: usize) -> f64 {
        for_dtype!(Slice, self, x => x[i].to_f64())
    }

    /// The sub-slice `range`.
    pub fn slice(&self, range: core::ops::Range<usize>) -> Slice<'a> {
        match *self {
            Slice::I8(x) => Slice::I8(&x[range]),
            Slice::I16(x) => Slice::I16(&x[range]),
            Slice::I32(x) => Slice::I32(&x[range]),
            Slice::I64(x) => Slice::I64(&x[range]),
            Slice::F32(x) => Slice::F32(&x[range]),
            Slice::F64(x) => Slice::F64(&x[range]),
        }
    }

    pub fn to_data(&self) -> Data {
        match *self {
            Slice::I8(x) => Data::I8(x.to_vec()),
            Slice::I16(x) => Data::I16(x.to_vec()),
            Slice::I32(x) => Data::I32(x.to_vec()),
            Slice::I64(x) => Data::I64(x.to_vec()),
            Slice::F32(x) => Data::F32(x.to_vec()),
            Slice::F64(x) => Data::F64(x.to_vec()),
        }
    }
}

impl SliceMut<'_> {
    pub fn dtype(&self) -> DType {
        match self {
            SliceMut::I8(_) => DType::I8,
            SliceMut::I16(_) => DType::I16,
            SliceMut::I32(_) => DType::I32,
            SliceMut::I64(_) => DType::I64,
            SliceMut::F32(_) => DType::F32,
            SliceMut::F64(_) => DType::F64,
        }
    }

    pub fn len(&self) -> usize {
        for_dtype!(SliceMut, self, x => x.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
