//! The code panel: the NumPy line, the JavaScript loop and the Rust kernels
//! of the chosen op, side by side, as they are in the source tree.

use lanes_kernels::{Op, Strategy};
use yew::prelude::*;

use crate::source;

#[derive(PartialEq, Properties)]
pub struct CodeProps {
    pub op: Op,
    pub strategy: Strategy,
}

fn block(title: &str, note: &str, code: Option<String>) -> Html {
    html! {
        <div class="code-block">
            <h4>{ title }</h4>
            if !note.is_empty() { <p class="muted">{ note }</p> }
            <pre><code>{ code.unwrap_or_else(|| "(none: nothing to compute)".into()) }</code></pre>
        </div>
    }
}

#[component]
pub fn CodePanel(p: &CodeProps) -> Html {
    let info = p.op.info();
    let (scalar, simd, js) = source::code(p.op, p.strategy);
    html! {
        <details class="code">
            <summary>{ format!("The code behind each rung ({} · {})", info.name, p.strategy.name()) }</summary>
            <div class="code-grid">
                { block("NumPy", "", Some(p.op.numpy(p.strategy).to_owned())) }
                { block("JavaScript (js-array and js-typed)", "web/js/baselines.js: the loop a person would write.", js) }
                { block("Rust: scalar and auto", "The same loop twice: scalar keeps SIMD off for it, auto compiles it with SIMD128 on.", scalar) }
                { block("Rust: simd (and simd-threads, which splits it across threads)", "Hand-written over a 128-bit lane trait.", simd) }
            </div>
        </details>
    }
}
