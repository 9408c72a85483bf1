//! The catalogue: operations, their strategies, the variant ladder, and
//! what each problem reads, writes and computes.

use crate::array::Shape;
use crate::dtype::DType;
use crate::error::Error;

/// Taps of the `convolve` kernel in the catalogue's experiments.
pub const CONV_TAPS: usize = 15;

/// A rung of the Rust/wasm ladder (the JavaScript rungs live in the worker).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variant {
    /// A plain loop with SIMD off for it: one element at a time.
    Scalar,
    /// The same loop with SIMD128 on: what the compiler vectorizes itself.
    Auto,
    /// Hand-written 128-bit SIMD.
    Simd,
    /// `Simd` split across a rayon pool.
    SimdThreads,
}

impl Variant {
    pub const ALL: [Variant; 4] = [
        Variant::Scalar,
        Variant::Auto,
        Variant::Simd,
        Variant::SimdThreads,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Variant::Scalar => "scalar",
            Variant::Auto => "auto",
            Variant::Simd => "simd",
            Variant::SimdThreads => "simd-threads",
        }
    }
}

impl core::str::FromStr for Variant {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Variant::ALL
            .into_iter()
            .find(|v| v.name() == s)
            .ok_or_else(|| Error::Parse {
                what: "variant",
                value: s.to_owned(),
                expected: "one of scalar, auto, simd, simd-threads",
            })
    }
}

/// How an op is computed, where the catalogue compares strategies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Strategy {
    /// The op's only strategy.
    Default,
    /// `m + v`: `v` broadcast over the rows, nothing materialized.
    Broadcast,
    /// `m + np.tile(v, (rows, 1))`: the full-size tile is built first.
    Tile,
    /// Matmul, textbook i-j-k loops.
    Ijk,
    /// Matmul, loops reordered i-k-j (contiguous inner loop).
    Ikj,
    /// Matmul, cache blocks and a register tile.
    Blocked,
    /// `m.sum(axis=1)`: along contiguous rows.
    Rows,
    /// `m.sum(axis=0)`: down strided columns.
    Columns,
    /// Transpose copy, row by row.
    Naive,
    /// Transpose copy, tile by tile.
    Tiled,
    /// `m.ravel()`: a view, nothing copied.
    View,
    /// `m.flatten()`: always a copy.
    Copy,
}

impl Strategy {
    pub const ALL: [Strategy; 12] = [
        Strategy::Default,
        Strategy::Broadcast,
        Strategy::Tile,
        Strategy::Ijk,
        Strategy::Ikj,
        Strategy::Blocked,
        Strategy::Rows,
        Strategy::Columns,
        Strategy::Naive,
        Strategy::Tiled,
        Strategy::View,
        Strategy::Copy,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Strategy::Default => "default",
            Strategy::Broadcast => "broadcast",
            Strategy::Tile => "tile",
            Strategy::Ijk => "ijk",
            Strategy::Ikj => "ikj",
            Strategy::Blocked => "blocked",
            Strategy::Rows => "rows",
            Strategy::Columns => "columns",
            Strategy::Naive => "naive",
            Strategy::Tiled => "tiled",
            Strategy::View => "view",
            Strategy::Copy => "copy",
        }
    }
}

impl core::str::FromStr for Strategy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Strategy::ALL
            .into_iter()
            .find(|v| v.name() == s)
            .ok_or_else(|| Error::Parse {
                what: "strategy",
                value: s.to_owned(),
                expected: "one of the op's strategies",
            })
    }
}

/// The operations of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    Add,
    Multiply,
    Axpy,
    Sqrt,
    Exp,
    AddScalar,
    AddRow,
    Sum,
    Max,
    Mean,
    Dot,
    Matmul,
    Sort,
    Where,
    Clip,
    Convolve,
    SumAxis,
    Transpose,
    Ravel,
}

/// The unit a result's throughput is best read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Bytes moved per second: memory-bound ops.
    Bytes,
    /// Elements per second: math functions and sorts.
    Elements,
    /// Floating-point operations per second: dot, matmul, convolve.
    Flops,
}

