//! The catalogue's JSON for the JavaScript, Python and NumPy sides is the
//! catalogue's own (the way rust-analyzer's sourcegen tests keep generated
//! files): a row changed without it fails here, and the file is rewritten
//! so that the next run passes once it is committed. And the ground floor
//! of the crate (dtype, lanes) imports nothing above it.

#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

#[test]
fn the_catalogue_json_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/js/catalogue.json");
    let want = lanes_kernels::catalogue::json();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        std::fs::write(&path, &want).unwrap();
        panic!(
            "{} was out of date with the catalogue and has been rewritten: commit it",
            path.display()
        );
    }
}

#[test]
fn the_catalogue_json_names_every_op_and_form() {
    let json = lanes_kernels::catalogue::json();
    for op in lanes_kernels::Op::ALL {
        let row = op.row();
        assert!(
            json.contains(&format!("\"op\": \"{}\"", row.name)),
            "{op:?}"
        );
        for form in row.forms {
            assert!(json.contains(&format!(
                "\"bench\": \"{}\"",
                form.bench.replace('"', "\\\"")
            )));
        }
    }
}

#[test]
fn the_ground_floor_imports_nothing_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let floor = [
        "dtype.rs",
        "lanes.rs",
        "lanes/wasm32.rs",
        "lanes/sse2.rs",
        "lanes/portable.rs",
    ];
    let allowed = [
        "crate::dtype",
        "crate::lanes",
        "crate::error",
        "crate::Error",
    ];
    for file in floor {
        let text = std::fs::read_to_string(src.join(file)).unwrap();
        for (i, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                let path = &rest[at..];
                assert!(
                    allowed.iter().any(|a| path.starts_with(a)),
                    "src/{file}:{}: the ground floor reaches up: {}",
                    i + 1,
                    line.trim()
                );
                rest = &path[7..];
            }
        }
    }
}
