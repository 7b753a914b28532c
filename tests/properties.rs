//! Property tests: slugs are ASCII, path-safe, stable and non-empty for any name with a
//! letter; name keys ignore case; and a whole build of a generated small archive gives the
//! same bytes twice, and any sequence of edits rebuilds to the bytes of a fresh build.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use sitroom::slug::{is_valid, name_key, slugify};

proptest! {
    #[test]
    fn slugs_are_ascii_path_safe_and_stable(name in any::<String>()) {
        let slug = slugify(&name);
        prop_assert!(slug.is_ascii());
        prop_assert!(slug.is_empty() || is_valid(&slug) || slug.len() > 200, "`{}`", slug);
        prop_assert!(!slug.contains(['/', '\\', '.', ' ']));
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'));
        prop_assert_eq!(slugify(&slug), slug.clone());
        prop_assert_eq!(slugify(&name), slug);
    }

    #[test]
    fn names_with_a_latin_letter_or_digit_have_a_slug(
        before in "\\PC{0,12}", letter in "[a-zA-Z0-9]", after in "\\PC{0,12}"
    ) {
        let name = format!("{before}{letter}{after}");
        prop_assert!(!slugify(&name).is_empty(), "`{}` has no slug", name);
    }

    #[test]
    fn names_in_any_script_with_a_letter_have_a_slug(name in "[\\p{L}\\p{N}]{1,3}") {
        // Apostrophe-like letters (ʼ, Malayalam ഽ) join words, as `'` does, and make no slug
        // on their own; every other letter or digit, in any script, does.
        let apostrophes = name
            .chars()
            .all(|c| deunicode::deunicode_char(c) == Some("'"));
        prop_assert!(apostrophes || !slugify(&name).is_empty(), "`{}` has no slug", name);
    }

    #[test]
    fn name_keys_ignore_case_and_spacing(name in "[\\p{L} ]{1,30}") {
        prop_assert_eq!(name_key(&name.to_ascii_uppercase()), name_key(&name));
        prop_assert_eq!(name_key(&format!("  {name}  ")), name_key(&name));
    }
}

/// A generated small archive: a few briefings naming a few of a pool of people and places.
/// (month, day, people, places, body) of one briefing.
type GeneratedBriefing = (u8, u8, Vec<usize>, Vec<usize>, String);

#[derive(Debug, Clone)]
struct Archive {
    briefings: Vec<GeneratedBriefing>,
    profiles: Vec<usize>,
}

const PEOPLE: &[&str] = &[
    "Volodymyr Zelensky",
    "Vladimir Putin",
    "Kaja Kallas",
    "Rustem Umerov",
    "Recep Tayyip Erdoğan",
    "Хакан Фидан",
];
const PLACES: &[&str] = &["Istanbul", "Kyiv", "Zürich", "Moscow"];

fn archive() -> impl Strategy<Value = Archive> {
    let briefing = (
        1u8..=12,
        1u8..=28,
        prop::collection::vec(0..PEOPLE.len(), 0..4),
        prop::collection::vec(0..PLACES.len(), 0..3),
        "[a-z ]{0,40}",
    );
    (
        prop::collection::vec(briefing, 1..6),
        prop::collection::vec(0..PEOPLE.len(), 0..3),
    )
        .prop_map(|(briefings, profiles)| Archive {
            briefings,
            profiles,
        })
}

fn write_archive(f: &common::Fixture, archive: &Archive) {
    for (i, (month, day, people, places, body)) in archive.briefings.iter().enumerate() {
        let people: Vec<&str> = people.iter().map(|&p| PEOPLE[p]).collect();
        let places: Vec<&str> = places.iter().map(|&p| PLACES[p]).collect();
        f.write(
            &format!("content/briefings/b{i}.md"),
            &format!(
                "---\ntitle: Briefing {i}\ndate: 2025-{month:02}-{day:02}\npeople: [{}]\nplaces: [{}]\ntags: [t{}]\n---\n{body} [[b0]]\n",
                people.join(", "),
                places.join(", "),
                i % 2
            ),
        );
    }
    for &p in &archive.profiles {
        f.write(
            &format!("content/people/{}.md", slugify(PEOPLE[p])),
            &format!("---\nname: {}\n---\nProfile; see [[b0]].\n", PEOPLE[p]),
        );
    }
}

/// Every file of a built site and its bytes, but for sitroom's marker: its record of what it
/// wrote carries file times, and it is not a page.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    common::files(dir)
        .into_iter()
        .filter(|p| p != sitroom::output::MARKER)
        .map(|p| {
            let bytes = std::fs::read(dir.join(&p)).expect("read");
            (p, bytes)
        })
        .collect()
}

