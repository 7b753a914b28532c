//! What a build keeps beside its output, and what it promises about it (#10, #16): the
//! published folder holds the site and nothing of sitroom's; one build at a time writes an
//! output (a lock); kept and linked files are checked by their hash; no link is followed
//! inside sitroom's folders; a mount point is written into; a dangling link is refused
//! before anything is rendered; a build that fails on a full disk cleans up what it wrote.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::Fixture;

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    common::files(dir)
        .into_iter()
        .map(|relative| {
            let bytes = std::fs::read(dir.join(&relative)).expect("read a snapshot file");
            (relative, bytes)
        })
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn state(f: &Fixture) -> PathBuf {
    sitroom::output::state_dir(&f.path("public"))
}

fn spare(f: &Fixture) -> PathBuf {
    state(f).join("spare")
}

/// Builds the site afresh into a folder of its own and returns what it holds.
fn fresh(f: &Fixture, name: &str) -> BTreeMap<String, Vec<u8>> {
    let out = f.path(name);
    f.build_with(|o| o.out = Some(out.clone()))
        .expect("a fresh build");
    snapshot(&out)
}

fn edit_reactions(f: &Fixture, body: &str) {
    f.write(
        "content/briefings/2025/05/reactions.md",
        &format!(
            "---\ntitle: Reactions\ndate: 2025-05-17\nsummary: Leaders react.\npeople: [Rustem Umerov]\ntags: [ceasefire]\n---\n{body}\n"
        ),
    );
}

/// Every file sitroom publishes is part of the site: no bookkeeping of its own.
fn assert_only_site_files(dir: &Path) {
    for file in common::files(dir) {
        let name = file.rsplit('/').next().unwrap_or(&file);
        assert!(
            !name.starts_with('.') || name == ".nojekyll",
            "`{file}` is in the published folder"
        );
        assert!(!name.contains("sitroom-"), "`{file}` is sitroom's own");
    }
}

#[test]
fn the_published_folder_holds_only_the_site() {
    let f = Fixture::small();
    f.write(
        "static/.well-known/security.txt",
        "Contact: mailto:desk@example.org\n",
    );
    f.build().expect("first build");
    assert_only_site_files(&f.path("public"));
    edit_reactions(&f, "Leaders reacted late.");
    f.build().expect("a rebuild after an edit");
    assert_only_site_files(&f.path("public"));
    // An edit that shows on no page (the inputs change, the pages do not).
    f.write(
        "content/pages/about.md",
        "---\ntitle: About\nsummary: What this is.\n---\nAn archive.\n\n",
    );
    f.build().expect("a rebuild that changes no page");
    assert_only_site_files(&f.path("public"));
    f.build().expect("a rebuild with no change");
    assert_only_site_files(&f.path("public"));
    assert_eq!(snapshot(&f.path("public")), fresh(&f, "fresh"));
}

#[test]
fn an_output_of_an_older_sitroom_is_taken_over_and_its_marker_leaves_it() {
    let f = Fixture::small();
    f.build().expect("first build");
    // What sitroom 0.1 left: its marker inside `public/`, its spare folder beside it, and
    // no state folder.
    std::fs::remove_dir_all(state(&f)).expect("remove the state folder");
    let legacy = "This folder is written by sitroom; it is replaced on every build.\nfiles\n";
    f.write("public/.sitroom-output", legacy);
    f.write(".public.sitroom-spare/.sitroom-output", legacy);
    f.write(".public.sitroom-spare/old/index.html", "an old page");
    f.build().expect("a build over the old layout");
    assert!(!f.path("public/.sitroom-output").exists());
    assert!(!f.path(".public.sitroom-spare").exists());
    assert_only_site_files(&f.path("public"));
    edit_reactions(&f, "Leaders reacted late.");
    f.build().expect("the next build");
    assert!(!spare(&f).join(".sitroom-output").exists());
    assert!(!spare(&f).join("old/index.html").exists());
    assert_eq!(snapshot(&f.path("public")), fresh(&f, "fresh"));
}

#[test]
fn an_older_sitroom_output_that_needs_no_page_rewritten_loses_its_marker_too() {
    let f = Fixture::small();
    f.build().expect("first build");
    std::fs::remove_dir_all(state(&f)).expect("remove the state folder");
    f.write(
        "public/.sitroom-output",
        "This folder is written by sitroom; it is replaced on every build.\nfiles\n",
    );
    f.build().expect("a build over the old layout");
    assert!(!f.path("public/.sitroom-output").exists());
    assert_eq!(snapshot(&f.path("public")), fresh(&f, "fresh"));
}

