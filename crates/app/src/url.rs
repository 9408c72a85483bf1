//! The permalink: every control in the query string, and back. Parameters
//! are untrusted: a bad value falls back to the chapter's default and leaves
//! a note that the page shows (as text).

use lanes_harness::protocol::{Limits, Rung};
use lanes_kernels::{DType, Op, Strategy};

use crate::chapters::CHAPTERS;
use crate::state::{Config, MIN_SIZE};

/// Longest parameter value echoed back in a note.
const ECHO: usize = 40;

/// A parameter value as a note shows it: quoted, control and unusual
/// characters escaped, at most `ECHO` characters of the escaped form.
fn shown(v: &str) -> String {
    let escaped: String = v.chars().flat_map(char::escape_debug).collect();
    let mut s: String = escaped.chars().take(ECHO).collect();
    if escaped.chars().count() > ECHO {
        s.push('…');
    }
    format!("\"{s}\"")
}

/// The value of `key` (the last one, if the link repeats it).
fn last<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Reads a config from `?key=value&...` pairs.
pub fn parse(pairs: &[(String, String)]) -> (Config, Vec<String>) {
    let get = |k: &str| last(pairs, k);
    let mut notes = Vec::new();
    let chapter = match get("chapter") {
        None => 0,
        Some(v) => match v.parse::<usize>() {
            Ok(c) if (1..=CHAPTERS.len()).contains(&c) => c - 1,
            _ => {
                notes.push(format!(
                    "chapter {} is not 1 to {}: showing chapter 1",
                    shown(v),
                    CHAPTERS.len()
                ));
                0
            }
        },
    };
    let mut c = Config::for_chapter(chapter);
    if let Some(v) = get("op") {
        match v.parse::<Op>() {
            Ok(op) => c.op = op,
            Err(_) => notes.push(format!("unknown op {}: using {}", shown(v), c.op.name())),
        }
    }
    let info = c.op.row();
    match get("strategy").map(|v| (v, v.parse::<Strategy>())) {
        Some((_, Ok(s))) if info.has_strategy(s) => c.strategy = s,
        Some((v, _)) => {
            if !info.has_strategy(c.strategy) {
                c.strategy = info.default_strategy();
            }
            notes.push(format!(
                "{} has no strategy {}: using {}",
                info.name,
                shown(v),
                c.strategy.name()
            ));
        }
        None if !info.has_strategy(c.strategy) => c.strategy = info.default_strategy(),
        None => {}
    }
    match get("dtype").map(|v| (v, v.parse::<DType>())) {
        Some((_, Ok(d))) if info.dtypes.contains(&d) => c.dtype = d,
        Some((v, _)) => {
            if !info.dtypes.contains(&c.dtype) {
                c.dtype = info.dtypes[0];
            }
            notes.push(format!(
                "{} does not take dtype {}: using {}",
                info.name,
                shown(v),
                c.dtype
            ));
        }
        None if !info.dtypes.contains(&c.dtype) => c.dtype = info.dtypes[0],
        None => {}
    }
    if let Some(v) = get("size") {
        let max = c.max_size();
        match v.replace('_', "").parse::<f64>() {
            Ok(n) if n.is_finite() && n >= MIN_SIZE as f64 && n <= max as f64 => {
                c.size = n as usize
            }
            Ok(n) if n.is_finite() && n > max as f64 => {
                // Bytes per element at a size that fits, times the size asked
                // (which may not even be addressable here).
                let per = Config {
                    size: 1000,
                    ..c.clone()
                };
                let need = per.problem().map_or(0.0, |p| {
                    p.total_bytes().saturating_add(p.temp_bytes()) as f64 / per.shape().len() as f64
                        * n
                });
                let need = lanes_harness::protocol::format_bytes(need.min(u64::MAX as f64) as u64);
                notes.push(format!(
                    "size {} would need {need}, more than this tab allows: using the largest that fits, {max}",
                    shown(v)
                ));
                c.size = max;
            }
            _ => notes.push(format!(
                "size {} is not a number from {MIN_SIZE} to {max}: using {}",
                shown(v),
                c.size
            )),
        }
    }
    c.variants = c.defaults();
    // The pool is not known yet: a link may name `simd-threads`, which stays
    // if the worker turns out to have a pool (see `Config::on`).
    let offered = c.allowed();
    if let Some(v) = get("variants") {
        let mut picked = Vec::new();
        for name in v.split(',').filter(|s| !s.is_empty()) {
            match name.parse::<Rung>() {
                Ok(r) if offered.contains(&r) => {
                    if !picked.contains(&r) {
                        picked.push(r)
                    }
                }
                _ => notes.push(format!(
                    "variant {} is not offered here: left out",
                    shown(name)
                )),
            }
        }
        if !picked.is_empty() {
            picked.sort_by_key(|x| offered.iter().position(|o| o == x));
            c.variants = picked;
            c.chosen = true;
        }
    }
    if let Some(v) = get("repeats") {
        match v.parse::<usize>() {
            Ok(r) if Limits::REPEATS.contains(&r) => c.repeats = r,
            _ => notes.push(format!(
                "repeats {} is not {} to {}: using {}",
                shown(v),
                Limits::REPEATS.start(),
                Limits::REPEATS.end(),
                c.repeats
            )),
        }
    }
    if let Some(v) = get("threads") {
        match v.parse::<usize>() {
            Ok(t) if (1..=Limits::MAX_POOL).contains(&t) => c.threads = t,
            _ => notes.push(format!(
                "threads {} is not 1 to {}: using the whole pool",
                shown(v),
                Limits::MAX_POOL
            )),
        }
    }
    if let Some(v) = get("budget") {
        match v.parse::<u32>() {
            Ok(b) if crate::state::BUDGETS.contains(&b) => c.budget_s = b,
            _ => notes.push(format!(
                "budget {} is not one of {:?} seconds: using {}",
                shown(v),
                crate::state::BUDGETS,
                c.budget_s
            )),
        }
    }
    // What the link asked for, checked as the controls' changes are (it
    // has noted what it could not read; what remains is in range by now,
    // so this adds nothing unless the two checks part ways).
    let (c, more) = c.settle();
    notes.extend(more);
    (c, notes)
}

