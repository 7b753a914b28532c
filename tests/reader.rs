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

#[test]
fn search_index_finds_every_alias_and_works_under_a_sub_path() {
    let site = archive();
    site.build_with(|o| o.base_url = Some("https://u.github.io/repo/".into()))
        .expect("builds");
    let index: serde_json::Value =
        serde_json::from_str(&site.output("search/index.json")).expect("JSON");
    assert_eq!(index["count"], 5);
    let keys = index["keys"].as_array().expect("keys");
    let mut terms = serde_json::Map::new();
    for n in 0..keys.len() {
        let shard: serde_json::Value =
            serde_json::from_str(&site.output(&format!("search/terms/{n}.json"))).expect("shard");
        terms.extend(shard.as_object().expect("object").clone());
    }
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
    // Every alias is indexed with the briefings naming the entity, however they wrote it.
    assert_eq!(docs("зеленський"), [1, 2, 3, 4]);
    assert_eq!(docs("zelensky"), [1, 2, 3, 4]);
    assert_eq!(
        docs("zelenskyy"),
        [0, 1, 2, 3, 4],
        "quiet names him in its body only"
    );
    assert!(!terms.contains_key("the"));
    let page = site.output("search/index.html");
    assert!(page.contains("data-base=\"/repo/\""), "{page}");
    assert!(page.contains("<script src=\"/repo/search.js\" defer></script>"));
    assert!(page.contains("<noscript>"));
    let doc_shard: serde_json::Value =
        serde_json::from_str(&site.output("search/docs/0.json")).expect("docs");
    assert_eq!(doc_shard[1][1], "briefings/named/");
    assert_eq!(doc_shard[1][2], "18 May 2025");
    let entities: serde_json::Value =
        serde_json::from_str(&site.output("search/entities/0.json")).expect("entities");
    let zelensky = index["entities"]
        .as_array()
        .expect("list")
        .iter()
        .position(|e| e[2] == "volodymyr-zelensky")
        .expect("zelensky");
    assert_eq!(entities[zelensky].as_array().expect("gaps").len(), 4);
    assert!(site.exists("search.js"));
}
