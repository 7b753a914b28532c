//! The words of each built-in language, and what a site's table may and may not do.

use std::path::Path;

use super::*;

fn lang(code: &str) -> Language {
    Language::parse(code).unwrap()
}

/// The built-in words of `code`, which must come with no diagnostics at all.
fn words(code: &str) -> Words {
    let (words, problems) = Words::new(&lang(code), None);
    assert!(problems.is_empty(), "{code}: {problems:#?}");
    words
}

/// The words of `code` under a site table, and what was said about it.
fn with_table(code: &str, text: &str) -> (Words, Vec<Diagnostic>) {
    let path = format!("i18n/{code}.yaml");
    Words::new(
        &lang(code),
        Some(SiteTable {
            path: Path::new(&path),
            text,
        }),
    )
}

fn counts(words: &Words, numbers: &[u64]) -> Vec<String> {
    numbers
        .iter()
        .map(|&n| words.count(Key::BriefingCount, n, &[]))
        .collect()
}

#[test]
fn every_built_in_table_is_complete_and_clean() {
    for code in built_in() {
        let language = lang(code);
        let rules = plural_rules(&language);
        let plurals = Plurals::new(code, rules.as_ref());
        let (english, shapes) = english(&mut Vec::new());
        let against = Against {
            shapes: Some(&shapes),
            plurals: &plurals,
            rules: rules.as_ref(),
        };
        let source = BUILT_IN.iter().find(|(c, _)| *c == code).unwrap().1;
        let (texts, problems) = table::read(&built_in_path(code), source, &against);
        assert!(problems.is_empty(), "{code}: {problems:#?}");
        for (key, text) in Key::ALL.iter().zip(&texts) {
            let text = text
                .as_ref()
                .unwrap_or_else(|| panic!("{code} lacks `{}`", key.name()));
            let english_shape = Shape::of(&english[key.index()]);
            // A translation may leave a placeholder out (`موجز واحد` for one), but a
            // plural key stays plural.
            assert_eq!(
                Shape::of(text).plural,
                english_shape.plural,
                "{code} {}",
                key.name()
            );
        }
    }
}

#[test]
fn built_in_tables_name_their_language_as_the_autonyms_do() {
    for code in built_in() {
        let words = words(code);
        assert_eq!(
            Some(words.autonym().as_ref()),
            lang(code).autonym(),
            "{code}"
        );
    }
}

#[test]
fn every_placeholder_english_uses_is_used_by_each_language_somewhere() {
    // Not a rule (a form may drop `{count}`), but a translation that never shows a value
    // English shows has probably lost it.
    let (english, _) = english(&mut Vec::new());
    for code in ["uk", "ru", "ar"] {
        let words = words(code);
        for &key in Key::ALL {
            let shape = Shape::of(&english[key.index()]);
            let own = Shape::of(&words.texts[key.index()]);
            for slot in &shape.slots {
                let allowed_to_drop = matches!(
                    (code, key),
                    // Ukrainian and Russian say "mentioned together", not "with {name}".
                    ("uk" | "ru", Key::WithHint)
                );
                assert!(
                    own.slots.contains(slot) || allowed_to_drop,
                    "{code} `{}` never shows {{{slot}}}",
                    key.name()
                );
            }
        }
    }
}

#[test]
fn english_plurals_and_words_are_todays() {
    let en = words("en");
    assert_eq!(
        counts(&en, &[0, 1, 2, 21]),
        ["0 briefings", "1 briefing", "2 briefings", "21 briefings"]
    );
    assert_eq!(en.text(Key::Sources), "Sources");
    assert_eq!(en.text(Key::PagerNewer), "← Newer");
    assert_eq!(
        en.format(Key::TitlePage, &[("title", "Briefings"), ("page", "3")]),
        "Briefings, page 3"
    );
    assert_eq!(
        en.format(Key::IndexDescriptionPeople, &[("site", "X")]),
        "All people named in X, A–Z."
    );
    assert_eq!(
        en.format(Key::ArchiveMonth, &[("month", &en.month(2025, 5))]),
        "Archive: May 2025"
    );
    assert_eq!(en.text(Key::Comma), ", ");
    assert_eq!(en.language().direction(), Direction::LeftToRight);
}

#[test]
fn ukrainian_has_three_forms() {
    let uk = words("uk");
    assert_eq!(
        counts(&uk, &[1, 2, 5, 11, 21, 22, 25, 0, 111, 104]),
        [
            "1 брифінг",
            "2 брифінги",
            "5 брифінгів",
            "11 брифінгів",
            "21 брифінг",
            "22 брифінги",
            "25 брифінгів",
            "0 брифінгів",
            "111 брифінгів",
            "104 брифінги",
        ]
    );
    assert_eq!(
        uk.count(Key::BriefingsInYear, 21, &[("year", "2025")]),
        "21 брифінг за 2025 рік."
    );
    assert_eq!(uk.count(Key::SearchMatches, 3, &[]), "Знайдено 3 брифінги.");
    assert_eq!(uk.plural_category(5), "many");
}

