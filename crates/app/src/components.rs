//! Stateless leaf components: data and callbacks in, HTML out.

pub mod code;
pub mod controls;
// The widget's face: only the build without `playground` renders it.
#[cfg_attr(feature = "playground", allow(dead_code))]
pub mod embed;
pub mod embed_code;
pub mod env_card;
pub mod intro;
pub mod results;
pub mod sweep;
