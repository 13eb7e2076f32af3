//! Charts drawn by the server as SVG: bars, dots on a scale, and lines over
//! time, with axes and "nice" ticks. Pure functions of their input (no
//! JavaScript, nothing fetched): each chart is a `<figure>` whose `<svg>`
//! carries a `<title>` and a `<desc>`, and whose numbers follow in a table, for
//! screen readers and for anyone who wants the figures. Colours come from the
//! stylesheet's variables (`.chart …` rules), so a chart reads in the light
//! and the dark scheme alike.

use maud::{Markup, html};

/// The drawing's size in SVG units; it scales to its container's width.
const W: f64 = 640.0;
const H: f64 = 240.0;
/// Room for the axes' labels.
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;

/// Up to `count` round tick values from 0 to at least `max` (steps of 1, 2 or
/// 5 times a power of ten).
pub fn ticks(max: f64, count: usize) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let rough = max / count.max(1) as f64;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| max / s <= count as f64)
        .unwrap_or(10.0 * power);
    let steps = (max / step).ceil() as usize;
    (0..=steps).map(|i| round(i as f64 * step)).collect()
}

/// `x` to at most three decimals, as figures are shown.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A number as a tick or a table shows it: no trailing zeros.
pub fn number(x: f64) -> String {
    let s = format!("{:.3}", round(x));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// What every chart has: a name, a sentence saying what it shows, and an id
/// (for its title and description, unique on the page).
pub struct Frame<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

fn svg(frame: &Frame, body: Markup) -> Markup {
    let title_id = format!("{}-title", frame.id);
    let desc_id = format!("{}-desc", frame.id);
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {W} {H}"))
            role="img" aria-labelledby=(format!("{title_id} {desc_id}")) {
            title id=(title_id) { (frame.title) }
            desc id=(desc_id) { (frame.desc) }
            (body)
        }
    }
}

/// The value axis on the left: gridlines and labels at `ticks`, scaled to `top`.
fn y_axis(ticks: &[f64], top: f64) -> Markup {
    let plot = H - TOP - BOTTOM;
    html! {
        g.axis {
            @for t in ticks {
                @let y = H - BOTTOM - t / top * plot;
                line.grid x1=(LEFT) x2=(W - RIGHT) y1=(fmt(y)) y2=(fmt(y)) {}
                text x=(LEFT - 6.0) y=(fmt(y + 4.0)) text-anchor="end" { (number(*t)) }
            }
            line.base x1=(LEFT) x2=(W - RIGHT) y1=(H - BOTTOM) y2=(H - BOTTOM) {}
        }
    }
}

fn fmt(x: f64) -> String {
    format!("{x:.1}")
}

/// Which of `n` category labels to print so that they do not overlap (every
/// label up to 12, then every k-th).
fn label_every(n: usize) -> usize {
    n.div_ceil(12).max(1)
}

/// Vertical bars, one per labelled value.
pub fn bars(frame: &Frame, labels: &[String], values: &[f64]) -> Markup {
    let max = values.iter().copied().fold(0.0, f64::max);
    let ticks = ticks(max, 4);
    let top = *ticks.last().unwrap_or(&1.0);
    let plot_w = W - LEFT - RIGHT;
    let slot = plot_w / values.len().max(1) as f64;
    let every = label_every(labels.len());
    let plot_h = H - TOP - BOTTOM;
    svg(
        frame,
        html! {
            (y_axis(&ticks, top))
            g.bars {
                @for (i, v) in values.iter().enumerate() {
                    @let h = v / top * plot_h;
                    rect.bar x=(fmt(LEFT + i as f64 * slot + slot * 0.15)) y=(fmt(H - BOTTOM - h))
                        width=(fmt(slot * 0.7)) height=(fmt(h)) {
                        title { (labels.get(i).map(String::as_str).unwrap_or("")) ": " (number(*v)) }
                    }
                }
            }
            g.axis {
                @for (i, l) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
                    text x=(fmt(LEFT + (i as f64 + 0.5) * slot)) y=(H - BOTTOM + 16.0) text-anchor="middle" { (l) }
                }
            }
        },
    )
}

/// One series of a line chart.
pub struct Series<'a> {
    pub name: &'a str,
    /// The stylesheet's class for its colour (`one`, `two`).
    pub class: &'a str,
    pub values: &'a [f64],
}

/// Lines over shared labels (weeks), each series with its legend entry.
pub fn lines(frame: &Frame, labels: &[String], series: &[Series]) -> Markup {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let ticks = ticks(max, 4);
    let top = *ticks.last().unwrap_or(&1.0);
    let n = labels.len().max(1);
    let step = (W - LEFT - RIGHT) / n as f64;
    let x = |i: usize| LEFT + (i as f64 + 0.5) * step;
    let y = |v: f64| H - BOTTOM - v / top * (H - TOP - BOTTOM);
    let every = label_every(labels.len());
    svg(
        frame,
        html! {
            (y_axis(&ticks, top))
            @for s in series {
                @let points: Vec<String> = s.values.iter().enumerate().map(|(i, v)| format!("{},{}", fmt(x(i)), fmt(y(*v)))).collect();
                g class=(format!("series {}", s.class)) {
                    polyline points=(points.join(" ")) {}
                    @for (i, v) in s.values.iter().enumerate() {
                        circle cx=(fmt(x(i))) cy=(fmt(y(*v))) r="3" {
                            title { (s.name) ", " (labels.get(i).map(String::as_str).unwrap_or("")) ": " (number(*v)) }
                        }
                    }
                }
            }
            g.axis {
                @for (i, l) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
                    text x=(fmt(x(i))) y=(H - BOTTOM + 16.0) text-anchor="middle" { (l) }
                }
            }
            g.legend {
                @for (k, s) in series.iter().enumerate() {
                    @let lx = LEFT + k as f64 * 140.0;
                    g class=(format!("series {}", s.class)) {
                        line x1=(fmt(lx)) x2=(fmt(lx + 18.0)) y1=(H - 6.0) y2=(H - 6.0) {}
                    }
                    text x=(fmt(lx + 24.0)) y=(H - 2.0) { (s.name) }
                }
            }
        },
    )
}

