//! The core pipeline end to end: fixture sites built into temp folders, checked for every
//! page of the contract, cross-links, pagination, base_url sub-paths, feeds and errors.

mod common;

use common::{Fixture, files, main_of};

#[test]
fn every_page_kind_exists_at_its_url() {
    let f = Fixture::small();
    f.build().expect("the small site builds");
    for path in [
        "index.html",
        "page/2/index.html",
        "briefings/talks-open/index.html",
        "people/index.html",
        "people/volodymyr-zelensky/index.html",
        "people/volodymyr-zelensky/feed.xml",
        "people/vladimir-medinsky/index.html",
        "organisations/index.html",
        "organisations/nato/index.html",
        "organisations/government-of-ukraine/index.html",
        "places/istanbul/index.html",
        "tags/index.html",
        "tags/ceasefire/index.html",
        "tags/ceasefire/feed.xml",
        "archive/index.html",
        "archive/2025/index.html",
        "archive/2025/05/index.html",
        "archive/2025/04/index.html",
        "about/index.html",
        "search/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        ".nojekyll",
        "style.css",
        "highlight.css",
    ] {
        assert!(f.exists(path), "missing {path}");
    }
    assert!(!f.exists("CNAME"), "CNAME is written only when configured");
}

#[test]
fn aliases_in_any_script_and_case_resolve_to_one_person() {
    let f = Fixture::small();
    f.build().unwrap();
    let page = f.output("people/volodymyr-zelensky/index.html");
    let main = main_of(&page);
    // `Zelenskyy`, `Volodymyr Zelensky` and `володимир зеленський` are one person.
    let reactions = main.find("Reactions").expect("lists Reactions");
    let open = main
        .find("Talks open in Istanbul")
        .expect("lists Talks open");
    assert!(reactions < open, "newest first");
    let second = f.output("people/volodymyr-zelensky/page/2/index.html");
    assert!(
        main_of(&second).contains("Talks planned"),
        "the oldest is on page 2"
    );
    assert!(
        !f.exists("people/zelenskyy/index.html"),
        "an alias makes no page of its own"
    );
    assert!(
        main.contains("President of Ukraine"),
        "the profile is shown"
    );
    assert!(
        main.contains("Government of Ukraine"),
        "affiliations are shown"
    );
    let org = f.output("organisations/government-of-ukraine/index.html");
    assert!(
        main_of(&org).contains("Volodymyr Zelensky"),
        "an organisation lists its people"
    );
}

#[test]
fn pagination_is_complete() {
    let f = Fixture::small();
    f.build().unwrap();
    // per_page is 2: three briefings make two home pages, newest first.
    let first = f.output("index.html");
    let second = f.output("page/2/index.html");
    assert!(main_of(&first).contains("Reactions") && main_of(&first).contains("Talks open"));
    assert!(main_of(&second).contains("Talks planned"));
    assert!(!f.exists("page/3/index.html"));
    assert!(
        first.contains("href=\"/page/2/\""),
        "page 1 links to page 2"
    );
    // Three people make two index pages.
    assert!(f.exists("people/page/2/index.html"));
    assert!(!f.exists("people/page/3/index.html"));
    // Zelensky is in all three briefings: two pages.
    let z2 = f.output("people/volodymyr-zelensky/page/2/index.html");
    assert!(main_of(&z2).contains("Talks planned"));
}

#[test]
fn a_long_list_links_its_ends_and_neighbours_not_every_page() {
    let f = Fixture::small();
    for day in 1..=28 {
        f.write(
            &format!("content/briefings/2024/02/day-{day:02}.md"),
            &format!("---\ntitle: Day {day}\ndate: 2024-02-{day:02}\n---\nText.\n"),
        );
    }
    f.build().unwrap();
    // 31 briefings at 2 a page: 16 home pages. Page 8 links 1, 6–10 and 16, and `…` twice.
    let page = f.output("page/8/index.html");
    let pager = &page[page.find("class=\"pager\"").expect("a pager")..];
    let pager = &pager[..pager.find("</nav>").expect("its end")];
    for n in [1, 6, 7, 9, 10, 16] {
        let href = if n == 1 {
            "href=\"/\"".to_string()
        } else {
            format!("href=\"/page/{n}/\"")
        };
        assert!(pager.contains(&href), "no link to page {n}: {pager}");
    }
    for n in [2, 5, 11, 15] {
        assert!(
            !pager.contains(&format!("href=\"/page/{n}/\"")),
            "page {n}: {pager}"
        );
    }
    assert!(pager.contains("aria-current=\"page\"><span class=\"vh\">Page </span>8<"));
    assert_eq!(pager.matches("<li>…</li>").count(), 2, "{pager}");
}

