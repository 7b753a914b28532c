//! A language of the site: its BCP 47 code (checked when `site.yaml` names it), its writing
//! direction from CLDR's likely scripts through ICU4X, and its own name for a language
//! switcher. Knows nothing of files or pages.

use std::fmt;

use icu_locale::{LanguageIdentifier, LocaleDirectionality};

/// A checked language code with what the pages need to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The code as BCP 47 writes it (`uk`, `pt-BR`, `sr-Latn`): the `<html lang>`, the
    /// `/<code>/` folder and the `.<code>.md` suffix all use this one spelling.
    code: String,
    id: LanguageIdentifier,
    direction: Direction,
}

/// The direction a language is written in, for `<html dir>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    LeftToRight,
    RightToLeft,
}

impl Direction {
    /// `ltr` or `rtl`, as HTML's `dir` attribute takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::LeftToRight => "ltr",
            Direction::RightToLeft => "rtl",
        }
    }
}

/// Why a code is not a language sitroom can use, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeError {
    pub message: String,
    pub help: String,
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.help)
    }
}

impl std::error::Error for CodeError {}

impl Language {
    /// Checks `code`: a BCP 47 language tag (language, optional script, region and
    /// variants), spelled the canonical way so that one language has one folder name.
    pub fn parse(code: &str) -> Result<Language, CodeError> {
        let example = "write a BCP 47 code such as `en`, `uk`, `ar` or `pt-BR`";
        let not_a_code = || {
            // `pt_BR` is how POSIX locales write it; say how BCP 47 does.
            let help = LanguageIdentifier::try_from_str(&code.replace('_', "-"))
                .map_or(example.to_string(), |id| format!("write `{id}`"));
            CodeError {
                message: format!("`{code}` is not a language code"),
                help,
            }
        };
        let id = LanguageIdentifier::try_from_str(code).map_err(|_| not_a_code())?;
        // BCP 47 reserves five- to eight-letter language subtags and has registered none;
        // `english` is a slip for `en`.
        if id.language.as_str().len() > 3 {
            return Err(CodeError {
                message: format!("`{code}` is not a language code"),
                help: example.to_string(),
            });
        }
        if id.language.is_unknown() {
            return Err(CodeError {
                message: format!("`{code}` names no language"),
                help: example.to_string(),
            });
        }
        let canonical = id.to_string();
        if canonical != code {
            return Err(CodeError {
                message: format!("`{code}` is not written the way BCP 47 spells it"),
                help: format!("write `{canonical}`"),
            });
        }
        // Extended likely-subtags data: a language missing from the common set (ckb, ug,
        // syr, dv) must still find its script. `None` means CLDR knows no script for it.
        let direction = match LocaleDirectionality::new_extended().get(&id) {
            Some(icu_locale::Direction::RightToLeft) => Direction::RightToLeft,
            _ => Direction::LeftToRight,
        };
        Ok(Language {
            code: canonical,
            id,
            direction,
        })
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    /// The language subtag alone: `pt` for `pt-BR`. Built-in words are looked up by it.
    pub fn base(&self) -> &str {
        self.id.language.as_str()
    }

    pub fn direction(&self) -> Direction {
        self.direction
    }

    pub fn is_right_to_left(&self) -> bool {
        self.direction == Direction::RightToLeft
    }

    /// The language's name in itself (`Українська`), if sitroom knows it.
    pub fn autonym(&self) -> Option<&'static str> {
        let find = |code: &str| {
            AUTONYMS
                .binary_search_by(|(c, _)| (*c).cmp(code))
                .ok()
                .map(|i| AUTONYMS[i].1)
        };
        let with_script = self
            .id
            .script
            .and_then(|script| find(&format!("{}-{}", self.base(), script.as_str())));
        with_script.or_else(|| find(self.base()))
    }

