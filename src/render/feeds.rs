//! The built-in machine-readable files: Atom feeds (the archive's and one per entity),
//! `sitemap.xml` (split past 50,000 URLs, as sitemaps.org requires) and `robots.txt`.
//! Feeds carry summaries, not full text: bodies copied into thousands of feeds would fill
//! GitHub Pages' size limit long before the archive does. Every value is XML-escaped.

use std::fmt::Write;

use super::Renderer;
use super::markdown::escape;
use crate::model::{BriefingId, Entity};
use crate::urls::path;

/// How many newest briefings the archive's feed carries.
const FEED_ENTRIES: usize = 20;
/// How many an entity's feed carries: thousands of entity feeds repeat every briefing
/// several times over, and a reader polling a feed needs only the latest few (#5).
const ENTITY_FEED_ENTRIES: usize = 10;
/// The sitemaps.org limit of URLs in one file.
const SITEMAP_URLS: usize = 50_000;

pub fn site_feed(r: &Renderer<'_>) -> Vec<u8> {
    let ids: Vec<BriefingId> = r
        .site
        .briefings
        .iter()
        .take(FEED_ENTRIES)
        .map(|b| b.id)
        .collect();
    let config = &r.site.config;
    atom(r, &config.title, &config.description, path::FEED, "", &ids)
}

pub fn entity_feed(r: &Renderer<'_>, entity: &Entity) -> Vec<u8> {
    let ids: Vec<BriefingId> = entity
        .briefings
        .iter()
        .take(ENTITY_FEED_ENTRIES)
        .copied()
        .collect();
    let title = format!("{} — {}", entity.name, r.site.config.title);
    let subtitle = r.site.words.format(
        crate::i18n::Key::EntityDescription,
        &[("name", &entity.name)],
    );
    let feed_path = path::entity_feed(entity.kind, &entity.slug);
    let page_path = path::entity(entity.kind, &entity.slug, 1);
    atom(r, &title, &subtitle, &feed_path, &page_path, &ids)
}

/// An Atom 1.0 feed. Its `updated` is the newest entry's, never the build time, so the
/// same content gives the same bytes.
fn atom(
    r: &Renderer<'_>,
    title: &str,
    subtitle: &str,
    feed_path: &str,
    page_path: &str,
    ids: &[BriefingId],
) -> Vec<u8> {
    let site = r.site;
    let updated = ids
        .iter()
        .map(|&id| {
            let b = site.briefing(id);
            b.updated.unwrap_or(b.published)
        })
        .max()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let mut xml = String::with_capacity(1024 + ids.len() * 512);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    let _ = writeln!(xml, " xml:lang=\"{}\">", escape(&site.config.language));
    let _ = writeln!(xml, "<title>{}</title>", escape(title));
    if !subtitle.is_empty() {
        let _ = writeln!(xml, "<subtitle>{}</subtitle>", escape(subtitle));
    }
    let _ = writeln!(xml, "<id>{}</id>", escape(&r.urls.absolute(feed_path)));
    let _ = writeln!(
        xml,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&r.urls.absolute(feed_path))
    );
    let _ = writeln!(
        xml,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&r.urls.absolute(page_path))
    );
    let _ = writeln!(xml, "<updated>{}</updated>", rfc3339(updated));
    let _ = writeln!(
        xml,
        "<author><name>{}</name></author>",
        escape(&site.config.title)
    );
    for &id in ids {
        let b = site.briefing(id);
        let url = r.urls.absolute(&path::briefing(&b.slug));
        xml.push_str("<entry>\n");
        let _ = writeln!(xml, "<title>{}</title>", escape(&b.title));
        let _ = writeln!(
            xml,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&url)
        );
        if let Some(enclosure) = r.lead_enclosure(id) {
            xml.push_str(&enclosure);
        }
        let _ = writeln!(xml, "<id>{}</id>", escape(&url));
        let updated = b.updated.unwrap_or(b.published);
        let _ = writeln!(xml, "<updated>{}</updated>", rfc3339(updated));
        // Atom needs only `updated`; `published` adds news only when the two differ.
        if updated != b.published {
            let _ = writeln!(xml, "<published>{}</published>", rfc3339(b.published));
        }
        // An entry with its own authors names them; the others have the feed's author.
        for author in &b.authors {
            let _ = writeln!(xml, "<author><name>{}</name></author>", escape(author));
        }
        if !b.summary.is_empty() {
            let _ = writeln!(xml, "<summary>{}</summary>", escape(&b.summary));
        }
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

fn rfc3339(stamp: jiff::Timestamp) -> String {
    stamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// How many sitemap files the site needs: one, or an index plus its parts.
pub fn sitemap_chunks(urls: usize) -> usize {
    if urls <= SITEMAP_URLS {
        1
    } else {
        1 + urls.div_ceil(SITEMAP_URLS)
    }
}

/// `sitemap.xml` (chunk 0) — the list itself, or an index of `sitemap-N.xml` parts.
pub fn sitemap(r: &Renderer<'_>, paths: &[(usize, String)], chunk: usize) -> Vec<u8> {
    let chunks = sitemap_chunks(paths.len());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if chunks > 1 && chunk == 0 {
        xml.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for part in 1..chunks {
            let _ = writeln!(
                xml,
                "<sitemap><loc>{}</loc></sitemap>",
                escape(&r.urls.shared_absolute(&format!("sitemap-{part}.xml")))
            );
        }
        xml.push_str("</sitemapindex>\n");
        return xml.into_bytes();
    }
    let part: &[(usize, String)] = if chunks == 1 {
        paths
    } else {
        let start = (chunk - 1) * SITEMAP_URLS;
        &paths[start..(start + SITEMAP_URLS).min(paths.len())]
    };
    if r.family.is_single() {
        xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    } else {
        xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    }
    for (language, path) in part {
        let alternates = r.family.alternates(path, *language);
        let Some(own) = alternates.iter().find(|a| a.current) else {
            let _ = writeln!(
                xml,
                "<url><loc>{}</loc></url>",
                escape(&r.family.absolute(*language, path))
            );
            continue;
        };
        let _ = writeln!(xml, "<url><loc>{}</loc>", escape(&own.url));
        for a in &alternates {
            let _ = writeln!(
                xml,
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(&a.lang),
                escape(&a.url)
            );
        }
        if let Some(default) = r.family.x_default(path) {
            let _ = writeln!(
                xml,
                "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                escape(&default)
            );
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

pub fn robots(r: &Renderer<'_>) -> Vec<u8> {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        r.urls.shared_absolute(path::SITEMAP)
    )
    .into_bytes()
}
