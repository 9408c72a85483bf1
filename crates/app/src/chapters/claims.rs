//! The post's claims against this device's numbers: the verdict and its
//! sentence, and chapter 4's table of bytes per dtype.

use lanes_harness::protocol::Rung;
use lanes_harness::stats::format_time;
use lanes_kernels::DType;

use super::Claim;
use crate::state::{Sweep, SweepKind};

impl Claim {
    /// How many times faster the post found the fast side.
    pub fn ratio(&self) -> f64 {
        self.slow.ns / self.fast.ns
    }
}

/// How this device's ratio compares with the post's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Within a factor of two of the post's.
    Holds,
    Smaller,
    Larger,
}

/// `114×`, `4.2×`, `1.05×`.
pub fn times(r: f64) -> String {
    if r >= 10.0 {
        format!("{r:.0}×")
    } else if r >= 2.0 {
        format!("{r:.1}×")
    } else {
        format!("{r:.2}×")
    }
}

/// The claim's verdict on this device's times per loop (`slow_ns` of the
/// slow side's rung, `fast_ns` of the fast one's), and one sentence that
/// says it from the numbers, with the likely reason when the ratio is more
/// than twice or less than half the post's: which side moved, and why that
/// side would.
pub fn verdict(claim: &Claim, slow_ns: f64, fast_ns: f64) -> (Verdict, String) {
    let (post, here) = (claim.ratio(), slow_ns / fast_ns);
    let (slow_k, fast_k) = (slow_ns / claim.slow.ns, fast_ns / claim.fast.ns);
    let sides = format!(
        "{} took {} here (the post: {}), {} {} (the post: {})",
        claim.slow.rung,
        format_time(slow_ns),
        format_time(claim.slow.ns),
        claim.fast.rung,
        format_time(fast_ns),
        format_time(claim.fast.ns)
    );
    let python = claim.slow.rung == Rung::Python;
    let k = here / post;
    if (0.5..=2.0).contains(&k) {
        let s = format!(
            "Holds on this device: {} here against the post's {}; {sides}.",
            times(here),
            times(post)
        );
        return (Verdict::Holds, s);
    }
    let (verdict, head) = if k < 0.5 {
        (Verdict::Smaller, "Smaller here")
    } else {
        (Verdict::Larger, "Larger here")
    };
    // The side whose time is further from the post's (by ratio) moved.
    let fast_moved = fast_k.ln().abs() > slow_k.ln().abs();
    let why = match (verdict, fast_moved) {
        (Verdict::Smaller, true) => format!(
            "the fast side lost the most ground ({} of the post's time against {} for the slow one): {}",
            times(fast_k),
            times(slow_k),
            if python {
                "our SIMD kernel is WebAssembly's 128-bit SIMD, where NumPy runs native code with the CPU's widest vectors"
            } else {
                "the fast side moves memory, and this device's memory is slower than the post's against its arithmetic"
            }
        ),
        (Verdict::Smaller, false) => format!(
            "the slow side gained the most ({} of the post's time against {} for the fast one): a faster CPU speeds up an interpreter's loop more than a kernel that waits on memory",
            times(slow_k),
            times(fast_k)
        ),
        (_, false) => format!(
            "the slow side lost the most ground ({} of the post's time against {} for the fast one): {}",
            times(slow_k),
            times(fast_k),
            if python {
                "CPython compiled to WebAssembly interprets each element more slowly than CPython does natively"
            } else {
                "the slow side's loop runs worse on this engine than the post's did"
            }
        ),
        (_, true) => format!(
            "the fast side gained the most ({} of the post's time against {} for the slow one): this device's SIMD kernel beats the post's NumPy",
            times(fast_k),
            times(slow_k)
        ),
    };
    let s = format!(
        "{head}: {} on this device against the post's {}; {sides}. Likely why: {why}.",
        times(here),
        times(post)
    );
    (verdict, s)
}

/// The post's array sizes of chapter 4: 10**7 elements of each dtype, in
/// MiB as it printed them (`nbytes / 1024**2`), computed from the dtypes.
pub fn dtype_table() -> Vec<(DType, f64)> {
    [DType::I64, DType::I32, DType::I16, DType::I8]
        .into_iter()
        .map(|d| (d, (10_000_000 * d.itemsize()) as f64 / (1024.0 * 1024.0)))
        .collect()
}

/// The post's figures for that table, quoted: int64, int32, int8.
pub const POST_DTYPE_MB: [(DType, f64); 3] =
    [(DType::I64, 76.29), (DType::I32, 38.15), (DType::I8, 9.54)];

