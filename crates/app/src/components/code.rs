//! The code panel: the NumPy line, the Python, the JavaScript loop and the Rust kernels
//! of the chosen op, side by side, as they are in the source tree. The files
//! are fetched the first time the panel is open for them.

use std::collections::HashMap;
use std::rc::Rc;

use lanes_kernels::{Op, Strategy};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::source;

#[derive(PartialEq, Properties)]
pub struct CodeProps {
    pub op: Op,
    pub strategy: Strategy,
}

/// A served file: being fetched, its text, or why it could not be had.
#[derive(Clone, PartialEq)]
enum File {
    Loading,
    Text(Rc<str>),
    Failed(String),
}

/// The files fetched so far, by served path.
#[derive(Default, PartialEq)]
struct Files(HashMap<String, File>);

impl Reducible for Files {
    type Action = (String, File);

    fn reduce(self: Rc<Self>, (path, file): Self::Action) -> Rc<Self> {
        let mut files = self.0.clone();
        files.insert(path, file);
        Rc::new(Files(files))
    }
}

/// The text of the file at `path` (relative to the page).
async fn fetch(path: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let failed = |_| "the request failed".to_owned();
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(failed)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?;
    text.as_string().ok_or_else(|| "not text".to_owned())
}

fn block(title: &str, note: &str, code: Option<String>, waiting: Option<&str>) -> Html {
    let text = match (code, waiting) {
        (Some(code), _) => code,
        (None, Some(why)) => why.to_owned(),
        (None, None) => "(none: nothing to compute)".to_owned(),
    };
    html! {
        <div class="code-block">
            <h4>{ title }</h4>
            if !note.is_empty() { <p class="muted">{ note }</p> }
            <pre><code>{ text }</code></pre>
        </div>
    }
}

/// The python rung's code as the panel shows it: the setup, then the
/// timed statement; or why the op has none.
pub fn python_source(op: Op, strategy: Strategy) -> String {
    match op.row().form(strategy).and_then(|f| f.python) {
        Some(py) => {
            let mut text = String::new();
            for line in py.setup {
                text += line;
                text += "\n";
            }
            format!("{text}# timed:\n{}", py.stmt)
        }
        None => {
            "(no python rung: this form has no faithful pure-Python version that runs in seconds)"
                .into()
        }
    }
}

#[component]
pub fn CodePanel(p: &CodeProps) -> Html {
    let info = p.op.row();
    let open = use_state(|| false);
    let files = use_reducer(Files::default);
    let paths = source::files(p.op, p.strategy);
    {
        // Fetch what the open panel shows and has not been asked for yet.
        let files = files.clone();
        let mut wanted: Vec<String> = paths
            .iter()
            .flatten()
            .filter(|path| *open && !files.0.contains_key(*path))
            .cloned()
            .collect();
        // Both Rust blocks come from the op's one file: fetch it once.
        wanted.dedup();
        use_effect_with(wanted, move |wanted| {
            for path in wanted.clone() {
                files.dispatch((path.clone(), File::Loading));
                let files = files.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let file = match fetch(&path).await {
                        Ok(text) => File::Text(text.into()),
                        Err(e) => File::Failed(format!("Could not load {path}: {e}.")),
                    };
                    files.dispatch((path, file));
                });
            }
        });
    }
    let on_toggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            if let Some(d) = e.target_dyn_into::<web_sys::HtmlDetailsElement>() {
                open.set(d.open());
            }
        })
    };
    // Why the block of `paths[i]` is empty while its file is not in.
    let pending = |i: usize| {
        let path = paths[i].as_ref()?;
        match files.0.get(path) {
            Some(File::Text(_)) => None,
            Some(File::Failed(why)) => Some(why.clone()),
            Some(File::Loading) | None => Some(format!("Loading {path}…")),
        }
    };
    let get = |path: &str| match files.0.get(path) {
        Some(File::Text(t)) => Some(&**t),
        _ => None,
    };
    let [js, scalar, simd] = source::code(p.op, p.strategy, get);
    html! {
        <details class="code" ontoggle={on_toggle}>
            <summary>{ format!("The code behind each rung ({} · {})", info.name, p.strategy.name()) }</summary>
            <div class="code-grid">
                { block("NumPy", "", Some(p.op.numpy(p.strategy).to_owned()), None) }
                { block("Python (python)", "Run by CPython in the browser: the setup once, untimed, the inputs arriving as array.array; the last line is timed, as %timeit times it. Python's ints do not overflow: an integer result is wrapped to the dtype as it is read back (NumPy's wrapping), a float32 one rounded to float32.", Some(python_source(p.op, p.strategy)), None) }
                { block("JavaScript (js-array and js-typed)", "web/js/baselines.js: the loop a person would write.", js, pending(0).as_deref()) }
                { block("Rust: scalar and auto", "The same loop twice: scalar keeps SIMD off for it, auto compiles it with SIMD128 on.", scalar, pending(1).as_deref()) }
                { block("Rust: simd (and simd-threads, which splits it across threads)", "Hand-written over a 128-bit lane trait.", simd, pending(2).as_deref()) }
            </div>
        </details>
    }
}
