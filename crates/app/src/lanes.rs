//! The page's measurement worker, reached through `window.lanes`
//! (`web/js/lanes.js`): the same entry the bench runner and the end-to-end
//! tests use. The UI thread never runs a kernel.

use js_sys::{Function, Promise};
use lanes_harness::protocol::{Environment, ErrorKind, Event, Failure, RunRequest, RunSummary};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = lanes, js_name = run)]
    fn lanes_run(request: JsValue, on_event: &Function) -> Promise;

    #[wasm_bindgen(js_namespace = lanes, js_name = stop)]
    fn lanes_stop();

    #[wasm_bindgen(js_namespace = lanes, js_name = ready, thread_local_v2)]
    static READY: Promise;
}

fn message(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the worker failed".into())
}

/// What a failed `lanes.run` rejected with: an `Error` whose `kind` is an
/// [`ErrorKind`]'s name (`lanes.js`); anything else is the worker failing.
fn failure(e: JsValue) -> Failure {
    let kind = js_sys::Reflect::get(&e, &"kind".into())
        .ok()
        .and_then(|k| k.as_string())
        .and_then(|k| ErrorKind::from_name(&k))
        .unwrap_or(ErrorKind::Crashed);
    Failure::new(kind, message(e))
}

fn parse<T: serde::de::DeserializeOwned>(v: &JsValue) -> Result<T, String> {
    let json = js_sys::JSON::stringify(v).map_err(message)?;
    serde_json::from_str(&String::from(json)).map_err(|e| e.to_string())
}

/// The worker's environment, once it has started.
pub async fn environment() -> Result<Environment, String> {
    let ready = READY.with(Clone::clone);
    let v = JsFuture::from(ready).await.map_err(message)?;
    parse(&v)
}

/// Runs `request`, calling `on_event` for every event as it arrives.
pub async fn run(
    request: &RunRequest,
    on_event: impl Fn(Event) + 'static,
) -> Result<RunSummary, Failure> {
    let refused = |m: String| Failure::new(ErrorKind::Refused, m);
    let json = serde_json::to_string(request).map_err(|e| refused(e.to_string()))?;
    let req = js_sys::JSON::parse(&json).map_err(|e| refused(message(e)))?;
    let cb = Closure::<dyn Fn(JsValue)>::new(move |v: JsValue| {
        let e = js_sys::JSON::stringify(&v)
            .ok()
            .and_then(|j| Event::from_json(&String::from(j)));
        if let Some(e) = e {
            on_event(e);
        }
    });
    let result = JsFuture::from(lanes_run(req, cb.as_ref().unchecked_ref())).await;
    drop(cb);
    parse(&result.map_err(failure)?).map_err(refused)
}

/// Stops the run in progress: the worker is terminated and respawned.
pub fn stop() {
    lanes_stop();
}
