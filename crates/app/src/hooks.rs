//! The app's effects: the worker's environment, runs, the permalink, the theme.

use std::cell::Cell;

use yew::prelude::*;

#[cfg(feature = "playground")]
use lanes_harness::protocol::Failure;

use crate::lanes;
use crate::state::{Action, Config, State};
#[cfg(feature = "playground")]
use crate::state::{Point, SweepKind};
use crate::url;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The state from the page's URL (and the colour scheme it prefers).
pub fn initial_state() -> State {
    let mut s = State::default();
    if let Some(search) = window().and_then(|w| w.location().search().ok()) {
        let pairs: Vec<(String, String)> = web_sys::UrlSearchParams::new_with_str(&search)
            .ok()
            .map(|p| {
                js_sys::try_iter(&p)
                    .ok()
                    .flatten()
                    .into_iter()
                    .flatten()
                    .filter_map(|kv| {
                        let kv: js_sys::Array = kv.ok()?.into();
                        Some((kv.get(0).as_string()?, kv.get(1).as_string()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let (config, notes) = url::parse(&pairs);
        let page = url::page(&pairs);
        s.config = config;
        s.notes = notes;
        s.notes.extend(page.notes);
        s.autorun = page.autorun;
        s.dark = page.dark.unwrap_or_else(prefers_dark);
        return s;
    }
    s.dark = prefers_dark();
    s
}

fn prefers_dark() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Asks the worker for its environment once.
#[hook]
pub fn use_environment(d: UseReducerDispatcher<State>) {
    use_effect_with((), move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            d.dispatch(Action::Env(lanes::environment().await));
        });
    });
}

/// Tells the state what the worker's start is doing (`lanes.stage`, then
/// every `lanes-stage` event), for the page to show while it waits.
#[cfg(feature = "playground")]
#[hook]
pub fn use_start_stage(d: UseReducerDispatcher<State>) {
    {
        let d = d.clone();
        use_effect_with((), move |_| {
            let stage = window()
                .and_then(|w| js_sys::Reflect::get(&w, &"lanes".into()).ok())
                .and_then(|l| js_sys::Reflect::get(&l, &"stage".into()).ok())
                .and_then(|s| s.as_string());
            if stage.is_some() {
                d.dispatch(Action::Stage(stage));
            }
        });
    }
    use_window_event("lanes-stage", move |e: Event| {
        let detail = js_sys::Reflect::get(&e, &"detail".into()).ok();
        d.dispatch(Action::Stage(detail.and_then(|d| d.as_string())));
    });
}

/// Calls `f` with every `name` event of the window while the component is
/// mounted.
#[hook]
pub fn use_window_event<F: Fn(Event) + 'static>(name: &'static str, f: F) {
    use_effect_with((), move |_| {
        let listener = wasm_bindgen::closure::Closure::<dyn Fn(Event)>::new(f);
        let w = window();
        if let Some(w) = &w {
            let _ = w.add_event_listener_with_callback(
                name,
                wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
            );
        }
        move || {
            if let Some(w) = w {
                let _ = w.remove_event_listener_with_callback(
                    name,
                    wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
                );
            }
        }
    });
}

/// Keeps the query string in step with the controls (a permalink).
#[cfg(feature = "playground")]
#[hook]
pub fn use_permalink(config: &Config) {
    use_effect_with(config.clone(), |c| {
        if let Some(h) = window().and_then(|w| w.history().ok()) {
            let _ =
                h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url::query(c)));
        }
    });
}

/// Puts the theme on the document element, where the stylesheet reads it.
#[hook]
pub fn use_theme(dark: bool) {
    use_effect_with(dark, |&dark| {
        if let Some(el) = window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let list = el.class_list();
            let _ = list.toggle_with_force("dark", dark);
            let _ = list.toggle_with_force("light", !dark);
        }
    });
}

/// What starts and stops runs.
#[derive(Clone)]
pub struct Runner {
    /// Runs `config` (or the given one) and folds its events into the state.
    pub run: Callback<Option<Config>>,
    /// Runs a sweep over sizes, dtypes or threads from `config` (or the
    /// given one), one request after the other.
    #[cfg(feature = "playground")]
    pub sweep: Callback<(SweepKind, Option<Config>)>,
    /// Stops whatever runs: the worker is terminated and respawned.
    pub stop: Callback<()>,
}

/// The ids of runs and sweeps, and the generation Stop moves on.
#[derive(Default)]
struct Counters {
    ids: Cell<u32>,
    generation: Cell<u32>,
}

impl Counters {
    fn next(&self) -> u32 {
        let id = self.ids.get() + 1;
        self.ids.set(id);
        id
    }
}

/// The runner of the page. Every run and sweep gets a fresh id, so events
/// of a stopped one can never land in a newer one; Stop also moves on a
/// generation that a sweep checks between its points. The callbacks are
/// made again only when the config changes (Stop never), so the components
/// given them re-render for what they show, not for every event.
#[hook]
pub fn use_runner(d: UseReducerDispatcher<State>, config: &Config) -> Runner {
    let counters = use_memo((), |()| Counters::default());
    let run = {
        let (d, counters) = (d.clone(), counters.clone());
        use_callback(config.clone(), move |given: Option<Config>, config| {
            let config = given.unwrap_or_else(|| config.clone());
            let id = counters.next();
            d.dispatch(Action::Start(id));
            let d = d.clone();
            let request = config.request();
            wasm_bindgen_futures::spawn_local(async move {
                let on_event = {
                    let d = d.clone();
                    move |e| d.dispatch(Action::Event(id, Box::new(e)))
                };
                let r = lanes::run(&request, on_event).await.map(|_| ());
                d.dispatch(Action::Ended(id, r));
            });
        })
    };
    #[cfg(feature = "playground")]
    let sweep = {
        let (d, counters) = (d.clone(), counters.clone());
        use_callback(
            config.clone(),
            move |(kind, given): (SweepKind, Option<Config>), config| {
                let id = counters.next();
                let from = given.unwrap_or_else(|| config.clone());
                let plan = from.sweep(kind);
                d.dispatch(Action::SweepStart(id, kind, from.op, plan.len()));
                let (d, counters) = (d.clone(), counters.clone());
                let started = counters.generation.get();
                wasm_bindgen_futures::spawn_local(async move {
                    for c in plan {
                        if counters.generation.get() != started {
                            return d.dispatch(Action::SweepEnded(id, Err(Failure::stopped())));
                        }
                        let bytes = c.problem().map_or(0, |p| p.inputs()[0].nbytes());
                        match lanes::run(&c.request(), |_| {}).await {
                            Ok(summary) => d.dispatch(Action::SweepPoint(
                                id,
                                Box::new(Point {
                                    size: c.size,
                                    dtype: c.dtype,
                                    threads: c.threads_used(),
                                    bytes_per_array: bytes,
                                    results: summary.results,
                                }),
                            )),
                            Err(m) => return d.dispatch(Action::SweepEnded(id, Err(m))),
                        }
                    }
                    d.dispatch(Action::SweepEnded(id, Ok(())));
                });
            },
        )
    };
    let stop = use_callback((), move |(), ()| {
        counters.generation.set(counters.generation.get() + 1);
        lanes::stop();
        d.dispatch(Action::Stop);
    });
    Runner {
        run,
        #[cfg(feature = "playground")]
        sweep,
        stop,
    }
}