/// What an op is and what it offers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OpInfo {
    pub op: Op,
    pub name: &'static str,
    /// The chapter of "Making NumPy Sing" it belongs to (1..=5).
    pub chapter: u8,
    /// The NumPy expression, per strategy (same order as `strategies`).
    pub numpy: &'static [&'static str],
    pub strategies: &'static [Strategy],
    pub dtypes: &'static [DType],
    /// Problems of this op are 2-D (`Shape::Matrix`).
    pub matrix: bool,
    pub unit: Unit,
}

const ALL_DTYPES: &[DType] = &DType::ALL;
const FLOATS: &[DType] = &[DType::F32, DType::F64];
const DEFAULT: &[Strategy] = &[Strategy::Default];

macro_rules! info {
    ($op:ident, $name:literal, $ch:literal, [$($np:literal),*], $strats:expr, $dtypes:expr, $matrix:literal, $unit:ident) => {
        OpInfo {
            op: Op::$op,
            name: $name,
            chapter: $ch,
            numpy: &[$($np),*],
            strategies: $strats,
            dtypes: $dtypes,
            matrix: $matrix,
            unit: Unit::$unit,
        }
    };
}

impl Op {
    pub const ALL: [Op; 19] = [
        Op::Add,
        Op::Multiply,
        Op::Axpy,
        Op::Sqrt,
        Op::Exp,
        Op::AddScalar,
        Op::AddRow,
        Op::Sum,
        Op::Max,
        Op::Mean,
        Op::Dot,
        Op::Matmul,
        Op::Sort,
        Op::Where,
        Op::Clip,
        Op::Convolve,
        Op::SumAxis,
        Op::Transpose,
        Op::Ravel,
    ];

