//! The image engine's cost: photos of 12 megapixels (generated: ten scenes of gradients,
//! shapes and texture, each photo with grain of its own, so every photo has different
//! bytes; saved as camera-like JPEGs at quality 92) processed through the cache
//! on a fixed number of threads, first with an empty cache and then again with it full.
//! Prints images per second, the bytes of each variant, and peak memory.
//!
//!     nice cargo run --release --example media_bench -- [--photos 100] [--threads 2]
//!
//! With `--site`, the photos are the lead images of as many briefing bundles, and whole
//! `sitroom build`s run instead: the first with an empty cache, then one into a new out
//! folder with the cache full (everything rendered and copied, nothing encoded), then one
//! with nothing changed.

use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use sitroom::media::{Format, ImageCache, ImageSettings, SourceImage};

mod common;
use common::cpu_seconds;

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;

/// A cheap deterministic generator, so every run measures the same pictures.
fn hash(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ceb9fe1a85ec53);
    x ^ (x >> 33)
}

/// Sky-to-ground gradients, a few soft blobs (a scene's large shapes) and finer texture:
/// the costly part, shared by every tenth photo.
fn scene(seed: u64) -> Vec<u8> {
    let blobs: Vec<(f64, f64, f64, [f64; 3])> = (0..12)
        .map(|i| {
            let h = hash(seed * 100 + i);
            (
                (h % 4000) as f64,
                ((h >> 16) % 3000) as f64,
                200.0 + ((h >> 32) % 700) as f64,
                [
                    ((h >> 40) % 120) as f64 - 60.0,
                    ((h >> 48) % 120) as f64 - 60.0,
                    ((h >> 56) % 120) as f64 - 60.0,
                ],
            )
        })
        .collect();
    let mut data = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    data.par_chunks_mut((WIDTH * 3) as usize)
        .enumerate()
        .for_each(|(y, row)| {
            let fy = y as f64 / HEIGHT as f64;
            for x in 0..WIDTH as usize {
                let fx = x as f64 / WIDTH as f64;
                let mut c = if fy < 0.45 {
                    [120.0 + 80.0 * fy, 160.0 + 60.0 * fy, 220.0 - 40.0 * fy]
                } else {
                    [110.0 - 40.0 * fy, 100.0 - 20.0 * fx, 70.0 + 10.0 * fx]
                };
                for &(bx, by, r, tint) in &blobs {
                    let d2 = (x as f64 - bx).powi(2) + (y as f64 - by).powi(2);
                    if d2 < 9.0 * r * r {
                        let w = (-d2 / (r * r)).exp();
                        for k in 0..3 {
                            c[k] += tint[k] * w;
                        }
                    }
                }
                let texture = ((x as f64 * 0.05).sin() * (y as f64 * 0.043).cos()) * 12.0 * fy;
                for k in 0..3 {
                    row[x * 3 + k] = (c[k] + texture).clamp(0.0, 255.0) as u8;
                }
            }
        });
    data
}

/// A scene with sensor grain of its own, saved as a camera would (JPEG quality 92, 4:2:2):
/// compresses about as a real photo does, unlike pure noise or flat colour.
fn photo(scene: &[u8], seed: u64) -> Vec<u8> {
    let data: Vec<u8> = scene
        .par_iter()
        .enumerate()
        .map(|(i, &v)| {
            let grain = (hash(seed << 32 | i as u64) % 13) as i16 - 6;
            (i16::from(v) + grain).clamp(0, 255) as u8
        })
        .collect();
    let mut jpeg = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 92);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_1);
    // Width and height are constants well under 65,535.
    encoder
        .encode(
            &data,
            WIDTH as u16,
            HEIGHT as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("encoding a generated photo");
    jpeg
}

/// A briefing bundle whose lead image is the photo; returns where the photo goes.
fn bundle(briefings: &std::path::Path, i: usize) -> std::io::Result<PathBuf> {
    let dir = briefings.join(format!("photo-{i:03}"));
    fs::create_dir_all(&dir)?;
    fs::write(
        dir.join("index.md"),
        format!(
            "---\ntitle: Photo {i}\ndate: 2025-05-{:02}\nimage:\n  src: photo.jpg\n  alt: A generated picture\n  credit: Generated\nsources:\n  - title: S\n    url: https://example.org/\n---\nA briefing with a photo.\n",
            i % 28 + 1
        ),
    )?;
    Ok(dir.join("photo.jpg"))
}

