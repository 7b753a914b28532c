//! Where a build's time goes, stage by stage, without writing anything: load, resolve,
//! renderer set-up, then rendering each kind of page, all on one thread so the figures add
//! up and compare across archive sizes. `cargo run --release --example stage_timing -- DIR`.

use std::collections::BTreeMap;
use std::time::Instant;

use sitroom::render::{Renderer, Route};

mod common;
use common::cpu_seconds;

fn stage<T>(name: &str, briefings: usize, f: impl FnOnce() -> T) -> T {
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let value = f();
    let cpu = cpu_seconds() - cpu;
    let wall = started.elapsed().as_secs_f64();
    if briefings == 0 {
        println!("{name:<28} {wall:>8.2} s wall {cpu:>8.2} s CPU");
    } else {
        let per = cpu * 1e6 / briefings as f64;
        println!("{name:<28} {wall:>8.2} s wall {cpu:>8.2} s CPU {per:>8.1} µs CPU per briefing");
    }
    value
}

/// A route's kind, for grouping: the variant name without its fields.
fn kind(route: &Route) -> String {
    let text = format!("{route:?}");
    text.split([' ', '(', '{']).next().unwrap_or("").to_string()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // One thread: the figures then add up, and CPU per briefing compares across sizes.
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()?;
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let options = sitroom::BuildOptions::new(&root);
    let (config, content) =
        stage("load", 0, || sitroom::load_inputs(&options)).map_err(|e| e.to_string())?;
    let n = content.briefings.len();
    println!("{n} briefings");
    let site = stage("resolve", n, || sitroom::graph::resolve(content, config))
        .map_err(|e| format!("{e:?}"))?;
    let renderer =
        stage("renderer set-up", n, || Renderer::new(&site)).map_err(|e| format!("{e:?}"))?;
    let routes = stage("search index, routes", n, || renderer.routes());
    let mut groups: BTreeMap<String, Vec<Route>> = BTreeMap::new();
    for route in routes {
        groups.entry(kind(&route)).or_default().push(route);
    }
    for (name, routes) in &groups {
        let bytes = stage(&format!("render {name} ({})", routes.len()), n, || {
            routes
                .iter()
                .map(|&r| renderer.render(r).map_or(0, |p| p.bytes.len()))
                .sum::<usize>()
        });
        println!("{:<28} {:>8.1} MB written", "", bytes as f64 / 1e6);
    }
    Ok(())
}
