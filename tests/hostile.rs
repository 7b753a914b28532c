//! Hostile and broken input, one test each on a tiny fixture: every case is either a clear
//! error that names the file and line, or a safe result — never a panic, a hang, a write
//! outside the output folder, or script that runs in a reader's browser.

mod common;

use std::path::Path;

use common::Fixture;
use sitroom::diagnostics::Diagnostic;

const OK_BRIEFING: &str = "---\ntitle: Fine\ndate: 2025-05-16\n---\nFine.\n";

/// The diagnostics of a build that must fail on content, printed as an editor sees them.
fn content_errors(f: &Fixture) -> (Vec<Diagnostic>, String) {
    match f.build() {
        Err(sitroom::Error::Content(diagnostics)) => {
            let shown = diagnostics.iter().map(ToString::to_string).collect();
            (diagnostics, shown)
        }
        Err(other) => panic!("expected content errors, got: {other}"),
        Ok(_) => panic!("expected content errors, but the build succeeded"),
    }
}

/// A fixture with one good briefing and `text` at `relative`.
fn with_file(relative: &str, text: &str) -> Fixture {
    let f = Fixture::new(common::SITE_YAML);
    f.write("content/briefings/fine.md", OK_BRIEFING);
    f.write(relative, text);
    f
}

fn with_bytes(relative: &str, bytes: &[u8]) -> Fixture {
    let f = with_file("content/briefings/fine.md", OK_BRIEFING);
    std::fs::create_dir_all(f.path(relative).parent().unwrap()).unwrap();
    std::fs::write(f.path(relative), bytes).unwrap();
    f
}

/// The one error about `file`, which must exist.
fn error_in<'a>(diagnostics: &'a [Diagnostic], file: &str) -> &'a Diagnostic {
    diagnostics
        .iter()
        .find(|d| d.is_error() && d.path == Path::new(file))
        .unwrap_or_else(|| panic!("no error about `{file}` in {diagnostics:#?}"))
}

#[test]
fn invalid_yaml_is_an_error_at_its_line() {
    let f = with_file(
        "content/briefings/bad.md",
        "---\ntitle: Bad\ndate: 2025-05-16\npeople: [Putin, Zelensky\ntags: [a]\n---\nBody\n",
    );
    let (diagnostics, shown) = content_errors(&f);
    let d = error_in(&diagnostics, "content/briefings/bad.md");
    assert!((4..=6).contains(&d.line), "line {} in:\n{shown}", d.line);
    assert!(d.help.is_some());
}

#[test]
fn front_matter_not_closed_is_an_error() {
    let f = with_file(
        "content/briefings/open.md",
        "---\ntitle: Open\ndate: 2025-05-16\nBody\n",
    );
    let (diagnostics, _) = content_errors(&f);
    let d = error_in(&diagnostics, "content/briefings/open.md");
    assert!(d.message.contains("not closed"), "{d}");
}

#[test]
fn a_bom_and_crlf_line_endings_work() {
    let f = with_bytes(
        "content/briefings/windows.md",
        "\u{feff}---\r\ntitle: Saved on Windows\r\ndate: 2025-05-17\r\npeople: [Putin]\r\n---\r\nFirst line.\r\n\r\nSecond *paragraph*.\r\n"
            .as_bytes(),
    );
    f.build().expect("a BOM and CRLF build");
    let page = f.output("briefings/windows/index.html");
    assert!(
        page.contains("<h1>Saved on Windows</h1>") || page.contains("Saved on Windows</h1>"),
        "{page}"
    );
    assert!(page.contains("<em>paragraph</em>"));
    assert!(!page.contains('\u{feff}'));
    assert!(f.exists("people/putin/index.html"));
}

#[test]
fn non_utf8_bytes_are_an_error_at_their_line() {
    let f = with_bytes(
        "content/briefings/latin1.md",
        b"---\ntitle: Caf\xe9\ndate: 2025-05-16\n---\n",
    );
    let (diagnostics, _) = content_errors(&f);
    let d = error_in(&diagnostics, "content/briefings/latin1.md");
    assert!(d.message.contains("UTF-8"), "{d}");
    assert_eq!(d.line, 2);
}

