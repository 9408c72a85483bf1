//! The bench runner (`cargo xtask bench` builds and starts it): the same
//! suite in headless Chromium (through `window.lanes.run`, the worker the UI
//! uses) or natively (`--native`), and with `--numpy` the browser, native
//! Rust and NumPy pass by pass, printed as a table and written as
//! `lanes-bench/1` JSON (docs/bench-schema.md) and Markdown.
//!
//! Where things are comes from the environment `cargo xtask bench` sets:
//! `LANES_BENCH_URL` (the site, served cross-origin isolated),
//! `LANES_BENCH_NATIVE` (the `lanes-native` binary) and
//! `LANES_BENCH_PYDEPS` (the pinned NumPy, for `--numpy`).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use lanes_harness::protocol::{
    Environment, Limits, RunRequest, RunSummary, Rung, default_rungs, offered,
};
use lanes_harness::report::{BenchRecord, BenchReport, Failed, Load, ProblemKey};
use lanes_harness::stats::format_time as fmt_ns;
use lanes_kernels::{DType, Op, Problem, Shape, Strategy};
use serde::Deserialize;
use serde_json::{Value, json};

type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (this crate is two levels below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/bench has a workspace above it")
        .to_path_buf()
}

fn var(name: &str) -> Result<String> {
    std::env::var(name)
        .map_err(|_| format!("{name} is not set: run the bench with `cargo xtask bench`"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match bench(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lanes-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The bench's options.
#[derive(Clone, Debug)]
struct Options {
    /// Each op with its strategy, and its own sizes (`op:strategy@n+n`),
    /// if it names any.
    ops: Vec<(Op, Strategy, Vec<usize>)>,
    dtypes: Vec<DType>,
    sizes: Vec<usize>,
    variants: Option<Vec<String>>,
    json: Option<String>,
    native: bool,
    threads: usize,
    repeats: usize,
    min_sample_ms: f64,
    /// Also time every problem with NumPy and natively, in the same run.
    numpy: bool,
    /// Where to write the Markdown report (with `--numpy`).
    markdown: Option<String>,
    /// Times through the whole suite (each side: browser, native, NumPy);
    /// every row keeps its best pass.
    passes: usize,
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        ops: vec![],
        dtypes: vec![DType::F32, DType::I8],
        sizes: vec![100_000, 10_000_000],
        variants: None,
        json: None,
        native: false,
        threads: 2,
        repeats: 7,
        min_sample_ms: 10.0,
        numpy: false,
        markdown: None,
        passes: 1,
    };
    let mut ops = list("add,sum,exp");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--ops" => ops = list(&val()?),
            "--dtypes" => {
                o.dtypes = list(&val()?)
                    .iter()
                    .map(|d| d.parse().map_err(|e: lanes_kernels::Error| e.to_string()))
                    .collect::<Result<_>>()?
            }
            "--sizes" => {
                o.sizes = list(&val()?)
                    .iter()
                    .map(|s| size(s))
                    .collect::<Result<_>>()?
            }
            "--variants" => o.variants = Some(list(&val()?)),
            "--json" => o.json = Some(val()?),
            "--native" => o.native = true,
            "--numpy" => o.numpy = true,
            "--markdown" => o.markdown = Some(val()?),
            "--threads" => o.threads = val()?.parse().map_err(|e| format!("--threads: {e}"))?,
            "--repeats" => o.repeats = val()?.parse().map_err(|e| format!("--repeats: {e}"))?,
            "--passes" => {
                o.passes = val()?
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or("--passes takes a whole number from 1")?
            }
            "--min-sample-ms" => {
                o.min_sample_ms = val()?
                    .parse()
                    .map_err(|e| format!("--min-sample-ms: {e}"))?
            }
            other => {
                return Err(format!(
                    "unknown option {other} (see README: cargo xtask bench)"
                ));
            }
        }
    }
    for op in ops {
        let (op, sizes) = op.split_once('@').unwrap_or((&op, ""));
        let sizes: Vec<usize> = sizes
            .split('+')
            .filter(|s| !s.is_empty())
            .map(size)
            .collect::<Result<_>>()?;
        let (name, strategy) = op.split_once(':').unwrap_or((op, ""));
        let op: Op = name
            .parse()
            .map_err(|e: lanes_kernels::Error| e.to_string())?;
        let strategy = if strategy.is_empty() {
            op.row().default_strategy()
        } else {
            strategy
                .parse()
                .map_err(|e: lanes_kernels::Error| e.to_string())?
        };
        o.ops.push((op, strategy, sizes));
    }
    if o.native && o.numpy {
        return Err("--numpy times the browser, native Rust and NumPy: leave out --native".into());
    }
    Ok(o)
}

/// A size: `1e7`, `10_000_000`, or `512x512` (elements of a matrix).
fn size(s: &str) -> Result<usize> {
    let n = |t: &str| {
        t.replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .map(|x| x as usize)
            .ok_or(format!(
                "size {s:?} is not a number of elements (like 1e6 or 512x512)"
            ))
    };
    match s.split_once('x') {
        Some((r, c)) => Ok(n(r)? * n(c)?),
        None => n(s),
    }
}

/// The requests of the suite: every op x dtype x size the op takes, with
/// the rungs it runs by default on the target (all offered but `python`), or
/// those asked for (`--variants`, which may name `python`).
fn requests(o: &Options) -> Vec<RunRequest> {
    let limits = Limits {
        max_bytes: u64::MAX,
        max_js_bytes: u64::MAX,
        max_threads: o.threads,
        useful_threads: o.threads,
        // In the browser the worker decides: bench.mjs drops simd-threads
        // (and says why) where it has no pool.
        threads: o.threads > 1,
        js: !o.native,
        max_python_bytes: if o.native { 0 } else { u64::MAX },
    };
    let mut out = Vec::new();
    for (op, strategy, sizes) in &o.ops {
        let (op, strategy) = (*op, *strategy);
        let sizes = if sizes.is_empty() { &o.sizes } else { sizes };
        for &dtype in &o.dtypes {
            for &n in sizes {
                let shape = if op.row().matrix {
                    let r = (n as f64).sqrt().round() as usize;
                    Shape::Matrix(r, r)
                } else {
                    Shape::Vector(n)
                };
                let Ok(problem) = Problem::new(op, strategy, dtype, shape) else {
                    continue;
                };
                let rungs = match &o.variants {
                    Some(want) => offered(&problem, &limits)
                        .into_iter()
                        .filter(|r| want.iter().any(|v| v == r.name()))
                        .collect(),
                    None => default_rungs(&problem, &limits),
                };
                let variants: Vec<String> = rungs.iter().map(|r| r.name().to_owned()).collect();
                if variants.is_empty() {
                    continue;
                }
                // Only simd-threads uses threads; elsewhere a count the host
                // has no pool for would be refused for nothing.
                let threads = if variants.iter().any(|v| v == "simd-threads") {
                    o.threads
                } else {
                    1
                };
                out.push(RunRequest {
                    op: op.name().into(),
                    strategy: Some(strategy.name().into()),
                    dtype: dtype.name().into(),
                    shape: shape.dims(),
                    variants,
                    threads,
                    seed: 1,
                    repeats: Some(o.repeats),
                    min_sample_ms: Some(o.min_sample_ms),
                    budget_ms: Some(120_000.0),
                    baseline: None,
                });
            }
        }
    }
    out
}

/// Where the suite runs: built (and served) once for a whole bench, by
/// `cargo xtask bench`.
enum Runner {
    /// The native harness binary.
    Native(PathBuf),
    /// The site, served cross-origin isolated at this URL.
    Browser(String),
}

fn runner(native: bool) -> Result<Runner> {
    Ok(if native {
        Runner::Native(var("LANES_BENCH_NATIVE")?.into())
    } else {
        Runner::Browser(var("LANES_BENCH_URL")?)
    })
}

/// Runs `reqs` `passes` times over, the whole list each time, so that a
/// row's passes are minutes apart (on a shared machine a neighbour's load
/// comes and goes, and a row timed only inside one busy spell reads up to
/// 1.5x slow), and returns the runner's lines: load (the browser's, if
/// `load`), ready, run-done and error.
fn execute(runner: &Runner, reqs: &[RunRequest], passes: usize, load: bool) -> Result<Vec<Value>> {
    let reqs: Vec<RunRequest> = (0..passes).flat_map(|_| reqs.iter().cloned()).collect();
    let reqs = &reqs[..];
    let (mut child, input) = match runner {
        Runner::Native(exe) => {
            let lines: Vec<String> = reqs
                .iter()
                .map(|r| serde_json::to_string(r).expect("serializes"))
                .collect();
            let child = Command::new(exe)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn();
            (child.map_err(|e| e.to_string())?, lines.join("\n") + "\n")
        }
        Runner::Browser(url) => {
            let mut node = Command::new("node");
            node.arg("bench.mjs").arg(url);
            if !load {
                node.arg("--no-load");
            }
            let child = node
                .current_dir(root().join("tests/e2e"))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn();
            (
                child.map_err(|e| e.to_string())?,
                serde_json::to_string(reqs).expect("serializes"),
            )
        }
    };
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut lines = Vec::new();
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let v: Value = serde_json::from_str(&line).map_err(|e| format!("{e}: {line}"))?;
        match v["type"].as_str() {
            Some("run-done") => {
                let s = &v["summary"]["info"];
                eprintln!(
                    "  done: {} {} {} {}",
                    s["op"], s["strategy"], s["dtype"], s["shape"]
                );
            }
            Some("error") => eprintln!("  error: {}", v["message"]),
            _ => {}
        }
        if matches!(
            v["type"].as_str(),
            Some("load" | "ready" | "run-done" | "error")
        ) {
            lines.push(v);
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("the runner failed ({status})"));
    }
    Ok(lines)
}

