//! The media engine on real files: fixture images with planted metadata (made by
//! `tests/fixtures/media/make_fixtures.py`) go through the cache in a temp folder, and
//! every published byte is searched for what was planted. Maps are checked for their
//! structure, their text alternative and their determinism.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fs;
use std::path::{Path, PathBuf};

use sitroom::media::cache::ImageProblem;
use sitroom::media::images::{self, ImageError, ImageSettings};
use sitroom::media::maps::{self, Coordinates, MapPlace};
use sitroom::media::{Format, ImageCache, SourceImage, attachments};

/// Counts the bytes allocated on the current thread, to show that a decompression bomb is
/// refused before its pixels are allocated.
struct Counting;

thread_local! {
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: passes every call through to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get() + layout.size()));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/media")
        .join(name)
}

fn source(name: &str) -> SourceImage {
    SourceImage {
        path: fixture(name),
        name: PathBuf::from("content/briefings/x").join(name),
    }
}

const PLANTED: [&str; 3] = ["oriented-gps.jpg", "text-chunks.png", "planted.webp"];

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The segment markers of a JPEG up to the start of the scan.
fn jpeg_segments(bytes: &[u8]) -> Vec<u8> {
    let mut markers = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xff {
        let marker = bytes[at + 1];
        markers.push(marker);
        if marker == 0xda {
            break;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        at += 2 + len;
    }
    markers
}

fn png_chunks(bytes: &[u8]) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        chunks.push(String::from_utf8_lossy(&bytes[at + 4..at + 8]).into_owned());
        at += 12 + len;
    }
    chunks
}

fn riff_chunks(bytes: &[u8]) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        chunks.push(String::from_utf8_lossy(&bytes[at..at + 4]).into_owned());
        at += 8 + len + (len & 1);
    }
    chunks
}

#[test]
fn the_fixtures_do_carry_what_was_planted() {
    // Otherwise the test below would prove nothing.
    for name in ["oriented-gps.jpg", "planted.webp", "text-chunks.png"] {
        let bytes = fs::read(fixture(name)).unwrap();
        assert!(contains(&bytes, b"PLANTED"), "{name}");
    }
    let jpeg = fs::read(fixture("oriented-gps.jpg")).unwrap();
    assert!(contains(&jpeg, b"PLANTED-SERIAL-4417"));
    assert!(contains(&jpeg, b"Photoshop 3.0"), "IPTC");
    assert!(contains(&jpeg, b"http://ns.adobe.com/xap/1.0/"), "XMP");
    let segments = jpeg_segments(&jpeg);
    assert!(segments.contains(&0xfe), "comment: {segments:x?}");
    let png = fs::read(fixture("text-chunks.png")).unwrap();
    let chunks = png_chunks(&png);
    for kind in ["tEXt", "iTXt", "zTXt", "eXIf"] {
        assert!(chunks.iter().any(|c| c == kind), "{kind}: {chunks:?}");
    }
    let webp = riff_chunks(&fs::read(fixture("planted.webp")).unwrap());
    assert!(webp.iter().any(|c| c == "EXIF") && webp.iter().any(|c| c == "XMP "));
}

#[test]
fn no_published_variant_carries_metadata() {
    let root = tempfile::tempdir().unwrap();
    let cache = ImageCache::new(root.path());
    let sources: Vec<SourceImage> = PLANTED.iter().map(|n| source(n)).collect();
    let batch = cache.process(&sources, &ImageSettings::default()).unwrap();
    let mut seen = 0;
    for image in &batch.images {
        let image = image.as_ref().unwrap();
        assert!(!image.variants.is_empty());
        for v in &image.variants {
            seen += 1;
            let bytes = fs::read(&v.path).unwrap();
            assert_eq!(bytes.len() as u64, v.len);
            for needle in [
                &b"PLANTED"[..],
                b"Exif\0\0",
                b"http://ns.adobe.com",
                b"Photoshop 3.0",
                b"ICC_PROFILE",
                b"xmpmeta",
            ] {
                assert!(
                    !contains(&bytes, needle),
                    "{} {}w {:?} holds {:?}",
                    image.name.display(),
                    v.width,
                    v.format,
                    String::from_utf8_lossy(needle)
                );
            }
            match v.format {
                Format::Jpeg => {
                    // SOI's successor: JFIF APP0, tables, frame, scan; no APP1 (EXIF, XMP),
                    // APP2 (ICC), APP13 (IPTC) or COM.
                    let segments = jpeg_segments(&bytes);
                    assert!(
                        segments
                            .iter()
                            .all(|m| matches!(m, 0xe0 | 0xdb | 0xc4 | 0xc0..=0xc2 | 0xda | 0xdd)),
                        "{segments:x?}"
                    );
                }
                Format::Png => {
                    let chunks = png_chunks(&bytes);
                    assert!(
                        chunks
                            .iter()
                            .all(|c| ["IHDR", "IDAT", "IEND"].contains(&c.as_str())),
                        "{chunks:?}"
                    );
                }
                Format::WebP => {
                    let chunks = riff_chunks(&bytes);
                    assert!(
                        chunks
                            .iter()
                            .all(|c| ["VP8 ", "VP8L", "VP8X", "ALPH"].contains(&c.as_str())),
                        "{chunks:?}"
                    );
                    // VP8X flags: ICC 0x20, EXIF 0x08, XMP 0x04.
                    if let Some(at) = bytes.windows(4).position(|w| w == b"VP8X") {
                        assert_eq!(bytes[at + 8] & 0x2c, 0);
                    }
                }
            }
        }
    }
    assert!(seen >= 3);
}