/// One row of a dot plot: a label, a value on the scale, and how many
/// observations stand behind it.
pub struct Dot {
    pub label: String,
    pub value: f64,
    pub n: usize,
}

/// Dots on a horizontal scale from `min` to `max` with a reference line at 0,
/// one row per dot (each row labelled with its `n`).
pub fn dots(frame: &Frame, rows: &[Dot], min: f64, max: f64) -> Markup {
    let row_h = 22.0;
    let height = TOP + BOTTOM + row_h * rows.len().max(1) as f64;
    let left = 180.0;
    let x = |v: f64| left + (v.clamp(min, max) - min) / (max - min) * (W - left - RIGHT);
    let steps = 6;
    let title_id = format!("{}-title", frame.id);
    let desc_id = format!("{}-desc", frame.id);
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {W} {}", fmt(height)))
            role="img" aria-labelledby=(format!("{title_id} {desc_id}")) {
            title id=(title_id) { (frame.title) }
            desc id=(desc_id) { (frame.desc) }
            g.axis {
                @for k in 0..=steps {
                    @let v = min + (max - min) * k as f64 / steps as f64;
                    line.grid x1=(fmt(x(v))) x2=(fmt(x(v))) y1=(TOP) y2=(fmt(height - BOTTOM)) {}
                    text x=(fmt(x(v))) y=(fmt(height - BOTTOM + 16.0)) text-anchor="middle" { (number(v)) }
                }
                line.zero x1=(fmt(x(0.0))) x2=(fmt(x(0.0))) y1=(TOP) y2=(fmt(height - BOTTOM)) {}
            }
            g.dots {
                @for (i, r) in rows.iter().enumerate() {
                    @let cy = TOP + row_h * (i as f64 + 0.5);
                    text.label x=(left - 8.0) y=(fmt(cy + 4.0)) text-anchor="end" { (r.label) " (n " (r.n) ")" }
                    circle.dot cx=(fmt(x(r.value))) cy=(fmt(cy)) r="5" {
                        title { (r.label) ": " (number(r.value)) ", n " (r.n) }
                    }
                }
            }
        }
    }
}

/// A chart with its numbers: the figure, its caption, the table (folded
/// under "The numbers"), and the link to download them as CSV.
pub fn figure(caption: &str, chart: Markup, table: Markup, csv: &str) -> Markup {
    html! {
        figure.chart-figure {
            (chart)
            figcaption {
                (caption) " "
                a href=(csv) download { "Download CSV" }
            }
            details {
                summary { "The numbers" }
                div.table-wrap tabindex="0" role="region" aria-label=(caption) { (table) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_reach_the_maximum() {
        assert_eq!(ticks(7.0, 4), [0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(100.0, 4), [0.0, 50.0, 100.0]);
        assert_eq!(ticks(0.37, 4), [0.0, 0.1, 0.2, 0.3, 0.4]);
        assert_eq!(ticks(0.0, 4), [0.0, 0.5, 1.0]);
        assert_eq!(ticks(f64::NAN, 4), [0.0, 0.5, 1.0]);
        assert_eq!(ticks(1234.0, 5), [0.0, 500.0, 1000.0, 1500.0]);
    }

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(number(2.0), "2");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(-0.0001), "0");
        assert_eq!(number(1.23456), "1.235");
    }

    #[test]
    fn many_labels_are_thinned_to_about_twelve() {
        assert_eq!(label_every(12), 1);
        assert_eq!(label_every(13), 2);
        assert_eq!(label_every(53), 5);
    }

    fn frame() -> Frame<'static> {
        Frame {
            id: "t",
            title: "A test chart",
            desc: "What it shows.",
        }
    }

    #[test]
    fn a_bar_chart_draws_one_bar_per_value_with_its_title() {
        let labels: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let svg = bars(&frame(), &labels, &[1.0, 3.0, 2.0]).into_string();
        insta::assert_snapshot!("bars", svg);
    }

    #[test]
    fn a_line_chart_draws_each_series_and_its_legend() {
        let labels: Vec<String> = ["w1", "w2", "w3", "w4"].map(String::from).to_vec();
        let svg = lines(
            &frame(),
            &labels,
            &[
                Series {
                    name: "Scheduled",
                    class: "one",
                    values: &[4.0, 6.0, 5.0, 9.0],
                },
                Series {
                    name: "Decided",
                    class: "two",
                    values: &[1.0, 3.0, 4.0, 6.0],
                },
            ],
        )
        .into_string();
        insta::assert_snapshot!("lines", svg);
    }

    #[test]
    fn a_dot_plot_places_each_row_on_the_scale_with_its_n() {
        let rows = [
            Dot {
                label: "Kim Park".into(),
                value: 0.5,
                n: 12,
            },
            Dot {
                label: "Lee Chan".into(),
                value: -2.0,
                n: 7,
            },
        ];
        let svg = dots(&frame(), &rows, -1.5, 1.5).into_string();
        insta::assert_snapshot!("dots", svg);
    }
}
