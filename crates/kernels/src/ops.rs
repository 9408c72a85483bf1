//! The operations of the catalogue, one file each: `ops/<op>.rs` holds the
//! op's row (`ROW`), its plain loop, its SIMD kernel, and `run`, which
//! picks the rung. The list below is the only other place an op is named:
//! it makes the [`Op`] enum, and the compiler then asks every file for its
//! row and its `run`.

use crate::catalogue::{Row, Strategy, Variant, parse};
use crate::dispatch::{Call, Outcome};
use crate::dtype::DType;
use crate::error::Error;

macro_rules! catalogue {
    ($($module:ident: $op:ident,)*) => {
        $(pub mod $module;)*

        /// The operations of the catalogue.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Op {
            $($op,)*
        }

        impl Op {
            pub const ALL: [Op; [$(stringify!($op)),*].len()] = [$(Op::$op,)*];

            /// The op's row of the catalogue.
            pub const fn row(self) -> &'static Row {
                match self {
                    $(Op::$op => &$module::ROW,)*
                }
            }

            /// Runs the op's kernel (`dispatch::run` checked the call).
            pub(crate) fn run(self, call: Call<'_>) -> Result<Outcome, Error> {
                match self {
                    $(Op::$op => $module::run(call),)*
                }
            }
        }
    };
}

catalogue! {
    add: Add,
    multiply: Multiply,
    minimum: Minimum,
    axpy: Axpy,
    sqrt: Sqrt,
    exp: Exp,
    add_scalar: AddScalar,
    add_row: AddRow,
    sum: Sum,
    max: Max,
    mean: Mean,
    dot: Dot,
    matmul: Matmul,
    sort: Sort,
    r#where: Where,
    clip: Clip,
    convolve: Convolve,
    sum_axis: SumAxis,
    transpose: Transpose,
    ravel: Ravel,
}

impl Op {
    pub const fn name(self) -> &'static str {
        self.row().name
    }

    /// The NumPy expression of one of the op's strategies.
    pub fn numpy(self, strategy: Strategy) -> &'static str {
        let row = self.row();
        row.form(strategy).unwrap_or(&row.forms[0]).numpy
    }

    /// Whether the op produces one number (a reduction to a 0-d array).
    pub fn is_reduction(self) -> bool {
        self.row().is_reduction()
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
        let row = self.row();
        row.dtypes.contains(&dtype)
            && row
                .form(strategy)
                .is_some_and(|f| f.rungs_for(dtype).has(variant))
    }
}

impl core::fmt::Display for Op {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for Op {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        parse("op", s, Op::ALL, Op::name)
    }
}
