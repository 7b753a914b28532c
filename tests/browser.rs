//! The reader features in a real browser: Debian's chromium, driven by playwright-core from
//! `tests/browser/check.mjs`, against a fixture site served on 127.0.0.1 under a sub-path.
//!
//! Ignored by default, so `cargo test` passes without a browser; CI runs them with
//! `cargo test -- --include-ignored` after `apt-get install chromium` and
//! `npm ci --prefix tests/browser`. Asked to run without chromium, they fail.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Fixture;

const CHROMIUM: &str = "/usr/bin/chromium";

/// A small archive whose bodies name people by name and alias, built for `base_url`.
/// `Reactions abroad` names Zelensky only in its body, by an alias; `Contact points agreed`
/// holds the phrase "points of contact" and `Points and contacts` only its words.
fn archive(base_url: &str) -> Fixture {
    let f = Fixture::new(&format!(
        "title: Browser Briefings\nbase_url: {base_url}\ndescription: Tests in a browser.\nlanguage: en\nper_page: 2\n"
    ));
    f.write(
        "content/people/volodymyr-zelensky.md",
        "---\nname: Volodymyr Zelensky\naliases: [Zelenskiy, Zelenskyy, Володимир Зеленський]\nrole: President of Ukraine\ncountry: Ukraine\nwikidata: Q3874799\n---\nPresident of Ukraine since 2019.\n",
    );
    f.write(
        "content/people/rustem-umerov.md",
        "---\nname: Rustem Umerov\nrole: Secretary of the National Security and Defense Council\ncountry: Ukraine\n---\nLed Ukraine's delegation.\n",
    );
    f.write(
        "content/people/vladimir-putin.md",
        "---\nname: Vladimir Putin\nrole: President of Russia\n---\nPresident of Russia.\n",
    );
    f.write(
        "content/people/vladimir-medinsky.md",
        "---\nname: Vladimir Medinsky\nrole: Aide to the President of Russia\n---\nLed Russia's delegation.\n",
    );
    f.write(
        "content/people/andriy-yermak.md",
        "---\nname: Andriy Yermak\nrole: Head of the Office of the President of Ukraine\n---\nHeads the office.\n",
    );
    f.write(
        "content/organisations/nato.md",
        "---\nname: NATO\naliases: [North Atlantic Treaty Organization]\n---\nThe alliance.\n",
    );
    f.write(
        "content/places/istanbul.md",
        "---\nname: Istanbul\ncoordinates: [41.0082, 28.9784]\n---\nCity in Türkiye.\n",
    );
    f.write(
        "content/places/kyiv.md",
        "---\nname: Kyiv\naliases: [Kiev]\ncoordinates: [50.4501, 30.5234]\n---\nCapital of Ukraine.\n",
    );
    let briefings = [
        (
            "talks-open",
            "Talks open in Istanbul",
            "2025-05-16",
            "people: [Volodymyr Zelensky, Rustem Umerov]\nplaces: [Istanbul]\ntags: [negotiations]\nsources:\n  - title: Talks begin\n    publisher: AFP\n    url: https://example.org/talks\n    date: 2025-05-16",
            "Volodymyr Zelensky sent Rustem Umerov to Istanbul. Zelensky said the delegation would wait.\n\n## Who came\n\nRustem Umerov led it. Türkiye hosted the talks.",
        ),
        (
            "putin-stays-away",
            "Putin stays away",
            "2025-05-15",
            "people: [Vladimir Putin, Vladimir Medinsky]\ntags: [negotiations]",
            "Vladimir Putin did not travel to Istanbul and sent Vladimir Medinsky instead.",
        ),
        (
            "reactions-abroad",
            "Reactions abroad",
            "2025-05-14",
            "people: [Vladimir Putin]\norganisations: [NATO]",
            "European leaders praised Zelenskyy for sending a delegation, and asked Vladimir Putin to come.",
        ),
        (
            "contact-points",
            "Contact points agreed",
            "2025-05-13",
            "tags: [negotiations]",
            "Both sides named points of contact for a second round.",
        ),
        (
            "points-and-contacts",
            "Points and contacts",
            "2025-05-12",
            "tags: [negotiations]",
            "Three points were raised; contact was kept by phone.",
        ),
        (
            "drones-over-kyiv",
            "Drones over Kyiv",
            "2025-04-02",
            "people: [Володимир Зеленський]\nplaces: [Kyiv]\ntags: [air-defence]",
            "Володимир Зеленський asked for more air defence after the attack on Kyiv.\n\n```rust\n// A line comment, highlighted\nfn main() { let drones = 40; }\n```\n\n```python\n# another comment\nprint(\"air defence\")\n```",
        ),
        (
            "nato-ministers",
            "NATO ministers meet",
            "2024-12-10",
            "people: [Rustem Umerov]\norganisations: [NATO]",
            "Rustem Umerov briefed NATO ministers on air defence in Kyiv.",
        ),
        (
            "quiet-day",
            "A quiet day",
            "2024-11-03",
            "places: [Kyiv]\nautolink: false",
            "Nothing happened in Kyiv.",
        ),
    ];
    for (slug, title, date, names, body) in briefings {
        f.write(
            &format!("content/briefings/{slug}.md"),
            &format!("---\ntitle: {title}\ndate: {date}\nsummary: {title}, in short.\n{names}\n---\n{body}\n"),
        );
    }
    f
}

