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

/// The version after `key` in `ua`: its digits and dots (`17.4`, `156`).
fn version_after(ua: &str, key: &str) -> Option<String> {
    let i = ua.find(key)? + key.len();
    let v: String = ua[i..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let v = v.trim_end_matches('.');
    (!v.is_empty()).then(|| v.to_owned())
}

/// The major version after `key`: `156` of `Chrome/156.0.7000.1`.
fn major_after(ua: &str, key: &str) -> Option<String> {
    version_after(ua, key).map(|v| v.split('.').next().unwrap_or_default().to_owned())
}

/// Whether the browser runs on WebKit (JavaScriptCore): Safari, every
/// browser on iOS, WebKitGTK's MiniBrowser. Chromium's user agent names
/// AppleWebKit too, with `Chrome/`.
pub fn is_webkit(ua: &str) -> bool {
    ua.contains("AppleWebKit/") && !ua.contains("Chrome/") && !ua.contains("Chromium/")
}

/// A short name for the browser from its user agent. Safari's version is
/// after `Version/` (its `Safari/605.1.15` is WebKit's build number,
/// frozen); the browsers of iOS are WebKit inside, and say so; any other
/// WebKit (WebKitGTK's MiniBrowser, Epiphany) is "WebKit".
pub fn browser(ua: &str) -> String {
    let ios = if ua.contains("iPhone") || ua.contains("iPad") {
        " on iOS"
    } else {
        ""
    };
    for (key, name) in [
        ("FxiOS/", "Firefox"),
        ("EdgiOS/", "Edge"),
        ("CriOS/", "Chrome"),
    ] {
        if let Some(v) = major_after(ua, key) {
            return format!("{name} {v}{ios} (WebKit)");
        }
    }
    for (key, name) in [
        ("Firefox/", "Firefox"),
        ("Edg/", "Edge"),
        ("Chrome/", "Chrome"),
    ] {
        if let Some(v) = major_after(ua, key) {
            return format!("{name} {v}");
        }
    }
    if is_webkit(ua) {
        // Safari runs on Apple's systems only: elsewhere (WebKitGTK, WPE)
        // `Version/` is made up to look like Safari's (`Version/60.5`).
        let apple = ua.contains("Macintosh") || !ios.is_empty();
        return match version_after(ua, "Version/") {
            Some(v) if apple && ua.contains("Safari/") => format!("Safari {v}{ios}"),
            _ => format!("WebKit{ios}"),
        };
    }
    "unknown browser".into()
}

/// Whether `cores` may be the browser's rounding and not the device's
/// count: WebKit reports 4 below 8 cores and 8 from 8 up.
pub fn cores_rounded(ua: &str, cores: usize) -> bool {
    is_webkit(ua) && matches!(cores, 4 | 8)
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
    let useful = env.limits().useful_threads;
    let threads = if env.threads && useful < env.max_threads {
        format!(
            "yes: a pool of {} Web Workers on shared memory, of which {useful} help here \
             (measured at start: more are slower), so simd-threads uses {useful} unless told",
            env.max_threads
        )
    } else if env.threads {
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
    let cores = if cores_rounded(&env.user_agent, env.hardware_concurrency) {
        format!(
            "{} as the browser reports it (WebKit rounds: 4 below 8 cores, 8 from 8 up)",
            env.hardware_concurrency
        )
    } else {
        env.hardware_concurrency.to_string()
    };
    html! {
        <aside class="env" aria-label="Environment">
            <h3>{ "This device" }</h3>
            <dl>
                <dt>{ "Browser" }</dt><dd>{ browser(&env.user_agent) }</dd>
                <dt>{ "Cores" }</dt><dd>{ cores }</dd>
                <dt>{ "SIMD128" }</dt><dd>{ if env.simd { "yes" } else { "no" } }</dd>
                <dt>{ "Threads" }</dt><dd>{ threads }</dd>
                <dt>{ "Cross-origin isolated" }</dt><dd>{ if env.cross_origin_isolated { "yes" } else { "no" } }</dd>
                <dt>{ "Timer resolution" }</dt><dd>{ timer }</dd>
                <dt>{ "Build" }</dt><dd>{ &env.build }</dd>
            </dl>
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_is_named_by_its_version_not_webkits_build() {
        for (ua, name) in [
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
                "Safari 17.4.1",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Safari 18.1 on iOS",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
                "Chrome 131 on iOS (WebKit)",
            ),
            (
                "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/132.0 Mobile/15E148 Safari/605.1.15",
                "Firefox 132 on iOS (WebKit)",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/605.1.15",
                "WebKit",
            ),
            // WebKitGTK 2.50's MiniBrowser, as it says it.
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15",
                "WebKit",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
                "Firefox 140",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
                "Chrome 156",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
                "Edge 131",
            ),
            ("curl/8.5", "unknown browser"),
        ] {
            assert_eq!(browser(ua), name, "{ua}");
        }
    }

    #[test]
    fn only_webkits_four_and_eight_are_taken_for_rounded() {
        let safari = "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";
        let chrome = "Mozilla/5.0 (X11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
        assert!(cores_rounded(safari, 4) && cores_rounded(safari, 8));
        assert!(!cores_rounded(safari, 2) && !cores_rounded(safari, 10));
        assert!(!cores_rounded(chrome, 4) && !cores_rounded(chrome, 8));
    }
}
