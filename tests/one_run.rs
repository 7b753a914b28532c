//! Every problem in one run (#11), and what `check` and the other commands say around
//! them: where the archive is, what was checked, where the site was written. Plus the
//! `check`-finds-what-build-would-hit and terminal-escape cases of #16.

mod common;

use std::path::Path;

use common::Fixture;

/// The problem lines (`path:line:col: severity: message`) of a command's stderr.
fn problem_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .map(str::to_string)
        .collect()
}

/// An archive with mistakes in five files (settings, a profile, three briefings), and
/// links and names that point at the broken files.
fn many_mistakes() -> Fixture {
    let f = Fixture::new(&format!("{}per_pages: 2\n", common::SITE_YAML));
    f.write(
        "content/people/volodymyr-zelensky.md",
        "---\nname: Volodymyr Zelensky\nrole: President of Ukraine\n---\nPresident.\n",
    );
    f.write(
        "content/people/olena-kovalenko.md",
        "---\nname: Olena Kovalenko\naliases: [Olena K\n---\nA reporter.\n",
    );
    f.write(
        "content/briefings/one.md",
        "---\ntitle: One\ndate: 2025-05-16\norganizations: [NATO]\n---\nFirst.\n",
    );
    f.write(
        "content/briefings/two.md",
        "---\ntitle: Two\ndate: 2025-05-17\npeople: [Zelenskiy, Olena Kovalenko]\nsources:\n  - title: R\n    url: https://example.org/r\n---\nSee [[no-such-briefing]] and [[one]].\n",
    );
    f.write(
        "content/briefings/three.md",
        "---\ntitle: Three\ndate: 2025-13-01\nplaces: [Odesa\npeople:\n\t- Zelensky\n---\nAnd [[also-missing]].\n",
    );
    f.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nStart with [the first](/briefings/one/).\n",
    );
    f
}

const EXPECTED: &[&str] = &[
    "content/briefings/one.md:4:1: error: unknown key `organizations`",
    "content/briefings/three.md:3:7: error: `date` is `2025-13-01`, which is not a date",
    "content/briefings/three.md:4:9: error: the list opened with `[` is not closed",
    "content/briefings/three.md:6:1: error: this line is indented with a tab",
    "content/briefings/three.md:8:5: error: `[[also-missing]]` links to no briefing",
    "content/briefings/two.md:4:10: warning: `Zelenskiy` has no profile; a stub page will be made",
    "content/briefings/two.md:9:5: error: `[[no-such-briefing]]` links to no briefing",
    "content/people/olena-kovalenko.md:3:10: error: the list opened with `[` is not closed",
    "site.yaml:6:1: error: unknown key `per_pages`",
];

#[test]
fn issue_11_check_reports_every_problem_of_an_archive_in_one_run() {
    let f = many_mistakes();
    let out = f.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(problem_lines(&stderr), EXPECTED, "{stderr}");
    // The surname found its person, and the help says how to join them.
    assert!(
        stderr.contains(
            "help: the nearest known name is `Volodymyr Zelensky`; add `Zelenskiy` to its `aliases` if it is the same person"
        ),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("checked 7 files (3 briefings, 2 profiles, 1 free page) in "),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with(": 8 errors, 1 warning"),
        "{stdout}"
    );
}

#[test]
fn issue_11_build_reports_the_same_errors_and_writes_nothing() {
    let f = many_mistakes();
    let out = f.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(problem_lines(&stderr), EXPECTED, "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!f.path("public").exists());
}

#[test]
fn issue_11_check_finds_the_archive_from_a_subfolder() {
    let f = Fixture::small();
    let inside = f.path("content/briefings/2025");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitroom"))
        .arg("check")
        .current_dir(&inside)
        .output()
        .expect("run sitroom");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Paths are still those of the archive, as the editor's tools expect.
    assert!(
        stderr.contains("content/briefings/2025/05/talks-open.md:"),
        "{stderr}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitroom"))
        .args(["new", "person", "Rustem Umerov"])
        .current_dir(&inside)
        .output()
        .expect("run sitroom");
    assert!(out.status.success(), "{out:?}");
    assert!(f.path("content/people/rustem-umerov.md").is_file());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "../../../content/people/rustem-umerov.md"
    );
}

