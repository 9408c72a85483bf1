//! The controls of an experiment: op, strategy, dtype, size, rungs, repeats,
//! threads, time budget.

use lanes_harness::protocol::{Limits, Rung, format_bytes};
use lanes_kernels::Op;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::{group, loading_bar, swatch};
use crate::state::{Action, Config, Live, MIN_SIZE, Shared, Status};

/// Where the measurement worker is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Worker {
    Starting,
    Ready,
    Failed,
}

#[derive(PartialEq, Properties)]
pub struct ControlsProps {
    pub config: Config,
    pub running: bool,
    /// Where the measurement worker is (runs wait for it).
    pub worker: Worker,
    pub on_action: Callback<Action>,
    pub on_run: Callback<()>,
    pub on_stop: Callback<()>,
}

fn select_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

fn input_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

/// A change handler: reads the control's value with `read`, and emits
/// `to(value)` when it parses (a value that does not parse changes nothing).
fn parsed<T: core::str::FromStr + 'static>(
    act: &Callback<Action>,
    read: fn(&Event) -> String,
    to: fn(T) -> Action,
) -> Callback<Event> {
    let act = act.clone();
    Callback::from(move |e: Event| {
        if let Ok(v) = read(&e).parse::<T>() {
            act.emit(to(v));
        }
    })
}

/// Sizes on the slider: 10^(k/4), from 10 up to the largest that fits.
fn slider_steps(max: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (4..=40)
        .map(|k| 10f64.powf(k as f64 / 4.0).round() as usize)
        .filter(|&n| n <= max)
        .collect();
    if v.last() != Some(&max) {
        v.push(max);
    }
    v
}

