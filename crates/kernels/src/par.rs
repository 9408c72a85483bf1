//! The `simd-threads` rung: the `simd` kernels split across a rayon pool.
//!
//! Parallel is a wrapper, not another implementation: each function cuts its
//! output into chunks (on cache-line boundaries, a few per thread) and runs
//! the serial SIMD kernel on each chunk. `threads` threads of the current
//! rayon pool (natively the global one, in the browser the worker's
//! `initThreadPool` pool) take chunks from a shared counter, so at most
//! `threads` threads work, and a slow one holds no one up. Reductions
//! combine the chunks' results in a fixed tree, whatever ran where. Nothing
//! here allocates: the chunks' slots are on the stack.

use core::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::dtype::Element;
use crate::pairwise::SUM_BLOCK;

/// Chunks per thread. More than one, taken from a shared counter: a thread
/// that starts late or runs slowly (a core the system gave to another
/// program for a moment, a phone's little core) takes fewer of them, where
/// with one piece per thread everyone would wait for it.
const CHUNKS_PER_THREAD: usize = 4;

/// At most this many chunks (so their slots live on the stack: splitting
/// allocates nothing; each chunk's kernel allocates what the serial one
/// does, such as blocked matmul's packed panel).
const MAX_CHUNKS: usize = 64;

/// Chunk `i` of `n` near-equal chunks of `units` units, in units.
fn bounds(units: usize, n: usize, i: usize) -> Range<usize> {
    // Wide: `units * i` may pass usize::MAX (on wasm32 it easily would).
    let at = |i: usize| (units as u128 * i as u128 / n as u128) as usize;
    at(i)..at(i + 1)
}

/// How many chunks `units` units make for `threads` threads.
fn chunk_count(threads: usize, units: usize) -> usize {
    (threads * CHUNKS_PER_THREAD).min(MAX_CHUNKS).min(units)
}

/// Runs `work` on the calling thread and on up to `k - 1` helpers at once
/// (the team below; a fan-out of `rayon::join` when another call has the
/// team). Every caller here hands out its work by a shared counter, so the
/// call is complete whoever turns up.
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
fn fan(k: usize, work: &(dyn Fn() + Sync)) {
    if k <= 1 {
        return work();
    }
    // Helpers come from the current pool: no more than it has threads
    // (besides the caller, when the caller is one of them).
    let free = rayon::current_num_threads() - usize::from(rayon::current_thread_index().is_some());
    match team::TEAM.try_lock() {
        Ok(_team) => team::run((k - 1).min(free), work),
        Err(_) => join_fan(k, work),
    }
}

/// `work` on exactly `k` threads of the current rayon pool (`rayon::join`
/// allocates nothing).
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
fn join_fan(k: usize, work: &(dyn Fn() + Sync)) {
    if k <= 1 {
        return work();
    }
    rayon::join(|| join_fan(k / 2, work), || join_fan(k - k / 2, work));
}

