//! Component tests in a real browser (wasm-bindgen-test, Chromium): render
//! a component into the page, let the scheduler run, assert on the DOM.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use lanes_harness::protocol::{ArrayInfo, Environment, Limits, RunInfo, Rung};
use lanes_kernels::Variant;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::components::controls::{Controls, ControlsProps};
use crate::components::env_card::{EnvCard, EnvProps};
use crate::components::results::{Results, ResultsProps};
use crate::state::{Action, Config, Live, Status};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element to render into.
fn root() -> web_sys::Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

async fn render<C: BaseComponent>(props: C::Properties) -> web_sys::Element {
    let el = root();
    yew::Renderer::<C>::with_root_and_props(el.clone(), props).render();
    sleep(Duration::ZERO).await;
    el
}

fn env() -> Environment {
    Environment {
        platform: "browser".into(),
        user_agent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36".into(),
        cross_origin_isolated: true,
        hardware_concurrency: 8,
        timer_resolution_ns: 5000.0,
        simd: true,
        threads_reason: Some("this is the single-threaded build".into()),
        build: "test".into(),
        wasm_memory_bytes: None,
        ..Environment::of(Limits::BROWSER)
    }
}

#[wasm_bindgen_test]
async fn env_card_shows_the_device() {
    let el = render::<EnvCard>(EnvProps {
        env: Some(env()),
        error: None,
    })
    .await;
    let text = el.text_content().unwrap();
    assert!(text.contains("Chrome 156"), "{text}");
    assert!(text.contains("5 µs"), "{text}");
    assert!(
        text.contains("no: this is the single-threaded build"),
        "{text}"
    );
    let el = render::<EnvCard>(EnvProps {
        env: None,
        error: Some("the worker failed".into()),
    })
    .await;
    assert!(el.query_selector("[role=alert]").unwrap().is_some());
    // While the worker starts, the card says what it is doing: each
    // `lanes-stage` event (lanes.js) replaces the last.
    let el = render::<EnvCard>(EnvProps {
        env: None,
        error: None,
    })
    .await;
    assert_eq!(el.text_content().unwrap(), "Starting the worker…");
    for stage in ["loading the threaded build", "compiling the threaded build"] {
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&stage.into());
        let event = web_sys::CustomEvent::new_with_event_init_dict("lanes-stage", &init).unwrap();
        web_sys::window().unwrap().dispatch_event(&event).unwrap();
        sleep(Duration::from_millis(20)).await;
        assert_eq!(
            el.text_content().unwrap(),
            format!("Starting the worker: {stage}…")
        );
    }
}

