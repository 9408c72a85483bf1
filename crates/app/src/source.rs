//! The code behind each rung, taken from the kernel and baseline files at
//! build time (`include_str!`), so the page shows exactly what runs.

use lanes_kernels::{Op, Strategy};

const SCALAR: &[(&str, &str)] = &[
    (
        "elementwise",
        include_str!("../../kernels/src/scalar/elementwise.rs"),
    ),
    ("reduce", include_str!("../../kernels/src/scalar/reduce.rs")),
    (
        "broadcast",
        include_str!("../../kernels/src/scalar/broadcast.rs"),
    ),
    ("matmul", include_str!("../../kernels/src/scalar/matmul.rs")),
    ("sort", include_str!("../../kernels/src/scalar/sort.rs")),
    (
        "convolve",
        include_str!("../../kernels/src/scalar/convolve.rs"),
    ),
    ("layout", include_str!("../../kernels/src/scalar/layout.rs")),
];

const SIMD: &[(&str, &str)] = &[
    (
        "elementwise",
        include_str!("../../kernels/src/simd/elementwise.rs"),
    ),
    ("reduce", include_str!("../../kernels/src/simd/reduce.rs")),
    (
        "broadcast",
        include_str!("../../kernels/src/simd/broadcast.rs"),
    ),
    ("matmul", include_str!("../../kernels/src/simd/matmul.rs")),
    (
        "convolve",
        include_str!("../../kernels/src/simd/convolve.rs"),
    ),
    ("layout", include_str!("../../kernels/src/simd/layout.rs")),
];

const JS: &str = include_str!("../../../web/js/baselines.js");

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

fn from(files: &[(&str, &str)], file: &str, name: &str) -> Option<String> {
    files
        .iter()
        .find(|(f, _)| *f == file)
        .and_then(|(_, src)| function(src, name))
}

/// The code of each rung: (scalar and auto loop, SIMD kernel, JavaScript loop).
pub fn code(op: Op, strategy: Strategy) -> (Option<String>, Option<String>, Option<String>) {
    let Some((file, name)) = kernel(op, strategy) else {
        return (None, None, js(op, strategy));
    };
    (
        from(SCALAR, file, name),
        from(SIMD, file, name),
        js(op, strategy),
    )
}

/// The JavaScript loop of an (op, strategy) in baselines.js.
fn js(op: Op, strategy: Strategy) -> Option<String> {
    let start = JS.find(&format!("\n  {}: {{", op.name()))? + 1;
    let rest = &JS[start..];
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

    #[test]
    fn every_rung_shows_its_code() {
        for op in Op::ALL {
            for &s in op.info().strategies {
                let (scalar, simd, js) = code(op, s);
                let offered = op.variants(s, lanes_kernels::DType::F32);
                if op == Op::Ravel && s == Strategy::View {
                    assert!(scalar.is_none());
                    continue;
                }
                if offered.contains(&lanes_kernels::Variant::Scalar) {
                    assert!(
                        scalar.as_deref().is_some_and(|c| c.contains("fn ")),
                        "{op:?} {s:?} scalar"
                    );
                }
                if offered.contains(&lanes_kernels::Variant::Simd) {
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
