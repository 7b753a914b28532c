//! The search tokeniser: text → folded words. `static/search.js` folds and splits queries
//! and briefing text the same way (`fold`, `scan` there), and both are checked against the
//! same cases (`tests/fixtures/search-tokens.json`), so a word the index holds is the word a
//! reader's query makes.
//!
//! Folding: compatibility decomposition (NFKD: `ﬁ` → `fi`, full-width letters, Arabic
//! presentation forms), then every combining mark dropped (accents: `Türkiye` → `turkiye`;
//! Arabic harakat and the hamza of `أ`), the Arabic tatweel dropped, lower case, and the
//! letters that Arabic search usually joins (`ى` → `ي`, `ة` → `ه`, final `ς` → `σ`). A word is
//! a run of letters and digits in any script. No stemming: `talks` is not `talk`.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Longer runs (hashes, base64) are not words anyone searches for.
pub const MAX_WORD_CHARS: usize = 40;

/// Common English words that would make the biggest postings and never narrow a search.
/// They stay in the text (phrases and names use them), but have no postings of their own.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with",
];

/// Appends the folded form of `c` to `out`.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) || d == '\u{0640}' {
            return;
        }
        for lower in d.to_lowercase() {
            out.push(match lower {
                'ى' => 'ي',
                'ة' => 'ه',
                'ς' => 'σ',
                other => other,
            });
        }
    });
}

/// `text` folded for search (see the module comment).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Calls `each(word, range)` for every folded word of `text`, in order, with the byte range
/// of `text` it came from. Every word counts here, short and stop words too: names and
/// phrases are matched on this sequence.
pub fn scan(text: &str, mut each: impl FnMut(&str, std::ops::Range<usize>)) {
    let mut word = String::new();
    let mut folded = String::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        if c.is_ascii() {
            // Most text is ASCII: no decomposition, and no buffer for one letter.
            if c.is_ascii_alphanumeric() {
                start.get_or_insert(at);
                word.push(c.to_ascii_lowercase());
            } else if let Some(from) = start.take() {
                each(&word, from..at);
                word.clear();
            }
            continue;
        }
        folded.clear();
        fold_char(c, &mut folded);
        for f in folded.chars() {
            if is_word_char(f) {
                start.get_or_insert(at);
                word.push(f);
            } else if let Some(from) = start.take() {
                each(&word, from..at);
                word.clear();
            }
        }
    }
    if let Some(from) = start {
        each(&word, from..text.len());
    }
}

/// The folded words of a text kept in one buffer, to look along without a string per word,
/// each with a hash to compare by. Reused from text to text.
#[derive(Default)]
pub struct Words {
    folded: String,
    /// Per word: its span in `folded`, its hash, and the byte range of the text it came from.
    spans: Vec<(u32, u32, u64, std::ops::Range<usize>)>,
}

/// FNV-1a (64 bits) of a word, as `Words` keeps it.
pub fn hash(word: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word.as_bytes() {
        hash = (hash ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

impl Words {
    /// Replaces the words with those of `text`.
    pub fn read(&mut self, text: &str) {
        self.folded.clear();
        self.spans.clear();
        let Words { folded, spans } = self;
        scan(text, |w, range| {
            let start = folded.len() as u32;
            folded.push_str(w);
            spans.push((start, folded.len() as u32, hash(w), range));
        });
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn get(&self, i: usize) -> &str {
        let (start, end, _, _) = &self.spans[i];
        &self.folded[*start as usize..*end as usize]
    }

    /// `hash(self.get(i))`.
    pub fn hash(&self, i: usize) -> u64 {
        self.spans[i].2
    }

    /// The byte range of the original text word `i` came from.
    pub fn range(&self, i: usize) -> std::ops::Range<usize> {
        self.spans[i].3.clone()
    }
}

/// The folded words of `text`, every one.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    scan(text, |w, _| out.push(w.to_string()));
    out
}

/// Whether a folded word has postings: two letters or more, not too long, not a stop word.
pub fn is_indexed(word: &str) -> bool {
    let n = if word.is_ascii() {
        word.len()
    } else {
        word.chars().count()
    };
    // No stop word is longer than four letters, so longer words skip the list.
    (2..=MAX_WORD_CHARS).contains(&n) && !(word.len() <= 4 && STOP_WORDS.contains(&word))
}

/// The words of `text` that have postings, as a query for them would look them up.
pub fn tokens(text: &str) -> Vec<String> {
    words(text).into_iter().filter(|w| is_indexed(w)).collect()
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// The cases `search.js` is checked against too (tests/browser.rs, in chromium).
    pub const CASES: &str = include_str!("../../../tests/fixtures/search-tokens.json");

    #[test]
    fn folds_and_splits_like_search_js() {
        let all: serde_json::Value = serde_json::from_str(CASES).unwrap();
        let cases: Vec<(String, Vec<String>)> =
            serde_json::from_value(all["words"].clone()).unwrap();
        assert!(cases.len() > 10);
        for (text, want) in cases {
            assert_eq!(words(&text), want, "words of {text:?}");
        }
    }

    #[test]
    fn words_keeps_every_word_in_one_buffer() {
        let mut words = Words::default();
        words.read("Old text");
        words.read("Сказав: «Türkiye»");
        assert_eq!(words.len(), 2);
        assert_eq!((words.get(1), words.range(1)), ("turkiye", 16..24));
        assert_eq!(words.hash(1), hash("turkiye"));
        assert_ne!(words.hash(0), words.hash(1));
    }

    #[test]
    fn ranges_point_at_the_original_text() {
        let text = "Сказав: «Türkiye»—ok";
        let mut found = Vec::new();
        scan(text, |w, r| found.push((w.to_string(), &text[r])));
        assert_eq!(
            found,
            [
                ("сказав".to_string(), "Сказав"),
                ("turkiye".to_string(), "Türkiye"),
                ("ok".to_string(), "ok")
            ]
        );
    }

    #[test]
    fn stop_words_and_single_letters_have_no_postings() {
        assert_eq!(tokens("The talks of a Z in Kyiv"), ["talks", "kyiv"]);
        assert!(!is_indexed(&"x".repeat(MAX_WORD_CHARS + 1)));
        assert!(is_indexed(&"я".repeat(MAX_WORD_CHARS)));
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 4));
    }
}
