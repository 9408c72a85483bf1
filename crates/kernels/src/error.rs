//! The one error type of the crate: every bad request is a value, not a panic.

use core::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// A text that is not a known name (dtype, op, strategy, variant).
    Parse {
        what: &'static str,
        value: String,
        expected: String,
    },
    /// An op that does not accept this dtype.
    DType {
        op: &'static str,
        dtype: &'static str,
        accepted: String,
    },
    /// A strategy that is not one of the op's.
    Strategy {
        op: &'static str,
        strategy: &'static str,
        accepted: String,
    },
    /// A (strategy, dtype) pair that has no such rung.
    Variant {
        op: &'static str,
        strategy: &'static str,
        dtype: &'static str,
        variant: &'static str,
    },
    /// Shapes that do not fit the op or each other.
    Shape(String),
    /// `np.max` of an empty array.
    Empty(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse {
                what,
                value,
                expected,
            } => {
                write!(f, "unknown {what} {value:?}: expected {expected}")
            }
            Error::DType {
                op,
                dtype,
                accepted,
            } => {
                write!(f, "{op} does not take {dtype} arrays (it takes {accepted})")
            }
            Error::Strategy {
                op,
                strategy,
                accepted,
            } => {
                write!(f, "{op} has no strategy {strategy:?} (it has {accepted})")
            }
            Error::Variant {
                op,
                strategy,
                dtype,
                variant,
            } => {
                write!(f, "{op} ({strategy}) has no {variant} version for {dtype}")
            }
            Error::Shape(msg) => f.write_str(msg),
            Error::Empty(op) => {
                write!(
                    f,
                    "{op} of an empty array has no value (NumPy raises ValueError)"
                )
            }
        }
    }
}

impl std::error::Error for Error {}
