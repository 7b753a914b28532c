//! A site's string tables, read from its `i18n/` folder: what an editor sees for each
//! mistake, and the words that come out. Pages in several languages are tested once the
//! languages reach the renderer; this file covers the tables themselves.

mod common;

use std::path::Path;

use common::{Fixture, SITE_YAML};
use sitroom::i18n::{self, Key, Language, Words};

fn languages(codes: &[&str]) -> Vec<Language> {
    codes.iter().map(|c| Language::parse(c).unwrap()).collect()
}

fn load(f: &Fixture, codes: &[&str]) -> (Vec<Words>, Vec<sitroom::diagnostics::Diagnostic>) {
    i18n::load(f.root(), &languages(codes)).unwrap()
}

#[test]
fn built_in_languages_need_no_folder() {
    let f = Fixture::new(SITE_YAML);
    let (words, problems) = load(&f, &["en", "uk", "ru", "ar"]);
    assert!(problems.is_empty(), "{problems:#?}");
    let codes: Vec<&str> = words.iter().map(|w| w.language().code()).collect();
    assert_eq!(codes, ["en", "uk", "ru", "ar"]);
    let sources: Vec<String> = words
        .iter()
        .map(|w| w.text(Key::Sources).into_owned())
        .collect();
    assert_eq!(sources, ["Sources", "Джерела", "Источники", "المصادر"]);
    let dirs: Vec<&str> = words
        .iter()
        .map(|w| w.language().direction().as_str())
        .collect();
    assert_eq!(dirs, ["ltr", "ltr", "ltr", "rtl"]);
}

#[test]
fn a_site_table_overrides_the_built_in_words() {
    let f = Fixture::new(SITE_YAML);
    f.write(
        "i18n/uk.yaml",
        "# Our own words\nbriefings: Огляди\nbriefing_count:\n  one: \"{count} огляд\"\n  few: \"{count} огляди\"\n  many: \"{count} оглядів\"\n",
    );
    let (words, problems) = load(&f, &["en", "uk"]);
    assert!(problems.is_empty(), "{problems:#?}");
    let uk = &words[1];
    assert_eq!(uk.text(Key::Briefings), "Огляди");
    assert_eq!(uk.count(Key::BriefingCount, 22, &[]), "22 огляди");
    assert_eq!(uk.text(Key::Sources), "Джерела");
    // English is untouched by Ukrainian's table.
    assert_eq!(words[0].text(Key::Briefings), "Briefings");
}

#[test]
fn an_editor_sees_each_mistake_at_its_line() {
    let f = Fixture::new(SITE_YAML);
    f.write(
        "i18n/uk.yaml",
        "sources: Джерела\nrelated_briefing: Схожі брифінги\nbriefing_count:\n  one: \"{count} огляд\"\n  few: \"{cuont} огляди\"\n  many: \"{count} оглядів\"\nbriefings_in_year:\n  one: \"{count} огляд за {year} рік.\"\n",
    );
    let (_, problems) = load(&f, &["uk"]);
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        shown,
        [
            "i18n/uk.yaml:2:1: error: unknown string key `related_briefing`\n  2 | related_briefing: Схожі брифінги\n    | ^\n  help: did you mean `related_briefings`?\n",
            "i18n/uk.yaml:5:9: error: `{cuont}` is not a placeholder of `briefing_count`\n  5 |   few: \"{cuont} огляди\"\n    |         ^\n  help: did you mean `{count}`?\n",
            "i18n/uk.yaml:7:1: error: `briefings_in_year` lacks the `few`, `many` forms that `uk` needs\n  7 | briefings_in_year:\n    | ^\n  help: add `few:` (for 2, 3, 4, 22, 23, …)\n",
        ]
    );
}

#[test]
fn a_language_not_built_in_is_english_where_its_table_is_silent() {
    let f = Fixture::new(SITE_YAML);
    f.write("i18n/pl.yaml", "language_name: Polski\nsources: Źródła\n");
    let (words, problems) = load(&f, &["en", "pl", "fr"]);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].path, Path::new("i18n/fr.yaml"));
    assert!(problems[0].message.contains("no built-in words for `fr`"));
    assert_eq!(problems[1].path, Path::new("i18n/pl.yaml"));
    assert!(problems[1].message.starts_with("this table does not give"));
    assert!(problems.iter().all(|p| !p.is_error()));
    assert_eq!(words[1].text(Key::Sources), "Źródła");
    assert_eq!(words[1].text(Key::Updated), "Updated");
    assert_eq!(words[1].autonym(), "Polski");
    assert_eq!(words[2].autonym(), "Français");
}

#[test]
fn tables_nobody_reads_are_warnings() {
    let f = Fixture::new(SITE_YAML);
    f.write("i18n/de.yaml", "sources: Quellen\n");
    f.write("i18n/uk.yml", "sources: Джерела\n");
    f.write("i18n/.DS_Store", "");
    let (_, problems) = load(&f, &["en", "uk"]);
    let shown: Vec<(String, String)> = problems
        .iter()
        .map(|p| (p.path.display().to_string(), p.message.clone()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "i18n/de.yaml".to_string(),
                "`de` is not one of the site's languages, so this table is not used".to_string()
            ),
            (
                "i18n/uk.yml".to_string(),
                "this file is not a string table, so it is not used".to_string()
            ),
        ]
    );
    assert!(problems.iter().all(|p| !p.is_error()));
}

#[test]
fn a_table_that_is_not_utf8_is_an_error() {
    let f = Fixture::new(SITE_YAML);
    let path = f.path("i18n/uk.yaml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"sources: \xff\xfe\n").unwrap();
    let (words, problems) = load(&f, &["uk"]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].is_error());
    assert_eq!(problems[0].message, "the file is not UTF-8 text");
    // The built-in words still stand.
    assert_eq!(words[0].text(Key::Sources), "Джерела");
}

#[test]
fn broken_yaml_names_its_line() {
    let f = Fixture::new(SITE_YAML);
    f.write("i18n/ar.yaml", "sources: المصادر\nupdated: \"آخر تحديث\n");
    let (_, problems) = load(&f, &["ar"]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].is_error());
    assert_eq!(problems[0].path, Path::new("i18n/ar.yaml"));
    assert!(problems[0].line >= 2, "{problems:#?}");
}

#[test]
fn language_codes_say_how_to_write_them() {
    let wrong = Language::parse("pt_BR").unwrap_err();
    assert_eq!(wrong.message, "`pt_BR` is not a language code");
    assert_eq!(wrong.help, "write `pt-BR`");
    assert_eq!(Language::parse("EN").unwrap_err().help, "write `en`");
}
