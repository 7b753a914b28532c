//! The sources serve keeps between rebuilds: every parsed file by path, so an edit re-reads
//! one file instead of the whole archive. Reads files; never writes.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::config::Config;
use crate::content::{self, BriefingSource, Content, PageSource, Parsed, ProfileSource};
use crate::diagnostics::{self, Diagnostic};
use crate::{Error, serve::ServeOptions};

/// What a burst of file events asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Only files serve does not read (hidden files, editor backups, the built site).
    Nothing,
    /// Markdown files under `content/`, edited, added or removed.
    Content(Vec<PathBuf>),
    /// `site.yaml`, a template, a static file, a word table (`i18n/`) or a content folder:
    /// read everything again. Words reach nearly every page, so all are rendered again.
    Everything,
}

impl Change {
    /// Sorts the changed `paths` (absolute, below `root`) into what to read again.
    pub fn of(root: &Path, paths: Vec<PathBuf>) -> Change {
        let mut content = Vec::new();
        for path in paths {
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            if is_hidden_or_backup(relative) {
                continue;
            }
            let top = relative.components().next().map(Component::as_os_str);
            match top.and_then(|t| t.to_str()) {
                Some("site.yaml" | "templates" | "static" | "i18n") => return Change::Everything,
                // A bundle's file (an image beside `index.md`): its page and variants (#13).
                Some("content") if is_bundle_file(&path) => return Change::Everything,
                Some("content") => content.push(path),
                _ => {}
            }
        }
        content.sort();
        content.dedup();
        if content.is_empty() {
            Change::Nothing
        } else {
            Change::Content(content)
        }
    }
}

/// A file other than Markdown in a folder that holds an `index.md` (or only a
/// translation of one, `index.uk.md`).
fn is_bundle_file(path: &Path) -> bool {
    let has_index = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .filter_map(Result::ok)
                .any(|e| crate::content::bundle::is_index(&e.path()))
        })
    };
    path.extension().is_none_or(|e| e != "md") && path.parent().is_some_and(has_index)
}

/// Editors write swap files (`.x.swp`), backups (`x~`) and probes (vim's `4913`).
fn is_hidden_or_backup(relative: &Path) -> bool {
    relative.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || name.ends_with('~') || name == "4913"
    })
}

/// What an update changed.
#[derive(Default)]
pub struct Updated {
    /// Each briefing read again or removed: before and after (`None` when absent).
    pub briefings: Vec<(Option<BriefingSource>, Option<BriefingSource>)>,
    /// Whether a profile or free page was added, changed or removed.
    pub others: bool,
}

/// Every source of the site as last read, keyed by path relative to the root.
pub struct Sources {
    pub config: Config,
    briefings: BTreeMap<PathBuf, BriefingSource>,
    profiles: BTreeMap<PathBuf, ProfileSource>,
    pages: BTreeMap<PathBuf, PageSource>,
    templates: Vec<(String, String)>,
    static_files: Vec<PathBuf>,
    warnings: Vec<Diagnostic>,
    /// Files whose last read failed, with why.
    errors: BTreeMap<PathBuf, Vec<Diagnostic>>,
}

impl Sources {
    /// Reads the whole site, as `build` does.
    pub fn load(options: &ServeOptions) -> Result<Sources, Error> {
        let build = crate::BuildOptions {
            drafts: options.drafts,
            ..crate::BuildOptions::new(&options.root)
        };
        let (config, content) = crate::load_inputs(&build)?;
        let Content {
            briefings,
            profiles,
            pages,
            // `load_inputs` fails when there are any.
            unreadable: _,
            errors: _,
            drafts: _,
            templates,
            static_files,
            warnings,
        } = content;
        Ok(Sources {
            config,
            briefings: briefings.into_iter().map(|b| (b.path.clone(), b)).collect(),
            profiles: profiles.into_iter().map(|p| (p.path.clone(), p)).collect(),
            pages: pages.into_iter().map(|p| (p.path.clone(), p)).collect(),
            templates,
            static_files,
            warnings,
            errors: BTreeMap::new(),
        })
    }

