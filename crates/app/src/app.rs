//! The playground: the state, its effects, and the page's components.

use yew::prelude::*;

use crate::components::code::CodePanel;
use crate::components::controls::{Controls, Worker};
use crate::components::embed_code::EmbedCode;
use crate::components::env_card::EnvCard;
use crate::components::intro::Intro;
use crate::components::results::Results;
use crate::components::sweep::SweepPanel;
use crate::state::{Action, Live, Shared, Status, SweepKind};
use crate::{export, hooks};

#[component]
pub fn App() -> Html {
    let state = use_reducer(hooks::initial_state);
    hooks::use_environment(state.dispatcher());
    hooks::use_start_stage(state.dispatcher());
    hooks::use_permalink(&state.config);
    hooks::use_theme(state.dark);
    let runner = hooks::use_runner(state.dispatcher(), &state.config);
    let running = state.live.borrow().status == Status::Running
        || state
            .sweep
            .as_ref()
            .is_some_and(|s| s.status == Status::Running);
    // Every callback is made once, or again only when what it reads
    // changes: a child re-renders for what it shows, not for each event.
    let d = state.dispatcher();
    let on_action = use_callback(d.clone(), |a, d| d.dispatch(a));
    let on_chapter = use_callback(d.clone(), |c, d| d.dispatch(Action::Chapter(c)));
    let on_try = use_callback((state.config.clone(), runner.run.clone()), {
        let d = d.clone();
        move |(), (config, run)| {
            d.dispatch(Action::Chapter(config.chapter));
            run.emit(Some(config.to_chapter(config.chapter)));
        }
    });
    let on_claim = use_callback((state.config.clone(), runner.run.clone()), {
        let d = d.clone();
        move |(), (config, run)| {
            d.dispatch(Action::Claim);
            run.emit(Some(config.for_claim()));
        }
    });
    let on_dtype_sums = use_callback(
        (state.config.clone(), runner.sweep.clone()),
        move |(), (config, sweep)| {
            d.dispatch(Action::DTypeSums);
            sweep.emit((SweepKind::DTypes, Some(config.for_dtype_sums())));
        },
    );
    let on_sweep = use_callback(runner.sweep.clone(), |kind, sweep| sweep.emit((kind, None)));
    let on_run = use_callback(runner.run.clone(), |(), run| run.emit(None));
    let on_theme = use_callback((state.dispatcher(), state.dark), |_, (d, dark)| {
        d.dispatch(Action::Dark(!dark))
    });
    let on_export = use_callback(
        (state.live.clone(), state.env.clone(), state.dark),
        |kind: &'static str, (live, env, dark)| {
            if let Some((name, mime, content)) =
                export::file(kind, &live.borrow(), env.as_ref(), *dark)
            {
                let _ = export::download(&name, mime, &content);
            }
        },
    );
    let on_import = use_callback(state.dispatcher(), |file: web_sys::File, d| {
        let d = d.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let r = match text.ok().and_then(|t| t.as_string()) {
                Some(t) => export::parse_import(&t),
                None => Err("could not read the file".into()),
            };
            d.dispatch(Action::Import(r));
        });
    });
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
                <Intro chapter={state.config.chapter} on_chapter={on_chapter} on_try={on_try} on_claim={on_claim}
                    on_dtype_sums={on_dtype_sums} running={running} live={state.live.clone()} sweep={state.sweep.clone()} />
                <div class="workbench">
                    <ContextProvider<Shared<Live>> context={state.live.clone()}>
                        <Controls config={state.config.clone()} running={running} worker={worker}
                            on_action={on_action} on_run={on_run} on_stop={runner.stop.clone()} />
                    </ContextProvider<Shared<Live>>>
                    <EnvCard env={state.env.clone()} error={state.env_error.clone()} stage={state.stage.clone()} />
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
