//! The order of names in a language, and the letter each is filed under: CLDR collation
//! through ICU4X, so a Ukrainian index runs А Б В … Я (Ґ after Г, Є after Е) and an
//! Arabic one by its alphabet, whatever the slugs' Latin spelling.

use std::cmp::Ordering;

use icu_collator::options::{AlternateHandling, CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale::Locale;

use super::Language;

/// One language's comparison of names.
#[derive(Debug)]
pub struct Collation {
    /// Every difference counts (letters, then accents, then case), so the order is total
    /// up to equal names.
    full: Option<CollatorBorrowed<'static>>,
    /// Letters alone: `Е` and `Ё`, `e` and `É` are one letter of the index.
    letters: Option<CollatorBorrowed<'static>>,
}

impl Collation {
    /// ICU4X falls back along CLDR's parent locales to the root order, so making a
    /// collator fails only if its compiled data were missing; then names compare by their
    /// code points.
    pub fn new(language: &Language) -> Collation {
        let locale = Locale::from(language.id().clone());
        let collator = |strength| {
            let mut options = CollatorOptions::default();
            options.strength = strength;
            // Punctuation and spaces do not order names (`«Азов»` files under А, as
            // `initial` does), so one letter is never split in two by a quote mark.
            options.alternate_handling = Some(AlternateHandling::Shifted);
            Collator::try_new((&locale).into(), options).ok()
        };
        Collation {
            full: collator(None),
            letters: collator(Some(Strength::Primary)),
        }
    }

    /// `a` against `b` in the language's order.
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        match &self.full {
            Some(collator) => collator.compare(a, b),
            None => a.cmp(b),
        }
    }

    /// Whether two initials (`initial`) are one letter of an A–Z index.
    pub fn same_letter(&self, a: &str, b: &str) -> bool {
        match &self.letters {
            Some(collator) => collator.compare(a, b) == Ordering::Equal,
            None => a == b,
        }
    }
}

/// The letter a name is filed under: its first letter or digit, in capitals (`В` for
/// `володимир`, `ف` for an Arabic name, which has no case), or `#` for a name of neither.
pub fn initial(name: &str) -> String {
    match name.chars().find(|c| c.is_alphanumeric()) {
        Some(c) => c.to_uppercase().collect(),
        None => "#".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collation(code: &str) -> Collation {
        Collation::new(&Language::parse(code).unwrap())
    }

    fn sorted(code: &str, names: &[&'static str]) -> Vec<&'static str> {
        let c = collation(code);
        let mut names = names.to_vec();
        names.sort_by(|a, b| c.compare(a, b));
        names
    }

    #[test]
    fn ukrainian_follows_its_alphabet_and_puts_cyrillic_first() {
        assert_eq!(
            sorted(
                "uk",
                &[
                    "Kaja Kallas",
                    "Ґудзь",
                    "Євген",
                    "Гнат",
                    "Їжак",
                    "Ілля",
                    "Андрій"
                ]
            ),
            [
                "Андрій",
                "Гнат",
                "Ґудзь",
                "Євген",
                "Ілля",
                "Їжак",
                "Kaja Kallas"
            ]
        );
    }

    #[test]
    fn punctuation_does_not_order_names() {
        assert_eq!(
            sorted("uk", &["Бета", "«Азов»", "1+1", "Адміністрація"]),
            ["1+1", "Адміністрація", "«Азов»", "Бета"]
        );
    }

    #[test]
    fn arabic_follows_its_alphabet() {
        assert_eq!(
            sorted("ar", &["زيد", "باسم", "أحمد"]),
            ["أحمد", "باسم", "زيد"]
        );
    }

    #[test]
    fn a_letter_is_one_whatever_its_accent_or_case() {
        let ru = collation("ru");
        assert!(ru.same_letter("Е", "Ё") && ru.same_letter("е", "Е"));
        assert!(!ru.same_letter("Е", "Ж"));
        let uk = collation("uk");
        assert!(
            !uk.same_letter("Г", "Ґ"),
            "Ґ is a letter of its own in Ukrainian"
        );
    }

    #[test]
    fn the_initial_is_the_first_letter_in_capitals() {
        assert_eq!(initial("володимир зеленський"), "В");
        assert_eq!(initial("«Азов»"), "А");
        assert_eq!(initial("فولوديمير"), "ف");
        assert_eq!(initial("…"), "#");
    }
}
