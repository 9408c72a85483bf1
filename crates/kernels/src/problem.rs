//! One experiment's problem, checked against its op's row, and what it
//! reads, writes and computes (all of it read from the row).

use crate::array::Shape;
use crate::catalogue::{CONV_TAPS, Flops, Form, InShape, OutShape, Strategy};
use crate::dtype::DType;
use crate::error::Error;
use crate::ops::Op;

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

/// `(rows, cols)` of a shape (`(n, 1)` for a vector).
fn rc(shape: Shape) -> (usize, usize) {
    match shape {
        Shape::Matrix(r, c) => (r, c),
        Shape::Vector(n) => (n, 1),
    }
}

impl Problem {
    /// Checks that the op takes this strategy, dtype and shape.
    pub fn new(op: Op, strategy: Strategy, dtype: DType, shape: Shape) -> Result<Problem, Error> {
        let row = op.row();
        let list = |xs: &mut dyn Iterator<Item = &'static str>| xs.collect::<Vec<_>>().join(", ");
        if row.form(strategy).is_none() {
            return Err(Error::Strategy {
                op: row.name,
                strategy: strategy.name(),
                accepted: list(&mut row.strategies().map(Strategy::name)),
            });
        }
        if !row.dtypes.contains(&dtype) {
            return Err(Error::DType {
                op: row.name,
                dtype: dtype.name(),
                accepted: list(&mut row.dtypes.iter().map(|d| d.name())),
            });
        }
        match (row.matrix, shape) {
            (true, Shape::Vector(_)) => {
                return Err(Error::Shape(format!(
                    "{} needs a 2-D shape (rows, cols)",
                    row.name
                )));
            }
            (false, Shape::Matrix(..)) => {
                return Err(Error::Shape(format!("{} needs a 1-D shape (n,)", row.name)));
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
        if shape.len() < row.min_len {
            return Err(Error::Shape(format!(
                "{} needs at least {} elements, not {}",
                row.name,
                row.min_len,
                shape.len()
            )));
        }
        Ok(problem)
    }

    /// The problem's form (`Problem::new` checked that the op has it).
    pub fn form(&self) -> &'static Form {
        let row = self.op.row();
        row.form(self.strategy).unwrap_or(&row.forms[0])
    }

    /// The input arrays, in the order `dispatch::run` takes them.
    pub fn inputs(&self) -> Operands {
        let (r, c) = rc(self.shape);
        let ins = self.op.row().inputs;
        let operand = |i: usize| {
            let input = ins[i.min(ins.len() - 1)];
            let shape = match input.shape {
                InShape::Same => self.shape,
                InShape::Row => Shape::Vector(c),
                InShape::Taps => Shape::Vector(CONV_TAPS),
                InShape::Transposed => Shape::Matrix(c, r),
            };
            Operand {
                name: input.name,
                dtype: self.dtype,
                shape,
            }
        };
        Operands {
            items: [operand(0), operand(1)],
            len: ins.len().min(2),
        }
    }

    /// The output array (0-d reductions have shape `Vector(1)`).
    pub fn output(&self) -> Operand {
        let (r, c) = rc(self.shape);
        let shape = match self.form().output {
            OutShape::Same => self.shape,
            OutShape::Scalar => Shape::Vector(1),
            OutShape::Square => Shape::Matrix(r, r),
            OutShape::Valid => Shape::Vector(self.shape.len().saturating_sub(CONV_TAPS - 1)),
            OutShape::PerRow => Shape::Vector(r),
            OutShape::PerColumn => Shape::Vector(c),
            OutShape::Transposed => Shape::Matrix(c, r),
            OutShape::Flat => Shape::Vector(self.shape.len()),
            OutShape::View => Shape::Vector(0),
        };
        Operand {
            name: "out",
            dtype: self.op.row().out_dtype.of(self.dtype),
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
        (self.form().temp)(self.shape, self.dtype)
    }

    /// What one run reads, writes and computes. A temporary is written
    /// once and read once.
    pub fn cost(&self) -> Cost {
        let n = self.shape.len() as f64;
        if self.form().output == OutShape::View {
            return Cost {
                elements: n,
                ..Cost::default()
            };
        }
        let temp = self.temp_bytes() as f64;
        let read: f64 = self.inputs().iter().map(|o| o.nbytes() as f64).sum();
        let out = self.output();
        let (r, c) = rc(self.shape);
        let (flops, elements) = match self.op.row().flops {
            Flops::PerElement(k) => (k * n, n),
            Flops::PerOutput(k) => {
                let m = out.shape.len() as f64;
                (k * m, m)
            }
            Flops::Matmul => {
                let (r, c) = (r as f64, c as f64);
                (2.0 * r * c * r, r * r)
            }
            Flops::NLogN => (n * n.max(2.0).log2(), n),
        };
        Cost {
            bytes_read: read + temp,
            bytes_written: out.nbytes() as f64 + temp,
            flops,
            elements,
        }
    }
}