/// The report of a runner's lines: the environment, a record per measured
/// rung (each row's best pass) and what failed; the page's loading if it
/// was measured.
fn report(lines: &[Value]) -> Result<BenchReport> {
    let env: Environment = lines
        .iter()
        .find(|v| v["type"] == "ready")
        .map(|v| serde_json::from_value(v["env"].clone()))
        .ok_or("the runner reported no environment")?
        .map_err(|e| e.to_string())?;
    let mut report = BenchReport::new(Some(env));
    for v in lines {
        match v["type"].as_str() {
            Some("run-done") => {
                let s: RunSummary =
                    serde_json::from_value(v["summary"].clone()).map_err(|e| e.to_string())?;
                report.add(&s);
            }
            Some("error") => report.failed.push(Failed::Request {
                request: serde_json::from_value(v["request"].clone()).ok(),
                message: v["message"].as_str().unwrap_or("").to_owned(),
            }),
            _ => {}
        }
    }
    report.keep_best_passes();
    if let Some(load) = lines.iter().find(|v| v["type"] == "load") {
        report.load = Some(serde_json::from_value(load.clone()).map_err(|e| format!("load: {e}"))?);
    }
    Ok(report)
}

/// The page's loading: time to a usable Run button, and what it fetched,
/// with the app (the page's wasm and JavaScript) and the worker (its wasm,
/// glue and the JavaScript rungs' loops) summed apart from the rest.
fn loading(load: &Load) -> String {
    let ms = |x: f64| format!("{x:.0} ms");
    let warm: Vec<String> = load.warm_ms.iter().copied().map(ms).collect();
    let mut s = format!(
        "## Loading\n\nFrom navigation to a usable Run button (the app started, the measurement worker and its pool \
         answered), served over loopback: first load {} (fresh profile, nothing cached), reloads {}.\n\n",
        ms(load.first_ms),
        warm.join(", ")
    );
    let mut files: Vec<(&str, f64, f64)> = load
        .files
        .iter()
        .map(|(k, f)| (k.as_str(), f.raw as f64 / 1000.0, f.gzip as f64 / 1000.0))
        .collect();
    files.sort_by(|a, b| b.2.total_cmp(&a.2));
    let part = |p: &str| {
        if p.contains("/pkg") || p.ends_with("/js/worker.js") || p.ends_with("/js/baselines.js") {
            "worker"
        } else if p.ends_with(".wasm") || p.ends_with(".js") {
            "app"
        } else {
            "page"
        }
    };
    s += "| file | part | bytes | gzip -9 |\n|---|---|---:|---:|\n";
    let mut sums = [("app", 0.0), ("worker", 0.0), ("page", 0.0)];
    for (path, raw, gz) in &files {
        let p = part(path);
        s += &format!("| `{path}` | {p} | {raw:.1} KB | {gz:.1} KB |\n");
        for (name, sum) in &mut sums {
            if *name == p {
                *sum += gz;
            }
        }
    }
    let [(_, app), (_, worker), (_, page)] = sums;
    s += &format!(
        "\nGzip transfer: app {app:.1} KB + worker {worker:.1} KB = **{:.1} KB**; with the HTML, CSS and icon, {:.1} KB.\n",
        app + worker,
        app + worker + page
    );
    s
}

