//! Sweeps: throughput against size (where caches run out and SIMD stops
//! helping), the same op across dtypes (time and bytes side by side), and
//! `simd-threads` against its thread count (time and speed-up).

use std::rc::Rc;

use lanes_harness::protocol::{Rung, format_bytes};
use lanes_harness::stats::format_time;
use lanes_kernels::{Unit, Variant};
use yew::prelude::*;

use crate::chart;
use crate::components::{group, swatch};
use crate::state::{Status, Sweep, SweepKind};

#[derive(PartialEq, Properties)]
pub struct SweepProps {
    pub sweep: Option<Rc<Sweep>>,
    pub running: bool,
    pub on_sweep: Callback<SweepKind>,
    pub dark: bool,
    pub unit: Unit,
    /// Why the threads sweep cannot run here, if it cannot.
    pub threads_blocked: Option<String>,
}

#[component]
pub fn SweepPanel(p: &SweepProps) -> Html {
    let (sizes, dtypes, threads) = (p.on_sweep.clone(), p.on_sweep.clone(), p.on_sweep.clone());
    let buttons = html! {
        <div class="row actions">
            <button disabled={p.running} onclick={move |_| sizes.emit(SweepKind::Sizes)}>{ "Sweep sizes" }</button>
            <button disabled={p.running} onclick={move |_| dtypes.emit(SweepKind::DTypes)}>{ "Compare dtypes" }</button>
            <button disabled={p.running || p.threads_blocked.is_some()} title={p.threads_blocked.clone()}
                onclick={move |_| threads.emit(SweepKind::Threads)}>{ "Scale over threads" }</button>
            if let Some(why) = &p.threads_blocked {
                <span class="muted">{ format!("Threads: {why}.") }</span>
            }
        </div>
    };
    let Some(sw) = &p.sweep else {
        return html! {
            <section class="sweep" aria-label="Sweeps">
                <h2>{ "Sweeps" }</h2>
                <p class="muted">{ "Run the chosen rungs over sizes from 100 elements up, or over every dtype the op takes, \
                    or simd-threads over 1 to all of the pool's threads against simd (3 samples each)." }</p>
                { buttons }
            </section>
        };
    };
    let order: Vec<Rung> = {
        let mut v: Vec<Rung> = sw
            .points
            .iter()
            .flat_map(|pt| pt.results.iter().map(|r| r.variant))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let svg = match sw.kind {
        SweepKind::Sizes => chart::sweep_chart(&sw.points, &order, p.unit, p.dark),
        SweepKind::DTypes => chart::dtype_chart(&sw.points, &order, p.dark),
        SweepKind::Threads => chart::threads_chart(&sw.points, p.dark),
    };
    let figure = match svg {
        Ok(s) if !s.is_empty() => Html::from_html_unchecked(AttrValue::from(s)),
        Ok(_) => html! { <p class="muted">{ "Waiting for the first points…" }</p> },
        Err(e) => html! { <p class="error">{ format!("chart: {e}") }</p> },
    };
    let status = match &sw.status {
        Status::Running => format!("{} of {} points", sw.points.len(), sw.planned),
        Status::Done => "done".into(),
        Status::Stopped => format!("stopped after {} of {} points", sw.points.len(), sw.planned),
        Status::Failed(m) => m.clone(),
        Status::Idle => String::new(),
    };
    let rows = sw.points.iter().map(|pt| {
        let label = match sw.kind {
            SweepKind::Sizes => group(pt.size),
            SweepKind::DTypes => pt.dtype.numpy_name().to_owned(),
            SweepKind::Threads => pt.threads.to_string(),
        };
        // The harness's speed-up (medians, with an interval), as the
        // results table shows it.
        let speedup = (sw.kind == SweepKind::Threads).then(|| {
            let r = |v| pt.results.iter().find(|x| x.variant == Rung::Wasm(v));
            match (r(Variant::Simd), r(Variant::SimdThreads)) {
                (Some(a), Some(b)) if b.median_ns > 0.0 => b.speedup_over(a).text(),
                _ => "–".to_owned(),
            }
        });
        html! {
            <tr>
                <th scope="row">{ label }</th>
                <td>{ format_bytes(pt.bytes_per_array) }</td>
                { for order.iter().map(|r| {
                    let cell = pt.results.iter().find(|x| x.variant == *r).map_or("–".to_owned(), |x| {
                        format!("{} · {:.2} {}", format_time(x.min_ns), chart::rate(p.unit, x), chart::unit_label(p.unit))
                    });
                    html! { <td>{ cell }</td> }
                }) }
                if let Some(sp) = speedup { <td>{ sp }</td> }
            </tr>
        }
    });
    let title = match sw.kind {
        SweepKind::Sizes => "Throughput against size",
        SweepKind::DTypes => "The same op across dtypes",
        SweepKind::Threads => "Scaling with threads",
    };
    let first = match sw.kind {
        SweepKind::Sizes => "elements",
        SweepKind::DTypes => "dtype",
        SweepKind::Threads => "threads",
    };
    html! {
        <section class="sweep" aria-label="Sweeps" aria-live="polite">
            <h2>{ title }{ " " }<span class="muted">{ status }</span></h2>
            { buttons }
            if sw.status == Status::Running {
                <progress max={sw.planned.to_string()} value={sw.points.len().to_string()} aria-label="Sweep progress"></progress>
            }
            <figure class="chart">{ figure }</figure>
            if sw.kind == SweepKind::Sizes {
                <p class="muted">{ "Browsers do not tell pages their cache sizes: look for the size where throughput drops, \
                    where the arrays stop fitting in a cache level and memory bandwidth sets the pace." }</p>
            }
            if sw.kind == SweepKind::Threads {
                <p class="muted">{ "Each point runs simd and simd-threads together, so the speed-up compares numbers taken \
                    moments apart. Threads that idle fall asleep; an untimed call before every simd-threads sample wakes them, \
                    as %timeit's back-to-back loops would. Memory-bound ops stop scaling once the cores share the memory bus." }</p>
            }
            <table>
                <thead><tr>
                    <th scope="col">{ first }</th>
                    <th scope="col">{ "bytes per array" }</th>
                    { for order.iter().map(|r| html! { <th scope="col"><span class="swatch" style={swatch(*r)}></span>{ r.name() }</th> }) }
                    if sw.kind == SweepKind::Threads { <th scope="col">{ "speed-up" }</th> }
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}
