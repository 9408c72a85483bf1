//! "Embed this experiment": the snippets that put the current experiment in
//! a blog post, as a self-sizing web component or a plain iframe.

use yew::prelude::*;

use crate::state::Config;
use crate::url;

/// The site this page is served from (the folder of the page).
fn site() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .and_then(|href| web_sys::Url::new_with_base("./", &href).ok())
        .map(|u| u.href())
        .unwrap_or_else(|| "./".into())
}

/// `<lanes-widget ...>` with the config's parameters as attributes. Every
/// value is one of our own names or a number: nothing to escape.
pub fn component_snippet(site: &str, c: &Config) -> String {
    let mut attrs = vec![
        ("op", c.op.name().to_owned()),
        ("strategy", c.strategy.name().to_owned()),
        ("dtype", c.dtype.name().to_owned()),
        ("size", c.size.to_string()),
    ];
    if c.chosen {
        let names: Vec<&str> = c.variants.iter().map(|v| v.name()).collect();
        attrs.push(("variants", names.join(",")));
    }
    attrs.push(("repeats", c.repeats.to_string()));
    let attrs: Vec<String> = attrs.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    format!(
        "<script src=\"{site}js/widget.js\" defer></script>\n<lanes-widget {}></lanes-widget>",
        attrs.join(" ")
    )
}

/// A plain iframe: for pages that allow no scripts; it does not resize.
pub fn iframe_snippet(site: &str, c: &Config) -> String {
    format!(
        "<iframe src=\"{site}embed.html{}\" title=\"Lanes: {}\" width=\"100%\" height=\"560\" style=\"border:0\" \
         sandbox=\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox\" loading=\"lazy\"></iframe>",
        url::query(c).replace('&', "&amp;"),
        c.op.numpy(c.strategy)
    )
}

#[derive(PartialEq, Properties)]
pub struct EmbedCodeProps {
    pub config: Config,
}

#[component]
pub fn EmbedCode(p: &EmbedCodeProps) -> Html {
    let site = site();
    let component = component_snippet(&site, &p.config);
    let iframe = iframe_snippet(&site, &p.config);
    html! {
        <details class="embed-code">
            <summary>{ "Embed this experiment in a page" }</summary>
            <p class="muted">{ "Two lines: the script (once per page) and the element. It sizes itself to its content. \
                In a post that is not cross-origin isolated it runs on one thread, with a coarser clock, and says so." }</p>
            <label for="embed-component">{ "Web component" }</label>
            <textarea id="embed-component" readonly=true rows="3" value={component.clone()} />
            <CopyButton text={component} />
            <label for="embed-iframe">{ "Plain iframe (fixed height, for pages without scripts)" }</label>
            <textarea id="embed-iframe" readonly=true rows="3" value={iframe.clone()} />
            <CopyButton text={iframe} />
        </details>
    }
}

#[derive(PartialEq, Properties)]
struct CopyProps {
    text: String,
}

/// Copies its text to the clipboard, and says so.
#[component]
fn CopyButton(p: &CopyProps) -> Html {
    let done = use_state(|| false);
    let onclick = {
        let (done, text) = (done.clone(), p.text.clone());
        Callback::from(move |_| {
            let Some(w) = web_sys::window() else { return };
            let promise = w.navigator().clipboard().write_text(&text);
            let done = done.clone();
            wasm_bindgen_futures::spawn_local(async move {
                done.set(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
            });
        })
    };
    html! { <button {onclick}>{ if *done { "Copied" } else { "Copy" } }</button> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanes_kernels::{DType, Op};

    #[test]
    fn snippets_carry_the_experiment() {
        let mut c = Config::for_chapter(0);
        c.op = Op::Sum;
        c.dtype = DType::I8;
        c.size = 5000;
        let s = component_snippet("https://lanes.example/", &c);
        assert!(
            s.starts_with("<script src=\"https://lanes.example/js/widget.js\" defer></script>\n"),
            "{s}"
        );
        assert!(s.contains("<lanes-widget op=\"sum\" strategy=\"default\" dtype=\"i8\" size=\"5000\" repeats=\"7\">"), "{s}");
        assert!(
            !s.contains("variants"),
            "rungs left at all are not pinned: {s}"
        );
        c.chosen = true;
        c.variants = c.defaults()[..2].to_vec();
        assert!(component_snippet("/", &c).contains("variants=\"js-array,js-typed\""));
        let f = iframe_snippet("https://lanes.example/", &c);
        assert!(
            f.starts_with(
                "<iframe src=\"https://lanes.example/embed.html?chapter=1&amp;op=sum&amp;"
            ),
            "{f}"
        );
        assert!(
            f.contains("sandbox=\"allow-scripts allow-same-origin"),
            "{f}"
        );
    }
}
