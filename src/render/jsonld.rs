//! Structured data for search engines: schema.org `NewsArticle` for a briefing, and
//! `Person` / `Organization` / `Place` (with `sameAs` Wikidata) for an entity, as JSON-LD
//! ready to print inside `<script type="application/ld+json">`. Reads the site; writes nothing.

use serde_json::{Value, json};

use crate::content::Kind;
use crate::model::{Briefing, Entity, Site};
use crate::urls::{Urls, path};

/// The `NewsArticle` of a briefing, naming the people, organisations and places it names,
/// with its lead image (an `ImageObject`).
pub fn briefing(site: &Site, urls: &Urls, briefing: &Briefing, image: Option<Value>) -> String {
    let url = urls.absolute(&path::briefing(&briefing.slug));
    // The summary is the page's meta description and the canonical link is the URL, so
    // neither is repeated here: every byte of a briefing page is multiplied by the archive.
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": briefing.title,
        "datePublished": briefing.published.to_string(),
        "url": url,
        "inLanguage": site.config.language,
        "author": {
            "@type": "Organization",
            "name": site.config.title,
            "url": urls.absolute(""),
        },
    });
    // Signed briefings name their authors as people; the archive is still the publisher.
    if !briefing.authors.is_empty() {
        let authors: Vec<Value> = briefing
            .authors
            .iter()
            .map(|name| json!({"@type": "Person", "name": name}))
            .collect();
        article["publisher"] = article["author"].take();
        article["author"] = json!(authors);
    }
    if let Some(updated) = briefing.updated {
        article["dateModified"] = json!(updated.to_string());
    }
    if let Some(image) = image {
        article["image"] = image;
    }
    // A mention names the thing and, when known, its Wikidata item; the links to our own
    // pages are in the page itself.
    let mentions: Vec<Value> = briefing.entities[..3]
        .iter()
        .flatten()
        .map(|&id| reference(site.entity(id)))
        .collect();
    if !mentions.is_empty() {
        article["mentions"] = json!(mentions);
    }
    let tags: Vec<&str> = briefing.entities[Kind::Tag.index()]
        .iter()
        .map(|&id| site.entity(id).name.as_str())
        .collect();
    if !tags.is_empty() {
        article["keywords"] = json!(tags.join(", "));
    }
    script_safe(&article)
}

/// The `Person`, `Organization` or `Place` an entity page is about, with its portrait or
/// logo; `None` for a tag.
pub fn entity(urls: &Urls, entity: &Entity, image: Option<Value>) -> Option<String> {
    schema_type(entity.kind)?;
    let mut thing = reference(entity);
    thing["@context"] = json!("https://schema.org");
    thing["url"] = json!(urls.absolute(&path::entity(entity.kind, &entity.slug, 1)));
    if let Some(profile) = &entity.profile {
        if !profile.aliases.is_empty() {
            thing["alternateName"] = json!(profile.aliases);
        }
        match (&profile.role, entity.kind) {
            (Some(role), Kind::Person) => thing["jobTitle"] = json!(role),
            (Some(role), _) => thing["description"] = json!(role),
            _ => {}
        }
        if let (Some(country), Kind::Person) = (&profile.country, entity.kind) {
            thing["nationality"] = json!({"@type": "Country", "name": country});
        }
    }
    if let Some(image) = image {
        thing["image"] = image;
    }
    Some(script_safe(&thing))
}

/// A short description of an entity: type, name, and Wikidata when known.
fn reference(entity: &Entity) -> Value {
    let mut thing = json!({
        "@type": schema_type(entity.kind).unwrap_or("Thing"),
        "name": entity.name,
    });
    if let Some(q) = entity.profile.as_ref().and_then(|p| p.wikidata.as_ref()) {
        thing["sameAs"] = json!(format!("https://www.wikidata.org/wiki/{q}"));
    }
    thing
}

fn schema_type(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Person => Some("Person"),
        Kind::Organisation => Some("Organization"),
        Kind::Place => Some("Place"),
        Kind::Tag => None,
    }
}

/// JSON that cannot end its `<script>` early: a title containing `</script>` or `<!--`
/// would otherwise let an editor's text break out into the page.
fn script_safe(value: &Value) -> String {
    script_safe_text(&value.to_string())
}

/// JSON text with `<`, `>`, `&` and the JavaScript line separators as `\u` escapes: the
/// same value, safe inside a `<script>` and inert if a file is ever opened as HTML.
pub fn script_safe_text(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_breakouts_are_escaped() {
        let out = script_safe(&json!({"headline": "</script><script>alert(1)</script> & <!--"}));
        assert!(
            !out.contains('<') && !out.contains('>') && !out.contains('&'),
            "{out}"
        );
        assert!(out.contains("\\u003c/script\\u003e"));
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            back["headline"],
            "</script><script>alert(1)</script> & <!--"
        );
    }
}