/// A team of helpers that spin, waiting for work, for a while after each
/// call. A rayon call from outside the pool wakes a sleeping thread, which
/// wakes the next: in a browser each wake-up (`Atomics.wait`/`notify`)
/// takes tens of microseconds, and rayon's threads fall asleep at once
/// between calls there (`yield_now` does nothing on wasm32), so every call
/// of a timing loop paid tens of microseconds (docs/codegen.md). The team's helpers are rayon jobs that spin
/// on an atomic: the caller publishes the work, works itself, and waits only
/// for the helpers that took a seat. Nothing is allocated but a helper's
/// start (`rayon::spawn`), once per burst of calls.
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
mod team {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering::*};

    /// One call at a time has the team.
    pub(super) static TEAM: Mutex<()> = Mutex::new(());
    /// The work of the call in progress: a pointer to the caller's
    /// `&dyn Fn()` (valid while seats are open or taken ones unfinished).
    static JOB: AtomicPtr<()> = AtomicPtr::new(core::ptr::null_mut());
    /// Seats left for helpers in the call in progress (0 between calls).
    static SEATS: AtomicUsize = AtomicUsize::new(0);
    /// Helpers of the call in progress that have finished.
    static DONE: AtomicUsize = AtomicUsize::new(0);
    /// Helpers alive (spinning or working).
    static ALIVE: AtomicUsize = AtomicUsize::new(0);
    /// Set by [`super::dismiss`]: spinning helpers leave now.
    static DISMISSED: AtomicBool = AtomicBool::new(false);
    /// How long a helper waits for the next call, in spins of a load: about
    /// a millisecond or two (a timing loop's calls come back to back). On
    /// wasm32 a spin is just the load; natively it is also a `pause`.
    const LINGER: u32 = if cfg!(target_arch = "wasm32") {
        1 << 20
    } else {
        1 << 15
    };

    pub(super) fn run(helpers: usize, work: &(dyn Fn() + Sync)) {
        DISMISSED.store(false, Relaxed);
        // Start the helpers that are missing (each an allocation, so only
        // when the last ones have gone back to sleep). One that leaves just
        // now, dismissed, leaves its seat to the caller: every chunk is
        // taken by whoever turns up.
        let alive = ALIVE.load(Acquire);
        for _ in alive..helpers {
            ALIVE.fetch_add(1, AcqRel);
            rayon::spawn(help);
        }
        let work: &(dyn Fn() + Sync) = work;
        JOB.store((&raw const work).cast_mut().cast(), Relaxed);
        DONE.store(0, Relaxed);
        // Publishes JOB and DONE to whoever takes a seat (Acquire there).
        SEATS.store(helpers, Release);
        work();
        // No seat is taken after this; wait for those that were.
        let taken = helpers - SEATS.swap(0, AcqRel);
        while DONE.load(Acquire) < taken {
            core::hint::spin_loop();
        }
    }

    fn help() {
        let mut idle = 0u32;
        while idle < LINGER {
            let seats = SEATS.load(Acquire);
            if seats > 0
                && SEATS
                    .compare_exchange_weak(seats, seats - 1, AcqRel, Relaxed)
                    .is_ok()
            {
                let job = JOB.load(Relaxed).cast_const().cast::<&(dyn Fn() + Sync)>();
                // SAFETY: a seat was taken, so the caller is inside `run`
                // and stays there (waiting on DONE) until this helper
                // counts itself done: `job` points at its live `&dyn Fn`.
                unsafe { (*job)() };
                DONE.fetch_add(1, Release);
                idle = 0;
            } else if DISMISSED.load(Relaxed) {
                break;
            } else {
                idle += 1;
                core::hint::spin_loop();
            }
        }
        ALIVE.fetch_sub(1, AcqRel);
    }

    pub(super) fn dismiss() {
        DISMISSED.store(true, Relaxed);
    }
}

/// Sends the helpers that linger after a `simd-threads` call away at once.
/// The engine calls it before timing anything else: a helper spinning on
/// the other core slows a single-threaded rung measured right after (on a
/// VM the two vCPUs are often one physical core's two hyperthreads:
/// measured in docs/codegen.md).
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
pub fn dismiss() {
    team::dismiss();
}

/// No pool in the single-threaded wasm build.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
pub fn dismiss() {}

/// wasm32 without atomics has no threads (the single-threaded worker never
/// offers simd-threads): one call takes every chunk, and rayon stays out of
/// the binary.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
fn fan(_k: usize, work: &(dyn Fn() + Sync)) {
    work()
}

/// Starts the current rayon pool and has every one of its threads run
/// once, so that what a thread allocates when it starts (its deque, its
/// registration) happens now and not inside a timed, memory-counted sample.
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
pub fn prepare() {
    rayon::broadcast(|_| ());
}

/// No pool in the single-threaded wasm build.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
pub fn prepare() {}

/// Runs `f(i)` for every `i` in `0..n` on `threads` threads, each taking the
/// next index from a shared counter until none is left.
fn drain(threads: usize, n: usize, f: &(dyn Fn(usize) + Sync)) {
    let next = AtomicUsize::new(0);
    fan(threads.min(n), &|| {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                break;
            }
            f(i);
        }
    });
}

fn take<S>(slot: &Mutex<Option<S>>) -> Option<S> {
    slot.lock().unwrap_or_else(PoisonError::into_inner).take()
}

/// Cuts `0..len` into ranges whose lengths are multiples of `align` (but the
/// last) and runs `f` on each, on `threads` threads; each index of `0..len`
/// is in exactly one range, run once. Not generic, so that one copy serves
/// every kernel and dtype (the wasm worker carries every one of them).
fn split(threads: usize, align: usize, len: usize, f: &(dyn Fn(Range<usize>) + Sync)) {
    let align = align.max(1);
    let units = len.div_ceil(align);
    if threads <= 1 || units <= 1 {
        return f(0..len);
    }
    let n = chunk_count(threads, units);
    let at = |u: usize| u.saturating_mul(align).min(len);
    drain(threads, n, &|i| {
        let u = bounds(units, n, i);
        f(at(u.start)..at(u.end));
    });
}