#[test]
fn russian_has_three_forms() {
    let ru = words("ru");
    assert_eq!(
        counts(&ru, &[1, 2, 5, 11, 21, 22, 25]),
        [
            "1 брифинг",
            "2 брифинга",
            "5 брифингов",
            "11 брифингов",
            "21 брифинг",
            "22 брифинга",
            "25 брифингов",
        ]
    );
    assert_eq!(ru.count(Key::SearchMatches, 21, &[]), "Найден 21 брифинг.");
    assert_eq!(
        ru.count(Key::SearchMatches, 12, &[]),
        "Найдено 12 брифингов."
    );
}

#[test]
fn arabic_has_six_forms() {
    let ar = words("ar");
    assert_eq!(
        counts(&ar, &[0, 1, 2, 3, 11, 100, 10, 99, 102, 103, 111]),
        [
            "لا موجزات",
            "موجز واحد",
            "موجزان",
            "3 موجزات",
            "11 موجزًا",
            "100 موجز",
            "10 موجزات",
            "99 موجزًا",
            "102 موجز",
            "103 موجزات",
            "111 موجزًا",
        ]
    );
    let categories: Vec<&str> = [0, 1, 2, 3, 11, 100]
        .iter()
        .map(|&n| ar.plural_category(n))
        .collect();
    assert_eq!(categories, ["zero", "one", "two", "few", "many", "other"]);
}

#[test]
fn dates_in_all_four_languages() {
    let may16 = jiff::civil::date(2025, 5, 16);
    assert_eq!(words("en").date(may16), "16 May 2025");
    assert_eq!(words("uk").date(may16), "16 травня 2025\u{202f}р.");
    assert_eq!(words("ru").date(may16), "16 мая 2025\u{202f}г.");
    assert_eq!(words("ar").date(may16), "16 مايو 2025");
    assert_eq!(words("uk").month(2025, 5), "травень 2025\u{202f}р.");
    assert_eq!(words("uk").month_heading(2025, 5), "Травень 2025\u{202f}р.");
    assert_eq!(words("ru").month(2025, 12), "декабрь 2025\u{202f}г.");
    assert_eq!(words("ar").month(2025, 12), "ديسمبر 2025");
    let uk = words("uk");
    assert_eq!(
        uk.format(Key::ArchiveMonth, &[("month", &uk.month(2025, 5))]),
        "Архів: травень 2025\u{202f}р."
    );
}

#[test]
fn direction_and_autonyms() {
    assert!(words("ar").language().is_right_to_left());
    assert_eq!(words("ar").language().direction().as_str(), "rtl");
    assert_eq!(words("uk").language().direction().as_str(), "ltr");
    assert_eq!(words("en").autonym(), "English");
    assert_eq!(words("uk").autonym(), "Українська");
    assert_eq!(words("ru").autonym(), "Русский");
    assert_eq!(words("ar").autonym(), "العربية");
}

#[test]
fn arabic_arrows_point_the_way_the_page_reads() {
    // In a right-to-left page the newer (previous) page is to the right.
    let ar = words("ar");
    assert!(ar.text(Key::PagerNewer).starts_with('→'));
    assert!(ar.text(Key::PagerOlder).ends_with('←'));
}

#[test]
fn html_sentences_keep_their_links() {
    let uk = words("uk");
    let link = |text: &str| format!("<a href=\"/x/\">{text}</a>");
    let people = link(&uk.text(Key::NotFoundPeople));
    let html = uk.format_html(
        Key::NotFoundBrowse,
        &[
            ("people", &people),
            ("organisations", "o"),
            ("places", "p"),
            ("tags", "t"),
            ("archive", "a"),
        ],
    );
    assert_eq!(html, "Перегляньте <a href=\"/x/\">людей</a>, o, p, t або a");
}

#[test]
fn a_site_overrides_a_string_and_keeps_the_rest() {
    let (uk, problems) = with_table("uk", "sources: Першоджерела\n");
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(uk.text(Key::Sources), "Першоджерела");
    assert_eq!(uk.text(Key::RelatedBriefings), "Пов’язані брифінги");
}

#[test]
fn a_site_overrides_plural_forms_whole() {
    let table = "briefing_count:\n  one: \"{count} огляд\"\n  few: \"{count} огляди\"\n  many: \"{count} оглядів\"\n";
    let (uk, problems) = with_table("uk", table);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(
        counts(&uk, &[1, 3, 5, 21]),
        ["1 огляд", "3 огляди", "5 оглядів", "21 огляд"]
    );
}

