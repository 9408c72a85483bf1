//! The sweeps' charts: throughput against size, the same op across dtypes,
//! and `simd-threads` against its thread count.

use lanes_harness::protocol::Rung;
use lanes_harness::stats::format_time;
use plotters::prelude::*;

use super::{color, log_axis, log_axis_at, palette, width};

/// The background of a chart's legend box.
fn legend_background(dark: bool) -> RGBColor {
    if dark { RGBColor(27, 32, 41) } else { WHITE }
}

/// A legend entry: a short line in the series' style.
fn legend_line(style: ShapeStyle) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], style)
}

/// Labels for whole numbers only (thread counts on a continuous axis).
fn whole(v: &f64) -> String {
    if v.fract() == 0.0 && *v >= 1.0 {
        format!("{v:.0}")
    } else {
        String::new()
    }
}

/// The rate of a result in the op's natural unit, and the unit's label.
pub fn rate(unit: lanes_kernels::Unit, r: &lanes_harness::protocol::VariantResult) -> f64 {
    match unit {
        lanes_kernels::Unit::Bytes => r.gb_per_s,
        lanes_kernels::Unit::Elements => r.gelem_per_s,
        lanes_kernels::Unit::Flops => r.gflop_per_s,
    }
}

pub fn unit_label(unit: lanes_kernels::Unit) -> &'static str {
    match unit {
        lanes_kernels::Unit::Bytes => "GB/s",
        lanes_kernels::Unit::Elements => "Gelem/s",
        lanes_kernels::Unit::Flops => "GFLOP/s",
    }
}