#[test]
fn briefing_page_links_everything_it_names() {
    let f = Fixture::small();
    f.build().unwrap();
    let page = f.output("briefings/talks-open/index.html");
    for href in [
        "/people/volodymyr-zelensky/",
        "/people/vladimir-medinsky/",
        "/organisations/nato/",
        "/places/istanbul/",
        "/tags/ceasefire/",
        "/briefings/talks-planned/",
        "/briefings/reactions/",
        "https://example.org/b",
    ] {
        assert!(
            page.contains(&format!("href=\"{href}\"")),
            "missing link {href}"
        );
    }
    assert!(
        page.contains(">Talks planned</a>"),
        "[[slug]] shows the target's title"
    );
    assert!(page.contains("id=\"who-came\""), "headings get anchors");
    assert!(
        page.contains("class=\"hl-"),
        "code is highlighted with classes"
    );
    assert!(
        page.contains("/highlight.css"),
        "a page with code links the highlight stylesheet"
    );
}

#[test]
fn no_broken_internal_links_at_the_root() {
    let f = Fixture::small();
    f.build().unwrap();
    common::assert_no_broken_links(&f, "/");
}

#[test]
fn no_broken_internal_links_under_a_sub_path() {
    let f = Fixture::small();
    f.build_with(|o| o.base_url = Some("https://user.github.io/repo".into()))
        .unwrap();
    common::assert_no_broken_links(&f, "/repo/");
    let home = f.output("index.html");
    assert!(home.contains("href=\"/repo/style.css\""));
    assert!(
        home.contains("https://user.github.io/repo/"),
        "canonical URL is absolute"
    );
}

#[test]
fn feeds_and_sitemap_are_xml_with_absolute_links() {
    let f = Fixture::small();
    f.build_with(|o| o.base_url = Some("https://user.github.io/repo/".into()))
        .unwrap();
    for file in [
        "feed.xml",
        "people/volodymyr-zelensky/feed.xml",
        "sitemap.xml",
    ] {
        let text = f.output(file);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut urls = 0;
        for node in doc.descendants() {
            let url = node
                .attribute("href")
                .or_else(|| (node.tag_name().name() == "loc").then(|| node.text().unwrap_or("")));
            if let Some(url) = url {
                assert!(
                    url.starts_with("https://user.github.io/repo/"),
                    "{file}: `{url}` is not absolute"
                );
                urls += 1;
            }
        }
        assert!(urls >= 3, "{file} has only {urls} links");
    }
    let feed = f.output("feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 3);
    let sitemap = f.output("sitemap.xml");
    assert!(sitemap.contains("https://user.github.io/repo/briefings/talks-open/"));
    assert!(
        f.output("robots.txt")
            .contains("Sitemap: https://user.github.io/repo/sitemap.xml")
    );
}

#[test]
fn feeds_carry_the_newest_briefings_only() {
    let f = Fixture::small();
    for day in 1..=25 {
        f.write(
            &format!("content/briefings/2024/03/day-{day:02}.md"),
            &format!(
                "---\ntitle: Day {day}\ndate: 2024-03-{day:02}\nsummary: Day {day}.\npeople: [Rustem Umerov]\n---\nText.\n"
            ),
        );
    }
    f.build().expect("builds");
    let titles = |file: &str| -> Vec<String> {
        let text = f.output(file);
        let doc = roxmltree::Document::parse(&text).expect("XML");
        doc.descendants()
            .filter(|n| n.tag_name().name() == "entry")
            .filter_map(|e| e.children().find(|c| c.tag_name().name() == "title"))
            .filter_map(|t| t.text().map(str::to_string))
            .collect()
    };
    let site = titles("feed.xml");
    assert_eq!(site.len(), 20, "{site:?}");
    let person = titles("people/rustem-umerov/feed.xml");
    assert_eq!(person.len(), 10, "{person:?}");
    // The small fixture's briefings that name Umerov are from 2025: they come first, then
    // the latest days of March 2024, never the earliest.
    assert!(person.contains(&"Day 25".to_string()), "{person:?}");
    assert!(!person.contains(&"Day 1".to_string()), "{person:?}");
}

#[test]
fn cname_is_written_when_configured() {
    let f = Fixture::new(&format!(
        "{}cname: briefings.example.org\n",
        common::SITE_YAML
    ));
    f.build().unwrap();
    assert_eq!(f.output("CNAME"), "briefings.example.org");
}

#[test]
fn bad_front_matter_is_reported_with_location_and_writes_nothing() {
    let f = Fixture::small();
    f.write(
        "content/briefings/2025/05/typo.md",
        "---\ntitle: Typo\ndate: 2025-05-18\norganizations: [NATO]\n---\nBody\n",
    );
    f.write(
        "content/briefings/2025/05/bad-date.md",
        "---\ntitle: Bad\ndate: yesterday\n---\n",
    );
    let out = f.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("content/briefings/2025/05/typo.md:4:1: error: unknown key `organizations`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `organisations`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/briefings/2025/05/bad-date.md:3:7: error: `date` is `yesterday`"),
        "{stderr}"
    );
    assert!(!f.path("public").exists(), "nothing is written");
}