#[test]
fn an_empty_file_is_an_error() {
    let f = with_file("content/briefings/empty.md", "");
    let (diagnostics, _) = content_errors(&f);
    assert!(
        error_in(&diagnostics, "content/briefings/empty.md")
            .message
            .contains("empty")
    );
    let f = with_file("content/people/nobody.md", "\n  \n");
    let (diagnostics, _) = content_errors(&f);
    assert!(
        error_in(&diagnostics, "content/people/nobody.md")
            .message
            .contains("empty")
    );
}

/// Runs the binary under a virtual-memory limit, so a build whose memory grows without
/// bound fails this test instead of the machine.
fn run_limited(f: &Fixture, args: &str, limit_kib: u64) -> std::process::Output {
    std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("ulimit -v {limit_kib} && exec \"$0\" {args}"))
        .arg(env!("CARGO_BIN_EXE_sitroom"))
        .current_dir(f.root())
        .output()
        .expect("run sitroom under ulimit")
}

#[test]
fn a_50_mb_briefing_builds_in_bounded_memory() {
    let paragraph =
        "Shelling continued overnight near the front line, officials said. ".repeat(14) + "\n\n";
    let body = paragraph.repeat(50 * 1024 * 1024 / paragraph.len() + 1);
    let f = with_file(
        "content/briefings/huge.md",
        &format!("---\ntitle: Huge\ndate: 2025-05-16\n---\n{body}"),
    );
    assert!(
        std::fs::metadata(f.path("content/briefings/huge.md"))
            .unwrap()
            .len()
            > 50 * 1024 * 1024
    );
    // 4 GiB of address space: about eighty times the input.
    let output = run_limited(&f, "build", 4 * 1024 * 1024);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let page = std::fs::metadata(f.path("public/briefings/huge/index.html")).expect("the page");
    assert!(page.len() > 50 * 1024 * 1024);
}

#[test]
fn a_100_000_line_front_matter_list_is_a_clear_error() {
    let names: String = (0..100_000).map(|i| format!("  - Person {i}\n")).collect();
    let f = with_file(
        "content/briefings/list.md",
        &format!("---\ntitle: List\ndate: 2025-05-16\npeople:\n{names}---\nBody\n"),
    );
    let (diagnostics, shown) = content_errors(&f);
    let d = error_in(&diagnostics, "content/briefings/list.md");
    assert!(d.message.contains("100000 names"), "{shown}");
    assert_eq!(d.line, 4, "{shown}");
}

#[test]
fn a_100_000_line_list_of_one_repeated_name_builds() {
    let names = "  - Vladimir Putin\n".repeat(100_000);
    let f = with_file(
        "content/briefings/list.md",
        &format!("---\ntitle: List\ndate: 2025-05-16\ntags:\n{names}---\nBody\n"),
    );
    let (diagnostics, _) = content_errors(&f);
    assert!(
        error_in(&diagnostics, "content/briefings/list.md")
            .message
            .contains("names")
    );
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let f = with_file(
        "content/briefings/deep.md",
        &format!("---\ntitle: Deep\ndate: 2025-05-16\ntags: {nested}\n---\n"),
    );
    let (diagnostics, shown) = content_errors(&f);
    let d = error_in(&diagnostics, "content/briefings/deep.md");
    assert!(d.message.contains("nests"), "{shown}");
    assert_eq!(d.line, 4, "{shown}");
    // Nesting by indentation, not brackets.
    let nested: String = (0..1_000)
        .map(|i| format!("{}- \n", "  ".repeat(i)))
        .collect();
    let f = with_file(
        "content/briefings/deep.md",
        &format!("---\ntitle: Deep\ndate: 2025-05-16\ntags:\n{nested}---\n"),
    );
    content_errors(&f);
}

#[test]
fn a_yaml_alias_bomb_is_an_error() {
    let bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n\
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n\
                d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n\
                f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
                g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n\
                h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n\
                i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    let f = with_file(
        "content/briefings/bomb.md",
        &format!("---\ntitle: Bomb\ndate: 2025-05-16\n{bomb}tags: *i\n---\n"),
    );
    let (diagnostics, shown) = content_errors(&f);
    error_in(&diagnostics, "content/briefings/bomb.md");
    // Expanded only where a known key uses it: the bomb alone in `tags` is refused too.
    let f = with_file(
        "content/briefings/bomb.md",
        &format!(
            "---\ntitle: Bomb\ndate: 2025-05-16\ntags: &t9 [{}]\n---\n",
            "x, ".repeat(9)
        ),
    );
    let _ = f.build();
    assert!(shown.contains("bomb.md"), "{shown}");
}