#[test]
fn orientation_6_comes_out_upright() {
    let root = tempfile::tempdir().unwrap();
    let cache = ImageCache::new(root.path());
    let batch = cache
        .process(&[source("oriented-gps.jpg")], &ImageSettings::default())
        .unwrap();
    let image = batch.images[0].as_ref().unwrap();
    // Stored 240 × 120; upright it is portrait.
    assert_eq!((image.width, image.height), (120, 240));
    for v in &image.variants {
        assert_eq!((v.width, v.height), (120, 240));
        let decoded = image::load_from_memory(&fs::read(&v.path).unwrap())
            .unwrap()
            .to_rgb8();
        assert_eq!(decoded.dimensions(), (120, 240));
        let top = decoded.get_pixel(60, 40).0;
        let bottom = decoded.get_pixel(60, 200).0;
        assert!(top[0] > 150 && top[2] < 100, "top should be red: {top:?}");
        assert!(
            bottom[2] > 150 && bottom[0] < 100,
            "bottom should be blue: {bottom:?}"
        );
    }
}

#[test]
fn a_photo_gets_a_jpeg_and_a_smaller_webp_a_transparent_picture_a_png() {
    let root = tempfile::tempdir().unwrap();
    let cache = ImageCache::new(root.path());
    let batch = cache
        .process(
            &[source("planted.webp"), source("text-chunks.png")],
            &ImageSettings::default(),
        )
        .unwrap();
    let photo = batch.images[0].as_ref().unwrap();
    assert_eq!(photo.fallback().unwrap().format, Format::Jpeg);
    assert_eq!(photo.fallback().unwrap().width, 200);
    let jpeg = photo.fallbacks().next().unwrap();
    if let Some(webp) = photo.webps().next() {
        assert!(webp.len < jpeg.len);
    }
    let transparent = batch.images[1].as_ref().unwrap();
    assert_eq!(transparent.fallback().unwrap().format, Format::Png);
    let decoded = image::open(&transparent.fallback().unwrap().path).unwrap();
    assert!(decoded.color().has_alpha());
    assert_eq!(decoded.to_rgba8().get_pixel(60, 10).0[3], 90);
}

#[test]
fn bad_images_fail_with_the_promised_errors_and_write_nothing() {
    let root = tempfile::tempdir().unwrap();
    let cache = ImageCache::new(root.path());
    let names = [
        "not-an-image.jpg",
        "truncated.jpg",
        "bomb-20000.png",
        "bomb-pixels.jpg",
    ];
    let sources: Vec<SourceImage> = names.iter().map(|n| source(n)).collect();
    let batch = cache.process(&sources, &ImageSettings::default()).unwrap();
    let problems: Vec<&ImageProblem> = batch
        .images
        .iter()
        .map(|r| r.as_ref().expect_err("should fail"))
        .collect();
    assert_eq!(problems[0].error, ImageError::Unsupported);
    assert!(
        matches!(problems[1].error, ImageError::Undecodable(_)),
        "{:?}",
        problems[1].error
    );
    assert!(matches!(
        problems[2].error,
        ImageError::TooLarge {
            width: 20000,
            height: 20000,
            ..
        }
    ));
    assert!(matches!(
        problems[3].error,
        ImageError::TooLarge {
            width: 15000,
            height: 15000,
            ..
        }
    ));
    for (problem, name) in problems.iter().zip(names) {
        let message = problem.to_string();
        assert!(
            message.starts_with(&format!("`content/briefings/x/{name}`")),
            "{message}"
        );
    }
    assert_eq!(
        problems[2].to_string(),
        "`content/briefings/x/bomb-20000.png` is 20000 × 20000 pixels, more than sitroom accepts"
    );
    assert!(problems[2].error.help().contains("16384 px a side"));
    assert!(batch.encoded.is_empty());
    assert_eq!(files_in(&cache.dir().to_path_buf()), Vec::<PathBuf>::new());
}

