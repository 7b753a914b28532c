//! Slugs and name keys: pure functions from a name to the ASCII text used in URLs and in
//! name matching. Transliteration is deunicode's, so `Зеленський` and `Zelens'kii` meet.

/// The URL slug of a name: transliterated to ASCII, lower case, words joined by `-`.
/// Always path-safe; empty only when the name has no letter or digit in any script.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    let mut pending_dash = false;
    for c in transliterate(name).chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            // An apostrophe joins (O'Brien → obrien); anything else separates words.
            pending_dash = true;
        }
    }
    slug
}

/// deunicode's ASCII for each character; a letter or digit it does not know (a script newer
/// than its tables) becomes its code point in hex, so a name with a letter always has a slug
/// (found by the property tests, issue 6).
fn transliterate(name: &str) -> String {
    let mut ascii = String::with_capacity(name.len());
    for c in name.chars() {
        match deunicode::deunicode_char(c) {
            Some(text) if text.bytes().any(|b| b.is_ascii_alphanumeric()) => ascii.push_str(text),
            // Apostrophe-like letters (ʼ) keep their ASCII, which joins words.
            Some(text) if !c.is_alphanumeric() || text == "'" => ascii.push_str(text),
            _ if c.is_alphanumeric() => ascii.push_str(&format!(" {:x} ", c as u32)),
            _ => ascii.push(' '),
        }
    }
    ascii
}

/// Whether an editor-written slug is safe to use as one path segment.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 200
        && !slug.starts_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The key two spellings of a name must share to be the same name: case, accents, script
/// and punctuation are ignored (`NATO` = `Nato`, `Zelenskyy` ≠ `Zelensky` unless aliased).
pub fn name_key(name: &str) -> String {
    slugify(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_stable() {
        assert_eq!(slugify("Volodymyr Zelensky"), "volodymyr-zelensky");
        assert_eq!(slugify("Володимир Зеленський"), "volodimir-zelenskii");
        assert_eq!(slugify("  NATO  "), "nato");
        assert_eq!(
            slugify("Prosecutor General's Office"),
            "prosecutor-generals-office"
        );
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Zürich"), "zurich");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(slugify("\u{1affd}"), "1affd");
        assert_eq!(slugify("Zelens\u{2bc}kyi"), "zelenskyi");
    }

    #[test]
    fn keys_ignore_case_and_accents() {
        assert_eq!(name_key("Zelenskyy"), name_key("ZELENSKYY"));
        assert_eq!(name_key("Kaja Kallas"), name_key("Kája Kallas"));
    }

    #[test]
    fn validity() {
        assert!(is_valid("istanbul-talks-2"));
        assert!(!is_valid("../x"));
        assert!(!is_valid("A"));
        assert!(!is_valid(""));
    }
}
