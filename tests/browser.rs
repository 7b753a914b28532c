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
fn archive(base_url: &str) -> Fixture {
    let f = Fixture::new(&format!(
        "title: Browser Briefings\nbase_url: {base_url}\ndescription: Tests in a browser.\nlanguage: en\nper_page: 10\n"
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
        "content/organisations/nato.md",
        "---\nname: NATO\naliases: [North Atlantic Treaty Organization]\n---\nThe alliance.\n",
    );
    f.write(
        "content/places/istanbul.md",
        "---\nname: Istanbul\n---\nCity in Turkey.\n",
    );
    f.write(
        "content/places/kyiv.md",
        "---\nname: Kyiv\naliases: [Kiev]\n---\nCapital of Ukraine.\n",
    );
    let briefings = [
        (
            "talks-open",
            "Talks open in Istanbul",
            "2025-05-16",
            "people: [Volodymyr Zelensky, Rustem Umerov]\nplaces: [Istanbul]\ntags: [negotiations]",
            "Volodymyr Zelensky sent Rustem Umerov to Istanbul. Zelensky said the delegation would wait.\n\n## Who came\n\nRustem Umerov led it.",
        ),
        (
            "putin-stays-away",
            "Putin stays away",
            "2025-05-15",
            "people: [Vladimir Putin]\ntags: [negotiations]",
            "Vladimir Putin did not travel to Istanbul.",
        ),
        (
            "drones-over-kyiv",
            "Drones over Kyiv",
            "2025-04-02",
            "people: [Володимир Зеленський]\nplaces: [Kyiv]\ntags: [air-defence]",
            "Володимир Зеленський asked for more air defence after the attack on Kyiv.",
        ),
        (
            "nato-ministers",
            "NATO ministers meet",
            "2024-12-10",
            "people: [Rustem Umerov]\norganisations: [NATO]",
            "Rustem Umerov briefed NATO ministers on air defence.",
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

#[test]
#[ignore = "needs chromium: apt-get install chromium"]
fn search_finds_names_and_aliases_and_filters_by_person() {
    let site = archive("https://example.org/");
    run_in_chromium(
        "search",
        &site,
        serde_json::json!({
            "queries": ["Zelenskiy", "Зеленський", "zelensky"],
            "expect": ["Talks open in Istanbul", "Drones over Kyiv"],
            "person": "rustem-umerov",
            "personTitles": ["Talks open in Istanbul", "NATO ministers meet"],
            "narrow": {"query": "air defence", "titles": ["NATO ministers meet"]},
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
            "paths": ["", "briefings/talks-open/", "people/volodymyr-zelensky/", "people/", "search/?q=zelenskiy", "archive/"],
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
