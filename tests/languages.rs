//! Several languages in one archive (#12): per-language URLs, words, dates and names, and a
//! single-language archive that builds exactly as it did before languages existed.

mod common;

use common::Fixture;

/// Every output file of `dir` with a hash of its bytes, one `path hash` line each.
fn digest(dir: &std::path::Path) -> String {
    common::files(dir)
        .iter()
        .map(|file| {
            let bytes = std::fs::read(dir.join(file)).expect("read output");
            format!("{file} {:016x}\n", xxhash_rust::xxh3::xxh3_64(&bytes))
        })
        .collect()
}

/// The small fixture's output as sitroom built it before `languages:` existed, file by
/// file. `SITROOM_BLESS=1` rewrites it, for a change that means to alter every site.
#[test]
fn single_language_site_is_byte_identical() {
    let site = Fixture::small();
    site.build().expect("build");
    let found = digest(&site.path("public"));
    let snapshot = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/single-language.digest");
    if std::env::var_os("SITROOM_BLESS").is_some() {
        std::fs::write(&snapshot, &found).expect("write snapshot");
    }
    let expected = std::fs::read_to_string(&snapshot).expect("read snapshot");
    let differ: Vec<&str> = found
        .lines()
        .filter(|line| !expected.lines().any(|e| e == *line))
        .collect();
    assert!(
        differ.is_empty() && found.lines().count() == expected.lines().count(),
        "files differ from the single-language snapshot: {differ:?}"
    );
}

const SITE: &str = "title: Test Briefings\nbase_url: https://example.org/\ndescription: Tests.\nlanguage: en\nper_page: 2\nlanguages:\n  uk: { title: Брифінги, description: Тести. }\n  ar: { title: موجزات, description: اختبارات }\n";

fn briefing(title: &str, date: &str, front: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{front}---\n{body}\n")
}

/// An archive in English, Ukrainian and Arabic: three English briefings, their Ukrainian
/// translations (one dated otherwise) and two briefings in Ukrainian alone, one Arabic
/// translation; profiles named per language by `names:` and by a translated profile.
fn three_languages() -> Fixture {
    let f = Fixture::new(SITE);
    f.write(
        "content/people/volodymyr-zelensky.md",
        "---\nname: Volodymyr Zelensky\nnames: { uk: Володимир Зеленський, ar: فولوديمير زيلينسكي }\nrole: President of Ukraine\n---\nPresident of Ukraine.\n",
    );
    f.write(
        "content/people/rustem-umerov.md",
        "---\nname: Rustem Umerov\nrole: Defence Minister\n---\nUkraine's defence minister.\n",
    );
    f.write(
        "content/people/rustem-umerov.uk.md",
        "---\nname: Рустем Умєров\nrole: Міністр оборони\n---\nМіністр оборони України.\n",
    );
    f.write(
        "content/people/kaja-kallas.md",
        "---\nname: Kaja Kallas\nnames: { uk: Кая Каллас }\n---\nEU foreign policy chief.\n",
    );
    f.write(
        "content/places/istanbul.md",
        "---\nname: Istanbul\nnames: { uk: Стамбул }\n---\nA city in Turkey.\n",
    );
    f.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nAn archive.\n",
    );
    f.write(
        "content/pages/about.uk.md",
        "---\ntitle: Про архів\n---\nАрхів.\n",
    );
    let en = [
        (
            "talks-a",
            "Talks open",
            "2025-05-16",
            "people: [Volodymyr Zelensky]\nplaces: [Istanbul]\n",
        ),
        (
            "talks-b",
            "Talks go on",
            "2025-05-17",
            "people: [Volodymyr Zelensky]\n",
        ),
        (
            "talks-c",
            "Talks end",
            "2025-06-01",
            "people: [Rustem Umerov]\n",
        ),
    ];
    for (slug, title, date, front) in en {
        f.write(
            &format!("content/briefings/2025/{slug}.md"),
            &briefing(title, date, front, "English text."),
        );
    }
    let uk = [
        (
            "talks-a.uk",
            "Переговори почалися",
            "2025-05-16",
            "people: [Володимир Зеленський]\nplaces: [Стамбул]\ntags: [negotiations]\n",
            "Див. [[talks-c]] і [[uk-only-1]].",
        ),
        (
            "talks-b.uk",
            "Переговори тривають",
            "2025-05-18",
            "people: [Володимир Зеленський]\nplaces: [Стамбул]\n",
            "Текст.",
        ),
        (
            "talks-c.uk",
            "Переговори завершилися",
            "2025-06-01",
            "people: [Володимир Зеленський, Рустем Умєров]\n",
            "Текст.",
        ),
        (
            "uk-only-1.uk",
            "Лише українською",
            "2025-05-20",
            "people: [Volodymyr Zelensky]\n",
            "Текст.",
        ),
        (
            "uk-only-2.uk",
            "Ще один лише українською",
            "2025-06-02",
            "people: [володимир зеленський]\n",
            "Текст.",
        ),
    ];
    for (file, title, date, front, body) in uk {
        f.write(
            &format!("content/briefings/2025/{file}.md"),
            &briefing(title, date, front, body),
        );
    }
    f.write(
        "content/briefings/2025/talks-a.ar.md",
        &briefing(
            "بدء المحادثات",
            "2025-05-16",
            "people: [فولوديمير زيلينسكي]\n",
            "نص.",
        ),
    );
    f
}