#[test]
fn a_decompression_bomb_is_refused_before_its_pixels_are_allocated() {
    let settings = ImageSettings::default();
    for name in ["bomb-20000.png", "bomb-pixels.jpg"] {
        let bytes = fs::read(fixture(name)).unwrap();
        let before = ALLOCATED.with(Cell::get);
        let result = images::decode(&bytes, &settings);
        let allocated = ALLOCATED.with(Cell::get) - before;
        assert!(matches!(result, Err(ImageError::TooLarge { .. })), "{name}");
        // 20,000 × 20,000 RGB would be 1.2 GB; the refusal costs a few kilobytes.
        assert!(allocated < 1 << 20, "{name}: {allocated} bytes allocated");
    }
}

/// Every file under `dir`, relative to it, sorted, leaving out empty folders.
fn files_in(dir: &PathBuf) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_cache_makes_a_second_run_encode_nothing() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("site.yaml"), "title: x\n").unwrap();
    let before = files_in(&root.path().to_path_buf());
    let cache = ImageCache::new(root.path());
    let sources: Vec<SourceImage> = PLANTED.iter().map(|n| source(n)).collect();
    let settings = ImageSettings::default();

    let first = cache.process(&sources, &settings).unwrap();
    let mut names: Vec<PathBuf> = sources.iter().map(|s| s.name.clone()).collect();
    names.sort();
    assert_eq!(first.encoded, names);

    let second = cache.process(&sources, &settings).unwrap();
    assert!(second.encoded.is_empty(), "{:?}", second.encoded);
    let images = |b: &sitroom::media::Batch| {
        b.images
            .iter()
            .map(|r| r.as_ref().unwrap().clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(images(&first), images(&second));

    // Only the cache folder was written.
    let after: Vec<PathBuf> = files_in(&root.path().to_path_buf())
        .into_iter()
        .filter(|p| !p.starts_with(".sitroom-cache"))
        .collect();
    assert_eq!(before, after);
    let top = root.path().join(".sitroom-cache");
    assert!(top.join("CACHEDIR.TAG").is_file());
    assert_eq!(fs::read_to_string(top.join(".gitignore")).unwrap(), "*\n");

    // A damaged entry is thrown away and that image alone is encoded again.
    let damaged = &second.images[1].as_ref().unwrap().variants[0].path;
    fs::write(damaged, b"not what was stored").unwrap();
    let third = cache.process(&sources, &settings).unwrap();
    assert_eq!(third.encoded, vec![sources[1].name.clone()]);
    assert_eq!(images(&third), images(&first));

    // So is one whose manifest is unreadable.
    let entry = damaged.parent().unwrap();
    fs::write(entry.join("manifest"), [0xff, 0xfe, 0x00]).unwrap();
    let fourth = cache.process(&sources, &settings).unwrap();
    assert_eq!(fourth.encoded, vec![sources[1].name.clone()]);

    // Other settings are other entries.
    let other = ImageSettings {
        jpeg_quality: 70,
        ..settings.clone()
    };
    assert_eq!(cache.process(&sources, &other).unwrap().encoded.len(), 3);
    // ... and pruning to the current images removes the old ones.
    let current = cache.process(&sources, &other).unwrap();
    let keys: Vec<&str> = current
        .images
        .iter()
        .map(|r| r.as_ref().unwrap().key.as_str())
        .collect();
    assert_eq!(cache.prune(&keys).unwrap(), 3);
    assert!(cache.process(&sources, &other).unwrap().encoded.is_empty());
}

#[cfg(unix)]
#[test]
fn a_cache_folder_that_is_a_link_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), root.path().join(".sitroom-cache")).unwrap();
    let cache = ImageCache::new(root.path());
    let error = cache
        .process(&[source("planted.webp")], &ImageSettings::default())
        .unwrap_err();
    assert!(
        sitroom::error::report(&error).contains("not a folder"),
        "{error}"
    );
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

