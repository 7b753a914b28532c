//! The output checked by real validators: every page by the Nu Html Checker (vnu, with Java),
//! every feed as Atom with its required elements (roxmltree), `sitemap.xml` against the
//! sitemaps.org schema (xmllint). Tests that need an outside tool are `#[ignore]`d, so a bare
//! `cargo test` passes anywhere, and fail loudly when asked to run (`--include-ignored`,
//! as `.ci/run` does) on a machine without the tool.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Fixture;

/// A small archive with every kind of page and the Markdown an editor uses: tables,
/// footnotes, task lists, code, raw HTML, headings with ids, a wiki link, many names.
fn rich_fixture() -> Fixture {
    let f = Fixture::small();
    f.write(
        "content/briefings/2025/05/everything.md",
        "---\ntitle: \"Everything & more: \\\"quotes\\\" <em>\"\nupdated: 2025-05-19T08:00:00Z\ndate: 2025-05-18T09:30:00+03:00\nsummary: A briefing with every feature.\npeople: [Zelenskyy, Rustem Umerov]\norganisations: [Government of Ukraine, NATO]\nplaces: [Kyiv, Istanbul]\ntags: [negotiations]\nsources:\n  - title: \"A & B <report>\"\n    publisher: AFP\n    url: https://example.org/a?x=1&y=2\n    date: 2025-05-18\n---\n## The talks\n\nSee [[talks-open]] and [[talks-planned|the plan]].[^1]\n\n| Side | Delegates |\n|---|---:|\n| Ukraine | 12 |\n\n- [x] Prisoner exchange\n- [ ] Ceasefire\n\n```python\nprint(\"hi\")\n```\n\n<div class=\"note\">Raw <strong>HTML</strong>.</div>\n\n## The talks\n\n[^1]: A footnote.\n",
    );
    // A bundle with a lead image, a body image and an attachment; places with maps (#13).
    let media = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media");
    let dir = "content/briefings/2025/05/with-media";
    f.write(
        &format!("{dir}/index.md"),
        "---\ntitle: With media\ndate: 2025-05-19\nplaces: [Kyiv, Istanbul]\nimage:\n  src: photo.jpg\n  alt: A test photo\n  caption: A caption & more.\n  credit: Photo by Test\n---\n![A chart](chart.png)\n\nThe [statement](statement.pdf).\n",
    );
    for (from, to) in [
        ("oriented-gps.jpg", "photo.jpg"),
        ("text-chunks.png", "chart.png"),
        ("clean.pdf", "statement.pdf"),
    ] {
        std::fs::copy(media.join(from), f.path(&format!("{dir}/{to}")))
            .expect("copy a media fixture");
    }
    f.write(
        "content/places/kyiv.md",
        "---\nname: Kyiv\ncoordinates: [50.4501, 30.5234]\n---\nCapital.\n",
    );
    f.write(
        "content/places/istanbul.md",
        "---\nname: Istanbul\ncoordinates: [41.0082, 28.9784]\n---\nCity.\n",
    );
    f
}

fn built() -> Fixture {
    let f = rich_fixture();
    f.build().expect("the fixture builds");
    f
}

/// Panics with what to install when `program` cannot be run: an ignored test that was asked
/// to run must not pass by doing nothing.
fn require(program: &str, args: &[&str], install: &str) {
    let ran = Command::new(program).args(args).output();
    if !ran.is_ok_and(|o| o.status.success()) {
        panic!("this test needs `{program}`, which cannot be run here: {install}");
    }
}

/// The vnu jar: `$VNU_JAR`, or where `npm ci` in `tests/validators/` puts it.
fn vnu_jar() -> PathBuf {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/validators/node_modules/vnu-jar/build/dist/vnu.jar")
        });
    if !jar.is_file() {
        panic!(
            "this test needs the Nu Html Checker at `{}`: run `npm ci` in tests/validators/ or set VNU_JAR",
            jar.display()
        );
    }
    jar
}

/// Runs vnu on every HTML file under `dir`; returns its report of errors.
pub fn vnu_errors(dir: &Path) -> (bool, String) {
    require(
        "java",
        &["-version"],
        "install a Java runtime (`apt-get install default-jre-headless`)",
    );
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(dir)
        .output()
        .expect("run vnu");
    let report = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    (output.status.success(), report)
}

#[test]
#[ignore = "needs java and vnu-jar (npm ci in tests/validators/)"]
fn every_page_passes_the_nu_html_checker() {
    let f = built();
    let pages = common::files(&f.path("public"))
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .count();
    assert!(pages > 20, "only {pages} pages");
    let (ok, report) = vnu_errors(&f.path("public"));
    assert!(
        ok && report.trim().is_empty(),
        "vnu found errors:\n{report}"
    );
}