fn built() -> (Fixture, sitroom::Report) {
    let f = three_languages();
    let report = f.build().unwrap_or_else(|e| panic!("{e}"));
    (f, report)
}

#[test]
fn every_page_kind_exists_in_each_language_under_its_folder() {
    let (f, _) = built();
    let per_language = [
        "index.html",
        "page/2/index.html",
        "briefings/talks-a/index.html",
        "people/index.html",
        "people/page/2/index.html",
        "people/volodymyr-zelensky/index.html",
        "people/volodymyr-zelensky/feed.xml",
        "places/istanbul/index.html",
        "organisations/index.html",
        "tags/index.html",
        "archive/index.html",
        "archive/2025/index.html",
        "archive/2025/05/index.html",
        "about/index.html",
        "search/index.html",
        "search/index.json",
        "404.html",
        "feed.xml",
    ];
    for file in per_language {
        assert!(f.exists(file), "{file}");
        assert!(f.exists(&format!("uk/{file}")), "uk/{file}");
    }
    // Ukrainian has more briefings than English: more pages of its lists.
    for file in [
        "uk/page/3/index.html",
        "uk/people/volodymyr-zelensky/page/3/index.html",
        "uk/archive/2025/05/page/2/index.html",
        "uk/tags/negotiations/index.html",
        "ar/briefings/talks-a/index.html",
        "ar/index.html",
    ] {
        assert!(f.exists(file), "{file}");
    }
    // The theme's files are shared, at the root only.
    for shared in ["style.css", "search.js", "sitemap.xml", "robots.txt"] {
        assert!(f.exists(shared), "{shared}");
        assert!(!f.exists(&format!("uk/{shared}")), "uk/{shared}");
    }
    let uk = f.output("uk/briefings/talks-a/index.html");
    assert!(
        uk.contains("<link rel=\"stylesheet\" href=\"/style.css\">"),
        "{uk}"
    );
    assert!(
        uk.contains("<link rel=\"canonical\" href=\"https://example.org/uk/briefings/talks-a/\">")
    );
    assert!(
        uk.contains("href=\"/uk/people/volodymyr-zelensky/\""),
        "{uk}"
    );
    // A `[[link]]` to a briefing with no translation leads to its original.
    let uk_a = common::main_of(&uk);
    assert!(uk_a.contains("href=\"/uk/briefings/talks-c/\""), "{uk_a}");
    assert!(uk_a.contains("href=\"/uk/briefings/uk-only-1/\""), "{uk_a}");
}

