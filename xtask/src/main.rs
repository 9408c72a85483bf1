//! `cargo xtask <task>`: the commands the README names.
//!
//! - `setup`: installs every tool the tasks use (each task also installs
//!   what it needs itself).
//! - `test`: installs what is missing, then formatting, clippy, native and
//!   wasm tests, and the SIMD proof on the built wasm.
//! - `golden`: regenerates the NumPy golden vectors (pinned NumPy via pip).
//! - `simd-check [WASM]`: the SIMD proof alone.

mod bench;
mod serve;
mod setup;
mod simd_check;
mod site;
mod webkit;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::test(),
        Some("test") => test(&args[1..]),
        Some("golden") => golden(),
        Some("simd-check") => simd_check_cmd(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("build") => site::build().map(|d| eprintln!("built {}", d.display())),
        Some("worker") => site::worker(),
        Some("serve") => serve_cmd(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\n  setup         install every tool the tasks use (each task installs what it needs itself)\n  test          install what is missing, then fmt, clippy, native + wasm tests, SIMD proof\n  golden        regenerate tests/golden with the pinned NumPy\n  simd-check    prove scalar kernels scalar and SIMD kernels SIMD on the built wasm\n  worker        build the measurement worker into dist/pkg (Trunk's post-build hook)\n  build         build the static site into dist/\n  serve         trunk serve on http://127.0.0.1:8080 (cross-origin isolated); --static isolated|plain|bare serves the release dist/ (or --root DIR) like a static host; --port 0 picks a free one, its URL on stdout\n  bench         run the suite in headless Chromium (or --native) and write JSON\n  fuzz [N]      the request decoder and link parser fuzzers with N cases each (default 1,000,000)"
            );
            Err("no task given".into())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (xtask lives one level below it).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent")
        .to_path_buf()
}

/// Runs a command (in the workspace root unless it names a directory),
/// echoing it; fails on non-zero exit.
pub(crate) fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {}", describe(cmd));
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(root());
    }
    let status = cmd
        .status()
        .map_err(|e| format!("{}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

pub(crate) fn describe(cmd: &Command) -> String {
    let envs: Vec<String> = cmd
        .get_envs()
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy())))
        .collect();
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut s = envs.join(" ");
    if !s.is_empty() {
        s.push(' ');
    }
    s + &cmd.get_program().to_string_lossy() + " " + &args.join(" ")
}

