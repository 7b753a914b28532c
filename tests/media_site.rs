//! Media through a whole build (#13): a briefing bundle holding the fixture images with
//! planted metadata, built under a sub-path. No published byte carries what was planted,
//! pages get `srcset`, sizes and lazy loading, the lead image is the page's `og:image`, the
//! attachment is published and linked; bad images fail the build with nothing written; the
//! cache makes a second build encode nothing; places with coordinates get maps.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Fixture, files};

const SITE: &str = "title: Test Briefings\nbase_url: https://example.org/sub/\ndescription: Tests.\nlanguage: en\n";

const BUNDLE: &str = "content/briefings/2025/05/istanbul-talks";

fn media_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/media")
        .join(name)
}

fn copy(f: &Fixture, name: &str, to: &str) {
    let target = f.path(to);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::copy(media_fixture(name), target).unwrap();
}

/// A site with one bundle: a lead photo (orientation 6, GPS, serial, artist), a PNG with
/// text chunks and a WebP with EXIF and XMP in the body, and a PDF statement.
fn site() -> Fixture {
    let f = Fixture::new(SITE);
    f.write(
        &format!("{BUNDLE}/index.md"),
        "---\ntitle: Talks in Istanbul\ndate: 2025-05-16\nsummary: Talks resume.\nplaces: [Istanbul, Kyiv]\n\
         image:\n  src: oriented-gps.jpg\n  alt: The delegations at the table\n  caption: Delegations meet.\n  credit: Photo by Test Agency\n\
         sources:\n  - title: Report\n    url: https://example.org/a\n---\n\
         Talks resumed.\n\n![A chart of the talks](text-chunks.png)\n\n![A WebP picture](planted.webp)\n\n\
         Read the [statement](statement.pdf).\n",
    );
    copy(
        &f,
        "oriented-gps.jpg",
        &format!("{BUNDLE}/oriented-gps.jpg"),
    );
    copy(&f, "text-chunks.png", &format!("{BUNDLE}/text-chunks.png"));
    copy(&f, "planted.webp", &format!("{BUNDLE}/planted.webp"));
    copy(&f, "clean.pdf", &format!("{BUNDLE}/statement.pdf"));
    f.write(
        "content/places/istanbul.md",
        "---\nname: Istanbul\ncoordinates: [41.0082, 28.9784]\n---\nA city.\n",
    );
    f.write(
        "content/places/kyiv.md",
        "---\nname: Kyiv\ncoordinates: [50.4501, 30.5234]\n---\nA city.\n",
    );
    f
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn problems(error: sitroom::Error) -> String {
    sitroom::error::report(&error)
}

#[test]
fn no_published_file_carries_planted_metadata() {
    let f = site();
    f.build().unwrap();
    let out = f.path("public");
    let published = files(&out);
    let folder = "briefings/istanbul-talks/";
    for original in ["oriented-gps.jpg", "text-chunks.png", "planted.webp"] {
        assert!(
            !published.contains(&format!("{folder}{original}")),
            "the original {original} is published: {published:?}"
        );
    }
    let variants: Vec<&String> = published
        .iter()
        .filter(|p| p.starts_with(folder) && !p.ends_with(".html") && !p.ends_with(".pdf"))
        .collect();
    assert!(variants.len() >= 3, "{published:?}");
    for file in &published {
        let bytes = fs::read(out.join(file)).unwrap();
        for planted in [
            &b"PLANTED"[..],
            b"Photoshop 3.0",
            b"http://ns.adobe.com/xap/1.0/",
        ] {
            assert!(
                !contains(&bytes, planted),
                "{file} holds {}",
                String::from_utf8_lossy(planted)
            );
        }
        // PNG text and EXIF chunks, by their exact (case-sensitive) names.
        if file.ends_with(".png") {
            for chunk in [&b"tEXt"[..], b"iTXt", b"zTXt", b"eXIf"] {
                assert!(!bytes.windows(4).any(|w| w == chunk), "{file}");
            }
        }
    }
    // Where exiftool is installed, it finds no metadata group in any variant.
    for file in &variants {
        assert_exiftool_finds_none(&out.join(file), &[]);
    }
}

#[test]
fn pages_show_pictures_with_srcset_and_the_lead_image() {
    let f = site();
    f.build().unwrap();
    let html = f.output("briefings/istanbul-talks/index.html");
    // The body's images: variants under the sub-path, with their size and lazy loading.
    assert!(
        html.contains(r#"srcset="/sub/briefings/istanbul-talks/text-chunks-"#),
        "{html}"
    );
    assert!(html.contains(r#"alt="A chart of the talks" loading="lazy" decoding="async""#));
    assert!(html.contains(r#"sizes=""#));
    assert!(html.contains(r#"<source type="image/webp""#), "{html}");
    // The lead image: a figure with caption and credit, not lazy, upright (orientation 6
    // turns the stored landscape picture into a portrait one).
    let figure_start = html
        .find(r#"<figure class="lead-image""#)
        .expect("a lead figure");
    let figure =
        &html[figure_start..html[figure_start..].find("</figure>").unwrap() + figure_start];
    assert!(figure.contains("Delegations meet."), "{figure}");
    assert!(figure.contains(r#"<span class="credit">Photo by Test Agency</span>"#));
    assert!(!figure.contains("loading=\"lazy\""), "{figure}");
    let width: u32 = attribute(figure, "width").parse().unwrap();
    let height: u32 = attribute(figure, "height").parse().unwrap();
    assert!(height > width, "not upright: {width} × {height}");
    // og:image and JSON-LD are absolute; the Atom entry links the picture.
    assert!(
        html.contains(r#"<meta property="og:image" content="https://example.org/sub/briefings/istanbul-talks/oriented-gps-"#),
        "{html}"
    );
    assert!(
        html.contains(r#""image":{"@type":"ImageObject","caption":"Delegations meet.","creditText":"Photo by Test Agency","height":240,"url":"https://example.org/sub/briefings/istanbul-talks/oriented-gps-120.jpg","width":120}"#),
        "{html}"
    );
    let feed = f.output("feed.xml");
    assert!(
        feed.contains(r#"<link rel="enclosure" type="image/jpeg" length=""#),
        "{feed}"
    );
    // The attachment is published next to the page and linked under the sub-path.
    assert!(html.contains(r#"href="/sub/briefings/istanbul-talks/statement.pdf""#));
    assert_eq!(
        fs::read(f.path("public/briefings/istanbul-talks/statement.pdf")).unwrap(),
        fs::read(media_fixture("clean.pdf")).unwrap()
    );
}

fn attribute<'a>(html: &'a str, name: &str) -> &'a str {
    let key = format!(" {name}=\"");
    let start = html
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + key.len();
    &html[start..start + html[start..].find('"').unwrap()]
}

#[test]
fn a_second_build_encodes_no_image() {
    let f = site();
    let first = f.build().unwrap();
    assert_eq!(first.encoded_images.len(), 3, "{:?}", first.encoded_images);
    assert!(f.path(".sitroom-cache").is_dir());
    // A changed text renders again; its images come from the cache.
    let index = f.path(&format!("{BUNDLE}/index.md"));
    let text = fs::read_to_string(&index)
        .unwrap()
        .replace("Talks resumed.", "Talks resumed today.");
    fs::write(&index, text).unwrap();
    let second = f.build().unwrap();
    assert!(!second.unchanged);
    assert!(
        second.encoded_images.is_empty(),
        "{:?}",
        second.encoded_images
    );
    assert!(
        f.output("briefings/istanbul-talks/index.html")
            .contains("resumed today")
    );
    // A new out folder is filled from the cache as well.
    let third = f.build_with(|o| o.out = Some(f.path("elsewhere"))).unwrap();
    assert!(third.encoded_images.is_empty());
    assert_eq!(files(&f.path("public")), files(&f.path("elsewhere")));
    // A changed file, and nothing else, is encoded again (the cache goes by bytes).
    let mut bytes = fs::read(media_fixture("text-chunks.png")).unwrap();
    bytes.extend_from_slice(b"trailing bytes after IEND");
    fs::write(f.path(&format!("{BUNDLE}/text-chunks.png")), bytes).unwrap();
    let fourth = f.build().unwrap();
    assert!(!fourth.unchanged);
    assert_eq!(
        fourth.encoded_images,
        [PathBuf::from(format!("{BUNDLE}/text-chunks.png"))]
    );
    // The same picture under another name comes from the cache.
    copy(&f, "oriented-gps.jpg", &format!("{BUNDLE}/again.jpg"));
    let fifth = f.build().unwrap();
    assert!(
        fifth.encoded_images.is_empty(),
        "{:?}",
        fifth.encoded_images
    );
    assert!(f.exists("briefings/istanbul-talks/again-120.jpg"));
}

#[test]
fn an_undecodable_image_fails_the_build_and_writes_nothing() {
    let f = site();
    f.build().unwrap();
    let before = files(&f.path("public"));
    copy(&f, "truncated.jpg", &format!("{BUNDLE}/broken.jpg"));
    let error = problems(f.build().unwrap_err());
    assert!(error.contains("istanbul-talks/broken.jpg"), "{error}");
    assert!(error.contains("cannot be decoded"), "{error}");
    assert_eq!(files(&f.path("public")), before);
    // Nothing was ever written for a site whose first build fails.
    let g = site();
    copy(&g, "not-an-image.jpg", &format!("{BUNDLE}/broken.jpg"));
    assert!(g.build().is_err());
    assert!(!g.path("public").exists());
}

#[test]
fn an_oversized_image_is_refused() {
    let f = site();
    copy(&f, "bomb-20000.png", &format!("{BUNDLE}/huge.png"));
    f.write(&format!("{BUNDLE}/index.html"), "<p>mine</p>");
    copy(&f, "text-chunks.png", &format!("{BUNDLE}/planted.png"));
    let error = problems(f.build().unwrap_err());
    assert!(
        error.contains("`index.html` is the name of a file sitroom makes for this page"),
        "{error}"
    );
    assert!(
        error.contains("`planted.webp` and `planted.png` would publish images of the same names"),
        "{error}"
    );
    assert!(error.contains("huge.png"), "{error}");
    assert!(error.contains("more than sitroom accepts"), "{error}");
    assert!(!f.path("public").exists());
}

#[test]
fn a_missing_bundle_file_is_an_error_at_its_reference() {
    let f = site();
    let index = f.path(&format!("{BUNDLE}/index.md"));
    let text = fs::read_to_string(&index).unwrap() + "\nSee [the annex](annex.pdf).\n";
    fs::write(&index, text).unwrap();
    let error = problems(f.build().unwrap_err());
    assert!(
        error.contains("`annex.pdf` is not a file of this page's folder"),
        "{error}"
    );
    assert!(error.contains("istanbul-talks/index.md:23:5"), "{error}");
    let checked = f.run(&["check"]);
    let text = String::from_utf8_lossy(&checked.stderr).to_string()
        + &String::from_utf8_lossy(&checked.stdout);
    assert!(!checked.status.success());
    assert!(text.contains("annex.pdf"), "{text}");
}

#[test]
fn editorial_warnings_and_front_matter_errors() {
    let f = site();
    let index = f.path(&format!("{BUNDLE}/index.md"));
    let text = fs::read_to_string(&index)
        .unwrap()
        .replace("  credit: Photo by Test Agency\n", "")
        .replace("  alt: The delegations at the table\n", "");
    fs::write(&index, text).unwrap();
    copy(&f, "statement.pdf", &format!("{BUNDLE}/authored.pdf"));
    let report = f.build().unwrap();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains("no `credit`")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("no `alt`")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("authored.pdf") && w.contains("`PLANTED PDF Author`")),
        "{warnings:?}"
    );
    // `check` says the same, at the `image:` line.
    let checked = f.run(&["check"]);
    let text = String::from_utf8_lossy(&checked.stderr).to_string()
        + &String::from_utf8_lossy(&checked.stdout);
    assert!(
        text.contains("istanbul-talks/index.md:6:1: warning: the image has no `credit`"),
        "{text}"
    );

    f.write(
        "content/places/kyiv.md",
        "---\nname: Kyiv\ncoordinates: [150.4501, 30.5234]\n---\n",
    );
    let text = fs::read_to_string(&index).unwrap().replace(
        "  caption: Delegations meet.\n",
        "  captoin: Delegations meet.\n",
    );
    fs::write(&index, text).unwrap();
    let error = problems(f.build().unwrap_err());
    assert!(
        error.contains("latitude `150.4501` is out of range"),
        "{error}"
    );
    assert!(error.contains("kyiv.md:3:15"), "{error}");
    assert!(
        error.contains("unknown key `captoin` in `image`"),
        "{error}"
    );
    assert!(error.contains("did you mean `caption`?"), "{error}");
}

#[test]
fn places_with_coordinates_get_maps() {
    let f = site();
    f.write(
        "content/places/odesa.md",
        "---\nname: Odesa\n---\nNo coordinates.\n",
    );
    f.build().unwrap();
    let place = f.output("places/istanbul/index.html");
    assert!(
        place.contains(r#"role="img" aria-label="Map of Istanbul""#),
        "{place}"
    );
    let index = f.output("places/index.html");
    assert!(index.contains(r#"aria-label="Map of 2 places""#), "{index}");
    let briefing = f.output("briefings/istanbul-talks/index.html");
    assert!(
        briefing.contains(r#"aria-label="Map of Istanbul and Kyiv""#),
        "{briefing}"
    );
    let odesa = f.output("places/odesa/index.html");
    assert!(!odesa.contains("aria-label=\"Map of"), "{odesa}");
}

#[test]
fn profiles_may_be_bundles_with_a_portrait() {
    let f = site();
    f.write(
        "content/people/test-person/index.md",
        "---\nname: Test Person\nimage:\n  src: portrait.png\n  alt: Test Person in 2024\n  credit: Test Agency\n---\nA person.\n",
    );
    copy(
        &f,
        "text-chunks.png",
        "content/people/test-person/portrait.png",
    );
    f.build().unwrap();
    let html = f.output("people/test-person/index.html");
    assert!(html.contains(r#"<figure class="lead-image""#), "{html}");
    assert!(html.contains(r#"content="https://example.org/sub/people/test-person/portrait-"#));
}

#[test]
fn a_site_without_media_touches_no_image_cache() {
    let f = Fixture::small();
    let report = f.build().unwrap();
    assert!(report.encoded_images.is_empty());
    // The build's own record is there; no image folder is.
    assert!(!f.path(".sitroom-cache/images-v1").exists());
    assert!(
        !f.output("briefings/talks-open/index.html")
            .contains("og:image")
    );
}

#[test]
fn a_lead_image_may_come_from_static() {
    let f = site();
    copy(&f, "planted.webp", "static/img/wide.webp");
    f.write(
        "content/briefings/2025/05/flat.md",
        "---\ntitle: Flat\ndate: 2025-05-17\nimage:\n  src: /img/wide.webp\n  alt: A picture\n  credit: Test\n---\nNo folder.\n",
    );
    f.build().unwrap();
    let html = f.output("briefings/flat/index.html");
    assert!(
        html.contains(r#"content="https://example.org/sub/img/wide-200."#),
        "{html}"
    );
    assert!(
        f.exists("img/wide-200.jpg"),
        "{:?}",
        files(&f.path("public/img"))
    );
    // The file itself is published re-encoded, not as it is.
    let published = fs::read(f.path("public/img/wide.webp")).unwrap();
    assert_ne!(published, fs::read(media_fixture("planted.webp")).unwrap());
    assert!(!contains(&published, b"PLANTED"));
}

/// The size of a picture as stored, and whether its bytes are of `format`.
fn size_of(bytes: &[u8], format: image::ImageFormat) -> (u32, u32) {
    assert_eq!(image::guess_format(bytes).unwrap(), format);
    let picture = image::load_from_memory(bytes).unwrap();
    (picture.width(), picture.height())
}

#[test]
fn static_images_are_published_in_place_without_metadata() {
    use image::ImageFormat::{Jpeg, Png, WebP};
    let f = site();
    copy(&f, "oriented-gps.jpg", "static/img/photo.jpg");
    copy(&f, "text-chunks.png", "static/chart.png");
    copy(&f, "planted.webp", "static/img/deep/wide.webp");
    f.write("static/img/notes.txt", "kept as it is");
    let report = f.build().unwrap();
    for name in ["photo.jpg", "chart.png", "deep/wide.webp"] {
        let file = format!("static/img/{name}").replace("img/chart", "chart");
        assert!(
            report.encoded_images.contains(&PathBuf::from(&file)),
            "{:?}",
            report.encoded_images
        );
    }
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        !warnings.iter().any(|w| w.contains("static/")),
        "{warnings:?}"
    );
    let cases = [
        ("img/photo.jpg", "oriented-gps.jpg", Jpeg),
        ("chart.png", "text-chunks.png", Png),
        ("img/deep/wide.webp", "planted.webp", WebP),
    ];
    for (path, fixture, format) in cases {
        let bytes = fs::read(f.path("public").join(path)).unwrap();
        let original = fs::read(media_fixture(fixture)).unwrap();
        assert_ne!(bytes, original, "{path} is published as it is");
        for planted in [
            &b"PLANTED"[..],
            b"Photoshop 3.0",
            b"http://ns.adobe.com/xap/1.0/",
            b"Exif\0",
        ] {
            assert!(!contains(&bytes, planted), "{path}");
        }
        for chunk in [&b"tEXt"[..], b"iTXt", b"zTXt", b"eXIf", b"EXIF", b"XMP "] {
            assert!(!contains(&bytes, chunk), "{path}");
        }
        let (width, height) = size_of(&bytes, format);
        let (stored_width, stored_height) = size_of(&original, format);
        if fixture == "oriented-gps.jpg" {
            // Orientation 6: stored on its side, published upright.
            assert_eq!((width, height), (stored_height, stored_width), "{path}");
        } else {
            assert_eq!((width, height), (stored_width, stored_height), "{path}");
        }
    }
    assert_eq!(f.output("img/notes.txt"), "kept as it is");
    for (path, _, _) in cases {
        assert_exiftool_finds_none(&f.path("public").join(path), &["Artist", "Serial"]);
    }
    // A second build takes them from the cache.
    f.write(
        "content/briefings/2025/05/other.md",
        "---\ntitle: Other\ndate: 2025-05-18\n---\nMore.\n",
    );
    assert!(f.build().unwrap().encoded_images.is_empty());
    // One that cannot be decoded is an error naming it, and nothing is written.
    let before = files(&f.path("public"));
    copy(&f, "truncated.jpg", "static/img/broken.jpg");
    let error = problems(f.build().unwrap_err());
    assert!(error.contains("static/img/broken.jpg"), "{error}");
    assert!(error.contains("cannot be decoded"), "{error}");
    assert_eq!(files(&f.path("public")), before);
}

#[test]
fn a_lead_image_that_is_missing_or_not_a_picture_is_an_error() {
    let f = site();
    f.write(
        "content/briefings/2025/05/flat.md",
        "---\ntitle: Flat\ndate: 2025-05-17\nimage:\n  src: gone.jpg\n  alt: A picture\n  credit: Test\n---\nNo folder.\n",
    );
    f.write(
        "content/people/someone.md",
        "---\nname: Someone\nimage: cv.pdf\n---\n",
    );
    f.write(
        "content/people/someone-else.md",
        "---\nname: Someone Else\ncoordinates: [1, 2]\n---\n",
    );
    let error = problems(f.build().unwrap_err());
    assert!(
        error.contains("flat.md:5:8: error: `gone.jpg` is neither a file of this page's folder nor under `static/`"),
        "{error}"
    );
    assert!(
        error.contains("`cv.pdf` is not a JPEG, PNG or WebP image"),
        "{error}"
    );
    assert!(error.contains("only places have `coordinates`"), "{error}");
}

#[test]
fn sanitized_sites_keep_pictures_and_clean_svg_attachments() {
    let f = site();
    f.write("site.yaml", &format!("{SITE}sanitize_html: true\n"));
    f.write(
        &format!("{BUNDLE}/diagram.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="4" height="4"/></svg>"#,
    );
    f.build().unwrap();
    let html = f.output("briefings/istanbul-talks/index.html");
    assert!(
        html.contains(
            r#"<source type="image/webp" srcset="/sub/briefings/istanbul-talks/planted-"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"loading="lazy""#), "{html}");
    let svg = f.output("briefings/istanbul-talks/diagram.svg");
    assert!(!svg.contains("alert"), "{svg}");
    assert!(svg.contains(r#"<rect width="4" height="4"/>"#), "{svg}");
}

#[test]
fn check_works_where_the_cache_cannot_be_written() {
    // A file where the cache folder would go stands for a read-only checkout: it cannot
    // be made, whoever runs the test (root ignores permission bits).
    let f = site();
    copy(&f, "oriented-gps.jpg", "static/img/photo.jpg");
    f.write(".sitroom-cache", "not a folder");
    let checked = f.run(&["check"]);
    let text = String::from_utf8_lossy(&checked.stderr).to_string()
        + &String::from_utf8_lossy(&checked.stdout);
    assert!(checked.status.success(), "{text}");
    assert_eq!(
        fs::read_to_string(f.path(".sitroom-cache")).unwrap(),
        "not a folder"
    );
    // Image problems are still found.
    copy(&f, "truncated.jpg", &format!("{BUNDLE}/broken.jpg"));
    copy(&f, "not-an-image.jpg", "static/img/broken.jpg");
    let checked = f.run(&["check"]);
    let text = String::from_utf8_lossy(&checked.stderr).to_string()
        + &String::from_utf8_lossy(&checked.stdout);
    assert_eq!(checked.status.code(), Some(1), "{text}");
    assert!(text.contains("istanbul-talks/broken.jpg"), "{text}");
    assert!(text.contains("cannot be decoded"), "{text}");
    assert!(text.contains("static/img/broken.jpg"), "{text}");
    // A build, which needs the cache, says why it cannot.
    fs::remove_file(f.path(&format!("{BUNDLE}/broken.jpg"))).unwrap();
    fs::remove_file(f.path("static/img/broken.jpg")).unwrap();
    let error = problems(f.build().unwrap_err());
    assert!(error.contains(".sitroom-cache"), "{error}");
    assert!(!f.path("public").exists());
}

/// Where exiftool is installed: it finds no metadata group (GPS, EXIF, XMP, IPTC, comments)
/// in `file`, nor any of `also`. Without exiftool the byte searches above stand alone.
fn assert_exiftool_finds_none(file: &Path, also: &[&str]) {
    let Ok(output) = std::process::Command::new("exiftool")
        .args(["-j", "-a", "-G1"])
        .arg(file)
        .output()
    else {
        return;
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let groups = [
        "\"GPS:",
        "\"IFD0:",
        "\"ExifIFD:",
        "\"XMP",
        "\"IPTC:",
        "Comment",
    ];
    for group in groups.iter().chain(also) {
        assert!(!text.contains(group), "{}: {text}", file.display());
    }
}