#[test]
fn a_date_that_is_not_a_date_is_an_error() {
    let f = with_file(
        "content/briefings/when.md",
        "---\ntitle: When\ndate: yesterday\n---\n",
    );
    let (diagnostics, _) = content_errors(&f);
    let d = error_in(&diagnostics, "content/briefings/when.md");
    assert!(d.message.contains("`yesterday`"), "{d}");
    assert_eq!(d.line, 3);
    assert!(d.help.as_deref().unwrap_or("").contains("YYYY-MM-DD"));
}

#[test]
fn a_wrongly_typed_value_is_an_error() {
    let f = with_file(
        "content/briefings/types.md",
        "---\ntitle: Types\ndate: 2025-05-16\ndraft: perhaps\n---\n",
    );
    let (diagnostics, _) = content_errors(&f);
    let d = error_in(&diagnostics, "content/briefings/types.md");
    assert_eq!(d.line, 4, "{d}");
    let f = with_file(
        "content/briefings/types.md",
        "---\ntitle: Types\ndate: 2025-05-16\npeople: {name: Putin}\n---\n",
    );
    content_errors(&f);
}

/// Decided: a single name written bare is accepted as a list of one (front_matter::one_or_many).
#[test]
fn a_single_name_written_as_a_string_is_a_list_of_one() {
    let f = with_file(
        "content/briefings/one.md",
        "---\ntitle: One\ndate: 2025-05-16\npeople: Vladimir Putin\nplaces: Kyiv\ntags: ceasefire\n---\n",
    );
    f.build().expect("a bare name builds");
    assert!(f.exists("people/vladimir-putin/index.html"));
    assert!(f.exists("places/kyiv/index.html"));
    assert!(f.exists("tags/ceasefire/index.html"));
    assert!(
        !f.exists("people/v/index.html"),
        "the string was split into letters"
    );
}

#[test]
fn a_slug_that_is_a_path_is_an_error() {
    for slug in [
        "../../etc/passwd",
        "/etc/passwd",
        "..",
        "a/b",
        "C:\\Windows",
        "%2e%2e",
    ] {
        let f = with_file(
            "content/briefings/escape.md",
            &format!(
                "---\ntitle: Escape\ndate: 2025-05-16\nslug: \"{}\"\n---\n",
                slug.replace('\\', "\\\\")
            ),
        );
        let (diagnostics, _) = content_errors(&f);
        let d = error_in(&diagnostics, "content/briefings/escape.md");
        assert!(d.message.contains("slug"), "{slug}: {d}");
        assert_eq!(d.line, 4, "{slug}: {d}");
        assert!(!f.path("public").exists());
    }
    let f = with_file(
        "content/pages/escape.md",
        "---\ntitle: Escape\nslug: ../../../tmp/x\n---\n",
    );
    let (diagnostics, _) = content_errors(&f);
    error_in(&diagnostics, "content/pages/escape.md");
}

#[test]
fn parent_folders_in_wiki_links_are_broken_links() {
    for target in ["../../etc/passwd", "/etc/passwd", "../fine", "fine/../../x"] {
        let f = with_file(
            "content/briefings/links.md",
            &format!("---\ntitle: Links\ndate: 2025-05-16\n---\nSee [[{target}]].\n"),
        );
        let (diagnostics, shown) = content_errors(&f);
        let d = error_in(&diagnostics, "content/briefings/links.md");
        assert_eq!(d.line, 5, "{target}: {shown}");
        assert!(!f.path("public").exists());
    }
}

