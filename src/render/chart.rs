//! Activity over time: briefings per month as a small inline SVG bar chart, made at build
//! time so it shows without JavaScript, with the same numbers as a table for screen readers
//! and for anyone who wants the figures. Takes dates, returns a view; writes nothing.

use std::fmt::Write;

use jiff::civil::Date;
use serde::Serialize;

/// `activity` on entity pages and the archive: the chart and its text alternative.
#[derive(Serialize, Debug)]
pub struct ActivityView {
    /// The inline `<svg>`: print it with `| safe`.
    pub svg: String,
    /// One sentence that says what the chart shows (also the SVG's accessible name).
    pub summary: String,
    /// The same numbers as an HTML `<table>` of the months with briefings (print with
    /// `| safe`); made here rather than looped over in the template, because entity pages
    /// are the most numerous and the loop was a measurable part of the build.
    pub table: String,
}

#[derive(Debug)]
struct MonthCount {
    /// `May 2025`.
    name: String,
    /// `2025-05`.
    iso: String,
    count: usize,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 96.0;
const AXIS: f64 = 16.0;

/// The chart of `dates` (any order), per month from the first to the last; `None` if empty.
/// `what` names the thing counted in the summary: "briefings naming Kyiv".
pub fn activity(dates: impl IntoIterator<Item = Date>, what: &str) -> Option<ActivityView> {
    let months = per_month(dates);
    if months.is_empty() {
        return None;
    }
    let total: usize = months.iter().map(|m| m.count).sum();
    let peak = months
        .iter()
        .max_by_key(|m| (m.count, std::cmp::Reverse(m.iso.clone())))?;
    let (first, last) = (&months[0].name, &months[months.len() - 1].name);
    let summary = if months.len() == 1 {
        format!("{total} {what}, all in {first}.")
    } else {
        format!(
            "{total} {what} from {first} to {last}; the busiest month was {} with {}.",
            peak.name, peak.count
        )
    };
    Some(ActivityView {
        svg: svg(&months, &summary),
        table: table(&months),
        summary,
    })
}

/// Counts per month, with the empty months in between, oldest first.
fn per_month(dates: impl IntoIterator<Item = Date>) -> Vec<MonthCount> {
    let mut counts = std::collections::BTreeMap::<(i16, i8), usize>::new();
    for date in dates {
        *counts.entry((date.year(), date.month())).or_default() += 1;
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut months = Vec::new();
    let mut at = first;
    while at <= last {
        let name = Date::new(at.0, at.1, 1)
            .map(|d| d.strftime("%B %Y").to_string())
            .unwrap_or_default();
        months.push(MonthCount {
            name,
            iso: format!("{:04}-{:02}", at.0, at.1),
            count: counts.get(&at).copied().unwrap_or(0),
        });
        at = if at.1 == 12 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    months
}

fn table(months: &[MonthCount]) -> String {
    let mut out = String::from(
        "<table><thead><tr><th scope=\"col\">Month</th><th scope=\"col\">Briefings</th></tr></thead><tbody>",
    );
    for m in months.iter().filter(|m| m.count > 0) {
        let _ = write!(
            out,
            "<tr><td><time datetime=\"{}\">{}</time></td><td>{}</td></tr>",
            m.iso, m.name, m.count
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// Bars scaled to the busiest month; a year label under each January (and the first month).
fn svg(months: &[MonthCount], summary: &str) -> String {
    let peak = months.iter().map(|m| m.count).max().unwrap_or(0).max(1) as f64;
    let step = WIDTH / months.len() as f64;
    // Few months would make slabs, not bars: cap the width and centre each in its slot.
    let bar = (step * 0.8).clamp(1.0, 28.0);
    let plot = HEIGHT - AXIS;
    let mut out = String::with_capacity(months.len() * 120 + 400);
    let _ = write!(
        out,
        "<svg class=\"activity\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        super::markdown::escape(summary)
    );
    let _ = write!(
        out,
        "<line x1=\"0\" y1=\"{plot}\" x2=\"{WIDTH}\" y2=\"{plot}\" class=\"axis\"/>"
    );
    for (i, m) in months.iter().enumerate() {
        if i == 0 || m.iso.ends_with("-01") {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{}\">{}</text>",
                i as f64 * step,
                HEIGHT - 3.0,
                &m.iso[..4]
            );
        }
        // An empty month is the gap between bars; drawing nothing keeps busy pages small.
        if m.count == 0 {
            continue;
        }
        let x = i as f64 * step + (step - bar) / 2.0;
        let h = (m.count as f64 / peak * (plot - 4.0)).max(1.5);
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\"><title>{}: {}</title></rect>",
            plot - h,
            m.name,
            m.count
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn months_in_between_count_zero() {
        let view = activity(
            [d(2024, 11, 3), d(2025, 1, 9), d(2025, 1, 20)],
            "briefings naming Kyiv",
        )
        .unwrap();
        let months = per_month([d(2024, 11, 3), d(2025, 1, 9), d(2025, 1, 20)]);
        let counts: Vec<(&str, usize)> = months.iter().map(|m| (m.iso.as_str(), m.count)).collect();
        assert_eq!(counts, [("2024-11", 1), ("2024-12", 0), ("2025-01", 2)]);
        assert!(view.table.contains(
            "<tr><td><time datetime=\"2025-01\">January 2025</time></td><td>2</td></tr>"
        ));
        assert!(
            !view.table.contains("December"),
            "empty months are left out"
        );
        assert_eq!(
            view.summary,
            "3 briefings naming Kyiv from November 2024 to January 2025; the busiest month was January 2025 with 2."
        );
        assert_eq!(
            view.svg.matches("<rect").count(),
            2,
            "none for the empty month"
        );
        assert!(view.svg.contains("role=\"img\""));
        assert!(view.svg.contains("<text x=\"0.0\" y=\"93\">2024</text>"));
        assert!(view.svg.contains(">2025</text>"));
    }

    #[test]
    fn one_month_reads_as_one() {
        let view = activity([d(2025, 5, 1), d(2025, 5, 2)], "briefings").unwrap();
        assert_eq!(view.summary, "2 briefings, all in May 2025.");
    }

    #[test]
    fn nothing_to_chart() {
        assert!(activity([], "briefings").is_none());
    }

    #[test]
    fn summary_is_escaped_in_the_label() {
        let view = activity([d(2025, 5, 1)], "briefings naming \"A&B\"").unwrap();
        assert!(
            view.svg.contains("naming &quot;A&amp;B&quot;"),
            "{}",
            view.svg
        );
    }
}
