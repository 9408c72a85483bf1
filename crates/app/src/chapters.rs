//! The six chapters: what each teaches, in our words, the NumPy line it
//! mirrors, a ready experiment, and where the post measured something, its
//! claim, run again on this device and judged (`claims::verdict`).

use lanes_harness::protocol::Rung;
use lanes_kernels::{DType, Op, Strategy, Variant};

#[cfg(feature = "playground")]
mod claims;
#[cfg(feature = "playground")]
pub use claims::{
    POST_DTYPE_MB, POST_DTYPE_SUM_NS, dtype_sums, dtype_table, dtype_verdict, times, verdict,
};

/// A chapter and its ready experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chapter {
    pub title: &'static str,
    pub text: &'static str,
    pub numpy: &'static str,
    pub op: Op,
    pub strategy: Strategy,
    pub dtype: DType,
    pub size: usize,
    /// What "Making NumPy Sing" measured for this lesson, if it did.
    pub claim: Option<Claim>,
}

/// One side of a comparison the post timed: what it ran, the rung that
/// runs it here, and the post's `%timeit` line with its time per loop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Side {
    pub name: &'static str,
    pub rung: Rung,
    pub timeit: &'static str,
    pub ns: f64,
}

/// A comparison the post made, with its figures (quoted as the post's:
/// nothing else here is a measured number), and the problem it ran.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Claim {
    pub slow: Side,
    pub fast: Side,
    /// The post's words for the gap.
    pub said: &'static str,
    pub op: Op,
    pub dtype: DType,
    pub size: usize,
}

/// The post's first experiment: `a + b` over lists and over arrays of
/// `np.arange(10**6)` (int64).
pub const ADD_CLAIM: Claim = Claim {
    slow: Side {
        name: "[x + y for x, y in zip(l1, l2)]",
        rung: Rung::Python,
        timeit: "10 loops, best of 5: 98.4 ms per loop",
        ns: 98.4e6,
    },
    fast: Side {
        name: "a1 + a2",
        rung: Rung::Wasm(Variant::Simd),
        timeit: "1000 loops, best of 5: 861 µs per loop",
        ns: 861e3,
    },
    said: "a speedup of over 100x",
    op: Op::Add,
    dtype: DType::I64,
    size: 1_000_000,
};

/// `sum(big_array)` against `np.sum(big_array)`, `np.arange(10**7)`.
pub const SUM_CLAIM: Claim = Claim {
    slow: Side {
        name: "sum(big_array)",
        rung: Rung::Python,
        timeit: "10 loops, best of 5: 352 ms per loop",
        ns: 352e6,
    },
    fast: Side {
        name: "np.sum(big_array)",
        rung: Rung::Wasm(Variant::Simd),
        timeit: "100 loops, best of 5: 7.23 ms per loop",
        ns: 7.23e6,
    },
    said: "a massive difference",
    op: Op::Sum,
    dtype: DType::I64,
    size: 10_000_000,
};

pub const CHAPTERS: [Chapter; 6] = [
    Chapter {
        title: "1 · Vectorization",
        text: "A loop that handles one number per step pays for that step every time: fetch, check, add, store. \
               Compiled code that works on whole arrays pays it once, and SIMD instructions handle 4 to 16 numbers per instruction. \
               Compare the ladder's rungs, then test the post's own claim: CPython's list comprehension (the python rung, \
               CPython compiled to WebAssembly) against a SIMD kernel over the same million int64 numbers.",
        numpy: "c = a + b",
        op: Op::Add,
        strategy: Strategy::Default,
        dtype: DType::F32,
        size: 1_000_000,
        claim: Some(ADD_CLAIM),
    },
    Chapter {
        title: "2 · Broadcasting",
        text: "Adding a row to every row of a matrix does not need a matrix-sized copy of the row. \
               Broadcasting reuses the one row from cache; tiling it first writes and reads a whole extra matrix. \
               Switch the strategy between broadcast and tile and watch time and peak memory.",
        numpy: "m + v    vs.    m + np.tile(v, (rows, 1))",
        op: Op::AddRow,
        strategy: Strategy::Tile,
        dtype: DType::F32,
        size: 1_000_000,
        claim: None,
    },
    Chapter {
        title: "3 · Built-ins",
        text: "A built-in reduction runs in compiled code from start to end, with several partial sums in flight at once. \
               A hand-written loop adds one number after the other and waits for each addition to finish. \
               The same holds for max, mean, dot, sort, where, clip and convolve: pick one, or test the post's claim about \
               Python's built-in sum(), which turns every element into a Python int as it reads it.",
        numpy: "sum(a)    vs.    np.sum(a)",
        op: Op::Sum,
        strategy: Strategy::Default,
        dtype: DType::F32,
        size: 1_000_000,
        claim: Some(SUM_CLAIM),
    },
    Chapter {
        title: "4 · Dtypes",
        text: "The dtype decides how many bytes each number takes and how many fit in one SIMD register: \
               16 int8 values, 8 int16, 4 int32 or float32, 2 int64 or float64. \
               Run the same sum across dtypes: fewer bytes means less to move and more lanes per instruction.",
        numpy: "np.sum(np.arange(n, dtype=np.int8))",
        op: Op::Sum,
        strategy: Strategy::Default,
        dtype: DType::I8,
        size: 10_000_000,
        claim: None,
    },
    Chapter {
        title: "5 · Memory layout and copies",
        text: "Rows of a C-ordered matrix are contiguous; columns are not. Walking down columns touches one element per cache line, \
               and a transposed copy must write against the grain. A view (ravel of a contiguous array) moves nothing; \
               a copy (flatten) moves every byte. Try sum_axis rows vs. columns, transpose naive vs. tiled, ravel view vs. copy.",
        numpy: "m.sum(axis=1)    vs.    m.sum(axis=0)",
        op: Op::SumAxis,
        strategy: Strategy::Columns,
        dtype: DType::F32,
        size: 4_000_000,
        claim: None,
    },
    Chapter {
        title: "6 · Measuring",
        text: "Browsers coarsen their clocks (100 µs, or 5 µs when the page is cross-origin isolated), and the first runs are slow. \
               Like %timeit, Lanes loops each kernel until one sample lasts at least 100 timer steps, interleaves the variants, \
               reports the best, the median and the spread, and times a no-op so you can see what the harness itself costs.",
        numpy: "%timeit np.add(a, b, out=c)",
        op: Op::Add,
        strategy: Strategy::Default,
        dtype: DType::F32,
        size: 10_000,
        claim: Some(ADD_CLAIM),
    },
];