/// Where exiftool is installed, it finds nothing in any variant:
/// `cargo test --test media -- --ignored`.
#[test]
#[ignore = "needs exiftool"]
fn exiftool_finds_no_metadata_in_any_variant() {
    let root = tempfile::tempdir().unwrap();
    let cache = ImageCache::new(root.path());
    let sources: Vec<SourceImage> = PLANTED.iter().map(|n| source(n)).collect();
    let batch = cache.process(&sources, &ImageSettings::default()).unwrap();
    for image in &batch.images {
        for v in &image.as_ref().unwrap().variants {
            let out = std::process::Command::new("exiftool")
                .args(["-j", "-a", "-G1"])
                .arg(&v.path)
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            for group in [
                "\"GPS:",
                "\"IFD0:",
                "\"ExifIFD:",
                "\"XMP",
                "\"IPTC:",
                "\"ICC",
                "Comment",
                "PLANTED",
            ] {
                assert!(!text.contains(group), "{}: {text}", v.path.display());
            }
        }
    }
}

#[test]
fn attachments_that_name_their_author_are_found() {
    let statement = fs::read(fixture("statement.pdf")).unwrap();
    let names = attachments::authors(Path::new("statement.pdf"), &statement);
    assert!(
        names.contains(&"PLANTED PDF Author".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"PLANTED PDF XMP creator".to_string()),
        "{names:?}"
    );
    let clean = fs::read(fixture("clean.pdf")).unwrap();
    assert!(attachments::authors(Path::new("clean.pdf"), &clean).is_empty());
}

#[test]
fn svg_in_the_html_sanitizer() {
    // What `sanitize_html: true` does to an SVG file today: ammonia is an HTML sanitizer
    // with no SVG elements on its list, so it keeps only the text. An SVG attachment
    // needs its own allow-list (or an XML-aware cleaner) before it can be published
    // cleaned; until then it must be published as it is or refused.
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><script>alert(1)</script><rect width=\"10\" height=\"10\" onclick=\"x()\"/><text x=\"1\" y=\"5\">Kyiv</text></svg>";
    let cleaned = sitroom::render::sanitize::clean(svg);
    assert!(!cleaned.contains("script") && !cleaned.contains("onclick"));
    assert!(!cleaned.contains("<svg"), "{cleaned}");
}

// ----- maps -----

fn place(name: &str, lat: f64, lon: f64, count: usize) -> MapPlace {
    MapPlace {
        name: name.to_string(),
        at: Coordinates::new(lat, lon).unwrap(),
        count,
    }
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"))
}

fn count(doc: &roxmltree::Document, tag: &str) -> usize {
    doc.descendants()
        .filter(|n| n.tag_name().name() == tag)
        .count()
}

#[test]
fn a_place_map_is_an_accessible_image() {
    let map = maps::place_map(&place("Istanbul", 41.0082, 28.9784, 3));
    let doc = parse(&map.svg);
    let svg = doc.root_element();
    assert_eq!(svg.tag_name().name(), "svg");
    assert_eq!(svg.attribute("role"), Some("img"));
    assert_eq!(svg.attribute("aria-label"), Some("Map of Istanbul"));
    assert_eq!(svg.attribute("viewBox"), Some("0 0 640 400"));
    let title = svg.first_element_child().unwrap();
    assert_eq!(title.tag_name().name(), "title");
    assert_eq!(title.text(), Some("Map of Istanbul"));
    assert_eq!(count(&doc, "circle"), 1);
    assert!(map.alt.contains("41.01° N, 28.98° E"), "{}", map.alt);
    assert!(map.alt.contains("Turkey"), "{}", map.alt);
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "text")
        .filter_map(|n| n.text())
        .collect();
    assert!(texts.contains(&"Istanbul"), "{texts:?}");
    assert!(texts.contains(&"Turkey"), "{texts:?}");
    assert!(count(&doc, "path") > 3, "neighbours are drawn");
    assert!(!map.svg.contains("<script") && !map.svg.contains("href"));
    assert!(map.svg.len() < 60_000, "{} bytes", map.svg.len());
}

#[test]
fn maps_are_deterministic_and_ignore_input_order() {
    let places = vec![
        place("Kyiv", 50.45, 30.52, 14),
        place("Istanbul", 41.01, 28.98, 3),
        place("Kharkiv", 49.99, 36.23, 7),
        place("Brussels", 50.85, 4.35, 2),
    ];
    let a = maps::overview_map(&places).unwrap();
    let mut reversed = places.clone();
    reversed.reverse();
    let b = maps::overview_map(&reversed).unwrap();
    assert_eq!(a, b);
    assert_eq!(a, maps::overview_map(&places).unwrap());
    let doc = parse(&a.svg);
    assert_eq!(count(&doc, "circle"), 4);
    assert_eq!(
        doc.root_element().attribute("aria-label"),
        Some("Map of 4 places")
    );
    assert!(
        a.alt
            .contains("Kyiv (14), Kharkiv (7), Istanbul (3), Brussels (2)"),
        "{}",
        a.alt
    );
    // The marker of the place with most briefings is the largest.
    let radii: Vec<f64> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "circle")
        .map(|n| n.attribute("r").unwrap().parse().unwrap())
        .collect();
    assert!(radii[0] > radii[3], "{radii:?}");
}

