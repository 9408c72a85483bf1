//! The widget: one experiment in a compact card, for blog posts. It is the
//! playground's state and runner behind a smaller face: a title, Run, the
//! live chart, the `%timeit` lines, and a link to the full playground with
//! the same state. Configured by the same URL parameters as the permalink
//! (plus `theme` and `autorun`); it tells the page that frames it how tall
//! it is (`{type: "lanes:height", height}`, see `web/js/widget.js`).

use lanes_harness::stats::format_time;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::chart;
use crate::components::{group, loading_bar, swatch};
use crate::hooks;
use crate::state::Status;
use crate::url;

/// Timers coarser than this get a note (Chromium gives pages that are not
/// cross-origin isolated 100 µs; Firefox 1 ms).
const COARSE_NS: f64 = 20_000.0;

/// Tells the framing page the document's height after every render (and
/// when the window is resized, which reflows the text).
#[hook]
fn use_post_height() {
    use_effect(|| {
        post_height();
    });
    hooks::use_window_event("resize", |_| post_height());
}

fn post_height() {
    let Some(w) = web_sys::window() else { return };
    let Some(body) = w.document().and_then(|d| d.document_element()) else {
        return;
    };
    let Ok(Some(parent)) = w.parent() else { return };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"lanes:height".into());
    // The content's height: `scrollHeight` never drops below the frame's own
    // height, so a card that got shorter would keep its old height.
    let height = body.get_bounding_client_rect().height().ceil();
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &JsValue::from_f64(height));
    // Only a height: nothing a foreign parent could misuse.
    let _ = parent.post_message(&msg, "*");
}

#[component]
pub fn Embed() -> Html {
    let state = use_reducer(hooks::initial_state);
    hooks::use_environment(state.dispatcher());
    hooks::use_theme(state.dark);
    use_post_height();
    let runner = hooks::use_runner(state.dispatcher(), &state.config);
    {
        // `autorun=1`: run once, as soon as the worker is ready.
        let (run, autorun) = (runner.run.clone(), state.autorun);
        use_effect_with(state.env.is_some(), move |&ready| {
            if ready && autorun {
                run.emit(None);
            }
        });
    }
    let c = &state.config;
    let live = state.live.borrow();
    let live = &*live;
    let running = live.status == Status::Running;
    let run = runner.run.clone();
    let stop = runner.stop.clone();
    let order = live
        .info
        .as_ref()
        .map(|i| i.variants.clone())
        .unwrap_or_default();
    let figure = match chart::time_chart(live, &order, state.dark, &[]) {
        Ok(s) if !s.is_empty() => Html::from_html_unchecked(AttrValue::from(s)),
        Ok(_) if running => html! { <p class="muted">{ "Checking every rung, then timing…" }</p> },
        Ok(_) => html! {},
        Err(e) => html! { <p class="error">{ format!("chart: {e}") }</p> },
    };
    let lines = order.iter().map(|r| {
        let done = live.results.iter().find(|x| x.variant == *r);
        let error = live.errors.iter().find(|(v, _)| *v == Some(*r));
        let text = match (done, error) {
            (Some(d), _) => match d.speedup {
                Some(s) => format!("{} ({s:.2}×)", d.timeit),
                None => d.timeit.clone(),
            },
            (None, Some((_, m))) => m.clone(),
            (None, None) => match live.summary(*r) {
                Some(s) => format!("{} samples, best {}", s.n, format_time(s.min)),
                None => "waiting".into(),
            },
        };
        html! {
            <li><span class="swatch" style={swatch(*r)}></span><b>{ r.name() }</b>{ " " }<code>{ text }</code></li>
        }
    });
    let status = match &live.status {
        Status::Idle => String::new(),
        Status::Running => format!(
            "{} of {} samples",
            live.received_samples(),
            live.expected_samples()
        ),
        Status::Done => "done".into(),
        Status::Stopped => "stopped".into(),
        Status::Failed(m) => m.clone(),
    };
    let env = state.env.as_ref();
    let coarse = env
        .filter(|e| e.timer_resolution_ns > COARSE_NS)
        .map(|e| {
            format!(
                "This page's timer ticks every {} (it is not cross-origin isolated), so every sample is made to last at least {}.",
                format_time(e.timer_resolution_ns),
                format_time((100.0 * e.timer_resolution_ns).max(c.min_sample_ms * 1e6))
            )
        });
    let threads = env.filter(|e| !e.threads).map(|e| {
        if e.cross_origin_isolated {
            format!(
                "One thread here: {}.",
                e.threads_reason.clone().unwrap_or_default()
            )
        } else {
            // A frame is isolated only if the page around it is.
            "One thread here: threads need a cross-origin isolated page, and this post is not one. \
             The playground runs them."
                .to_owned()
        }
    });
    let worker_failed = state.env_error.clone();
    let playground = format!("./{}", url::query(c));
    html! {
        <main class="embed" aria-label="Lanes widget">
            <header>
                <h1><code>{ c.op.numpy(c.strategy) }</code></h1>
                <span class="muted">{ format!("{} · {} elements {}", c.dtype.numpy_name(), group(c.size), c.shape()) }</span>
            </header>
            if !state.notes.is_empty() {
                <ul class="notes" role="status">{ for state.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            }
            <div class="row actions">
                <button class="primary" disabled={running || env.is_none()} onclick={move |_| run.emit(None)}>
                    { if env.is_some() { "Run" } else if worker_failed.is_some() { "Worker unavailable" } else { "Starting…" } }
                </button>
                if running {
                    <button onclick={move |_| stop.emit(())}>{ "Stop" }</button>
                }
                if let Some(bar) = running.then(|| loading_bar(live)).flatten() {
                    { bar }
                } else {
                    <span class="muted" aria-live="polite">{ status }</span>
                }
            </div>
            if let Some(e) = worker_failed { <p class="error" role="alert">{ e }</p> }
            <figure class="chart">{ figure }</figure>
            if !order.is_empty() {
                <ul class="lines">{ for lines }</ul>
            }
            <footer class="muted">
                if let Some(t) = coarse { <p>{ t }</p> }
                if let Some(t) = threads { <p>{ t }</p> }
                <p><a href={playground} target="_blank" rel="noopener">{ "Open in the Lanes playground ↗" }</a>
                    { " · measured on your device, in this page" }</p>
            </footer>
        </main>
    }
}
