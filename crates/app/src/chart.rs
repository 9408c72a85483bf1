//! Charts drawn with plotters' SVG backend: the time of every sample per
//! variant (log scale), filling in as samples arrive, with the median marked.

use lanes_harness::protocol::Rung;
use lanes_harness::stats::format_time;
use plotters::coord::combinators::{BindKeyPoints, WithKeyPoints};
use plotters::prelude::*;

use crate::state::Live;

// The sweeps' charts: only the playground has sweeps.
#[cfg(feature = "playground")]
mod sweeps;
#[cfg(feature = "playground")]
pub use sweeps::{dtype_chart, rate, sweep_chart, threads_chart, unit_label};

/// A colour per rung, mid-tone so that it reads on light and dark.
pub fn color(r: Rung) -> RGBColor {
    match r {
        Rung::Python => RGBColor(150, 110, 60),
        Rung::JsArray => RGBColor(214, 96, 77),
        Rung::JsTyped => RGBColor(230, 159, 0),
        Rung::Wasm(v) => match v {
            lanes_kernels::Variant::Scalar => RGBColor(120, 120, 200),
            lanes_kernels::Variant::Auto => RGBColor(86, 180, 233),
            lanes_kernels::Variant::Simd => RGBColor(0, 158, 115),
            lanes_kernels::Variant::SimdThreads => RGBColor(204, 121, 167),
        },
    }
}

/// The width to draw charts at: the page's width on a phone (so that text
/// stays readable once the SVG is scaled to fit), 760 px elsewhere.
fn width() -> u32 {
    let w = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(800.0);
    (w as u32).saturating_sub(40).clamp(340, 760)
}

/// A log axis over `[lo, hi]` with ticks on a 1-2-5 (or sparser) series.
fn log_axis(lo: f64, hi: f64) -> WithKeyPoints<LogCoord<f64>> {
    let ticks = |steps: &[f64]| -> Vec<f64> {
        let mut v = Vec::new();
        let mut decade = 10f64.powf(lo.log10().floor());
        while decade <= hi {
            v.extend(
                steps
                    .iter()
                    .map(|s| s * decade)
                    .filter(|x| (lo..=hi).contains(x)),
            );
            decade *= 10.0;
        }
        v
    };
    let mut points = ticks(&[1.0, 2.0, 5.0]);
    if points.len() > 9 {
        points = ticks(&[1.0, 3.0]);
    }
    if points.len() > 9 {
        points = ticks(&[1.0]);
    }
    log_axis_at(lo, hi, points)
}

/// A log axis over `[lo, hi]` with ticks at `points`. Every log-log chart
/// (sizes, threads) has this one type on both axes: each coordinate type a
/// chart uses is another copy of plotters' drawing code in the page's wasm.
fn log_axis_at(lo: f64, hi: f64, points: Vec<f64>) -> WithKeyPoints<LogCoord<f64>> {
    let axis: LogCoord<f64> = (lo..hi).log_scale().into();
    axis.with_key_points(points)
}

/// The time chart as an SVG string (empty before the first sample).
pub fn time_chart(
    live: &Live,
    order: &[Rung],
    dark: bool,
    imported: &[(Rung, f64)],
) -> Result<String, String> {
    let Some((lo, hi)) = live.range() else {
        return Ok(String::new());
    };
    let (lo, hi) = imported
        .iter()
        .fold((lo, hi), |(lo, hi), (_, x)| (lo.min(*x), hi.max(*x)));
    // Samples are never 0 (a loop takes time), but a log axis needs lo > 0.
    let (lo, hi) = (lo.max(1e-3) / 1.5, hi * 1.5);
    let (fg, grid) = palette(dark);
    let n = order.len().max(1);
    let (w, h) = (width(), 70 + 44 * n as u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(96)
            .build_cartesian_2d(log_axis(lo, hi), (0..n - 1).into_segmented())
            .map_err(|e| e.to_string())?;
        let names: Vec<&str> = order.iter().map(|r| r.name()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(grid)
            .light_line_style(grid.mix(0.4))
            .axis_style(fg)
            .label_style(("sans-serif", 14).into_font().color(&fg))
            .axis_desc_style(("sans-serif", 14).into_font().color(&fg))
            .x_desc("time per loop (log scale)")
            .x_label_formatter(&|v| format_time(*v))
            .y_label_formatter(&|s| match s {
                SegmentValue::CenterOf(i) => names.get(*i).copied().unwrap_or("").to_owned(),
                _ => String::new(),
            })
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, r) in order.iter().enumerate() {
            let xs = live.samples(*r);
            let c = color(*r);
            chart
                .draw_series(
                    xs.iter().map(|&x| {
                        Circle::new((x, SegmentValue::CenterOf(i)), 5, c.mix(0.55).filled())
                    }),
                )
                .map_err(|e| e.to_string())?;
            if let Some(s) = live.summary(*r) {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![
                            (s.median, SegmentValue::Exact(i)),
                            (s.median, SegmentValue::Exact(i + 1)),
                        ],
                        c.stroke_width(3),
                    )))
                    .map_err(|e| e.to_string())?;
            }
        }
        // Another device's medians: rings.
        for (r, x) in imported {
            if let Some(i) = order.iter().position(|o| o == r) {
                let ring = Circle::new(
                    (*x, SegmentValue::CenterOf(i)),
                    9,
                    color(*r).stroke_width(2),
                );
                chart
                    .draw_series(std::iter::once(ring))
                    .map_err(|e| e.to_string())?;
            }
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

fn palette(dark: bool) -> (RGBColor, RGBColor) {
    if dark {
        (RGBColor(225, 228, 235), RGBColor(70, 74, 84))
    } else {
        (RGBColor(40, 44, 52), RGBColor(220, 222, 228))
    }
}
