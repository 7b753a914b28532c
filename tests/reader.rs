//! Reader features on fixture sites: auto-links, activity charts, structured data and the
//! search index files (what `search.js` reads). The browser tests drive the same in chromium.

mod common;

use common::{Fixture, main_of};

fn archive() -> Fixture {
    let f = Fixture::small();
    f.write(
        "content/briefings/2025/05/named.md",
        "---\ntitle: \"Zelenskyy in </script><script>alert(1)</script>\"\ndate: 2025-05-18\nsummary: Names in the body.\npeople: [Volodymyr Zelensky]\n---\n## Zelenskyy speaks\n\nZELENSKYY said the Ukrainian government would go. Zelenskyy said it twice. \
         [Zelenskyy](https://example.org) and `Zelenskyy` stay as they are. Tell us about Istanbulites in Istanbul.\n",
    );
    f.write(
        "content/briefings/2025/05/quiet.md",
        "---\ntitle: Quiet\ndate: 2025-05-19\nsummary: No links here.\nautolink: false\n---\nZelenskyy said nothing in Istanbul.\n",
    );
    f
}

#[test]
fn first_mentions_in_body_text_link_to_entity_pages() {
    let site = archive();
    site.build().expect("builds");
    let html = site.output("briefings/named/index.html");
    let body = main_of(&html);
    assert_eq!(
        body.matches("href=\"/people/volodymyr-zelensky/\">")
            .count(),
        // the auto-link, plus the chip under "Named in this briefing"
        2,
        "{body}"
    );
    assert!(
        body.contains(
            "<a class=\"autolink\" href=\"/people/volodymyr-zelensky/\">ZELENSKYY</a> said"
        ),
        "{body}"
    );
    assert!(body.contains("the <a class=\"autolink\" href=\"/organisations/government-of-ukraine/\">Ukrainian government</a>"), "{body}");
    assert!(
        body.contains("<h2 id=\"zelenskyy-speaks\">Zelenskyy speaks</h2>"),
        "{body}"
    );
    assert!(body.contains("<code>Zelenskyy</code>"), "{body}");
    // A place that is only a stub still has a page to link to; whole words only.
    assert!(
        body.contains(
            "Istanbulites in <a class=\"autolink\" href=\"/places/istanbul/\">Istanbul</a>"
        ),
        "{body}"
    );
}

#[test]
fn front_matter_switches_auto_links_off() {
    let site = archive();
    site.build().expect("builds");
    let html = site.output("briefings/quiet/index.html");
    assert!(!html.contains("autolink"), "{}", main_of(&html));
}

#[test]
fn structured_data_cannot_break_out_of_its_script() {
    let site = archive();
    site.build().expect("builds");
    let html = site.output("briefings/named/index.html");
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let json = &html[start..start + html[start..].find("</script>").expect("its end")];
    let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    assert_eq!(value["@type"], "NewsArticle");
    assert_eq!(
        value["headline"],
        "Zelenskyy in </script><script>alert(1)</script>"
    );
    assert_eq!(value["url"], "https://example.org/briefings/named/");
    assert_eq!(
        value["mentions"][0]["sameAs"],
        "https://www.wikidata.org/wiki/Q3874799"
    );
    assert_eq!(value["mentions"][0]["name"], "Volodymyr Zelensky");
    assert!(!json.contains('<'));

    let person = site.output("people/volodymyr-zelensky/index.html");
    let start = person.find("application/ld+json\">").expect("JSON-LD") + 21;
    let json = &person[start..start + person[start..].find("</script>").expect("end")];
    let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    assert_eq!(value["@type"], "Person");
    assert_eq!(value["sameAs"], "https://www.wikidata.org/wiki/Q3874799");
    assert_eq!(value["alternateName"][1], "Володимир Зеленський");
    assert!(person.contains("<meta property=\"og:type\" content=\"profile\">"));
}

#[test]
fn entity_pages_and_the_archive_chart_mentions_per_month() {
    let site = archive();
    site.build().expect("builds");
    let person = site.output("people/volodymyr-zelensky/index.html");
    let main = main_of(&person);
    assert!(main.contains("<svg class=\"activity\""), "{main}");
    assert!(main.contains("aria-label=\"4 briefings naming Volodymyr Zelensky from April 2025 to May 2025; the busiest month was May 2025 with 3.\""), "{main}");
    assert!(
        main.contains("<tr><td><time datetime=\"2025-04\">April 2025</time></td><td>1</td></tr>"),
        "{main}"
    );
    assert!(
        main.contains("href=\"/search/?person=volodymyr-zelensky\""),
        "{main}"
    );
    let archive = site.output("archive/index.html");
    assert!(
        main_of(&archive).contains("5 briefings from April 2025 to May 2025"),
        "{}",
        main_of(&archive)
    );
}

