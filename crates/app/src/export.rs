//! Exports of a run: JSON (the bench schema, docs/bench-schema.md), CSV (one
//! row per sample) and the chart as SVG, downloaded from a Blob.

use lanes_harness::protocol::Environment;
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
            m.insert("threads".into(), json!(1));
            m.insert("unit".into(), json!(info.unit));
            m.insert("noop_ns_per_loop".into(), json!(live.noop_ns));
            Some(v)
        })
        .collect();
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
