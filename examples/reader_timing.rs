//! Times the reader features' whole-archive passes on a site, apart from the rest of the
//! build: `cargo run --release --example reader_timing -- /tmp/c10k`. Prints medians of 3.

use std::time::{Duration, Instant};

use sitroom::model::Site;
use sitroom::render::{autolink::Autolinker, markdown, search};

mod common;
use common::cpu_seconds;

struct NoLinks;
impl markdown::LinkTargets for NoLinks {
    fn briefing(&self, _slug: &str) -> Option<(String, String)> {
        Some((String::new(), String::new()))
    }
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Median wall time of three runs, and the median CPU time.
fn time<T>(f: impl Fn() -> T) -> ((Duration, f64), T) {
    let mut runs = Vec::new();
    let mut cpu = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let (started, cpu_before) = (Instant::now(), cpu_seconds());
        last = Some(f());
        runs.push(started.elapsed());
        cpu.push(cpu_seconds() - cpu_before);
    }
    cpu.sort_by(f64::total_cmp);
    ((median(runs), cpu[1]), last.expect("three runs"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let site: Site =
        sitroom::load_site(&sitroom::BuildOptions::new(&root)).map_err(|e| e.to_string())?;
    let ((wall, cpu), index) = time(|| search::build(&site, None));
    let term_bytes: usize = index.terms.iter().map(Vec::len).sum();
    let mention_bytes: usize = index.mentions.iter().map(Vec::len).sum();
    println!(
        "search index: {:.2} s wall, {cpu:.2} s CPU for {} briefings; {} term shards, {:.1} MB of terms, {:.1} MB of mentions, {} typo buckets, index.json {:.0} KB",
        wall.as_secs_f64(),
        site.briefings.len(),
        index.terms.len(),
        term_bytes as f64 / 1e6,
        mention_bytes as f64 / 1e6,
        index.near.len(),
        index.index.len() as f64 / 1e3
    );
    let ((wall, cpu), bytes) = time(|| {
        site.briefings
            .iter()
            .map(|b| search::doc(&site, b, "1 January 2025").len())
            .sum::<usize>()
    });
    println!(
        "search docs (one thread): {:.2} s wall, {cpu:.2} s CPU, {:.1} MB",
        wall.as_secs_f64(),
        bytes as f64 / 1e6
    );
    let ((wall, cpu), linker) = time(|| Autolinker::new(&site, |id| format!("/e/{}/", id.0)));
    println!(
        "auto-link automaton over {} names: {:.3} s wall, {cpu:.2} s CPU",
        site.names.len(),
        wall.as_secs_f64()
    );
    let bodies: Vec<String> = site
        .briefings
        .iter()
        .map(|b| markdown::render(b.body(), &NoLinks).html)
        .collect();
    let ((wall, cpu), links) = time(|| {
        bodies
            .iter()
            .map(|html| linker.link(html).matches("class=\"autolink\"").count())
            .sum::<usize>()
    });
    println!(
        "auto-linking every body (one thread): {:.2} s wall, {cpu:.2} s CPU, {links} links",
        wall.as_secs_f64()
    );
    Ok(())
}
