//! Statistics of a variant's samples, the `%timeit` line, throughput and
//! speed-ups. Outliers are counted and shown, never dropped.

use lanes_kernels::Cost;

/// Order statistics and moments of a set of samples (ns per loop).
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub n: usize,
    /// timeit's "best".
    pub min: f64,
    pub max: f64,
    pub median: f64,
    pub mean: f64,
    /// Sample standard deviation (n - 1).
    pub std: f64,
    /// Median absolute deviation from the median (unscaled).
    pub mad: f64,
    /// A distribution-free ~95% confidence interval for the median.
    pub ci_low: f64,
    pub ci_high: f64,
    pub q1: f64,
    pub q3: f64,
    /// Samples outside Tukey's fences (1.5 IQR beyond the quartiles).
    pub outliers_low: usize,
    pub outliers_high: usize,
}

/// The `q`-quantile of sorted data, linearly interpolated (NumPy's default).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let lo = pos.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
        }
    }
}

impl Summary {
    /// Summarizes `samples`; `None` when there are none.
    pub fn of(samples: &[f64]) -> Option<Summary> {
        let n = samples.len();
        if n == 0 {
            return None;
        }
        let mut s = samples.to_vec();
        s.sort_by(f64::total_cmp);
        let median = quantile(&s, 0.5);
        let mean = s.iter().sum::<f64>() / n as f64;
        let var = if n > 1 {
            s.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64
        } else {
            0.0
        };
        let mut dev: Vec<f64> = s.iter().map(|x| (x - median).abs()).collect();
        dev.sort_by(f64::total_cmp);
        let (q1, q3) = (quantile(&s, 0.25), quantile(&s, 0.75));
        let iqr = q3 - q1;
        let (lo_fence, hi_fence) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
        // The ranks j < k with P(X(j) <= median <= X(k)) ~ 95%, from the
        // normal approximation of Binomial(n, 1/2); for n < 6 no pair of
        // ranks reaches 95%, and the interval is the whole range.
        let half = 1.96 * (n as f64).sqrt() / 2.0;
        let j = ((n as f64 / 2.0 - half).floor() as isize).max(1) as usize;
        let k = ((n as f64 / 2.0 + half).ceil() as usize + 1).min(n);
        let (ci_low, ci_high) = if n < 6 {
            (s[0], s[n - 1])
        } else {
            (s[j - 1], s[k - 1])
        };
        Some(Summary {
            n,
            min: s[0],
            max: s[n - 1],
            median,
            mean,
            std: var.sqrt(),
            mad: quantile(&dev, 0.5),
            ci_low,
            ci_high,
            q1,
            q3,
            outliers_low: s.iter().filter(|&&x| x < lo_fence).count(),
            outliers_high: s.iter().filter(|&&x| x > hi_fence).count(),
        })
    }

    /// Coefficient of variation (std / mean).
    pub fn cv(&self) -> f64 {
        if self.mean > 0.0 {
            self.std / self.mean
        } else {
            0.0
        }
    }
}

/// A time in the unit timeit would pick, with 3 significant digits
/// (`7.23 ms`, `861 µs`, `98.4 ms`).
pub fn format_time(ns: f64) -> String {
    if !ns.is_finite() {
        return format!("{ns} ns");
    }
    let (v, unit) = if ns >= 1e9 {
        (ns / 1e9, "s")
    } else if ns >= 1e6 {
        (ns / 1e6, "ms")
    } else if ns >= 1e3 {
        (ns / 1e3, "µs")
    } else {
        (ns, "ns")
    };
    format!("{} {unit}", sig3(v))
}

/// `%.3g` without an exponent, for 0.001 <= v < 1000.
fn sig3(v: f64) -> String {
    let decimals = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else if v >= 1.0 {
        2
    } else {
        3
    };
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// The line `%timeit` prints: `100 loops, best of 5: 7.23 ms per loop`.
pub fn timeit_line(loops: u64, repeats: usize, best_ns: f64) -> String {
    let l = if loops == 1 { "loop" } else { "loops" };
    format!(
        "{loops} {l}, best of {repeats}: {} per loop",
        format_time(best_ns)
    )
}

/// Rates at a given time per loop.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Throughput {
    /// Bytes read and written per second, in GB/s (10^9).
    pub gb_per_s: f64,
    /// Result elements per second, in 10^9.
    pub gelem_per_s: f64,
    /// Arithmetic operations per second, in 10^9.
    pub gflop_per_s: f64,
}

pub fn throughput(cost: &Cost, ns_per_loop: f64) -> Throughput {
    if ns_per_loop.is_nan() || ns_per_loop <= 0.0 {
        return Throughput::default();
    }
    // bytes per ns == GB/s.
    Throughput {
        gb_per_s: (cost.bytes_read + cost.bytes_written) / ns_per_loop,
        gelem_per_s: cost.elements / ns_per_loop,
        gflop_per_s: cost.flops / ns_per_loop,
    }
}

/// How many times faster `variant` is than `baseline` (ratio of medians),
/// with a conservative interval from the two medians' intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Speedup {
    pub ratio: f64,
    pub low: f64,
    pub high: f64,
}

pub fn speedup(baseline: &Summary, variant: &Summary) -> Speedup {
    Speedup::between(
        [baseline.median, baseline.ci_low, baseline.ci_high],
        [variant.median, variant.ci_low, variant.ci_high],
    )
}

impl Speedup {
    /// From two `[median, interval low, interval high]`s: the ratio of the
    /// medians, and the widest ratio the intervals allow.
    pub fn between([b, b_low, b_high]: [f64; 3], [v, v_low, v_high]: [f64; 3]) -> Speedup {
        Speedup {
            ratio: b / v,
            low: b_low / v_high,
            high: b_high / v_low,
        }
    }

    /// `2.31× (2.10–2.55)`, as the results table and the sweeps show it.
    pub fn text(&self) -> String {
        format!("{:.2}× ({:.2}–{:.2})", self.ratio, self.low, self.high)
    }
}

/// Whether a variant cannot be told apart from the no-op: its median is
/// within the no-op's median plus three of its MADs (or 1.5x the no-op).
/// Either the compiler deleted the work, or there is no work (a view).
pub fn indistinguishable_from_noop(noop: &Summary, variant: &Summary) -> bool {
    variant.median <= (noop.median + 3.0 * noop.mad).max(1.5 * noop.median)
}
