//! The Lanes playground: one reducer of state, stateless components, and
//! the measurement worker behind `window.lanes`. No kernel runs here.

// A binary: `pub` marks what modules share, there is no outside to reach.
#![allow(unreachable_pub)]
// The widget build leaves the playground's parts unused.
#![cfg_attr(not(feature = "playground"), allow(dead_code, unused_imports))]

mod chapters;
mod chart;
mod components;
mod export;
mod hooks;
mod lanes;
mod source;
mod state;
mod url;

#[cfg(all(test, target_arch = "wasm32"))]
mod component_tests;

use yew::prelude::*;

use crate::components::code::CodePanel;
use crate::components::controls::{Controls, Worker};
use crate::components::embed_code::EmbedCode;
use crate::components::env_card::EnvCard;
use crate::components::intro::Intro;
use crate::components::results::Results;
use crate::components::sweep::SweepPanel;
use crate::state::{Action, Status};

#[component]
fn App() -> Html {
    let state = use_reducer(hooks::initial_state);
    hooks::use_environment(state.dispatcher());
    hooks::use_permalink(&state.config);
    hooks::use_theme(state.dark);
    let runner = hooks::use_runner(state.dispatcher(), state.config.clone());
    let run = runner.run.clone();
    let running = state.live.status == Status::Running
        || state
            .sweep
            .as_ref()
            .is_some_and(|s| s.status == Status::Running);
    let d = state.dispatcher();
    let on_action = Callback::from(move |a| d.dispatch(a));
    let on_chapter = {
        let d = state.dispatcher();
        Callback::from(move |c| d.dispatch(Action::Chapter(c)))
    };
    let on_try = {
        let (d, config) = (state.dispatcher(), state.config.clone());
        let run = run.clone();
        Callback::from(move |()| {
            d.dispatch(Action::Chapter(config.chapter));
            run.emit(Some(config.to_chapter(config.chapter)));
        })
    };
    let on_run = {
        let run = run.clone();
        Callback::from(move |()| run.emit(None))
    };
    let on_stop = runner.stop.clone();
    let on_sweep = runner.sweep.clone();
    let on_theme = {
        let (d, dark) = (state.dispatcher(), state.dark);
        Callback::from(move |_| d.dispatch(Action::Dark(!dark)))
    };
    let on_export = {
        let state = state.clone();
        Callback::from(move |kind: &'static str| {
            let live = &state.live;
            let stem = live.info.as_ref().map_or("lanes".to_owned(), |i| {
                format!(
                    "lanes-{}-{}-{}",
                    i.op,
                    i.dtype,
                    i.shape
                        .iter()
                        .map(usize::to_string)
                        .collect::<Vec<_>>()
                        .join("x")
                )
            });
            let (content, mime) = match kind {
                "json" => (export::json(live, state.env.as_ref()), "application/json"),
                "csv" => (export::csv(live), "text/csv"),
                _ => (
                    chart::time_chart(
                        live,
                        &live
                            .info
                            .as_ref()
                            .map(|i| i.variants.clone())
                            .unwrap_or_default(),
                        state.dark,
                        &[],
                    )
                    .ok(),
                    "image/svg+xml",
                ),
            };
            if let Some(c) = content {
                let _ = export::download(&format!("{stem}.{kind}"), mime, &c);
            }
        })
    };
    let on_import = {
        let d = state.dispatcher();
        Callback::from(move |file: web_sys::File| {
            let d = d.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                let r = match text.ok().and_then(|t| t.as_string()) {
                    Some(t) => export::parse_import(&t),
                    None => Err("could not read the file".into()),
                };
                d.dispatch(Action::Import(r));
            });
        })
    };
    let progress = (state.live.received_samples(), state.live.expected_samples());
    let worker = match (&state.env, &state.env_error) {
        (Some(_), _) => Worker::Ready,
        (None, Some(_)) => Worker::Failed,
        (None, None) => Worker::Starting,
    };
    let threads_blocked = if state.env.is_some() {
        state.config.threads_sweep_blocked()
    } else {
        Some("waiting for the worker".to_owned())
    };
    html! {
        <>
            <header class="top">
                <h1><img src="favicon.svg" alt="" width="28" height="28" />{ " Lanes" }</h1>
                <button class="theme" onclick={on_theme} aria-label="Toggle dark mode">
                    { if state.dark { "☀ light" } else { "☾ dark" } }
                </button>
            </header>
            if !state.notes.is_empty() {
                <div class="notes" role="status">
                    <p>{ "Some link parameters were not understood and defaults were used:" }</p>
                    <ul>{ for state.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                </div>
            }
            <main>
                <Intro chapter={state.config.chapter} on_chapter={on_chapter} on_try={on_try} running={running} />
                <div class="workbench">
                    <Controls config={state.config.clone()} running={running} worker={worker} progress={progress}
                        on_action={on_action} on_run={on_run} on_stop={on_stop} />
                    <EnvCard env={state.env.clone()} error={state.env_error.clone()} />
                </div>
                <Results live={state.live.clone()} dark={state.dark} on_export={on_export}
                    imported={state.imported.clone()} import_error={state.import_error.clone()} on_import={on_import} />
                <EmbedCode config={state.config.clone()} />
                <SweepPanel sweep={state.sweep.clone()} running={running} on_sweep={on_sweep} dark={state.dark}
                    unit={state.config.op.row().unit} threads_blocked={threads_blocked} />
                <CodePanel op={state.config.op} strategy={state.config.strategy} />
            </main>
        </>
    }
}

/// The playground (the default feature) or, built without it, the widget
/// (`embed.html`): one binary, two faces; what the widget does not reach is
/// dropped at link time, which keeps it small.
#[cfg(feature = "playground")]
fn main() {
    yew::Renderer::<App>::new().render();
}

#[cfg(not(feature = "playground"))]
fn main() {
    yew::Renderer::<components::embed::Embed>::new().render();
}
