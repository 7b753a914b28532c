//! The letters of an A–Z index: where each stretch of names under one first letter starts,
//! and the id of its first entry, for the index pages' letter bar and the search script's
//! one-letter queries alike.

use crate::i18n::initial;
use crate::model::{EntityId, Site};

/// One letter of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// The position in the index of its first entity.
    pub start: usize,
    /// As the letter bar shows it: `M`, `В`, `ف`.
    pub letter: String,
    /// The HTML id of its first entry, ASCII in every language: `letter-m`, `letter-3`.
    pub anchor: String,
}

/// The letters of `ids`, an A–Z list of one kind (`Site::by_kind`), in order. In the
/// default language each entity is filed under its slug's first letter; in another one
/// under its shown name's, one letter with its accented and lower-case forms as the
/// language's collation has it, numbered for the anchor.
pub fn letters(site: &Site, ids: &[EntityId]) -> Vec<Letter> {
    let mut letters: Vec<Letter> = Vec::new();
    let collation = site.words.collation();
    for (start, &id) in ids.iter().enumerate() {
        let entity = site.entity(id);
        if !site.collates_names() {
            let letter = slug_letter(&entity.slug);
            if letters.last().is_none_or(|l| l.letter != letter) {
                letters.push(Letter {
                    start,
                    anchor: format!("letter-{}", letter.to_ascii_lowercase()),
                    letter,
                });
            }
            continue;
        }
        let letter = initial(&entity.name);
        if letters
            .last()
            .is_none_or(|l| !collation.same_letter(&l.letter, &letter))
        {
            letters.push(Letter {
                start,
                anchor: format!("letter-{}", letters.len() + 1),
                letter,
            });
        }
    }
    letters
}

/// A slug's first character in capitals: slugs are ASCII.
fn slug_letter(slug: &str) -> String {
    slug.chars()
        .next()
        .unwrap_or('#')
        .to_ascii_uppercase()
        .to_string()
}
