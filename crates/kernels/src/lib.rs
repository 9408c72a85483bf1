//! Lanes kernels: every operation of the catalogue in a ladder of
//! implementations, with NumPy's semantics.
//!
//! - [`scalar`]: plain loops that stay scalar (SIMD off for them),
//! - [`auto`]: the same loops with SIMD128 on (compiler auto-vectorization),
//! - [`simd`]: hand-written 128-bit SIMD over the [`lanes::Lanes`] trait,
//! - [`par`]: `simd` across a rayon pool, with the thread count an argument.
//!
//! [`dispatch::run`] runs any (op, strategy, variant, dtype) on tagged
//! slices; [`reference`] is the naive, obviously right version the tests and
//! the worker check every variant against.
//!
//! The crate is compiled without a global `+simd128`: on wasm32 the `auto`
//! and `simd` entry points enable it per function, so `scalar` stays scalar.
//! A check on the built wasm (`cargo xtask test`) proves both.

pub mod array;
pub mod auto;
pub mod dispatch;
pub mod dtype;
pub mod error;
pub mod lanes;
pub mod op;
pub mod par;
pub mod scalar;
pub mod simd;

pub use array::{Array, Data, Raveled, Shape, Slice, SliceMut, Tagged, View};
pub use dispatch::{Outcome, Params, run};
pub use dtype::{DType, Element, Float};
pub use error::Error;
pub use op::{CONV_TAPS, Cost, Op, OpInfo, Operand, Operands, Problem, Strategy, Unit, Variant};
