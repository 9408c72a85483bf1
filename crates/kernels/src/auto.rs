//! The `auto` rung: the very loops of [`crate::scalar`], compiled with SIMD128
//! enabled, and no barrier: whatever the compiler vectorizes by itself.
//! (Float reductions stay scalar: reordering a float sum changes its result,
//! so the compiler may not do it.)

use crate::dtype::{Element, Float};
use crate::scalar::{Plain, entries, loops};

loops!(
    entries!(#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))] keep = Plain;)
);
