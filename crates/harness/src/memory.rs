//! Memory accounting: a counting global allocator gives live and peak bytes,
//! so copies, temporaries and views show around each timed region.
//!
//! A binary opts in with
//! `#[global_allocator] static ALLOC: CountingAlloc = CountingAlloc;`.
//! Without it every figure reads 0 and [`counting`] says so.

use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::alloc::{GlobalAlloc, Layout, System};

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// The system allocator, counting live and peak bytes.
#[derive(Debug)]
pub struct CountingAlloc;

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's arguments and
// only adds bookkeeping on atomics.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ACTIVE.store(true, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ACTIVE.store(true, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

/// Whether the counting allocator is installed (it has seen an allocation).
pub fn counting() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

/// Bytes allocated and not yet freed.
pub fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The most bytes live at once since the last [`Scope`] began.
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// The size of the wasm linear memory, where there is one.
pub fn wasm_memory_bytes() -> Option<usize> {
    #[cfg(target_arch = "wasm32")]
    {
        Some(core::arch::wasm32::memory_size(0) * 65536)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// Measures the extra bytes a region allocates at its peak.
#[derive(Debug)]
pub struct Scope {
    base: usize,
}

impl Scope {
    pub fn begin() -> Scope {
        let base = live();
        PEAK.store(base, Ordering::Relaxed);
        Scope { base }
    }

    /// Peak bytes above what was live when the scope began.
    pub fn extra(&self) -> usize {
        peak().saturating_sub(self.base)
    }
}
