//! Activity over time: briefings per month as a small inline SVG bar chart, made at build
//! time so it shows without JavaScript, with the same numbers as a table for screen readers
//! and for anyone who wants the figures. Takes dates, returns a view; writes nothing.
//!
//! The chart is drawn at its own size in CSS pixels, one 32-pixel slot a month, and never
//! scaled down: on a phone a long chart scrolls sideways (starting at the newest month)
//! instead of shrinking its 12-pixel labels to nothing (#15). Every bar shows its number
//! and every month its name, so nothing needs a hover.

use std::fmt::Write;

use jiff::civil::Date;
use serde::Serialize;

use crate::i18n::{Key, Words};

/// What a chart counts: the archive's briefings, or those naming one entity.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Archive,
    Naming(&'a str),
}

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
    /// `May`.
    short: String,
    /// `2025-05`.
    iso: String,
    count: usize,
}

/// Pixels per month, wide enough for a four-digit count in 12-pixel type.
const SLOT: usize = 32;
const BAR: usize = 20;
/// The row of counts above the bars, the bars, and the rows of month and year names.
const VALUES: usize = 16;
const PLOT: usize = 72;
const LABELS: usize = 34;
const HEIGHT: usize = VALUES + PLOT + LABELS;

/// The chart of `dates` (any order), per month from the first to the last; `None` if empty.
/// Its words are `words`' language's; English keeps the sentences it has always had.
pub fn activity(
    dates: impl IntoIterator<Item = Date>,
    subject: Subject<'_>,
    words: &Words,
) -> Option<ActivityView> {
    let english = words.language().base() == "en";
    let months = per_month(dates, (!english).then_some(words));
    if months.is_empty() {
        return None;
    }
    let total: usize = months.iter().map(|m| m.count).sum();
    let peak = months
        .iter()
        .max_by_key(|m| (m.count, std::cmp::Reverse(m.iso.clone())))?;
    let (first, last) = (&months[0].name, &months[months.len() - 1].name);
    let summary = if english {
        let what = match subject {
            Subject::Archive => "briefings".to_string(),
            Subject::Naming(name) => format!("briefings naming {name}"),
        };
        if months.len() == 1 {
            format!("{total} {what}, all in {first}.")
        } else {
            format!(
                "{total} {what} from {first} to {last}; the busiest month was {} with {}.",
                peak.name, peak.count
            )
        }
    } else {
        let key = match (subject, months.len() == 1) {
            (Subject::Archive, true) => Key::ChartOneMonth,
            (Subject::Archive, false) => Key::ChartMonths,
            (Subject::Naming(_), true) => Key::ChartNamingOneMonth,
            (Subject::Naming(_), false) => Key::ChartNamingMonths,
        };
        let name = match subject {
            Subject::Naming(name) => name,
            Subject::Archive => "",
        };
        let peak_count = peak.count.to_string();
        let args = [
            ("name", name),
            ("month", first.as_str()),
            ("first", first.as_str()),
            ("last", last.as_str()),
            ("peak", peak.name.as_str()),
            ("peak_count", peak_count.as_str()),
        ];
        words.count(key, total as u64, &args)
    };
    let headings = if english {
        ("Month".to_string(), "Briefings".to_string())
    } else {
        (
            words.text(Key::ChartMonth).into_owned(),
            words.text(Key::ChartBriefings).into_owned(),
        )
    };
    Some(ActivityView {
        svg: svg(&months, &summary),
        table: table(&months, &headings),
        summary,
    })
}

