//! Builds the static site into `dist/`: Trunk builds the Yew app from
//! `index.html` and, through its post-build hook (`cargo xtask worker`), the
//! measurement worker's wasm with wasm-bindgen (`--target web`).

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, cargo, install, root, run};

/// Builds the worker (always optimized: the numbers it shows must be real)
/// into `<out>/pkg`, where `out` is Trunk's staging directory when Trunk
/// runs this as its hook.
pub(crate) fn worker() -> Result {
    install::wasm_target()?;
    install::wasm_bindgen()?;
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
    let wasm = root().join("target/wasm32-unknown-unknown/release/lanes_worker.wasm");
    let pkg = out.join("pkg");
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg).map_err(|e| e.to_string())?;
    }
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&pkg)
        .arg(&wasm))
}

/// Builds `dist/` with Trunk (release).
pub(crate) fn build() -> Result<PathBuf> {
    install::trunk()?;
    run(Command::new("trunk").args(["build", "--release", "--skip-version-check"]))?;
    let dist = root().join("dist");
    if !dist.join("pkg").join("lanes_worker_bg.wasm").exists() || !dist.join("index.html").exists()
    {
        return Err("trunk build left no complete dist/".into());
    }
    Ok(dist)
}

/// `trunk serve` on 127.0.0.1 with the isolation headers of Trunk.toml.
pub(crate) fn serve(port: u16) -> Result {
    install::trunk()?;
    run(Command::new("trunk").args(["serve", "--skip-version-check", "--port", &port.to_string()]))
}
