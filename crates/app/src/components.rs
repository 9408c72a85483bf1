//! Stateless leaf components: data and callbacks in, HTML out. The widget's
//! face (`embed`) is built without the playground feature, the rest with it.

use lanes_harness::protocol::{Rung, format_bytes};
use yew::prelude::*;

use crate::state::Live;

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

/// What a run waits for before it starts (CPython's download, then its
/// start), as a progress bar with the bytes; `None` when it waits for
/// nothing.
pub fn loading_bar(live: &Live) -> Option<Html> {
    let (stage, bytes, total) = live.loading.as_ref()?;
    let text = if bytes < total {
        format!(
            "{stage}: {} of {}",
            format_bytes(*bytes),
            format_bytes(*total)
        )
    } else {
        format!("{stage}…")
    };
    // Once every byte is in, the start has no measure: an indeterminate bar.
    let value = (bytes < total).then(|| bytes.to_string());
    Some(html! {
        <span class="loading" role="status">
            <progress max={(*total).max(1).to_string()} value={value} aria-label="Loading Python"></progress>
            <span class="muted">{ text }</span>
        </span>
    })
}
