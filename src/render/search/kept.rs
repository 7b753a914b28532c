//! What indexing the archive gave, kept between builds (#14): every word's postings and
//! every mention, with, per briefing, the digest of what it says and the titles of the
//! briefings its `[[links]]` name (its plain text shows them). A briefing's part of the
//! index is a function of those and of the site's shape (its names, entities and ids), so
//! a build of a site with the same shape reuses the part of every briefing whose words and
//! linked titles are the same, and reads again only the others: after an edit of one
//! briefing's words, one briefing. The files are then made from the merge as in a fresh
//! build, so they are the same bytes.
//!
//! Stored as one binary file (`encode`), behind a tag the caller makes from the format's
//! version, the binary and the site's shape; a file with another tag, or that does not
//! read to its end, gives `None` and is never trusted.

use xxhash_rust::xxh3::xxh3_64;

use super::names::Mention;
use crate::model::{EntityId, Site};

/// The slugs a briefing's `[[links]]` name, each with the digest of the title its text
/// showed (`None`: no briefing had that slug).
pub(super) type Links = Vec<(String, Option<u64>)>;

/// The index's analysis of a whole archive.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Kept {
    /// Per briefing, by id: the digest of what it says (`pipeline::edits::Record`).
    pub(super) says: Vec<u64>,
    /// Per briefing: its links.
    pub(super) links: Vec<Links>,
    /// Every word with its postings (briefing id, weight), ids ascending.
    pub(super) postings: Vec<(String, Vec<(u32, u8)>)>,
    /// Every mention, as (entity, briefing, mention).
    pub(super) mentions: Vec<(EntityId, u32, Mention)>,
    /// Whether any briefing was read anew to make it (not stored): if not, the stored file
    /// is already this.
    pub(super) fresh: bool,
}

/// The digest a link's title is kept by.
pub(super) fn title_digest(site: &Site, slug: &str) -> Option<u64> {
    let id = site.briefing_by_slug.get(slug)?;
    Some(xxh3_64(site.briefing(*id).title.as_bytes()))
}

impl Kept {
    /// Per briefing of `site` (whose briefings say what `says` digests): whether its part
    /// kept here is still its part.
    pub(super) fn reusable(&self, site: &Site, says: &[u64]) -> Vec<bool> {
        let n = site.briefings.len();
        // A mention of an entity the site does not have is a file that does not read.
        let entities = site.entities.len();
        let known = self
            .mentions
            .iter()
            .all(|(e, _, _)| (e.0 as usize) < entities);
        if self.says.len() != n || says.len() != n || self.links.len() != n || !known {
            return vec![false; n];
        }
        (0..n)
            .map(|i| {
                self.says[i] == says[i]
                    && self.links[i]
                        .iter()
                        .all(|(slug, title)| title_digest(site, slug) == *title)
            })
            .collect()
    }

    /// The same analysis for a site whose entities are those of the site it was made for,
    /// each at the id `new_id` gives (a name first written in another briefing moves the
    /// stubs' ids), but for those it has not (`None`: a stub no briefing names any more),
    /// whose mentions are dropped; the mentions are then in that site's order. The
    /// briefings that mentioned one must be read again (`forgetting`).
    pub fn with_entities(mut self, new_id: impl Fn(EntityId) -> Option<EntityId>) -> Kept {
        self.mentions = self
            .mentions
            .into_iter()
            .filter_map(|(entity, doc, mention)| Some((new_id(entity)?, doc, mention)))
            .collect();
        self.mentions
            .sort_unstable_by_key(|&(entity, doc, _)| (entity, doc));
        self
    }

    /// The same analysis without the parts of the briefings `forget` marks, which are
    /// then read again (a name new to the archive may be found in their text).
    pub fn forgetting(mut self, forget: &[bool]) -> Kept {
        for (says, _) in self.says.iter_mut().zip(forget).filter(|(_, f)| **f) {
            *says = !*says;
        }
        self
    }

