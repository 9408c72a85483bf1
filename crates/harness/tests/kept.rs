#![cfg(not(target_arch = "wasm32"))]
//! The engine keeps a run's arrays for the next run of the same problem:
//! a run again allocates none of them, and still checks every rung. Alone
//! in its binary: its allocator records the largest allocation of the
//! process, and tests running beside it would show in it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use lanes_harness::protocol::{Event, RunSummary, Rung};

#[path = "support/host.rs"]
mod host;
use host::{Js, run_with};

/// The system allocator, recording the largest block asked for.
struct Recording;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments and
// only records a size on an atomic.
unsafe impl GlobalAlloc for Recording {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Recording = Recording;

/// One input (or the output) of the runs below: 1e6 f32.
const ARRAY: usize = 4_000_000;

/// Runs `variants` of add f32 on 1e6 elements made from `seed`: the summary
/// and the largest block allocated meanwhile.
fn add(seed: u64, variants: &str, js: Option<Js>) -> (RunSummary, usize) {
    LARGEST.store(0, Ordering::Relaxed);
    let events = run_with(
        &format!(
            r#"{{"op":"add","dtype":"f32","shape":[1000000],"variants":[{variants}],"seed":{seed},"repeats":3,"min_sample_ms":0.1}}"#
        ),
        js,
    );
    let largest = LARGEST.load(Ordering::Relaxed);
    let Some(Event::RunDone { summary }) = events.last() else {
        panic!("{:?}", events.last())
    };
    (summary.clone(), largest)
}

#[test]
fn a_run_again_reuses_the_arrays_and_checks_every_rung_afresh() {
    let (first, largest) = add(1, r#""scalar","simd""#, None);
    assert_eq!(first.results.len(), 2);
    assert!(
        largest >= ARRAY,
        "the first run makes its arrays: {largest}"
    );

    // The same problem and seed, other rungs: nothing as large as an array.
    let (again, largest) = add(1, r#""simd""#, None);
    assert!(again.results.iter().all(|r| r.verified));
    assert!(largest < ARRAY / 8, "a run again allocated {largest} bytes");

    // Another seed makes new inputs and a new reference result.
    let (other, largest) = add(2, r#""simd""#, None);
    assert!(other.results[0].verified);
    assert!(largest >= ARRAY, "{largest}");

    // The kept output buffer holds the right answer for seed 2 now: a rung
    // that writes nothing must still fail its check.
    let (silent, largest) = add(2, r#""js-typed""#, Some(Js::Silent));
    assert!(largest < ARRAY / 8, "{largest}");
    assert!(silent.results.is_empty(), "{:?}", silent.results);
    let [(Rung::JsTyped, message)] = &silent.failed[..] else {
        panic!("{:?}", silent.failed)
    };
    assert!(message.starts_with("wrong result"), "{message}");
}
