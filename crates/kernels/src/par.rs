//! The `simd-threads` rung: the `simd` kernels split across a rayon pool.
//!
//! Parallel is a wrapper, not another implementation: each function cuts its
//! output into chunks (on cache-line boundaries, a few per thread) and runs
//! the serial SIMD kernel on each chunk. `threads` tasks of the current rayon
//! pool (natively the global one, in the browser the worker's
//! `initThreadPool` pool) take chunks from a shared queue, so at most
//! `threads` threads work, and a slow one holds no one up. Reductions
//! combine the chunks' results in a fixed tree, whatever ran where.

use core::ops::Range;
use std::sync::{Mutex, PoisonError};

use crate::dtype::{Element, Float};
use crate::scalar::reduce::SUM_BLOCK;
use crate::simd;

/// Chunks per thread. More than one, taken from a shared queue: a thread
/// that starts late or runs slowly (a core the system gave to another
/// program for a moment, a phone's little core) takes fewer of them, where
/// with one piece per thread everyone would wait for it.
const CHUNKS_PER_THREAD: usize = 4;

/// `units` units cut into `n` near-equal chunks: the boundaries, in units.
fn bounds(units: usize, n: usize) -> impl Iterator<Item = Range<usize>> {
    (0..n).map(move |i| units * i / n..units * (i + 1) / n)
}

/// Runs `work` on `threads` tasks of the current rayon pool (so at most
/// `threads` threads work at once), each taking items from `queue` until it
/// is empty.
fn drain<I: Iterator + Send>(threads: usize, queue: I, work: &(impl Fn(I::Item) + Sync)) {
    let queue = Mutex::new(queue);
    let next = || queue.lock().unwrap_or_else(PoisonError::into_inner).next();
    rayon::scope(|s| {
        for _ in 0..threads {
            s.spawn(|_| {
                while let Some(item) = next() {
                    work(item);
                }
            });
        }
    });
}

/// Cuts `out` into chunks whose lengths are multiples of `align` (but the
/// last) and runs `f(start, chunk)` on each, on `threads` threads.
fn split_mut<T: Send>(
    threads: usize,
    align: usize,
    out: &mut [T],
    f: &(impl Fn(usize, &mut [T]) + Sync),
) {
    let align = align.max(1);
    let units = out.len().div_ceil(align);
    if threads <= 1 || units <= 1 {
        return f(0, out);
    }
    let n = (threads * CHUNKS_PER_THREAD).min(units);
    let mut chunks = Vec::with_capacity(n);
    let mut rest = out;
    for r in bounds(units, n) {
        let len = (r.len() * align).min(rest.len());
        let (c, tail) = rest.split_at_mut(len);
        chunks.push((r.start * align, c));
        rest = tail;
    }
    drain(threads.min(n), chunks.into_iter(), &|(s, c)| f(s, c));
}

/// Cuts `range` into chunks on multiples of `align`, maps each with `f` on
/// `threads` threads, and combines the results pairwise with `g`, in the
/// same tree whichever thread computed which chunk (so results do not
/// depend on scheduling).
fn split_reduce<S: Send>(
    threads: usize,
    align: usize,
    range: Range<usize>,
    f: &(impl Fn(Range<usize>) -> S + Sync),
    g: &(impl Fn(S, S) -> S + Sync),
) -> S {
    let align = align.max(1);
    let units = range.len().div_ceil(align);
    if threads <= 1 || units <= 1 {
        return f(range);
    }
    let n = (threads * CHUNKS_PER_THREAD).min(units);
    let results: Vec<Mutex<Option<S>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let chunk = |u: Range<usize>| {
        (range.start + u.start * align).min(range.end)..(range.start + u.end * align).min(range.end)
    };
    drain(threads.min(n), bounds(units, n).enumerate(), &|(i, u)| {
        let s = f(chunk(u));
        *results[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(s);
    });
    let mut parts: Vec<S> = results
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(PoisonError::into_inner))
        .map(|s| s.expect("every chunk was computed"))
        .collect();
    tree(&mut parts, g)
}

