//! `cargo xtask setup`: installs what the tasks need, idempotently: each
//! tool is checked first and only installed when missing or at the wrong
//! version. `serve`, `build`, `bench` and `test` call the part they need.

use std::process::Command;

use crate::{Result, cargo, run};

/// wasm-bindgen-cli must match the `wasm-bindgen` crate exactly.
pub(crate) const WASM_BINDGEN: &str = "0.2.130";

/// Whether `cmd` runs and prints something containing `want`.
fn prints(cmd: &mut Command, want: &str) -> bool {
    cmd.output().is_ok_and(|o| {
        o.status.success()
            && (String::from_utf8_lossy(&o.stdout).contains(want)
                || String::from_utf8_lossy(&o.stderr).contains(want))
    })
}

fn apt_install(packages: &[&str]) -> Result {
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn wasm_target() -> Result {
    if !prints(
        Command::new("rustup").args(["target", "list", "--installed"]),
        "wasm32-unknown-unknown",
    ) {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

fn components() -> Result {
    if !prints(cargo().args(["fmt", "--version"]), "rustfmt")
        || !prints(cargo().args(["clippy", "--version"]), "clippy")
    {
        run(Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))?;
    }
    Ok(())
}

fn wasm_bindgen() -> Result {
    let want = format!("wasm-bindgen {WASM_BINDGEN}");
    if !prints(Command::new("wasm-bindgen").arg("--version"), &want)
        || !prints(
            Command::new("wasm-bindgen-test-runner").arg("--version"),
            WASM_BINDGEN,
        )
    {
        // No `--locked`: its lockfile names a crate version the registry lacks.
        run(cargo().args(["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN]))?;
    }
    Ok(())
}

fn wabt() -> Result {
    if !prints(Command::new("wasm-objdump").arg("--version"), ".") {
        apt_install(&["wabt"])?;
    }
    Ok(())
}

fn node() -> Result {
    // Debian packages npm apart from Node.
    if !prints(Command::new("node").arg("--version"), "v")
        || !prints(Command::new("npm").arg("--version"), ".")
    {
        apt_install(&["nodejs", "npm"])?;
    }
    Ok(())
}

/// What building the site needs: the wasm target and the pinned
/// wasm-bindgen, the pinned nightly for the threaded worker, the site's npm
/// packages (wasm-opt, the service worker) and Trunk.
pub(crate) fn site() -> Result {
    wasm_target()?;
    wasm_bindgen()?;
    nightly()?;
    web_packages()?;
    trunk()
}

/// What `cargo xtask bench` needs: the site and Chromium.
pub(crate) fn bench() -> Result {
    site()?;
    browser_tools()
}

/// Everything `cargo xtask test` needs (and `cargo xtask setup` installs):
/// the linters, wabt for the SIMD proof, both browsers and their drivers,
/// and the site's tools.
pub(crate) fn test() -> Result {
    components()?;
    node()?;
    wabt()?;
    site()?;
    firefox_tools()?;
    webkit_tools()
}

/// Chromium and ChromeDriver from Debian and playwright-core from npm (never
/// a browser download: Playwright and wasm-bindgen-test drive the system
/// Chromium).
fn browser_tools() -> Result {
    node()?;
    if !prints(Command::new("chromium").arg("--version"), "Chromium")
        || !prints(
            Command::new("chromedriver").arg("--version"),
            "ChromeDriver",
        )
    {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    let e2e = crate::root().join("tests/e2e");
    // Each package the tests import (npm ci installs the lock's whole tree).
    let installed = ["playwright-core", "selenium-webdriver"].iter().all(|p| {
        e2e.join("node_modules")
            .join(p)
            .join("package.json")
            .exists()
    });
    if !installed {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&e2e))?;
    }
    Ok(())
}

/// WebKitGTK's WebKitWebDriver and MiniBrowser, Xvfb for their display and
/// xauth for it, from Debian: the third engine of the end-to-end tests
/// (Safari's), driven through WebDriver.
fn webkit_tools() -> Result {
    let have = prints(
        Command::new("WebKitWebDriver").arg("--help"),
        "WebKitWebDriver",
    ) && std::path::Path::new(crate::webkit::MINIBROWSER).exists()
        && crate::which("Xvfb").is_some()
        && crate::which("xauth").is_some();
    if !have {
        apt_install(&["webkit2gtk-driver", "xvfb", "xauth"])?;
    }
    Ok(())
}

/// geckodriver, for wasm-bindgen-test in Firefox (~2.5 minutes to build once).
pub(crate) const GECKODRIVER: &str = "0.37.1";

/// Firefox ESR from Debian and geckodriver from crates.io: the second browser
/// the component tests and the main end-to-end flows run in.
fn firefox_tools() -> Result {
    browser_tools()?;
    if !prints(Command::new("firefox-esr").arg("--version"), "Firefox") {
        apt_install(&["firefox-esr"])?;
    }
    if !prints(
        Command::new("geckodriver").arg("--version"),
        &format!("geckodriver {GECKODRIVER}"),
    ) {
        run(cargo().args([
            "install",
            "geckodriver",
            "--version",
            GECKODRIVER,
            "--locked",
        ]))?;
    }
    Ok(())
}

/// The pinned nightly: Trunk needs a newer rustc than stable here, and the
/// threaded worker needs build-std.
pub(crate) const NIGHTLY: &str = "nightly-2026-05-20";
pub(crate) const TRUNK: &str = "0.22.1";

fn nightly() -> Result {
    let have = prints(Command::new("rustup").args(["toolchain", "list"]), NIGHTLY)
        && prints(
            Command::new("rustup").args([
                "component",
                "list",
                "--installed",
                "--toolchain",
                NIGHTLY,
            ]),
            "rust-src",
        )
        && prints(
            Command::new("rustup").args(["target", "list", "--installed", "--toolchain", NIGHTLY]),
            "wasm32-unknown-unknown",
        );
    if !have {
        run(Command::new("rustup").args([
            "toolchain",
            "install",
            NIGHTLY,
            "--component",
            "rust-src",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "minimal",
        ]))?;
    }
    Ok(())
}

/// Trunk at the pinned version (built with the pinned nightly, ~11 minutes
/// once).
fn trunk() -> Result {
    if !prints(
        Command::new("trunk").arg("--version"),
        &format!("trunk {TRUNK}"),
    ) {
        nightly()?;
        run(Command::new("rustup").args([
            "run",
            NIGHTLY,
            "cargo",
            "install",
            "trunk",
            "--version",
            TRUNK,
            "--locked",
        ]))?;
    }
    Ok(())
}

/// The version of the site's npm package `name` that is installed.
pub(crate) fn web_package_version(name: &str) -> Option<String> {
    let p = crate::root().join(format!("web/node_modules/{name}/package.json"));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()?;
    Some(v["version"].as_str()?.to_owned())
}

/// The site's npm packages (`web/package.json`): coi-serviceworker,
/// pyodide (CPython for the python rung), binaryen (wasm-opt) and esbuild,
/// at the versions the lockfile pins.
fn web_packages() -> Result {
    node()?;
    let web = crate::root().join("web");
    let lock = std::fs::read_to_string(web.join("package-lock.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let stale = ["coi-serviceworker", "pyodide", "binaryen", "esbuild"]
        .iter()
        .any(|name| {
            let locked = lock.as_ref().and_then(|v| {
                v["packages"][format!("node_modules/{name}")]["version"]
                    .as_str()
                    .map(str::to_owned)
            });
            let installed = web_package_version(name);
            locked.is_none() || installed != locked
        });
    if stale {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&web))?;
    }
    Ok(())
}

/// PATH with the site's npm binaries first: Trunk takes the wasm-opt it
/// finds there when its version is the one Trunk.toml pins.
pub(crate) fn path_with_web_bin() -> std::ffi::OsString {
    let bin = crate::root().join("web/node_modules/.bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&path))).unwrap_or(path)
}

/// The unminified service worker, as the package ships it.
pub(crate) fn coi_serviceworker_js() -> std::path::PathBuf {
    crate::root().join("web/node_modules/coi-serviceworker/coi-serviceworker.js")
}

/// CPython for the browser, as npm `pyodide` ships it.
pub(crate) fn pyodide_dir() -> std::path::PathBuf {
    crate::root().join("web/node_modules/pyodide")
}
