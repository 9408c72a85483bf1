//! Component tests in a real browser (wasm-bindgen-test, Chromium): render
//! a component into the page, let the scheduler run, assert on the DOM.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use lanes_harness::protocol::{Environment, Event, Limits, Rung};
use lanes_kernels::Variant;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::components::controls::{Controls, Worker};
use crate::components::env_card::{EnvCard, EnvProps};
use crate::components::results::{Results, ResultsProps};
use crate::state::{Action, Config, Live, Shared, run_info, sample};

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
        stage: None,
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
        stage: None,
    })
    .await;
    assert!(el.query_selector("[role=alert]").unwrap().is_some());
    // WebKit on two cores: it reports 4, and the probe found that 2 of the
    // pool's 4 threads help.
    let webkit = Environment {
        user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/605.1.15".into(),
        hardware_concurrency: 4,
        threads: true,
        threads_reason: None,
        max_threads: 4,
        useful_threads: 2,
        thread_probe_ns: vec![100.0, 52.0, 90.0, 480.0],
        ..env()
    };
    let el = render::<EnvCard>(EnvProps {
        env: Some(webkit),
        error: None,
        stage: None,
    })
    .await;
    let text = el.text_content().unwrap();
    assert!(text.contains("BrowserWebKit"), "{text}");
    assert!(
        !text.contains("605"),
        "not WebKit's frozen build number: {text}"
    );
    assert!(
        text.contains("4 as the browser reports it (WebKit rounds: 4 below 8 cores, 8 from 8 up)"),
        "{text}"
    );
    assert!(
        text.contains("a pool of 4 Web Workers on shared memory, of which 2 help here"),
        "{text}"
    );
    // While the worker starts, the card says what it is doing.
    for (stage, shown) in [
        (None, "Starting the worker…".to_owned()),
        (
            Some("compiling the threaded build"),
            "Starting the worker: compiling the threaded build…".to_owned(),
        ),
    ] {
        let el = render::<EnvCard>(EnvProps {
            env: None,
            error: None,
            stage: stage.map(Into::into),
        })
        .await;
        assert_eq!(el.text_content().unwrap(), shown);
    }
}

/// The controls as the app shows them: under the live results in context,
/// which change with every sample while the config does not.
#[derive(PartialEq, Properties)]
struct InApp {
    live: Shared<Live>,
    config: Config,
    on_action: Callback<Action>,
}

#[component]
fn ControlsInApp(p: &InApp) -> Html {
    // Made once, as the app's callbacks are (a fresh `Callback::noop()` per
    // render would be a change of props).
    let nothing = use_callback((), |(), ()| ());
    html! {
        <ContextProvider<Shared<Live>> context={p.live.clone()}>
            <Controls config={p.config.clone()} running={true} worker={Worker::Ready}
                on_action={p.on_action.clone()} on_run={nothing.clone()} on_stop={nothing} />
        </ContextProvider<Shared<Live>>>
    }
}

#[wasm_bindgen_test]
async fn controls_show_the_config_and_emit_actions() {
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let log = seen.clone();
    let config = Config::for_chapter(0);
    let simd = Rung::Wasm(Variant::Simd);
    let mut live = Shared::new(Live::started(1, 3));
    live.update(|l| {
        l.fold(Event::Started {
            info: run_info(vec![Rung::JsArray, simd]),
        })
    });
    // One callback for every render, as the app's are (memoised): the
    // controls' props then change only with the config.
    let on_action = Callback::from(move |a: Action| match a {
        Action::Toggle(r) => log.borrow_mut().push(r.name().to_owned()),
        Action::Repeats(r) => log.borrow_mut().push(format!("repeats {r}")),
        _ => {}
    });
    let props = |live: &Shared<Live>| InApp {
        live: live.clone(),
        config: config.clone(),
        on_action: on_action.clone(),
    };
    let el = root();
    let mut app =
        yew::Renderer::<ControlsInApp>::with_root_and_props(el.clone(), props(&live)).render();
    sleep(Duration::ZERO).await;
    let op: web_sys::HtmlSelectElement = el
        .query_selector("select")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(op.value(), "add");
    let text = el.text_content().unwrap();
    assert!(text.contains("4.0 MB per array"), "{text}");
    assert!(text.contains("0 of 6 samples"), "{text}");
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
    // Repeats: a keystroke that makes a valid count commits it; one that
    // does not (a cleared field, 0) commits nothing. Either way what was
    // typed stays while samples arrive: they re-render the progress, not
    // the controls.
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
        let e = web_sys::Event::new_with_event_init_dict(event, &bubbles).unwrap();
        repeats.dispatch_event(&e).unwrap();
    };
    for (k, v) in ["", "0", "12"].into_iter().enumerate() {
        typed(v, "input");
        sleep(Duration::ZERO).await;
        live.update(|l| l.fold(sample(simd, 100.0)));
        app.update(props(&live));
        sleep(Duration::ZERO).await;
        assert_eq!(repeats.value(), v, "after a sample");
        let text = el.text_content().unwrap();
        assert!(text.contains(&format!("{} of 6 samples", k + 1)), "{text}");
    }
    assert_eq!(seen.borrow()[1..], ["repeats 12"]);
    // Left as "" (a change event): nothing is committed and the field shows
    // the count in force (the props' 7: they do not follow the actions here).
    typed("", "change");
    sleep(Duration::ZERO).await;
    assert_eq!(repeats.value(), "7");
    assert_eq!(seen.borrow().len(), 2, "{:?}", seen.borrow());
    // Past the range, a change commits the count clamped into it.
    typed("5000", "change");
    sleep(Duration::ZERO).await;
    let most = *Limits::REPEATS.end();
    assert_eq!(seen.borrow()[2..], [format!("repeats {most}")]);
    assert_eq!(repeats.value(), most.to_string());
}

#[wasm_bindgen_test]
async fn results_fill_in_as_samples_arrive() {
    let simd = Rung::Wasm(Variant::Simd);
    let mut live = Shared::new(Live::started(1, 3));
    live.update(|l| {
        l.fold(Event::Started {
            info: run_info(vec![Rung::JsArray, simd]),
        });
        for (r, ns) in [
            (Rung::JsArray, 2000.0),
            (Rung::JsArray, 2100.0),
            (simd, 150.0),
        ] {
            l.fold(sample(r, ns));
        }
    });
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
