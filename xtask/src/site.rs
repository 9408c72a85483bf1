//! Builds the static site into `dist/`: Trunk builds the Yew app from
//! `index.html` and, through its post-build hook (`cargo xtask worker`), the
//! measurement workers' wasm with wasm-bindgen (`--target web`): the
//! single-threaded one and the threaded one, which the page picks between
//! at run time (web/js/worker.js).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, cargo, install, root, run};

/// The threaded build's largest memory. Shared memory cannot grow past the
/// maximum it was linked with, and browsers reserve that maximum up front,
/// so it is no larger than the problems need: the worker's limit is 1 GiB
/// of arrays (plus the reference's copy of the output), and phones refuse
/// to reserve 4 GiB.
const MAX_MEMORY: u64 = 2 << 30;

/// Builds both workers (always optimized: the numbers they show must be
/// real) into `<out>/pkg` and `<out>/pkg-threads`, where `out` is Trunk's
/// staging directory when Trunk runs this as its hook, puts the
/// cross-origin isolation service worker next to them, and builds the
/// widget into `<out>/widget`.
pub(crate) fn worker() -> Result {
    install::wasm_target()?;
    install::wasm_bindgen()?;
    install::threads_toolchain()?;
    let out =
        std::env::var_os("TRUNK_STAGING_DIR").map_or_else(|| root().join("dist"), PathBuf::from);
    run(cargo().args([
        "build",
        "-p",
        "lanes-worker",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    bindgen(
        &root().join("target/wasm32-unknown-unknown/release/lanes_worker.wasm"),
        &out.join("pkg"),
    )?;
    threaded()?;
    bindgen(
        &root().join("target/threads/wasm32-unknown-unknown/release/lanes_worker.wasm"),
        &out.join("pkg-threads"),
    )?;
    install::web_packages()?;
    std::fs::copy(
        install::coi_serviceworker_js(),
        out.join("coi-serviceworker.js"),
    )
    .map_err(|e| format!("coi-serviceworker.js: {e}"))?;
    widget(&out)
}

/// The widget (`embed.html`): the app crate without its `playground`
/// feature, so only the compact card and what it reaches are linked in,
/// built for size into `<out>/widget`.
fn widget(out: &Path) -> Result {
    run(cargo().args([
        "build",
        "-p",
        "lanes-app",
        "--no-default-features",
        "--profile",
        "web-app",
        "--target",
        "wasm32-unknown-unknown",
        "--target-dir",
        "target/widget",
    ]))?;
    let wasm = root().join("target/widget/wasm32-unknown-unknown/web-app/lanes-app.wasm");
    let dir = out.join("widget");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())?;
    }
    run(Command::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "lanes_widget",
        ])
        .args(STRIP)
        .arg("--out-dir")
        .arg(&dir)
        .arg(&wasm))
}

/// Names and producers are debugging aids the page does not need.
const STRIP: [&str; 2] = ["--remove-name-section", "--remove-producers-section"];

/// The threaded worker: the pinned nightly rebuilds std with atomics
/// (`build-std`) and links a shared, imported memory with the TLS exports
/// wasm-bindgen's thread support needs. Without the link arguments the
/// build succeeds and is silently single-threaded. The flags go in through
/// the environment and a target directory of their own, so that no other
/// build (native tests, the single-threaded worker) sees them.
fn threaded() -> Result {
    let mut flags = vec![
        "-C".to_owned(),
        "target-feature=+atomics,+bulk-memory,+mutable-globals".to_owned(),
    ];
    for arg in [
        "--shared-memory".to_owned(),
        "--import-memory".to_owned(),
        format!("--max-memory={MAX_MEMORY}"),
        "--export=__wasm_init_tls".to_owned(),
        "--export=__tls_size".to_owned(),
        "--export=__tls_align".to_owned(),
        "--export=__tls_base".to_owned(),
    ] {
        flags.push("-C".to_owned());
        flags.push(format!("link-arg={arg}"));
    }
    run(Command::new("rustup")
        .args([
            "run",
            install::NIGHTLY,
            "cargo",
            "build",
            "-p",
            "lanes-worker",
        ])
        .args(["--release", "--target", "wasm32-unknown-unknown"])
        .args(["--features", "threads", "--target-dir", "target/threads"])
        .env_remove("RUSTC")
        .env_remove("RUSTFLAGS")
        .env("CARGO_UNSTABLE_BUILD_STD", "panic_abort,std")
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            flags.join(" "),
        ))
}

fn bindgen(wasm: &Path, pkg: &Path) -> Result {
    if pkg.exists() {
        std::fs::remove_dir_all(pkg).map_err(|e| e.to_string())?;
    }
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript"])
        .args(STRIP)
        .arg("--out-dir")
        .arg(pkg)
        .arg(wasm))
}

/// Builds `dist/` with Trunk (release).
pub(crate) fn build() -> Result<PathBuf> {
    install::trunk()?;
    install::web_packages()?;
    run(Command::new("trunk")
        .args(["build", "--release", "--skip-version-check"])
        .env("PATH", install::path_with_web_bin()))?;
    let dist = root().join("dist");
    let complete = [
        "pkg/lanes_worker_bg.wasm",
        "pkg-threads/lanes_worker_bg.wasm",
        "widget/lanes_widget_bg.wasm",
        "embed.html",
        "js/widget.js",
        "coi-serviceworker.js",
        "_headers",
        "index.html",
    ]
    .iter()
    .all(|f| dist.join(f).exists());
    if !complete {
        return Err("trunk build left no complete dist/".into());
    }
    Ok(dist)
}

/// `trunk serve` on 127.0.0.1 with the isolation headers of Trunk.toml.
pub(crate) fn serve(port: u16) -> Result {
    install::trunk()?;
    install::web_packages()?;
    run(Command::new("trunk")
        .args(["serve", "--skip-version-check", "--port", &port.to_string()])
        .env("PATH", install::path_with_web_bin()))
}
