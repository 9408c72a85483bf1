//! The post's claims against this device's numbers: the verdict and its
//! sentence, and chapter 4's table of bytes per dtype.

use lanes_harness::protocol::Rung;
use lanes_harness::stats::format_time;
use lanes_kernels::DType;

use super::Claim;

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
