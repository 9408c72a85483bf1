//! The code behind each rung, cut from the kernel and baseline files the
//! site serves as they are in the source tree (`src/` and `js/` in dist, see
//! index.html), so the page shows exactly what runs. They are fetched when
//! the code panel opens: built into the app they cost every visitor ~10 KB
//! of gzip for a panel most never open.

use lanes_kernels::{DType, Op, Strategy, Variant};

/// The served path of the JavaScript loops.
const JS: &str = "js/baselines.js";

/// The served file of an op's kernels: `ops/<op>.rs`, named after the op.
fn kernel_path(op: Op) -> String {
    format!("src/ops/{}.rs", op.name())
}

/// The text of `fn name` (with its doc comment and attributes) in `src`.
fn function(src: &str, name: &str) -> Option<String> {
    let start = [format!("fn {name}<"), format!("fn {name}(")]
        .iter()
        .filter_map(|f| src.find(f.as_str()))
        .min()?;
    let line_start = src[..start].rfind("\n\n").map_or(0, |i| i + 2);
    let end = src[start..].find("\n}\n").map(|i| start + i + 2)?;
    Some(src[line_start..end].to_owned())
}

/// Which rungs the panel's Rust blocks stand for: (serial, simd).
fn offered(op: Op, strategy: Strategy) -> (bool, bool) {
    let any = |vs: [Variant; 2]| vs.into_iter().any(|v| op.supports(strategy, DType::F32, v));
    (
        any([Variant::Scalar, Variant::Auto]),
        any([Variant::Simd, Variant::SimdThreads]),
    )
}

/// The served file each block of the code panel is cut from, in the
/// panel's order: the JavaScript loops, the op's plain loop (shown for every
/// op with a kernel: it is also the plain loop a SIMD-only strategy
/// replaces), and its SIMD kernel (for ops with a SIMD rung). Both Rust
/// blocks come from the op's own file; a view has no kernel.
pub fn files(op: Op, strategy: Strategy) -> [Option<String>; 3] {
    let view = op
        .row()
        .form(strategy)
        .is_some_and(|f| f.output == lanes_kernels::catalogue::OutShape::View);
    let file = (!view).then(|| kernel_path(op));
    let (_, simd) = offered(op, strategy);
    [Some(JS.to_owned()), file.clone(), file.filter(|_| simd)]
}

/// The code of each block, in [`files`]' order, cut from the files `get`
/// returns by served path. In an op's file the plain loop is `each` and the
/// SIMD kernel `vectors` (`each_<strategy>`, `vectors_<strategy>` for ops
/// with several strategies); an op built from other ops' kernels (`mean`)
/// shows its `run` instead.
pub fn code<'a>(
    op: Op,
    strategy: Strategy,
    get: impl Fn(&str) -> Option<&'a str>,
) -> [Option<String>; 3] {
    let [js_file, scalar, simd] = files(op, strategy);
    let suffix = match op.row().forms.len() {
        1 => String::new(),
        _ => format!("_{}", strategy.name()),
    };
    let (serial, vector) = offered(op, strategy);
    let cut = |path: Option<String>, name: &str, or_run: bool| {
        let src = get(&path?)?;
        function(src, &format!("{name}{suffix}"))
            .or_else(|| or_run.then(|| function(src, "run")).flatten())
    };
    [
        js_file
            .and_then(|path| get(&path))
            .and_then(|src| js(src, op, strategy)),
        cut(scalar, "each", serial),
        cut(simd, "vectors", vector),
    ]
}

/// The JavaScript loop of an (op, strategy) in baselines.js.
fn js(src: &str, op: Op, strategy: Strategy) -> Option<String> {
    let start = src.find(&format!("\n  {}: {{", op.name()))? + 1;
    let rest = &src[start..];
    // The op's entry ends where the next line at its indent starts another
    // entry (or the table ends); its own closing lines (`  },`, `  } },`)
    // stay in it.
    let mut end = rest.len();
    let mut at = rest.find('\n').map_or(rest.len(), |i| i + 1);
    while at < rest.len() {
        let next = rest[at..].find('\n').map_or(rest.len(), |i| at + i + 1);
        let line = &rest[at..next];
        let inner = line.strip_prefix("  ").unwrap_or(line);
        let another = line.starts_with("  ") && !inner.starts_with([' ', '}']);
        if another || line.starts_with('}') {
            end = at;
            break;
        }
        at = next;
    }
    let block = rest[..end].trim_end();
    let info = op.row();
    if info.forms.len() > 1 {
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
    fn the_javascript_block_is_the_ops_own_loop() {
        let src = served("js/baselines.js").unwrap();
        let add = js(src, Op::Add, Strategy::Default).unwrap();
        assert!(
            add.contains("a[i] + b[i]") && !add.contains("Math.min"),
            "{add}"
        );
        let min = js(src, Op::Minimum, Strategy::Default).unwrap();
        assert!(min.contains("Math.min") && !min.contains("alpha"), "{min}");
        let tile = js(src, Op::AddRow, Strategy::Tile).unwrap();
        assert!(
            tile.trim_start().starts_with("tile:") && !tile.contains("matmul"),
            "{tile}"
        );
        let last = js(src, Op::Ravel, Strategy::Copy).unwrap();
        assert!(
            last.contains("m.slice()") && !last.contains("function"),
            "{last}"
        );
    }

    #[test]
    fn every_rung_shows_its_code() {
        for op in Op::ALL {
            for s in op.row().strategies() {
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
                if op.row().form(s).is_some_and(|f| f.js) {
                    assert!(
                        js.as_deref().is_some_and(|c| c.contains("=>")),
                        "{op:?} {s:?} js: {js:?}"
                    );
                }
            }
        }
    }
}
