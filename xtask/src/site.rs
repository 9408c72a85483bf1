//! Builds the static site into `dist/`: the worker's wasm through
//! wasm-bindgen (`--target web`), the scripts of `web/`, and the page.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, cargo, install, root, run};

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}

/// Builds `dist/` (always optimized: the numbers it shows must be real).
pub(crate) fn build() -> Result<PathBuf> {
    install::wasm_target()?;
    install::wasm_bindgen()?;
    let root = root();
    run(cargo().args([
        "build",
        "-p",
        "lanes-worker",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let dist = root.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| e.to_string())?;
    }
    let wasm = root.join("target/wasm32-unknown-unknown/release/lanes_worker.wasm");
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(dist.join("pkg"))
        .arg(&wasm))?;
    copy_dir(&root.join("web"), &dist)?;
    std::fs::copy(root.join("index.html"), dist.join("index.html")).map_err(|e| e.to_string())?;
    Ok(dist)
}