/// Whole builds of the archive at `root`: empty cache, full cache into a new out folder,
/// nothing changed. Prints each one's time, images encoded and files.
fn builds(
    root: &std::path::Path,
    photos: usize,
    threads: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    fs::write(
        root.join("site.yaml"),
        "title: Bench\nbase_url: https://example.org/\nlanguage: en\n",
    )?;
    let runs = [
        ("first build (empty cache)", "public"),
        ("build, cache full", "public-2"),
        ("build, nothing changed", "public-2"),
    ];
    for (run, out) in runs {
        let mut options = sitroom::BuildOptions::new(root);
        options.out = Some(root.join(out));
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let report = sitroom::build(&options)?;
        let wall = wall.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu;
        println!(
            "{run:<26} {wall:>7.2} s wall {cpu:>7.2} s CPU  {} encoded  {} files  {:.2} photos/s on {threads} threads",
            report.encoded_images.len(),
            report.files,
            photos as f64 / wall
        );
    }
    let mut sizes: std::collections::BTreeMap<String, (u64, usize)> = Default::default();
    for entry in walk(&root.join("public/briefings")) {
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if let Some(variant) = name.strip_prefix("photo-") {
            let item = sizes.entry(variant.to_string()).or_default();
            item.0 += fs::metadata(&entry)?.len();
            item.1 += 1;
        }
    }
    println!("bytes per published variant (mean over {photos} photos):");
    for (variant, (total, n)) in &sizes {
        println!(
            "  {variant:<12} {:>8.1} kB  ({n} files)",
            *total as f64 / *n as f64 / 1e3
        );
    }
    println!("peak memory {:.0} MB", peak_memory_mb());
    Ok(())
}

/// Every file below `dir`.
fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        match path.is_dir() {
            true => files.extend(walk(&path)),
            false => files.push(path),
        }
    }
    files
}

fn peak_memory_mb() -> f64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let photos = arg("--photos", 100);
    let threads = arg("--threads", 2);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()?;
    let site = std::env::args().any(|a| a == "--site");
    let root = tempfile::tempdir()?;
    let dir = root.path().join("content/briefings");
    fs::create_dir_all(&dir)?;

    let started = Instant::now();
    let mut sources = Vec::new();
    let mut source_bytes = 0;
    let scenes: Vec<Vec<u8>> = (0..photos.min(10)).map(|i| scene(i as u64)).collect();
    for i in 0..photos {
        let bytes = photo(&scenes[i % scenes.len()], i as u64);
        source_bytes += bytes.len();
        let path: PathBuf = match site {
            true => bundle(&dir, i)?,
            false => dir.join(format!("photo-{i:03}.jpg")),
        };
        fs::write(&path, &bytes)?;
        sources.push(SourceImage {
            name: path.strip_prefix(root.path())?.to_path_buf(),
            path,
        });
    }
    println!(
        "{photos} photos of {WIDTH} × {HEIGHT} generated in {:.1} s, {:.1} MB of JPEG ({:.0} kB each)",
        started.elapsed().as_secs_f64(),
        source_bytes as f64 / 1e6,
        source_bytes as f64 / photos.max(1) as f64 / 1e3
    );

    drop(scenes);
    // From here on, peak memory is that of processing alone (Linux: resets VmHWM).
    let _ = fs::write("/proc/self/clear_refs", "5");

    if site {
        return builds(root.path(), photos, threads);
    }
    let cache = ImageCache::new(root.path());
    let settings = ImageSettings::default();
    let mut batches = Vec::new();
    for run in ["first run (empty cache)", "cached run"] {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let batch = cache.process(&sources, &settings)?;
        let wall = wall.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu;
        println!(
            "{run:<24} {wall:>7.2} s wall {cpu:>7.2} s CPU  {} encoded  {:.2} images/s on {threads} threads",
            batch.encoded.len(),
            photos as f64 / wall
        );
        batches.push(batch);
    }

    // Bytes per variant, averaged over the photos.
    let mut sizes: std::collections::BTreeMap<(u32, &str), (u64, usize)> = Default::default();
    for image in batches[0].images.iter().flatten() {
        for v in &image.variants {
            let name = match v.format {
                Format::Jpeg => "jpeg",
                Format::Png => "png",
                Format::WebP => "webp",
            };
            let entry = sizes.entry((v.width, name)).or_default();
            entry.0 += v.len;
            entry.1 += 1;
        }
    }
    println!("bytes per variant (mean over {photos} photos):");
    for ((width, format), (total, n)) in &sizes {
        println!(
            "  {width:>5} px {format:<5} {:>8.1} kB  ({n} files)",
            *total as f64 / *n as f64 / 1e3
        );
    }
    println!("peak memory while processing {:.0} MB", peak_memory_mb());
    Ok(())
}