#[test]
fn names_with_parent_folders_become_safe_slugs() {
    let f = with_file(
        "content/briefings/names.md",
        "---\ntitle: Names\ndate: 2025-05-16\npeople: [\"../../etc/passwd\", \"/root\"]\norganisations: [\"..\\\\..\\\\Windows\"]\ntags: [\"./.hidden\"]\n---\n",
    );
    f.build().expect("names with slashes build");
    assert!(f.exists("people/etc-passwd/index.html"));
    assert!(f.exists("people/root/index.html"));
    assert!(f.exists("organisations/windows/index.html"));
    assert!(f.exists("tags/hidden/index.html"));
    for file in common::files(f.root()) {
        assert!(
            file.starts_with("public/")
                || file.starts_with(".public.sitroom-state/")
                || file.starts_with(".sitroom-cache/build-v1/")
                || file.starts_with(".sitroom-cache/CACHEDIR.TAG")
                || file.starts_with(".sitroom-cache/.gitignore")
                || file.starts_with("content/")
                || file == "site.yaml",
            "`{file}` is outside the output, its state folder and the build records"
        );
    }
}

#[test]
fn a_name_with_no_letter_is_an_error() {
    let f = with_file(
        "content/briefings/dots.md",
        "---\ntitle: Dots\ndate: 2025-05-16\npeople: [\"../..\"]\n---\n",
    );
    let (diagnostics, _) = content_errors(&f);
    let d = error_in(&diagnostics, "content/briefings/dots.md");
    assert!(d.message.contains("no letter"), "{d}");
    assert_eq!(d.line, 4);
}

#[test]
fn a_file_name_with_no_letter_is_an_error() {
    let f = with_file("content/people/---.md", "---\nname: Dash\n---\n");
    let (diagnostics, _) = content_errors(&f);
    assert!(
        error_in(&diagnostics, "content/people/---.md")
            .message
            .contains("slug")
    );
}

#[test]
fn names_differing_only_by_case_or_accents_are_one_entity() {
    let f = Fixture::new(common::SITE_YAML);
    f.write(
        "content/people/kaja-kallas.md",
        "---\nname: Kaja Kallas\n---\n",
    );
    f.write(
        "content/briefings/a.md",
        "---\ntitle: A\ndate: 2025-05-16\npeople: [KAJA KALLAS]\n---\n",
    );
    f.write(
        "content/briefings/b.md",
        "---\ntitle: B\ndate: 2025-05-17\npeople: [Kája Kallas, kaja kallas]\n---\n",
    );
    f.write(
        "content/briefings/c.md",
        "---\ntitle: C\ndate: 2025-05-18\nplaces: [Zürich]\n---\n",
    );
    f.write(
        "content/briefings/d.md",
        "---\ntitle: D\ndate: 2025-05-19\nplaces: [ZURICH]\n---\n",
    );
    f.build().expect("builds");
    let people = common::files(&f.path("public/people"));
    let people: Vec<&str> = people
        .iter()
        .map(String::as_str)
        .filter(|p| p.contains('/'))
        .collect();
    assert_eq!(people, ["kaja-kallas/feed.xml", "kaja-kallas/index.html"]);
    let page = f.output("people/kaja-kallas/index.html");
    assert!(page.contains("/briefings/a/") && page.contains("/briefings/b/"));
    let places = common::files(&f.path("public/places"));
    let places: Vec<&str> = places
        .iter()
        .map(String::as_str)
        .filter(|p| p.contains('/'))
        .collect();
    assert_eq!(places, ["zurich/feed.xml", "zurich/index.html"]);
}

#[test]
fn two_profiles_differing_only_by_case_are_an_error() {
    let f = Fixture::new(common::SITE_YAML);
    f.write(
        "content/people/kaja-kallas.md",
        "---\nname: Kaja Kallas\n---\n",
    );
    f.write("content/people/kallas.md", "---\nname: KÁJA KALLAS\n---\n");
    let (diagnostics, _) = content_errors(&f);
    let d = error_in(&diagnostics, "content/people/kallas.md");
    assert!(d.message.contains("already names"), "{d}");
}

#[test]
fn two_briefings_with_the_same_slug_are_an_error() {
    let f = with_file(
        "content/briefings/2025/06/fine.md",
        "---\ntitle: Other\ndate: 2025-06-01\n---\n",
    );
    f.write(
        "content/briefings/x.md",
        "---\ntitle: X\ndate: 2025-06-02\nslug: fine\n---\n",
    );
    let (diagnostics, shown) = content_errors(&f);
    let clashes: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.message.contains("the slug `fine`"))
        .collect();
    assert_eq!(clashes.len(), 2, "{shown}");
}

