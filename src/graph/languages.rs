//! Languages: the content split by the language each file is written in, one `Content`
//! per language of the site, each resolved on its own into that language's `Site`.
//!
//! A file `x.<code>.md` is the `<code>` translation of `x.md`. A translated briefing takes
//! its original's slug, so a briefing has one address in every language; one with no
//! original is a briefing of that language alone. Profiles are one entity across
//! languages: every language's content holds every profile, named as that language names
//! it (a translated profile, or `names:`), with its other names kept as hidden aliases so
//! a Ukrainian briefing may write `Володимир Зеленський` and an English one `Zelensky`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{BriefingSource, Content, Kind, ProfileSource, Spanned};
use crate::diagnostics::Diagnostic;
use crate::slug;

/// The content of the default language and of each other one, in `languages:` order.
pub struct Split {
    pub default: Content,
    pub others: Vec<Content>,
}

/// Splits `content` by language. A file in a language the site does not list is an error
/// naming it; a translation dated otherwise than its original is a warning.
pub fn split(content: Content, config: &Config) -> Split {
    let codes: Vec<&str> = config.languages.iter().map(|l| l.language.code()).collect();
    let Content {
        briefings,
        profiles,
        pages,
        unreadable,
        drafts,
        templates,
        static_files,
        mut errors,
        mut warnings,
    } = content;
    let mut problems = Vec::new();

    let (default_briefings, mut translated_briefings) = by_language(
        briefings,
        &codes,
        config,
        |b| (&b.language, &b.path),
        &mut problems,
    );
    let originals: HashMap<PathBuf, (&str, jiff::civil::Date)> = default_briefings
        .iter()
        .map(|b| (b.path.clone(), (b.slug.as_str(), b.date)))
        .collect();
    for briefing in translated_briefings.iter_mut().flatten() {
        match_original(briefing, &originals, &mut problems);
    }

    let (default_profiles, translated_profiles) = by_language(
        profiles,
        &codes,
        config,
        |p| (&p.language, &p.path),
        &mut problems,
    );
    for profile in &default_profiles {
        check_names(profile, config, &codes, &mut problems);
    }
    let (default_pages, translated_pages) = by_language(
        pages,
        &codes,
        config,
        |p| (&p.language, &p.path),
        &mut problems,
    );

    let others = codes
        .iter()
        .zip(translated_briefings)
        .zip(translated_profiles.into_iter().zip(translated_pages))
        .map(|((code, briefings), (own_profiles, pages))| Content {
            profiles: profiles_in(
                code,
                &config.language,
                &default_profiles,
                own_profiles,
                &briefings,
            ),
            briefings,
            pages,
            unreadable: unreadable.clone(),
            drafts: 0,
            templates: templates.clone(),
            static_files: static_files.clone(),
            errors: Vec::new(),
            warnings: Vec::new(),
        })
        .collect();
    let (new_errors, new_warnings): (Vec<_>, Vec<_>) =
        problems.into_iter().partition(Diagnostic::is_error);
    errors.extend(new_errors);
    warnings.extend(new_warnings);
    let default = Content {
        briefings: default_briefings,
        profiles: default_profiles,
        pages: default_pages,
        unreadable,
        drafts,
        templates,
        static_files,
        errors,
        warnings,
    };
    Split { default, others }
}

/// The files in the default language, and those of each listed language (in `codes`
/// order). A file in a language not listed is left out with an error.
fn by_language<T>(
    files: Vec<T>,
    codes: &[&str],
    config: &Config,
    language: impl Fn(&T) -> (&Option<String>, &PathBuf),
    problems: &mut Vec<Diagnostic>,
) -> (Vec<T>, Vec<Vec<T>>) {
    let mut default = Vec::new();
    let mut others: Vec<Vec<T>> = codes.iter().map(|_| Vec::new()).collect();
    for file in files {
        let (code, path) = language(&file);
        match code.as_deref() {
            None => default.push(file),
            Some(code) => match codes.iter().position(|c| *c == code) {
                Some(i) => others[i].push(file),
                None if code == config.language => problems.push(default_suffix(path, code)),
                None => problems.push(unknown_language(path, code)),
            },
        }
    }
    (default, others)
}

fn unknown_language(path: &Path, code: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        format!("this file is written in `{code}`, which is not one of the site's languages"),
    )
    .with_help(format!(
        "add `{code}: {{ title: … }}` to `languages:` in `site.yaml`, or rename the file without `.{code}`"
    ))
}

/// `talks.en.md` on a site whose default language is `en`.
fn default_suffix(path: &Path, code: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        format!("`{code}` is the site's default language, which files are in without a suffix"),
    )
    .with_help(format!("rename the file without `.{code}`"))
}

/// The default-language file a translation translates: the same path without `.<code>`.
fn original_path(path: &Path, code: &str) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let original = name.replacen(&format!(".{code}.md"), ".md", 1);
    (original != name).then(|| path.with_file_name(original))
}