#[test]
fn html_lang_and_right_to_left() {
    let (f, _) = built();
    assert!(f.output("index.html").contains("<html lang=\"en\" style="));
    assert!(
        f.output("uk/index.html")
            .contains("<html lang=\"uk\" style=")
    );
    for page in [
        "ar/index.html",
        "ar/briefings/talks-a/index.html",
        "ar/404.html",
    ] {
        let html = f.output(page);
        assert!(
            html.contains("<html lang=\"ar\" dir=\"rtl\" style="),
            "{page}"
        );
    }
    assert!(f.output("ar/feed.xml").contains("xml:lang=\"ar\""));
}

#[test]
fn hreflang_alternates_go_both_ways_with_x_default() {
    let (f, _) = built();
    let links = [
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/briefings/talks-a/\">",
        "<link rel=\"alternate\" hreflang=\"uk\" href=\"https://example.org/uk/briefings/talks-a/\">",
        "<link rel=\"alternate\" hreflang=\"ar\" href=\"https://example.org/ar/briefings/talks-a/\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/briefings/talks-a/\">",
    ];
    for page in [
        "briefings/talks-a/index.html",
        "uk/briefings/talks-a/index.html",
        "ar/briefings/talks-a/index.html",
    ] {
        let html = f.output(page);
        for link in links {
            assert!(html.contains(link), "{page} lacks {link}");
        }
        // The switcher names each language in itself and marks the one shown.
        assert!(html.contains("<nav class=\"languages\""), "{page}");
        assert!(
            html.contains(">Українська</a>") && html.contains(">English</a>"),
            "{page}"
        );
    }
    let uk = f.output("uk/briefings/talks-a/index.html");
    assert!(uk.contains("<a href=\"/uk/briefings/talks-a/\" hreflang=\"uk\" lang=\"uk\" aria-current=\"page\">Українська</a>"), "{uk}");
    // talks-b has no Arabic translation: two alternates, no Arabic link.
    let b = f.output("briefings/talks-b/index.html");
    assert!(
        b.contains("hreflang=\"uk\"") && !b.contains("hreflang=\"ar\""),
        "{b}"
    );
    // A page with no translation has neither alternates nor a switcher.
    let only = f.output("uk/briefings/uk-only-1/index.html");
    assert!(
        !only.contains("hreflang") && !only.contains("class=\"languages\""),
        "{only}"
    );

    let sitemap = f.output("sitemap.xml");
    roxmltree::Document::parse(&sitemap).expect("the sitemap is XML");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains("<url><loc>https://example.org/uk/briefings/talks-a/</loc>\n<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/briefings/talks-a/\"/>"), "{sitemap}");
    assert!(
        sitemap.contains("<url><loc>https://example.org/uk/briefings/uk-only-1/</loc></url>"),
        "{sitemap}"
    );
}

#[test]
fn the_theme_speaks_the_page_language_with_its_plural_forms_and_dates() {
    let (f, _) = built();
    let uk = f.output("uk/index.html");
    assert!(uk.contains(">Останні брифінги"), "{uk}");
    assert!(uk.contains("<a class=\"skip\" href=\"#main\">Перейти до змісту</a>"));
    assert!(uk.contains(">Люди</a>") && uk.contains(">Архів</a>"));
    let count = |page: &str| {
        let html = f.output(page);
        let at =
            html.find("<dt>Згадують</dt><dd>").expect("a count") + "<dt>Згадують</dt><dd>".len();
        html[at..at + html[at..].find('<').unwrap()].to_string()
    };
    assert_eq!(
        count("uk/people/volodymyr-zelensky/index.html"),
        "5 брифінгів"
    );
    assert_eq!(count("uk/places/istanbul/index.html"), "2 брифінги");
    assert_eq!(count("uk/people/rustem-umerov/index.html"), "1 брифінг");
    assert!(
        f.output("people/volodymyr-zelensky/index.html")
            .contains("<dd>2 briefings</dd>")
    );
    // Dates as each language writes them (CLDR, through ICU4X).
    let a = f.output("uk/briefings/talks-a/index.html");
    assert!(
        a.contains("<time datetime=\"2025-05-16\">16 травня 2025\u{202f}р.</time>"),
        "{a}"
    );
    let ar = f.output("ar/briefings/talks-a/index.html");
    assert!(
        ar.contains("<time datetime=\"2025-05-16\">16 مايو 2025</time>"),
        "{ar}"
    );
    assert!(
        f.output("briefings/talks-a/index.html")
            .contains(">16 May 2025</time>")
    );
    let month = f.output("uk/archive/2025/05/index.html");
    assert!(month.contains("Архів: Травень 2025\u{202f}р."), "{month}");
}

