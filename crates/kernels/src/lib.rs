//! Lanes kernels: every operation of the catalogue in a ladder of
//! implementations, with NumPy's semantics.
//!
//! Each op is one file, `ops/<op>.rs`: its row of the catalogue, its plain
//! loop (the `scalar` and `auto` rungs, see [`rung`]), its hand-written
//! 128-bit SIMD kernel over the [`lanes::Lanes`] trait (`simd`), and the
//! choice of rung; `simd-threads` is one generic split over the `simd`
//! kernel ([`par`]). [`dispatch::run`] runs any (op, strategy, variant,
//! dtype) on tagged slices; the reference crate is the naive, obviously
//! right version the tests and the worker check every variant against.
//!
//! Layers, each importing only those before it: `error`, then `dtype` and
//! `lanes` (the ground floor), `array`, the machinery the kernels share
//! (`rung`, `simd`, `pairwise`, `par`), the catalogue's vocabulary, the ops,
//! and `problem` and `dispatch` over them.
//!
//! The crate is compiled without a global `+simd128`: on wasm32 the `auto`
//! and `simd` entry points enable it per function, so `scalar` stays scalar.
//! A check on the built wasm (`cargo xtask test`) proves both.

pub mod array;
pub mod catalogue;
pub mod dispatch;
pub mod dtype;
pub mod error;
pub mod lanes;
pub mod ops;
pub mod pairwise;
pub mod par;
pub mod problem;
pub mod rung;
pub mod simd;

pub use array::{Data, Shape, Slice, SliceMut, Tagged};
pub use catalogue::{CONV_TAPS, Form, Row, Strategy, Unit, Variant};
pub use dispatch::{Outcome, Params, run};
pub use dtype::{DType, Element, Float};
pub use error::Error;
pub use ops::Op;
pub use par::{Par, Team};
pub use problem::{Cost, Operand, Operands, Problem};
