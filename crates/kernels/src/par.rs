//! The `simd-threads` rung: the `simd` kernels split across a rayon pool.
//!
//! Parallel is a wrapper, not another implementation: each function cuts its
//! output into chunks (on cache-line boundaries, a few per thread) and runs
//! the serial SIMD kernel on each chunk. A call says how far it may spread
//! with a [`Par`]: up to `threads` threads of the current rayon pool
//! (natively the global one, in the browser the worker's `initThreadPool`
//! pool), with the helpers of a [`Team`] the host owns. They take chunks
//! from a shared counter, so at most `threads` threads work, and a slow one
//! holds no one up. Reductions combine the chunks' results in a fixed tree,
//! whatever ran where. Nothing here allocates: the chunks' slots are on the
//! stack.

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

/// How far one call may spread, as faer's `Parallelism` says it: on the
/// calling thread alone, or over up to `threads` threads with a team's
/// helpers. A `Copy` handle the host makes for each call from the team it
/// owns; kernels hold no threads of their own.
#[derive(Clone, Copy, Debug)]
pub struct Par<'t> {
    #[cfg_attr(
        all(target_arch = "wasm32", not(target_feature = "atomics")),
        allow(dead_code, reason = "a team of no one: nothing to read")
    )]
    team: Option<&'t Team>,
    threads: usize,
}

impl Par<'static> {
    /// The calling thread alone (what every rung but `simd-threads` runs
    /// on, whatever it is given).
    pub const SEQ: Par<'static> = Par {
        team: None,
        threads: 1,
    };
}