/// `add:tile`, or `add` for the default strategy.
fn op_text(p: &ProblemKey) -> String {
    format!("{}:{}", p.op, p.strategy)
        .trim_end_matches(":default")
        .to_owned()
}

/// `simd-threads x2`, or the bare rung name on one thread.
fn rung_text(r: &BenchRecord) -> String {
    match r.threads {
        1 => r.result.variant.name().to_owned(),
        n => format!("{} x{n}", r.result.variant.name()),
    }
}

fn table(report: &BenchReport) -> String {
    let mut s = String::new();
    if let Some(env) = &report.env {
        s += &format!(
            "{} | isolated: {} | cores: {} | timer: {} ns\n",
            env.user_agent,
            env.cross_origin_isolated,
            env.hardware_concurrency,
            env.timer_resolution_ns
        );
    }
    s += &format!(
        "{:<22} {:<4} {:>12} {:<13} {:>10} {:>10} {:>6} {:>9} {:>9}  {}\n",
        "op", "type", "shape", "variant", "best", "median", "cv%", "GB/s", "speedup", "timeit"
    );
    let mut group = None;
    for r in report.measured() {
        if group != Some(&r.problem) {
            s += &format!(
                "-- harness overhead (a no-op through the same call): {} per loop\n",
                r.noop_ns_per_loop.map_or("–".to_owned(), fmt_ns)
            );
            group = Some(&r.problem);
        }
        let v = &r.result;
        s += &format!(
            "{:<22} {:<4} {:>12} {:<13} {:>10} {:>10} {:>6.2} {:>9.2} {:>9}  {}\n",
            op_text(&r.problem),
            r.problem.dtype,
            r.problem.shape_text(),
            v.variant.name(),
            fmt_ns(v.min_ns),
            fmt_ns(v.median_ns),
            100.0 * v.cv,
            v.gb_per_s,
            v.speedup.map_or("-".into(), |x| format!("{x:.2}x")),
            v.timeit
        );
    }
    s += &scaling(report);
    for f in &report.failed {
        s += &format!("FAILED {}\n", serde_json::to_string(f).unwrap_or_default());
    }
    s
}