/// Serves `dir` at `http://127.0.0.1:PORT/sub/` from a thread that lives as long as the test.
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || respond(stream, &dir));
        }
    });
    format!("http://127.0.0.1:{port}/sub/")
}

fn respond(mut stream: TcpStream, dir: &Path) {
    let mut request_line = String::new();
    let mut reader = BufReader::new(&stream);
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Read (and drop) the headers, so the client sees its request consumed.
    let mut header = String::new();
    while reader
        .read_line(&mut header)
        .map(|n| n > 2)
        .unwrap_or(false)
    {
        header.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("");
    let file = path
        .strip_prefix("/sub/")
        .filter(|p| !p.split('/').any(|part| part == ".."))
        .map(|p| {
            let p = percent_decode(p);
            let mut file = dir.join(&p);
            if p.is_empty() || p.ends_with('/') {
                file = file.join("index.html");
            }
            file
        });
    let (status, body, kind) = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((f, body)) => ("200 OK", body, content_type(&f)),
        None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// Builds `site` for a local sub-path server and runs one task of `check.mjs` against it.
fn run_in_chromium(task: &str, site: &Fixture, spec: serde_json::Value) {
    run_site_in_chromium(task, site.root(), &site.path("public"), spec);
}

/// Builds the site at `root` into `out` for a local sub-path server and runs one task.
fn run_site_in_chromium(task: &str, root: &Path, out: &Path, mut spec: serde_json::Value) {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_string());
    assert!(
        Path::new(&chromium).exists(),
        "chromium is not installed at {chromium}: run `apt-get install chromium` (or set CHROMIUM)"
    );
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        scripts.join("node_modules/playwright-core").exists()
            && scripts.join("node_modules/axe-core").exists(),
        "playwright-core and axe-core are missing: run `npm ci --prefix tests/browser`"
    );
    let base = serve(out.to_path_buf());
    let mut options = sitroom::BuildOptions::new(root);
    options.base_url = Some(base.clone());
    options.out = Some(out.to_path_buf());
    sitroom::build(&options).expect("the site builds");
    spec["base"] = base.into();
    spec["chromium"] = chromium.into();
    let output = Command::new("node")
        .arg(scripts.join("check.mjs"))
        .arg(task)
        .arg(spec.to_string())
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .output()
        .expect("run node (apt-get install nodejs)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "{task} failed in chromium:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(&format!("{task}: ok")), "{stdout}");
}

const TOKENS: &str = include_str!("fixtures/search-tokens.json");