/// The rich archive in English, Ukrainian and Arabic (#12): translations, a briefing in
/// Ukrainian alone, per-language names; every page kind in three languages, one of them
/// right to left.
fn multilingual() -> Fixture {
    let f = rich_fixture();
    f.write(
        "site.yaml",
        &format!(
            "{}languages:\n  uk: {{ title: Брифінги, description: Тести. }}\n  ar: {{ title: موجزات, description: اختبارات }}\n",
            common::SITE_YAML
        ),
    );
    f.write(
        "content/places/istanbul.md",
        "---\nname: Istanbul\nnames: { uk: Стамбул, ar: إسطنبول }\n---\nA city.\n",
    );
    f.write(
        "content/briefings/2025/05/talks-open.uk.md",
        "---\ntitle: Переговори в Стамбулі\ndate: 2025-05-16\nsummary: Прямі переговори.\npeople: [Володимир Зеленський]\nplaces: [Стамбул]\ntags: [negotiations]\n---\nДив. [[talks-planned]].\n",
    );
    f.write(
        "content/briefings/2025/05/uk-only.uk.md",
        "---\ntitle: Лише українською\ndate: 2025-05-20\nauthors: [Олена Коваленко, Іван Петренко]\n---\nТекст.\n",
    );
    f.write(
        "content/briefings/2025/05/talks-open.ar.md",
        "---\ntitle: محادثات في إسطنبول\ndate: 2025-05-16\nplaces: [إسطنبول]\n---\nنص.\n",
    );
    f.write(
        "content/pages/about.uk.md",
        "---\ntitle: Про архів\n---\nАрхів.\n",
    );
    f.build().expect("the multilingual fixture builds");
    f
}

#[test]
#[ignore = "needs java and vnu-jar (npm ci in tests/validators/)"]
fn every_page_in_every_language_passes_the_nu_html_checker() {
    let f = multilingual();
    assert!(f.exists("uk/index.html") && f.exists("ar/briefings/talks-open/index.html"));
    let (ok, report) = vnu_errors(&f.path("public"));
    assert!(
        ok && report.trim().is_empty(),
        "vnu found errors:\n{report}"
    );
}

#[test]
#[ignore = "needs xmllint (libxml2-utils)"]
fn a_sitemap_with_language_alternates_matches_the_schema() {
    let f = multilingual();
    assert!(
        f.output("sitemap.xml")
            .contains("<xhtml:link rel=\"alternate\" hreflang=\"uk\"")
    );
    let (ok, report) = xmllint_schema(&f.path("public/sitemap.xml"));
    assert!(ok, "{report}");
}

#[test]
fn every_feed_of_every_language_is_atom() {
    let f = multilingual();
    let feeds: Vec<String> = common::files(&f.path("public"))
        .into_iter()
        .filter(|p| p.ends_with(".xml") && !p.starts_with("sitemap"))
        .collect();
    assert!(
        feeds.iter().any(|p| p.starts_with("uk/")) && feeds.iter().any(|p| p.starts_with("ar/"))
    );
    for feed in feeds {
        // `check_atom` expects the entries under `/briefings/`; a language's are under its folder.
        let xml = f
            .output(&feed)
            .replace("https://example.org/uk/", "https://example.org/")
            .replace("https://example.org/ar/", "https://example.org/");
        let name = ["uk/", "ar/"]
            .iter()
            .find_map(|folder| feed.strip_prefix(folder))
            .unwrap_or(&feed);
        check_atom(name, &xml);
    }
}

#[test]
#[ignore = "needs java and vnu-jar (npm ci in tests/validators/)"]
fn the_checker_catches_a_broken_page() {
    // The validator test is only worth something if vnu fails on a bad page.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("bad.html"),
        "<!DOCTYPE html><html lang=en><title>x</title><p><div></span>",
    )
    .unwrap();
    let (ok, report) = vnu_errors(dir.path());
    assert!(!ok && report.contains("bad.html"), "{report}");
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name((ATOM, name)))
}

fn required_text(node: roxmltree::Node<'_, '_>, name: &str, feed: &str) -> String {
    let text = child(node, name)
        .and_then(|n| n.text())
        .unwrap_or_else(|| panic!("{feed}: <{}> has no <{name}>", node.tag_name().name()));
    assert!(!text.trim().is_empty(), "{feed}: empty <{name}>");
    text.to_string()
}

fn assert_date(text: &str, feed: &str) {
    text.parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("{feed}: `{text}` is not an RFC 3339 date: {e}"));
}

