//! The code behind each rung, cut from the kernel and baseline files the
//! site serves as they are in the source tree (`src/` and `js/` in dist, see
//! index.html), so the page shows exactly what runs. They are fetched when
//! the code panel opens: built into the app they cost every visitor ~10 KB
//! of gzip for a panel most never open.

use lanes_kernels::{DType, Op, Strategy, Variant};

/// The served path of the JavaScript loops.
const JS: &str = "js/baselines.js";

fn scalar_path(file: &str) -> String {
    format!("src/scalar/{file}.rs")
}

fn simd_path(file: &str) -> String {
    format!("src/simd/{file}.rs")
}

/// The file and function of an (op, strategy)'s kernel.
fn kernel(op: Op, strategy: Strategy) -> Option<(&'static str, &'static str)> {
    use Strategy as S;
    Some(match (op, strategy) {
        (Op::Add, _) => ("elementwise", "add"),
        (Op::Multiply, _) => ("elementwise", "multiply"),
        (Op::Axpy, _) => ("elementwise", "axpy"),
        (Op::Sqrt, _) => ("elementwise", "sqrt"),
        (Op::Exp, _) => ("elementwise", "exp"),
        (Op::AddScalar, _) => ("elementwise", "add_scalar"),
        (Op::Where, _) => ("elementwise", "where_positive"),
        (Op::Clip, _) => ("elementwise", "clip"),
        (Op::Ravel, S::Copy) => ("elementwise", "copy"),
        (Op::Ravel, _) => return None,
        (Op::Sum | Op::Mean, _) => ("reduce", "sum"),
        (Op::Max, _) => ("reduce", "max"),
        (Op::Dot, _) => ("reduce", "dot"),
        (Op::AddRow, S::Tile) => ("broadcast", "add_row_tile"),
        (Op::AddRow, _) => ("broadcast", "add_row_broadcast"),
        (Op::Matmul, S::Ijk) => ("matmul", "matmul_ijk"),
        (Op::Matmul, S::Ikj) => ("matmul", "matmul_ikj"),
        (Op::Matmul, _) => ("matmul", "matmul_blocked"),
        (Op::Sort, _) => ("sort", "sort"),
        (Op::Convolve, _) => ("convolve", "convolve"),
        (Op::SumAxis, S::Columns) => ("layout", "sum_cols"),
        (Op::SumAxis, _) => ("layout", "sum_rows"),
        (Op::Transpose, S::Naive) => ("layout", "transpose_naive"),
        (Op::Transpose, _) => ("layout", "transpose_tiled"),
    })
}

/// The text of `fn name` (with its doc comment and attributes) in `src`.
fn function(src: &str, name: &str) -> Option<String> {
    let start = src.find(&format!("fn {name}<"))?;
    let line_start = src[..start].rfind("\n\n").map_or(0, |i| i + 2);
    let end = src[start..].find("\n}\n").map(|i| start + i + 2)?;
    Some(src[line_start..end].to_owned())
}

/// The served file each block of the code panel is cut from, in the
/// panel's order: the JavaScript loops, the scalar loop (shown for every op
/// with a kernel: it is also the plain loop a SIMD-only strategy replaces),
/// and the SIMD kernel (for ops with a SIMD rung).
pub fn files(op: Op, strategy: Strategy) -> [Option<String>; 3] {
    let file = kernel(op, strategy).map(|(file, _)| file);
    let simd = [Variant::Simd, Variant::SimdThreads]
        .into_iter()
        .any(|v| op.supports(strategy, DType::F32, v));
    [
        Some(JS.to_owned()),
        file.map(scalar_path),
        file.filter(|_| simd).map(simd_path),
    ]
}

/// The code of each block, in [`files`]' order, cut from the files `get`
/// returns by served path.
pub fn code<'a>(
    op: Op,
    strategy: Strategy,
    get: impl Fn(&str) -> Option<&'a str>,
) -> [Option<String>; 3] {
    let [js_file, scalar, simd] = files(op, strategy);
    let name = kernel(op, strategy).map(|(_, name)| name);
    let cut = |path: Option<String>| get(&path?).and_then(|src| function(src, name?));
    [
        js_file
            .and_then(|path| get(&path))
            .and_then(|src| js(src, op, strategy)),
        cut(scalar),
        cut(simd),
    ]
}

/// The JavaScript loop of an (op, strategy) in baselines.js.
fn js(src: &str, op: Op, strategy: Strategy) -> Option<String> {
    let start = src.find(&format!("\n  {}: {{", op.name()))? + 1;
    let rest = &src[start..];
    let end = rest[1..].find("\n  },").map(|i| i + 1 + 4)?;
    let block = &rest[..end];
    let info = op.info();
    if info.strategies.len() > 1 {
        // Keep the strategy's own function.
        let s = block.find(&format!("\n    {}: ", strategy.name()))?;
        let body = &block[s + 1..];
        let e = body.find("\n    },").map_or(body.len(), |i| i + 7);
        return Some(body[..e].to_owned());
    }
    Some(block.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the site serves, read from the tree (index.html copies these
    /// directories into dist).
    fn served(path: &str) -> Option<&'static str> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let file = match path.strip_prefix("src/") {
            Some(p) => format!("{root}/crates/kernels/src/{p}"),
            None => format!("{root}/web/{path}"),
        };
        std::fs::read_to_string(file).ok().map(|s| &*s.leak())
    }

    #[test]
    fn every_rung_shows_its_code() {
        for op in Op::ALL {
            for &s in op.info().strategies {
                for path in files(op, s).into_iter().flatten() {
                    assert!(
                        served(&path).is_some(),
                        "{op:?} {s:?}: {path} is not in the tree"
                    );
                }
                let [js, scalar, simd] = code(op, s, served);
                let offered = op.variants(s, DType::F32);
                if op == Op::Ravel && s == Strategy::View {
                    assert!(scalar.is_none());
                    continue;
                }
                if offered.contains(&Variant::Scalar) {
                    assert!(
                        scalar.as_deref().is_some_and(|c| c.contains("fn ")),
                        "{op:?} {s:?} scalar"
                    );
                }
                if offered.contains(&Variant::Simd) {
                    assert!(
                        simd.as_deref().is_some_and(|c| c.contains("fn ")),
                        "{op:?} {s:?} simd"
                    );
                }
                if s != Strategy::Blocked {
                    assert!(
                        js.as_deref().is_some_and(|c| c.contains("=>")),
                        "{op:?} {s:?} js: {js:?}"
                    );
                }
            }
        }
    }
}
