//! Stateless leaf components: data and callbacks in, HTML out. The widget's
//! face (`embed`) is built without the playground feature, the rest with it.

use lanes_harness::protocol::Rung;

#[cfg(feature = "playground")]
pub mod code;
#[cfg(feature = "playground")]
pub mod controls;
#[cfg(not(feature = "playground"))]
pub mod embed;
#[cfg(feature = "playground")]
pub mod embed_code;
#[cfg(feature = "playground")]
pub mod env_card;
#[cfg(feature = "playground")]
pub mod intro;
#[cfg(feature = "playground")]
pub mod results;
#[cfg(feature = "playground")]
pub mod sweep;

/// `1 000 000`: digits grouped by thousands.
pub fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(ch);
    }
    out
}

pub fn swatch(r: Rung) -> String {
    let c = crate::chart::color(r);
    format!("background: rgb({}, {}, {})", c.0, c.1, c.2)
}
