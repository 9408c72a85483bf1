//! Stateless leaf components: data and callbacks in, HTML out.

pub mod code;
pub mod controls;
pub mod env_card;
pub mod intro;
pub mod results;
pub mod sweep;
