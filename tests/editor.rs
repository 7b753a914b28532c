//! The editor's commands end to end: `check` on one broken file at a time, `--strict` and
//! `--format json`, `new` and `init`.
//!
//! Each `tests/fixtures/errors/NAME.md` is one broken file. `NAME.expected` says where it
//! goes in the small fixture site (first line) and every diagnostic `check` must report for
//! that file, exactly. To cover a new mistake, add the two files; run with
//! `SITROOM_BLESS=1` to write a new `.expected`, and read it before committing.

mod common;

use std::path::Path;

use common::Fixture;

const ERRORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/errors");

/// The small site with a static image, so a fixture can link to a file that exists.
fn site() -> Fixture {
    let f = Fixture::small();
    f.write("static/img/map.png", "not really a PNG");
    f
}

/// `check --format json` in `f`: exit code and each diagnostic as a JSON value.
fn check_json(f: &Fixture, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let out = f.run(&args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let diagnostics = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    (out.status.code().unwrap_or(-1), diagnostics)
}

/// A diagnostic as the `.expected` files write it: the location line and the help line.
fn render(d: &serde_json::Value) -> String {
    let mut text = format!(
        "{}:{}:{}: {}: {}\n",
        d["path"].as_str().unwrap_or(""),
        d["line"],
        d["column"],
        d["severity"].as_str().unwrap_or(""),
        d["message"].as_str().unwrap_or("")
    );
    if let Some(help) = d["help"].as_str() {
        text.push_str(&format!("  help: {help}\n"));
    }
    text
}

#[test]
fn each_broken_file_gets_its_diagnostics() {
    let mut names: Vec<_> = std::fs::read_dir(ERRORS)
        .expect("the fixtures folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    names.sort();
    assert!(names.len() >= 11, "fixtures missing: {names:?}");
    let mut failures = Vec::new();
    for fixture in &names {
        if let Some(failure) = check_fixture(fixture) {
            failures.push(failure);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs one fixture; a description of the mismatch, if any.
fn check_fixture(fixture: &Path) -> Option<String> {
    let expected_path = fixture.with_extension("expected");
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    let destination = expected.lines().next().unwrap_or("").to_string();
    let destination = if destination.is_empty() {
        let stem = fixture.file_stem()?.to_string_lossy().into_owned();
        format!("content/briefings/2025/05/{stem}.md")
    } else {
        destination
    };
    let f = site();
    let text = std::fs::read_to_string(fixture).expect("a fixture");
    f.write(&destination, &text);
    let (_, diagnostics) = check_json(&f, &[]);
    let found: String = diagnostics
        .iter()
        .filter(|d| d["path"] == destination.as_str())
        .map(render)
        .collect();
    let found = format!("{destination}\n{found}");
    if std::env::var_os("SITROOM_BLESS").is_some() {
        std::fs::write(&expected_path, &found).expect("writing .expected");
        return None;
    }
    (found != expected).then(|| {
        format!(
            "{}:\n--- expected\n{expected}--- found\n{found}",
            fixture.display()
        )
    })
}

#[test]
fn the_small_site_checks_with_warnings_only() {
    let f = site();
    let (code, diagnostics) = check_json(&f, &[]);
    assert_eq!(code, 0, "{diagnostics:?}");
    assert!(diagnostics.iter().all(|d| d["severity"] == "warning"));
    assert!(!diagnostics.is_empty());
    // --strict turns the same warnings into a failure.
    let (code, strict) = check_json(&f, &["--strict"]);
    assert_eq!(code, 1);
    assert_eq!(strict, diagnostics);
}

#[test]
fn an_error_fails_check_and_shows_the_source_line() {
    let f = site();
    f.write(
        "content/briefings/2025/05/wiki.md",
        &std::fs::read_to_string(Path::new(ERRORS).join("broken-wiki-link.md")).expect("fixture"),
    );
    let out = f.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "content/briefings/2025/05/wiki.md:8:4: error: `[[talks-planed]]` links to no briefing\n  \
             8 | As [[talks-planed]] said.\n    |    ^\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_clean_archive_prints_one_summary_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("archive");
    let out = run_in(dir.path(), &["init", root.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{out:?}");
    let out = run_in(&root, &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("checked ") && stdout.trim_end().ends_with(": no problems found"));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sitroom"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run sitroom")
}

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

#[test]
fn init_makes_an_archive_that_builds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("my-briefings");
    let out = run_in(dir.path(), &["init", "my-briefings"]);
    assert!(out.status.success(), "{out:?}");
    for file in [
        "site.yaml",
        "content/people/volodymyr-zelensky.md",
        "static/.gitkeep",
    ] {
        assert!(root.join(file).is_file(), "{file} missing");
    }
    assert!(
        !root.join("templates").exists(),
        "init must leave the default templates in charge"
    );
    let site_yaml = std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
    assert!(site_yaml.contains("base_url: https://example.github.io/my-briefings/"));

    let out = run_in(dir.path(), &["build", "--root", "my-briefings"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = std::fs::read_to_string(root.join("public/index.html")).expect("home page");
    assert!(home.contains("Welcome to the archive"));
    assert!(
        root.join("public/people/volodymyr-zelensky/index.html")
            .is_file()
    );

    // A second init into the same folder refuses and leaves it alone.
    let out = run_in(dir.path(), &["init", "my-briefings"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty"));
    assert_eq!(
        std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml"),
        site_yaml
    );
}

#[test]
fn new_writes_ready_to_edit_files_at_the_conventional_paths() {
    let f = Fixture::small();
    let day = today();
    let out = f.run(&["new", "briefing", "Talks: day 2 in \"Istanbul\""]);
    assert!(out.status.success(), "{out:?}");
    let relative = format!(
        "content/briefings/{:04}/{:02}/{day}-talks-day-2-in-istanbul.md",
        day.year(),
        day.month()
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), relative);
    let text = std::fs::read_to_string(f.path(&relative)).expect("the new briefing");
    assert!(
        text.contains("title: \"Talks: day 2 in \\\"Istanbul\\\"\"\n"),
        "{text}"
    );
    assert!(text.contains(&format!("date: {day}\n")));
    for key in [
        "updated",
        "people",
        "organisations",
        "places",
        "tags",
        "sources",
        "draft",
        "slug",
    ] {
        assert!(
            text.contains(&format!("# {key}:")),
            "`{key}` is not offered: {text}"
        );
    }

    let built = f
        .build()
        .expect("the site still builds with the new briefing");
    assert!(built.files > 0);
    let page = f.output(&format!(
        "briefings/{day}-talks-day-2-in-istanbul/index.html"
    ));
    assert!(
        page.contains("Talks: day 2 in &quot;Istanbul&quot;"),
        "{page}"
    );

    // Asked again, it refuses and keeps the editor's file.
    std::fs::write(f.path(&relative), "edited").expect("edit");
    let out = f.run(&["new", "briefing", "Talks: day 2 in \"Istanbul\""]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(f.path(&relative)).expect("file"),
        "edited"
    );
}

#[test]
fn new_profiles_go_to_their_kinds_folder() {
    let f = Fixture::small();
    for (kind, name, path) in [
        ("person", "Rustem Umerov", "content/people/rustem-umerov.md"),
        (
            "organisation",
            "European Union",
            "content/organisations/european-union.md",
        ),
        ("place", "Ankara", "content/places/ankara.md"),
    ] {
        let out = f.run(&["new", kind, name]);
        assert!(out.status.success(), "{out:?}");
        let text = std::fs::read_to_string(f.path(path)).expect("the new profile");
        assert!(text.contains(&format!("name: \"{name}\"\n")), "{text}");
        assert!(text.contains("# aliases:"));
        assert_eq!(text.contains("# affiliations:"), kind == "person");
    }
    f.build().expect("the site builds with the new profiles");
    assert!(f.output("places/ankara/index.html").contains("Ankara"));
}

#[test]
fn new_outside_an_archive_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(dir.path(), &["new", "briefing", "Anything"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no `site.yaml`"));
    let out = run_in(dir.path(), &["new", "tank", "T-72"]);
    assert_eq!(out.status.code(), Some(2));
}