#[test]
fn a_translation_is_never_a_second_briefing_and_a_language_only_briefing_stays_home() {
    let (f, report) = built();
    let en_home = f.output("index.html") + &f.output("page/2/index.html");
    assert!(!en_home.contains("Лише українською"));
    assert!(!f.exists("briefings/uk-only-1/index.html"));
    assert!(!f.exists("ar/briefings/talks-b/index.html"));
    // 3 in English, 5 in Ukrainian, 1 in Arabic.
    let briefings = report
        .counts
        .get(&sitroom::render::Category::Briefing)
        .copied();
    assert_eq!(briefings, Some(9));
    assert_eq!(common::files(&f.path("public/search/docs")).len(), 3);
    assert_eq!(common::files(&f.path("public/uk/search/docs")).len(), 5);
    // Entity pages per language list that language's briefings.
    let person = f.output("people/volodymyr-zelensky/index.html");
    assert!(person.contains("Talks open") && !person.contains("Переговори"));
    let uk_person = f.output("uk/people/volodymyr-zelensky/index.html");
    assert!(uk_person.contains("Ще один лише українською") && !uk_person.contains("Talks open"));
}

#[test]
fn entities_are_named_per_language_and_every_name_resolves() {
    let (f, report) = built();
    // No name became a stub: the Ukrainian and Arabic names are the profiles'.
    let stubs: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(stubs.iter().all(|w| !w.contains("no profile")), "{stubs:?}");
    let uk = f.output("uk/people/volodymyr-zelensky/index.html");
    assert!(uk.contains("<h1>Володимир Зеленський</h1>"), "{uk}");
    assert!(
        f.output("people/volodymyr-zelensky/index.html")
            .contains("<h1>Volodymyr Zelensky</h1>")
    );
    assert!(
        f.output("ar/people/volodymyr-zelensky/index.html")
            .contains("<h1>فولوديمير زيلينسكي</h1>")
    );
    // A translated profile gives its language's name, role and body.
    let umerov = f.output("uk/people/rustem-umerov/index.html");
    assert!(umerov.contains("<h1>Рустем Умєров</h1>"), "{umerov}");
    assert!(
        umerov.contains("<dd>Міністр оборони</dd>") && umerov.contains("Міністр оборони України.")
    );
    assert!(
        f.output("people/rustem-umerov/index.html")
            .contains("<dd>Defence Minister</dd>")
    );
    assert!(
        f.output("uk/places/istanbul/index.html")
            .contains("<h1>Стамбул</h1>")
    );
    // An English page keeps its own name and lists no other language's as an alias.
    let en = f.output("people/volodymyr-zelensky/index.html");
    assert!(!en.contains("Володимир"), "{en}");
}

#[test]
fn a_translation_dated_otherwise_than_its_original_is_a_warning() {
    let (_, report) = built();
    let found: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    let warning = found
        .iter()
        .find(|w| w.contains("talks-b.uk.md"))
        .unwrap_or_else(|| panic!("{found:?}"));
    assert!(
        warning.contains("dated 2025-05-18, its original 2025-05-17"),
        "{warning}"
    );
    assert!(warning.contains(":3:"), "{warning}");
}