/// Throughput against size (log-log), a line per rung.
pub fn sweep_chart(
    points: &[crate::state::Point],
    order: &[Rung],
    unit: lanes_kernels::Unit,
    dark: bool,
) -> Result<String, String> {
    let xs: Vec<f64> = points.iter().map(|p| p.size as f64).collect();
    let ys: Vec<f64> = points
        .iter()
        .flat_map(|p| p.results.iter().map(|r| rate(unit, r)))
        .filter(|y| *y > 0.0)
        .collect();
    if xs.len() < 2 || ys.is_empty() {
        return Ok(String::new());
    }
    let (fg, grid) = palette(dark);
    let (xlo, xhi) = (xs[0] / 1.5, xs[xs.len() - 1] * 1.5);
    let ylo = ys.iter().copied().fold(f64::INFINITY, f64::min) / 1.5;
    let yhi = ys.iter().copied().fold(0.0, f64::max) * 1.5;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width(), 380)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(64)
            .build_cartesian_2d(log_axis(xlo, xhi), log_axis(ylo, yhi))
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .bold_line_style(grid)
            .light_line_style(grid.mix(0.4))
            .axis_style(fg)
            .label_style(("sans-serif", 14).into_font().color(&fg))
            .axis_desc_style(("sans-serif", 14).into_font().color(&fg))
            .x_desc("elements per array (log scale)")
            .y_desc(format!("{} at best time (log scale)", unit_label(unit)))
            .x_label_formatter(&|v| crate::components::group(*v as usize))
            .y_label_formatter(&|v| format!("{v}"))
            .draw()
            .map_err(|e| e.to_string())?;
        for r in order {
            let c = color(*r);
            let line: Vec<(f64, f64)> = points
                .iter()
                .filter_map(|p| {
                    p.results
                        .iter()
                        .find(|x| x.variant == *r)
                        .map(|x| (p.size as f64, rate(unit, x)))
                })
                .filter(|(_, y)| *y > 0.0)
                .collect();
            chart
                .draw_series(LineSeries::new(line.clone(), c.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(r.name())
                .legend(legend_line(c.stroke_width(3)));
            chart
                .draw_series(line.iter().map(|&p| Circle::new(p, 4, c.filled())))
                .map_err(|e| e.to_string())?;
        }
        chart
            .configure_series_labels()
            .label_font(("sans-serif", 13).into_font().color(&fg))
            .border_style(grid)
            .background_style(legend_background(dark))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Time per loop for each dtype: a row per dtype, a bar per rung in it,
/// time on a log axis across (the time chart's layout, and its coordinate
/// type: one copy of plotters' code serves both).
pub fn dtype_chart(
    points: &[crate::state::Point],
    order: &[Rung],
    dark: bool,
) -> Result<String, String> {
    let ts: Vec<f64> = points
        .iter()
        .flat_map(|p| p.results.iter().map(|r| r.min_ns))
        .filter(|t| *t > 0.0)
        .collect();
    if ts.is_empty() {
        return Ok(String::new());
    }
    let (fg, grid) = palette(dark);
    let n = points.len();
    let k = order.len().max(1);
    let lo = ts.iter().copied().fold(f64::INFINITY, f64::min) / 2.0;
    let hi = ts.iter().copied().fold(0.0, f64::max) * 1.5;
    let names: Vec<String> = points
        .iter()
        .map(|p| p.dtype.numpy_name().to_owned())
        .collect();
    let row = (12 * k as u32).max(40);
    let mut svg = String::new();
    {
        let size = (width(), 70 + row * n as u32);
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(72)
            .build_cartesian_2d(log_axis(lo, hi), (0..n - 1).into_segmented())
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(grid)
            .light_line_style(grid.mix(0.4))
            .axis_style(fg)
            .label_style(("sans-serif", 14).into_font().color(&fg))
            .axis_desc_style(("sans-serif", 14).into_font().color(&fg))
            .x_desc("best time per loop (log scale)")
            .x_label_formatter(&|v| format_time(*v))
            .y_label_formatter(&|s| match s {
                SegmentValue::CenterOf(i) => n
                    .checked_sub(1 + *i)
                    .and_then(|k| names.get(k))
                    .cloned()
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(|e| e.to_string())?;
        let area = chart.plotting_area();
        for (i, p) in points.iter().enumerate() {
            for (j, r) in order.iter().enumerate() {
                let Some(x) = p.results.iter().find(|x| x.variant == *r) else {
                    continue;
                };
                // Rows from the top in the table's order (the segments
                // count upwards), bars one under another in the rungs' order.
                let seg = n - 1 - i;
                let (x_left, y0) = area.map_coordinate(&(lo, SegmentValue::Exact(seg + 1)));
                let (x_right, y1) = area.map_coordinate(&(x.min_ns, SegmentValue::Exact(seg)));
                let h = (y1 - y0) as f64 * 0.8 / k as f64;
                let top = y0 as f64 + (y1 - y0) as f64 * 0.1 + h * j as f64;
                let rect = Rectangle::new(
                    [(x_left, top as i32), (x_right, (top + h - 1.0) as i32)],
                    color(*r).filled(),
                );
                root.draw(&rect).map_err(|e| e.to_string())?;
            }
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Scaling with threads, log-log: the best time of `simd-threads` against
/// its thread count (with `simd`, measured in the same runs, as a
/// reference), and the speed-up over `simd` (the harness's: a ratio of
/// medians) against the ideal one, which is the diagonal.
pub fn threads_chart(points: &[crate::state::Point], dark: bool) -> Result<String, String> {
    use lanes_kernels::Variant;
    fn result(p: &crate::state::Point, v: Variant) -> Option<&lanes_harness::VariantResult> {
        p.results
            .iter()
            .find(|r| r.variant == Rung::Wasm(v))
            .filter(|r| r.min_ns > 0.0 && r.median_ns > 0.0)
    }
    // (threads, best simd, best simd-threads, the harness's speed-up:
    // a ratio of medians, as the table beside it shows).
    let rows: Vec<(f64, f64, f64, f64)> = points
        .iter()
        .filter_map(|p| {
            let (simd, threads) = (result(p, Variant::Simd)?, result(p, Variant::SimdThreads)?);
            Some((
                p.threads as f64,
                simd.min_ns,
                threads.min_ns,
                threads.speedup_over(simd).ratio,
            ))
        })
        .collect();
    if rows.is_empty() {
        return Ok(String::new());
    }
    let (fg, grid) = palette(dark);
    let n = rows.iter().map(|r| r.0).fold(1.0, f64::max);
    let mut counts: Vec<f64> = rows.iter().map(|r| r.0).collect();
    counts.sort_by(f64::total_cmp);
    counts.dedup();
    let threads_axis = || log_axis_at(0.8, n * 1.25, counts.clone());
    let ts = rows.iter().flat_map(|r| [r.1, r.2]);
    let tlo = ts.clone().fold(f64::INFINITY, f64::min) / 1.5;
    let thi = ts.fold(0.0, f64::max) * 1.5;
    let speedups = rows.iter().map(|r| r.3);
    let sp_lo = speedups.clone().fold(1.0, f64::min) / 1.25;
    let sp_hi = speedups.fold(n, f64::max) * 1.25;
    let w = width();
    let narrow = w < 600;
    let size = if narrow { (w, 640) } else { (w, 340) };
    let (simd_c, thr_c) = (
        color(Rung::Wasm(Variant::Simd)),
        color(Rung::Wasm(Variant::SimdThreads)),
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let (left, right) = if narrow {
            root.split_vertically(320)
        } else {
            root.split_horizontally(w / 2)
        };
        let font = |s| ("sans-serif", s).into_font().color(&fg);
        let mut time = ChartBuilder::on(&left)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .caption("best time per loop", font(14))
            .build_cartesian_2d(threads_axis(), log_axis(tlo, thi))
            .map_err(|e| e.to_string())?;
        time.configure_mesh()
            .bold_line_style(grid)
            .light_line_style(grid.mix(0.4))
            .axis_style(fg)
            .label_style(font(13))
            .axis_desc_style(font(13))
            .x_desc("threads")
            .x_label_formatter(&whole)
            .y_label_formatter(&|v| format_time(*v))
            .draw()
            .map_err(|e| e.to_string())?;
        let simd_line: Vec<(f64, f64)> = rows.iter().map(|r| (r.0, r.1)).collect();
        let thr_line: Vec<(f64, f64)> = rows.iter().map(|r| (r.0, r.2)).collect();
        time.draw_series(DashedLineSeries::new(
            simd_line.clone(),
            6,
            4,
            simd_c.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?
        .label("simd (one thread)")
        .legend(legend_line(simd_c.stroke_width(3)));
        time.draw_series(LineSeries::new(thr_line.clone(), thr_c.stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label("simd-threads")
            .legend(legend_line(thr_c.stroke_width(3)));
        time.draw_series(thr_line.iter().map(|&p| Circle::new(p, 4, thr_c.filled())))
            .map_err(|e| e.to_string())?;
        time.configure_series_labels()
            .label_font(font(12))
            .border_style(grid)
            .background_style(legend_background(dark))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(|e| e.to_string())?;

        let mut speed = ChartBuilder::on(&right)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .caption("speed-up over simd", font(14))
            .build_cartesian_2d(threads_axis(), log_axis(sp_lo, sp_hi))
            .map_err(|e| e.to_string())?;
        speed
            .configure_mesh()
            .bold_line_style(grid)
            .light_line_style(grid.mix(0.4))
            .axis_style(fg)
            .label_style(font(13))
            .axis_desc_style(font(13))
            .x_desc("threads")
            .x_label_formatter(&whole)
            .y_label_formatter(&|v| format!("{v:.1}x"))
            .draw()
            .map_err(|e| e.to_string())?;
        speed
            .draw_series(DashedLineSeries::new(
                vec![(1.0, 1.0), (n, n)],
                6,
                4,
                fg.mix(0.6).stroke_width(1),
            ))
            .map_err(|e| e.to_string())?
            .label("ideal")
            .legend(legend_line(fg.stroke_width(1)));
        let sp: Vec<(f64, f64)> = rows.iter().map(|r| (r.0, r.3)).collect();
        speed
            .draw_series(LineSeries::new(sp.clone(), thr_c.stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label("measured")
            .legend(legend_line(thr_c.stroke_width(3)));
        speed
            .draw_series(sp.iter().map(|&p| Circle::new(p, 4, thr_c.filled())))
            .map_err(|e| e.to_string())?;
        speed
            .configure_series_labels()
            .label_font(font(12))
            .border_style(grid)
            .background_style(legend_background(dark))
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}