/// `simd-threads` against `simd` of the same run, for every problem that
/// measured both (the harness's speed-up: medians, with its interval).
fn scaling(report: &BenchReport) -> String {
    let mut s = String::new();
    let by = |name: &str, problem: &ProblemKey| {
        report
            .measured()
            .find(|r| r.result.variant.name() == name && &r.problem == problem)
    };
    for t in report
        .measured()
        .filter(|r| r.result.variant.name() == "simd-threads")
    {
        let Some(one) = by("simd", &t.problem) else {
            continue;
        };
        s += &format!(
            "simd-threads x{} vs simd: {} {} {}: {} vs {} (medians) = {}\n",
            t.threads,
            op_text(&t.problem),
            t.problem.dtype,
            t.problem.shape_text(),
            fmt_ns(one.result.median_ns),
            fmt_ns(t.result.median_ns),
            t.result.speedup_over(&one.result).text()
        );
    }
    s
}

fn bench(args: &[String]) -> Result {
    let o = parse(args)?;
    let reqs = requests(&o);
    if reqs.is_empty() {
        return Err("nothing to run: no op takes these dtypes, sizes and variants".into());
    }
    eprintln!(
        "{} requests ({})",
        reqs.len(),
        if o.native {
            "native"
        } else {
            "headless Chromium"
        }
    );
    let mut report = if o.numpy {
        measure_beside_native_and_numpy(&o, &reqs)?
    } else {
        report(&execute(&runner(o.native)?, &reqs, o.passes, true)?)?
    };
    report.cpu = cpu();
    if let Some(load) = &report.load {
        eprintln!("{}", loading(load));
    }
    println!("{}", table(&report));
    if let Some(path) = &o.markdown {
        let command = format!("cargo xtask bench {}", args.join(" "));
        // The chart beside the page, under the same name.
        let svg = Path::new(path).with_extension("svg");
        let name = svg
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("chart.svg");
        let mut md = markdown(&report, &command);
        if report.numpy_version.is_some() {
            std::fs::write(&svg, chart(&report)).map_err(|e| format!("{}: {e}", svg.display()))?;
            md = md.replacen(
                "| op |",
                &format!(
                    "![NumPy's time over the best Lanes rung's, per problem (log scale; right of 1 Lanes is faster)]({name})\n\n| op |"
                ),
                1,
            );
            eprintln!("wrote {}", svg.display());
        }
        std::fs::write(path, md).map_err(|e| format!("{path}: {e}"))?;
        eprintln!("wrote {path}");
    }
    if let Some(path) = &o.json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("{path}: {e}"))?;
        eprintln!("wrote {path}");
    }
    Ok(())
}

/// The browser suite, the same problems natively and with NumPy, on the
/// same machine, pass by pass: each pass runs the whole list in the
/// browser, then natively, then with NumPy, so that every side's passes
/// are spread over the same stretch of time (why: docs/codegen.md, "The
/// bench's passes"). Every row keeps its best pass.
fn measure_beside_native_and_numpy(o: &Options, reqs: &[RunRequest]) -> Result<BenchReport> {
    let native = Options {
        native: true,
        ..o.clone()
    };
    let native_reqs = requests(&native);
    let (browser, native) = (runner(false)?, runner(true)?);
    let (mut browser_lines, mut native_lines) = (Vec::new(), Vec::new());
    let mut numpy: Vec<NumpyTime> = Vec::new();
    for pass in 1..=o.passes {
        eprintln!("pass {pass} of {}: browser, native, NumPy", o.passes);
        // Loading is measured once: in the first pass's fresh browser.
        browser_lines.extend(execute(&browser, reqs, 1, pass == 1)?);
        native_lines.extend(execute(&native, &native_reqs, 1, false)?);
        let again = numpy_times(reqs, o.repeats)?;
        if numpy.is_empty() {
            numpy = again;
        } else {
            for (best, again) in numpy.iter_mut().zip(again) {
                let python_ns = match (best.python_ns, again.python_ns) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                if again.best_ns < best.best_ns {
                    *best = again;
                }
                best.python_ns = python_ns;
            }
        }
    }
    let mut report = report(&browser_lines)?;
    compare(&mut report, &self::report(&native_lines)?, &numpy);
    Ok(report)
}

