//! The live results: the chart, a `%timeit` line per rung, speed-ups,
//! throughput, memory, and what went wrong.

use std::rc::Rc;

use lanes_harness::protocol::{RunInfo, Rung, format_bytes};
use lanes_harness::stats::{Speedup, format_time};
use yew::prelude::*;

use crate::chart;
use crate::components::swatch;
use crate::export::Imported;
use crate::state::{Live, Shared, Status};
use wasm_bindgen::JsCast;

#[derive(PartialEq, Properties)]
pub struct ResultsProps {
    pub live: Shared<Live>,
    pub dark: bool,
    /// Export: "json", "csv" or "svg".
    pub on_export: Callback<&'static str>,
    pub imported: Option<Rc<Imported>>,
    pub import_error: Option<String>,
    /// Import: a chosen file.
    pub on_import: Callback<web_sys::File>,
}

fn rate(unit: &str, gb: f64, gelem: f64, gflop: f64) -> String {
    match unit {
        "flops" => format!("{gflop:.2} GFLOP/s"),
        "elements" => format!("{gelem:.3} Gelem/s"),
        _ => format!("{gb:.2} GB/s"),
    }
}

/// What the python rung's objects hold against the same numbers as arrays.
pub fn python_memory(held: u64, info: &RunInfo) -> String {
    let arrays: u64 = info
        .inputs
        .iter()
        .chain(std::iter::once(&info.output))
        .map(|a| a.bytes)
        .sum();
    let ratio = held as f64 / arrays.max(1) as f64;
    format!(
        "The python rung's objects hold {} (measured by tracemalloc: its arrays, the lists its setup builds, a slot and a number object per element, and its result), {ratio:.1}× the {} the same numbers take as arrays.",
        format_bytes(held),
        format_bytes(arrays)
    )
}