/// The start of a slice that `split`'s threads share, each writing only its
/// own range of it.
struct Shared<T>(*mut T);

// SAFETY: a `Shared` is only made from a `&mut [T]` borrowed for the whole
// `chunks` call and only turned back into disjoint subslices of it, one
// per range, each used by one thread: what sending `&mut [T]` chunks to
// other threads would be, which needs `T: Send`.
unsafe impl<T: Send> Sync for Shared<T> {}

/// Cuts `out` into chunks whose lengths are multiples of `align` (but the
/// last) and runs `f(start, chunk)` on each, on `threads` threads.
pub(crate) fn chunks<T: Send>(
    threads: usize,
    align: usize,
    out: &mut [T],
    f: &(dyn Fn(usize, &mut [T]) + Sync),
) {
    let len = out.len();
    let base = Shared(out.as_mut_ptr());
    split(threads, align, len, &|r| {
        let base = &base;
        // SAFETY: `split` hands out ranges within `0..len` that do not
        // overlap, each once, and `out` stays mutably borrowed until it
        // returns: each chunk is a unique borrow of its part of `out`.
        let chunk = unsafe { core::slice::from_raw_parts_mut(base.0.add(r.start), r.len()) };
        f(r.start, chunk);
    });
}

/// Cuts `range` into chunks on multiples of `align`, maps each with `f` on
/// `threads` threads, and combines the results pairwise with `g`, in the
/// same tree whichever thread computed which chunk (so results do not
/// depend on scheduling).
pub(crate) fn reduce<S: Send>(
    threads: usize,
    align: usize,
    range: Range<usize>,
    f: &(dyn Fn(Range<usize>) -> S + Sync),
    g: &(dyn Fn(S, S) -> S + Sync),
) -> S {
    let align = align.max(1);
    let units = range.len().div_ceil(align);
    if threads <= 1 || units <= 1 {
        return f(range);
    }
    let n = chunk_count(threads, units);
    let slots: [Mutex<Option<S>>; MAX_CHUNKS] = core::array::from_fn(|_| Mutex::new(None));
    let end = range.end;
    let at = |u: usize| range.start.saturating_add(u.saturating_mul(align)).min(end);
    drain(threads, n, &|i| {
        let u = bounds(units, n, i);
        let s = f(at(u.start)..at(u.end));
        *slots[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(s);
    });
    // A balanced tree over the chunks' order: pairs, then pairs of pairs.
    let mut step = 1;
    while step < n {
        for i in (0..n).step_by(2 * step) {
            if i + step < n {
                let (a, b) = (take(&slots[i]), take(&slots[i + step]));
                let c = match (a, b) {
                    (Some(a), Some(b)) => Some(g(a, b)),
                    (a, b) => a.or(b),
                };
                *slots[i].lock().unwrap_or_else(PoisonError::into_inner) = c;
            }
        }
        step *= 2;
    }
    take(&slots[0]).unwrap_or_else(|| f(end..end))
}

/// Elements per piece boundary: a 64-byte cache line.
pub(crate) fn line<T>() -> usize {
    (64 / size_of::<T>()).max(1)
}

/// Where the pieces of a reduction start: float sums on `SUM_BLOCK`
/// boundaries, like the serial pairwise sum (so the tree is the same),
/// integers on cache lines.
pub(crate) fn sum_align<T: Element>() -> usize {
    if T::DTYPE.is_float() {
        SUM_BLOCK
    } else {
        line::<T>()
    }
}

/// The kernel of an elementwise split: a piece of each input, and the
/// piece of the output they make.
pub(crate) type Piece<'a, T, U> = &'a (dyn Fn(&[&[T]], &mut [U]) + Sync);

/// An elementwise split: `out` cut on cache lines, `f` run on each piece
/// with the same range of every input (each as long as `out`).
pub(crate) fn map<T: Send + Sync, U: Send>(
    threads: usize,
    ins: &[&[T]],
    out: &mut [U],
    f: Piece<'_, T, U>,
) {
    chunks(threads, line::<U>(), out, &|s, o| {
        let mut pieces: [&[T]; 2] = [&[], &[]];
        for (p, x) in pieces.iter_mut().zip(ins) {
            *p = &x[s..s + o.len()];
        }
        f(&pieces[..ins.len().min(2)], o);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The rendezvous tests need their helpers to themselves: the team's
    /// helpers are shared by every caller, and one busy in another test's
    /// rendezvous would leave a call short (slower, never wrong).
    static SERIAL: Mutex<()> = Mutex::new(());

    fn serial() -> std::sync::MutexGuard<'static, ()> {
        SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn pool_of_four() -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
    }

    #[test]
    fn chunks_cover_the_output_once_on_aligned_starts() {
        let _serial = serial();
        for (len, align, threads) in [(1000, 16, 3), (17, 16, 2), (4096, 64, 8), (5, 1, 4)] {
            let mut out = vec![0u32; len];
            chunks(threads, align, &mut out, &|s, c| {
                assert_eq!(s % align, 0);
                for (i, x) in c.iter_mut().enumerate() {
                    *x += (s + i) as u32 + 1;
                }
            });
            assert!(out.iter().enumerate().all(|(i, &x)| x == i as u32 + 1));
        }
    }

    #[test]
    fn no_more_than_threads_work_at_once() {
        let _serial = serial();
        let pool = pool_of_four();
        let (active, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let threads = Mutex::new(Vec::new());
        let mut out = vec![0u8; 64 * 40];
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        pool.install(|| {
            chunks(2, 64, &mut out, &|_, _| {
                let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                threads.lock().unwrap().push(rayon::current_thread_index());
                // A rendezvous, not a sleep: hold the chunk until a second
                // worker has one too (at once, with a pool of four), so the
                // test sees them overlap without depending on timing.
                while most.load(Ordering::SeqCst) < 2 && std::time::Instant::now() < deadline {
                    std::hint::spin_loop();
                }
                active.fetch_sub(1, Ordering::SeqCst);
            })
        });
        let mut threads = threads.into_inner().unwrap();
        threads.sort_unstable();
        threads.dedup();
        assert!(threads.len() <= 2, "chunks ran on {threads:?}");
        assert!(most.load(Ordering::SeqCst) <= 2);
        assert_eq!(most.load(Ordering::SeqCst), 2, "and both did work together");
    }

    #[test]
    #[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
    fn the_fan_out_runs_on_at_most_k_threads_and_all_k_when_there_is_work() {
        let _serial = serial();
        let pool = pool_of_four();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        for k in 1..=4 {
            // Each worker waits (a rendezvous, with a deadline) until k have
            // started: all k turn up, and never more.
            let started = AtomicUsize::new(0);
            pool.install(|| {
                fan(k, &|| {
                    started.fetch_add(1, Ordering::SeqCst);
                    while started.load(Ordering::SeqCst) < k && std::time::Instant::now() < deadline
                    {
                        std::hint::spin_loop();
                    }
                })
            });
            assert_eq!(started.into_inner(), k);
            // The join fan-out (when another call has the team): exactly k.
            let started = AtomicUsize::new(0);
            pool.install(|| {
                join_fan(k, &|| {
                    started.fetch_add(1, Ordering::SeqCst);
                })
            });
            assert_eq!(started.into_inner(), k);
        }
    }

    #[test]
    fn reductions_combine_in_a_fixed_order() {
        let _serial = serial();
        // A combination that is not commutative shows the order.
        let cat = |r: Range<usize>| vec![r];
        let join = |mut a: Vec<Range<usize>>, b: Vec<Range<usize>>| {
            a.extend(b);
            a
        };
        for threads in [2, 3, 5] {
            let parts = reduce(threads, 8, 3..203, &cat, &join);
            assert_eq!(parts.first().map(|r| r.start), Some(3));
            assert_eq!(parts.last().map(|r| r.end), Some(203));
            assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
            assert!(parts.iter().all(|r| (r.start - 3) % 8 == 0));
        }
        // More threads than chunks, a partial last chunk, an empty range.
        let parts = reduce(16, 8, 0..20, &cat, &join);
        assert_eq!(parts, [0..8, 8..16, 16..20]);
        let empty = reduce(4, 8, 5..5, &cat, &join);
        assert_eq!((empty.len(), empty[0].clone()), (1, 5..5));
        assert_eq!(reduce(100, 1, 0..1000, &cat, &join).len(), MAX_CHUNKS);
    }

    #[test]
    fn chunk_bounds_do_not_overflow() {
        let units = usize::MAX / 4;
        assert_eq!(bounds(units, 64, 63).end, units);
        assert_eq!(bounds(units, 64, 0).start, 0);
    }
}