#[test]
fn issue_11_a_missing_root_is_named() {
    let f = Fixture::small();
    let out = f.run(&["build", "--root", "/nonexistent/archive"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`/nonexistent/archive` is not a folder"),
        "{stderr}"
    );
    let empty = tempfile::tempdir().expect("temp dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitroom"))
        .arg("check")
        .current_dir(empty.path())
        .output()
        .expect("run sitroom");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`.` holds no `site.yaml`"),
        "{out:?}"
    );
}

#[test]
fn issue_11_summary_lines_count_right_and_say_where() {
    let f = Fixture::small();
    // One home page (the small site has two at two briefings a page).
    f.write(
        "site.yaml",
        &common::SITE_YAML.replace("per_page: 2", "per_page: 20"),
    );
    let out = f.run(&["build"]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 home page,") || stdout.contains("(1 home page"),
        "{stdout}"
    );
    assert!(stdout.contains("1 free page"), "{stdout}");
    assert!(!stdout.contains("1 home pages") && !stdout.contains("1 free pages"));
    assert!(stdout.contains(" into `public/` in "), "{stdout}");
    let out = f.run(&["build"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("nothing changed since the last build: `public/` is up to date ("),
        "{stdout}"
    );
    let out = f.run(&["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // site.yaml, three briefings, two profiles, one page.
    assert!(
        stdout.starts_with("checked 7 files (3 briefings, 2 profiles, 1 free page) in "),
        "{stdout}"
    );
}

#[test]
fn issue_11_check_drafts_resolves_drafts_and_plain_check_reads_them() {
    let f = Fixture::small();
    f.write(
        "content/briefings/2025/05/draft.md",
        "---\ntitle: Draft\ndate: 2025-05-18\ndraft: true\n---\nSee [[nowhere]].\n",
    );
    let out = f.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = f.run(&["check", "--drafts"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`[[nowhere]]` links to no briefing"));
    // A draft's front matter is read, and so checked, by plain `check` too.
    f.write(
        "content/briefings/2025/05/draft.md",
        "---\ntitle: Draft\ndate: 2025-05-18\ndraft: true\nplace: [Kyiv]\n---\n",
    );
    let out = f.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown key `place`"));
}

#[test]
fn issue_11_root_relative_links_live_under_the_sub_path() {
    let f = Fixture::new("title: T\nbase_url: https://example.github.io/myarchive/\nper_page: 5\n");
    f.write_png("static/img/map.png");
    f.write(
        "content/briefings/kherson.md",
        "---\ntitle: Kherson\ndate: 2025-05-16\n---\nKherson.\n",
    );
    f.write(
        "content/briefings/later.md",
        "---\ntitle: Later\ndate: 2025-05-17\n---\nAs [earlier](/briefings/kherson/) said: ![map](/img/map.png) [gone](/briefings/gone/)\n",
    );
    let out = f.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let problems = problem_lines(&stderr);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("broken link `/briefings/gone/`")),
        "{stderr}"
    );
    assert!(
        !problems
            .iter()
            .any(|p| p.contains("`/briefings/kherson/`") || p.contains("img/map.png")),
        "{stderr}"
    );
    f.build().expect("builds");
    let page = f.output("briefings/later/index.html");
    assert!(
        page.contains(r#"href="/myarchive/briefings/kherson/""#),
        "{page}"
    );
    assert!(page.contains(r#"src="/myarchive/img/map.png""#), "{page}");
}

#[test]
fn issue_11_authors_sign_the_page_the_feed_and_the_structured_data() {
    let f = Fixture::small();
    f.write(
        "content/briefings/2025/05/signed.md",
        "---\ntitle: Signed\ndate: 2025-05-19\nauthors: [Olena Kovalenko, Ivan Petrenko]\n---\nBody.\n",
    );
    f.build().expect("builds");
    let page = f.output("briefings/signed/index.html");
    assert!(
        page.contains(
            r#"<p class="byline">By <span class="author">Olena Kovalenko</span> and <span class="author">Ivan Petrenko</span></p>"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#""author":[{"@type":"Person","name":"Olena Kovalenko"},{"@type":"Person","name":"Ivan Petrenko"}]"#),
        "{page}"
    );
    assert!(page.contains(r#""publisher":{"#), "{page}");
    let feed = f.output("feed.xml");
    let entry = &feed[feed.find("<title>Signed</title>").expect("the entry")..];
    let entry = &entry[..entry.find("</entry>").expect("its end")];
    assert!(
        entry.contains("<author><name>Olena Kovalenko</name></author>\n<author><name>Ivan Petrenko</name></author>"),
        "{entry}"
    );
    roxmltree::Document::parse(&feed).expect("the feed is XML");
    // An unsigned briefing keeps the archive as its author.
    let page = f.output("briefings/talks-open/index.html");
    assert!(!page.contains("class=\"byline\""));
    assert!(
        page.contains(r#""author":{"@type":"Organization""#),
        "{page}"
    );
}

#[test]
fn issue_11_new_page_and_a_dated_briefing() {
    let f = Fixture::small();
    let out = f.run(&["new", "page", "Methodology"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "content/pages/methodology.md"
    );
    let out = f.run(&["new", "briefing", "Back then", "--date", "2024-02-24"]);
    assert!(out.status.success(), "{out:?}");
    let path = "content/briefings/2024/02/2024-02-24-back-then.md";
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), path);
    let text = std::fs::read_to_string(f.path(path)).expect("the briefing");
    assert!(text.contains("date: 2024-02-24\n"), "{text}");
    let out = f.run(&["new", "briefing", "Bad", "--date", "24.02.2024"]);
    assert_eq!(out.status.code(), Some(2));
    f.build().expect("builds");
    assert!(f.output("methodology/index.html").contains("Methodology"));
}

#[cfg(unix)]
#[test]
fn issue_16_a_static_file_name_that_is_not_utf8_fails_check_as_it_would_build() {
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::small();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.png");
    std::fs::create_dir_all(f.path("static")).expect("static/");
    std::fs::write(f.path("static").join(name), "png").expect("a file");
    let out = f.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("static/caf\\xe9.png: error: this file's name is not UTF-8"),
        "{stderr}"
    );
    let out = f.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("static/caf\\xe9.png"));
}

#[test]
fn issue_16_a_name_too_long_for_a_folder_fails_check_as_it_would_build() {
    let f = Fixture::small();
    let long = "Petro".repeat(2_000);
    f.write(
        "content/briefings/2025/05/long.md",
        &format!("---\ntitle: Long\ndate: 2025-05-18\npeople: [{long}]\n---\n"),
    );
    for command in ["check", "build"] {
        let out = f.run(&[command]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("long.md:4:10: error: the name `PetroPetro"),
            "{stderr}"
        );
        assert!(stderr.len() < 2_000, "a short message: {stderr}");
    }
}

#[test]
fn issue_16_terminal_escapes_in_a_file_name_are_shown_escaped() {
    let f = Fixture::small();
    f.write("content/briefings/evil\x1b[2J.txt", "x");
    let out = f.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
    assert!(
        stderr.contains("content/briefings/evil\\x1b[2J.txt: warning: this file is not Markdown"),
        "{stderr}"
    );
    let (code, json) = json_check(&f);
    assert_eq!(code, 0);
    assert!(json.contains("evil\\u001b[2J.txt"), "{json}");
}

fn json_check(f: &Fixture) -> (i32, String) {
    let out = f.run(&["check", "--format", "json"]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn issue_11_a_broken_site_yaml_shows_its_line_and_hides_nothing() {
    let f = Fixture::small();
    f.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\nper_page: twenty\n",
    );
    f.write(
        "content/briefings/2025/05/typo.md",
        "---\ntitle: Typo\ndate: 2025-05-18\norganizations: [NATO]\n---\n",
    );
    let out = f.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "site.yaml:3:11: error: `per_page` is `twenty`, not a whole number\n  3 | per_page: twenty\n    |           ^\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("typo.md:4:1: error: unknown key `organizations`"));
    assert!(Path::new(&f.path("site.yaml")).is_file());
}
