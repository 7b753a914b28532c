//! What the theme's words cost per language: making one language's `Words` (tables,
//! plural rules, date formatters), then formatting dates, months and counts as a build of
//! 10,000 briefings would. `cargo run --release --example i18n_timing`.

use std::hint::black_box;
use std::time::Instant;

use sitroom::i18n::{Key, Language, Words};

mod common;
use common::cpu_seconds;

/// Formatting is repeated this many times over so the figure is above the CPU clock's
/// 10 ms tick; it is reported per 10,000.
const ROUNDS: usize = 10;
const DATES: usize = 10_000;

fn timed(f: impl FnOnce()) -> (f64, f64) {
    let (started, cpu) = (Instant::now(), cpu_seconds());
    f();
    (started.elapsed().as_secs_f64(), cpu_seconds() - cpu)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = jiff::civil::date(1998, 1, 1);
    let dates: Vec<jiff::civil::Date> = (0..DATES as i64)
        .map(|i| start.checked_add(jiff::Span::new().days(i)))
        .collect::<Result<_, _>>()?;
    println!("per language; dates, months and counts per {DATES}, averaged over {ROUNDS} rounds");
    let (wall, cpu) = timed(|| {
        for _ in 0..ROUNDS {
            for &date in &dates {
                black_box(date.strftime("%-d %B %Y").to_string());
            }
        }
    });
    println!(
        "before languages (jiff `%-d %B %Y`): {DATES} days {:.1} ms wall ({:.1} ms CPU)",
        wall * 1e3 / ROUNDS as f64,
        cpu * 1e3 / ROUNDS as f64
    );
    for code in ["en", "uk", "ru", "ar"] {
        let language = Language::parse(code)?;
        let mut words = None;
        let (setup, _) = timed(|| words = Some(Words::new(&language, None).0));
        let words = words.ok_or("no words")?;
        let per = |(wall, cpu): (f64, f64)| (wall * 1e3 / ROUNDS as f64, cpu * 1e3 / ROUNDS as f64);
        let day = per(timed(|| {
            for _ in 0..ROUNDS {
                for &date in &dates {
                    black_box(words.date(date));
                }
            }
        }));
        let month = per(timed(|| {
            for _ in 0..ROUNDS {
                for &date in &dates {
                    black_box(words.month(date.year(), date.month()));
                }
            }
        }));
        let count = per(timed(|| {
            for _ in 0..ROUNDS {
                for n in 0..DATES as u64 {
                    black_box(words.count(Key::BriefingCount, n, &[]));
                }
            }
        }));
        println!(
            "{code}: Words::new {:.2} ms; {DATES} days {:.1} ms wall ({:.1} ms CPU); months {:.1} ms ({:.1}); counts {:.1} ms ({:.1})",
            setup * 1e3,
            day.0,
            day.1,
            month.0,
            month.1,
            count.0,
            count.1
        );
    }
    Ok(())
}