#[test]
#[ignore = "needs chromium: apt-get install chromium"]
fn search_finds_every_spelling_phrases_typos_and_filters() {
    let site = archive("https://example.org/");
    let tokens: serde_json::Value = serde_json::from_str(TOKENS).expect("token cases");
    let every_zelensky = [
        "Talks open in Istanbul",
        "Reactions abroad",
        "Drones over Kyiv",
    ];
    run_in_chromium(
        "search",
        &site,
        serde_json::json!({
            "tokens": tokens,
            // Every name and alias, and the words of names only he has: the same briefings
            // in the same order, the one naming him only in its body by an alias included.
            "spellings": ["Volodymyr Zelensky", "Zelenskiy", "Zelenskyy", "Володимир Зеленський", "volodymyr zelensky", "ZELENSKIY", "Zelensky", "Зеленський"],
            "spellingTitles": every_zelensky,
            "bodyOnly": {"title": "Reactions abroad", "mark": "Zelenskyy"},
            "phrase": {"query": "\"points of contact\"", "titles": ["Contact points agreed"], "loose": "points of contact", "looseTitles": ["Contact points agreed", "Points and contacts"]},
            "accents": ["Turkiye", "Türkiye", "TURKIYE"],
            "accentTitles": ["Talks open in Istanbul"],
            "typo": {"query": "Medinksy", "title": "Putin stays away", "note": "showing “medinsky”"},
            "stopWord": {"query": "the", "status": "too common"},
            "letter": {"query": "v", "status": "Type two letters", "link": "people/page/2/#letter-v"},
            "person": "rustem-umerov",
            "personTitles": ["Talks open in Istanbul", "NATO ministers meet"],
            "narrow": {"query": "air defence", "titles": ["NATO ministers meet"]},
            "month": {"year": "2025", "month": "2025-04", "titles": ["Drones over Kyiv"]},
        }),
    );
}

#[test]
#[ignore = "needs chromium: apt-get install chromium"]
fn without_javascript_search_offers_every_name_and_the_indexes() {
    let site = archive("https://example.org/");
    run_in_chromium(
        "nojs",
        &site,
        serde_json::json!({
            "javascript": false,
            "query": "Zelenskiy",
            "target": "people/volodymyr-zelensky/",
            "links": ["people/", "organisations/", "places/", "tags/", "archive/", "search/names/"],
        }),
    );
}

#[test]
#[ignore = "needs chromium: apt-get install chromium"]
fn reading_letters_icon_current_page_chart_dates_and_print() {
    let site = archive("https://example.org/");
    run_in_chromium(
        "reading",
        &site,
        serde_json::json!({
            "index": "people/",
            "briefing": "briefings/talks-open/",
            "chart": {"path": "places/kyiv/", "months": 6, "bars": 2},
            "sourceDate": "16 May 2025",
            "printLink": "people/rustem-umerov/",
        }),
    );
}

#[test]
#[ignore = "needs chromium: apt-get install chromium"]
fn autolink_leads_to_the_person_and_back() {
    let site = archive("https://example.org/");
    run_in_chromium(
        "autolink",
        &site,
        serde_json::json!({
            "briefing": "briefings/talks-open/",
            "name": "Rustem Umerov",
            "target": "people/rustem-umerov/",
            "heading": "Rustem Umerov",
        }),
    );
}

#[test]
#[ignore = "needs chromium: apt-get install chromium"]
fn key_pages_have_no_serious_accessibility_violations_or_console_errors() {
    let site = archive("https://example.org/");
    run_in_chromium(
        "axe",
        &site,
        serde_json::json!({
            "paths": ["", "briefings/talks-open/", "briefings/drones-over-kyiv/", "people/volodymyr-zelensky/", "places/kyiv/", "places/", "people/", "search/?q=zelenskiy", "search/?q=%22points+of+contact%22&month=2025-05", "search/names/", "archive/"],
            "schemes": ["light", "dark"],
        }),
    );
}