/// Counts per month, with the empty months in between, oldest first.
/// Month names are English unless `words` are given.
fn per_month(dates: impl IntoIterator<Item = Date>, words: Option<&Words>) -> Vec<MonthCount> {
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
        let date = Date::new(at.0, at.1, 1).ok();
        let (name, short) = match words {
            Some(words) => {
                let name = words.month(at.0, at.1);
                let short = short_month(&words.month_heading(at.0, at.1));
                (name, short)
            }
            None => (
                date.map(|d| d.strftime("%B %Y").to_string())
                    .unwrap_or_default(),
                date.map(|d| d.strftime("%b").to_string())
                    .unwrap_or_default(),
            ),
        };
        months.push(MonthCount {
            name,
            short,
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

/// A month's label under its bar: the first three letters of its name (`Тра`), which
/// fit the slot in any script.
fn short_month(heading: &str) -> String {
    heading
        .chars()
        .take_while(|c| c.is_alphabetic())
        .take(3)
        .collect()
}

fn table(months: &[MonthCount], (month, briefings): &(String, String)) -> String {
    let mut out = format!(
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        super::markdown::escape(month),
        super::markdown::escape(briefings)
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

/// Bars scaled to the busiest month, each with its count above and its month below; the
/// year under each January (and the first month). In a box that scrolls when it is wider
/// than the page.
fn svg(months: &[MonthCount], summary: &str) -> String {
    let peak = months.iter().map(|m| m.count).max().unwrap_or(0).max(1) as f64;
    let width = months.len() * SLOT;
    let base = VALUES + PLOT;
    let mut out = String::with_capacity(months.len() * 200 + 400);
    let _ = write!(
        out,
        "<div class=\"chart-scroll\" tabindex=\"0\"><svg class=\"activity\" width=\"{width}\" height=\"{HEIGHT}\" viewBox=\"0 0 {width} {HEIGHT}\" font-size=\"12\" text-anchor=\"middle\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        super::markdown::escape(summary)
    );
    let _ = write!(
        out,
        "<line x1=\"0\" y1=\"{base}\" x2=\"{width}\" y2=\"{base}\" class=\"axis\"/>"
    );
    for (i, m) in months.iter().enumerate() {
        let centre = i * SLOT + SLOT / 2;
        let _ = write!(
            out,
            "<text x=\"{centre}\" y=\"{}\" class=\"month\">{}</text>",
            base + 15,
            m.short
        );
        if i == 0 || m.iso.ends_with("-01") {
            let _ = write!(
                out,
                "<text x=\"{centre}\" y=\"{}\" class=\"year\">{}</text>",
                base + 30,
                &m.iso[..4]
            );
        }
        // An empty month is the gap between bars; drawing nothing keeps busy pages small.
        if m.count == 0 {
            continue;
        }
        let h = (m.count as f64 / peak * (PLOT - 2) as f64).max(2.0);
        let top = base as f64 - h;
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{top:.1}\" width=\"{BAR}\" height=\"{h:.1}\"><title>{}: {}</title></rect><text x=\"{centre}\" y=\"{:.1}\" class=\"value\">{}</text>",
            i * SLOT + (SLOT - BAR) / 2,
            m.name,
            m.count,
            top - 4.0,
            m.count
        );
    }
    out.push_str("</svg></div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn english() -> Words {
        Words::new(&crate::i18n::Language::parse("en").unwrap(), None).0
    }

    #[test]
    fn ukrainian_charts_count_in_ukrainian() {
        let uk = Words::new(&crate::i18n::Language::parse("uk").unwrap(), None).0;
        let view = activity(
            [d(2025, 5, 1), d(2025, 5, 2), d(2025, 6, 1)],
            Subject::Naming("Київ"),
            &uk,
        )
        .unwrap();
        assert!(
            view.summary.starts_with("Київ: 3 брифінги"),
            "{}",
            view.summary
        );
        assert!(
            view.table.contains("<th scope=\"col\">Місяць</th>"),
            "{}",
            view.table
        );
    }

    #[test]
    fn months_in_between_count_zero() {
        let view = activity(
            [d(2024, 11, 3), d(2025, 1, 9), d(2025, 1, 20)],
            Subject::Naming("Kyiv"),
            &english(),
        )
        .unwrap();
        let months = per_month([d(2024, 11, 3), d(2025, 1, 9), d(2025, 1, 20)], None);
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
        // Drawn at its own size: 12-pixel type stays 12 pixels on a phone.
        assert!(
            view.svg
                .contains("width=\"96\" height=\"122\" viewBox=\"0 0 96 122\" font-size=\"12\"")
        );
        // Every month named, every bar's count shown (not only on hover).
        let months: Vec<&str> = view
            .svg
            .split("class=\"month\">")
            .skip(1)
            .map(|t| &t[..3])
            .collect();
        assert_eq!(months, ["Nov", "Dec", "Jan"]);
        assert!(
            view.svg
                .contains("<text x=\"16\" y=\"118\" class=\"year\">2024</text>")
        );
        assert!(
            view.svg
                .contains("<text x=\"80\" y=\"118\" class=\"year\">2025</text>")
        );
        let values: Vec<&str> = view
            .svg
            .split("class=\"value\">")
            .skip(1)
            .map(|t| &t[..1])
            .collect();
        assert_eq!(values, ["1", "2"]);
    }

    #[test]
    fn one_month_reads_as_one() {
        let view = activity([d(2025, 5, 1), d(2025, 5, 2)], Subject::Archive, &english()).unwrap();
        assert_eq!(view.summary, "2 briefings, all in May 2025.");
    }

    #[test]
    fn nothing_to_chart() {
        assert!(activity([], Subject::Archive, &english()).is_none());
    }

    #[test]
    fn summary_is_escaped_in_the_label() {
        let view = activity([d(2025, 5, 1)], Subject::Naming("\"A&B\""), &english()).unwrap();
        assert!(
            view.svg.contains("naming &quot;A&amp;B&quot;"),
            "{}",
            view.svg
        );
    }
}
