//! Exports of a run: JSON (the bench schema, docs/bench-schema.md), CSV (one
//! row per sample) and the chart as SVG, downloaded from a Blob.

use lanes_harness::protocol::{Environment, Rung};
use lanes_kernels::Variant;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;

use crate::state::Live;

/// The run as `lanes-bench/1` JSON: the environment and one record per rung.
pub fn json(live: &Live, env: Option<&Environment>) -> Option<String> {
    let info = live.info.as_ref()?;
    let records: Vec<Value> = live
        .results
        .iter()
        .filter_map(|r| {
            let mut v = serde_json::to_value(r).ok()?;
            let m = v.as_object_mut()?;
            m.insert("op".into(), json!(info.op));
            m.insert("strategy".into(), json!(info.strategy));
            m.insert("dtype".into(), json!(info.dtype));
            m.insert("shape".into(), json!(info.shape));
            let threads = if r.variant == Rung::Wasm(Variant::SimdThreads) {
                info.threads
            } else {
                1
            };
            m.insert("threads".into(), json!(threads));
            m.insert("unit".into(), json!(info.unit));
            m.insert("noop_ns_per_loop".into(), json!(live.noop_ns));
            Some(v)
        })
        .collect();
    // Rungs cut short (Stop, a crashed worker): the samples that arrived.
    let partial = live
        .samples
        .iter()
        .filter(|(rung, _)| !live.results.iter().any(|r| r.variant == **rung))
        .map(|(rung, samples)| {
            json!({"op": info.op, "strategy": info.strategy, "dtype": info.dtype, "shape": info.shape,
                "variant": rung, "threads": if *rung == Rung::Wasm(Variant::SimdThreads) { info.threads } else { 1 },
                "unit": info.unit, "samples_ns": samples, "partial": true})
        });
    let records: Vec<Value> = records.into_iter().chain(partial).collect();
    let failed: Vec<Value> = live
        .errors
        .iter()
        .map(|(v, m)| json!({"op": info.op, "strategy": info.strategy, "dtype": info.dtype, "shape": info.shape, "variant": v, "message": m}))
        .collect();
    serde_json::to_string_pretty(
        &json!({"schema": "lanes-bench/1", "env": env, "records": records, "failed": failed}),
    )
    .ok()
}

/// Every sample received, one per row.
pub fn csv(live: &Live) -> Option<String> {
    let info = live.info.as_ref()?;
    let shape: Vec<String> = info.shape.iter().map(usize::to_string).collect();
    let mut out = String::from("op,strategy,dtype,shape,variant,round,ns_per_loop\n");
    for (rung, samples) in &live.samples {
        for (round, ns) in samples.iter().enumerate() {
            out += &format!(
                "{},{},{},{},{},{round},{ns}\n",
                info.op,
                info.strategy,
                info.dtype,
                shape.join("x"),
                rung.name()
            );
        }
    }
    Some(out)
}

/// Offers `content` as a file download.
pub fn download(name: &str, mime: &str, content: &str) -> Result<(), String> {
    let err = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = js_sys::Array::of1(&content.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").map_err(err)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url).map_err(err)
}

/// A rung's result from an imported export (another device, another build).
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedRecord {
    pub op: String,
    pub strategy: String,
    pub dtype: String,
    pub shape: Vec<usize>,
    pub variant: Rung,
    pub median_ns: f64,
}

/// An imported export: where it was measured, and its records.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub source: String,
    pub records: Vec<ImportedRecord>,
}

/// Reads a `lanes-bench/1` export. The file is untrusted: only the fields
/// used are read, each checked for its type; anything else is ignored.
pub fn parse_import(text: &str) -> Result<Imported, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if v["schema"] != "lanes-bench/1" {
        return Err("not a Lanes export (schema lanes-bench/1)".into());
    }
    let ua = v["env"]["user_agent"].as_str().unwrap_or("unknown device");
    let source: String = ua.chars().filter(|c| !c.is_control()).take(120).collect();
    let records: Vec<ImportedRecord> = v["records"]
        .as_array()
        .ok_or("the export has no records")?
        .iter()
        .filter_map(|r| {
            Some(ImportedRecord {
                op: r["op"].as_str()?.to_owned(),
                strategy: r["strategy"].as_str()?.to_owned(),
                dtype: r["dtype"].as_str()?.to_owned(),
                shape: r["shape"]
                    .as_array()?
                    .iter()
                    .map(|d| d.as_u64().map(|d| d as usize))
                    .collect::<Option<_>>()?,
                variant: r["variant"].as_str()?.parse().ok()?,
                median_ns: r["median_ns"]
                    .as_f64()
                    .filter(|x| x.is_finite() && *x > 0.0)?,
            })
        })
        .collect();
    if records.is_empty() {
        return Err("the export has no usable records".into());
    }
    Ok(Imported { source, records })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_checked_field_by_field() {
        let good = r#"{"schema":"lanes-bench/1","env":{"user_agent":"Other <b>device</b>"},
            "records":[{"op":"add","strategy":"default","dtype":"f32","shape":[1000],"variant":"simd","median_ns":12.5},
                       {"op":"add","strategy":"default","dtype":"f32","shape":[1000],"variant":"bogus","median_ns":1.0},
                       {"op":"add","strategy":"default","dtype":"f32","shape":[1000],"variant":"scalar","median_ns":"x"}]}"#;
        let i = parse_import(good).unwrap();
        assert_eq!(i.records.len(), 1);
        assert_eq!(
            i.source, "Other <b>device</b>",
            "kept as text, shown as text"
        );
        assert!(parse_import("{").is_err());
        assert!(parse_import(r#"{"schema":"other"}"#).is_err());
        assert!(parse_import(r#"{"schema":"lanes-bench/1","records":[]}"#).is_err());
    }
}