/// Gives a translated briefing its original's slug, and warns when the two dates differ.
fn match_original(
    briefing: &mut BriefingSource,
    originals: &HashMap<PathBuf, (&str, jiff::civil::Date)>,
    problems: &mut Vec<Diagnostic>,
) {
    let Some(code) = briefing.language.as_deref() else {
        return;
    };
    let Some((slug, date)) = original_path(&briefing.path, code).and_then(|p| originals.get(&p))
    else {
        // A briefing of this language alone: its slug must not be another's, or the two
        // would pass for translations of each other and share a folder.
        if let Some((path, _)) = originals.iter().find(|(_, (s, _))| *s == briefing.slug) {
            problems.push(
                Diagnostic::error(
                    &briefing.path,
                    format!(
                        "this briefing has no original, but its slug `{}` is that of `{}`",
                        briefing.slug,
                        path.display()
                    ),
                )
                .with_help(format!(
                    "if it translates that briefing, name it after it (`{}`); otherwise give it its own `slug:`",
                    path.with_extension(format!("{code}.md")).display()
                )),
            );
        }
        return;
    };
    briefing.slug = slug.to_string();
    if briefing.date != *date {
        let at = briefing.keys.value("date").unwrap_or_default();
        problems.push(
            Diagnostic::warning(
                &briefing.path,
                format!(
                    "this translation is dated {}, its original {date}",
                    briefing.date
                ),
            )
            .at_line_of(&briefing.text, at.line, at.column)
            .with_help(
                "give the translation its original's `date`, so both are listed on the same day",
            ),
        );
    }
}

/// A profile's `names:` may name only the site's languages.
fn check_names(
    profile: &ProfileSource,
    config: &Config,
    codes: &[&str],
    problems: &mut Vec<Diagnostic>,
) {
    for (code, name) in &profile.names {
        if code != &config.language && !codes.contains(&code.as_str()) {
            let at = name.at;
            problems.push(
                Diagnostic::error(
                    &profile.path,
                    format!(
                        "`names` gives a name in `{code}`, which is not one of the site's languages"
                    ),
                )
                .at_line_of(&profile.text, at.line, at.column)
                .with_help(format!(
                    "add `{code}` to `languages:` in `site.yaml`, or remove this name"
                )),
            );
        }
    }
}

/// Every (kind, name key) the briefings list.
fn named_keys(briefings: &[BriefingSource]) -> std::collections::HashSet<(Kind, String)> {
    briefings
        .iter()
        .flat_map(|b| {
            Kind::ALL.into_iter().flat_map(move |kind| {
                b.names[kind.index()]
                    .iter()
                    .map(move |n| (kind, slug::name_key(n)))
            })
        })
        .collect()
}

/// The profiles of the language `code`, as it shows them: its translated profile where
/// there is one (name, role and body; the other keys from the original), else its
/// `names:` entry, else as written. The names it has in other languages stay as hidden
/// aliases. A profile the language neither names nor translates, and none of its
/// briefings names, is left out: its page would list nothing and say nothing new.
fn profiles_in(
    code: &str,
    default_code: &str,
    originals: &[ProfileSource],
    own: Vec<ProfileSource>,
    briefings: &[BriefingSource],
) -> Vec<ProfileSource> {
    let named = named_keys(briefings);
    let is_named = |p: &ProfileSource| {
        std::iter::once(&p.name)
            .chain(&p.aliases)
            .chain(p.names.iter().map(|(_, n)| n))
            .any(|n| named.contains(&(p.kind, slug::name_key(n))))
    };
    let has_own = |p: &ProfileSource| {
        own.iter().any(|t| (t.kind, &t.slug) == (p.kind, &p.slug))
            || p.names.iter().any(|(c, _)| c == code)
    };
    let mut kept: Vec<bool> = originals
        .iter()
        .map(|p| has_own(p) || is_named(p))
        .collect();
    // The organisations a kept person lists, so their affiliations still find them.
    let affiliated: std::collections::HashSet<String> = originals
        .iter()
        .zip(&kept)
        .filter(|(_, kept)| **kept)
        .flat_map(|(p, _)| p.affiliations.iter().map(|a| slug::name_key(a)))
        .collect();
    for (profile, kept) in originals.iter().zip(&mut kept) {
        *kept = *kept
            || (profile.kind == Kind::Organisation
                && std::iter::once(&profile.name)
                    .chain(&profile.aliases)
                    .any(|n| affiliated.contains(&slug::name_key(n))));
    }
    let originals: Vec<&ProfileSource> = originals
        .iter()
        .zip(kept)
        .filter_map(|(p, kept)| kept.then_some(p))
        .collect();
    let mut translated: HashMap<(Kind, String), ProfileSource> = own
        .into_iter()
        .map(|p| ((p.kind, p.slug.clone()), p))
        .collect();
    let mut all: Vec<ProfileSource> = originals
        .into_iter()
        .map(|original| {
            let mut profile = original.clone();
            let mut names: Vec<(String, Spanned<String>)> = original
                .names
                .iter()
                .filter(|(c, _)| c != code)
                .cloned()
                .collect();
            names.push((default_code.to_string(), original.name.clone()));
            if let Some(own) = translated.remove(&(original.kind, original.slug.clone())) {
                profile.name = own.name;
                profile.role = own.role.or(profile.role);
                profile.path = own.path;
                profile.text = own.text;
                profile.body_start = own.body_start;
                profile.body_line = own.body_line;
                profile.keys = own.keys;
                profile.aliases.extend(own.aliases);
            } else if let Some((_, name)) = original.names.iter().find(|(c, _)| c == code) {
                profile.name = name.clone();
            }
            names.retain(|(_, n)| n.value != profile.name.value);
            // An alias spelled as the name it now has would read as a second name.
            let shown = profile.name.value.clone();
            profile.aliases.retain(|alias| alias.value != shown);
            profile.names = names;
            profile.language = Some(code.to_string());
            profile
        })
        .collect();
    // A profile written only in this language.
    let mut rest: Vec<ProfileSource> = translated.into_values().collect();
    rest.sort_by(|a, b| a.path.cmp(&b.path));
    all.extend(rest);
    all.sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
    all
}