pub(crate) fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn step(name: &str, f: impl FnOnce() -> Result) -> Result {
    let t = Instant::now();
    eprintln!("\n==> {name}");
    f()?;
    eprintln!("<== {name}: ok in {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

fn test(args: &[String]) -> Result {
    let started = Instant::now();
    step("setup", setup::test)?;
    if !args.iter().any(|a| a == "--no-lint") {
        step("cargo fmt --check", || {
            run(cargo().args(["fmt", "--all", "--check"]))
        })?;
        step("clippy (native)", || {
            run(cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        })?;
        step("clippy (wasm32)", || {
            run(cargo().args([
                "clippy",
                "-p",
                "lanes-kernels",
                "-p",
                "lanes-harness",
                "-p",
                "lanes-worker",
                "-p",
                "lanes-app",
                "--tests",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ]))?;
            // The widget: the app without its playground feature.
            run(cargo().args([
                "clippy",
                "-p",
                "lanes-app",
                "--no-default-features",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ]))
        })?;
    }
    step(
        "native tests",
        || run(cargo().args(["test", "--workspace"])),
    )?;
    step(
        "kernel tests on the portable lanes (what aarch64 builds)",
        || {
            let feature = ["-p", "lanes-kernels", "--features", "portable-lanes"];
            run(cargo()
                .arg("clippy")
                .args(feature)
                .args(["--lib", "--tests", "--", "-D", "warnings"]))?;
            run(cargo()
                .arg("test")
                .args(feature)
                .args(["--test", "ladder", "--test", "golden"]))
        },
    )?;
    step("wasm32 tests (Node, SIMD128)", || {
        run(cargo().args([
            "test",
            "-p",
            "lanes-kernels",
            "--target",
            "wasm32-unknown-unknown",
        ]))
    })?;
    step("component tests (wasm-bindgen-test in Chromium)", || {
        // Set, GECKODRIVER would win over CHROMEDRIVER.
        run(component_tests()
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env_remove("GECKODRIVER"))
    })?;
    step("component tests (wasm-bindgen-test in Firefox)", || {
        let geckodriver = which("geckodriver").ok_or("geckodriver is not on PATH")?;
        // No connection but to the test server (webdriver.json has the prefs
        // that stop the rest).
        run(component_tests()
            .env("GECKODRIVER", geckodriver)
            .env_remove("CHROMEDRIVER")
            .env("MOZ_DISABLE_NONLOCAL_CONNECTIONS", "1"))
    })?;
    step("SIMD proof on the built wasm", simd_check::prove)?;
    step(
        "browser end-to-end tests (Chromium, and the main flows in Firefox)",
        e2e,
    )?;
    eprintln!(
        "\nall checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The fuzzers `cargo xtask test` runs with 10,000 cases, for longer.
fn fuzz(args: &[String]) -> Result {
    let cases = match args.first() {
        Some(n) => n
            .replace('_', "")
            .parse::<u64>()
            .map_err(|_| format!("fuzz takes a number of cases, not {n:?}"))?,
        None => 1_000_000,
    };
    let cases = cases.to_string();
    run(cargo()
        .args(["test", "-p", "lanes-harness", "--test", "fuzz"])
        .env("LANES_FUZZ_CASES", &cases))?;
    run(cargo()
        .args(["test", "-p", "lanes-app", "--", "fuzz"])
        .env("LANES_FUZZ_CASES", &cases))
}

/// The app's wasm-bindgen tests, in the browser the caller's env picks.
fn component_tests() -> Command {
    let mut c = cargo();
    c.args([
        "test",
        "-p",
        "lanes-app",
        "--target",
        "wasm32-unknown-unknown",
    ])
    .current_dir(root().join("crates/app"));
    c
}

fn simd_check_cmd(args: &[String]) -> Result {
    match args.first() {
        Some(path) => simd_check::check_file(Path::new(path)).map(|r| eprintln!("{r}")),
        None => simd_check::prove(),
    }
}

/// Regenerates the golden vectors with the pinned NumPy, installed by pip
/// into `target/pydeps` (nothing system-wide).
fn golden() -> Result {
    let deps = numpy_deps()?;
    run(Command::new("python3")
        .arg("tests/golden/generate.py")
        .env("PYTHONPATH", &deps))
}

/// The pinned NumPy in `target/pydeps` (installed by pip once); the folder
/// to put on PYTHONPATH.
pub(crate) fn numpy_deps() -> Result<PathBuf> {
    let deps = root().join("target/pydeps");
    let pinned = "numpy==2.4.6";
    if !deps.join("numpy-2.4.6.dist-info").exists() {
        run(Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "--target"])
            .arg(&deps)
            .arg(pinned))?;
    }
    Ok(deps)
}

/// Builds the site, serves it on free ports three ways (cross-origin
/// isolated; plain, where the service worker isolates it; bare, without
/// headers or service worker), and runs the Playwright tests of `tests/e2e`
/// against them with node's test runner (screenshots land in
/// `target/screenshots/<browser>`).
fn e2e() -> Result {
    let dist = site::build()?;
    let port = serve::start(dist.clone(), 0, serve::Mode::Isolated, false)?;
    let plain = serve::start(dist.clone(), 0, serve::Mode::Plain, false)?;
    let bare = serve::start(dist.clone(), 0, serve::Mode::Bare, false)?;
    let xtask = std::env::current_exe().map_err(|e| format!("this xtask's path: {e}"))?;
    let shots = root().join("target/screenshots");
    std::fs::create_dir_all(&shots).map_err(|e| e.to_string())?;
    let tests: Vec<String> = std::fs::read_dir(root().join("tests/e2e"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".test.mjs") && n != WEBKIT_TESTS)
        .collect();
    let node = |browser: &str| {
        let mut c = Command::new("node");
        c.arg("--test")
            .current_dir(root().join("tests/e2e"))
            .env("LANES_BROWSER", browser)
            .env("LANES_URL", format!("http://127.0.0.1:{port}/"))
            .env("LANES_PLAIN_URL", format!("http://127.0.0.1:{plain}/"))
            .env("LANES_BARE_URL", format!("http://127.0.0.1:{bare}/"))
            .env("SCREENSHOTS", shots.join(browser))
            // The one static server, for the tests that serve a directory of
            // their own (`cargo xtask serve --static MODE --root DIR`).
            .env("LANES_XTASK", &xtask);
        c
    };
    std::fs::create_dir_all(shots.join("firefox")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(shots.join("chromium")).map_err(|e| e.to_string())?;
    run(node("chromium").args(&tests))?;
    // Firefox: the main flows (a chapter run with its exports, a permalink,
    // the widgets of the demo post on another origin, the python rung) and
    // the environment card, isolated and not.
    run(node("firefox")
        .arg(format!("--test-name-pattern={FIREFOX_FLOWS}"))
        .args([
            "app.test.mjs",
            "widget.test.mjs",
            "environment.test.mjs",
            "python.test.mjs",
        ]))?;
    // WebKit (Safari's engine): WebKitGTK's MiniBrowser through
    // WebKitWebDriver under Xvfb, on servers that add the recorder of
    // errors to every page (the driver has no console log).
    let record = |mode| serve::start(dist.clone(), 0, mode, true);
    let (isolated, plain, bare) = (
        record(serve::Mode::Isolated)?,
        record(serve::Mode::Plain)?,
        record(serve::Mode::Bare)?,
    );
    std::fs::create_dir_all(shots.join("webkit")).map_err(|e| e.to_string())?;
    let driver = webkit::Driver::start()?;
    run(node("webkit")
        .env("LANES_URL", format!("http://127.0.0.1:{isolated}/"))
        .env("LANES_PLAIN_URL", format!("http://127.0.0.1:{plain}/"))
        .env("LANES_BARE_URL", format!("http://127.0.0.1:{bare}/"))
        .env("LANES_WEBDRIVER", &driver.url)
        .arg(WEBKIT_TESTS))
}

/// The end-to-end tests of WebKit, which drive it through WebDriver (not
/// Playwright, whose WebKit is a download we cannot reach).
const WEBKIT_TESTS: &str = "webkit.test.mjs";

/// The end-to-end tests that also run in Firefox (a name pattern).
const FIREFOX_FLOWS: &str = "^(a chapter runs|a permalink restores|the demo post on another origin|firefox, served|python: add and sum|phones:|fast navigation)";

/// Where `name` is on PATH.
pub(crate) fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn serve_cmd(args: &[String]) -> Result {
    let port: Option<u16> = match args.iter().position(|a| a == "--port") {
        Some(i) => Some(
            args.get(i + 1)
                .and_then(|p| p.parse().ok())
                .ok_or("--port needs a number")?,
        ),
        None => None,
    };
    let mode = match args.iter().position(|a| a == "--static") {
        None => return site::serve(port.unwrap_or(8080)),
        Some(i) => match args.get(i + 1).map(String::as_str) {
            Some("isolated") => serve::Mode::Isolated,
            Some("plain") => serve::Mode::Plain,
            Some("bare") => serve::Mode::Bare,
            _ => return Err("--static needs isolated, plain or bare".into()),
        },
    };
    // The release dist/ (or `--root DIR`, as it is), served the way a
    // static host would. Each mode has its own default port (origin): the
    // service worker a plain origin registers stays registered there, and
    // would isolate a bare run too.
    let port = port.unwrap_or(match mode {
        serve::Mode::Isolated => 8081,
        serve::Mode::Plain => 8082,
        serve::Mode::Bare => 8083,
    });
    let dir = match args.iter().position(|a| a == "--root") {
        Some(i) => PathBuf::from(args.get(i + 1).ok_or("--root needs a directory")?),
        None => site::build()?,
    };
    if !dir.is_dir() {
        return Err(format!("--root {}: not a directory", dir.display()));
    }
    let record = args.iter().any(|a| a == "--record");
    let port = serve::start(dir.clone(), port, mode, record)?;
    // The URL alone on stdout, for whoever started this (tests/e2e/server.mjs).
    println!("http://127.0.0.1:{port}/");
    eprintln!(
        "serving {} at http://127.0.0.1:{port}/ ({mode:?}); Ctrl-C stops",
        dir.display()
    );
    loop {
        std::thread::park();
    }
}
