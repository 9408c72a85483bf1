//! Exports of a run: JSON (the bench schema, docs/bench-schema.md), CSV (one
//! row per sample) and the chart as SVG, downloaded from a Blob.

use lanes_harness::protocol::{Environment, Rung};
use lanes_harness::report::{
    BenchRecord, BenchReport, Failed, PartialRecord, ProblemKey, Record, SCHEMA, threads_of,
};
use serde_json::Value;
use wasm_bindgen::JsCast;

use crate::state::Live;

/// The run as `lanes-bench/1` JSON: the environment and one record per
/// rung (the harness's `BenchReport`, as `cargo xtask bench` writes it).
pub fn json(live: &Live, env: Option<&Environment>) -> Option<String> {
    let info = live.info.as_ref()?;
    let problem = ProblemKey::of(info);
    let mut report = BenchReport::new(env.cloned());
    report.records = live
        .results
        .iter()
        .map(|r| Record::Measured(Box::new(BenchRecord::of(info, live.noop_ns, r))))
        .collect();
    // Rungs cut short (Stop, a crashed worker): the samples that arrived.
    report.records.extend(
        live.all_samples()
            .filter(|(rung, _)| !live.results.iter().any(|r| r.variant == *rung))
            .map(|(rung, samples)| {
                Record::Partial(PartialRecord {
                    problem: problem.clone(),
                    variant: rung,
                    threads: threads_of(rung, info.threads),
                    unit: info.unit.clone(),
                    samples_ns: samples.to_vec(),
                    partial: true,
                })
            }),
    );
    report.failed = live
        .errors
        .iter()
        .map(|(v, m)| Failed::Rung {
            problem: problem.clone(),
            variant: *v,
            message: m.clone(),
        })
        .collect();
    serde_json::to_string_pretty(&report).ok()
}

/// Every sample received, one per row.
pub fn csv(live: &Live) -> Option<String> {
    let info = live.info.as_ref()?;
    let shape: Vec<String> = info.shape.iter().map(usize::to_string).collect();
    let mut out = String::from("op,strategy,dtype,shape,variant,round,ns_per_loop\n");
    for (rung, samples) in live.all_samples() {
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

/// A run as a file of this kind ("json", "csv" or "svg": the chart):
/// its name, MIME type and content; `None` before the run has begun.
pub fn file(
    kind: &str,
    live: &Live,
    env: Option<&Environment>,
    dark: bool,
) -> Option<(String, &'static str, String)> {
    let info = live.info.as_ref()?;
    let shape: Vec<String> = info.shape.iter().map(usize::to_string).collect();
    let name = format!(
        "lanes-{}-{}-{}.{kind}",
        info.op,
        info.dtype,
        shape.join("x")
    );
    let (mime, content) = match kind {
        "json" => ("application/json", json(live, env)?),
        "csv" => ("text/csv", csv(live)?),
        "svg" => (
            "image/svg+xml",
            crate::chart::time_chart(live, &info.variants, dark, &[]).ok()?,
        ),
        _ => return None,
    };
    Some((name, mime, content))
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
    if v["schema"] != SCHEMA {
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
    use crate::state::{run_info, sample};
    use lanes_harness::protocol::Event;
    use lanes_kernels::Variant;

    #[test]
    fn a_stopped_run_exports_what_came_as_a_bench_report() {
        let simd = Rung::Wasm(Variant::Simd);
        let mut live = Live::started(1, 3);
        live.fold(Event::Started {
            info: run_info(vec![Rung::JsArray, simd]),
        });
        live.fold(sample(simd, 120.0));
        live.fold(Event::Crashed {
            message: "the worker ran out of memory".into(),
        });
        let text = json(&live, None).unwrap();
        let report: BenchReport = serde_json::from_str(&text).unwrap();
        assert_eq!(report.schema, SCHEMA);
        let [Record::Partial(p)] = &report.records[..] else {
            panic!("{text}")
        };
        assert_eq!(
            (p.variant, &p.samples_ns[..], p.partial),
            (simd, &[120.0][..], true)
        );
        assert_eq!(p.problem.shape_text(), "1000");
        assert!(
            matches!(&report.failed[..], [Failed::Rung { variant: None, message, .. }] if message.contains("memory"))
        );
        // Nothing to compare with in it: the import says so.
        assert_eq!(
            parse_import(&text).unwrap_err(),
            "the export has no usable records"
        );
        let csv = csv(&live).unwrap();
        assert_eq!(csv.lines().nth(1), Some("add,default,f32,1000,simd,0,120"));
    }

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