#[test]
fn a_folder_put_in_place_of_the_output_by_hand_is_refused() {
    let f = Fixture::small();
    f.build().expect("first build");
    for (how, replace) in [("moved aside", true), ("deleted and made anew", false)] {
        if replace {
            std::fs::rename(f.path("public"), f.path("public-moved"))
                .expect("move the output aside");
        } else {
            std::fs::remove_dir_all(f.path("public")).expect("delete the output");
        }
        f.write("public/thesis.txt", "years of work");
        let output = f.run(&["build"]);
        assert_eq!(output.status.code(), Some(2), "{how}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("did not make it"),
            "{how}: {}",
            stderr(&output)
        );
        assert_eq!(
            std::fs::read_to_string(f.path("public/thesis.txt")).expect("read"),
            "years of work"
        );
        assert_eq!(common::files(&f.path("public")), ["thesis.txt"]);
        std::fs::remove_dir_all(f.path("public")).expect("tidy up");
        f.build().expect("a build into no folder");
    }
}

#[test]
fn a_build_is_refused_while_another_holds_the_lock_and_says_which() {
    let f = Fixture::small();
    f.build().expect("first build");
    let before = snapshot(&f.path("public"));
    edit_reactions(&f, "Leaders reacted late.");
    // Hold the lock as a running build would, with this process's id in it.
    let lock_path = state(&f).join("lock");
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&lock_path)
        .expect("open the lock");
    lock.lock().expect("take the lock");
    std::fs::write(&lock_path, format!("{}\n", std::process::id())).expect("write the pid");
    let output = f.run(&["build"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("being written by another sitroom build")
            && message.contains(&format!("process {}", std::process::id())),
        "{message}"
    );
    assert_eq!(snapshot(&f.path("public")), before);
    drop(lock);
    let output = f.run(&["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        f.output("briefings/reactions/index.html")
            .contains("reacted late")
    );
}

/// A site of `briefings` briefings, big enough that two builds overlap.
fn generated(briefings: usize) -> Fixture {
    let f = Fixture::small();
    for i in 0..briefings {
        let people: Vec<String> = (0..4)
            .map(|p| format!("Person {}", (i * 7 + p * 13) % 300))
            .collect();
        f.write(
            &format!("content/briefings/2024/{:02}/briefing-{i}.md", i % 12 + 1),
            &format!(
                "---\ntitle: Briefing {i}\ndate: 2024-{:02}-{:02}\nsummary: Summary {i}.\npeople: [{}]\ntags: [tag-{}]\n---\n{}",
                i % 12 + 1,
                i % 28 + 1,
                people.join(", "),
                i % 20,
                "A paragraph about the talks.\n\n".repeat(10)
            ),
        );
    }
    f
}

/// Waits for a build, with a generous bound: a hung build fails the test, not CI.
/// Returns its exit code and what it printed on stderr.
fn wait((mut child, log): (Child, PathBuf), deadline: Instant) -> (Option<i32>, String) {
    loop {
        if let Some(status) = child.try_wait().expect("poll a build") {
            let printed = std::fs::read_to_string(&log).expect("the build's stderr");
            return (status.code(), printed);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("a build did not finish within its bound");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts a build whose stderr goes to a file (a pipe nobody reads would fill and stall it).
fn spawn_build(f: &Fixture, name: &str) -> (Child, PathBuf) {
    let log = f.path(name);
    let file = std::fs::File::create(&log).expect("a log file");
    let child = Command::new(env!("CARGO_BIN_EXE_sitroom"))
        .arg("build")
        .current_dir(f.root())
        .stdout(Stdio::null())
        .stderr(file)
        .spawn()
        .expect("spawn sitroom");
    (child, log)
}

#[test]
fn issue_16_two_builds_at_once_never_leave_a_broken_site() {
    let f = generated(120);
    f.build().expect("first build");
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut refused = 0;
    for round in 0..3 {
        edit_reactions(&f, &format!("Round {round}."));
        let (a, b) = (spawn_build(&f, "a.log"), spawn_build(&f, "b.log"));
        let results = [wait(a, deadline), wait(b, deadline)];
        for (code, printed) in &results {
            match code {
                Some(0) => {}
                Some(2) => {
                    assert!(
                        printed.contains("being written by another sitroom build"),
                        "{printed}"
                    );
                    refused += 1;
                }
                other => panic!("round {round}: exit {other:?}: {printed}"),
            }
        }
        assert!(
            results.iter().any(|(code, _)| *code == Some(0)),
            "round {round}: neither build succeeded"
        );
        // Whatever the interleaving, the output is the whole site, byte for byte.
        let built = snapshot(&f.path("public"));
        assert_eq!(built, fresh(&f, &format!("fresh-{round}")), "round {round}");
        assert!(
            built
                .iter()
                .all(|(path, bytes)| !path.ends_with(".html") || !bytes.is_empty())
        );
    }
    // Not asserted: how often the two builds overlapped, which depends on the machine.
    eprintln!("{refused} of 6 builds were refused while the other held the lock");
}

#[test]
fn issue_16_a_hard_link_into_the_output_is_never_written_through() {
    let f = Fixture::small();
    f.build().expect("first build");
    let backup = f.path("backup.html");
    std::fs::hard_link(f.path("public/about/index.html"), &backup).expect("link");
    let original = std::fs::read(&backup).expect("read");
    // A new title changes every page; two builds run the page through the spare folder.
    for title in ["Renamed Briefings", "Renamed Again"] {
        f.write(
            "site.yaml",
            &common::SITE_YAML.replace("Test Briefings", title),
        );
        f.build().expect("a rebuild");
        assert!(f.output("about/index.html").contains(title));
    }
    assert_eq!(std::fs::read(&backup).expect("read"), original);
}

#[test]
fn issue_16_a_link_planted_in_the_spare_folder_is_not_followed() {
    let f = Fixture::small();
    f.build().expect("first build");
    edit_reactions(&f, "Leaders reacted late.");
    f.build()
        .expect("second build: the first output is now the spare folder");
    let outside = tempfile::tempdir().expect("a folder outside");
    std::fs::write(outside.path().join("keep.txt"), "mine").expect("write");
    let people = spare(&f).join("people");
    std::fs::remove_dir_all(&people).expect("remove");
    std::os::unix::fs::symlink(outside.path(), &people).expect("plant a folder link");
    let page = spare(&f).join("index.html");
    std::fs::remove_file(&page).expect("remove");
    std::os::unix::fs::symlink(outside.path().join("keep.txt"), &page).expect("plant a file link");
    edit_reactions(&f, "Leaders reacted later.");
    f.build().expect("third build");
    assert_eq!(common::files(outside.path()), ["keep.txt"]);
    assert_eq!(
        std::fs::read_to_string(outside.path().join("keep.txt")).expect("read"),
        "mine"
    );
    assert_eq!(snapshot(&f.path("public")), fresh(&f, "fresh"));
}

/// Changes a file's bytes but not its length or modification time.
fn tamper(path: &Path) {
    let metadata = std::fs::metadata(path).expect("stat");
    let mut bytes = std::fs::read(path).expect("read");
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    // Through a new file: the live output may share this one.
    std::fs::remove_file(path).expect("remove");
    std::fs::write(path, &bytes).expect("write");
    let mtime = std::fs::FileTimes::new().set_modified(metadata.modified().expect("mtime"));
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_times(mtime))
        .expect("restore the modification time");
}

#[test]
fn issue_16_kept_files_are_checked_by_their_hash() {
    let f = Fixture::small();
    let original =
        std::fs::read_to_string(f.path("content/briefings/2025/05/reactions.md")).expect("read");
    f.build().expect("first build");
    edit_reactions(&f, "Leaders reacted late.");
    f.build()
        .expect("second build: the spare folder holds the first build's pages");
    tamper(&spare(&f).join("briefings/reactions/index.html"));
    // Back to the first text: the spare folder's page would be kept as it is.
    f.write("content/briefings/2025/05/reactions.md", &original);
    f.build().expect("third build");
    assert_eq!(snapshot(&f.path("public")), fresh(&f, "fresh-a"));
    // And a live page changed the same way is noticed by a build with nothing new.
    tamper(&f.path("public/about/index.html"));
    f.build().expect("fourth build");
    assert_eq!(snapshot(&f.path("public")), fresh(&f, "fresh-b"));
}

#[test]
fn issue_16_a_dangling_link_as_out_is_refused_before_rendering() {
    let f = Fixture::small();
    // A broken [[link]] is found only while rendering: a refusal that names the link, not
    // the content error, shows the target was checked first.
    f.write(
        "content/briefings/2025/05/talks-open.md",
        "---\ntitle: Talks open\ndate: 2025-05-16\n---\nSee [[no-such-briefing]].\n",
    );
    std::os::unix::fs::symlink(f.path("nowhere"), f.path("public")).expect("link");
    let output = f.run(&["build"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("symbolic link") && message.contains("does not exist"),
        "{message}"
    );
    assert!(!f.path("nowhere").exists());
    assert!(!state(&f).exists());
}

/// Runs `script` with `sh` as root of a new user and mount namespace, where it can mount
/// a tmpfs that no one else sees and that goes when it ends.
fn in_namespace(script: &str, envs: &[(&str, &Path)]) -> Output {
    let mut command = Command::new("unshare");
    command
        .args([
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-eu",
            "-c",
            script,
        ])
        .env("SITROOM", env!("CARGO_BIN_EXE_sitroom"));
    for (name, value) in envs {
        command.env(name, value);
    }
    let output = command
        .output()
        .expect("run unshare (util-linux) to mount a tmpfs for this test");
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("unshare failed"),
        "this test needs user namespaces (unshare --user): {}",
        stderr(&output)
    );
    output
}

#[test]
fn issue_16_a_mount_point_as_out_is_written_into() {
    let f = Fixture::small();
    std::fs::create_dir(f.path("site-out")).expect("mkdir");
    let copy = f.path("copy");
    let script = r#"
        mount -t tmpfs -o size=16m sitroom-test "$OUT"
        "$SITROOM" build --root "$ROOT" --out "$OUT"
        rm "$ROOT/content/pages/about.md"
        printf -- '---\ntitle: Reactions\ndate: 2025-05-17\n---\nLeaders reacted late.\n' \
            > "$ROOT/content/briefings/2025/05/reactions.md"
        "$SITROOM" build --root "$ROOT" --out "$OUT"
        "$SITROOM" build --root "$ROOT" --out "$OUT"
        grep -q " $OUT " /proc/self/mountinfo
        cp -R "$OUT" "$COPY"
    "#;
    let output = in_namespace(
        script,
        &[
            ("OUT", &f.path("site-out")),
            ("ROOT", f.root()),
            ("COPY", &copy),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("busy"), "{}", stderr(&output));
    let written = snapshot(&copy);
    assert!(!written.contains_key("about/index.html"));
    assert!(
        String::from_utf8_lossy(&written["briefings/reactions/index.html"])
            .contains("reacted late")
    );
    assert_only_site_files(&copy);
    assert_eq!(written, fresh(&f, "fresh"));
}

#[test]
fn issue_16_a_build_that_fills_the_disk_cleans_up_what_it_wrote() {
    let f = Fixture::small();
    std::fs::create_dir(f.path("disk")).expect("mkdir");
    let copies = f.path("copies");
    std::fs::create_dir(&copies).expect("mkdir");
    // Two builds make a spare folder; the third rewrites every page (a new title) and
    // then runs out of room on a file bigger than the disk.
    let script = r#"
        mount -t tmpfs -o size=2m sitroom-test "$DISK"
        "$SITROOM" build --root "$ROOT" --out "$DISK/public"
        printf -- '---\ntitle: Reactions\ndate: 2025-05-17\n---\nLeaders reacted late.\n' \
            > "$ROOT/content/briefings/2025/05/reactions.md"
        "$SITROOM" build --root "$ROOT" --out "$DISK/public"
        cp -R "$DISK/public" "$COPIES/before"
        du -sk "$DISK" | cut -f1 > "$COPIES/used-before"
        sed -i 's/Test Briefings/Renamed Briefings/' "$ROOT/site.yaml"
        mkdir -p "$ROOT/static"
        head -c 3000000 /dev/zero > "$ROOT/static/big.bin"
        if "$SITROOM" build --root "$ROOT" --out "$DISK/public" 2> "$COPIES/stderr"; then
            echo "the build on a full disk succeeded" >&2; exit 1
        fi
        du -sk "$DISK" | cut -f1 > "$COPIES/used-after"
        cp -R "$DISK/public" "$COPIES/after"
        ls -A "$DISK/.public.sitroom-state" > "$COPIES/state"
        grep -rl "Renamed Briefings" "$DISK/.public.sitroom-state" > "$COPIES/renamed" || true
        rm "$ROOT/static/big.bin"
        "$SITROOM" build --root "$ROOT" --out "$DISK/public"
        cp -R "$DISK/public" "$COPIES/recovered"
    "#;
    let output = in_namespace(
        script,
        &[
            ("DISK", &f.path("disk")),
            ("ROOT", f.root()),
            ("COPIES", &copies),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let read = |name: &str| std::fs::read_to_string(copies.join(name)).expect("read");
    assert!(
        read("stderr").contains("No space left on device"),
        "{}",
        read("stderr")
    );
    assert_eq!(
        snapshot(&copies.join("after")),
        snapshot(&copies.join("before"))
    );
    // No page of the failed build is left taking room.
    assert_eq!(
        read("renamed"),
        "",
        "pages of the failed build were left behind"
    );
    let used = |name: &str| read(name).trim().parse::<u64>().expect("a size in KiB");
    assert!(
        used("used-after") <= used("used-before"),
        "{} KiB used after the failed build, {} KiB before",
        used("used-after"),
        used("used-before")
    );
    assert!(!read("state").contains("incoming"), "{}", read("state"));
    assert_eq!(snapshot(&copies.join("recovered")), fresh(&f, "fresh"));
}

#[test]
fn the_state_folder_is_never_a_link() {
    let f = Fixture::small();
    f.build().expect("first build");
    let elsewhere = tempfile::tempdir().expect("a folder elsewhere");
    std::fs::remove_dir_all(state(&f)).expect("remove the state folder");
    std::os::unix::fs::symlink(elsewhere.path(), state(&f)).expect("link");
    let output = f.run(&["build"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is not a folder it made"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).expect("read").count(),
        0
    );
}
