//! Builds the static site into `dist/`: Trunk builds the Yew app from
//! `index.html` and, through its post-build hook (`cargo xtask worker`), the
//! measurement workers' wasm with wasm-bindgen (`--target web`): the
//! single-threaded one and the threaded one, which the page picks between
//! at run time (web/js/worker.js).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, cargo, root, run, setup};

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
    setup::site()?;
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
    std::fs::copy(
        setup::coi_serviceworker_js(),
        out.join("coi-serviceworker.js"),
    )
    .map_err(|e| format!("coi-serviceworker.js: {e}"))?;
    pyodide(&out.join("pyodide"))?;
    widget(&out)?;
    if std::env::var("TRUNK_PROFILE").as_deref() == Ok("release") {
        minify_js(&out)?;
    }
    Ok(())
}

/// The files of CPython for the browser (npm `pyodide`) the python rung
/// loads: the runtime, its wasm, the standard library and the lock file
/// `loadPyodide` reads (no packages: the rung needs none).
const PYODIDE_FILES: [&str; 5] = [
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
];

/// Copies CPython (npm `pyodide`, served from the site's own origin) into
/// `dir`, with `files.json`: its version and each file's size, which the
/// python rung's download progress counts against.
fn pyodide(dir: &Path) -> Result {
    let from = setup::pyodide_dir();
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut sizes = Vec::new();
    for name in PYODIDE_FILES {
        let bytes = std::fs::copy(from.join(name), dir.join(name))
            .map_err(|e| format!("pyodide/{name}: {e} (is web/node_modules up to date?)"))?;
        sizes.push(format!("\"{name}\": {bytes}"));
    }
    let version = setup::web_package_version("pyodide").ok_or("no pyodide in web/node_modules")?;
    let json = format!(
        "{{\"version\": \"{version}\", \"files\": {{{}}}}}\n",
        sizes.join(", ")
    );
    std::fs::write(dir.join("files.json"), json).map_err(|e| format!("pyodide/files.json: {e}"))
}

/// The one script served as written: the code panel shows its loops.
const SHOWN_AS_WRITTEN: &str = "js/baselines.js";

/// Minifies, in place, the scripts Trunk does not (release builds, as Trunk
/// does its own with `minify = "on_release"`), but [`SHOWN_AS_WRITTEN`]:
/// the workers' wasm-bindgen glue, web/js (copied as written, comments and
/// all) and the service worker. esbuild renames locals and drops comments;
/// imports, exports and `import.meta.url` stay. -4 KB gzip for the worker,
/// -1.5 KB for the page.
fn minify_js(out: &Path) -> Result {
    fn scripts(dir: &Path, found: &mut Vec<PathBuf>) -> Result {
        for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                scripts(&path, found)?;
            } else if path.extension().is_some_and(|x| x == "js") {
                found.push(path);
            }
        }
        Ok(())
    }
    // Not Trunk's own output at the top level: the page loads it with an
    // integrity hash of what Trunk wrote.
    let mut found = vec![out.join("coi-serviceworker.js")];
    for dir in ["js", "pkg", "pkg-threads", "widget"] {
        scripts(&out.join(dir), &mut found)?;
    }
    found.retain(|p| !p.ends_with(SHOWN_AS_WRITTEN));
    // One esbuild for all of them, each written back where it was.
    run(Command::new(root().join("web/node_modules/.bin/esbuild"))
        .args(&found)
        .args(["--minify", "--log-level=warning", "--allow-overwrite"])
        .arg(format!("--outbase={}", out.display()))
        .arg(format!("--outdir={}", out.display())))
}

/// The widget (`embed.html`): the app crate without its `playground`
/// feature, so only the compact card and what it reaches are linked in,
/// built for size into `<out>/widget`.
fn widget(out: &Path) -> Result {
    run(nightly_build("lanes-app")
        .args(["--no-default-features", "--profile", "web-app"])
        .args(["--target-dir", "target/widget"])
        .envs(SIZE_ENV))?;
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
        .arg(&wasm))?;
    // As Trunk does for the playground (`data-wasm-opt="z"` in index.html).
    let bg = dir.join("lanes_widget_bg.wasm");
    run(wasm_opt().arg("-Oz").arg(&bg).arg("-o").arg(&bg))
}

/// binaryen's wasm-opt from the site's npm packages (`worker()` installs
/// them), told what the wasm uses beyond the MVP.
fn wasm_opt() -> Command {
    let mut cmd = Command::new(root().join("web/node_modules/.bin/wasm-opt"));
    cmd.args([
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "--enable-reference-types",
        "--enable-multivalue",
        "--enable-simd",
        "--enable-threads",
    ]);
    cmd
}