/// RFC 4287: a feed has id, title, updated, an author (here on the feed), a self link;
/// each entry has id, title, updated and an alternate link; ids are absolute and unique.
fn check_atom(feed: &str, xml: &str) -> usize {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{feed} is not XML: {e}"));
    let root = doc.root_element();
    assert!(
        root.has_tag_name((ATOM, "feed")),
        "{feed}: the root is not an Atom <feed>"
    );
    let id = required_text(root, "id", feed);
    assert!(id.starts_with("https://example.org/"), "{feed}: id `{id}`");
    required_text(root, "title", feed);
    assert_date(&required_text(root, "updated", feed), feed);
    let author = child(root, "author").unwrap_or_else(|| panic!("{feed}: no <author>"));
    required_text(author, "name", feed);
    let links: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name((ATOM, "link")))
        .collect();
    let self_link = links
        .iter()
        .find(|l| l.attribute("rel") == Some("self"))
        .unwrap_or_else(|| panic!("{feed}: no self link"));
    assert!(
        self_link
            .attribute("href")
            .is_some_and(|h| h.ends_with(feed)),
        "{feed}: self link"
    );
    let mut ids = std::collections::HashSet::new();
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .collect();
    for entry in &entries {
        let id = required_text(*entry, "id", feed);
        assert!(ids.insert(id.clone()), "{feed}: id `{id}` twice");
        required_text(*entry, "title", feed);
        assert_date(&required_text(*entry, "updated", feed), feed);
        let link = entry
            .children()
            .find(|n| {
                n.has_tag_name((ATOM, "link"))
                    && n.attribute("rel").unwrap_or("alternate") == "alternate"
            })
            .unwrap_or_else(|| panic!("{feed}: an entry has no link"));
        assert!(
            link.attribute("href")
                .is_some_and(|h| h.starts_with("https://example.org/briefings/"))
        );
    }
    entries.len()
}

#[test]
fn every_feed_is_atom_with_the_required_elements() {
    let f = built();
    let feeds: Vec<String> = common::files(&f.path("public"))
        .into_iter()
        .filter(|p| p.ends_with("feed.xml"))
        .collect();
    assert!(feeds.len() >= 10, "{feeds:?}");
    let mut entries = 0;
    for feed in &feeds {
        entries += check_atom(feed, &f.output(feed));
    }
    let site_feed = f.output("feed.xml");
    assert_eq!(check_atom("feed.xml", &site_feed), 5);
    // The briefing with a lead image links it as an enclosure (#13).
    assert!(
        site_feed.contains(r#"<link rel="enclosure" type="image/jpeg""#),
        "{site_feed}"
    );
    assert!(entries > feeds.len());
}

#[test]
fn the_atom_check_catches_a_broken_feed() {
    let result = std::panic::catch_unwind(|| {
        check_atom(
            "feed.xml",
            &format!("<feed xmlns=\"{ATOM}\"><title>x</title></feed>"),
        )
    });
    assert!(result.is_err());
}

#[test]
fn the_sitemap_lists_every_page_and_only_pages_that_exist() {
    let f = built();
    let xml = f.output("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("the sitemap is XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert!(doc.root_element().has_tag_name((ns, "urlset")));
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .filter_map(|n| n.text())
        .collect();
    for loc in &locs {
        let relative = loc
            .strip_prefix("https://example.org/")
            .unwrap_or_else(|| panic!("`{loc}` is not under base_url"));
        let file = if relative.is_empty() || relative.ends_with('/') {
            format!("{relative}index.html")
        } else {
            relative.to_string()
        };
        assert!(
            f.exists(&file),
            "`{loc}` is in the sitemap but `{file}` was not built"
        );
    }
    for page in [
        "",
        "briefings/talks-open/",
        "people/volodymyr-zelensky/",
        "about/",
    ] {
        let url = format!("https://example.org/{page}");
        assert!(
            locs.contains(&url.as_str()),
            "`{url}` is missing from the sitemap"
        );
    }
}

fn xmllint_schema(xml: &Path) -> (bool, String) {
    require(
        "xmllint",
        &["--version"],
        "install `libxml2-utils` (`apt-get install libxml2-utils`)",
    );
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sitemap.xsd");
    let output = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(schema)
        .arg(xml)
        .output()
        .expect("run xmllint");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
#[ignore = "needs xmllint (libxml2-utils)"]
fn the_sitemap_matches_the_sitemaps_org_schema() {
    let f = built();
    let (ok, report) = xmllint_schema(&f.path("public/sitemap.xml"));
    assert!(ok, "{report}");
}

#[test]
#[ignore = "needs xmllint (libxml2-utils)"]
fn the_schema_rejects_a_broken_sitemap() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("sitemap.xml");
    std::fs::write(
        &bad,
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>/relative/</loc><priority>2</priority></url></urlset>",
    )
    .unwrap();
    let (ok, report) = xmllint_schema(&bad);
    assert!(!ok, "{report}");
}