/// NumPy's best time of one problem (a line of numpy_bench.py).
#[derive(Clone, Debug, Deserialize)]
struct NumpyTime {
    #[serde(flatten)]
    problem: ProblemKey,
    /// The statement timed.
    numpy: String,
    best_ns: f64,
    numpy_version: String,
    /// Native CPython's time of the problem's Python form (the python
    /// rung's code), where it has one, and CPython's version.
    #[serde(default)]
    python_ns: Option<f64>,
    #[serde(default)]
    python_version: Option<String>,
}

/// Times every requested problem with NumPy (the pinned version, installed
/// like the golden vectors' by `cargo xtask bench`): one line per problem.
fn numpy_times(reqs: &[RunRequest], repeats: usize) -> Result<Vec<NumpyTime>> {
    let deps = var("LANES_BENCH_PYDEPS")?;
    let params = lanes_kernels::Params::default();
    // Each problem carries its NumPy statement and arrays from the
    // catalogue: numpy_bench.py knows no op.
    let array = |o: &lanes_kernels::Operand| json!({"name": o.name, "shape": o.shape.dims(), "dtype": o.dtype.name()});
    let problems = reqs
        .iter()
        .map(|r| {
            let p = r.problem()?;
            Ok(json!({
                "op": r.op, "strategy": p.strategy.name(),
                "dtype": r.dtype, "shape": r.shape, "repeats": repeats,
                "bench": p.form().bench,
                "float_inputs": p.op.row().float_inputs,
                // Native CPython times the python rung's code where the
                // request runs that rung.
                "python": p.form().python
                    .filter(|_| r.variants.iter().any(|v| v == Rung::Python.name()))
                    .map(|py| json!({"setup": py.setup, "stmt": py.stmt})),
                "inputs": p.inputs().iter().map(array).collect::<Vec<_>>(),
                "output": array(&p.output()),
                "params": {"alpha": params.alpha, "scalar": params.scalar, "lo": params.lo, "hi": params.hi},
            }))
        })
        .collect::<Result<Vec<Value>>>()?;
    let mut child = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("numpy_bench.py"))
        .env("PYTHONPATH", &deps)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3: {e}"))?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(Value::from(problems).to_string().as_bytes())
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let t: NumpyTime = serde_json::from_str(&line).map_err(|e| format!("{e}: {line}"))?;
        eprintln!(
            "  numpy: {} {} {} {}",
            t.numpy,
            t.problem.dtype,
            t.problem.shape_text(),
            fmt_ns(t.best_ns)
        );
        out.push(t);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("the NumPy timer failed ({status})"));
    }
    Ok(out)
}

/// Puts the native time of the same variant and NumPy's time of the same
/// problem on every record, with the ratios (above 1: Lanes is faster).
fn compare(report: &mut BenchReport, native: &BenchReport, numpy: &[NumpyTime]) {
    for r in report.measured_mut() {
        let ns = r.result.min_ns;
        // The python rung's native side is native CPython (the same code
        // timed by `timeit`).
        let cpython = numpy
            .iter()
            .find(|p| p.problem == r.problem)
            .and_then(|p| p.python_ns)
            .filter(|_| r.result.variant == Rung::Python);
        if let Some(native_ns) = cpython {
            r.native_ns = Some(native_ns);
            r.vs_native = Some(native_ns / ns);
        } else if let Some(n) = native
            .measured()
            .find(|n| n.problem == r.problem && n.result.variant == r.result.variant)
        {
            r.native_ns = Some(n.result.min_ns);
            r.vs_native = Some(n.result.min_ns / ns);
        }
        if let Some(p) = numpy.iter().find(|p| p.problem == r.problem) {
            r.numpy_ns = Some(p.best_ns);
            r.numpy = Some(p.numpy.clone());
            r.vs_numpy = Some(p.best_ns / ns);
        }
    }
    report.numpy_version = numpy.first().map(|p| p.numpy_version.clone());
    report.cpython_version = numpy.iter().find_map(|p| p.python_version.clone());
}