/// The post's `%timeit np.sum` of 10**7 numbers, quoted: int64, int32.
pub const POST_DTYPE_SUM_NS: [(DType, f64); 2] = [(DType::I64, 7.23e6), (DType::I32, 6.89e6)];

/// The size of chapter 4's sums (the post's `10**7`).
pub const DTYPE_SUM_SIZE: usize = 10_000_000;

/// The SIMD rung's best time per loop for each dtype of a dtypes sweep of
/// `sum` at the post's size; empty for any other sweep.
pub fn dtype_sums(sweep: &Sweep) -> Vec<(DType, f64)> {
    if sweep.kind != SweepKind::DTypes || sweep.op != lanes_kernels::Op::Sum {
        return Vec::new();
    }
    sweep
        .points
        .iter()
        .filter(|p| p.size == DTYPE_SUM_SIZE)
        .filter_map(|p| {
            let r = p
                .results
                .iter()
                .find(|r| r.variant == Rung::Wasm(lanes_kernels::Variant::Simd))?;
            Some((p.dtype, r.min_ns))
        })
        .collect()
}

/// Chapter 4's sentence from this device's sums: int32's time against
/// int64's, here and in the post, and int8's if it ran; `None` until both
/// int64 and int32 have a time.
pub fn dtype_verdict(sums: &[(DType, f64)]) -> Option<String> {
    let get = |d: DType| sums.iter().find(|(x, _)| *x == d).map(|(_, ns)| *ns);
    let (t64, t32) = (get(DType::I64)?, get(DType::I32)?);
    let post = POST_DTYPE_SUM_NS[1].1 / POST_DTYPE_SUM_NS[0].1;
    let here = t32 / t64;
    let int8 = get(DType::I8).map_or_else(String::new, |t8| {
        format!(", and int8 {} (the post did not time it)", times(t8 / t64))
    });
    let sides = format!(
        "int32 took {} of int64's time on this device against the post's {}{int8}",
        times(here),
        times(post)
    );
    let mb = |d: DType| (DTYPE_SUM_SIZE * d.itemsize()) as f64 / (1024.0 * 1024.0);
    Some(if here < post / 1.25 {
        format!(
            "Stronger here: {sides}. Likely why: this sum is limited by the bytes it reads \
             (int32 reads {:.2} MB against int64's {:.2} MB), so fewer bytes per number is less time.",
            mb(DType::I32),
            mb(DType::I64)
        )
    } else if here <= post * 1.25 {
        format!("Holds as the post measured it: {sides}.")
    } else {
        format!(
            "Weaker here: {sides}. Likely why: np.sum adds int32 in 64 bits, so every number is widened \
             before it is added; where reading the bytes is not the limit, that work outweighs the bytes saved."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chapters::{ADD_CLAIM, CHAPTERS};

    fn sentence(slow_ns: f64, fast_ns: f64) -> (Verdict, String) {
        verdict(&ADD_CLAIM, slow_ns, fast_ns)
    }

    #[test]
    fn a_ratio_within_twice_the_posts_holds() {
        let (v, s) = sentence(120e6, 1e6);
        assert_eq!(v, Verdict::Holds);
        assert_eq!(
            s,
            "Holds on this device: 120× here against the post's 114×; python took 120 ms here (the post: 98.4 ms), simd 1 ms (the post: 861 µs)."
        );
        assert_eq!(sentence(98.4e6 * 1.99, 861e3).0, Verdict::Holds);
        assert_eq!(sentence(98.4e6, 861e3 * 1.99).0, Verdict::Holds);
    }

    #[test]
    fn a_smaller_ratio_names_the_side_that_moved() {
        // The fast side slowed down the most: the SIMD width.
        let (v, s) = sentence(100e6, 4e6);
        assert_eq!(v, Verdict::Smaller);
        assert!(
            s.starts_with("Smaller here: 25× on this device against the post's 114×;"),
            "{s}"
        );
        assert!(s.contains("the fast side lost the most ground (4.6× of the post's time against 1.02× for the slow one)"), "{s}");
        assert!(s.contains("WebAssembly's 128-bit SIMD"), "{s}");
        // The slow side sped up the most.
        let (v, s) = sentence(30e6, 861e3);
        assert_eq!(v, Verdict::Smaller);
        assert!(s.contains("the slow side gained the most (0.30× of the post's time against 1.00× for the fast one)"), "{s}");
    }

    #[test]
    fn a_larger_ratio_names_the_side_that_moved() {
        let (v, s) = sentence(400e6, 861e3);
        assert_eq!(v, Verdict::Larger);
        assert!(
            s.starts_with("Larger here: 465× on this device against the post's 114×;"),
            "{s}"
        );
        assert!(s.contains("the slow side lost the most ground (4.1× of the post's time against 1.00× for the fast one)"), "{s}");
        assert!(s.contains("CPython compiled to WebAssembly"), "{s}");
        let (v, s) = sentence(98.4e6, 200e3);
        assert_eq!(v, Verdict::Larger);
        assert!(s.contains("the fast side gained the most (0.23× of the post's time against 1.00× for the slow one)"), "{s}");
    }

    #[test]
    fn the_dtype_table_computes_the_posts_figures() {
        let table = dtype_table();
        for (d, mb) in POST_DTYPE_MB {
            let (_, ours) = table.iter().find(|(t, _)| *t == d).unwrap();
            assert_eq!(format!("{ours:.2}"), format!("{mb:.2}"), "{d}");
        }
    }

    #[test]
    fn the_dtype_sentence_compares_int32_with_int64_here_and_in_the_post() {
        use DType::{I8, I32, I64};
        assert_eq!(dtype_verdict(&[(I64, 4e6)]), None);
        let s = dtype_verdict(&[(I64, 4e6), (I32, 2e6), (I8, 0.6e6)]).unwrap();
        assert_eq!(
            s,
            "Stronger here: int32 took 0.50× of int64's time on this device against the post's 0.95×, \
             and int8 0.15× (the post did not time it). Likely why: this sum is limited by the bytes it reads \
             (int32 reads 38.15 MB against int64's 76.29 MB), so fewer bytes per number is less time."
        );
        let s = dtype_verdict(&[(I32, 3.9e6), (I64, 4e6)]).unwrap();
        assert_eq!(
            s,
            "Holds as the post measured it: int32 took 0.97× of int64's time on this device against the post's 0.95×."
        );
        let s = dtype_verdict(&[(I64, 4e6), (I32, 5e6)]).unwrap();
        assert!(
            s.starts_with("Weaker here: int32 took 1.25× of int64's time"),
            "{s}"
        );
        assert!(s.contains("widened"), "{s}");
    }

    #[test]
    fn the_dtype_sums_are_read_from_a_dtypes_sweep_of_sum_at_the_posts_size() {
        use crate::state::{Point, Status};
        use lanes_harness::protocol::VariantResult;
        let result = |variant, min_ns| VariantResult {
            variant,
            loops: 1,
            repeats: 3,
            samples_ns: vec![min_ns; 3],
            min_ns,
            median_ns: min_ns,
            mean_ns: min_ns,
            std_ns: 0.0,
            mad_ns: 0.0,
            ci_low_ns: min_ns,
            ci_high_ns: min_ns,
            cv: 0.0,
            outliers_low: 0,
            outliers_high: 0,
            timeit: String::new(),
            bytes_per_loop: 0.0,
            gb_per_s: 0.0,
            gelem_per_s: 0.0,
            gflop_per_s: 0.0,
            peak_extra_bytes: 0,
            verified: true,
            optimized_away: false,
            timer_saturated: false,
            speedup: None,
            speedup_low: None,
            speedup_high: None,
        };
        let point = |dtype, size| Point {
            size,
            dtype,
            threads: 1,
            bytes_per_array: 0,
            results: vec![
                result(Rung::JsTyped, 9e6),
                result(Rung::Wasm(lanes_kernels::Variant::Simd), 2e6),
            ],
        };
        let mut sweep = Sweep {
            kind: SweepKind::DTypes,
            op: lanes_kernels::Op::Sum,
            id: 1,
            planned: 2,
            points: vec![point(DType::I64, DTYPE_SUM_SIZE), point(DType::I32, 1000)],
            status: Status::Done,
        };
        assert_eq!(dtype_sums(&sweep), vec![(DType::I64, 2e6)]);
        sweep.op = lanes_kernels::Op::Max;
        assert!(dtype_sums(&sweep).is_empty());
        sweep.op = lanes_kernels::Op::Sum;
        sweep.kind = SweepKind::Sizes;
        assert!(dtype_sums(&sweep).is_empty());
    }

    #[test]
    fn every_claim_names_a_problem_whose_rungs_the_browser_offers() {
        use lanes_harness::protocol::{Limits, offered};
        for claim in CHAPTERS.iter().filter_map(|c| c.claim) {
            let p = lanes_kernels::Problem::new(
                claim.op,
                claim.op.row().default_strategy(),
                claim.dtype,
                lanes_kernels::Shape::Vector(claim.size),
            )
            .unwrap();
            let rungs = offered(&p, &Limits::BROWSER);
            assert!(rungs.contains(&claim.slow.rung) && rungs.contains(&claim.fast.rung));
            assert!(lanes_harness::protocol::python_bytes(&p) <= Limits::BROWSER.max_python_bytes);
        }
    }
}
