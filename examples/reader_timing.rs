//! Times the reader features' whole-archive passes on a site, apart from the rest of the
//! build: `cargo run --release --example reader_timing -- /tmp/c10k`. Prints medians of 3.

use std::time::{Duration, Instant};

use sitroom::model::Site;
use sitroom::render::{autolink::Autolinker, markdown, search};

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

fn time<T>(f: impl Fn() -> T) -> (Duration, T) {
    let mut runs = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let started = Instant::now();
        last = Some(f());
        runs.push(started.elapsed());
    }
    (median(runs), last.expect("three runs"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let site: Site =
        sitroom::load_site(&sitroom::BuildOptions::new(&root)).map_err(|e| e.to_string())?;
    let (took, index) = time(|| search::build(&site));
    let term_bytes: usize = index.terms.iter().map(Vec::len).sum();
    println!(
        "search index: {:.2} s for {} briefings; {} term shards, {:.1} MB of terms, index.json {:.0} KB",
        took.as_secs_f64(),
        site.briefings.len(),
        index.terms.len(),
        term_bytes as f64 / 1e6,
        index.index.len() as f64 / 1e3
    );
    let (took, linker) = time(|| Autolinker::new(&site, |id| format!("/e/{}/", id.0)));
    println!(
        "auto-link automaton over {} names: {:.3} s",
        site.names.len(),
        took.as_secs_f64()
    );
    let bodies: Vec<String> = site
        .briefings
        .iter()
        .map(|b| markdown::render(b.body(), &NoLinks).html)
        .collect();
    let (took, links) = time(|| {
        bodies
            .iter()
            .map(|html| linker.link(html).matches("class=\"autolink\"").count())
            .sum::<usize>()
    });
    println!(
        "auto-linking every body (one thread): {:.2} s, {links} links",
        took.as_secs_f64()
    );
    Ok(())
}
