#![cfg(not(target_arch = "wasm32"))]
//! The engine end to end with memory accounting. Alone in its binary: the
//! allocation counters are global, and tests running beside it in other
//! threads would show in its figures.

use lanes_harness::memory::CountingAlloc;
use lanes_harness::protocol::Event;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

#[path = "support/host.rs"]
mod host;
use host::run;

/// What the threaded rung may allocate: nothing of its own (its chunk slots
/// are on the stack), but each call from outside the pool enters rayon's
/// global job queue, which takes a new 1520-byte block (63 slots of 24
/// bytes, plus a link) every 63 calls. A sample that crosses a block shows
/// it. An allocation per call or per element would show more.
const INJECTOR_BLOCK: usize = 1520;

#[test]
fn engine_streams_events_and_accounts_memory() {
    let events = run(
        r#"{"op":"add_row","strategy":"tile","dtype":"f32","shape":[64,100],
            "variants":["scalar","simd"],"repeats":5,"min_sample_ms":0.2}"#,
        false,
    );
    assert!(
        matches!(events[0], Event::Started { .. }),
        "{:?}",
        events[0]
    );
    let samples = events
        .iter()
        .filter(|e| matches!(e, Event::Sample { .. }))
        .count();
    assert_eq!(samples, 10, "5 rounds x 2 rungs");
    let Some(Event::RunDone { summary }) = events.last() else {
        panic!("{:?}", events.last())
    };
    assert_eq!(summary.results.len(), 2);
    for r in &summary.results {
        assert!(r.verified && r.repeats == 5 && r.samples_ns.len() == 5);
        assert!(
            r.min_ns > 0.0
                && r.min_ns <= r.median_ns
                && r.median_ns <= r.samples_ns.iter().cloned().fold(0.0, f64::max)
        );
        // The tile (64 x 100 f32) is allocated inside the timed region.
        assert!(r.peak_extra_bytes >= 64 * 100 * 4, "{}", r.peak_extra_bytes);
        assert!(!r.optimized_away);
        assert!(r.timeit.contains("best of 5"), "{}", r.timeit);
    }
    assert!(summary.memory_counted);
    assert!(summary.noop_ns_per_loop > 0.0);
    assert_eq!(summary.results[0].speedup, Some(1.0));

    // Broadcasting allocates nothing, on one thread or two (the threaded
    // rung's bookkeeping lives on the stack); a view does no work at all.
    let events = run(
        r#"{"op":"add_row","strategy":"broadcast","dtype":"f32","shape":[640,100],"variants":["simd","simd-threads"],"threads":2,"repeats":3,"min_sample_ms":0.2}"#,
        false,
    );
    let Some(Event::RunDone { summary }) = events.last() else {
        panic!()
    };
    assert_eq!(summary.results.len(), 2);
    let [serial, threaded] = &summary.results[..] else {
        panic!()
    };
    assert_eq!(serial.peak_extra_bytes, 0);
    assert!(
        threaded.peak_extra_bytes <= INJECTOR_BLOCK,
        "{}",
        threaded.peak_extra_bytes
    );
    // A reduction too.
    let events = run(
        r#"{"op":"sum","dtype":"f64","shape":[100000],"variants":["simd-threads"],"threads":2,"repeats":3,"min_sample_ms":0.2}"#,
        false,
    );
    let Some(Event::RunDone { summary }) = events.last() else {
        panic!()
    };
    assert!(summary.results[0].peak_extra_bytes <= INJECTOR_BLOCK);
    let events = run(
        r#"{"op":"ravel","strategy":"view","dtype":"f32","shape":[300,300],"variants":["scalar"],"repeats":5,"min_sample_ms":0.2}"#,
        false,
    );
    let Some(Event::RunDone { summary }) = events.last() else {
        panic!()
    };
    assert!(
        summary.results[0].optimized_away,
        "a view is indistinguishable from a no-op"
    );
    assert_eq!(summary.results[0].peak_extra_bytes, 0);
}