/// The machine's CPU model (Linux's `/proc/cpuinfo`, what `lscpu` shows
/// as "Model name") and its logical CPUs.
fn cpu() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let model = info.lines().find_map(|l| {
        l.strip_prefix("model name")?
            .split_once(':')
            .map(|(_, m)| m.trim().to_owned())
    })?;
    let n = info.lines().filter(|l| l.starts_with("processor")).count();
    Some(format!("{model}, {n} logical CPUs"))
}

/// The report as Markdown: per problem, every rung's best time with its
/// ratio to native Rust (same variant) and to NumPy.
fn markdown(report: &BenchReport, command: &str) -> String {
    let mut s =
        String::from("# Performance: Lanes in the browser against native Rust and NumPy\n\n");
    s += &format!(
        "Generated by `{command}`: every number below is a best time per loop, all measured in that one run on one \
         machine (the browser suite, then the same problems natively, then NumPy; with `--passes N` that \
         went round N times, so that each side's passes are spread over the same minutes, and every row keeps \
         its best pass). A bare variant is one thread; \
         `simd-threads xN` uses N. The `python` rung's native column is native CPython timing the same code \
         with `timeit` (CPython in the browser is Pyodide, CPython compiled to WebAssembly).\n\n"
    );
    if let Some(cpu) = &report.cpu {
        s += &format!("- Machine: {cpu}\n");
    }
    if let Some(env) = &report.env {
        s += &format!(
            "- Browser: {}, cross-origin isolated: {}, cores: {}, timer step: {:.0} ns, worker: {}\n",
            env.user_agent,
            env.cross_origin_isolated,
            env.hardware_concurrency,
            env.timer_resolution_ns,
            env.build,
        );
    }
    s += &format!(
        "- NumPy: {}\n{}- Ratios above 1 mean Lanes (in the browser) is faster.\n\n",
        report.numpy_version.as_deref().unwrap_or("not measured"),
        report
            .cpython_version
            .as_ref()
            .map_or(String::new(), |v| format!(
                "- CPython (native, for the python rung): {v}\n"
            )),
    );
    s += "| op | dtype | shape | rung | browser | native Rust | browser / native | NumPy | NumPy form | NumPy / browser |\n";
    s += "|---|---|---|---|---:|---:|---:|---:|---|---:|\n";
    let f = |x: Option<f64>| x.map_or("–".to_owned(), fmt_ns);
    let x = |x: Option<f64>| x.map_or("–".to_owned(), |v| format!("{v:.2}x"));
    for r in report.measured() {
        s += &format!(
            "| {}:{} | {} | {} | {} | {} | {} | {} | {} | `{}` | {} |\n",
            r.problem.op,
            r.problem.strategy,
            r.problem.dtype,
            r.problem.shape_text(),
            rung_text(r),
            fmt_ns(r.result.min_ns),
            f(r.native_ns),
            x(r.vs_native),
            f(r.numpy_ns),
            r.numpy.as_deref().unwrap_or(""),
            x(r.vs_numpy),
        );
    }
    if let Some(load) = &report.load {
        s += "\n";
        s += &loading(load);
    }
    s
}

/// Per problem measured by NumPy: NumPy's time over the best browser
/// rung's (and which rung), in the report's order.
fn best_vs_numpy(report: &BenchReport) -> Vec<(String, f64, String)> {
    let mut rows: Vec<(String, f64, String, f64)> = Vec::new();
    for r in report.measured() {
        let (ns, Some(np)) = (r.result.min_ns, r.numpy_ns) else {
            continue;
        };
        let label = format!(
            "{} {} {}",
            r.problem.op,
            r.problem.dtype,
            r.problem.shape_text()
        );
        let rung = rung_text(r);
        match rows.iter_mut().find(|x| x.0 == label) {
            Some(x) if ns < x.3 => (x.1, x.2, x.3) = (np / ns, rung, ns),
            Some(_) => {}
            None => rows.push((label, np / ns, rung, ns)),
        }
    }
    rows.into_iter().map(|(l, x, r, _)| (l, x, r)).collect()
}