    pub const fn info(self) -> OpInfo {
        use Strategy as S;
        match self {
            Op::Add => info!(Add, "add", 1, ["a + b"], DEFAULT, ALL_DTYPES, false, Bytes),
            Op::Multiply => info!(
                Multiply,
                "multiply",
                1,
                ["a * b"],
                DEFAULT,
                ALL_DTYPES,
                false,
                Bytes
            ),
            Op::Axpy => info!(
                Axpy,
                "axpy",
                1,
                ["alpha * x + y"],
                DEFAULT,
                ALL_DTYPES,
                false,
                Bytes
            ),
            Op::Sqrt => info!(
                Sqrt,
                "sqrt",
                1,
                ["np.sqrt(a)"],
                DEFAULT,
                FLOATS,
                false,
                Elements
            ),
            Op::Exp => info!(
                Exp,
                "exp",
                1,
                ["np.exp(a)"],
                DEFAULT,
                FLOATS,
                false,
                Elements
            ),
            Op::AddScalar => info!(
                AddScalar,
                "add_scalar",
                2,
                ["a + s"],
                DEFAULT,
                ALL_DTYPES,
                false,
                Bytes
            ),
            Op::AddRow => info!(
                AddRow,
                "add_row",
                2,
                ["m + v", "m + np.tile(v, (m.shape[0], 1))"],
                &[S::Broadcast, S::Tile],
                ALL_DTYPES,
                true,
                Bytes
            ),
            Op::Sum => info!(
                Sum,
                "sum",
                3,
                ["np.sum(a)"],
                DEFAULT,
                ALL_DTYPES,
                false,
                Bytes
            ),
            Op::Max => info!(
                Max,
                "max",
                3,
                ["np.max(a)"],
                DEFAULT,
                ALL_DTYPES,
                false,
                Bytes
            ),
            Op::Mean => info!(
                Mean,
                "mean",
                3,
                ["np.mean(a)"],
                DEFAULT,
                ALL_DTYPES,
                false,
                Bytes
            ),
            Op::Dot => info!(
                Dot,
                "dot",
                3,
                ["np.dot(a, b)"],
                DEFAULT,
                ALL_DTYPES,
                false,
                Flops
            ),
            Op::Matmul => info!(
                Matmul,
                "matmul",
                3,
                [
                    "a @ b (i-j-k loops)",
                    "a @ b (i-k-j loops)",
                    "a @ b (blocked)"
                ],
                &[S::Ijk, S::Ikj, S::Blocked],
                FLOATS,
                true,
                Flops
            ),
            Op::Sort => info!(
                Sort,
                "sort",
                3,
                ["np.sort(a)"],
                DEFAULT,
                ALL_DTYPES,
                false,
                Elements
            ),
            Op::Where => info!(
                Where,
                "where",
                3,
                ["np.where(a > 0, a, b)"],
                DEFAULT,
                ALL_DTYPES,
                false,
                Bytes
            ),
            Op::Clip => info!(
                Clip,
                "clip",
                3,
                ["np.clip(a, lo, hi)"],
                DEFAULT,
                ALL_DTYPES,
                false,
                Bytes
            ),
            Op::Convolve => info!(
                Convolve,
                "convolve",
                3,
                ["np.convolve(a, k, mode='valid')"],
                DEFAULT,
                FLOATS,
                false,
                Flops
            ),
            Op::SumAxis => info!(
                SumAxis,
                "sum_axis",
                5,
                ["m.sum(axis=1)", "m.sum(axis=0)"],
                &[S::Rows, S::Columns],
                ALL_DTYPES,
                true,
                Bytes
            ),
            Op::Transpose => info!(
                Transpose,
                "transpose",
                5,
                ["m.T.copy()", "m.T.copy()"],
                &[S::Naive, S::Tiled],
                ALL_DTYPES,
                true,
                Bytes
            ),
            Op::Ravel => info!(
                Ravel,
                "ravel",
                5,
                ["m.ravel()", "m.flatten()"],
                &[S::View, S::Copy],
                ALL_DTYPES,
                true,
                Bytes
            ),
        }
    }

    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// The NumPy expression of one of the op's strategies.
    pub fn numpy(self, strategy: Strategy) -> &'static str {
        let info = self.info();
        let k = info
            .strategies
            .iter()
            .position(|s| *s == strategy)
            .unwrap_or(0);
        info.numpy[k]
    }

    /// Whether the op produces one number (a reduction to a 0-d array).
    pub const fn is_reduction(self) -> bool {
        matches!(self, Op::Sum | Op::Max | Op::Mean | Op::Dot)
    }

    /// The rungs this (op, strategy, dtype) offers, in ladder order. Empty
    /// when the op does not take the strategy or the dtype.
    pub fn variants(self, strategy: Strategy, dtype: DType) -> Vec<Variant> {
        Variant::ALL
            .into_iter()
            .filter(|&v| self.supports(strategy, dtype, v))
            .collect()
    }

    /// Whether the op has this rung for (strategy, dtype). Allocates nothing:
    /// `dispatch::run` asks on every call.
    pub fn supports(self, strategy: Strategy, dtype: DType, variant: Variant) -> bool {
        let info = self.info();
        if !info.strategies.contains(&strategy) || !info.dtypes.contains(&dtype) {
            return false;
        }
        use Strategy as S;
        use Variant as V;
        let serial = matches!(variant, V::Scalar | V::Auto);
        let simd = matches!(variant, V::Simd | V::SimdThreads);
        match (self, strategy) {
            // NumPy accumulates int64 means in float64; SIMD128 has no
            // int64 -> float64 conversion, so this one stays serial.
            (Op::Mean, _) if dtype == DType::I64 => serial,
            (Op::Matmul, S::Ijk) | (Op::Transpose, S::Naive) => serial,
            // A plain copy loop is turned into `memcpy` by the compiler: it would
            // be neither scalar nor auto-vectorized, so only the SIMD rungs.
            (Op::Matmul, S::Blocked) | (Op::Ravel, S::Copy) => simd,
            (Op::Sort, _) | (Op::Ravel, S::View) => variant == V::Scalar,
            // Column sums of narrow integers would need widening lanes.
            (Op::SumAxis, S::Columns) if dtype.sum_dtype() != dtype => serial,
            _ => true,
        }
    }
}

impl core::str::FromStr for Op {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Op::ALL.into_iter().find(|o| o.name() == s).ok_or_else(|| Error::Parse {
            what: "op",
            value: s.to_owned(),
            expected: "an op of the catalogue (add, multiply, axpy, sqrt, exp, add_scalar, add_row, sum, max, mean, dot, matmul, sort, where, clip, convolve, sum_axis, transpose, ravel)",
        })
    }
}

/// An input or output array of a problem.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Operand {
    pub name: &'static str,
    pub dtype: DType,
    pub shape: Shape,
}

impl Operand {
    /// Bytes of the array, in 64 bits: on wasm32 a problem's total can
    /// pass `usize::MAX` even when each array fits.
    /// Saturates for shapes nothing could allocate (problems refuse those).
    pub fn nbytes(&self) -> u64 {
        (self.shape.len() as u64).saturating_mul(self.dtype.itemsize() as u64)
    }
}