/// `cargo build -p <package>` for wasm32 on the pinned nightly, with no
/// compiler or flags inherited from the caller's environment.
fn nightly_build(package: &str) -> Command {
    let mut cmd = Command::new("rustup");
    cmd.args(["run", setup::NIGHTLY, "cargo", "build", "-p", package])
        .args(["--target", "wasm32-unknown-unknown"])
        .env_remove("RUSTC")
        .env_remove("RUSTFLAGS");
    cmd
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
    // This build rebuilds std anyway: a panic traps at once, without the
    // message and location no one would see (see SIZE_ENV). -8 KB gzip.
    flags.extend(IMMEDIATE_ABORT.split_whitespace().map(str::to_owned));
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
    run(nightly_build("lanes-worker")
        .args([
            "--release",
            "--features",
            "threads",
            "--target-dir",
            "target/threads",
        ])
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
        .arg(wasm))?;
    optimize_worker(&pkg.join("lanes_worker_bg.wasm"))
}

/// binaryen on a worker. First constant additions to an address
/// (`i32.add p 16` then `v128.load`) become the access's offset
/// (`v128.load offset=16`). LLVM leaves them as adds for wasm, and V8 then
/// spends an instruction computing each address, where with an offset the
/// add is folded into the x86 addressing mode: an unrolled loop keeps one
/// pointer per array. Valid because no pointer here is within 1 KiB of
/// wrapping around (`--low-memory-unused`: Rust puts the 1 MiB stack first,
/// growing down towards address 0). Then one copy of functions that
/// compiled to the same code (-1.5 KB gzip). No general optimization
/// (`-O2`, 3 KB gzip smaller again): it rewrites the kernels' loops after
/// LLVM, and the kernels are tuned against V8's code for LLVM's output
/// (docs/codegen.md).
fn optimize_worker(wasm: &Path) -> Result {
    run(wasm_opt()
        .args([
            "--low-memory-unused",
            "--optimize-added-constants-propagate",
            "--duplicate-function-elimination",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(wasm))
}

/// How the page's own wasm (the playground, through Trunk, and the widget)
/// is built for size: the pinned nightly rebuilds the standard library with
/// its `optimize_for_size` feature (smaller formatting and collections code;
/// the prebuilt std is optimized for speed), and a panic stops the module
/// at once (`immediate-abort`): no message is formatted, no location kept.
/// Nothing is lost by that: on wasm32-unknown-unknown a panic's message
/// goes to a stderr that discards it, and the trap that ends the module is
/// the same. 265 -> 242 KB gzip for the playground from std, 217 -> 207
/// from the panics. No kernel runs in these binaries; the workers keep the
/// standard build.
const SIZE_ENV: [(&str, &str); 4] = [
    ("RUSTUP_TOOLCHAIN", setup::NIGHTLY),
    ("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"),
    ("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size"),
    (
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        IMMEDIATE_ABORT,
    ),
];

/// The rustc flags that make a panic trap at once (nightly, with a std
/// rebuilt by `build-std`).
const IMMEDIATE_ABORT: &str = "-Zunstable-options -Cpanic=immediate-abort";

/// The variable that gives the page's size-built wasm a target directory of
/// its own: a std built this way must not mix with the standard artifacts.
const TARGET_DIR_VAR: &str = "CARGO_TARGET_DIR";

/// Runs Trunk with `args`, the page's wasm built for size ([`SIZE_ENV`] and
/// a target directory of its own) and the site's wasm-opt on PATH. Trunk's
/// post-build hook (Trunk.toml) takes the variables off again before it
/// builds the workers.
fn trunk(args: &[&str]) -> Result {
    setup::site()?;
    run(Command::new("trunk")
        .args(args)
        .arg("--skip-version-check")
        .envs(SIZE_ENV)
        .env(TARGET_DIR_VAR, root().join("target/web-size"))
        .env("PATH", setup::path_with_web_bin()))
}

/// Builds `dist/` with Trunk (release).
pub(crate) fn build() -> Result<PathBuf> {
    trunk(&["build", "--release"])?;
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
        // The code panel's sources (index.html copies them).
        "src/ops/sum.rs",
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
    trunk(&["serve", "--port", &port.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The variables that build the page for size must not reach the
    /// workers' build: Trunk's hook unsets every one of them.
    #[test]
    fn the_trunk_hook_unsets_every_size_variable() {
        let toml = std::fs::read_to_string(root().join("Trunk.toml")).unwrap();
        let hook = &toml[toml.find("[[hooks]]").expect("a hook")..];
        for name in SIZE_ENV.iter().map(|(k, _)| *k).chain([TARGET_DIR_VAR]) {
            assert!(
                hook.contains(&format!(r#""-u", "{name}""#)),
                "Trunk.toml's hook does not unset {name}"
            );
        }
    }
}