/// Combines `parts` pairwise, as a balanced tree over their order.
fn tree<S>(parts: &mut Vec<S>, g: &impl Fn(S, S) -> S) -> S {
    while parts.len() > 1 {
        let mut next = Vec::with_capacity(parts.len().div_ceil(2));
        let mut it = parts.drain(..);
        while let Some(a) = it.next() {
            next.push(match it.next() {
                Some(b) => g(a, b),
                None => a,
            });
        }
        drop(it);
        *parts = next;
    }
    parts.pop().expect("at least one part")
}

/// Elements per piece boundary: a 64-byte cache line.
fn line<T>() -> usize {
    (64 / size_of::<T>()).max(1)
}

pub fn add<T: Element>(threads: usize, a: &[T], b: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), out, &|s, o| {
        simd::add(&a[s..s + o.len()], &b[s..s + o.len()], o)
    });
}

pub fn multiply<T: Element>(threads: usize, a: &[T], b: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), out, &|s, o| {
        simd::multiply(&a[s..s + o.len()], &b[s..s + o.len()], o)
    });
}

pub fn axpy<T: Element>(threads: usize, alpha: T, x: &[T], y: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), out, &|s, o| {
        simd::axpy(alpha, &x[s..s + o.len()], &y[s..s + o.len()], o)
    });
}

pub fn add_scalar<T: Element>(threads: usize, a: &[T], v: T, out: &mut [T]) {
    split_mut(threads, line::<T>(), out, &|s, o| {
        simd::add_scalar(&a[s..s + o.len()], v, o)
    });
}

pub fn sqrt<T: Float>(threads: usize, a: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), out, &|s, o| {
        simd::sqrt(&a[s..s + o.len()], o)
    });
}

pub fn exp<T: Float>(threads: usize, a: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), out, &|s, o| {
        simd::exp(&a[s..s + o.len()], o)
    });
}

pub fn where_positive<T: Element>(threads: usize, a: &[T], b: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), out, &|s, o| {
        simd::where_positive(&a[s..s + o.len()], &b[s..s + o.len()], o)
    });
}

pub fn clip<T: Element>(threads: usize, a: &[T], lo: T, hi: T, out: &mut [T]) {
    split_mut(threads, line::<T>(), out, &|s, o| {
        simd::clip(&a[s..s + o.len()], lo, hi, o)
    });
}

pub fn copy<T: Element>(threads: usize, a: &[T], out: &mut [T]) {
    split_mut(threads, line::<T>(), out, &|s, o| {
        simd::copy(&a[s..s + o.len()], o)
    });
}

/// Float pieces start on `SUM_BLOCK` boundaries, like the serial pairwise sum.
fn reduce_align<T: Element>() -> usize {
    if T::DTYPE.is_float() {
        SUM_BLOCK
    } else {
        line::<T>()
    }
}

pub fn sum<T: Element>(threads: usize, a: &[T]) -> T::Sum {
    split_reduce(
        threads,
        reduce_align::<T>(),
        0..a.len(),
        &|r| simd::sum(&a[r]),
        &|x, y| x.add(y),
    )
}

pub fn max<T: Element>(threads: usize, a: &[T]) -> T {
    split_reduce(
        threads,
        line::<T>(),
        0..a.len(),
        &|r| simd::max(&a[r]),
        &|x, y| x.max_nan(y),
    )
}

pub fn dot<T: Element>(threads: usize, a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    let f = |r: Range<usize>| simd::dot(&a[r.clone()], &b[r]);
    split_reduce(threads, reduce_align::<T>(), 0..n, &f, &|x, y| x.add(y))
}

pub fn add_row_broadcast<T: Element>(threads: usize, m: &[T], v: &[T], out: &mut [T]) {
    split_mut(threads, v.len(), out, &|s, o| {
        simd::add_row_broadcast(&m[s..s + o.len()], v, o)
    });
}

