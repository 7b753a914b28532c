//! Rebuilds into the same `--out` (#5): nothing changed means nothing rewritten; a change
//! rewrites only what it touches and gives the same bytes as a fresh build; a failed build
//! leaves the previous output as it was.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::{Fixture, files};

/// Every file of a folder with its inode and modification time: what "rewritten" means.
fn identities(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    files(dir)
        .into_iter()
        .map(|f| {
            let m = std::fs::metadata(dir.join(&f)).expect("metadata");
            (f, (m.ino(), m.mtime(), m.mtime_nsec()))
        })
        .collect()
}

/// Every file of a folder with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).expect("read");
            (f, bytes)
        })
        .collect()
}

#[test]
fn a_rebuild_with_no_change_rewrites_nothing() {
    let site = Fixture::small();
    site.build().expect("first build");
    let before = identities(&site.path("public"));
    site.build().expect("second build");
    assert_eq!(identities(&site.path("public")), before);
}

#[test]
fn a_rebuild_after_an_edit_rewrites_only_what_changed() {
    let site = Fixture::small();
    site.build().expect("first build");
    let before = identities(&site.path("public"));
    site.write(
        "content/briefings/2025/05/reactions.md",
        "---\ntitle: Reactions\ndate: 2025-05-17\nsummary: Leaders react.\npeople: [володимир зеленський]\norganisations: [NATO]\ntags: [ceasefire]\n---\nLeaders reacted quickly.\n",
    );
    site.build().expect("second build");
    let after = identities(&site.path("public"));
    assert!(
        site.output("briefings/reactions/index.html")
            .contains("reacted quickly")
    );
    assert_ne!(
        before["briefings/reactions/index.html"],
        after["briefings/reactions/index.html"]
    );
    // The About page does not show this briefing: the very same file, not a copy.
    assert_eq!(before["about/index.html"], after["about/index.html"]);

    // And the result is exactly what a fresh build makes.
    let fresh = site.path("fresh");
    site.build_with(|o| o.out = Some(fresh.clone()))
        .expect("fresh build");
    assert_eq!(contents(&site.path("public")), contents(&fresh));
}

#[test]
fn a_file_removed_from_the_output_by_hand_comes_back() {
    let site = Fixture::small();
    site.build().expect("first build");
    std::fs::remove_file(site.path("public/about/index.html")).expect("remove");
    site.build().expect("second build");
    assert!(site.output("about/index.html").contains("An archive."));
}

#[test]
fn a_file_edited_in_the_output_by_hand_is_replaced() {
    let site = Fixture::small();
    site.build().expect("first build");
    let about = site.path("public/about/index.html");
    let original = std::fs::read(&about).expect("read");
    // Same length, different bytes, a different modification time.
    let mut edited = original.clone();
    edited[0] = if edited[0] == b'x' { b'y' } else { b'x' };
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&about, &edited).expect("edit");
    site.build().expect("second build");
    assert_eq!(std::fs::read(&about).expect("read"), original);
}

#[test]
fn a_failed_rebuild_leaves_the_previous_output_byte_for_byte() {
    let site = Fixture::small();
    site.build().expect("first build");
    let before = contents(&site.path("public"));
    let marker = manifest(&site);
    site.write(
        "content/briefings/2025/05/broken.md",
        "---\ntitle: Broken\ndate: 2025-05-18\n---\nSee [[no-such-briefing]].\n",
    );
    assert!(site.build().is_err());
    assert_eq!(contents(&site.path("public")), before);
    assert_eq!(manifest(&site), marker);
    // No staging folder is left beside the output: its state folder holds only the lock
    // and the output's manifest.
    let state = sitroom::output::state_dir(&site.path("public"));
    let mut leftovers: Vec<String> = std::fs::read_dir(&state)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    leftovers.sort();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    assert!(leftovers[0].starts_with("folder-") && leftovers[1] == "lock");
}

#[test]
fn a_rebuild_after_removing_a_briefing_removes_its_page() {
    let site = Fixture::small();
    site.build().expect("first build");
    assert!(site.exists("briefings/reactions/index.html"));
    std::fs::remove_file(site.path("content/briefings/2025/05/reactions.md")).expect("remove");
    site.build().expect("second build");
    assert!(!site.exists("briefings/reactions/index.html"));
}