/// How the page looks and starts, beside the experiment itself.
#[derive(Debug, Default, PartialEq)]
pub struct Page {
    /// `theme=dark|light`; the reader's preference when absent.
    pub dark: Option<bool>,
    /// `autorun=1`: run once the worker is ready (off by default).
    pub autorun: bool,
    pub notes: Vec<String>,
}

/// Reads `theme` and `autorun`.
pub fn page(pairs: &[(String, String)]) -> Page {
    let get = |k: &str| last(pairs, k);
    let mut p = Page::default();
    match get("theme") {
        None => {}
        Some("dark") => p.dark = Some(true),
        Some("light") => p.dark = Some(false),
        Some(v) => p.notes.push(format!(
            "theme {} is not light or dark: using the reader's preference",
            shown(v)
        )),
    }
    match get("autorun") {
        None | Some("0" | "false") => {}
        Some("1" | "true") => p.autorun = true,
        Some(v) => p.notes.push(format!(
            "autorun {} is not 1 or 0: waiting for Run",
            shown(v)
        )),
    }
    p
}

/// The query string of a config.
pub fn query(c: &Config) -> String {
    // Rungs left at "all offered" stay out of the link: the device that opens
    // it offers its own (simd-threads only where there is a pool).
    let variants = if c.chosen {
        let names: Vec<&str> = c.variants.iter().map(|v| v.name()).collect();
        format!("&variants={}", names.join(","))
    } else {
        String::new()
    };
    let threads = if c.threads > 0 {
        format!("&threads={}", c.threads)
    } else {
        String::new()
    };
    format!(
        "?chapter={}&op={}&strategy={}&dtype={}&size={}{variants}&repeats={}&budget={}{threads}",
        c.chapter + 1,
        c.op.name(),
        c.strategy.name(),
        c.dtype.name(),
        c.size,
        c.repeats,
        c.budget_s
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        q.trim_start_matches('?')
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn a_permalink_round_trips() {
        let (mut c, notes) = parse(&pairs(
            "?chapter=3&op=dot&dtype=i16&size=5000&variants=js-typed,simd&repeats=9",
        ));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            (c.op, c.dtype, c.size, c.repeats),
            (Op::Dot, DType::I16, 5000, 9)
        );
        c.chapter = 2;
        let (back, notes) = parse(&pairs(&query(&c)));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(back, c);
    }

    #[test]
    fn theme_and_autorun_are_read_and_checked() {
        let p = page(&pairs("?theme=dark&autorun=1"));
        assert_eq!((p.dark, p.autorun, p.notes.len()), (Some(true), true, 0));
        let p = page(&pairs("?op=add"));
        assert_eq!(p, Page::default(), "autorun is off by default");
        let p = page(&pairs("?theme=<b>x</b>&autorun=yes"));
        assert_eq!((p.dark, p.autorun), (None, false));
        assert_eq!(p.notes.len(), 2, "{:?}", p.notes);
        assert!(p.notes[0].contains("<b>x</b>"), "echoed as text");
    }

    #[test]
    fn threads_wait_for_the_pool() {
        let (c, notes) = parse(&pairs(
            "?op=exp&dtype=f32&size=100000&variants=simd,simd-threads&threads=2",
        ));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(c.threads, 2);
        let st = Rung::Wasm(lanes_kernels::Variant::SimdThreads);
        assert!(c.variants.contains(&st), "kept until the pool is known");
        let (back, _) = parse(&pairs(&query(&c)));
        assert_eq!(back, c);
        // A pool: it stays, and the request asks for 2 threads.
        let on2 = c.clone().on(Limits::BROWSER.with_pool(4));
        assert!(on2.variants.contains(&st));
        assert_eq!(on2.request().threads, 2);
        // No pool: it goes.
        let on1 = c.on(Limits::BROWSER);
        assert!(!on1.variants.contains(&st));
        assert_eq!(on1.variants, [Rung::Wasm(lanes_kernels::Variant::Simd)]);
        // Default rungs gain simd-threads with a pool, and use all of it;
        // the link does not name them.
        let (d, _) = parse(&pairs("?op=exp&dtype=f32"));
        assert!(!d.variants.contains(&st));
        let d = d.on(Limits::BROWSER.with_pool(3));
        assert!(d.variants.contains(&st));
        assert_eq!(d.request().threads, 3);
        assert!(!query(&d).contains("variants"), "{}", query(&d));
        // Rungs chosen on a threaded device without simd-threads stay
        // without it when the link is opened there again.
        let mut e = d.clone();
        e.variants.retain(|v| *v != st);
        e.chosen = true;
        let (back, _) = parse(&pairs(&query(&e)));
        assert_eq!(back.on(Limits::BROWSER.with_pool(3)).variants, e.variants);
    }

    #[test]
    fn bad_values_fall_back_with_a_note() {
        let (c, notes) = parse(&pairs(
            "?op=<script>alert(1)</script>&dtype=f7&size=-3&variants=simd,nope&repeats=0",
        ));
        assert_eq!(c.op, Op::Add);
        assert_eq!(c.dtype, DType::F32);
        assert_eq!(notes.len(), 5, "{notes:?}");
        assert!(
            notes[0].contains("<script>"),
            "the bad value is echoed, as text"
        );
        let (c, notes) = parse(&pairs("?threads=0&size=1e12"));
        assert_eq!(c.threads, 0);
        assert_eq!(c.size, c.max_size());
        assert!(notes[0].contains("would need 12.0 TB"), "{notes:?}");
        assert!(
            notes[1].contains("threads \"0\" is not 1 to 16"),
            "{notes:?}"
        );
    }

    /// A size is checked against the op the link names, not the rungs of
    /// the chapter it starts from (transpose offers fewer rungs than add:
    /// the size was once checked with add's and found to fit nowhere).
    #[test]
    fn a_size_is_checked_with_the_ops_own_rungs() {
        let link = "?chapter=1&op=transpose&strategy=naive&dtype=f32&size=1000000";
        let (c, notes) = parse(&pairs(link));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!((c.op, c.size), (Op::Transpose, 1_000_000));
    }

    /// Fuzzing the permalink and embed parameters: 10,000 cases per property
    /// (`LANES_FUZZ_CASES=N`, or `cargo xtask fuzz N`, for more).
    #[cfg(not(target_arch = "wasm32"))]
    mod fuzz {
        use super::*;
        use crate::state::BUDGETS;
        use proptest::prelude::*;
        use proptest::strategy::Strategy as _;

        const KEYS: [&str; 11] = [
            "chapter", "op", "strategy", "dtype", "size", "variants", "repeats", "threads",
            "budget", "theme", "autorun",
        ];

        /// The word a note about each key contains.
        fn noted(key: &str) -> &str {
            match key {
                "variants" => "variant",
                k => k,
            }
        }

        fn config() -> ProptestConfig {
            ProptestConfig {
                cases: std::env::var("LANES_FUZZ_CASES")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(10_000),
                failure_persistence: None,
                ..ProptestConfig::default()
            }
        }

        fn value() -> impl proptest::strategy::Strategy<Value = String> {
            prop_oneof![
                // Words and numbers the parser knows, and near misses.
                3 => prop::sample::select(vec![
                    "1", "2", "3", "5", "0", "-1", "16", "17", "100", "101", "1e5", "1e7", "1e12",
                    "1e400", "NaN", "inf", "-0", "1_000_000", "0x10", "10.5", " 5", "add", "dot",
                    "matmul", "exp", "sum", "mean", "transpose", "blocked", "tiled", "broadcast",
                    "default", "f32", "i8", "i64", "f16", "simd", "simd,scalar",
                    "js-array,js-typed,simd-threads", "simd,,simd", ",", "dark", "light", "true",
                    "yes",
                ]).prop_map(String::from),
                // Script and markup.
                1 => prop::sample::select(vec![
                    "<script>alert(1)</script>",
                    "\"><img src=x onerror=alert(1)>",
                    "javascript:alert(1)",
                    "</code><b>",
                    "&lt;&amp;",
                ]).prop_map(String::from),
                2 => ".{0,60}",
                1 => "[0-9eE+._-]{0,24}",
            ]
        }

        fn pairs() -> impl proptest::strategy::Strategy<Value = Vec<(String, String)>> {
            let key = prop_oneof![
                8 => prop::sample::select(KEYS.to_vec()).prop_map(String::from),
                1 => ".{0,12}",
            ];
            prop::collection::vec((key, value()), 0..12)
        }

        fn valid(c: &Config) -> Result<(), TestCaseError> {
            let info = c.op.row();
            prop_assert_eq!(c.chapter, c.chapter.min(CHAPTERS.len() - 1));
            prop_assert!(info.has_strategy(c.strategy));
            prop_assert!(info.dtypes.contains(&c.dtype));
            prop_assert!((MIN_SIZE..=c.max_size()).contains(&c.size));
            prop_assert!(c.problem().is_ok());
            prop_assert!(!c.variants.is_empty());
            let offered = c.allowed();
            prop_assert!(c.variants.iter().all(|v| offered.contains(v)));
            prop_assert!(Limits::REPEATS.contains(&c.repeats));
            prop_assert!(c.threads <= Limits::MAX_POOL);
            prop_assert!(BUDGETS.contains(&c.budget_s));
            Ok(())
        }

        proptest! {
            #![proptest_config(config())]

            /// Any parameters give a valid config, short notes, and a link
            /// that reads back to the same config without notes.
            #[test]
            fn any_parameters_give_a_valid_config(pairs in pairs()) {
                let (c, notes) = parse(&pairs);
                valid(&c)?;
                let p = page(&pairs);
                for n in notes.iter().chain(&p.notes) {
                    prop_assert!(n.chars().count() < 300, "{}", n);
                }
                let link = query(&c);
                let back: Vec<(String, String)> = link
                    .trim_start_matches('?')
                    .split('&')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect();
                let (again, notes) = parse(&back);
                prop_assert!(notes.is_empty(), "{:?} from {}", notes, link);
                prop_assert_eq!(again, c);
            }

            /// One bad value gives notes that name its parameter, and it is
            /// echoed at most 40 characters long.
            #[test]
            fn a_bad_value_is_named_in_its_note(k in 0..KEYS.len(), v in value()) {
                let key = KEYS[k];
                let pairs = vec![(key.to_owned(), v.clone())];
                let (c, notes) = parse(&pairs);
                valid(&c)?;
                let notes: Vec<String> = notes.into_iter().chain(page(&pairs).notes).collect();
                for n in &notes {
                    prop_assert!(n.contains(noted(key)), "{:?} for {}={:?}", n, key, v);
                    prop_assert!(n.chars().count() <= 200, "{}", n);
                }
                // Accepted names are the ones a link writes.
                if notes.is_empty() && ["op", "strategy", "dtype"].contains(&key) {
                    let link = query(&c);
                    let canonical = link.contains(&format!("{key}={v}"));
                    prop_assert!(canonical, "{}={:?} accepted, link {}", key, v, link);
                }
            }
        }
    }
}
