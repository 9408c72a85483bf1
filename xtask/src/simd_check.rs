//! Proves on the built wasm that every `scalar` kernel has no SIMD128
//! instruction and every `simd` kernel has some (itself or in what it
//! calls), and that no SIMD intrinsic was left as an out-of-line call.
//!
//! `prove` also builds a control binary with SIMD128 on for the whole crate,
//! where the compiler vectorizes the scalar loops, and requires the check to
//! reject it: a check that cannot fail proves nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, cargo, describe, root};

/// `simd` entries that dispatch never offers for these dtypes (`Op::variants`
/// leaves them out): column sums of narrow integers need widening lanes, so
/// they fall back to the scalar loop.
const NOT_OFFERED: &[&str] = &[
    "sum_axis::simd_columns::<i8>",
    "sum_axis::simd_columns::<i16>",
    "sum_axis::simd_columns::<i32>",
    "sum_axis::simd_columns_range::<i8>",
    "sum_axis::simd_columns_range::<i16>",
    "sum_axis::simd_columns_range::<i32>",
];

/// A function of the disassembly.
#[derive(Debug, Default)]
struct Func {
    simd_ops: usize,
    calls: BTreeSet<usize>,
}

/// Function names (demangled, without hashes) and bodies from `wasm-objdump -d`.
fn parse(dis: &str) -> (Vec<String>, Vec<Func>) {
    let mut names = Vec::new();
    let mut funcs: Vec<Func> = Vec::new();
    let mut index_of = BTreeMap::new();
    let mut pending_calls: Vec<(usize, String)> = Vec::new();
    for line in dis.lines() {
        if let Some(name) = header(line) {
            index_of.insert(name.clone(), names.len());
            names.push(name);
            funcs.push(Func::default());
            continue;
        }
        let Some(f) = funcs.last_mut() else { continue };
        let Some((_, ins)) = line.split_once("| ") else {
            continue;
        };
        let op = ins.split_whitespace().next().unwrap_or("");
        if is_simd(op) {
            f.simd_ops += 1;
        }
        if let ("call", Some(a), Some(b)) = (op, ins.find('<'), ins.rfind('>')) {
            pending_calls.push((funcs.len() - 1, clean(&ins[a + 1..b])));
        }
    }
    for (from, to) in pending_calls {
        if let Some(&t) = index_of.get(&to) {
            funcs[from].calls.insert(t);
        }
    }
    (names, funcs)
}

fn header(line: &str) -> Option<String> {
    let rest = line.split_once(" func[")?.1;
    let name = rest.split_once("] <")?.1.strip_suffix(">:")?;
    Some(clean(name))
}

/// Demangles and drops hashes and LLVM's `.llvm.N` suffixes.
fn clean(name: &str) -> String {
    let name = name.split(".llvm.").next().unwrap_or(name);
    format!("{:#}", rustc_demangle::demangle(name))
}

fn is_simd(op: &str) -> bool {
    [
        "v128.", "i8x16.", "i16x8.", "i32x4.", "i64x2.", "f32x4.", "f64x2.",
    ]
    .iter()
    .any(|p| op.starts_with(p))
}

/// `(rung, op::entry::<T>)` for the entry points of the kernel rungs:
/// `lanes_kernels::ops::<op>::<rung>[_<strategy>]::<T>`.
fn entry(name: &str) -> Option<(&str, &str)> {
    let kernel = name.strip_prefix("lanes_kernels::ops::")?;
    let (op, rest) = kernel.split_once("::")?;
    let (fname, generics) = rest.split_once("::<")?;
    let plain = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let rung = fname.split('_').next().unwrap_or("");
    let rung_ok = matches!(rung, "scalar" | "auto" | "simd");
    (plain(op) && plain(fname) && rung_ok && generics.ends_with('>')).then_some((rung, kernel))
}

/// Every function reachable from `start` (itself included).
fn reachable(funcs: &[Func], start: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::from([start]);
    let mut todo = vec![start];
    while let Some(f) = todo.pop() {
        for &c in &funcs[f].calls {
            if seen.insert(c) {
                todo.push(c);
            }
        }
    }
    seen
}

/// Checks a disassembly; returns a report, or every violation found.
fn check(dis: &str) -> Result<String> {
    let (names, funcs) = parse(dis);
    let mut errors = Vec::new();
    let mut counts = BTreeMap::<&str, usize>::new();
    let mut auto_vectorized = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.starts_with("core::core_arch::") {
            errors.push(format!(
                "intrinsic `{name}` was not inlined (a call per vector op)"
            ));
        }
        let Some((rung, kernel)) = entry(name) else {
            continue;
        };
        *counts.entry(rung).or_default() += 1;
        let simd_in_tree: usize = reachable(&funcs, i)
            .iter()
            .map(|&f| funcs[f].simd_ops)
            .sum();
        match rung {
            "scalar" if simd_in_tree > 0 => errors.push(format!(
                "scalar kernel `{kernel}` executes {simd_in_tree} SIMD128 instructions"
            )),
            "simd" if simd_in_tree == 0 && !NOT_OFFERED.contains(&kernel) => {
                errors.push(format!("simd kernel `{kernel}` has no SIMD128 instruction"))
            }
            "auto" if simd_in_tree > 0 => auto_vectorized.push(kernel.to_owned()),
            _ => {}
        }
    }
    // The check must have seen the kernels, or it proved nothing.
    for rung in ["scalar", "auto", "simd"] {
        let n = counts.get(rung).copied().unwrap_or(0);
        if n < 50 {
            errors.push(format!(
                "only {n} `{rung}` kernels found: names missing from the wasm?"
            ));
        }
    }
    if !errors.is_empty() {
        return Err(format!("SIMD proof failed:\n  {}", errors.join("\n  ")));
    }
    Ok(format!(
        "SIMD proof: {} scalar kernels without SIMD128, {} simd kernels with it, {} of {} auto kernels vectorized by the compiler ({} not offered: {})",
        counts["scalar"],
        counts["simd"],
        auto_vectorized.len(),
        counts["auto"],
        NOT_OFFERED.len(),
        NOT_OFFERED.join(", ")
    ))
}