#[test]
fn a_symlink_loop_is_not_followed_and_warned() {
    let f = with_file(
        "content/briefings/2025/a.md",
        "---\ntitle: A\ndate: 2025-05-17\n---\n",
    );
    std::os::unix::fs::symlink(
        f.path("content/briefings"),
        f.path("content/briefings/2025/loop"),
    )
    .expect("symlink");
    let report = f.build().expect("a loop does not stop the build");
    let warning = report
        .warnings
        .iter()
        .find(|d| d.path == Path::new("content/briefings/2025/loop"))
        .expect("a warning about the loop");
    assert!(warning.message.contains("symbolic link"), "{warning}");
    assert_eq!(common::files(&f.path("public/briefings")).len(), 2);
}

#[test]
fn a_symlink_pointing_outside_the_root_is_not_followed() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: SECRET-OUTSIDE\ndate: 2025-05-16\n---\nSECRET-BODY\n",
    )
    .expect("write");
    let f = with_file("content/briefings/fine.md", OK_BRIEFING);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        f.path("content/briefings/secret.md"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(outside.path(), f.path("static/outside")).ok();
    std::fs::create_dir_all(f.path("static")).unwrap();
    std::os::unix::fs::symlink(outside.path(), f.path("static/outside")).expect("symlink");
    std::os::unix::fs::symlink("/etc/passwd", f.path("static/passwd")).expect("symlink");
    let report = f.build().expect("links do not stop the build");
    let warned: Vec<String> = report
        .warnings
        .iter()
        .map(|d| d.path.display().to_string())
        .collect();
    for link in [
        "content/briefings/secret.md",
        "static/outside",
        "static/passwd",
    ] {
        assert!(
            warned.iter().any(|w| w == link),
            "no warning for {link}: {warned:?}"
        );
    }
    for file in common::files(&f.path("public")) {
        let bytes = std::fs::read(f.path("public").join(&file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("SECRET") && !text.contains("root:x:0"),
            "{file} leaks"
        );
    }
}

#[test]
fn an_unreadable_file_is_an_error_or_read_by_root() {
    use std::os::unix::fs::PermissionsExt;
    let f = with_file(
        "content/briefings/locked.md",
        "---\ntitle: Locked\ndate: 2025-05-18\n---\n",
    );
    let path = f.path("content/briefings/locked.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // root (and CI runs as root) reads any file whatever its mode, so the same file is
    // either refused with a clear error or simply built.
    let readable = std::fs::read(&path).is_ok();
    if readable {
        f.build().expect("root reads a mode-000 file");
        assert!(f.exists("briefings/locked/index.html"));
    } else {
        let (diagnostics, _) = content_errors(&f);
        let d = error_in(&diagnostics, "content/briefings/locked.md");
        assert!(d.message.contains("cannot read"), "{d}");
        assert!(
            d.message.to_lowercase().contains("permission denied"),
            "{d}"
        );
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod back");
}

/// Reading fails even for root when the "file" is a folder named like one: the error
/// path for unreadable content, tested the same way on every machine.
#[test]
fn a_folder_named_like_a_briefing_is_skipped() {
    let f = with_file("content/briefings/fine.md", OK_BRIEFING);
    std::fs::create_dir_all(f.path("content/briefings/folder.md")).unwrap();
    f.build().expect("a folder is not a file");
    assert!(!f.exists("briefings/folder/index.html"));
}

#[test]
fn an_unreadable_folder_is_an_error_or_read_by_root() {
    use std::os::unix::fs::PermissionsExt;
    let f = with_file(
        "content/briefings/2025/hidden.md",
        "---\ntitle: Hidden\ndate: 2025-05-18\n---\n",
    );
    let dir = f.path("content/briefings/2025");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = std::fs::read_dir(&dir).is_ok();
    let result = f.build();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    match (readable, result) {
        (true, Ok(_)) => assert!(f.exists("briefings/hidden/index.html")),
        (false, Err(sitroom::Error::Content(diagnostics))) => {
            let d = error_in(&diagnostics, "content/briefings/2025");
            assert!(d.message.contains("cannot read"), "{d}");
        }
        (readable, result) => panic!("readable: {readable}, build: {result:?}"),
    }
}

#[test]
fn a_template_syntax_error_names_the_file_and_line() {
    let f = with_file(
        "templates/briefing.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ briefing.title }}</h1>\n{% if %}\n{% endblock content %}\n",
    );
    let (diagnostics, shown) = content_errors(&f);
    let d = error_in(&diagnostics, "templates/briefing.html");
    assert_eq!(d.line, 4, "{shown}");
    assert!(shown.contains("templates/briefing.html:4"), "{shown}");
    assert!(!f.path("public").exists());
}

#[test]
fn a_template_using_an_undefined_variable_names_the_file_and_line() {
    let f = with_file(
        "templates/briefing.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ briefing.title }}</h1>\n<p>{{ briefing.no_such_field }}</p>\n{% endblock content %}\n",
    );
    let (diagnostics, shown) = content_errors(&f);
    let d = error_in(&diagnostics, "templates/briefing.html");
    assert_eq!(d.line, 4, "{shown}");
    assert!(shown.contains("no_such_field"), "{shown}");
    assert!(!f.path("public").exists());
}

#[test]
fn a_template_block_no_parent_has_names_the_file_and_line() {
    let f = with_file(
        "templates/home.html",
        "{% extends \"base.html\" %}\n\n{% block sidebar %}Not in base.{% endblock sidebar %}\n",
    );
    let (diagnostics, shown) = content_errors(&f);
    let d = error_in(&diagnostics, "templates/home.html");
    assert_eq!((d.line, d.column), (3, 10), "{shown}");
    assert!(d.message.contains("sidebar"), "{shown}");
    assert!(!f.path("public").exists());
}

const XSS: &str = "<script>alert(1)</script>";

/// A site whose every editor-written text tries to break out of HTML, attributes and XML.
fn hostile_text_fixture() -> Fixture {
    let f = Fixture::new(
        "title: \"Site </title><script>alert(1)</script>\"\nbase_url: https://example.org/\ndescription: \"Desc \\\" onload=\\\"alert(1)\"\nlanguage: en\nper_page: 2\n",
    );
    f.write(
        "content/people/evil-person.md",
        "---\nname: \"Evil <script>alert(1)</script> Person\"\naliases: [\"</script><script>alert(1)</script>\", \"Al \\\"quote\\\" 'single'\"]\nrole: \"<img src=x onerror=alert(1)>\"\ncountry: \"\\\"><script>alert(1)</script>\"\n---\nProfile.\n",
    );
    f.write(
        "content/briefings/2025/05/evil.md",
        "---\ntitle: \"Title <script>alert(1)</script> \\\"q\\\" 'a' & </script>\"\ndate: 2025-05-16\nsummary: \"Summary \\\"><script>alert(1)</script>\"\npeople: [\"Evil <script>alert(1)</script> Person\", \"Stub <script>alert(1)</script>\"]\norganisations: [\"Org \\\" onmouseover=\\\"alert(1)\"]\nplaces: [\"</script>Place\"]\ntags: [\"<b>tag</b>\"]\nsources:\n  - title: \"Source <script>alert(1)</script>\"\n    publisher: \"Pub \\\"><script>alert(1)</script>\"\n    url: \"https://example.org/?a=1&b=\\\"><script>alert(1)</script>\"\n    date: \"2025-05-16<script>\"\n---\nA plain body.\n",
    );
    f.write("content/pages/about.md", "---\ntitle: \"About <script>alert(1)</script>\"\nsummary: \"\\\" onfocus=\\\"alert(1)\"\n---\nAbout.\n");
    f
}

#[test]
fn editor_text_is_escaped_in_html_attributes_feeds_and_sitemap() {
    let f = hostile_text_fixture();
    f.build().expect("hostile text builds");
    let mut files = common::files(&f.path("public"));
    files.retain(|p| p != sitroom::output::MARKER);
    assert!(files.iter().any(|p| p.ends_with("feed.xml")));
    let mut checked = 0;
    for file in &files {
        let text = f.output(file);
        assert!(!text.contains(XSS), "`{file}` carries a live <script>");
        assert!(
            !text.contains("<img src=x"),
            "`{file}` carries a live <img>"
        );
        assert!(
            !text.contains("\" onmouseover=\"")
                && !text.contains("\" onload=\"")
                && !text.contains("\" onfocus=\""),
            "`{file}` lets a quote end an attribute"
        );
        assert!(
            !text.contains("<b>tag</b>"),
            "`{file}` passes tag names as HTML"
        );
        if file.ends_with(".xml") {
            roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("`{file}` is not XML: {e}"));
        }
        checked += 1;
    }
    assert!(checked > 20);
    // The text itself is kept, escaped, where readers see it.
    let page = f.output("briefings/evil/index.html");
    assert!(
        page.contains("Title &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        common::main_of(&page)
    );
    let feed = roxmltree::Document::parse(&f.output("feed.xml")).map(|d| {
        d.descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text().map(str::to_string))
            .collect::<Vec<_>>()
    });
    let titles = feed.expect("the feed parses");
    assert!(
        titles
            .iter()
            .any(|t| t == "Title <script>alert(1)</script> \"q\" 'a' & </script>"),
        "{titles:?}"
    );
}

#[test]
fn script_and_data_source_urls_are_refused() {
    for url in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "  javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "//evil.example/",
        "file:///etc/passwd",
    ] {
        let f = with_file(
            "content/briefings/src.md",
            &format!(
                "---\ntitle: Src\ndate: 2025-05-16\nsources:\n  - title: S\n    url: \"{url}\"\n---\n"
            ),
        );
        let (diagnostics, _) = content_errors(&f);
        let d = error_in(&diagnostics, "content/briefings/src.md");
        assert!(d.message.contains("not an http(s) link"), "{url}: {d}");
        // At the `url:` value itself (#11).
        assert_eq!(d.line, 6, "{url}: {d}");
    }
}

const RAW: &str = "Before.\n\n<div class=\"note\" onclick=\"alert(1)\">Note <a href=\"https://example.org/\">link</a><a href=\"javascript:alert(2)\">bad</a></div>\n\n<script>alert(3)</script>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\nAfter.\n";

#[test]
fn raw_html_in_bodies_passes_through_by_default() {
    let f = with_file(
        "content/briefings/raw.md",
        &format!("---\ntitle: Raw\ndate: 2025-05-16\n---\n{RAW}"),
    );
    f.build().expect("builds");
    let main = f.output("briefings/raw/index.html");
    let main = common::main_of(&main);
    assert!(main.contains("<script>alert(3)</script>"), "{main}");
    assert!(main.contains("onclick=\"alert(1)\""), "{main}");
    assert!(main.contains("<iframe"), "{main}");
}

#[test]
fn sanitize_html_cleans_raw_html_in_bodies() {
    let f = Fixture::new(&format!("{}sanitize_html: true\n", common::SITE_YAML));
    f.write("content/briefings/raw.md", &format!("---\ntitle: Raw\ndate: 2025-05-16\n---\n{RAW}\n```rust\nfn main() {{}}\n```\n\n| a |\n|---|\n| 1 |\n"));
    f.write("content/people/p.md", &format!("---\nname: P\n---\n{RAW}"));
    f.write(
        "content/pages/about.md",
        &format!("---\ntitle: About\n---\n{RAW}"),
    );
    f.build().expect("builds");
    for file in [
        "briefings/raw/index.html",
        "people/p/index.html",
        "about/index.html",
    ] {
        let page = f.output(file);
        let main = common::main_of(&page);
        assert!(!main.contains("<script>alert(3)"), "{file}: {main}");
        assert!(!main.contains("onclick"), "{file}: {main}");
        assert!(!main.contains("javascript:"), "{file}: {main}");
        assert!(!main.contains("<iframe"), "{file}: {main}");
        // What an editor means stays: text, links, structure.
        assert!(main.contains("Note"), "{file}: {main}");
        assert!(
            main.contains("href=\"https://example.org/\""),
            "{file}: {main}"
        );
        assert!(
            main.contains("Before.") && main.contains("After."),
            "{file}: {main}"
        );
    }
    let page = f.output("briefings/raw/index.html");
    let main = common::main_of(&page);
    // Highlighted code keeps its colours and tables stay tables.
    assert!(main.contains("<table>"), "{main}");
    assert!(main.contains("<pre") && main.contains("class="), "{main}");
}