    /// Reads the changed content files again and says what changed. A path that is gone,
    /// or is a folder, first takes every source below it out (a folder moved or removed
    /// takes its files along); a folder's Markdown files are then read again.
    pub fn update(&mut self, root: &Path, paths: &[PathBuf], drafts: bool) -> Updated {
        let mut updated = Updated::default();
        for path in paths {
            if path.is_file() {
                self.read(root, path, drafts, &mut updated);
                continue;
            }
            let gone = diagnostics::relative(root, path);
            let below = |key: &PathBuf| key.starts_with(&gone);
            let removed: Vec<PathBuf> = self
                .briefings
                .keys()
                .filter(|k| below(k))
                .cloned()
                .collect();
            for key in removed {
                updated.briefings.push((self.briefings.remove(&key), None));
            }
            let (profiles, pages) = (self.profiles.len(), self.pages.len());
            self.profiles.retain(|key, _| !below(key));
            self.pages.retain(|key, _| !below(key));
            self.errors.retain(|key, _| !below(key));
            updated.others |= profiles != self.profiles.len() || pages != self.pages.len();
            if path.is_dir() {
                let files = walkdir::WalkDir::new(path)
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file());
                for entry in files {
                    self.read(root, entry.path(), drafts, &mut updated);
                }
            }
        }
        updated
    }

    /// Reads one file again, replacing what was read from it before.
    fn read(&mut self, root: &Path, path: &Path, drafts: bool, updated: &mut Updated) {
        let key = diagnostics::relative(root, path);
        if is_hidden_or_backup(&key) {
            return;
        }
        let before = self.briefings.remove(&key);
        let was_other = self.profiles.remove(&key).is_some() | self.pages.remove(&key).is_some();
        self.errors.remove(&key);
        let mut after = None;
        match content::load_file(root, path) {
            None => {}
            Some(Ok(Parsed::Briefing(b))) if b.draft && !drafts => {}
            Some(Ok(Parsed::Briefing(b))) => {
                after = Some((*b).clone());
                self.briefings.insert(key, *b);
            }
            Some(Ok(Parsed::Profile(p))) => {
                updated.others = true;
                self.profiles.insert(key, *p);
            }
            Some(Ok(Parsed::Page(p))) => {
                updated.others = true;
                self.pages.insert(key, p);
            }
            Some(Err(problems)) => {
                self.errors.insert(key, problems);
            }
        }
        updated.others |= was_other;
        if before.is_some() || after.is_some() {
            updated.briefings.push((before, after));
        }
    }

    /// The problems of files that could not be read, all together.
    pub fn check(&self) -> Result<(), Vec<Diagnostic>> {
        if self.errors.is_empty() {
            return Ok(());
        }
        let mut all: Vec<Diagnostic> = self.errors.values().flatten().cloned().collect();
        diagnostics::sort(&mut all);
        Err(all)
    }

    /// The content as `content::load` would return it, for `graph::resolve` (which takes
    /// it by value, hence the copies).
    pub fn content(&self) -> Content {
        Content {
            briefings: self.briefings.values().cloned().collect(),
            profiles: self.profiles.values().cloned().collect(),
            pages: self.pages.values().cloned().collect(),
            unreadable: Vec::new(),
            drafts: 0,
            errors: Vec::new(),
            templates: self.templates.clone(),
            static_files: self.static_files.clone(),
            warnings: self.warnings.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_sorted_by_what_they_touch() {
        let root = Path::new("/site");
        let of = |paths: &[&str]| Change::of(root, paths.iter().map(PathBuf::from).collect());
        assert_eq!(
            of(&["/site/content/.a.md.swp", "/site/public/x.html"]),
            Change::Nothing
        );
        assert_eq!(
            of(&[
                "/site/content/briefings/a.md",
                "/site/content/briefings/a.md"
            ]),
            Change::Content(vec![PathBuf::from("/site/content/briefings/a.md")])
        );
        assert_eq!(
            of(&["/site/content/briefings/a.md", "/site/site.yaml"]),
            Change::Everything
        );
        assert_eq!(of(&["/site/templates/base.html"]), Change::Everything);
        assert_eq!(of(&["/site/i18n/uk.yaml"]), Change::Everything);
        assert_eq!(of(&["/site/content/briefings/a.md~"]), Change::Nothing);
        assert_eq!(
            of(&["/site/content/briefings/sedX1"]),
            Change::Content(vec![PathBuf::from("/site/content/briefings/sedX1")])
        );
    }
}
