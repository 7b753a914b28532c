//! The names of the theme's words. `words/en.yaml` holds their English text and says what
//! each one replaces; this list lets Rust code name a word without a typo surviving the
//! compiler. A test keeps the two in step: every key here is in every built-in table.

/// Declares `Key` with one variant per word and `Key::ALL` in the tables' order.
macro_rules! keys {
    ($($variant:ident = $name:literal,)*) => {
        /// One of the theme's words.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Key {
            $($variant,)*
        }

        impl Key {
            /// Every key, in the order of `words/en.yaml`.
            pub const ALL: &'static [Key] = &[$(Key::$variant,)*];

            /// The key as the tables write it: `briefing_count`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Key::$variant => $name,)*
                }
            }
        }
    };
}

keys! {
    LanguageName = "language_name",
    SkipToContent = "skip_to_content",
    NavLabel = "nav_label",
    Briefings = "briefings",
    People = "people",
    Organisations = "organisations",
    Places = "places",
    Tags = "tags",
    Archive = "archive",
    Search = "search",
    Feed = "feed",
    Comma = "comma",
    Translations = "translations",
    TitlePage = "title_page",
    PageN = "page_n",
    PageOf = "page_of",
    PaginationLabel = "pagination_label",
    PagerPage = "pager_page",
    PagerNewer = "pager_newer",
    PagerOlder = "pager_older",
    PagerPrevious = "pager_previous",
    PagerNext = "pager_next",
    LatestBriefings = "latest_briefings",
    NoBriefingsYet = "no_briefings_yet",
    Updated = "updated",
    Byline = "byline",
    ListAnd = "list_and",
    NamedInBriefing = "named_in_briefing",
    Sources = "sources",
    RelatedBriefings = "related_briefings",
    PrevnextLabel = "prevnext_label",
    OlderBriefing = "older_briefing",
    NewerBriefing = "newer_briefing",
    BrowseByDate = "browse_by_date",
    LettersLabel = "letters_label",
    NoneYet = "none_yet",
    IndexHintEntry = "index_hint_entry",
    IndexHintTag = "index_hint_tag",
    IndexHintStub = "index_hint_stub",
    IndexDescriptionPeople = "index_description_people",
    IndexDescriptionOrganisations = "index_description_organisations",
    IndexDescriptionPlaces = "index_description_places",
    IndexDescriptionTags = "index_description_tags",
    NoProfilePerson = "no_profile_person",
    NoProfileOrganisation = "no_profile_organisation",
    NoProfilePlace = "no_profile_place",
    Role = "role",
    Country = "country",
    AlsoKnownAs = "also_known_as",
    Affiliations = "affiliations",
    Members = "members",
    NamedIn = "named_in",
    UsedIn = "used_in",
    BriefingCount = "briefing_count",
    FirstNamed = "first_named",
    LastNamed = "last_named",
    Wikidata = "wikidata",
    OnWikidata = "on_wikidata",
    AppearsMostWith = "appears_most_with",
    WithHint = "with_hint",
    NamedOverTime = "named_over_time",
    ActivityTable = "activity_table",
    BriefingsNaming = "briefings_naming",
    NoBriefingsNaming = "no_briefings_naming",
    SearchNaming = "search_naming",
    FeedNaming = "feed_naming",
    EntityDescription = "entity_description",
    EntityDescriptionRole = "entity_description_role",
    WholeYear = "whole_year",
    WholeArchive = "whole_archive",
    BriefingsPerMonth = "briefings_per_month",
    BriefingsInYear = "briefings_in_year",
    NoBriefingsThisMonth = "no_briefings_this_month",
    ArchiveYear = "archive_year",
    ArchiveMonth = "archive_month",
    ArchiveDescription = "archive_description",
    ChartMonth = "chart_month",
    ChartBriefings = "chart_briefings",
    ChartOneMonth = "chart_one_month",
    ChartMonths = "chart_months",
    ChartNamingOneMonth = "chart_naming_one_month",
    ChartNamingMonths = "chart_naming_months",
    SearchHeading = "search_heading",
    SearchLabel = "search_label",
    SearchButton = "search_button",
    SearchFilters = "search_filters",
    FilterPerson = "filter_person",
    FilterOrganisation = "filter_organisation",
    FilterPlace = "filter_place",
    FilterTag = "filter_tag",
    FilterYear = "filter_year",
    AnyPerson = "any_person",
    AnyOrganisation = "any_organisation",
    AnyPlace = "any_place",
    AnyTag = "any_tag",
    AnyYear = "any_year",
    FilterMonth = "filter_month",
    AnyMonth = "any_month",
    SearchNoscript = "search_noscript",
    SearchNoscriptNames = "search_noscript_names",
    SearchNoscriptPeople = "search_noscript_people",
    SearchNoscriptOrganisations = "search_noscript_organisations",
    SearchNoscriptPlaces = "search_noscript_places",
    SearchNoscriptTags = "search_noscript_tags",
    SearchNoscriptArchive = "search_noscript_archive",
    SearchPrompt = "search_prompt",
    SearchSearching = "search_searching",
    SearchFailed = "search_failed",
    SearchUnavailable = "search_unavailable",
    SearchNoMatch = "search_no_match",
    SearchMatches = "search_matches",
    SearchMore = "search_more",
    SearchProfiles = "search_profiles",
    SearchNames = "search_names",
    SearchQuote = "search_quote",
    SearchFixed = "search_fixed",
    SearchSome = "search_some",
    SearchPhrases = "search_phrases",
    SearchPhrasesNone = "search_phrases_none",
    SearchSpelling = "search_spelling",
    SearchCheckMore = "search_check_more",
    SearchTooCommon = "search_too_common",
    SearchTooShort = "search_too_short",
    SearchLetter = "search_letter",
    NotFound = "not_found",
    NotFoundLede = "not_found_lede",
    NotFoundLatest = "not_found_latest",
    NotFoundSearch = "not_found_search",
    NotFoundBrowse = "not_found_browse",
    NotFoundPeople = "not_found_people",
    NotFoundOrganisations = "not_found_organisations",
    NotFoundPlaces = "not_found_places",
    NotFoundTags = "not_found_tags",
    NotFoundArchive = "not_found_archive",
    MapOf = "map_of",
    MapOfBriefing = "map_of_briefing",
    MapOfAllPlaces = "map_of_all_places",
}

impl Key {
    /// The key a table's name stands for, if any.
    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.iter().copied().find(|key| key.name() == name)
    }

    /// Where this key's text sits in a table's list of entries.
    pub(super) fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for (index, &key) in Key::ALL.iter().enumerate() {
            assert_eq!(key.index(), index);
            assert_eq!(Key::from_name(key.name()), Some(key));
        }
        let mut names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Key::ALL.len());
        assert_eq!(Key::from_name("organizations"), None);
    }
}