#[component]
pub fn Results(p: &ResultsProps) -> Html {
    let live = p.live.borrow();
    let live = &*live;
    let Some(info) = &live.info else {
        return match &live.status {
            Status::Failed(m) => {
                html! { <section class="results"><p class="error" role="alert">{ m }</p></section> }
            }
            Status::Running => {
                html! { <section class="results"><p class="muted">{ "Preparing inputs and checking every rung against the reference…" }</p></section> }
            }
            _ => html! {},
        };
    };
    let order: Vec<Rung> = info.variants.clone();
    let overlay: Vec<(Rung, f64)> = p
        .imported
        .iter()
        .flat_map(|i| i.records.iter())
        .filter(|r| {
            r.op == info.op
                && r.strategy == info.strategy
                && r.dtype == info.dtype
                && r.shape == info.shape
        })
        .map(|r| (r.variant, r.median_ns))
        .collect();
    let svg = match chart::time_chart(live, &order, p.dark, &overlay) {
        Ok(s) if !s.is_empty() => Html::from_html_unchecked(AttrValue::from(s)),
        Ok(_) => html! { <p class="muted">{ "Waiting for the first sample…" }</p> },
        Err(e) => html! { <p class="error">{ format!("chart: {e}") }</p> },
    };
    let rows = order.iter().map(|r| {
        let done = live.results.iter().find(|x| x.variant == *r);
        let error = live
            .errors
            .iter()
            .find(|(v, _)| *v == Some(*r))
            .map(|(_, m)| m.clone());
        let (timeit, median, speed, rate_s, flags) = match (done, live.summary(*r)) {
            (Some(d), _) => {
                let speed = match (d.speedup, d.speedup_low, d.speedup_high) {
                    (Some(ratio), Some(low), Some(high)) => Speedup { ratio, low, high }.text(),
                    _ => "–".into(),
                };
                let mut flags = Vec::new();
                if d.optimized_away {
                    flags.push("indistinguishable from a no-op".to_owned());
                }
                if d.timer_saturated {
                    flags.push("timer too coarse for this size".to_owned());
                }
                if d.outliers_low + d.outliers_high > 0 {
                    flags.push(format!(
                        "{} outlier(s), kept",
                        d.outliers_low + d.outliers_high
                    ));
                }
                (
                    d.timeit.clone(),
                    format!("{} ± {}", format_time(d.median_ns), format_time(d.mad_ns)),
                    speed,
                    rate(&info.unit, d.gb_per_s, d.gelem_per_s, d.gflop_per_s),
                    flags.join("; "),
                )
            }
            (None, Some(s)) => (
                format!("{} samples so far", s.n),
                format!("{} ± {}", format_time(s.median), format_time(s.mad)),
                "…".into(),
                "…".into(),
                String::new(),
            ),
            (None, None) => (
                error.clone().unwrap_or_else(|| "waiting".into()),
                "–".into(),
                "–".into(),
                "–".into(),
                String::new(),
            ),
        };
        let extra = live.extra_bytes.get(r).copied().unwrap_or(0);
        html! {
            <tr class={classes!(error.is_some().then_some("failed"))}>
                <th scope="row"><span class="swatch" style={swatch(*r)}></span>{ r.name() }</th>
                <td class="timeit"><code>{ timeit }</code></td>
                <td>{ median }</td>
                <td>{ speed }</td>
                <td>{ rate_s }</td>
                <td>{ match live.held_bytes.get(r) {
                    Some(&b) => format!("{} of Python objects", format_bytes(b)),
                    None if r.is_js() => "JS heap, not counted".to_owned(),
                    None => format_bytes(extra as u64),
                } }</td>
                <td class="muted">{ flags }</td>
            </tr>
        }
    });
    let arrays = info.inputs.iter().chain(std::iter::once(&info.output)).map(|a| {
        html! { <li><code>{ &a.name }</code>{ format!(" {} {:?}: {}", a.dtype, a.shape, format_bytes(a.bytes)) }</li> }
    });
    let status = match &live.status {
        Status::Running => html! { <span class="muted">{ "measuring…" }</span> },
        Status::Done => html! { <span class="muted">{ "done" }</span> },
        Status::Stopped => {
            html! { <span class="muted">{ "stopped: results so far are kept" }</span> }
        }
        Status::Failed(m) => html! { <span class="error" role="alert">{ m }</span> },
        Status::Idle => html! {},
    };
    let errors = live
        .errors
        .iter()
        .filter(|(v, _)| v.is_none())
        .map(|(_, m)| html! { <p class="error">{ m }</p> });
    html! {
        <section class="results" aria-live="polite">
            <h2>{ format!("{} · {} {} {:?}", info.numpy, info.op, info.dtype, info.shape) } { " " }{ status }</h2>
            { for errors }
            <figure class="chart" aria-label="Time per loop of every sample, per rung">{ svg }</figure>
            if live.status != Status::Running && live.received_samples() > 0 {
                <div class="exports" role="group" aria-label="Export">
                    { for [("json", "Export JSON"), ("csv", "Export CSV"), ("svg", "Chart as SVG")].into_iter().map(|(k, label)| {
                        let on = p.on_export.clone();
                        html! { <button onclick={move |_| on.emit(k)}>{ label }</button> }
                    }) }
                </div>
                <label class="import">{ "Compare with an export: " }
                    <input type="file" accept="application/json,.json" aria-label="Import a JSON export" onchange={{
                        let on = p.on_import.clone();
                        move |e: Event| {
                            let file = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                .and_then(|i| i.files()).and_then(|f| f.get(0));
                            if let Some(f) = file { on.emit(f) }
                        }
                    }} />
                </label>
            }
            if let Some(i) = &p.imported {
                <p class="muted">{ if overlay.is_empty() {
                    format!("The import ({}) has no results for this problem.", i.source)
                } else {
                    format!("Rings: medians imported from {}.", i.source)
                } }</p>
            }
            if let Some(e) = &p.import_error { <p class="error" role="alert">{ format!("Import: {e}") }</p> }
            <table>
                <thead><tr>
                    <th scope="col">{ "rung" }</th><th scope="col">{ "%timeit" }</th><th scope="col">{ "median ± MAD" }</th>
                    <th scope="col">{ format!("speed-up vs {}", info.baseline) }</th><th scope="col">{ "throughput" }</th>
                    <th scope="col">{ "peak extra memory" }</th><th scope="col">{ "notes" }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <div class="memory">
                <h3>{ "Memory" }</h3>
                <ul>{ for arrays }</ul>
                if info.temp_bytes > 0 {
                    <p>{ format!("The strategy allocates a {} temporary inside the timed region.", format_bytes(info.temp_bytes)) }</p>
                }
                if let Some(&held) = live.held_bytes.get(&Rung::Python) {
                    <p>{ python_memory(held, info) }</p>
                }
                if let Some(m) = live.wasm_memory {
                    <p class="muted">{ format!("The worker's wasm memory after the run: {}.", format_bytes(m)) }</p>
                }
                if let Some(noop) = live.noop_ns {
                    <p class="muted">{ format!("Harness overhead (a no-op through the same call): {} per loop.", format_time(noop)) }</p>
                }
            </div>
        </section>
    }
}
