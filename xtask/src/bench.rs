//! `cargo xtask bench`: builds what the bench runner (`crates/bench`, the
//! `lanes-bench` binary) measures on, and runs it with the same arguments:
//! the release `lanes-native` always (`--numpy` runs both), the site served
//! cross-origin isolated unless `--native`, the pinned NumPy with
//! `--numpy`. Options and output: docs/bench-schema.md.

use std::process::Command;

use crate::{Result, cargo, root, run, serve, setup, site};

pub(crate) fn bench(args: &[String]) -> Result {
    let native = args.iter().any(|a| a == "--native");
    run(cargo().args([
        "build",
        "--release",
        "-p",
        "lanes-bench",
        "-p",
        "lanes-harness",
        "--bin",
        "lanes-bench",
        "--bin",
        "lanes-native",
    ]))?;
    let release = root().join("target/release");
    let mut bench = Command::new(release.join("lanes-bench"));
    bench
        .args(args)
        .env("LANES_BENCH_NATIVE", release.join("lanes-native"));
    if !native {
        setup::bench()?;
        let port = serve::start(site::build()?, 0, serve::Mode::Isolated, false)?;
        let url = format!("http://127.0.0.1:{port}/");
        eprintln!("serving dist/ at {url} (cross-origin isolated)");
        bench.env("LANES_BENCH_URL", url);
    }
    if args.iter().any(|a| a == "--numpy") {
        bench.env("LANES_BENCH_PYDEPS", crate::numpy_deps()?);
    }
    run(&mut bench)
}
