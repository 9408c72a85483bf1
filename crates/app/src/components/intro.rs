//! The first screen and the chapter tabs, with the post's claim of the
//! chapter (if it measured one) beside this device's figures.

use std::rc::Rc;

use lanes_harness::protocol::{Rung, VariantResult};
use lanes_harness::stats::format_time;
use yew::prelude::*;

use crate::chapters::{
    CHAPTERS, Claim, POST_DTYPE_MB, POST_DTYPE_SUM_NS, dtype_sums, dtype_table, dtype_verdict,
    times, verdict,
};
use crate::state::{Live, Shared, Status, Sweep};

#[derive(PartialEq, Properties)]
pub struct IntroProps {
    pub chapter: usize,
    pub on_chapter: Callback<usize>,
    pub on_try: Callback<()>,
    pub on_claim: Callback<()>,
    /// Runs chapter 4's sums across dtypes.
    pub on_dtype_sums: Callback<()>,
    pub running: bool,
    pub live: Shared<Live>,
    pub sweep: Option<Rc<Sweep>>,
}

/// This device's results for the claim's two rungs, if the last run was
/// the claim's problem and both rungs finished.
fn measured<'a>(claim: &Claim, live: &'a Live) -> Option<(&'a VariantResult, &'a VariantResult)> {
    let info = live.info.as_ref()?;
    if info.op != claim.op.name() || info.dtype != claim.dtype.name() || info.shape != [claim.size]
    {
        return None;
    }
    let get = |r: Rung| live.results.iter().find(|x| x.variant == r);
    Some((get(claim.slow.rung)?, get(claim.fast.rung)?))
}

fn claim_card(claim: &Claim, live: &Live, running: bool, on_claim: Callback<()>) -> Html {
    let here = measured(claim, live);
    let line = |r: Option<&VariantResult>| r.map_or_else(|| "–".to_owned(), |r| r.timeit.clone());
    let sentence = here.map(|(s, f)| verdict(claim, s.min_ns, f.min_ns).1);
    html! {
        <div class="claim">
            <h3>{ "The post's claim, on this device" }</h3>
            <p>{ format!(
                "The post timed {} against {} ({} {} elements) and found \u{201c}{}\u{201d}: {} faster. Its figures are quoted below; this device's are measured when you run it (best of 5, as %timeit reports).",
                claim.slow.name, claim.fast.name, claim.dtype.numpy_name(), claim.size, claim.said, times(claim.ratio())
            ) }</p>
            <table class="claim-table">
                <thead><tr><th scope="col"></th><th scope="col">{ "the post (%timeit)" }</th><th scope="col">{ "this device" }</th></tr></thead>
                <tbody>
                    <tr><th scope="row"><code>{ claim.slow.name }</code>{ format!(" ({})", claim.slow.rung) }</th>
                        <td><code>{ claim.slow.timeit }</code></td><td><code>{ line(here.map(|h| h.0)) }</code></td></tr>
                    <tr><th scope="row"><code>{ claim.fast.name }</code>{ format!(" ({})", claim.fast.rung) }</th>
                        <td><code>{ claim.fast.timeit }</code></td><td><code>{ line(here.map(|h| h.1)) }</code></td></tr>
                    <tr><th scope="row">{ "ratio" }</th><td>{ times(claim.ratio()) }</td>
                        <td>{ here.map_or_else(|| "–".to_owned(), |(s, f)| times(s.min_ns / f.min_ns)) }</td></tr>
                </tbody>
            </table>
            if let Some(s) = sentence { <p class="verdict" role="status">{ s }</p> }
            <button disabled={running} onclick={move |_| on_claim.emit(())}>
                { format!("Test the claim on this device ({} and {})", claim.slow.rung, claim.fast.rung) }
            </button>
        </div>
    }
}

/// Chapter 4's table: the bytes of 10**7 elements per dtype, computed,
/// beside the post's printed figures; the post's sums beside this
/// device's (the SIMD rung, from a dtypes sweep of sum at that size), and
/// the sentence that compares them.
fn dtype_card(sweep: Option<&Sweep>, running: bool, on_sums: Callback<()>) -> Html {
    let sums = sweep.map(dtype_sums).unwrap_or_default();
    let quoted = |table: &[(lanes_kernels::DType, f64)], d, show: &dyn Fn(f64) -> String| {
        table
            .iter()
            .find(|(p, _)| *p == d)
            .map_or_else(|| "–".to_owned(), |(_, v)| show(*v))
    };
    let rows = dtype_table().into_iter().map(|(d, mb)| {
        let post_mb = quoted(&POST_DTYPE_MB, d, &|m| format!("{m:.2} MB"));
        let post_sum = quoted(&POST_DTYPE_SUM_NS, d, &format_time);
        let here = quoted(&sums, d, &format_time);
        html! {
            <tr><th scope="row">{ d.numpy_name() }</th><td>{ format!("{mb:.2} MB") }</td><td>{ post_mb }</td>
                <td>{ post_sum }</td><td class="here">{ here }</td></tr>
        }
    });
    let pending = sweep.is_some_and(|s| s.status == Status::Running) && sums.len() < 4;
    html! {
        <div class="claim dtype-sums">
            <h3>{ "10**7 elements, by dtype: bytes (MB as the post printed them: nbytes / 1024**2) and np.sum" }</h3>
            <table class="claim-table">
                <thead><tr><th scope="col">{ "dtype" }</th><th scope="col">{ "MB computed" }</th><th scope="col">{ "MB, the post" }</th>
                    <th scope="col">{ "np.sum, the post" }</th><th scope="col">{ "sum (simd), this device" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            if let Some(s) = dtype_verdict(&sums) { <p class="verdict" role="status">{ s }</p> }
            else if pending { <p class="muted" role="status">{ "Summing…" }</p> }
            <button disabled={running} onclick={move |_| on_sums.emit(())}>
                { "Sum 10**7 numbers of each dtype on this device (simd)" }
            </button>
        </div>
    }
}

#[component]
pub fn Intro(p: &IntroProps) -> Html {
    let c = &CHAPTERS[p.chapter];
    let tabs = CHAPTERS.iter().enumerate().map(|(i, ch)| {
        let on = p.on_chapter.clone();
        let selected = i == p.chapter;
        html! {
            <button role="tab" aria-selected={selected.to_string()} class={classes!("tab", selected.then_some("selected"))}
                onclick={move |_| on.emit(i)}>{ ch.title }</button>
        }
    });
    let on_try = p.on_try.clone();
    let live = p.live.borrow();
    html! {
        <section class="intro" aria-labelledby="lead">
            <p id="lead" class="lead">
                { "Lanes runs the same array operation as CPython, as a plain JavaScript loop, as compiled WebAssembly, and as hand-written SIMD, \
                   and times each on your own device. See where every factor of speed comes from, as in \u{201c}Making NumPy Sing\u{201d}." }
            </p>
            <nav class="tabs" role="tablist" aria-label="Chapters">{ for tabs }</nav>
            <article class="chapter">
                <h2>{ c.title }</h2>
                <p>{ c.text }</p>
                <p class="numpy"><span class="label">{ "NumPy: " }</span><code>{ c.numpy }</code></p>
                <button class="primary" disabled={p.running} onclick={move |_| on_try.emit(())}>
                    { "Run this experiment" }
                </button>
                if let Some(claim) = &c.claim {
                    { claim_card(claim, &live, p.running, p.on_claim.clone()) }
                }
                if p.chapter == 3 { { dtype_card(p.sweep.as_deref(), p.running, p.on_dtype_sums.clone()) } }
            </article>
        </section>
    }
}