#[wasm_bindgen_test]
async fn controls_show_the_config_and_emit_actions() {
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let log = seen.clone();
    let config = Config::for_chapter(0);
    let props = |progress| ControlsProps {
        config: config.clone(),
        running: false,
        worker: crate::components::controls::Worker::Ready,
        progress,
        on_action: Callback::from({
            let log = log.clone();
            move |a: Action| match a {
                Action::Toggle(r) => log.borrow_mut().push(r.name().to_owned()),
                Action::Repeats(r) => log.borrow_mut().push(format!("repeats {r}")),
                _ => {}
            }
        }),
        on_run: Callback::noop(),
        on_stop: Callback::noop(),
    };
    let el = root();
    let mut app =
        yew::Renderer::<Controls>::with_root_and_props(el.clone(), props((0, 0))).render();
    sleep(Duration::ZERO).await;
    let op: web_sys::HtmlSelectElement = el
        .query_selector("select")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(op.value(), "add");
    let text = el.text_content().unwrap();
    assert!(text.contains("4.0 MB per array"), "{text}");
    let boxes = el.query_selector_all("input[type=checkbox]").unwrap();
    assert_eq!(boxes.length() as usize, config.offered().len());
    let scalar: web_sys::HtmlElement = el
        .query_selector("#rung-scalar")
        .unwrap()
        .unwrap()
        .unchecked_into();
    scalar.click();
    sleep(Duration::ZERO).await;
    assert_eq!(*seen.borrow(), ["scalar"]);
    let stop: web_sys::HtmlButtonElement = el
        .query_selector_all("button")
        .unwrap()
        .get(1)
        .unwrap()
        .unchecked_into();
    assert!(stop.disabled(), "Stop is off while nothing runs");
    // Repeats: a keystroke that makes a valid count commits it; one that
    // does not (a cleared field, 0) commits nothing; either way what was
    // typed stays while the controls re-render with the old count (as they
    // do when samples arrive). Leaving the field shows the count in force.
    let repeats: web_sys::HtmlInputElement = el
        .query_selector("input[type=number]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!((config.repeats, repeats.value().as_str()), (7, "7"));
    let bubbles = web_sys::EventInit::new();
    bubbles.set_bubbles(true);
    let typed = |v: &str, event: &str| {
        repeats.set_value(v);
        let e = Event::new_with_event_init_dict(event, &bubbles).unwrap();
        repeats.dispatch_event(&e).unwrap();
    };
    for (k, v) in ["", "0", "12"].into_iter().enumerate() {
        typed(v, "input");
        sleep(Duration::ZERO).await;
        app.update(props((k + 1, 100)));
        sleep(Duration::ZERO).await;
        assert_eq!(repeats.value(), v, "after a re-render");
    }
    assert_eq!(seen.borrow()[1..], ["repeats 12"]);
    // Left as "" (a change event): nothing is committed and the field shows
    // the count in force (the props' 7: they do not follow the actions here).
    typed("", "change");
    sleep(Duration::ZERO).await;
    assert_eq!(repeats.value(), "7");
    assert_eq!(seen.borrow().len(), 2, "{:?}", seen.borrow());
    // Typed away and back, no change event comes: the blur drops the draft.
    typed("5", "input");
    sleep(Duration::ZERO).await;
    assert_eq!(repeats.value(), "5");
    typed("5", "blur");
    sleep(Duration::ZERO).await;
    assert_eq!(repeats.value(), "7");
    // Past the range, a change commits it all the same (the reducer clamps).
    typed("150", "change");
    sleep(Duration::ZERO).await;
    assert_eq!(seen.borrow()[2..], ["repeats 5", "repeats 150"]);
}

#[wasm_bindgen_test]
async fn results_fill_in_as_samples_arrive() {
    let rungs = vec![Rung::JsArray, Rung::Wasm(Variant::Simd)];
    let array = |name: &str| ArrayInfo {
        name: name.into(),
        dtype: "f32".into(),
        shape: vec![1000],
        bytes: 4000,
    };
    let info = RunInfo {
        op: "add".into(),
        strategy: "default".into(),
        dtype: "f32".into(),
        shape: vec![1000],
        numpy: "a + b".into(),
        variants: rungs.clone(),
        baseline: Rung::JsArray,
        threads: 1,
        inputs: vec![array("a"), array("b")],
        output: array("out"),
        temp_bytes: 0,
        bytes_per_loop: 12000.0,
        flops_per_loop: 1000.0,
        elements_per_loop: 1000.0,
        unit: "bytes".into(),
        target_sample_ns: 1e7,
        timer_resolution_ns: 5000.0,
    };
    let mut live = Live {
        id: 1,
        status: Status::Running,
        info: Some(info),
        repeats: 3,
        ..Live::default()
    };
    live.samples.insert(Rung::JsArray, vec![2000.0, 2100.0]);
    live.samples.insert(Rung::Wasm(Variant::Simd), vec![150.0]);
    let el = render::<Results>(ResultsProps {
        live,
        dark: false,
        on_export: Callback::noop(),
        imported: None,
        import_error: None,
        on_import: Callback::noop(),
    })
    .await;
    assert_eq!(el.query_selector_all("tbody tr").unwrap().length(), 2);
    assert_eq!(
        el.query_selector_all("svg circle").unwrap().length(),
        3,
        "one dot per sample"
    );
    let text = el.text_content().unwrap();
    assert!(text.contains("2 samples so far"), "{text}");
    assert!(text.contains("measuring"), "{text}");
    assert!(
        el.query_selector(".exports").unwrap().is_none(),
        "no export while running"
    );
}