#[test]
fn an_unknown_key_is_an_error_with_a_suggestion() {
    let (uk, problems) = with_table("uk", "# ours\nsources: Джерела\nrelated_briefing: Схожі\n");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let problem = &problems[0];
    assert!(problem.is_error());
    assert_eq!(problem.path, Path::new("i18n/uk.yaml"));
    assert_eq!((problem.line, problem.column), (3, 1));
    assert_eq!(problem.message, "unknown string key `related_briefing`");
    assert_eq!(
        problem.help.as_deref(),
        Some("did you mean `related_briefings`?")
    );
    assert_eq!(
        problem.source_line.as_deref(),
        Some("related_briefing: Схожі")
    );
    // The rest of the table still counts.
    assert_eq!(uk.text(Key::Sources), "Джерела");
}

#[test]
fn a_wrong_placeholder_is_an_error_at_its_column() {
    let table = "briefing_count:\n  one: \"{count} огляд\"\n  few: \"{cuont} огляди\"\n  many: \"{count} оглядів\"\nsources: \"{name} джерела\"\n";
    let (uk, problems) = with_table("uk", table);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(
        problems[0].message,
        "`{cuont}` is not a placeholder of `briefing_count`"
    );
    assert_eq!((problems[0].line, problems[0].column), (3, 9));
    assert_eq!(problems[0].help.as_deref(), Some("did you mean `{count}`?"));
    assert_eq!(
        problems[1].message,
        "`{name}` is not a placeholder of `sources`"
    );
    assert_eq!((problems[1].line, problems[1].column), (5, 11));
    assert_eq!(
        problems[1].help.as_deref(),
        Some("`sources` takes no placeholders")
    );
    // Both entries are refused whole: the built-in words stay.
    assert_eq!(uk.count(Key::BriefingCount, 2, &[]), "2 брифінги");
    assert_eq!(uk.text(Key::Sources), "Джерела");
}

#[test]
fn placeholders_list_what_a_string_takes() {
    let (_, problems) = with_table("uk", "on_wikidata: \"{title} у Вікіданих\"\n");
    assert_eq!(
        problems[0].help.as_deref(),
        Some("the placeholders of `on_wikidata` are `{name}`")
    );
}

#[test]
fn broken_braces_are_errors() {
    let (_, problems) = with_table("uk", "on_wikidata: \"{name у Вікіданих\"\n");
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].message.contains("never closed"),
        "{problems:#?}"
    );
    assert_eq!((problems[0].line, problems[0].column), (1, 15));
}

#[test]
fn a_missing_plural_category_is_an_error() {
    let table = "\nbriefing_count:\n  one: \"{count} огляд\"\n  other: \"{count} огляду\"\n";
    let (uk, problems) = with_table("uk", table);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(
        problems[0].message,
        "`briefing_count` lacks the `few`, `many` forms that `uk` needs"
    );
    assert_eq!((problems[0].line, problems[0].column), (2, 1));
    assert_eq!(
        problems[0].help.as_deref(),
        Some("add `few:` (for 2, 3, 4, 22, 23, …)")
    );
    assert_eq!(uk.count(Key::BriefingCount, 5, &[]), "5 брифінгів");
}

#[test]
fn arabic_needs_all_six_forms() {
    let table = "briefing_count:\n  one: \"موجز واحد\"\n  other: \"{count} موجز\"\n";
    let (_, problems) = with_table("ar", table);
    assert_eq!(
        problems[0].message,
        "`briefing_count` lacks the `zero`, `two`, `few`, `many` forms that `ar` needs"
    );
}

#[test]
fn a_category_the_language_lacks_is_an_error() {
    let table = "briefing_count:\n  zero: \"жодного\"\n  one: \"{count} огляд\"\n  few: \"{count} огляди\"\n  many: \"{count} оглядів\"\n  onee: x\n";
    let (_, problems) = with_table("uk", table);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].message, "`zero` is not a plural form of `uk`");
    assert_eq!((problems[0].line, problems[0].column), (2, 3));
    assert_eq!(
        problems[0].help.as_deref(),
        Some("`uk` uses `one:`, `few:`, `many:`, `other:`; remove this line")
    );
    assert_eq!(problems[1].message, "`onee` is not a plural category");
    assert_eq!(problems[1].help.as_deref(), Some("did you mean `one`?"));
}