#[test]
fn an_edit_that_shows_on_no_page_rewrites_nothing_and_is_remembered() {
    let site = Fixture::small();
    site.build().expect("first build");
    let before = identities(&site.path("public"));
    let marker = manifest(&site);
    // A trailing blank line changes the file but not one byte of output.
    let path = site.path("content/pages/about.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("{text}\n")).expect("write");
    site.build().expect("second build");
    assert_eq!(identities(&site.path("public")), before);
    let new_marker = manifest(&site);
    assert_ne!(
        new_marker.split(|&b| b == b'\n').nth(2),
        marker.split(|&b| b == b'\n').nth(2),
        "the inputs line is new"
    );
}

#[test]
fn the_manifest_beside_the_site_stays_small() {
    let site = Fixture::small();
    site.build().expect("builds");
    let files = common::files(&site.path("public")).len();
    let marker = manifest(&site).len();
    // A fixed header, then 24 bytes a file: no paths, which would cost more than the pages.
    assert!(
        marker <= 120 + 24 * files,
        "{marker} bytes for {files} files"
    );
}

/// sitroom's record of the output at `public/`, kept beside it.
fn manifest(site: &Fixture) -> Vec<u8> {
    let path = sitroom::output::manifest_path(&site.path("public")).expect("an output");
    std::fs::read(path).expect("the manifest")
}

/// Builds into `public`, then checks it against a fresh build of the same site.
fn build_and_compare(site: &Fixture, step: &str) {
    site.build()
        .unwrap_or_else(|e| panic!("{step}: build failed: {e:?}"));
    let fresh = site.path(&format!("fresh-{}", step.replace(' ', "-")));
    site.build_with(|o| o.out = Some(fresh.clone()))
        .unwrap_or_else(|e| panic!("{step}: fresh build failed: {e:?}"));
    assert_eq!(
        contents(&site.path("public")),
        contents(&fresh),
        "{step}: the rebuilt output differs from a fresh build"
    );
}

#[test]
fn a_series_of_rebuilds_matches_fresh_builds_every_time() {
    let site = Fixture::small();
    let reactions = "content/briefings/2025/05/reactions.md";
    let original = std::fs::read_to_string(site.path(reactions)).expect("read");
    build_and_compare(&site, "first");
    site.write(
        reactions,
        &original.replace("Leaders reacted.", "Leaders reacted late."),
    );
    build_and_compare(&site, "an edit");
    site.write(
        "content/briefings/2025/05/more.md",
        "---\ntitle: More\ndate: 2025-05-20\npeople: [Rustem Umerov]\n---\nMore.\n",
    );
    build_and_compare(&site, "a new briefing");
    // Back to the first text: the spare folder still holds the first build's page.
    site.write(reactions, &original);
    build_and_compare(&site, "an edit undone");
    std::fs::remove_file(site.path("content/pages/about.md")).expect("remove");
    build_and_compare(&site, "a page removed");
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nBack again.\n",
    );
    build_and_compare(&site, "a page back again");
    // The folder beside `public` is the output before last, kept for the next build.
    let spare = sitroom::output::state_dir(&site.path("public")).join("spare");
    assert!(spare.join("index.html").is_file());
}

#[test]
fn a_hand_edit_in_the_output_is_undone_even_when_the_spare_folder_shares_the_file() {
    let site = Fixture::small();
    site.build().expect("first build");
    site.write(
        "content/briefings/2025/05/more.md",
        "---\ntitle: More\ndate: 2025-05-20\n---\nMore.\n",
    );
    // The second build links unchanged pages, so `public` and the spare share them.
    site.build().expect("second build");
    let about = site.path("public/about/index.html");
    let original = std::fs::read(&about).expect("read");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut edited = original.clone();
    edited.extend_from_slice(b"<!-- by hand -->");
    std::fs::write(&about, &edited).expect("edit by hand");
    site.write(
        "content/briefings/2025/05/more.md",
        "---\ntitle: More\ndate: 2025-05-20\n---\nMore, edited.\n",
    );
    site.build().expect("third build");
    assert_eq!(std::fs::read(&about).expect("read"), original);
}