proptest! {
    // Each case is two whole builds; a few dozen archives cover the orderings that matter.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_same_archive_builds_to_the_same_bytes(archive in archive()) {
        let f = common::Fixture::new(common::SITE_YAML);
        write_archive(&f, &archive);
        let first = f.path("first");
        let second = f.path("second");
        f.build_with(|o| o.out = Some(first.clone())).expect("first build");
        f.build_with(|o| o.out = Some(second.clone())).expect("second build");
        let (a, b) = (tree(&first), tree(&second));
        prop_assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (path, bytes) in &a {
            prop_assert!(bytes == &b[path], "`{}` differs between two builds", path);
        }
    }
}

/// One edit an editor makes between two builds (#14).
#[derive(Debug, Clone)]
enum Edit {
    /// Nothing at all: the build has nothing to do.
    Nothing,
    /// The body replaced, naming a person in its text or not (a mention in the search
    /// index, which is kept between builds per briefing).
    Body(usize, String, Option<usize>),
    /// What builds keep for the next (the search index's analysis, the parses and what
    /// resolve derived) damaged: it must be thrown away, not trusted.
    DamageCaches,
    Retitle(usize, String),
    /// The file renamed, so the briefing's address changes.
    Rename(usize),
    MoveDate(usize, u8, u8),
    Add(GeneratedBriefing),
    Delete(usize),
    /// A person's profile gains an alias that a briefing then uses.
    Alias(usize, usize),
    /// A stub (a name with no profile) is given one.
    Profile(usize),
    /// The briefing names other people and places: which briefings name whom changes,
    /// while the names may stay the ones the archive knows (serve then renders in part).
    Names(usize, Vec<usize>, Vec<usize>),
}

fn edit() -> impl Strategy<Value = Edit> {
    let briefing = (
        1u8..=12,
        1u8..=28,
        prop::collection::vec(0..PEOPLE.len(), 0..4),
        prop::collection::vec(0..PLACES.len(), 0..3),
        "[a-z ]{0,40}",
    );
    prop_oneof![
        1 => Just(Edit::Nothing),
        // Edits of what briefings say are rebuilt by rendering only what they reach: the
        // path most worth checking, so the most frequent.
        3 => (0..8usize, "[a-z ]{1,30}", prop::option::of(0..PEOPLE.len()))
            .prop_map(|(i, t, p)| Edit::Body(i, t, p)),
        1 => Just(Edit::DamageCaches),
        2 => (0..8usize, "[A-Z][a-z]{1,10}").prop_map(|(i, t)| Edit::Retitle(i, t)),
        1 => (0..8usize).prop_map(Edit::Rename),
        1 => (0..8usize, 1u8..=12, 1u8..=28).prop_map(|(i, m, d)| Edit::MoveDate(i, m, d)),
        1 => briefing.prop_map(Edit::Add),
        1 => (0..8usize).prop_map(Edit::Delete),
        1 => (0..PEOPLE.len(), 0..8usize).prop_map(|(p, i)| Edit::Alias(p, i)),
        1 => (0..PEOPLE.len()).prop_map(Edit::Profile),
        2 => (
            0..8usize,
            prop::collection::vec(0..PEOPLE.len(), 0..3),
            prop::collection::vec(0..PLACES.len(), 0..2)
        )
            .prop_map(|(i, people, places)| Edit::Names(i, people, places)),
    ]
}

/// The briefing files of an archive being edited, by path; the first is never removed
/// or renamed, as every body links to it.
struct Files(Vec<String>);

impl Files {
    /// The `i`th file but the first, if there is one.
    fn pick(&self, i: usize) -> Option<String> {
        (self.0.len() > 1).then(|| self.0[1 + i % (self.0.len() - 1)].clone())
    }
}

