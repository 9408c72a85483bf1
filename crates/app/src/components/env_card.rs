//! What this device and page allow: browser, cores, SIMD, threads, timer.

use lanes_harness::protocol::Environment;
use yew::prelude::*;

#[derive(PartialEq, Properties)]
pub struct EnvProps {
    pub env: Option<Environment>,
    pub error: Option<String>,
    /// What the worker's start is doing, while it starts.
    pub stage: Option<String>,
}

/// A short name for the browser from its user agent.
fn browser(ua: &str) -> String {
    for (key, name) in [
        ("Firefox/", "Firefox"),
        ("Edg/", "Edge"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ] {
        if let Some(i) = ua.find(key) {
            let v: String = ua[i + key.len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            return format!("{name} {v}");
        }
    }
    "unknown browser".into()
}

fn starting(stage: Option<&str>) -> String {
    match stage {
        Some(s) => format!("Starting the worker: {s}…"),
        None => "Starting the worker…".into(),
    }
}

#[component]
pub fn EnvCard(p: &EnvProps) -> Html {
    let Some(env) = &p.env else {
        return html! {
            <aside class="env" aria-label="Environment">
                if let Some(e) = &p.error { <p class="error" role="alert">{ e }</p> } else { <p class="muted" aria-live="polite">{ starting(p.stage.as_deref()) }</p> }
            </aside>
        };
    };
    let threads = if env.threads {
        format!(
            "yes: a pool of {} Web Workers on shared memory",
            env.max_threads
        )
    } else {
        format!("no: {}", env.threads_reason.clone().unwrap_or_default())
    };
    let timer = if env.timer_resolution_ns >= 1e6 {
        format!("{} ms", env.timer_resolution_ns / 1e6)
    } else if env.timer_resolution_ns >= 1000.0 {
        format!("{:.0} µs", env.timer_resolution_ns / 1000.0)
    } else {
        format!("{:.0} ns", env.timer_resolution_ns)
    };
    html! {
        <aside class="env" aria-label="Environment">
            <h3>{ "This device" }</h3>
            <dl>
                <dt>{ "Browser" }</dt><dd>{ browser(&env.user_agent) }</dd>
                <dt>{ "Cores" }</dt><dd>{ env.hardware_concurrency }</dd>
                <dt>{ "SIMD128" }</dt><dd>{ if env.simd { "yes" } else { "no" } }</dd>
                <dt>{ "Threads" }</dt><dd>{ threads }</dd>
                <dt>{ "Cross-origin isolated" }</dt><dd>{ if env.cross_origin_isolated { "yes" } else { "no" } }</dd>
                <dt>{ "Timer resolution" }</dt><dd>{ timer }</dd>
                <dt>{ "Build" }</dt><dd>{ &env.build }</dd>
            </dl>
        </aside>
    }
}
