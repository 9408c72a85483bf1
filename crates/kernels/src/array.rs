//! Dtype-tagged arrays: owned buffers, borrowed slices, and strided views.

use crate::dtype::{DType, Element};
use crate::error::Error;

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

/// An owned array: a buffer and a row-major shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Array {
    data: Data,
    shape: Shape,
}

impl Array {
    pub fn new(data: Data, shape: Shape) -> Result<Array, Error> {
        if shape.checked_len() != Some(data.len()) {
            return Err(Error::Shape(format!(
                "a buffer of {} elements cannot have shape {shape}",
                data.len()
            )));
        }
        Ok(Array { data, shape })
    }

    pub fn zeros(dtype: DType, shape: Shape) -> Array {
        Array {
            data: Data::zeros(dtype, shape.len()),
            shape,
        }
    }

    pub fn data(&self) -> &Data {
        &self.data
    }

    pub fn data_mut(&mut self) -> &mut Data {
        &mut self.data
    }

    pub fn shape(&self) -> Shape {
        self.shape
    }

    pub fn dtype(&self) -> DType {
        self.data.dtype()
    }

    /// NumPy's `nbytes`: elements times itemsize.
    pub fn nbytes(&self) -> usize {
        self.shape.len() * self.dtype().itemsize()
    }

    /// A C-contiguous view of the whole array.
    pub fn view(&self) -> View<'_> {
        let strides = match self.shape {
            Shape::Vector(_) => [1, 0],
            Shape::Matrix(_, c) => [c, 1],
        };
        View {
            data: self.data.as_slice(),
            shape: self.shape,
            strides,
        }
    }
}

/// A strided view of a buffer (`strides` in elements, row then column).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View<'a> {
    data: Slice<'a>,
    shape: Shape,
    strides: [usize; 2],
}

/// What `ravel` gives: a view when the data is already in row-major order,
/// otherwise a copy (exactly NumPy's rule).
#[derive(Clone, Debug, PartialEq)]
pub enum Raveled<'a> {
    View(Slice<'a>),
    Copy(Data),
}

impl<'a> View<'a> {
    pub fn shape(&self) -> Shape {
        self.shape
    }

    pub fn dtype(&self) -> DType {
        self.data.dtype()
    }

    pub fn nbytes(&self) -> usize {
        self.shape.len() * self.dtype().itemsize()
    }

    /// NumPy's `flags['C_CONTIGUOUS']`.
    pub fn is_c_contiguous(&self) -> bool {
        match self.shape {
            Shape::Vector(n) => n <= 1 || self.strides[0] == 1,
            Shape::Matrix(r, c) => {
                (c <= 1 || self.strides[1] == 1) && (r <= 1 || self.strides[0] == c)
            }
        }
    }

    /// `a.T`: a view with the axes swapped, no data moved.
    pub fn t(self) -> View<'a> {
        match self.shape {
            Shape::Vector(_) => self,
            Shape::Matrix(r, c) => View {
                data: self.data,
                shape: Shape::Matrix(c, r),
                strides: [self.strides[1], self.strides[0]],
            },
        }
    }

    /// Offset of element `(i, j)` in the buffer.
    fn offset(&self, i: usize, j: usize) -> usize {
        i * self.strides[0] + j * self.strides[1]
    }

    /// Element `index` in row-major order, as `f64`.
    pub fn get_f64(&self, index: usize) -> f64 {
        match self.shape {
            Shape::Vector(_) => self.data.get_f64(self.offset(index, 0)),
            Shape::Matrix(_, c) => self.data.get_f64(self.offset(index / c, index % c)),
        }
    }

    /// `a.ravel()`: a view if C-contiguous, a row-major copy otherwise.
    pub fn ravel(self) -> Raveled<'a> {
        if self.is_c_contiguous() {
            return Raveled::View(self.data.slice(0..self.shape.len()));
        }
        Raveled::Copy(self.flatten())
    }

    /// `a.flatten()`: always a row-major copy.
    pub fn flatten(self) -> Data {
        let (r, c) = match self.shape {
            Shape::Vector(n) => (n, 1),
            Shape::Matrix(r, c) => (r, c),
        };
        let strides = self.strides;
        for_dtype!(Slice, self.data, x => {
            let mut out = Vec::with_capacity(r * c);
            for i in 0..r {
                for j in 0..c {
                    out.push(x[i * strides[0] + j * strides[1]]);
                }
            }
            Tagged::wrap_vec(out)
        })
    }
}