#[test]
fn a_file_in_a_language_the_site_does_not_list_is_an_error_naming_it() {
    let f = three_languages();
    f.write(
        "content/briefings/2025/talks-a.de.md",
        &briefing("Gespräche", "2025-05-16", "", "Text."),
    );
    let Err(sitroom::Error::Content(problems)) = f.build() else {
        panic!("a German file built");
    };
    let error = problems
        .iter()
        .find(|p| p.is_error())
        .expect("an error")
        .to_string();
    assert!(error.contains("talks-a.de.md"), "{error}");
    assert!(
        error.contains("`de`, which is not one of the site's languages"),
        "{error}"
    );
    // The default language's code is no suffix.
    let f = three_languages();
    f.write(
        "content/briefings/2025/talks-b.en.md",
        &briefing("Talks", "2025-05-17", "", "Text."),
    );
    let Err(sitroom::Error::Content(problems)) = f.build() else {
        panic!("an .en.md built");
    };
    assert!(problems.iter().any(|p| p.is_error()
        && p.to_string().contains("talks-b.en.md")
        && p.to_string().contains("default language")));
    // A name in an unlisted language is one too.
    let f = three_languages();
    f.write(
        "content/places/kyiv.md",
        "---\nname: Kyiv\nnames: { fr: Kiev }\n---\n",
    );
    let Err(sitroom::Error::Content(problems)) = f.build() else {
        panic!("a French name built");
    };
    assert!(
        problems
            .iter()
            .any(|p| p.is_error() && p.to_string().contains("kyiv.md"))
    );
}

#[test]
fn each_language_has_its_own_search_index() {
    let (f, _) = built();
    let page = f.output("uk/search/index.html");
    assert!(
        page.contains("data-base=\"/uk/\" data-index=\"/uk/search/\""),
        "{page}"
    );
    assert!(page.contains("<script src=\"/search.js\" defer></script>"));
    // The script's words in Ukrainian, its plural forms included; English needs none.
    assert!(
        page.contains("&quot;many&quot;:&quot;Знайдено {count} брифінгів.&quot;"),
        "{page}"
    );
    // The script's rarer sentences too: typo notes, phrase counts, too common, too short.
    for said in [
        "&quot;search_too_short&quot;:&quot;Введіть щонайменше дві літери, щоб шукати.&quot;",
        "&quot;search_letter&quot;:&quot;Імена на літеру {letter}:&quot;",
        "&quot;few&quot;:&quot;Щонайменше {count} брифінги містять точну фразу",
        "&quot;few&quot;:&quot;{words} — надто поширені слова",
    ] {
        assert!(page.contains(said), "{said}: {page}");
    }
    let ar = f.output("ar/search/index.html");
    assert!(
        ar.contains("&quot;two&quot;:&quot;{words} كلمتان شائعتان"),
        "{ar}"
    );
    assert!(!f.output("search/index.html").contains("data-words"));
    let docs: String = common::files(&f.path("public/uk/search/docs"))
        .iter()
        .map(|d| f.output(&format!("uk/search/docs/{d}")))
        .collect();
    assert!(
        docs.contains("Лише українською") && !docs.contains("Talks open"),
        "{docs}"
    );
    let terms: String = common::files(&f.path("public/uk/search/terms"))
        .iter()
        .map(|d| f.output(&format!("uk/search/terms/{d}")))
        .collect();
    assert!(terms.contains("\"переговори\""), "{terms}");
}

