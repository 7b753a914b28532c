//! The editor's commands end to end: `check` on one broken file at a time, `--strict` and
//! `--format json`, `new` and `init`.
//!
//! Each `tests/fixtures/errors/NAME.md` (or `NAME.yaml`) is one broken file. `NAME.expected`
//! says where it goes in the small fixture site (first line; ` --drafts` after the path
//! checks with drafts) and then holds exactly what `check` prints about that file: each
//! diagnostic with its source line, caret and help, as the editor sees it. To cover a new
//! mistake, add the two files; run with `SITROOM_BLESS=1` to write a new `.expected`, and
//! read it before committing.

mod common;

use std::path::Path;

use common::Fixture;

const ERRORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/errors");

/// The small site with a static image, so a fixture can link to a file that exists.
fn site() -> Fixture {
    let f = Fixture::small();
    f.write_png("static/img/map.png");
    f
}

/// The day the fixtures are checked on, so that "in the future" never changes.
fn fixture_day() -> jiff::civil::Date {
    jiff::civil::Date::constant(2025, 6, 1)
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

#[test]
fn each_broken_file_gets_its_diagnostics() {
    let mut names: Vec<_> = std::fs::read_dir(ERRORS)
        .expect("the fixtures folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 30, "fixtures missing: {names:?}");
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
    let header = expected.lines().next().unwrap_or("").to_string();
    let (destination, drafts) = match header.strip_suffix(" --drafts") {
        Some(path) => (path.to_string(), true),
        None => (header.clone(), false),
    };
    let destination = if destination.is_empty() {
        let stem = fixture.file_stem()?.to_string_lossy().into_owned();
        format!("content/briefings/2025/05/{stem}.md")
    } else {
        destination
    };
    let f = site();
    let text = std::fs::read_to_string(fixture).expect("a fixture");
    f.write(&destination, &text);
    let options = sitroom::BuildOptions {
        drafts,
        ..sitroom::BuildOptions::new(f.root())
    };
    let checked = sitroom::check::check(&options, fixture_day()).expect("the site checks");
    let found: String = checked
        .diagnostics
        .iter()
        .filter(|d| d.path == Path::new(&destination))
        .map(ToString::to_string)
        .collect();
    let header = if drafts {
        format!("{destination} --drafts")
    } else {
        destination.clone()
    };
    let found = format!("{header}\n{found}");
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
    // A new briefing is a draft with nothing that would publish as it is (#11).
    assert!(text.contains("\ndraft: true "), "{text}");
    assert!(text.ends_with("---\n"), "no placeholder body: {text}");
    for key in [
        "updated",
        "summary",
        "people",
        "organisations",
        "places",
        "tags",
        "authors",
        "sources",
        "slug",
    ] {
        assert!(
            text.contains(&format!("# {key}:")),
            "`{key}` is not offered: {text}"
        );
    }

    f.build()
        .expect("the site still builds with the new briefing");
    let page_path = format!("briefings/{day}-talks-day-2-in-istanbul/index.html");
    assert!(!f.exists(&page_path), "a new briefing is not published");
    let built = f
        .build_with(|o| o.drafts = true)
        .expect("the draft builds with --drafts");
    assert!(built.files > 0);
    let page = f.output(&page_path);
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