/// The tile is materialized whole (that is the point of this strategy), then
/// filled and added piece by piece in parallel.
pub fn add_row_tile<T: Element>(threads: usize, m: &[T], v: &[T], out: &mut [T]) {
    if v.is_empty() {
        return;
    }
    let mut tile = vec![T::ZERO; m.len()];
    split_mut(threads, v.len(), &mut tile, &|_, t| {
        for row in t.chunks_exact_mut(v.len()) {
            simd::copy(v, row);
        }
    });
    add(threads, m, &tile, out);
}

pub fn matmul_ikj<T: Float>(threads: usize, a: &[T], b: &[T], k: usize, out: &mut [T]) {
    let m = b.len().checked_div(k).unwrap_or(0);
    if m == 0 {
        return simd::matmul_ikj(a, b, k, out);
    }
    split_mut(threads, m, out, &|s, o| {
        let rows = s / m..(s + o.len()) / m;
        simd::matmul_ikj(&a[rows.start * k..rows.end * k], b, k, o)
    });
}

pub fn matmul_blocked<T: Float>(threads: usize, a: &[T], b: &[T], k: usize, out: &mut [T]) {
    let m = b.len().checked_div(k).unwrap_or(0);
    if m == 0 {
        return simd::matmul_blocked(a, b, k, out);
    }
    split_mut(threads, m, out, &|s, o| {
        let rows = s / m..(s + o.len()) / m;
        simd::matmul_blocked(&a[rows.start * k..rows.end * k], b, k, o)
    });
}

pub fn convolve<T: Float>(threads: usize, a: &[T], k: &[T], out: &mut [T]) {
    let taps = k.len();
    split_mut(threads, line::<T>(), out, &|s, o| {
        simd::convolve(&a[s..s + o.len() + taps - 1], k, o)
    });
}

pub fn sum_rows<T: Element>(threads: usize, m: &[T], cols: usize, out: &mut [T::Sum]) {
    split_mut(threads, 1, out, &|s, o| {
        simd::sum_rows(&m[s * cols..(s + o.len()) * cols], cols, o)
    });
}

pub fn sum_cols<T: Element>(threads: usize, m: &[T], cols: usize, out: &mut [T::Sum]) {
    split_mut(threads, 4 * line::<T>(), out, &|s, o| {
        simd::sum_cols_range(m, cols, s, o)
    });
}

pub fn transpose_tiled<T: Element>(threads: usize, m: &[T], cols: usize, out: &mut [T]) {
    if cols == 0 || m.len() < cols {
        return;
    }
    let rows = m.len() / cols;
    // Output rows are input columns: each piece writes whole rows of `m.T`.
    split_mut(threads, rows * crate::scalar::layout::TILE, out, &|s, o| {
        simd::transpose_tiled_range(m, cols, s / rows, o)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn chunks_cover_the_output_once_on_aligned_starts() {
        for (len, align, threads) in [(1000, 16, 3), (17, 16, 2), (4096, 64, 8), (5, 1, 4)] {
            let mut out = vec![0u32; len];
            split_mut(threads, align, &mut out, &|s, c| {
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
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let (active, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let mut out = vec![0u8; 64 * 40];
        pool.install(|| {
            split_mut(2, 64, &mut out, &|_, _| {
                let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(2));
                active.fetch_sub(1, Ordering::SeqCst);
            })
        });
        assert!(most.load(Ordering::SeqCst) <= 2);
    }

    #[test]
    fn reductions_combine_in_a_fixed_order() {
        // A combination that is not commutative shows the order.
        let cat = |r: Range<usize>| vec![r];
        let join = |mut a: Vec<Range<usize>>, b: Vec<Range<usize>>| {
            a.extend(b);
            a
        };
        for threads in [2, 3, 5] {
            let parts = split_reduce(threads, 8, 3..203, &cat, &join);
            assert_eq!(parts.first().map(|r| r.start), Some(3));
            assert_eq!(parts.last().map(|r| r.end), Some(203));
            assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
            assert!(parts.iter().all(|r| (r.start - 3) % 8 == 0));
        }
    }
}