/// A bundle's translation (`index.uk.md`) shares its folder: its pictures are published
/// once, at the root, and every language's page links them there; maps are titled in the
/// page's language.
#[test]
fn a_bundle_and_its_translation_share_their_files_and_maps_speak_the_language() {
    let f = Fixture::new(SITE);
    f.write(
        "content/places/istanbul.md",
        "---\nname: Istanbul\nnames: { uk: Стамбул }\ncoordinates: [41.0082, 28.9784]\n---\nA city.\n",
    );
    let image = "image: { src: table.png, alt: A table, credit: The project }\n";
    f.write(
        "content/briefings/talks/index.md",
        &briefing(
            "Talks",
            "2025-05-16",
            &format!("places: [Istanbul]\n{image}"),
            "Talks in Istanbul.\n\n[Statement](statement.txt)",
        ),
    );
    f.write(
        "content/briefings/talks/index.uk.md",
        &briefing(
            "Переговори",
            "2025-05-16",
            "places: [Стамбул]\nimage: { src: table.png, alt: Стіл, credit: Проєкт }\n",
            "Переговори в Стамбулі.\n\n[Заява](statement.txt)",
        ),
    );
    f.write_png("content/briefings/talks/table.png");
    f.write("content/briefings/talks/statement.txt", "A statement.\n");
    f.build().expect("build");

    let uk = f.output("uk/briefings/talks/index.html");
    assert!(uk.contains(r#"src="/briefings/talks/table-"#), "{uk}");
    assert!(uk.contains(r#"alt="Стіл""#), "{uk}");
    assert!(
        uk.contains(r#"href="/briefings/talks/statement.txt""#),
        "{uk}"
    );
    assert!(
        uk.contains(r#"aria-label="Карта місць, згаданих у цьому брифінгу""#),
        "{uk}"
    );
    assert!(f.path("public/briefings/talks/statement.txt").is_file());
    let uk_files = common::files(&f.path("public/uk/briefings/talks"));
    assert_eq!(
        uk_files,
        ["index.html"],
        "a translation's folder holds only its page"
    );
    assert!(
        !f.output("index.html").contains("Переговори"),
        "a translation is not a second briefing"
    );

    let place = f.output("uk/places/istanbul/index.html");
    assert!(place.contains(r#"aria-label="Карта: Стамбул""#), "{place}");
    let english = f.output("places/istanbul/index.html");
    assert!(
        english.contains(r#"aria-label="Map of Istanbul""#),
        "{english}"
    );
}

#[test]
fn a_rebuild_sees_an_edit_in_any_language_and_skips_when_nothing_changed() {
    let (f, _) = built();
    let again = f.build().expect("rebuild");
    assert!(
        again.unchanged,
        "nothing changed, yet the site was written again"
    );
    f.write(
        "content/briefings/2025/uk-only-1.uk.md",
        &briefing("Лише українською, виправлено", "2025-05-20", "", "Текст."),
    );
    f.write("i18n/uk.yaml", "latest_briefings: Нові брифінги\n");
    let edited = f.build().expect("rebuild after an edit");
    assert!(!edited.unchanged);
    let home = f.output("uk/index.html");
    assert!(home.contains("Нові брифінги"), "{home}");
    assert!(
        f.output("uk/briefings/uk-only-1/index.html")
            .contains("виправлено")
    );
}

#[test]
fn a_site_word_table_is_checked_like_any_file() {
    let f = three_languages();
    f.write("i18n/uk.yaml", "latest_briefing: Нові брифінги\n");
    let Err(sitroom::Error::Content(problems)) = f.build() else {
        panic!("an unknown key built");
    };
    let error = problems
        .iter()
        .find(|p| p.is_error())
        .expect("an error")
        .to_string();
    assert!(error.contains("i18n/uk.yaml:1:1"), "{error}");
    assert!(error.contains("latest_briefings"), "{error}");
}

#[test]
fn a_language_index_runs_in_its_own_alphabet_by_the_names_it_shows() {
    let (f, _) = built();
    let uk = f.output("uk/people/index.html");
    let order = ["Володимир Зеленський", "Кая Каллас"];
    let at: Vec<usize> = order
        .iter()
        .map(|name| uk.find(&format!(">{name}</a>")).expect(name))
        .collect();
    assert!(at[0] < at[1], "{uk}");
    // Lettered by the shown names' first letters, each linking to its first entry, on
    // the page where it starts; ids stay ASCII.
    for (letter, url) in [
        ("В", "/uk/people/#letter-1"),
        ("К", "/uk/people/#letter-2"),
        ("Р", "/uk/people/page/2/#letter-3"),
    ] {
        assert!(
            uk.contains(&format!("<li><a href=\"{url}\">{letter}</a></li>")),
            "{letter}: {uk}"
        );
    }
    assert!(!uk.contains(">V</a>") && !uk.contains(">R</a>"), "{uk}");
    assert!(uk.contains("<li id=\"letter-1\"><a href=\"/uk/people/volodymyr-zelensky/\""));
    let page2 = f.output("uk/people/page/2/index.html");
    assert!(
        page2.contains(
            "<li id=\"letter-3\"><a href=\"/uk/people/rustem-umerov/\">Рустем Умєров</a>"
        ),
        "{page2}"
    );
    // The search script's one-letter hints and the filter lists follow the same order.
    let index = f.output("uk/search/index.json");
    assert!(index.contains("\"В\",\"people/#letter-1\""), "{index}");
    let filters = f.output("uk/search/filters/people.json");
    let (zelensky, umerov) = (
        filters.find("volodymyr-zelensky").unwrap(),
        filters.find("rustem-umerov").unwrap(),
    );
    assert!(zelensky < umerov, "{filters}");
    // The default language keeps its slug order and Latin letters.
    let en = f.output("people/index.html");
    assert!(
        en.contains("<li><a href=\"/people/#letter-k\">K</a></li>"),
        "{en}"
    );
}

/// `content/pages/uk.md` would be written over the Ukrainian home page.
#[test]
fn a_free_page_named_like_a_language_is_an_error() {
    let f = Fixture::new(SITE);
    f.write(
        "content/pages/uk.md",
        "---\ntitle: Ukraine\n---\nAbout Ukraine.\n",
    );
    let out = f.run(&["check"]);
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("the page slug `uk` clashes with the site's own `/uk/`"),
        "{text}"
    );
}

/// A translated bundle's links to its own files are not broken links, and a translated
/// profile's lead image is warned about once, at the original.
#[test]
fn translated_bundles_check_clean_and_warn_once() {
    let f = Fixture::new(SITE);
    f.write(
        "content/briefings/talks/index.md",
        &briefing("Talks", "2025-05-16", "", "[Statement](statement.txt)"),
    );
    f.write(
        "content/briefings/talks/index.uk.md",
        &briefing("Переговори", "2025-05-16", "", "[Заява](statement.txt)"),
    );
    f.write("content/briefings/talks/statement.txt", "A statement.\n");
    f.write(
        "content/people/rustem-umerov/index.md",
        "---\nname: Rustem Umerov\nimage: { src: portrait.png, alt: A portrait }\n---\nBio.\n",
    );
    f.write(
        "content/people/rustem-umerov/index.uk.md",
        "---\nname: Рустем Умєров\n---\nБіо.\n",
    );
    f.write_png("content/people/rustem-umerov/portrait.png");
    let out = f.run(&["check"]);
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("does not exist"), "{text}");
    assert_eq!(text.matches("no `credit`").count(), 1, "{text}");
}

/// A Ukrainian-only briefing whose slug is an English briefing's would pass for its
/// translation and share its folder: an error that says how to mean either.
#[test]
fn a_language_only_briefing_may_not_take_another_briefings_slug() {
    let f = Fixture::new(SITE);
    f.write(
        "content/briefings/a/talks/index.md",
        &briefing("Talks", "2025-05-16", "", "Talks."),
    );
    f.write(
        "content/briefings/b/talks/index.uk.md",
        &briefing("Інше", "2025-05-16", "", "Інше."),
    );
    let out = f.run(&["check"]);
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("this briefing has no original, but its slug `talks`"),
        "{text}"
    );
    assert!(
        text.contains("content/briefings/a/talks/index.uk.md"),
        "{text}"
    );
}

/// Under a sub-path, every internal link of every page in every language resolves to a
/// file the build wrote.
#[test]
fn no_broken_links_in_any_language_under_a_sub_path() {
    let f = three_languages();
    f.build_with(|o| o.base_url = Some("https://user.github.io/repo".into()))
        .expect("build");
    common::assert_no_broken_links(&f, "/repo/");
    assert!(f.output("uk/index.html").contains("href=\"/repo/uk/"));
}