#[test]
fn a_failed_build_keeps_the_last_good_output() {
    let f = Fixture::small();
    f.build().unwrap();
    let before = f.output("briefings/talks-open/index.html");
    f.write(
        "content/briefings/2025/05/talks-open.md",
        "---\ntitle: [unclosed\n---\n",
    );
    assert!(f.build().is_err());
    assert_eq!(f.output("briefings/talks-open/index.html"), before);
}

#[test]
fn broken_wiki_link_is_an_error_with_a_suggestion() {
    let f = Fixture::small();
    f.write(
        "content/briefings/2025/05/links.md",
        "---\ntitle: Links\ndate: 2025-05-18\n---\nFirst line.\nSee [[talks-plan]].\n",
    );
    let err = f.build().expect_err("a broken link fails the build");
    let sitroom::Error::Content(diagnostics) = err else {
        panic!("not a content error: {err}")
    };
    let d = diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(d.path.to_str(), Some("content/briefings/2025/05/links.md"));
    assert_eq!((d.line, d.column), (6, 5));
    assert_eq!(d.message, "`[[talks-plan]]` links to no briefing");
    assert_eq!(d.help.as_deref(), Some("did you mean `[[talks-planned]]`?"));
}

#[test]
fn two_builds_are_byte_identical() {
    let a = Fixture::small();
    let b = Fixture::small();
    a.build().unwrap();
    b.build().unwrap();
    let (pa, pb) = (a.path("public"), b.path("public"));
    let names = files(&pa);
    assert_eq!(names, files(&pb));
    // The marker is sitroom's record of what it wrote (with file times), not a page.
    for name in names.into_iter().filter(|n| n != sitroom::output::MARKER) {
        let x = std::fs::read(pa.join(&name)).unwrap();
        let y = std::fs::read(pb.join(&name)).unwrap();
        assert!(x == y, "{name} differs between builds");
    }
}

#[test]
fn drafts_build_only_when_asked() {
    let f = Fixture::small();
    f.write(
        "content/briefings/2025/05/draft.md",
        "---\ntitle: Draft\ndate: 2025-05-18\ndraft: true\n---\n",
    );
    f.build().unwrap();
    assert!(!f.exists("briefings/draft/index.html"));
    f.build_with(|o| o.drafts = true).unwrap();
    assert!(f.exists("briefings/draft/index.html"));
}

#[test]
fn site_templates_and_static_files_override_the_defaults() {
    let f = Fixture::small();
    f.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p>OWN {{ page.title }}</p>{% endblock %}",
    );
    f.write(
        "static/images/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    f.build().unwrap();
    assert!(f.output("about/index.html").contains("<p>OWN About</p>"));
    assert_eq!(
        f.output("images/map.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
}

#[test]
fn stub_names_warn_with_the_nearest_known_name() {
    let f = Fixture::small();
    f.write(
        "content/briefings/2025/05/typo-name.md",
        "---\ntitle: Typo name\ndate: 2025-05-18\npeople: [Volodymyr Zelenskx]\n---\n",
    );
    let report = f.build().unwrap();
    let w = report
        .warnings
        .iter()
        .find(|w| w.message.contains("Zelenskx"))
        .expect("a stub warning");
    assert_eq!((w.line, w.column), (4, 10));
    assert_eq!(
        w.help.as_deref(),
        Some("the nearest known name is `Volodymyr Zelensky`")
    );
}

#[test]
fn a_slug_clash_between_a_page_and_the_site_is_an_error() {
    let f = Fixture::small();
    f.write("content/pages/people.md", "---\ntitle: People\n---\n");
    let err = f.build().expect_err("clash");
    assert!(err.to_string().contains("1 error"), "{err}");
}
