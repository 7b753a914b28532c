//! The fast path of serve's rebuild: an edit that changes only what a briefing says (its
//! title, summary, body, sources or `updated`), not its names, date, slug or draft status,
//! leaves every name, list, count and order of the archive as it was. The next `Site` is
//! then the last one with those briefings' words replaced, which skips resolving the whole
//! archive again. Anything else goes through `graph::resolve`.

use crate::content::BriefingSource;
use crate::model::{BriefingId, Site};

/// Whether going from `before` to `after` changes only what the briefing says.
pub fn says_only(before: &BriefingSource, after: &BriefingSource) -> bool {
    before.path == after.path
        && before.slug == after.slug
        && before.date == after.date
        && before.published == after.published
        && before.names == after.names
        && before.authors == after.authors
        && before.draft == after.draft
        // A new lead image or bundle file must be processed and published: a full rebuild.
        && before.media == after.media
}

/// Makes `site` the next site: each edited briefing's words taken from its new source.
/// Returns each edited briefing's id and whether its title changed, or `None`, leaving the
/// site untouched, when a source names a briefing the site does not have. The caller owns
/// the last site and hands it to render only after this.
pub fn patch(site: &mut Site, edits: Vec<BriefingSource>) -> Option<Vec<(BriefingId, bool)>> {
    // A translation shares its original's slug; a site of several languages is resolved
    // again whole.
    if !site.translations.is_empty() || edits.iter().any(|e| e.language.is_some()) {
        return None;
    }
    if edits
        .iter()
        .any(|e| !site.briefing_by_slug.contains_key(&e.slug))
    {
        return None;
    }
    let mut edited = Vec::with_capacity(edits.len());
    for source in edits {
        let id = site.briefing_by_slug[&source.slug];
        let BriefingSource {
            path: _,
            slug: _,
            title,
            date: _,
            published: _,
            updated,
            summary,
            names: _,
            // Equal before and after (`says_only`): a byline is in feeds, not only the page.
            authors: _,
            sources,
            draft: _,
            autolink,
            media: _,
            keys,
            text,
            body_start,
            body_line,
            language: _,
            own_slug: _,
        } = source;
        let briefing = &mut site.briefings[id.0 as usize];
        let retitled = briefing.title != title;
        briefing.title = title;
        briefing.updated = updated;
        briefing.summary = summary;
        briefing.sources = sources;
        briefing.autolink = autolink;
        briefing.keys = keys;
        briefing.text = text;
        briefing.body_start = body_start;
        briefing.body_line = body_line;
        edited.push((id, retitled));
    }
    Some(edited)
}
