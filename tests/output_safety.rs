//! The output folder is never lost and never half-written: `--out` that would delete
//! something sitroom did not make is refused (exit 2, nothing touched), a failed or killed
//! build leaves the previous output byte for byte, and nothing is written outside `--out`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::Fixture;

/// Every file under `dir` with its bytes, to compare a whole tree byte for byte.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    common::files(dir)
        .into_iter()
        .map(|relative| {
            let bytes = std::fs::read(dir.join(&relative)).expect("read a snapshot file");
            (relative, bytes)
        })
        .collect()
}

fn sitroom(root: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sitroom"));
    command.args(args).current_dir(root);
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `build --out <out>` and checks that it is refused with a usage error (exit 2)
/// that says why, without changing a single file of the site.
fn assert_refused(f: &Fixture, out: &str, why: &str) {
    let before = snapshot(f.root());
    let output = f.run(&["build", "--out", out]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "--out {out}: {}",
        stderr(&output)
    );
    let message = stderr(&output);
    assert!(message.contains("refusing"), "--out {out}: {message}");
    assert!(
        message.contains(why),
        "--out {out} should say `{why}`: {message}"
    );
    assert_eq!(snapshot(f.root()), before, "--out {out} changed the site");
}

#[test]
fn out_pointing_at_content_is_refused() {
    let f = Fixture::small();
    assert_refused(&f, "content", "inside `content/`");
    assert_refused(&f, "content/briefings", "inside `content/`");
}

#[test]
fn out_pointing_at_templates_or_static_is_refused() {
    let f = Fixture::small();
    f.write("templates/404.html", "{% extends \"base.html\" %}");
    f.write("static/logo.txt", "logo");
    assert_refused(&f, "templates", "inside `templates/`");
    assert_refused(&f, "static", "inside `static/`");
}

#[test]
fn out_pointing_at_the_root_or_above_is_refused() {
    let f = Fixture::small();
    assert_refused(&f, ".", "holds the site itself");
    assert_refused(&f, "..", "holds the site itself");
}

#[test]
fn out_pointing_at_the_file_system_root_is_refused() {
    let f = Fixture::small();
    let output = f.run(&["build", "--out", "/"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("refusing"), "{}", stderr(&output));
    assert!(Path::new("/bin").exists() && Path::new("/etc").exists());
}

#[test]
fn out_pointing_at_home_is_refused() {
    let f = Fixture::small();
    let home = tempfile::tempdir().expect("a temp home");
    std::fs::write(home.path().join("thesis.txt"), "years of work").expect("write");
    let before = snapshot(home.path());
    let out = home.path().to_str().expect("a UTF-8 temp path");
    let output = sitroom(f.root(), &["build", "--out", out])
        .env("HOME", home.path())
        .output()
        .expect("run sitroom");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("refusing"), "{}", stderr(&output));
    assert_eq!(snapshot(home.path()), before);
}

#[test]
fn out_pointing_at_a_folder_sitroom_did_not_make_is_refused() {
    let f = Fixture::small();
    f.write("notes/draft.txt", "mine");
    assert_refused(&f, "notes", "did not make it");
    assert_eq!(
        std::fs::read_to_string(f.path("notes/draft.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn out_pointing_at_a_file_is_refused() {
    let f = Fixture::small();
    f.write("public", "a file, not a folder");
    assert_refused(&f, "public", "it is a file");
}

#[test]
fn out_linked_to_content_is_refused() {
    let f = Fixture::small();
    std::os::unix::fs::symlink(f.path("content"), f.path("public")).expect("symlink");
    assert_refused(&f, "public", "inside `content/`");
}

#[test]
fn an_empty_folder_may_be_used_and_its_own_output_is_replaced() {
    let f = Fixture::small();
    std::fs::create_dir_all(f.path("site-out")).expect("mkdir");
    let output = f.run(&["build", "--out", "site-out"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(f.path(".site-out.sitroom-state/lock").is_file());
    // A file the last build made but this one does not is gone after the next build.
    std::fs::remove_file(f.path("content/pages/about.md")).expect("remove");
    let output = f.run(&["build", "--out", "site-out"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!f.path("site-out/about/index.html").exists());
    assert!(f.path("site-out/index.html").is_file());
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let f = Fixture::small();
    f.build().expect("first build");
    let before = snapshot(&f.path("public"));
    let entries_before = common::files(f.root()).len();
    f.write(
        "content/briefings/2025/05/broken.md",
        "---\ntitle: Broken\ndate: yesterday\n---\nNo.\n",
    );
    let output = f.run(&["build"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("nothing was written"));
    assert_eq!(snapshot(&f.path("public")), before);
    // No half-written folder is left beside the output.
    assert_eq!(common::files(f.root()).len(), entries_before + 1);
}

#[test]
fn a_build_that_fails_while_rendering_leaves_the_previous_output() {
    let f = Fixture::small();
    f.build().expect("first build");
    let before = snapshot(&f.path("public"));
    // A broken [[link]] is found only while the pages are being written.
    f.write(
        "content/briefings/2025/05/talks-open.md",
        "---\ntitle: Talks open\ndate: 2025-05-16\n---\nSee [[no-such-briefing]].\n",
    );
    assert!(f.build().is_err());
    assert_eq!(snapshot(&f.path("public")), before);
}

/// A site big enough that writing it takes a while even in a release build.
fn large_fixture(f: &Fixture, briefings: usize) {
    for i in 0..briefings {
        let people: Vec<String> = (0..6)
            .map(|p| format!("Person {}", (i * 7 + p * 13) % 1500))
            .collect();
        let body =
            "A paragraph about the talks, with *emphasis* and a [link](https://example.org/).\n\n"
                .repeat(20);
        f.write(
            &format!("content/briefings/2024/{:02}/briefing-{i}.md", i % 12 + 1),
            &format!(
                "---\ntitle: Briefing {i}\ndate: 2024-{:02}-{:02}\nsummary: Summary {i}.\npeople: [{}]\ntags: [tag-{}]\n---\n{body}",
                i % 12 + 1,
                i % 28 + 1,
                people.join(", "),
                i % 50
            ),
        );
    }
}

/// New entries beside the output folder: where a build stages its new output.
fn staged_entries(root: &Path, before: &[PathBuf]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("read the root")
        .map(|e| e.expect("an entry").path())
        .filter(|p| !before.contains(p))
        .collect();
    found.sort();
    found
}

#[test]
fn a_killed_build_leaves_the_previous_output_intact() {
    let f = Fixture::small();
    f.build().expect("first build");
    let before = snapshot(&f.path("public"));
    large_fixture(&f, 1200);
    let entries: Vec<PathBuf> = std::fs::read_dir(f.root())
        .expect("read the root")
        .map(|e| e.expect("an entry").path())
        .collect();

    let mut child = sitroom(f.root(), &["build"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn sitroom");
    // Wait until the build is writing its new output (the spare folder in the state folder
    // beside `public` holds files), then kill it without warning, as a power cut or an OOM
    // killer would.
    let spare = sitroom::output::state_dir(&f.path("public")).join("spare");
    let mut killed_while_writing = false;
    while child.try_wait().expect("poll the build").is_none() {
        let writing = common::files(&spare).len() > 50;
        if writing {
            child.kill().expect("kill the build");
            killed_while_writing = true;
            break;
        }
        std::thread::yield_now();
    }
    child.wait().expect("reap the build");
    assert!(
        killed_while_writing,
        "the build finished before it could be killed; make the fixture larger"
    );
    assert_eq!(
        snapshot(&f.path("public")),
        before,
        "the killed build changed the output"
    );

    // The next build cleans up what the killed one left and succeeds.
    let output = f.run(&["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(f.exists("briefings/briefing-1199/index.html"));
    // Nothing new stays beside the output, and its state folder holds only the lock,
    // manifests and the spare folder the next build assembles in.
    assert_eq!(staged_entries(f.root(), &entries), Vec::<PathBuf>::new());
    let state = sitroom::output::state_dir(&f.path("public"));
    for entry in std::fs::read_dir(&state).expect("the state folder") {
        let name = entry.expect("an entry").file_name();
        let name = name.to_string_lossy();
        assert!(
            name == "lock" || name == "spare" || name.starts_with("folder-"),
            "`{name}` was left in the state folder"
        );
    }
}

#[test]
fn nothing_is_written_outside_out() {
    let sandbox = tempfile::tempdir().expect("a sandbox");
    let f = Fixture::small();
    // Content that tries to name paths outside the output folder in every way it can.
    f.write(
        "content/briefings/2025/05/escape.md",
        "---\ntitle: ../../escape\ndate: 2025-05-18\npeople: [../../../outside, /etc/passwd]\ntags: [\"..\\\\..\\\\win\"]\n---\n[up](../../../../outside.html) and ![img](/etc/passwd)\n",
    );
    let root_before = snapshot(f.root());
    let out = sandbox.path().join("deep/site");
    let output = f.run(&["build", "--out", out.to_str().expect("UTF-8 temp path")]);
    assert!(output.status.success(), "{}", stderr(&output));
    // The cache folder is the one place in the site a build writes (#14).
    let mut root_after = snapshot(f.root());
    root_after.retain(|path, _| !path.starts_with(".sitroom-cache/"));
    assert_eq!(root_after, root_before, "the build wrote into the site");
    assert!(f.path(".sitroom-cache/CACHEDIR.TAG").is_file());
    for file in common::files(sandbox.path()) {
        assert!(
            file.starts_with("deep/site/") || file.starts_with("deep/.site.sitroom-state/"),
            "`{file}` was written outside --out and its state folder"
        );
    }
    assert!(out.join("people/outside/index.html").is_file());
    assert!(out.join("people/etc-passwd/index.html").is_file());
}
