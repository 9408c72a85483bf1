//! The Lanes playground: one reducer of state, stateless components, and
//! the measurement worker behind `window.lanes`. No kernel runs here.

// A binary: `pub` marks what modules share, there is no outside to reach.
#![allow(unreachable_pub)]

// What only the playground shows is built only with its feature: the
// widget's build compiles none of it, so dead code is a warning in both.
#[cfg(feature = "playground")]
mod app;
mod chapters;
mod chart;
mod components;
#[cfg(feature = "playground")]
mod export;
mod hooks;
mod lanes;
#[cfg(feature = "playground")]
mod source;
mod state;
mod url;

#[cfg(all(test, target_arch = "wasm32", feature = "playground"))]
mod component_tests;

/// The playground (the default feature) or, built without it, the widget
/// (`embed.html`): one binary, two faces; what the widget does not reach is
/// dropped at link time, which keeps it small.
#[cfg(feature = "playground")]
fn main() {
    yew::Renderer::<app::App>::new().render();
}

#[cfg(not(feature = "playground"))]
fn main() {
    yew::Renderer::<components::embed::Embed>::new().render();
}