/// The comparison as an SVG bar chart: one bar per problem, NumPy's time
/// over the best Lanes rung's on a log2 axis (1/16 to 32), parity marked.
fn chart(report: &BenchReport) -> String {
    let rows = best_vs_numpy(report);
    let (left, width, row, top) = (230.0, 460.0, 18.0, 40.0);
    let (lo, hi) = (-4.0f64, 5.0f64);
    let x = |ratio: f64| left + (ratio.log2().clamp(lo, hi) - lo) / (hi - lo) * width;
    let height = top + row * rows.len() as f64 + 30.0;
    let esc = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{left}\" y=\"16\" font-weight=\"bold\">NumPy time / best Lanes time in the browser (right of 1: Lanes faster)</text>\n",
        w = left + width + 150.0
    );
    for e in lo as i32..=hi as i32 {
        let v = 2f64.powi(e);
        let label = if e < 0 {
            format!("1/{}", 1 << -e)
        } else {
            format!("{}", 1 << e)
        };
        s += &format!(
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{top}\" y2=\"{1}\" stroke=\"{2}\"/><text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{label}</text>\n",
            x(v),
            height - 26.0,
            if e == 0 { "black" } else { "#ddd" },
            height - 10.0
        );
    }
    for (i, (label, ratio, rung)) in rows.iter().enumerate() {
        let y = top + row * i as f64;
        let (a, b) = (x(1.0).min(x(*ratio)), x(1.0).max(x(*ratio)));
        let fill = if *ratio >= 1.0 { "#2a9d8f" } else { "#e76f51" };
        s += &format!(
            "<text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{l}</text><rect x=\"{a:.1}\" y=\"{ry}\" width=\"{bw:.1}\" height=\"{bh}\" fill=\"{fill}\"/><text x=\"{vx:.1}\" y=\"{ty}\">{ratio:.2}x {r}</text>\n",
            tx = left - 6.0,
            ty = y + 13.0,
            l = esc(label),
            ry = y + 3.0,
            bw = (b - a).max(1.0),
            bh = row - 5.0,
            vx = left + width + 4.0,
            r = esc(rung),
        );
    }
    s + "</svg>\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanes_harness::report::Record;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn ops_may_carry_their_own_sizes() {
        let o = parse(&args(
            "--ops exp@1e7,matmul:blocked@512x512+64x64,sum --dtypes f32 --sizes 1_000",
        ))
        .unwrap();
        let r = requests(&o);
        let shapes: Vec<(String, Vec<usize>)> =
            r.iter().map(|q| (q.op.clone(), q.shape.clone())).collect();
        assert_eq!(
            shapes,
            [
                ("exp".to_owned(), vec![10_000_000]),
                ("matmul".to_owned(), vec![512, 512]),
                ("matmul".to_owned(), vec![64, 64]),
                ("sum".to_owned(), vec![1000]),
            ]
        );
        assert!(r.iter().all(|q| q.threads == 2));
        let one = parse(&args("--ops sort --variants scalar")).unwrap();
        assert!(requests(&one).iter().all(|q| q.threads == 1));
        assert!(r[0].variants.contains(&"simd-threads".to_owned()));
        assert!(parse(&args("--ops exp@lots")).is_err());
        assert_eq!(parse(&args("--passes 3")).unwrap().passes, 3);
        assert!(parse(&args("--passes 0")).is_err());
        assert!(parse(&args("--native --numpy")).is_err());
    }

    /// A runner's lines for one run of add f32 1000 on `rungs` with these
    /// best times (the rest of each result read from a template).
    fn lines(rungs: &[(&str, f64)]) -> Vec<Value> {
        let results: Vec<Value> = rungs
            .iter()
            .map(|(v, ns)| {
                json!({"variant": v, "loops": 10, "repeats": 3, "samples_ns": [ns], "min_ns": ns,
                    "median_ns": ns, "mean_ns": ns, "std_ns": 0.0, "mad_ns": 0.0, "ci_low_ns": ns,
                    "ci_high_ns": ns, "cv": 0.0, "outliers_low": 0, "outliers_high": 0,
                    "timeit": "10 loops, best of 3", "bytes_per_loop": 12000.0, "gb_per_s": 1.0,
                    "gelem_per_s": 1.0, "gflop_per_s": 1.0, "peak_extra_bytes": 0, "verified": true,
                    "optimized_away": false, "timer_saturated": false, "speedup": null,
                    "speedup_low": null, "speedup_high": null})
            })
            .collect();
        let array = json!({"name": "a", "dtype": "f32", "shape": [1000], "bytes": 4000});
        let info = json!({"op": "add", "strategy": "default", "dtype": "f32", "shape": [1000],
            "numpy": "a + b", "variants": [], "baseline": "simd", "threads": 2, "inputs": [array],
            "output": array, "temp_bytes": 0, "bytes_per_loop": 12000.0, "flops_per_loop": 1000.0,
            "elements_per_loop": 1000.0, "unit": "bytes", "target_sample_ns": 1e7,
            "timer_resolution_ns": 50.0});
        let env = serde_json::to_value(Environment::of(Limits::BROWSER)).unwrap();
        vec![
            json!({"type": "ready", "env": env}),
            json!({"type": "run-done", "summary": {"info": info, "results": results, "failed": [],
                "noop_ns_per_loop": 1.0, "noop_loops": 1, "memory_counted": true,
                "wasm_memory_bytes": null, "elapsed_ms": 1.0}}),
            json!({"type": "error", "request": null, "message": "the pool has 1 threads, not 2"}),
        ]
    }

    /// NumPy's line for add f32 1000 (200 ns), with native CPython's time
    /// of the python rung's code (9 µs).
    fn numpy_add() -> NumpyTime {
        NumpyTime {
            problem: ProblemKey {
                op: "add".into(),
                strategy: "default".into(),
                dtype: "f32".into(),
                shape: vec![1000],
            },
            numpy: "np.add(a, b, out=o)".into(),
            best_ns: 200.0,
            numpy_version: "2.4.6".into(),
            python_ns: Some(9000.0),
            python_version: Some("3.11.2".into()),
        }
    }

    #[test]
    fn the_python_rung_is_compared_with_native_cpython() {
        let mut report = report(&lines(&[("python", 30000.0), ("simd", 100.0)])).unwrap();
        let native = self::report(&lines(&[("simd", 80.0)])).unwrap();
        let numpy = [numpy_add()];
        compare(&mut report, &native, &numpy);
        let rows: Vec<&BenchRecord> = report.measured().collect();
        assert_eq!(rows[0].result.variant, Rung::Python);
        assert_eq!(rows[0].native_ns, Some(9000.0), "native CPython");
        assert_eq!(rows[0].vs_native, Some(0.3));
        assert_eq!(rows[1].native_ns, Some(80.0), "native Rust");
        let md = markdown(&report, "cargo xtask bench --numpy");
        assert!(
            md.contains("- CPython (native, for the python rung): 3.11.2"),
            "{md}"
        );
        assert!(
            md.contains("| add:default | f32 | 1000 | python | 30 µs | 9 µs | 0.30x |"),
            "{md}"
        );
    }

    #[test]
    fn records_get_their_native_and_numpy_ratios() {
        let mut report = report(&lines(&[("js-array", 4000.0), ("simd", 100.0)])).unwrap();
        let native = self::report(&lines(&[("simd", 80.0)])).unwrap();
        let numpy = [numpy_add()];
        compare(&mut report, &native, &numpy);
        let rows: Vec<&BenchRecord> = report.measured().collect();
        assert_eq!(rows[1].vs_native, Some(0.8));
        assert_eq!(rows[1].vs_numpy, Some(2.0));
        assert_eq!(rows[0].native_ns, None, "no native js-array");
        assert_eq!(rows[0].vs_numpy, Some(0.05));
        assert!(matches!(
            &report.failed[..],
            [Failed::Request { request: None, .. }]
        ));
        let md = markdown(&report, "cargo xtask bench --numpy");
        assert!(md.contains("| add:default | f32 | 1000 | simd | 100 ns | 80 ns | 0.80x | 200 ns | `np.add(a, b, out=o)` | 2.00x |"), "{md}");
        assert!(md.contains("NumPy: 2.4.6"), "{md}");
        assert!(
            md.contains("Generated by `cargo xtask bench --numpy`"),
            "{md}"
        );
        // The chart: a bar per problem, for its best rung.
        assert_eq!(
            best_vs_numpy(&report),
            [("add f32 1000".to_owned(), 2.0, "simd".to_owned())]
        );
        let svg = chart(&report);
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{svg}"
        );
        assert!(
            svg.contains(">add f32 1000</text>") && svg.contains(">2.00x simd</text>"),
            "{svg}"
        );
        // Written and read back, the report is the same.
        let text = serde_json::to_string(&report).unwrap();
        assert_eq!(serde_json::from_str::<BenchReport>(&text).unwrap(), report);
        assert!(matches!(&report.records[0], Record::Measured(_)));
    }

    #[test]
    fn each_row_keeps_its_best_pass_and_the_threads_sweep_its_medians() {
        let mut two = lines(&[("simd", 150.0), ("simd-threads", 90.0)]);
        two.extend(lines(&[("simd", 100.0), ("simd-threads", 95.0)]));
        let report = report(&two).unwrap();
        let rows: Vec<(String, f64, Option<usize>)> = report
            .measured()
            .map(|r| (rung_text(r), r.result.min_ns, r.passes))
            .collect();
        assert_eq!(
            rows,
            [
                ("simd".to_owned(), 100.0, Some(2)),
                ("simd-threads x2".to_owned(), 90.0, Some(2)),
            ]
        );
        let table = table(&report);
        assert!(
            table.contains("simd-threads x2 vs simd: add f32 1000: 100 ns vs 90 ns (medians) = 1.11× (1.11–1.11)"),
            "{table}"
        );
    }
}