#[test]
fn a_locator_map_names_its_places() {
    let places = [
        place("Istanbul", 41.01, 28.98, 1),
        place("Ankara", 39.93, 32.86, 1),
    ];
    let map = maps::locator_map(&places).unwrap();
    let doc = parse(&map.svg);
    assert_eq!(
        doc.root_element().attribute("aria-label"),
        Some("Map of Istanbul and Ankara")
    );
    assert_eq!(doc.root_element().attribute("viewBox"), Some("0 0 320 229"));
    assert_eq!(count(&doc, "circle"), 2);
    assert!(
        map.alt.contains("Ankara (39.93° N, 32.86° E, in Turkey)"),
        "{}",
        map.alt
    );
    assert!(maps::locator_map(&[]).is_none());
    assert!(maps::overview_map(&[]).is_none());
}

#[test]
fn regions_across_the_antimeridian_and_the_whole_world_draw() {
    let pacific = [
        place("Anadyr", 64.73, 177.5, 1),
        place("Nome", 64.5, -165.4, 1),
    ];
    let map = maps::locator_map(&pacific).unwrap();
    let doc = parse(&map.svg);
    let xs: Vec<f64> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "circle")
        .map(|n| n.attribute("cx").unwrap().parse().unwrap())
        .collect();
    // Both on the picture, a short distance apart, rather than at its two ends.
    assert!(xs.iter().all(|x| (0.0..=320.0).contains(x)), "{xs:?}");
    assert!((xs[0] - xs[1]).abs() < 250.0, "{xs:?}");
    assert!(count(&doc, "path") >= 2, "Russia and the United States");

    let world = [
        place("Kyiv", 50.45, 30.52, 1),
        place("Washington", 38.9, -77.04, 1),
        place("Beijing", 39.9, 116.4, 1),
        place("Sydney", -33.87, 151.21, 1),
    ];
    let map = maps::overview_map(&world).unwrap();
    let doc = parse(&map.svg);
    assert_eq!(count(&doc, "circle"), 4);
    // The coarse outlines keep a world map small.
    assert!(map.svg.len() < 120_000, "{} bytes", map.svg.len());
}

#[test]
fn names_are_escaped() {
    let map = maps::place_map(&place("Tom & \"Jerry\" <Town>", 48.0, 37.8, 1));
    let doc = parse(&map.svg);
    assert_eq!(
        doc.root_element().attribute("aria-label"),
        Some("Map of Tom & \"Jerry\" <Town>")
    );
}

/// Writes the maps as SVG files to look at: `MAPS_OUT=/tmp/maps cargo test --test media
/// -- --ignored write_maps`.
#[test]
#[ignore = "writes files for a person to look at"]
fn write_maps() {
    let Ok(out) = std::env::var("MAPS_OUT") else {
        return;
    };
    fs::create_dir_all(&out).unwrap();
    let ukraine = [
        place("Kyiv", 50.45, 30.52, 14),
        place("Kharkiv", 49.99, 36.23, 7),
        place("Odesa", 46.48, 30.72, 5),
        place("Lviv", 49.84, 24.03, 3),
        place("Istanbul", 41.01, 28.98, 3),
        place("Ankara", 39.93, 32.86, 1),
        place("Brussels", 50.85, 4.35, 2),
    ];
    let pacific = [
        place("Anadyr", 64.73, 177.5, 1),
        place("Nome", 64.5, -165.4, 1),
    ];
    let maps = [
        ("place", maps::place_map(&ukraine[0])),
        ("overview", maps::overview_map(&ukraine).unwrap()),
        ("locator", maps::locator_map(&ukraine[4..6]).unwrap()),
        ("pacific", maps::locator_map(&pacific).unwrap()),
        (
            "world",
            maps::overview_map(&[
                place("Kyiv", 50.45, 30.52, 9),
                place("Washington", 38.9, -77.04, 3),
                place("Beijing", 39.9, 116.4, 2),
                place("Sydney", -33.87, 151.21, 1),
                place("McMurdo", -77.85, 166.67, 1),
            ])
            .unwrap(),
        ),
    ];
    for (name, map) in maps {
        fs::write(Path::new(&out).join(format!("{name}.svg")), &map.svg).unwrap();
        println!("{name}: {} bytes", map.svg.len());
    }
}
