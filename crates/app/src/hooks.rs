//! The app's effects: the worker's environment, runs, the permalink, the theme.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use crate::lanes;
use crate::state::{Action, Config, State};
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
        s.config = config;
        s.notes = notes;
    }
    s.dark = window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    s
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

/// Keeps the query string in step with the controls (a permalink).
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

/// A callback that starts a run (of `config`, or of the given one) in the
/// worker and folds its events into the state as they arrive.
#[hook]
pub fn use_run(d: UseReducerDispatcher<State>, config: Config) -> Callback<Option<Config>> {
    let next = use_mut_ref(|| Rc::new(Cell::new(1u32)));
    let next = next.borrow().clone();
    Callback::from(move |given: Option<Config>| {
        let config = given.unwrap_or_else(|| config.clone());
        let id = next.get();
        next.set(id + 1);
        d.dispatch(Action::Start(id));
        let d = d.clone();
        let request = config.request(u64::from(id));
        wasm_bindgen_futures::spawn_local(async move {
            let on_event = {
                let d = d.clone();
                move |e| d.dispatch(Action::Event(id, Box::new(e)))
            };
            let r = lanes::run(&request, on_event).await.map(|_| ());
            d.dispatch(Action::Ended(id, r));
        });
    })
}