#[component]
pub fn Controls(p: &ControlsProps) -> Html {
    let c = &p.config;
    let info = c.op.row();
    let act = p.on_action.clone();
    let on_op = parsed(&act, select_value, Action::Op);
    let on_strategy = parsed(&act, select_value, Action::Strategy);
    let on_dtype = parsed(&act, select_value, Action::DType);
    // A search over the worker's own check: once per render, not per use.
    let max = c.max_size();
    let steps = slider_steps(max);
    let pos = steps
        .iter()
        .position(|&n| n >= c.size)
        .unwrap_or(steps.len() - 1);
    let on_size = {
        let (act, steps) = (act.clone(), steps.clone());
        Callback::from(move |e: InputEvent| {
            let v = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .map(|s| s.value());
            if let Some(i) = v.and_then(|v| v.parse::<usize>().ok()) {
                act.emit(Action::Size(steps[i.min(steps.len() - 1)]));
            }
        })
    };
    // Repeats is typed: each keystroke that makes a valid count commits it
    // (a cleared field or 0 commits nothing and stays as typed: nothing
    // else re-renders the controls while a run's samples arrive). A change
    // commits the count clamped into range, or puts the count in force back.
    let on_repeats_input = {
        let act = act.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(r) = input_value(&e).parse::<usize>()
                && Limits::REPEATS.contains(&r)
            {
                act.emit(Action::Repeats(r));
            }
        })
    };
    let on_repeats = {
        let (act, now) = (act.clone(), c.repeats);
        Callback::from(move |e: Event| {
            let shown = match input_value(&e).parse::<usize>() {
                Ok(r) => {
                    let r = r.clamp(*Limits::REPEATS.start(), *Limits::REPEATS.end());
                    act.emit(Action::Repeats(r));
                    r
                }
                Err(_) => now,
            };
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                el.set_value(&shown.to_string());
            }
        })
    };
    let on_budget = parsed(&act, select_value, Action::Budget);
    let on_threads = parsed(&act, select_value, Action::Threads);
    // Why the thread count cannot be chosen, when it cannot.
    let st = Rung::Wasm(lanes_kernels::Variant::SimdThreads);
    // The default: every thread of the pool, or those that help where the
    // worker measured fewer (a browser that rounds its core count up).
    let default_threads = if c.useful_threads() < c.pool() {
        format!("{} that help (of {})", c.useful_threads(), c.pool())
    } else {
        format!("all ({})", c.pool())
    };
    let threads_off = if p.worker == Worker::Starting {
        Some("waiting for the worker".to_owned())
    } else if c.pool() < 2 {
        Some("no thread pool here: see This device".to_owned())
    } else if !c.offered().contains(&st) {
        Some(format!(
            "{} ({}) has no simd-threads rung",
            c.op.name(),
            c.dtype.numpy_name()
        ))
    } else if !c.variants.contains(&st) {
        Some("tick simd-threads to use threads".to_owned())
    } else {
        None
    };
    let (bytes_array, bytes_total) = match c.problem() {
        Ok(p) => (
            p.inputs()[0].nbytes(),
            p.total_bytes().saturating_add(p.temp_bytes()),
        ),
        Err(_) => (0, 0),
    };
    let offered = c.offered();
    let rungs = offered.iter().map(|&r| {
        let act = act.clone();
        let on = c.variants.contains(&r);
        let id = format!("rung-{}", r.name());
        html! {
            <label for={id.clone()} class="rung">
                <input id={id} type="checkbox" checked={on} onchange={move |_| act.emit(Action::Toggle(r))} />
                <span class="swatch" style={swatch(r)}></span>{ r.name() }
                if r == Rung::Python {
                    <small class="muted" title="CPython compiled to WebAssembly (Pyodide): downloaded from this site on the first run that ticks it, then kept">{ " (downloads CPython on Run)" }</small>
                }
            </label>
        }
    });
    let run = p.on_run.clone();
    let stop = p.on_stop.clone();
    html! {
        <section class="controls" aria-label="Experiment">
            <div class="row">
                <label>{ "Operation" }
                    <select onchange={on_op} aria-label="Operation">
                        { for Op::ALL.iter().map(|o| html! {
                            <option value={o.name()} selected={*o == c.op}>{ o.name() }</option>
                        }) }
                    </select>
                </label>
                if info.forms.len() > 1 {
                    <label>{ "Strategy" }
                        <select onchange={on_strategy} aria-label="Strategy">
                            { for info.strategies().map(|s| html! {
                                <option value={s.name()} selected={s == c.strategy}>{ s.name() }</option>
                            }) }
                        </select>
                    </label>
                }
                <label>{ "dtype" }
                    <select onchange={on_dtype} aria-label="dtype">
                        { for info.dtypes.iter().map(|d| html! {
                            <option value={d.name()} selected={*d == c.dtype}>{ d.numpy_name() }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Repeats" }
                    <input type="number" min="1" max={Limits::REPEATS.end().to_string()} value={c.repeats.to_string()} oninput={on_repeats_input} onchange={on_repeats} aria-label="Repeats" />
                </label>
                <label title={threads_off.clone()}>{ "Threads" }
                    <select onchange={on_threads} aria-label="Threads" disabled={threads_off.is_some()}>
                        <option value="0" selected={c.threads == 0}>{ default_threads }</option>
                        if c.pool() > 1 {
                            { for (1..=c.pool()).map(|t| html! {
                                <option value={t.to_string()} selected={c.threads == t}>{ t }</option>
                            }) }
                        }
                    </select>
                </label>
                <label>{ "Time budget" }
                    <select onchange={on_budget} aria-label="Time budget">
                        { for crate::state::BUDGETS.iter().map(|b| html! {
                            <option value={b.to_string()} selected={*b == c.budget_s}>{ format!("{b} s") }</option>
                        }) }
                    </select>
                </label>
            </div>
            <div class="row size">
                <label for="size">{ "Size" }</label>
                <input id="size" type="range" min="0" max={(steps.len() - 1).to_string()} value={pos.to_string()}
                    oninput={on_size} aria-valuetext={format!("{} elements", c.size)} />
                <span class="size-text">
                    { format!("{} elements {} · {} per array · {} in all", group(c.size), c.shape(), format_bytes(bytes_array), format_bytes(bytes_total)) }
                </span>
            </div>
            <fieldset class="row rungs"><legend>{ "Rungs of the ladder" }</legend>{ for rungs }</fieldset>
            <div class="row actions">
                <button class="primary" disabled={p.running || p.worker != Worker::Ready} onclick={move |_| run.emit(())}
                    title={(p.worker == Worker::Failed).then_some("the measurement worker did not start: see This device")}>
                    { match p.worker { Worker::Ready => "Run", Worker::Starting => "Starting…", Worker::Failed => "Worker unavailable" } }
                </button>
                <button disabled={!p.running} onclick={move |_| stop.emit(())}>{ "Stop" }</button>
                <RunProgress />
            </div>
            <p class="muted">{ format!("Sizes from {MIN_SIZE} to {} elements fit in this tab.", group(max)) }</p>
        </section>
    }
}

/// A run's progress in samples, from the live results in context: the one
/// part of the controls that changes with every sample.
#[component]
pub fn RunProgress() -> Html {
    let Some(live) = use_context::<Shared<Live>>() else {
        return html! {};
    };
    let live = live.borrow();
    if live.status != Status::Running {
        return html! {};
    }
    if let Some(bar) = loading_bar(&live) {
        return bar;
    }
    let (done, total) = (live.received_samples(), live.expected_samples());
    html! {
        <>
            <progress max={total.max(1).to_string()} value={done.to_string()} aria-label="Samples received"></progress>
            <span class="muted">{ format!("{done} of {total} samples") }</span>
        </>
    }
}