/// Every key of every term shard and name shard.
fn term_keys(site: &Fixture) -> serde_json::Map<String, serde_json::Value> {
    let index: serde_json::Value =
        serde_json::from_str(&site.output("search/index.json")).expect("JSON");
    let mut terms = serde_json::Map::new();
    for (folder, keys) in [("terms", "keys"), ("name-keys", "nameKeys")] {
        for n in 0..index[keys].as_array().expect("keys").len() {
            let shard: serde_json::Value =
                serde_json::from_str(&site.output(&format!("search/{folder}/{n}.json")))
                    .expect("shard");
            let shard = shard.as_object().expect("object");
            // Names and words of names are in the name shards only.
            assert_eq!(
                shard.keys().all(|k| k.ends_with(['\u{1}', '\u{2}'])),
                folder == "name-keys",
                "{folder}/{n}"
            );
            terms.extend(shard.clone());
        }
    }
    terms
}

fn entity_id(site: &Fixture, kind: &str, slug: &str) -> u64 {
    let list: serde_json::Value =
        serde_json::from_str(&site.output(&format!("search/filters/{kind}.json"))).expect("JSON");
    list.as_array()
        .expect("list")
        .iter()
        .find(|e| e[2] == slug)
        .unwrap_or_else(|| panic!("no {slug} in {list}"))[0]
        .as_u64()
        .expect("id")
}

#[test]
fn search_index_finds_every_alias_and_works_under_a_sub_path() {
    let site = archive();
    site.build_with(|o| o.base_url = Some("https://u.github.io/repo/".into()))
        .expect("builds");
    let index: serde_json::Value =
        serde_json::from_str(&site.output("search/index.json")).expect("JSON");
    assert_eq!(index["count"], 5);
    assert_eq!(index["months"][0], serde_json::json!([2025, 5, 0, 4]));
    let terms = term_keys(&site);
    // Newest first: quiet (0), named (1), reactions (2), talks-open (3), talks-planned (4)
    let docs = |term: &str| -> Vec<u64> {
        let mut id = 0;
        terms[term]
            .as_array()
            .unwrap_or_else(|| panic!("no `{term}`"))
            .iter()
            .map(|p| {
                id += p.as_u64().expect("number") / 8;
                id
            })
            .collect()
    };
    // Every name of an entity's mentions carries all its names, so any word of any
    // spelling finds them.
    assert_eq!(docs("зеленськии"), [0, 1, 2, 3, 4]);
    assert_eq!(docs("zelensky"), [0, 1, 2, 3, 4]);
    assert!(!terms.contains_key("the"));
    // Each name and alias, folded, names the entity: a query that is one is answered by
    // the entity's mentions, whichever spelling was typed.
    let zelensky = entity_id(&site, "people", "volodymyr-zelensky");
    for name in ["volodymyr zelensky", "zelenskyy", "володимир зеленськии"] {
        assert_eq!(
            terms[&format!("{name}\u{1}")],
            serde_json::json!([zelensky]),
            "{name}"
        );
    }
    assert_eq!(terms["zelensky\u{2}"][0][2], "Volodymyr Zelensky");
    let mentions: serde_json::Value =
        serde_json::from_str(&site.output(&format!("search/mentions/{zelensky}.json")))
            .expect("mentions");
    assert_eq!(mentions[0][0], "Volodymyr Zelensky");
    let mut id = 0;
    let found: Vec<(u64, bool)> = mentions[1]
        .as_array()
        .expect("postings")
        .iter()
        .map(|p| {
            let p = p.as_u64().expect("number");
            id += p / 16;
            (id, p % 16 >= 8)
        })
        .collect();
    // `quiet` names him only in its body, so it is a mention, not a front-matter name.
    assert_eq!(
        found,
        [(0, false), (1, true), (2, true), (3, true), (4, true)]
    );
    let page = site.output("search/index.html");
    assert!(
        page.contains("data-base=\"/repo/\" data-index=\"/repo/search/\""),
        "{page}"
    );
    assert!(page.contains("<script src=\"/repo/search.js\" defer></script>"));
    assert!(page.contains("action=\"/repo/search/names/\""), "{page}");
    let doc: serde_json::Value =
        serde_json::from_str(&site.output("search/docs/1.json")).expect("doc");
    assert_eq!(doc[1], "briefings/named/");
    assert_eq!(doc[2], "18 May 2025");
    assert_eq!(doc[4][0], "Volodymyr Zelensky");
    let text = doc[5].as_str().expect("text");
    assert!(
        text.starts_with("Zelenskyy speaks\nZELENSKYY said the Ukrainian government"),
        "{text}"
    );
    assert_eq!(doc[6], 0);
    let near: Vec<String> = (0..index["near"].as_u64().expect("buckets"))
        .flat_map(|n| {
            serde_json::from_str::<Vec<String>>(&site.output(&format!("search/near/{n}.json")))
                .expect("bucket")
        })
        .collect();
    assert!(near.iter().any(|w| w == "zelenskyy"));
    assert!(site.exists("search.js"));
}