pub(crate) fn check_file(wasm: &Path) -> Result<String> {
    let out = Command::new("wasm-objdump")
        .arg("-d")
        .arg(wasm)
        .output()
        .map_err(|e| format!("wasm-objdump: {e}"))?;
    if !out.status.success() {
        return Err(format!("wasm-objdump failed on {}", wasm.display()));
    }
    check(&String::from_utf8_lossy(&out.stdout))
}

/// Builds the kernel test binary for wasm32 in release, with v0 symbol names
/// (they carry the dtype), into its own target dir; returns its path.
fn build(target_dir: &str, extra_flags: &str) -> Result<PathBuf> {
    let mut cmd = cargo();
    cmd.args([
        "test",
        "-p",
        "lanes-kernels",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "ladder",
        "--no-run",
        "--message-format=json",
    ])
    .env("CARGO_TARGET_DIR", root().join(target_dir))
    .env(
        "RUSTFLAGS",
        format!("-Csymbol-mangling-version=v0 {extra_flags}").trim(),
    )
    .current_dir(root());
    eprintln!("$ {}", describe(&cmd));
    let out = cmd.output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let exe = stdout
        .lines()
        .filter_map(|l| {
            l.split_once("\"executable\":\"")?
                .1
                .split_once('"')
                .map(|(p, _)| p)
        })
        .find(|p| p.ends_with(".wasm"))
        .ok_or("no test executable in cargo's output")?;
    Ok(PathBuf::from(exe))
}

pub(crate) fn prove() -> Result {
    let wasm = build("target/simd-check", "")?;
    eprintln!("{}", check_file(&wasm)?);
    let control = build("target/simd-check-control", "-Ctarget-feature=+simd128")?;
    match check_file(&control) {
        Ok(_) => {
            Err("control build with SIMD128 on everywhere passed the check: it cannot fail".into())
        }
        Err(e) => {
            let first = e.lines().nth(1).unwrap_or("").trim();
            eprintln!(
                "control (SIMD128 on for the whole crate) rejected, as it must be: {first} ..."
            );
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dis(scalar_body: &str, simd_body: &str) -> String {
        let mut s = String::new();
        for i in 0..60 {
            s += &format!(
                "000 func[{}] <lanes_kernels::ops::add::scalar::<f32>>:\n{scalar_body}\n",
                3 * i
            );
            s += &format!(
                "000 func[{}] <lanes_kernels::ops::add::auto::<f32>>:\n 0: 20 | f32.add\n",
                3 * i + 1
            );
            s += &format!(
                "000 func[{}] <lanes_kernels::ops::add::simd::<f32>>:\n{simd_body}\n",
                3 * i + 2
            );
        }
        s
    }

    #[test]
    fn passes_scalar_scalar_and_simd_simd() {
        let r = check(&dis(" 0: 92 | f32.add", " 0: fd e4 01 | f32x4.add")).unwrap();
        assert!(r.contains("180") || r.contains("60 scalar"), "{r}");
    }

    #[test]
    fn rejects_a_vectorized_scalar_kernel() {
        let e = check(&dis(" 0: fd e4 01 | f32x4.add", " 0: fd e4 01 | f32x4.add")).unwrap_err();
        assert!(
            e.contains("scalar kernel `add::scalar::<f32>` executes"),
            "{e}"
        );
    }

    #[test]
    fn rejects_a_simd_kernel_without_simd() {
        let e = check(&dis(" 0: 92 | f32.add", " 0: 92 | f32.add")).unwrap_err();
        assert!(
            e.contains("simd kernel `add::simd::<f32>` has no SIMD128"),
            "{e}"
        );
    }

    #[test]
    fn follows_calls_and_flags_outlined_intrinsics() {
        let mut d = dis(" 0: 92 | f32.add", " 0: 10 02 | call 999 <helper>");
        d += "000 func[999] <helper>:\n 0: fd 00 | v128.load 4 0\n";
        d += "000 func[1000] <core::core_arch::wasm32::simd128::f32x4_add>:\n 0: fd e4 01 | f32x4.add\n";
        let e = check(&d).unwrap_err();
        assert!(
            !e.contains("has no SIMD128"),
            "the call to the helper counts: {e}"
        );
        assert!(e.contains("was not inlined"), "{e}");
    }

    #[test]
    fn names_rungs_by_the_entry_point_of_the_op_file() {
        assert_eq!(
            entry("lanes_kernels::ops::matmul::simd_blocked::<f32>"),
            Some(("simd", "matmul::simd_blocked::<f32>"))
        );
        assert_eq!(
            entry("lanes_kernels::ops::add::scalar::<i8>"),
            Some(("scalar", "add::scalar::<i8>"))
        );
        // The ops' helpers and the loops inlined into the entries are not rungs.
        assert_eq!(entry("lanes_kernels::ops::sum::total::<f32>"), None);
        assert_eq!(entry("lanes_kernels::ops::add::each::<f32, Opaque>"), None);
        assert_eq!(entry("lanes_kernels::par::chunks::<f32>"), None);
    }

    #[test]
    fn refuses_to_pass_on_an_empty_binary() {
        assert!(check("").is_err());
    }
}