impl<'t> Par<'t> {
    /// Up to `threads` threads (at least one: the caller), `team`'s helpers
    /// among them.
    pub fn on(team: &'t Team, threads: usize) -> Par<'t> {
        Par {
            team: Some(team),
            threads: threads.max(1),
        }
    }

    /// The most threads that work at once, the caller included.
    pub fn threads(self) -> usize {
        self.threads
    }
}

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
/// (the team's; a fan-out of `rayon::join` when another call has the team,
/// or the handle names none). Every caller here hands out its work by a
/// shared counter, so the call is complete whoever turns up.
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
fn fan(par: Par<'_>, k: usize, work: &(dyn Fn() + Sync)) {
    if k <= 1 {
        return work();
    }
    // Helpers come from the current pool: no more than it has threads
    // (besides the caller, when the caller is one of them).
    let free = rayon::current_num_threads() - usize::from(rayon::current_thread_index().is_some());
    let team = par.team.map(|t| (t, t.0.busy.try_lock()));
    match team {
        Some((t, Ok(_busy))) => t.run((k - 1).min(free), work),
        _ => join_fan(k, work),
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
/// of a timing loop paid that (docs/codegen.md). The team's helpers are
/// rayon jobs that spin on an atomic: the caller publishes the work, works
/// itself, and waits only for the helpers that took a seat. Nothing is
/// allocated but a helper's start (`rayon::spawn`), once per burst of
/// calls.
///
/// The host owns its team (the worker one, a native runner one) and says
/// when its helpers must stop spinning ([`Team::quiesce`]: before timing a
/// single-threaded rung, which a helper spinning on the other core slows).
/// A clone is a handle to the same team.
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
#[derive(Clone, Debug, Default)]
pub struct Team(std::sync::Arc<team::Seats>);

#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
mod team {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering::*};

    /// The team's state, shared with the helpers it started.
    #[derive(Debug, Default)]
    pub(crate) struct Seats {
        /// One call at a time has the team.
        pub(super) busy: Mutex<()>,
        /// The work of the call in progress: a pointer to the caller's
        /// `&dyn Fn()` (valid while seats are open or taken ones
        /// unfinished).
        job: AtomicPtr<()>,
        /// Seats left for helpers in the call in progress (0 between
        /// calls).
        seats: AtomicUsize,
        /// Helpers of the call in progress that have finished.
        done: AtomicUsize,
        /// Helpers alive (spinning or working).
        alive: AtomicUsize,
        /// Set by [`super::Team::quiesce`]: spinning helpers leave now.
        quiet: AtomicBool,
    }

    /// How long a helper waits for the next call, in spins of a load: about
    /// a millisecond or two (a timing loop's calls come back to back). On
    /// wasm32 a spin is just the load; natively it is also a `pause`.
    const LINGER: u32 = if cfg!(target_arch = "wasm32") {
        1 << 20
    } else {
        1 << 15
    };

    impl super::Team {
        /// A team with no helpers yet (they start on its first call).
        pub fn new() -> super::Team {
            super::Team::default()
        }

        /// Starts the current rayon pool and has every one of its threads
        /// run once, so that what a thread allocates when it starts (its
        /// deque, its registration) happens now and not inside a timed,
        /// memory-counted sample.
        pub fn warm(&self) {
            rayon::broadcast(|_| ());
        }

        /// Sends the helpers that linger after a call away at once (a
        /// helper spinning on the other core slows a single-threaded rung
        /// measured right after: on a VM the two vCPUs are often one
        /// physical core's two hyperthreads, docs/codegen.md). The next
        /// call starts them again.
        pub fn quiesce(&self) {
            self.0.quiet.store(true, Relaxed);
        }

        /// Helpers alive now (spinning, working or about to start).
        pub fn helpers(&self) -> usize {
            self.0.alive.load(Acquire)
        }

        /// Runs `work` here and on up to `helpers` helpers; the caller
        /// holds `busy`.
        pub(super) fn run(&self, helpers: usize, work: &(dyn Fn() + Sync)) {
            let s = &*self.0;
            s.quiet.store(false, Relaxed);
            // Start the helpers that are missing (each an allocation, so
            // only when the last ones have gone back to sleep). One that
            // leaves just now, quiesced, leaves its seat to the caller:
            // every chunk is taken by whoever turns up.
            let alive = s.alive.load(Acquire);
            for _ in alive..helpers {
                s.alive.fetch_add(1, AcqRel);
                let seats = self.0.clone();
                rayon::spawn(move || help(&seats));
            }
            let work: &(dyn Fn() + Sync) = work;
            s.job.store((&raw const work).cast_mut().cast(), Relaxed);
            s.done.store(0, Relaxed);
            // Publishes `job` and `done` to whoever takes a seat (Acquire
            // there).
            s.seats.store(helpers, Release);
            work();
            // No seat is taken after this; wait for those that were.
            let taken = helpers - s.seats.swap(0, AcqRel);
            while s.done.load(Acquire) < taken {
                core::hint::spin_loop();
            }
        }
    }

    fn help(s: &Seats) {
        let mut idle = 0u32;
        while idle < LINGER {
            let seats = s.seats.load(Acquire);
            if seats > 0
                && s.seats
                    .compare_exchange_weak(seats, seats - 1, AcqRel, Relaxed)
                    .is_ok()
            {
                let job = s
                    .job
                    .load(Relaxed)
                    .cast_const()
                    .cast::<&(dyn Fn() + Sync)>();
                // SAFETY: a seat was taken, so the caller is inside `run`
                // and stays there (waiting on `done`) until this helper
                // counts itself done: `job` points at its live `&dyn Fn`.
                unsafe { (*job)() };
                s.done.fetch_add(1, Release);
                idle = 0;
            } else if s.quiet.load(Relaxed) {
                break;
            } else {
                idle += 1;
                core::hint::spin_loop();
            }
        }
        s.alive.fetch_sub(1, AcqRel);
    }
}

/// wasm32 without atomics has no threads (the single-threaded worker never
/// offers simd-threads): a team of no one, and rayon stays out of the
/// binary.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[derive(Clone, Debug, Default)]
pub struct Team;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
impl Team {
    pub fn new() -> Team {
        Team
    }

    /// No pool to start.
    pub fn warm(&self) {}

    /// No helpers to send away.
    pub fn quiesce(&self) {}

    pub fn helpers(&self) -> usize {
        0
    }
}

/// One call takes every chunk.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
fn fan(_par: Par<'_>, _k: usize, work: &(dyn Fn() + Sync)) {
    work()
}

/// Runs `f(i)` for every `i` in `0..n` on `par`'s threads, each taking the
/// next index from a shared counter until none is left.
fn drain(par: Par<'_>, n: usize, f: &(dyn Fn(usize) + Sync)) {
    let next = AtomicUsize::new(0);
    fan(par, par.threads.min(n), &|| {
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
fn split(par: Par<'_>, align: usize, len: usize, f: &(dyn Fn(Range<usize>) + Sync)) {
    let align = align.max(1);
    let units = len.div_ceil(align);
    if par.threads <= 1 || units <= 1 {
        return f(0..len);
    }
    let n = chunk_count(par.threads, units);
    let at = |u: usize| u.saturating_mul(align).min(len);
    drain(par, n, &|i| {
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
/// last) and runs `f(start, chunk)` on each, on `par`'s threads.
pub(crate) fn chunks<T: Send>(
    par: Par<'_>,
    align: usize,
    out: &mut [T],
    f: &(dyn Fn(usize, &mut [T]) + Sync),
) {
    let len = out.len();
    let base = Shared(out.as_mut_ptr());
    split(par, align, len, &|r| {
        let base = &base;
        // SAFETY: `split` hands out ranges within `0..len` that do not
        // overlap, each once, and `out` stays mutably borrowed until it
        // returns: each chunk is a unique borrow of its part of `out`.
        let chunk = unsafe { core::slice::from_raw_parts_mut(base.0.add(r.start), r.len()) };
        f(r.start, chunk);
    });
}

/// Cuts `range` into chunks on multiples of `align`, maps each with `f` on
/// `par`'s threads, and combines the results pairwise with `g`, in the
/// same tree whichever thread computed which chunk (so results do not
/// depend on scheduling).
pub(crate) fn reduce<S: Send>(
    par: Par<'_>,
    align: usize,
    range: Range<usize>,
    f: &(dyn Fn(Range<usize>) -> S + Sync),
    g: &(dyn Fn(S, S) -> S + Sync),
) -> S {
    let align = align.max(1);
    let units = range.len().div_ceil(align);
    if par.threads <= 1 || units <= 1 {
        return f(range);
    }
    let n = chunk_count(par.threads, units);
    let slots: [Mutex<Option<S>>; MAX_CHUNKS] = core::array::from_fn(|_| Mutex::new(None));
    let end = range.end;
    let at = |u: usize| range.start.saturating_add(u.saturating_mul(align)).min(end);
    drain(par, n, &|i| {
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
    par: Par<'_>,
    ins: &[&[T]],
    out: &mut [U],
    f: Piece<'_, T, U>,
) {
    chunks(par, line::<U>(), out, &|s, o| {
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

    fn pool_of_four() -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
    }

    // Each test has a team of its own (and the rendezvous ones a pool of
    // their own): no test's helpers are busy in another's call.

    #[test]
    fn chunks_cover_the_output_once_on_aligned_starts() {
        let team = Team::new();
        for (len, align, threads) in [(1000, 16, 3), (17, 16, 2), (4096, 64, 8), (5, 1, 4)] {
            for par in [Par::on(&team, threads), Par::SEQ] {
                let mut out = vec![0u32; len];
                chunks(par, align, &mut out, &|s, c| {
                    assert_eq!(s % align, 0);
                    for (i, x) in c.iter_mut().enumerate() {
                        *x += (s + i) as u32 + 1;
                    }
                });
                assert!(out.iter().enumerate().all(|(i, &x)| x == i as u32 + 1));
            }
        }
    }

    #[test]
    fn no_more_than_threads_work_at_once() {
        let (pool, team) = (pool_of_four(), Team::new());
        let (active, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let threads = Mutex::new(Vec::new());
        let mut out = vec![0u8; 64 * 40];
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        pool.install(|| {
            chunks(Par::on(&team, 2), 64, &mut out, &|_, _| {
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
        let (pool, team) = (pool_of_four(), Team::new());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        for k in 1..=4 {
            // Each worker waits (a rendezvous, with a deadline) until k have
            // started: all k turn up, and never more.
            let started = AtomicUsize::new(0);
            pool.install(|| {
                fan(Par::on(&team, k), k, &|| {
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

    /// Quiesced, a team's helpers leave (natively they would linger a
    /// millisecond or so); the next call starts them again, and all its
    /// threads turn up.
    #[test]
    #[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
    fn quiesce_sends_the_helpers_away_and_the_next_call_brings_them_back() {
        let (pool, team) = (pool_of_four(), Team::new());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        for _ in 0..3 {
            let started = AtomicUsize::new(0);
            pool.install(|| {
                fan(Par::on(&team, 3), 3, &|| {
                    started.fetch_add(1, Ordering::SeqCst);
                    while started.load(Ordering::SeqCst) < 3 && std::time::Instant::now() < deadline
                    {
                        std::hint::spin_loop();
                    }
                })
            });
            assert_eq!(started.into_inner(), 3);
            assert!(team.helpers() <= 2, "{} helpers", team.helpers());
            team.quiesce();
            while team.helpers() > 0 && std::time::Instant::now() < deadline {
                std::hint::spin_loop();
            }
            assert_eq!(team.helpers(), 0, "quiesced, they leave");
        }
    }

    #[test]
    fn reductions_combine_in_a_fixed_order() {
        let team = Team::new();
        // A combination that is not commutative shows the order.
        let cat = |r: Range<usize>| vec![r];
        let join = |mut a: Vec<Range<usize>>, b: Vec<Range<usize>>| {
            a.extend(b);
            a
        };
        for threads in [2, 3, 5] {
            let parts = reduce(Par::on(&team, threads), 8, 3..203, &cat, &join);
            assert_eq!(parts.first().map(|r| r.start), Some(3));
            assert_eq!(parts.last().map(|r| r.end), Some(203));
            assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
            assert!(parts.iter().all(|r| (r.start - 3) % 8 == 0));
        }
        // More threads than chunks, a partial last chunk, an empty range.
        let parts = reduce(Par::on(&team, 16), 8, 0..20, &cat, &join);
        assert_eq!(parts, [0..8, 8..16, 16..20]);
        let empty = reduce(Par::on(&team, 4), 8, 5..5, &cat, &join);
        assert_eq!((empty.len(), empty[0].clone()), (1, 5..5));
        assert_eq!(
            reduce(Par::on(&team, 100), 1, 0..1000, &cat, &join).len(),
            MAX_CHUNKS
        );
        assert_eq!(reduce(Par::SEQ, 8, 0..20, &cat, &join), vec![0..20]);
    }

    #[test]
    fn chunk_bounds_do_not_overflow() {
        let units = usize::MAX / 4;
        assert_eq!(bounds(units, 64, 63).end, units);
        assert_eq!(bounds(units, 64, 0).start, 0);
    }
}