/// The input arrays of a problem: one or two, held inline so that asking
/// for them (as `dispatch::run` does on every call) allocates nothing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Operands {
    items: [Operand; 2],
    len: usize,
}

impl Operands {
    fn one(a: Operand) -> Operands {
        Operands {
            items: [a, a],
            len: 1,
        }
    }
    fn two(a: Operand, b: Operand) -> Operands {
        Operands {
            items: [a, b],
            len: 2,
        }
    }
}

impl core::ops::Deref for Operands {
    type Target = [Operand];
    fn deref(&self) -> &[Operand] {
        &self.items[..self.len]
    }
}

/// What one run of a problem moves and computes.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Cost {
    pub bytes_read: f64,
    pub bytes_written: f64,
    /// Arithmetic operations (adds, multiplies, compares).
    pub flops: f64,
    /// Elements of the result the op is "about" (for Gelem/s).
    pub elements: f64,
}

/// One experiment's problem: an op, a strategy, a dtype and a shape, checked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Problem {
    pub op: Op,
    pub strategy: Strategy,
    pub dtype: DType,
    pub shape: Shape,
}

impl Problem {
    /// Checks that the op takes this strategy, dtype and shape.
    pub fn new(op: Op, strategy: Strategy, dtype: DType, shape: Shape) -> Result<Problem, Error> {
        let info = op.info();
        let list = |xs: &mut dyn Iterator<Item = &'static str>| xs.collect::<Vec<_>>().join(", ");
        if !info.strategies.contains(&strategy) {
            return Err(Error::Strategy {
                op: info.name,
                strategy: strategy.name(),
                accepted: list(&mut info.strategies.iter().map(|s| s.name())),
            });
        }
        if !info.dtypes.contains(&dtype) {
            return Err(Error::DType {
                op: info.name,
                dtype: dtype.name(),
                accepted: list(&mut info.dtypes.iter().map(|d| d.name())),
            });
        }
        match (info.matrix, shape) {
            (true, Shape::Vector(_)) => {
                return Err(Error::Shape(format!(
                    "{} needs a 2-D shape (rows, cols)",
                    info.name
                )));
            }
            (false, Shape::Matrix(..)) => {
                return Err(Error::Shape(format!(
                    "{} needs a 1-D shape (n,)",
                    info.name
                )));
            }
            _ => {}
        }
        let problem = Problem {
            op,
            strategy,
            dtype,
            shape,
        };
        // Derived operands too: matmul's output is rows x rows.
        let addressable = |o: &Operand| {
            o.shape
                .checked_len()
                .and_then(|n| n.checked_mul(o.dtype.itemsize()))
                .is_some()
        };
        if !(problem.inputs().iter().all(addressable) && addressable(&problem.output())) {
            // Counted in floating point: the count itself may not fit.
            let bytes = |o: &Operand| {
                let dims: f64 = o.shape.dims().iter().map(|&d| d as f64).product();
                dims * o.dtype.itemsize() as f64
            };
            let need: f64 =
                problem.inputs().iter().map(bytes).sum::<f64>() + bytes(&problem.output());
            return Err(Error::Shape(format!(
                "shape {shape} needs {:.1} GB, more than a {}-bit memory can address",
                need / 1e9,
                usize::BITS
            )));
        }
        if op == Op::Convolve && shape.len() < CONV_TAPS {
            return Err(Error::Shape(format!(
                "convolve with {CONV_TAPS} taps needs at least {CONV_TAPS} elements, not {}",
                shape.len()
            )));
        }
        Ok(problem)
    }

    /// The input arrays, in the order `dispatch::run` takes them.
    pub fn inputs(&self) -> Operands {
        let (dtype, shape) = (self.dtype, self.shape);
        let op = |name, shape| Operand { name, dtype, shape };
        let (r, c) = match shape {
            Shape::Matrix(r, c) => (r, c),
            Shape::Vector(n) => (n, 1),
        };
        match self.op {
            Op::Add | Op::Multiply | Op::Dot | Op::Where => {
                Operands::two(op("a", shape), op("b", shape))
            }
            Op::Axpy => Operands::two(op("x", shape), op("y", shape)),
            Op::Convolve => Operands::two(op("a", shape), op("k", Shape::Vector(CONV_TAPS))),
            Op::AddRow => Operands::two(op("m", shape), op("v", Shape::Vector(c))),
            Op::Matmul => Operands::two(op("a", shape), op("b", Shape::Matrix(c, r))),
            Op::SumAxis | Op::Transpose | Op::Ravel => Operands::one(op("m", shape)),
            _ => Operands::one(op("a", shape)),
        }
    }

