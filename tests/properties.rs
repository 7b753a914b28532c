//! Property tests: slugs are ASCII, path-safe, stable and non-empty for any name with a
//! letter; name keys ignore case; and a whole build of a generated small archive gives the
//! same bytes twice.

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
            &format!("---\nname: {}\n---\nProfile.\n", PEOPLE[p]),
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