/// Sets every file of the archive's sources to one old time, so that the build knows them
/// by name, size and time alone (a file modified in the last seconds is known by its bytes).
fn age_sources(site: &Fixture) {
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    for folder in ["content", "site.yaml"] {
        for entry in walkdir::WalkDir::new(site.path(folder)) {
            let entry = entry.expect("walk");
            if entry.file_type().is_file() {
                let file = std::fs::File::options()
                    .write(true)
                    .open(entry.path())
                    .expect("open");
                file.set_modified(old).expect("set time");
            }
        }
    }
}

#[test]
fn a_build_with_nothing_changed_reads_no_content_and_says_the_same_again() {
    let site = Fixture::small();
    // A warning, to be said again by the build that does nothing.
    site.write("content/notes.txt", "not Markdown");
    age_sources(&site);
    let first = site.build().expect("first build");
    assert!(!first.unchanged);
    assert!(!first.warnings.is_empty());
    let before = identities(&site.path("public"));
    // Same name, size and time, other bytes: a build that read it would fail on the broken
    // front matter. This one reads none of it.
    let about = site.path("content/pages/about.md");
    let text = std::fs::read_to_string(&about).expect("read");
    site.write("content/pages/about.md", &text.replacen("---", "-x-", 1));
    age_sources(&site);
    let second = site.build().expect("nothing to do");
    assert!(second.unchanged);
    assert_eq!(second.warnings, first.warnings);
    assert_eq!(second.counts, first.counts);
    assert_eq!(second.files, first.files);
    assert_eq!(identities(&site.path("public")), before);
    // Touching the file is a change: now it is read, and refused.
    std::fs::File::options()
        .write(true)
        .open(&about)
        .expect("open")
        .set_modified(std::time::SystemTime::now())
        .expect("set time");
    assert!(site.build().is_err());
}

#[test]
fn a_damaged_build_record_is_thrown_away() {
    let site = Fixture::small();
    site.build().expect("first build");
    let records = site.path(".sitroom-cache/build-v1");
    // The record itself, not the search analysis kept beside it.
    let record = std::fs::read_dir(&records)
        .expect("a record folder")
        .map(|entry| entry.expect("entry").path())
        .find(|path| path.extension().is_some_and(|e| e == "json"))
        .expect("a record");
    std::fs::write(&record, "{\"inputs\": ").expect("damage");
    let second = site.build().expect("second build");
    assert!(second.unchanged, "the output was still current");
    let again = std::fs::read_to_string(&record).expect("a new record");
    assert!(again.starts_with('{') && again.ends_with('}'), "{again}");
    // A folder sitroom did not make stands for the output: the record is not believed.
    std::fs::remove_dir_all(site.path("public")).expect("remove");
    std::fs::create_dir(site.path("public")).expect("mkdir");
    let third = site.build().expect("third build");
    assert!(!third.unchanged);
    assert!(site.output("about/index.html").contains("An archive."));
}

#[test]
fn a_words_only_edit_never_keeps_a_page_edited_by_hand() {
    let site = Fixture::small();
    let reactions = "content/briefings/2025/05/reactions.md";
    let original = std::fs::read_to_string(site.path(reactions)).expect("read");
    site.build().expect("first build");
    let about = site.path("public/about/index.html");
    let page = std::fs::read(&about).expect("read");
    // Edited in place by hand, same length, its time set back: only its change time and
    // (here) inode tell.
    let mut edited = page.clone();
    let at = edited.len() / 2;
    edited[at] = if edited[at] == b'x' { b'y' } else { b'x' };
    let time = std::fs::metadata(&about)
        .expect("stat")
        .modified()
        .expect("mtime");
    std::fs::remove_file(&about).expect("remove");
    std::fs::write(&about, &edited).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&about)
        .and_then(|f| f.set_modified(time))
        .expect("set time");
    // Only what one briefing says changes: the about page is not one the edit reaches.
    site.write(
        reactions,
        &original.replace("Leaders reacted.", "Leaders reacted late."),
    );
    build_and_compare(&site, "a words-only edit");
    assert_eq!(std::fs::read(&about).expect("read"), page);
    assert!(
        site.output("briefings/reactions/index.html")
            .contains("reacted late")
    );
}