    /// The output array (0-d reductions have shape `Vector(1)`).
    pub fn output(&self) -> Operand {
        let (dtype, shape) = (self.dtype, self.shape);
        let (r, c) = match shape {
            Shape::Matrix(r, c) => (r, c),
            Shape::Vector(n) => (n, 1),
        };
        let (dtype, shape) = match (self.op, self.strategy) {
            (Op::Sum, _) => (dtype.sum_dtype(), Shape::Vector(1)),
            (Op::Mean, _) => (dtype.mean_dtype(), Shape::Vector(1)),
            (Op::Max | Op::Dot, _) => (dtype, Shape::Vector(1)),
            (Op::Matmul, _) => (dtype, Shape::Matrix(r, r)),
            (Op::Convolve, _) => (
                dtype,
                Shape::Vector(shape.len().saturating_sub(CONV_TAPS - 1)),
            ),
            (Op::SumAxis, Strategy::Rows) => (dtype.sum_dtype(), Shape::Vector(r)),
            (Op::SumAxis, _) => (dtype.sum_dtype(), Shape::Vector(c)),
            (Op::Transpose, _) => (dtype, Shape::Matrix(c, r)),
            // A view: the result is the input itself, nothing is written.
            (Op::Ravel, Strategy::View) => (dtype, Shape::Vector(0)),
            (Op::Ravel, _) => (dtype, Shape::Vector(shape.len())),
            _ => (dtype, shape),
        };
        Operand {
            name: "out",
            dtype,
            shape,
        }
    }

    /// Bytes of all inputs and the output together.
    pub fn total_bytes(&self) -> u64 {
        self.inputs()
            .iter()
            .map(Operand::nbytes)
            .fold(self.output().nbytes(), u64::saturating_add)
    }

    /// Bytes of temporaries a strategy allocates (the tile of `add_row`).
    pub fn temp_bytes(&self) -> u64 {
        let item = self.dtype.itemsize() as u64;
        match (self.op, self.strategy, self.shape) {
            (Op::AddRow, Strategy::Tile, _) => (self.shape.len() as u64).saturating_mul(item),
            // The packed panel of `b` (one per thread of simd-threads).
            (Op::Matmul, Strategy::Blocked, Shape::Matrix(r, c)) => {
                let lanes = 16 / self.dtype.itemsize();
                (crate::simd::matmul::pack_len(c, r, lanes) as u64).saturating_mul(item)
            }
            _ => 0,
        }
    }

    /// What one run reads, writes and computes.
    pub fn cost(&self) -> Cost {
        let read: f64 = self.inputs().iter().map(|o| o.nbytes() as f64).sum();
        let out = self.output();
        let written = out.nbytes() as f64;
        let n = self.shape.len() as f64;
        let temp = self.temp_bytes() as f64;
        let (bytes_read, bytes_written, flops, elements) = match self.op {
            Op::Axpy => (read, written, 2.0 * n, n),
            Op::Dot => (read, written, 2.0 * n, n),
            Op::Matmul => {
                let (r, c) = match self.shape {
                    Shape::Matrix(r, c) => (r as f64, c as f64),
                    Shape::Vector(n) => (n as f64, 1.0),
                };
                (read, written, 2.0 * r * c * r, r * r)
            }
            Op::Convolve => {
                let m = out.shape.len() as f64;
                (read, written, 2.0 * CONV_TAPS as f64 * m, m)
            }
            Op::Sort => (read, written, n * n.max(2.0).log2(), n),
            Op::AddRow => (read + temp, written + temp, n, n),
            Op::Ravel if self.strategy == Strategy::View => (0.0, 0.0, 0.0, n),
            Op::Transpose | Op::Ravel => (read, written, 0.0, n),
            _ => (read, written, n, n),
        };
        Cost {
            bytes_read,
            bytes_written,
            flops,
            elements,
        }
    }
}

impl core::fmt::Display for Variant {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}
