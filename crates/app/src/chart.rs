//! Charts drawn with plotters' SVG backend: the time of every sample per
//! variant (log scale), filling in as samples arrive, with the median marked.

use lanes_harness::protocol::Rung;
use lanes_harness::stats::{Summary, format_time};
use plotters::coord::combinators::{BindKeyPoints, WithKeyPoints};
use plotters::prelude::*;

use crate::state::Live;

/// A colour per rung, mid-tone so that it reads on light and dark.
pub fn color(r: Rung) -> RGBColor {
    match r {
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

/// A log axis over `[lo, hi]` with ticks on a 1-2-5 (or sparser) series.
fn log_axis(lo: f64, hi: f64) -> WithKeyPoints<LogCoord<f64>> {
    let axis: LogCoord<f64> = (lo..hi).log_scale().into();
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
    axis.with_key_points(points)
}

/// The time chart as an SVG string (empty before the first sample).
pub fn time_chart(live: &Live, order: &[Rung], dark: bool) -> Result<String, String> {
    let all: Vec<f64> = live
        .samples
        .values()
        .flatten()
        .copied()
        .filter(|x| *x > 0.0)
        .collect();
    if all.is_empty() {
        return Ok(String::new());
    }
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min) / 1.5;
    let hi = all.iter().copied().fold(0.0, f64::max) * 1.5;
    let fg = if dark {
        RGBColor(225, 228, 235)
    } else {
        RGBColor(40, 44, 52)
    };
    let grid = if dark {
        RGBColor(70, 74, 84)
    } else {
        RGBColor(220, 222, 228)
    };
    let n = order.len().max(1);
    let (w, h) = (760u32, 70 + 44 * n as u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(96)
            .build_cartesian_2d(log_axis(lo, hi), (0..n).into_segmented())
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
            let Some(xs) = live.samples.get(r) else {
                continue;
            };
            let c = color(*r);
            chart
                .draw_series(
                    xs.iter().map(|&x| {
                        Circle::new((x, SegmentValue::CenterOf(i)), 5, c.mix(0.55).filled())
                    }),
                )
                .map_err(|e| e.to_string())?;
            if let Some(s) = Summary::of(xs) {
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
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}