    pub(super) fn id(&self) -> &LanguageIdentifier {
        &self.id
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

/// Languages' names in themselves, from CLDR's `localeDisplayNames` of each language,
/// capitalised as CLDR's `uiListOrMenu` context asks (CLDR writes `русский` mid-sentence,
/// `Русский` in a menu). ICU4X has this data only in `icu_experimental`, whose API is
/// unstable and whose data is far larger than this list, so the names are written here:
/// the languages of today's conflicts and of the organisations that report on them. A site
/// in another language names it with `language_name` in its `i18n/<code>.yaml`. A script
/// subtag picks a name only where the script changes it (`sr-Latn`); otherwise the
/// language subtag does.
const AUTONYMS: &[(&str, &str)] = &[
    ("am", "አማርኛ"),
    ("ar", "العربية"),
    ("az", "Azərbaycan"),
    ("be", "Беларуская"),
    ("bg", "Български"),
    ("bn", "বাংলা"),
    ("bs", "Bosanski"),
    ("ckb", "کوردیی ناوەندی"),
    ("cs", "Čeština"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "Español"),
    ("et", "Eesti"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("ha", "Hausa"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hr", "Hrvatski"),
    ("hu", "Magyar"),
    ("hy", "Հայերեն"),
    ("id", "Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ka", "ქართული"),
    ("kk", "Қазақ тілі"),
    ("kmr", "Kurdî (Kurmancî)"),
    ("ko", "한국어"),
    ("ku", "Kurdî"),
    ("ky", "Кыргызча"),
    ("lt", "Lietuvių"),
    ("lv", "Latviešu"),
    ("mk", "Македонски"),
    ("mn", "Монгол"),
    ("ms", "Melayu"),
    ("my", "မြန်မာ"),
    ("nl", "Nederlands"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("ps", "پښتو"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sk", "Slovenčina"),
    ("sl", "Slovenščina"),
    ("so", "Soomaali"),
    ("sq", "Shqip"),
    ("sr", "Српски"),
    ("sr-Latn", "Srpski"),
    ("sv", "Svenska"),
    ("sw", "Kiswahili"),
    ("ta", "தமிழ்"),
    ("tg", "Тоҷикӣ"),
    ("th", "ไทย"),
    ("ti", "ትግርኛ"),
    ("tk", "Türkmen dili"),
    ("tr", "Türkçe"),
    ("ug", "ئۇيغۇرچە"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("uz", "O‘zbek"),
    ("vi", "Tiếng Việt"),
    ("yi", "ייִדיש"),
    ("zh", "中文"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Language {
        Language::parse(code).unwrap()
    }

    #[test]
    fn right_to_left_comes_from_the_script() {
        for code in ["ar", "he", "fa", "ur", "ps", "ckb", "ug", "yi", "ar-EG"] {
            assert!(lang(code).is_right_to_left(), "{code}");
        }
        for code in ["en", "uk", "ru", "tr", "zh", "pt-BR", "az"] {
            assert_eq!(lang(code).direction(), Direction::LeftToRight, "{code}");
        }
        // A script subtag decides over the language's usual script.
        assert!(!lang("pa").is_right_to_left());
        assert!(lang("pa-Arab").is_right_to_left());
        assert!(!lang("az-Latn").is_right_to_left());
        assert!(lang("az-Arab").is_right_to_left());
        assert_eq!(Direction::RightToLeft.as_str(), "rtl");
    }

    #[test]
    fn codes_must_be_bcp47_and_canonical() {
        assert_eq!(lang("pt-BR").code(), "pt-BR");
        assert_eq!(lang("pt-BR").base(), "pt");
        assert_eq!(lang("sr-Latn").code(), "sr-Latn");
        let wrong_case = Language::parse("pt-br").unwrap_err();
        assert_eq!(wrong_case.help, "write `pt-BR`");
        let underscore = Language::parse("pt_BR").unwrap_err();
        assert_eq!(underscore.help, "write `pt-BR`");
        assert_eq!(Language::parse("UK").unwrap_err().help, "write `uk`");
        for bad in [
            "",
            "english",
            "e",
            "en-",
            "en-u-nu-arab",
            "../uk",
            "und",
            "uk ua",
        ] {
            assert!(Language::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn autonyms_name_languages_in_themselves() {
        assert_eq!(lang("en").autonym(), Some("English"));
        assert_eq!(lang("uk").autonym(), Some("Українська"));
        assert_eq!(lang("ru").autonym(), Some("Русский"));
        assert_eq!(lang("ar").autonym(), Some("العربية"));
        assert_eq!(lang("ar-EG").autonym(), Some("العربية"));
        assert_eq!(lang("sr").autonym(), Some("Српски"));
        assert_eq!(lang("sr-Latn").autonym(), Some("Srpski"));
        assert_eq!(lang("sr-Cyrl").autonym(), Some("Српски"));
        assert_eq!(lang("tlh").autonym(), None);
        let mut codes: Vec<&str> = AUTONYMS.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        assert_eq!(codes, AUTONYMS.iter().map(|(c, _)| *c).collect::<Vec<_>>());
    }
}