fn apply(f: &common::Fixture, files: &mut Files, edit: &Edit, step: usize) {
    let read = |path: &str| std::fs::read_to_string(f.path(path)).expect("read");
    let replace_line = |path: &str, key: &str, line: &str| {
        let text: Vec<String> = read(path)
            .lines()
            .map(|l| {
                if l.starts_with(key) {
                    line.to_string()
                } else {
                    l.to_string()
                }
            })
            .collect();
        f.write(path, &(text.join("\n") + "\n"));
    };
    match edit {
        Edit::Nothing => {}
        Edit::Body(i, text, person) => {
            let path = &files.0[i % files.0.len()];
            let head = read(path);
            let front = &head[..head.rfind("---\n").expect("front matter") + 4];
            let named = person.map_or("", |p| PEOPLE[p]);
            f.write(path, &format!("{front}{text} {named} [[b0]]\n"));
        }
        Edit::DamageCaches => {
            let records = f.path(".sitroom-cache/build-v1");
            for entry in std::fs::read_dir(records).expect("the build records") {
                let path = entry.expect("an entry").path();
                if path
                    .extension()
                    .is_some_and(|e| e == "search" || e == "reuse")
                {
                    let bytes = std::fs::read(&path).expect("read");
                    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("damage");
                }
            }
        }
        Edit::Names(i, people, places) => {
            let path = files.0[i % files.0.len()].clone();
            let people: Vec<&str> = people.iter().map(|&p| PEOPLE[p]).collect();
            let places: Vec<&str> = places.iter().map(|&p| PLACES[p]).collect();
            replace_line(
                &path,
                "people:",
                &format!("people: [{}]", people.join(", ")),
            );
            replace_line(
                &path,
                "places:",
                &format!("places: [{}]", places.join(", ")),
            );
        }
        Edit::Retitle(i, title) => {
            let path = files.0[i % files.0.len()].clone();
            replace_line(&path, "title:", &format!("title: {title}"));
        }
        Edit::Rename(i) => {
            if let Some(path) = files.pick(*i) {
                let new = format!("content/briefings/renamed-{step}.md");
                std::fs::rename(f.path(&path), f.path(&new)).expect("rename");
                files.0.retain(|p| *p != path);
                files.0.push(new);
            }
        }
        Edit::MoveDate(i, month, day) => {
            let path = files.0[i % files.0.len()].clone();
            replace_line(&path, "date:", &format!("date: 2025-{month:02}-{day:02}"));
        }
        Edit::Add((month, day, people, places, body)) => {
            let people: Vec<&str> = people.iter().map(|&p| PEOPLE[p]).collect();
            let places: Vec<&str> = places.iter().map(|&p| PLACES[p]).collect();
            let path = format!("content/briefings/added-{step}.md");
            f.write(
                &path,
                &format!(
                    "---\ntitle: Added {step}\ndate: 2025-{month:02}-{day:02}\npeople: [{}]\nplaces: [{}]\n---\n{body} [[b0]]\n",
                    people.join(", "),
                    places.join(", ")
                ),
            );
            files.0.push(path);
        }
        Edit::Delete(i) => {
            if let Some(path) = files.pick(*i) {
                std::fs::remove_file(f.path(&path)).expect("remove");
                files.0.retain(|p| *p != path);
            }
        }
        Edit::Alias(p, i) => {
            let alias = format!("Alias{step}");
            f.write(
                &format!("content/people/{}.md", slugify(PEOPLE[*p])),
                &format!(
                    "---\nname: {}\naliases: [{alias}]\n---\nProfile.\n",
                    PEOPLE[*p]
                ),
            );
            let path = files.0[i % files.0.len()].clone();
            replace_line(&path, "people:", &format!("people: [{alias}]"));
        }
        Edit::Profile(p) => f.write(
            &format!("content/people/{}.md", slugify(PEOPLE[*p])),
            &format!(
                "---\nname: {}\nrole: Given a profile\n---\nNow a profile.\n",
                PEOPLE[*p]
            ),
        ),
    }
}

proptest! {
    // Each case is a few edits, each followed by a rebuild and a fresh build: tiny sites
    // and few cases keep it to seconds.
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_of_edits_rebuilds_to_the_bytes_of_a_fresh_build(
        archive in archive(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let f = common::Fixture::new(common::SITE_YAML);
        write_archive(&f, &archive);
        let mut files = Files((0..archive.briefings.len()).map(|i| format!("content/briefings/b{i}.md")).collect());
        f.build().expect("first build");
        // serve's build of the same archive, into memory, rebuilt after every edit too.
        let mut served = sitroom::serve::Session::new(sitroom::BuildOptions::new(f.root()));
        served.rebuild().expect("first serve build");
        for (step, edit) in edits.iter().enumerate() {
            apply(&f, &mut files, edit, step);
            let rebuilt = f.build().expect("rebuild");
            let in_memory = served.rebuild().expect("serve's rebuild");
            let fresh = f.path(&format!("fresh-{step}"));
            let from_scratch = f.build_with(|o| o.out = Some(fresh.clone())).expect("fresh build");
            prop_assert_eq!(&rebuilt.warnings, &from_scratch.warnings, "after {:?}", edit);
            prop_assert_eq!(&rebuilt.counts, &from_scratch.counts, "after {:?}", edit);
            let (a, b) = (tree(&f.path("public")), tree(&fresh));
            prop_assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "after {:?}", edit);
            for (path, bytes) in &a {
                prop_assert!(bytes == &b[path], "`{}` differs from a fresh build after {:?}", path, edit);
            }
            // serve holds every file a build writes, but for `static/`'s, served from disk.
            let built: Vec<(&String, &Vec<u8>)> =
                b.iter().filter(|(path, _)| !in_memory.static_files.contains(*path)).collect();
            let mut in_memory: Vec<(&String, &Vec<u8>)> =
                in_memory.files.iter().map(|(path, page)| (path, page.as_ref())).collect();
            in_memory.sort();
            prop_assert_eq!(in_memory.len(), built.len(), "serve after {:?}", edit);
            for ((path, bytes), (want, wanted)) in in_memory.iter().zip(&built) {
                prop_assert_eq!(path, want, "serve after {:?}", edit);
                prop_assert!(bytes == wanted, "`{}` served differs from a fresh build after {:?}", path, edit);
            }
            std::fs::remove_dir_all(&fresh).expect("remove the fresh build");
        }
    }
}