    /// Whether it must be stored again.
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    /// The stored form, behind `tag`.
    pub fn encode(&self, tag: u64) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + 4 * self.mentions.len() + 3 * self.postings.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&tag.to_le_bytes());
        number(&mut out, self.says.len() as u64);
        for (says, links) in self.says.iter().zip(&self.links) {
            out.extend_from_slice(&says.to_le_bytes());
            number(&mut out, links.len() as u64);
            for (slug, title) in links {
                text(&mut out, slug);
                match title {
                    Some(title) => {
                        out.push(1);
                        out.extend_from_slice(&title.to_le_bytes());
                    }
                    None => out.push(0),
                }
            }
        }
        number(&mut out, self.postings.len() as u64);
        for (term, list) in &self.postings {
            text(&mut out, term);
            number(&mut out, list.len() as u64);
            let mut last = 0;
            for &(doc, weight) in list {
                number(&mut out, (doc - last) as u64);
                out.push(weight);
                last = doc;
            }
        }
        number(&mut out, self.mentions.len() as u64);
        for (entity, doc, m) in &self.mentions {
            for n in [
                entity.0,
                *doc,
                m.front_matter as u32,
                m.title,
                m.summary,
                m.body,
            ] {
                number(&mut out, n as u64);
            }
        }
        out
    }

    /// What `encode` stored behind `tag`; `None` for anything else.
    pub fn decode(bytes: &[u8], tag: u64) -> Option<Kept> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC || r.u64()? != tag {
            return None;
        }
        let n = r.count()?;
        let mut says = Vec::with_capacity(n);
        let mut links = Vec::with_capacity(n);
        for _ in 0..n {
            says.push(r.u64()?);
            let k = r.count()?;
            let mut list = Vec::with_capacity(k);
            for _ in 0..k {
                let slug = r.text()?;
                let title = match r.byte()? {
                    0 => None,
                    1 => Some(r.u64()?),
                    _ => return None,
                };
                list.push((slug, title));
            }
            links.push(list);
        }
        let terms = r.count()?;
        let mut postings = Vec::with_capacity(terms);
        for _ in 0..terms {
            let term = r.text()?;
            let k = r.count()?;
            let mut list = Vec::with_capacity(k);
            let mut doc = 0u32;
            for _ in 0..k {
                doc = doc.checked_add(u32::try_from(r.number()?).ok()?)?;
                if doc as usize >= n {
                    return None;
                }
                list.push((doc, r.byte()?));
            }
            postings.push((term, list));
        }
        let k = r.count()?;
        let mut mentions = Vec::with_capacity(k);
        for _ in 0..k {
            let mut next = || r.number().and_then(|n| u32::try_from(n).ok());
            let (entity, doc) = (EntityId(next()?), next()?);
            let m = Mention {
                front_matter: next()? != 0,
                title: next()?,
                summary: next()?,
                body: next()?,
            };
            if doc as usize >= n {
                return None;
            }
            mentions.push((entity, doc, m));
        }
        (r.at == bytes.len()).then_some(Kept {
            says,
            links,
            postings,
            mentions,
            fresh: false,
        })
    }
}

/// The first bytes of the stored form; the number is the format's.
const MAGIC: &[u8] = b"sitroom-search-1\n";

/// LEB128.
fn number(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn text(out: &mut Vec<u8>, s: &str) {
    number(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn number(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    /// A count of things still to read: never more than the bytes left, so a damaged
    /// count cannot ask for a huge allocation.
    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.number()?).ok()?;
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    fn text(&mut self) -> Option<String> {
        let n = self.count()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Kept {
        Kept {
            says: vec![7, 8],
            links: vec![
                vec![("talks".into(), Some(3)), ("gone".into(), None)],
                vec![],
            ],
            postings: vec![
                ("kyiv".into(), vec![(0, 3), (1, 0)]),
                ("зеленський".into(), vec![(1, 7)]),
            ],
            mentions: vec![(
                EntityId(300),
                1,
                Mention {
                    front_matter: true,
                    title: 1,
                    summary: 0,
                    body: 200,
                },
            )],
            fresh: false,
        }
    }

    #[test]
    fn what_is_kept_reads_back_behind_its_tag_only() {
        let kept = sample();
        let bytes = kept.encode(42);
        assert_eq!(Kept::decode(&bytes, 42), Some(kept));
        assert_eq!(Kept::decode(&bytes, 43), None);
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(Kept::decode(&bytes[..cut], 42), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Kept::decode(&longer, 42), None);
    }
}
