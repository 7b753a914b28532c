//! Dates in a language's conventions, from CLDR through ICU4X's compiled data: a day
//! (`16 травня 2025 р.`), a month as a heading (`травень 2025 р.`) and a year. The
//! formatters are made once per language and reused for every date of the build.
//!
//! Always the Gregorian calendar, whatever the locale's usual one: a briefing's date is
//! one day for every reader. Always Latin digits (0–9): see `format_locale`.

use icu_calendar::{Date as IcuDate, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{Y, YM, YMD};
use icu_locale::Locale;

use super::language::Language;

/// One language's date formatters.
#[derive(Debug)]
pub struct Dates {
    day: Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
    month: Option<FixedCalendarDateTimeFormatter<Gregorian, YM>>,
    year: Option<FixedCalendarDateTimeFormatter<Gregorian, Y>>,
}

impl Dates {
    /// ICU4X falls back along CLDR's parent locales (`uk-UA` → `uk` → root), so making a
    /// formatter fails only if its compiled data were missing; then the date is printed
    /// the ISO way rather than not at all.
    pub fn new(language: &Language) -> Dates {
        let locale = format_locale(language);
        let prefs = (&locale).into();
        Dates {
            day: FixedCalendarDateTimeFormatter::try_new(prefs, YMD::long()).ok(),
            month: FixedCalendarDateTimeFormatter::try_new(prefs, YM::long()).ok(),
            year: FixedCalendarDateTimeFormatter::try_new(prefs, Y::long()).ok(),
        }
    }

    /// A day: `16 May 2025`, `16 травня 2025 р.`, `16 мая 2025 г.`, `16 مايو 2025`.
    /// CLDR writes a narrow no-break space (U+202F) before `р.` and `г.`, so a line never
    /// breaks between the year and its abbreviation; it is kept.
    pub fn day(&self, date: jiff::civil::Date) -> String {
        match (&self.day, gregorian(date.year(), date.month(), date.day())) {
            (Some(formatter), Some(date)) => formatter.format(&date).to_string(),
            _ => date.to_string(),
        }
    }

    /// A month and its year as CLDR writes them standing alone (nominative in Ukrainian
    /// and Russian, lower-case as in running text): `May 2025`, `травень 2025 р.`.
    pub fn month(&self, year: i16, month: i8) -> String {
        match (&self.month, gregorian(year, month, 1)) {
            (Some(formatter), Some(date)) => formatter.format(&date).to_string(),
            _ => format!("{year:04}-{month:02}"),
        }
    }

    /// The month at the start of a heading, a list item or a table cell, where CLDR's
    /// `uiListOrMenu` context asks for a capital: `Травень 2025 р.`.
    pub fn month_heading(&self, year: i16, month: i8) -> String {
        capitalise(&self.month(year, month))
    }

    /// A year alone, as CLDR writes it with no month: `2025` in all four built-in languages.
    pub fn year(&self, year: i16) -> String {
        match (&self.year, gregorian(year, 1, 1)) {
            (Some(formatter), Some(date)) => formatter.format(&date).to_string(),
            _ => format!("{year:04}"),
        }
    }
}

/// The locale the formatters use for `language`.
///
/// - Latin digits everywhere (`-u-nu-latn`). CLDR's default for `ar` is Arabic-Indic
///   digits (١٦ مايو ٢٠٢٥), but every other number on a page (counts, page numbers, the
///   years of archive headings and URLs) is written 0–9, and one page should not mix two
///   sets of digits. Latin digits are also what the pan-Arab news sites (Al Jazeera,
///   Asharq Al-Awsat), Arabic Wikipedia and CLDR's own `ar-MA`, `ar-DZ`, `ar-TN` and
///   `ar-AE` use.
/// - `en` alone formats as `en-001`, international English: `16 May 2025`, the dates an
///   English archive has always shown. `en-US` still gets `May 16, 2025`.
fn format_locale(language: &Language) -> Locale {
    let code = match language.code() {
        "en" => "en-001",
        code => code,
    };
    format!("{code}-u-nu-latn")
        .parse::<Locale>()
        .unwrap_or_else(|_| Locale::from(language.id().clone()))
}

fn gregorian(year: i16, month: i8, day: i8) -> Option<IcuDate<Gregorian>> {
    let (month, day) = (u8::try_from(month).ok()?, u8::try_from(day).ok()?);
    IcuDate::try_new_gregorian(i32::from(year), month, day).ok()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(code: &str) -> Dates {
        Dates::new(&Language::parse(code).unwrap())
    }

    fn may16() -> jiff::civil::Date {
        jiff::civil::date(2025, 5, 16)
    }

    #[test]
    fn english_stays_as_it_was() {
        let en = dates("en");
        assert_eq!(en.day(may16()), "16 May 2025");
        assert_eq!(en.day(jiff::civil::date(2025, 12, 1)), "1 December 2025");
        assert_eq!(en.month(2025, 5), "May 2025");
        assert_eq!(en.month_heading(2025, 5), "May 2025");
        assert_eq!(en.year(2025), "2025");
        // The same as the `%-d %B %Y` the renderer used before languages.
        for (y, m, d) in [(2024, 1, 1), (2025, 2, 28), (1999, 9, 9), (2030, 11, 30)] {
            let date = jiff::civil::date(y, m, d);
            assert_eq!(en.day(date), date.strftime("%-d %B %Y").to_string());
            assert_eq!(en.month(y, m), date.strftime("%B %Y").to_string());
        }
    }

    #[test]
    fn ukrainian_russian_and_arabic_follow_cldr() {
        let uk = dates("uk");
        assert_eq!(uk.day(may16()), "16 травня 2025\u{202f}р.");
        assert_eq!(uk.month(2025, 5), "травень 2025\u{202f}р.");
        assert_eq!(uk.month_heading(2025, 5), "Травень 2025\u{202f}р.");
        assert_eq!(uk.year(2025), "2025");
        let ru = dates("ru");
        assert_eq!(ru.day(may16()), "16 мая 2025\u{202f}г.");
        assert_eq!(ru.month(2025, 5), "май 2025\u{202f}г.");
        assert_eq!(ru.month_heading(2025, 5), "Май 2025\u{202f}г.");
        assert_eq!(ru.year(2025), "2025");
        let ar = dates("ar");
        assert_eq!(ar.day(may16()), "16 مايو 2025");
        assert_eq!(ar.month(2025, 5), "مايو 2025");
        assert_eq!(ar.year(2025), "2025");
    }

    #[test]
    fn regions_and_other_languages_use_their_own_data() {
        assert_eq!(dates("en-US").day(may16()), "May 16, 2025");
        assert_eq!(dates("en-GB").day(may16()), "16 May 2025");
        assert_eq!(dates("uk-UA").day(may16()), "16 травня 2025\u{202f}р.");
        assert_eq!(dates("de").day(may16()), "16. Mai 2025");
        // CLDR's Levantine month names, and still Latin digits.
        assert_eq!(dates("ar-SY").month(2025, 5), "أيار 2025");
        // A language CLDR does not know falls back to the root locale, never to nothing.
        assert!(dates("tlh").day(may16()).contains("2025"));
    }

    #[test]
    fn formatting_is_deterministic() {
        let uk = dates("uk");
        assert_eq!(uk.day(may16()), uk.day(may16()));
        assert_eq!(dates("uk").day(may16()), uk.day(may16()));
    }
}