/// A new title shows wherever a `[[link]]` names the briefing: a free page and a profile
/// too, however the link is spaced. The rebuild must give a fresh build's bytes.
#[test]
fn a_new_title_reaches_free_pages_profiles_and_spaced_links() {
    let site = Fixture::small();
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\nsummary: What this is.\n---\nStart with [[talks-planned]].\n",
    );
    site.write(
        "content/people/rustem-umerov.md",
        "---\nname: Rustem Umerov\n---\nLed the delegation; see [[ talks-planned ]].\n",
    );
    site.build().expect("first build");
    let path = "content/briefings/2025/04/talks-planned.md";
    let text = std::fs::read_to_string(site.path(path)).expect("read");
    site.write(
        path,
        &text.replace("title: Talks planned", "title: Talks announced"),
    );
    site.build().expect("rebuild");
    for page in ["about/index.html", "people/rustem-umerov/index.html"] {
        let html = site.output(page);
        assert!(
            html.contains("Talks announced") && !html.contains("Talks planned"),
            "{page}: {html}"
        );
    }
    let fresh = Fixture::small();
    for (file, text) in [
        (
            "content/pages/about.md",
            site.path("content/pages/about.md"),
        ),
        (
            "content/people/rustem-umerov.md",
            site.path("content/people/rustem-umerov.md"),
        ),
        (path, site.path(path)),
    ] {
        fresh.write(file, &std::fs::read_to_string(text).expect("read"));
    }
    fresh.build().expect("fresh build");
    assert!(
        contents(&site.path("public")) == contents(&fresh.path("public")),
        "the rebuild differs from a fresh build"
    );
}

#[test]
fn the_output_as_recorded_is_the_output_on_disk_after_every_rebuild() {
    // A rebuild records the folder it committed partly from what it listed when it began
    // (#14); the record must be what a fresh look at the folder sees, or the next build
    // would not trust it.
    let site = Fixture::small();
    let reactions = "content/briefings/2025/05/reactions.md";
    let original = std::fs::read_to_string(site.path(reactions)).expect("read");
    let options = sitroom::BuildOptions::new(site.root());
    site.build().expect("first build");
    for step in 0..4 {
        site.write(reactions, &format!("{original}\nMore, step {step}.\n"));
        site.build().expect("rebuild");
        let recorded = sitroom::pipeline::Previous::scan(&options).snapshots();
        let on_disk = sitroom::output::Snapshot::take(site.root(), &site.path("public"))
            .expect("a look at the output");
        assert!(on_disk.is_some(), "step {step}: the output is sitroom's");
        assert_eq!(recorded.live, on_disk, "step {step}");
    }
}

/// A person added to one briefing, then taken away again, leaves every page the name does
/// not reach as the very same file, makes and then removes the person's page, and gives a
/// fresh build's bytes each time (#14).
#[test]
fn a_name_added_and_taken_away_rewrites_only_the_pages_it_reaches() {
    let site = Fixture::small();
    let reactions = "content/briefings/2025/05/reactions.md";
    let original = std::fs::read_to_string(site.path(reactions)).expect("read");
    assert!(original.contains("people: ["), "{original}");
    site.build().expect("first build");
    let before = identities(&site.path("public"));

    let all = site.build().expect("a build of every page").files;
    site.write(
        reactions,
        &original.replace("people: [", "people: [Zed Newcomer, "),
    );
    let rendered = |report: sitroom::Report| report.rendered.expect("rendered in part");
    let report = site.build().expect("a names edit");
    let n = rendered(report);
    assert!(n < all, "rendered {n} of {all}");
    build_and_compare(&site, "a name added");
    let added = identities(&site.path("public"));
    assert!(added.contains_key("people/zed-newcomer/index.html"));
    assert_ne!(
        before["briefings/reactions/index.html"],
        added["briefings/reactions/index.html"]
    );
    assert_eq!(before["about/index.html"], added["about/index.html"]);

    site.write(reactions, &original);
    let report = site.build().expect("a names edit");
    let n = rendered(report);
    assert!(n < all, "rendered {n} of {all}");
    build_and_compare(&site, "the name taken away");
    let gone = identities(&site.path("public"));
    assert!(!gone.contains_key("people/zed-newcomer/index.html"));
    assert_eq!(before["about/index.html"], gone["about/index.html"]);
}
