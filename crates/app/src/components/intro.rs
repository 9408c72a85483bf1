//! The first screen and the chapter tabs.

use yew::prelude::*;

use crate::chapters::CHAPTERS;

#[derive(PartialEq, Properties)]
pub struct IntroProps {
    pub chapter: usize,
    pub on_chapter: Callback<usize>,
    pub on_try: Callback<()>,
    pub running: bool,
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
    html! {
        <section class="intro" aria-labelledby="lead">
            <p id="lead" class="lead">
                { "Lanes runs the same array operation as a plain JavaScript loop, as compiled WebAssembly, and as hand-written SIMD, \
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
            </article>
        </section>
    }
}
