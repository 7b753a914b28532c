//! The sources serve keeps between rebuilds: every parsed file by path, so an edit re-reads
//! one file instead of the whole archive. Reads files; never writes.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::config::{self, Config};
use crate::content::{
    self, BriefingSource, Content, LoadOptions, PageSource, Parsed, ProfileSource,
};
use crate::diagnostics::{self, Diagnostic};
use crate::{Error, serve::ServeOptions};

/// What a burst of file events asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Only files serve does not read (hidden files, editor backups, the built site).
    Nothing,
    /// Markdown files under `content/`, edited, added or removed.
    Content(Vec<PathBuf>),
    /// `site.yaml`, a template, a static file or a content folder: read everything again.
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
                Some("site.yaml" | "templates" | "static") => return Change::Everything,
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

/// Editors write swap files (`.x.swp`), backups (`x~`) and probes (vim's `4913`).
fn is_hidden_or_backup(relative: &Path) -> bool {
    relative.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || name.ends_with('~') || name == "4913"
    })
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
        let config = config::load(&build.root);
        let content = content::load(
            &build.root,
            LoadOptions {
                drafts: build.drafts,
            },
        );
        let (config, content) = match (config, content) {
            (Ok(config), Ok(content)) => (config, content),
            (config, content) => {
                let mut all = config.err().unwrap_or_default();
                all.extend(content.err().unwrap_or_default());
                return Err(Error::Content(all));
            }
        };
        let Content {
            briefings,
            profiles,
            pages,
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

    /// Reads the changed content files again. A path that is gone, or is a folder, first
    /// takes every source below it out (a folder moved or removed takes its files along);
    /// a folder's Markdown files are then read again.
    pub fn update(&mut self, root: &Path, paths: &[PathBuf], drafts: bool) {
        for path in paths {
            if path.is_file() {
                self.read(root, path, drafts);
                continue;
            }
            let gone = diagnostics::relative(root, path);
            self.briefings.retain(|key, _| !key.starts_with(&gone));
            self.profiles.retain(|key, _| !key.starts_with(&gone));
            self.pages.retain(|key, _| !key.starts_with(&gone));
            self.errors.retain(|key, _| !key.starts_with(&gone));
            if path.is_dir() {
                let files = walkdir::WalkDir::new(path)
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file());
                for entry in files {
                    self.read(root, entry.path(), drafts);
                }
            }
        }
    }

    /// Reads one file again, replacing what was read from it before.
    fn read(&mut self, root: &Path, path: &Path, drafts: bool) {
        let key = diagnostics::relative(root, path);
        if is_hidden_or_backup(&key) {
            return;
        }
        self.briefings.remove(&key);
        self.profiles.remove(&key);
        self.pages.remove(&key);
        self.errors.remove(&key);
        match content::load_file(root, path) {
            None => {}
            Some(Ok(Parsed::Briefing(b))) if b.draft && !drafts => {}
            Some(Ok(Parsed::Briefing(b))) => {
                self.briefings.insert(key, *b);
            }
            Some(Ok(Parsed::Profile(p))) => {
                self.profiles.insert(key, *p);
            }
            Some(Ok(Parsed::Page(p))) => {
                self.pages.insert(key, p);
            }
            Some(Err(problems)) => {
                self.errors.insert(key, problems);
            }
        }
    }

    /// The briefing last read from each of `paths`, if any.
    pub fn briefings_at(&self, root: &Path, paths: &[PathBuf]) -> Vec<Option<BriefingSource>> {
        paths
            .iter()
            .map(|p| self.briefings.get(&diagnostics::relative(root, p)).cloned())
            .collect()
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
        assert_eq!(of(&["/site/content/briefings/a.md~"]), Change::Nothing);
        assert_eq!(
            of(&["/site/content/briefings/sedX1"]),
            Change::Content(vec![PathBuf::from("/site/content/briefings/sedX1")])
        );
    }
}