#[test]
#[ignore = "needs chromium: apt-get install chromium"]
fn arabic_pages_read_right_to_left_with_no_serious_accessibility_violations() {
    let site = archive("https://example.org/");
    let yaml = std::fs::read_to_string(site.path("site.yaml")).expect("site.yaml");
    site.write(
        "site.yaml",
        &format!("{yaml}languages:\n  ar: {{ title: موجزات, description: موجزات قصيرة }}\n"),
    );
    site.write(
        "content/briefings/talks-open.ar.md",
        "---\ntitle: المحادثات تبدأ في إسطنبول\ndate: 2025-05-16\nsummary: أول محادثات مباشرة منذ 2022.\npeople: [Volodymyr Zelensky]\nplaces: [Istanbul]\ntags: [negotiations]\n---\nالتقى الوفدان في إسطنبول.\n",
    );
    run_in_chromium(
        "axe",
        &site,
        serde_json::json!({
            "paths": ["ar/", "ar/briefings/talks-open/", "ar/people/volodymyr-zelensky/", "ar/archive/", "ar/search/?q=%D8%A5%D8%B3%D8%B7%D9%86%D8%A8%D9%88%D9%84", "briefings/talks-open/"],
            "schemes": ["light", "dark"],
        }),
    );
}

#[test]
#[ignore = "needs chromium: apt-get install chromium"]
fn the_search_page_speaks_its_language() {
    let site = archive("https://example.org/");
    let yaml = std::fs::read_to_string(site.path("site.yaml")).expect("site.yaml");
    site.write(
        "site.yaml",
        &format!("{yaml}languages:\n  uk: {{ title: Брифінги, description: Тести. }}\n"),
    );
    for (slug, title) in [
        ("talks-open", "Переговори в Стамбулі"),
        ("putin-stays-away", "Путін не приїхав"),
    ] {
        site.write(
            &format!("content/briefings/{slug}.uk.md"),
            &format!("---\ntitle: {title}\ndate: 2025-05-16\npeople: [Володимир Зеленський]\n---\nПереговори тривають.\n"),
        );
    }
    run_in_chromium(
        "words",
        &site,
        serde_json::json!({
            "cases": [
                {"path": "uk/search/", "status": "Введіть ім’я"},
                {"path": "uk/search/?q=%D0%BF%D0%B5%D1%80%D0%B5%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%D0%B8", "status": "Знайдено 2 брифінги."},
                {"path": "uk/search/?q=%D0%B2", "status": "Введіть щонайменше дві літери"},
                {"path": "uk/search/?q=the", "status": "«the» — надто поширене слово"},
                {"path": "uk/search/?q=%D0%BF%D0%B5%D1%80%D0%B5%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%D0%BC", "status": "показуємо «переговори»"},
                {"path": "search/?q=istanbul", "status": "briefing"},
                {"path": "search/?q=the", "status": "“the” is too common to search for on its own."},
            ],
        }),
    );
}

/// Pictures of the sample archive (the repository's own `content/`) for the README:
/// `SITROOM_SCREENSHOTS=docs/screenshots` keeps them; otherwise they go to a temp folder.
#[test]
#[ignore = "needs chromium: apt-get install chromium"]
fn screenshots_at_phone_and_desktop_widths() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().expect("temp dir");
    let shots = match std::env::var("SITROOM_SCREENSHOTS") {
        Ok(dir) => manifest.join(dir),
        Err(_) => scratch.path().join("screenshots"),
    };
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    run_site_in_chromium(
        "screenshots",
        manifest,
        &scratch.path().join("public"),
        serde_json::json!({
            "out": shots,
            "pages": {
                "home": "",
                "briefing": "briefings/2025-05-16-istanbul-talks-resume/",
                "person": "people/volodymyr-zelensky/",
                "search": "search/?q=zelenskiy",
            },
        }),
    );
    assert!(shots.join("search-phone.png").exists());
}