#[test]
fn without_javascript_the_search_form_leads_to_every_name_and_alias() {
    let site = archive();
    site.build().expect("builds");
    let page = site.output("search/index.html");
    assert!(
        page.contains("<noscript><style>#search,.search-live{display:none}</style></noscript>")
    );
    assert!(page.contains("<form id=\"search-form\" class=\"search\" role=\"search\" action=\"/search/names/\" method=\"get\">"), "{page}");
    let names = site.output("search/names/index.html");
    let names = main_of(&names);
    assert!(
        names.contains("<li><a href=\"/people/volodymyr-zelensky/\">Volodymyr Zelensky</a> <span class=\"aka\">Zelenskyy · Володимир Зеленський</span></li>"),
        "{names}"
    );
    assert!(names.contains("<a href=\"/people/\">people</a>"), "{names}");
    assert!(
        names.contains("<a href=\"/archive/\">the archive</a>"),
        "{names}"
    );
}

#[test]
fn the_shipped_search_script_is_the_source_minified() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read(manifest.join("src/render/search/search.js")).expect("source");
    let source_len = source.len();
    let shipped = std::fs::read_to_string(manifest.join("static/search.js")).expect("script");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in source {
        hash = (hash ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    let want = format!("(fnv64 {hash:016x}) */");
    let first = shipped.lines().next().unwrap_or("");
    assert!(
        first.ends_with(&want),
        "static/search.js is not minified from the current src/render/search/search.js: run `npm run minify --prefix tests/browser` (first line: {first})"
    );
    assert!(
        shipped.len() < source_len * 3 / 4,
        "static/search.js is not minified"
    );
}

#[test]
fn issue_15_letters_link_to_where_each_letter_starts() {
    let site = archive();
    site.write(
        "content/people/andriy-yermak.md",
        "---\nname: Andriy Yermak\n---\nHead of the office.\n",
    );
    site.build().expect("builds");
    // A–Z, two a page: Andriy Yermak, Rustem Umerov | Vladimir Medinsky, Volodymyr Zelensky.
    let first = site.output("people/index.html");
    let main = main_of(&first);
    assert!(
        main.contains("<li><a href=\"/people/#letter-a\">A</a></li>"),
        "{main}"
    );
    assert!(
        main.contains("<li><a href=\"/people/#letter-r\">R</a></li>"),
        "{main}"
    );
    assert!(
        main.contains("<li><a href=\"/people/page/2/#letter-v\">V</a></li>"),
        "{main}"
    );
    assert!(
        main.contains("<li id=\"letter-a\"><a href=\"/people/andriy-yermak/\""),
        "{main}"
    );
    assert!(
        main.contains("<li id=\"letter-r\"><a href=\"/people/rustem-umerov/\""),
        "{main}"
    );
    let second = site.output("people/page/2/index.html");
    let main = main_of(&second);
    assert!(
        main.contains("<li id=\"letter-v\"><a href=\"/people/vladimir-medinsky/\""),
        "{main}"
    );
    assert_eq!(
        main.matches("id=\"letter-").count(),
        1,
        "only the first of a letter: {main}"
    );
}

#[test]
fn issue_15_a_default_icon_under_the_base_path_that_static_replaces() {
    let site = archive();
    site.build_with(|o| o.base_url = Some("https://u.github.io/repo/".into()))
        .expect("builds");
    let home = site.output("index.html");
    assert!(
        home.contains("<link rel=\"icon\" href=\"/repo/favicon.svg\" type=\"image/svg+xml\">"),
        "{home}"
    );
    assert!(site.output("favicon.svg").starts_with("<svg"));
    site.write_png("static/favicon.png");
    site.build_with(|o| o.base_url = Some("https://u.github.io/repo/".into()))
        .expect("builds");
    let home = site.output("index.html");
    assert!(
        home.contains("<link rel=\"icon\" href=\"/repo/favicon.png\" type=\"image/png\">"),
        "{home}"
    );
    assert!(
        !site.exists("favicon.svg"),
        "the site's own icon replaces the default"
    );
    // Published re-encoded, as every raster image under `static/` is.
    let icon = std::fs::read(site.path("public/favicon.png")).expect("favicon.png");
    assert!(icon.starts_with(b"\x89PNG"), "{icon:?}");
}

/// The masthead's links with `aria-current` and with the `current` class.
fn current_links(html: &str) -> (Vec<String>, Vec<String>) {
    let nav = &html[html.find("<nav aria-label=\"Sections\">").expect("nav")..];
    let nav = &nav[..nav.find("</nav>").expect("end of nav")];
    let label = |marker: &str| -> Vec<String> {
        nav.split(marker)
            .skip(1)
            .map(|rest| {
                rest[rest.find('>').expect("tag end") + 1..rest.find("</a>").expect("link end")]
                    .to_string()
            })
            .collect()
    };
    (label(" aria-current=\"page\""), label(" class=\"current\""))
}

#[test]
fn issue_15_aria_current_marks_only_the_page_itself() {
    let site = archive();
    site.build().expect("builds");
    let both = |path: &str| current_links(&site.output(path));
    let none: Vec<String> = Vec::new();
    assert_eq!(
        both("index.html"),
        (vec!["Briefings".to_string()], none.clone())
    );
    assert_eq!(
        both("page/2/index.html"),
        (none.clone(), vec!["Briefings".to_string()])
    );
    assert_eq!(
        both("briefings/named/index.html"),
        (none.clone(), vec!["Briefings".to_string()])
    );
    assert_eq!(
        both("people/index.html"),
        (vec!["People".to_string()], none.clone())
    );
    assert_eq!(
        both("people/volodymyr-zelensky/index.html"),
        (none.clone(), vec!["People".to_string()])
    );
    assert_eq!(
        both("about/index.html"),
        (vec!["About".to_string()], none.clone())
    );
    assert_eq!(
        both("search/index.html"),
        (vec!["Search".to_string()], none.clone())
    );
    assert_eq!(
        both("search/names/index.html"),
        (none.clone(), vec!["Search".to_string()])
    );
    assert_eq!(
        both("archive/2025/index.html"),
        (none, vec!["Archive".to_string()])
    );
}

#[test]
fn issue_15_source_dates_read_like_the_page_and_do_not_wrap() {
    let site = archive();
    site.write(
        "content/briefings/2025/05/odd-date.md",
        "---\ntitle: Odd date\ndate: 2025-05-20\nsources:\n  - title: Undated\n    date: spring 2025\n---\nText.\n",
    );
    site.build().expect("builds");
    let page = site.output("briefings/talks-planned/index.html");
    let main = main_of(&page);
    assert!(
        main.contains("<a href=\"https://example.org/a\">Report</a></cite>, AFP, <time datetime=\"2025-04-30\">30 April 2025</time></li>"),
        "{main}"
    );
    let odd = site.output("briefings/odd-date/index.html");
    let odd = main_of(&odd);
    assert!(
        odd.contains("Undated</cite>, <span class=\"date\">spring 2025</span></li>"),
        "{odd}"
    );
    let css = site.output("style.css");
    assert!(css.contains(".sources time,.sources .date{white-space:nowrap}"));
}

#[test]
fn issue_15_print_shows_where_internal_links_go() {
    let site = archive();
    site.build_with(|o| o.base_url = Some("https://u.github.io/repo/".into()))
        .expect("builds");
    let home = site.output("index.html");
    assert!(
        home.contains("<html lang=\"en\" style=\"--origin:&quot;https://u.github.io&quot;\">"),
        "{}",
        &home[..200]
    );
    let css = site.output("style.css");
    let print = &css[css.find("@media print").expect("print styles")..];
    assert!(
        print.contains(".prose a[href^=\"/\"]::after,.related a[href^=\"/\"]::after{content:\" <\" var(--origin,\"\") attr(href) \">\""),
        "{print}"
    );
}