#[test]
fn plain_and_plural_must_not_be_swapped() {
    let (_, problems) = with_table(
        "uk",
        "sources:\n  one: x\nbriefing_count: \"{count} брифінгів\"\n",
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(
        problems[0].message,
        "`sources` is one text, not plural forms"
    );
    assert_eq!(
        problems[1].message,
        "`briefing_count` needs plural forms for `uk`"
    );
    assert_eq!(problems[1].line, 3);
}

#[test]
fn a_value_that_is_not_text_is_an_error() {
    let (_, problems) = with_table("uk", "sources: 12\nupdated:\n");
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].message, "`sources` is a number, not text");
    assert_eq!(problems[1].message, "`updated` is empty, not text");
}

#[test]
fn broken_yaml_is_one_error_and_the_built_in_words_stay() {
    let (uk, problems) = with_table("uk", "sources: \"Джерела\nupdated: Оновлено\n");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].is_error());
    assert!(problems[0].line > 0);
    assert_eq!(uk.text(Key::Sources), "Джерела");
}

#[test]
fn a_language_not_built_in_falls_back_to_english_with_a_warning() {
    let table = "language_name: Polski\nsources: Źródła\nbriefing_count:\n  one: \"{count} notatka\"\n  few: \"{count} notatki\"\n  many: \"{count} notatek\"\n  other: \"{count} notatki\"\n";
    let (pl, problems) = with_table("pl", table);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let warning = &problems[0];
    assert!(!warning.is_error());
    assert_eq!(warning.path, Path::new("i18n/pl.yaml"));
    assert!(
        warning
            .message
            .starts_with("this table does not give `skip_to_content`, `nav_label`"),
        "{}",
        warning.message
    );
    assert!(
        warning
            .message
            .contains(&format!("and {} more", Key::ALL.len() - 3 - 5)),
        "{}",
        warning.message
    );
    assert_eq!(pl.text(Key::Sources), "Źródła");
    assert_eq!(pl.text(Key::RelatedBriefings), "Related briefings");
    assert_eq!(
        counts(&pl, &[1, 2, 5, 22]),
        ["1 notatka", "2 notatki", "5 notatek", "22 notatki"]
    );
    // English's plural texts stand in, with Polish rules choosing among what English has.
    assert_eq!(pl.count(Key::SearchMatches, 5, &[]), "5 briefings match.");
    assert_eq!(pl.autonym(), "Polski");
    assert_eq!(pl.date(jiff::civil::date(2025, 5, 16)), "16 maja 2025");
}

#[test]
fn a_language_with_no_table_at_all_is_english_with_its_own_name_and_dates() {
    let (fr, problems) = Words::new(&lang("fr"), None);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path, Path::new("i18n/fr.yaml"));
    assert!(problems[0].message.contains("no built-in words for `fr`"));
    assert_eq!(fr.autonym(), "Français");
    assert_eq!(fr.text(Key::Sources), "Sources");
    assert_eq!(fr.date(jiff::civil::date(2025, 5, 16)), "16 mai 2025");
    // French's `many` (a million) falls back to English's `other`.
    assert_eq!(
        fr.count(Key::BriefingCount, 1_000_000, &[]),
        "1000000 briefings"
    );
    let (unknown, _) = Words::new(&lang("tlh"), None);
    assert_eq!(unknown.autonym(), "tlh");
}

#[test]
fn a_language_with_only_other_may_write_plurals_bare() {
    let (ja, problems) = with_table("ja", "briefing_count: \"{count}件のブリーフィング\"\n");
    assert!(problems.iter().all(|p| !p.is_error()), "{problems:#?}");
    assert_eq!(ja.count(Key::BriefingCount, 1, &[]), "1件のブリーフィング");
}

#[test]
fn regional_codes_use_the_built_in_words_of_their_language() {
    let (uk, problems) = Words::new(&lang("uk-UA"), None);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(uk.text(Key::Sources), "Джерела");
    let (ar, _) = Words::new(&lang("ar-EG"), None);
    assert!(ar.language().is_right_to_left());
    assert_eq!(ar.count(Key::BriefingCount, 2, &[]), "موجزان");
}

#[test]
fn forms_and_plain_texts_for_scripts_and_templates() {
    let uk = words("uk");
    let forms = uk.forms(Key::SearchMatches);
    let names: Vec<&str> = forms.iter().map(|(c, _)| *c).collect();
    assert_eq!(names, ["one", "few", "many", "other"]);
    assert_eq!(forms[0].1, "Знайдено {count} брифінг.");
    let plain = uk.plain_texts();
    assert_eq!(plain["sources"], "Джерела");
    assert_eq!(plain["on_wikidata"], "{name} у Вікіданих");
    assert!(!plain.contains_key("briefing_count"));
}

#[test]
fn words_can_be_shared_across_render_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Words>();
}
