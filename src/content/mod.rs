//! Load: walks `content/`, `templates/` and `static/` under the site root and returns
//! `Content`, every file parsed into its `…Source` struct (dates as dates, kinds as kinds).
//! Every problem in every file is collected; a file with errors is left out and listed as
//! `Unreadable`, so the stages after this one still run over the rest. Never writes anything.

pub mod bundle;
pub mod front_matter;
pub mod parse;
pub mod position;
mod values;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::diagnostics::{self, Diagnostic};
pub use parse::{
    BriefingSource, CitedSource, Failed, FileKind, PageSource, ProfileSource, Unreadable,
};
pub use position::{KeyAt, Keys, Position, Spanned};

/// The three kinds of named thing that can have a profile, plus tags (which cannot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    Person,
    Organisation,
    Place,
    Tag,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Person, Kind::Organisation, Kind::Place, Kind::Tag];

    /// The plural used in folders, URLs and front-matter keys: `people`, `organisations`, …
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Person => "people",
            Kind::Organisation => "organisations",
            Kind::Place => "places",
            Kind::Tag => "tags",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organisation => "organisation",
            Kind::Place => "place",
            Kind::Tag => "tag",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Everything the site is made from, as the editor wrote it.
#[derive(Debug, Default)]
pub struct Content {
    /// Sorted by path; drafts are left out unless asked for.
    pub briefings: Vec<BriefingSource>,
    /// Profiles of people, organisations and places, sorted by kind then path.
    pub profiles: Vec<ProfileSource>,
    pub pages: Vec<PageSource>,
    /// Files with errors, left out of the archive for this run, sorted by path.
    pub unreadable: Vec<Unreadable>,
    /// How many drafts were read (and checked) but left out.
    pub drafts: usize,
    /// `templates/*.html` of the site: (file name, text), sorted by name.
    pub templates: Vec<(String, String)>,
    /// Files under `static/`, relative to it, sorted.
    pub static_files: Vec<PathBuf>,
    /// Problems that stop a build: the errors of the files in `unreadable`, and others.
    pub errors: Vec<Diagnostic>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
}

impl Content {
    /// How many files of each kind were read, with or without errors.
    pub fn files_read(&self) -> FilesRead {
        let unreadable =
            |want: fn(FileKind) -> bool| self.unreadable.iter().filter(|u| want(u.kind)).count();
        FilesRead {
            briefings: self.briefings.len() + self.drafts + unreadable(|k| k == FileKind::Briefing),
            profiles: self.profiles.len() + unreadable(|k| matches!(k, FileKind::Profile(_))),
            pages: self.pages.len() + unreadable(|k| k == FileKind::Page),
            templates: self.templates.len(),
            static_files: self.static_files.len(),
        }
    }
}

/// How many files of each kind a site was read from (drafts and files with errors
/// included), for the summary line of `check`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilesRead {
    pub briefings: usize,
    pub profiles: usize,
    pub pages: usize,
    pub templates: usize,
    pub static_files: usize,
}

impl FilesRead {
    pub fn total(&self) -> usize {
        let FilesRead {
            briefings,
            profiles,
            pages,
            templates,
            static_files,
        } = *self;
        briefings + profiles + pages + templates + static_files
    }
}

/// What `load` should include.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    pub drafts: bool,
}

/// A file found under `content/`, and what it should hold.
enum Found {
    Briefing(PathBuf),
    Profile(Kind, PathBuf),
    Page(PathBuf),
}

/// What parsing each content file gave (files that did not parse aside), by path, with a
/// digest of the bytes it was parsed from: a load given the last load's `Parses` parses
/// again only the files whose bytes changed (serve keeps one between rebuilds, build
/// keeps one in `.sitroom-cache/`, #14).
/// A parse is kept without the file's text, which the next load reads anyway to know
/// whether the file changed. What a file's bundle holds is read anew by every load, so it
/// is not part of a parse.
#[derive(Default)]
pub struct Parses(HashMap<PathBuf, Kept>);

/// What reading one file gave.
type Parse = Result<Parsed, Failed>;

/// A file's parse, behind the digest of the bytes it was parsed from.
type Kept = (u64, Parsed);

/// The last load's parses, each to be taken once.
type Taken = HashMap<PathBuf, Mutex<Option<Kept>>>;

/// A file's parse, with its path and digest to keep it by (none when it did not read).
type Read = (Option<(PathBuf, u64)>, Parse);

impl Parses {
    /// The parses to store, by path, with their digests.
    pub fn stored(&self) -> Vec<(&PathBuf, u64, &Parsed)> {
        let mut stored: Vec<_> = self
            .0
            .iter()
            .map(|(path, (digest, parsed))| (path, *digest, parsed))
            .collect();
        stored.sort_by(|a, b| a.0.cmp(b.0));
        stored
    }

    /// Parses as `stored` gave them.
    pub fn from_stored(stored: Vec<(PathBuf, u64, Parsed)>) -> Parses {
        Parses(
            stored
                .into_iter()
                .map(|(path, digest, parsed)| (path, (digest, parsed)))
                .collect(),
        )
    }
}

/// Reads the whole site under `root`. Every problem in every file comes back in the
/// `Content`; the files they are in are listed in `unreadable`.
pub fn load(root: &Path, options: LoadOptions) -> Content {
    load_reusing(root, options, &mut Parses::default())
}

/// `load`, taking the parse of each file whose bytes are as `parses` saw them from there,
/// and leaving in `parses` this load's.
pub fn load_reusing(root: &Path, options: LoadOptions, parses: &mut Parses) -> Content {
    let mut problems = Vec::new();
    let (found, bundles) = walk_content(root, &mut problems);
    // Each kept parse is taken by the one thread reading its file: moved, not copied.
    let last: Taken = std::mem::take(&mut parses.0)
        .into_iter()
        .map(|(path, kept)| (path, Mutex::new(Some(kept))))
        .collect();
    // Each parse is copied for the next load on the thread that made it.
    let read: Vec<(Option<(PathBuf, Kept)>, Parse)> = found
        .par_iter()
        .map(|f| {
            let (key, mut result) = read_and_parse(root, f, &last);
            let kept = key.and_then(|(path, digest)| {
                without_text(&mut result).map(|parsed| (path, (digest, parsed)))
            });
            (kept, result)
        })
        .collect();
    let mut parsed = Vec::with_capacity(read.len());
    for (kept, result) in read {
        if let Some((path, kept)) = kept {
            parses.0.insert(path, kept);
        }
        parsed.push(result);
    }
    let bundles = read_bundles(root, bundles, &mut problems);
    let parsed = parsed.into_iter().map(|result| {
        result.map(|mut parsed| {
            if let Some((path, media)) = parsed.media_mut()
                && let Some(dir) = path.parent().filter(|_| bundle::is_index(path))
            {
                media.bundle = bundles.get(dir).cloned();
            }
            parsed
        })
    });

    let mut content = Content::default();
    for result in parsed {
        match result {
            Ok(Parsed::Briefing(b)) if b.draft && !options.drafts => content.drafts += 1,
            Ok(Parsed::Briefing(b)) => content.briefings.push(*b),
            Ok(Parsed::Profile(p)) => content.profiles.push(*p),
            Ok(Parsed::Page(p)) => content.pages.push(p),
            Err(failed) => {
                problems.extend(failed.problems);
                content.unreadable.push(*failed.unreadable);
            }
        }
    }
    content.templates = read_templates(root, &mut problems);
    content.static_files = list_static(root, &mut problems);
    let (errors, warnings): (Vec<_>, Vec<_>) = problems.into_iter().partition(|d| d.is_error());
    content.errors = errors;
    content.warnings = warnings;
    content
}

/// A copy of `parse` to keep, without the file's text (see `Parses`); a file that did not
/// parse is not kept, and is parsed again by the next load.
fn without_text(parse: &mut Parse) -> Option<Parsed> {
    let parsed = parse.as_mut().ok()?;
    let text = std::mem::take(parsed.text_mut());
    let copy = parsed.clone();
    *parsed.text_mut() = text;
    Some(copy)
}

/// One content file, parsed.
#[derive(Clone, Serialize, Deserialize)]
pub enum Parsed {
    Briefing(Box<BriefingSource>),
    Profile(Box<ProfileSource>),
    Page(PageSource),
}

impl Parsed {
    /// The file's whole text.
    fn text_mut(&mut self) -> &mut String {
        match self {
            Parsed::Briefing(b) => &mut b.text,
            Parsed::Profile(p) => &mut p.text,
            Parsed::Page(p) => &mut p.text,
        }
    }

    /// A briefing's or profile's path and media (a free page has none).
    fn media_mut(&mut self) -> Option<(&Path, &mut bundle::Media)> {
        match self {
            Parsed::Briefing(b) => Some((&b.path, &mut b.media)),
            Parsed::Profile(p) => Some((&p.path, &mut p.media)),
            Parsed::Page(_) => None,
        }
    }
}

/// Reads and parses one file, or takes its parse from `last` if its bytes are the same;
/// with the parse, the path and digest to keep it by (none for a file that did not read).
fn read_and_parse(root: &Path, found: &Found, last: &Taken) -> Read {
    let (path, _) = found.path_and_kind();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => return (None, Err(cannot_read(root, found, err))),
    };
    let digest = xxhash_rust::xxh3::xxh3_64(&bytes);
    let kept = last
        .get(path)
        .and_then(|kept| kept.lock().unwrap_or_else(|e| e.into_inner()).take());
    let parsed = match kept {
        Some((kept, mut parsed)) if kept == digest => match String::from_utf8(bytes) {
            Ok(text) => {
                *parsed.text_mut() = text;
                Ok(parsed)
            }
            Err(err) => parse_bytes(root, found, err.into_bytes()),
        },
        _ => parse_bytes(root, found, bytes),
    };
    (Some((path.clone(), digest)), parsed)
}

impl Found {
    fn path_and_kind(&self) -> (&PathBuf, FileKind) {
        match self {
            Found::Briefing(p) => (p, FileKind::Briefing),
            Found::Profile(kind, p) => (p, FileKind::Profile(*kind)),
            Found::Page(p) => (p, FileKind::Page),
        }
    }
}

/// A file that is there to read and is not in the archive for this run.
fn unreadable_file(root: &Path, found: &Found, problem: Diagnostic) -> Failed {
    let (path, kind) = found.path_and_kind();
    Failed {
        problems: vec![problem],
        unreadable: Box::new(Unreadable {
            slug: None,
            path: diagnostics::relative(root, path),
            kind,
            names: Vec::new(),
            text: String::new(),
            body_start: 0,
            body_line: 1,
        }),
    }
}

fn cannot_read(root: &Path, found: &Found, err: std::io::Error) -> Failed {
    let display = diagnostics::relative(root, found.path_and_kind().0);
    unreadable_file(
        root,
        found,
        Diagnostic::error(&display, format!("cannot read the file: {err}"))
            .with_help("check that the file exists and that you may read it"),
    )
}

/// Parses one file's bytes as what its folder says it holds.
fn parse_bytes(root: &Path, found: &Found, bytes: Vec<u8>) -> Result<Parsed, Failed> {
    let display = diagnostics::relative(root, found.path_and_kind().0);
    let text = String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&err.as_bytes()[..offset]);
        let line = valid.matches('\n').count() + 1;
        unreadable_file(
            root,
            found,
            Diagnostic::error(&display, "the file is not valid UTF-8 text")
                .at(line, 0)
                .with_help("save the file as UTF-8 in your editor"),
        )
    })?;

    match found {
        Found::Briefing(_) => {
            parse::read_briefing(text, display).map(|b| Parsed::Briefing(Box::new(b)))
        }
        Found::Profile(kind, _) => {
            parse::read_profile(*kind, text, display).map(|p| Parsed::Profile(Box::new(p)))
        }
        Found::Page(_) => parse::read_page(text, display).map(Parsed::Page),
    }
}

/// The files of each bundle: (bundle folder, its files), both relative to the site root.
type BundleFiles = BTreeMap<PathBuf, Vec<PathBuf>>;

/// Lists the Markdown files under `content/`, by what each folder holds, sorted by path,
/// and the files of each bundle (a folder with `index.md`).
fn walk_content(root: &Path, problems: &mut Vec<Diagnostic>) -> (Vec<Found>, BundleFiles) {
    let content = root.join("content");
    let mut found = Vec::new();
    let entries = walk(root, &content, problems);
    let bundle_dirs: std::collections::HashSet<&Path> = entries
        .iter()
        .filter(|e| bundle::is_index(e) && is_bundle_index(&content, e))
        .filter_map(|e| e.parent())
        .collect();
    let mut bundles = BundleFiles::new();
    for entry in &entries {
        let relative = entry.strip_prefix(&content).unwrap_or(entry);
        let display = diagnostics::relative(root, entry);
        let top = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("");
        if entry.extension().and_then(|e| e.to_str()) != Some("md") {
            if let Some(dir) = entry.parent().filter(|d| bundle_dirs.contains(d)) {
                bundles
                    .entry(diagnostics::relative(root, dir))
                    .or_default()
                    .push(display);
                continue;
            }
            problems.push(
                Diagnostic::warning(&display, "this file is not Markdown and is ignored")
                    .with_help(
                        "content files end in `.md`; to publish a file with a page, make the page a folder \
                         with an `index.md` and put the file beside it, or put it in `static/`",
                    ),
            );
            continue;
        }
        let entry = entry.clone();
        let flat = relative.components().count() == 2 || is_profile_bundle(relative);
        match top {
            "briefings" => found.push(Found::Briefing(entry)),
            "people" if flat => found.push(Found::Profile(Kind::Person, entry)),
            "organisations" if flat => found.push(Found::Profile(Kind::Organisation, entry)),
            "places" if flat => found.push(Found::Profile(Kind::Place, entry)),
            "pages" if flat => found.push(Found::Page(entry)),
            _ => problems.push(
                Diagnostic::warning(&display, "this file is in no known content folder and is ignored")
                    .with_help(
                        "briefings go under `content/briefings/`; profiles directly in `content/people/`, \
                         `content/organisations/` or `content/places/`; free pages in `content/pages/`",
                    ),
            ),
        }
    }
    (found, bundles)
}

/// Whether `path` (an `index.md` under `content`) makes its folder a bundle: a briefing's
/// folder anywhere under `briefings/`, or a profile's folder directly in `people/`,
/// `organisations/` or `places/`.
fn is_bundle_index(content: &Path, path: &Path) -> bool {
    let relative = path.strip_prefix(content).unwrap_or(path);
    let top = relative.components().next().map(|c| c.as_os_str());
    (top.is_some_and(|t| t == "briefings") && relative.components().count() >= 3)
        || is_profile_bundle(relative)
}

/// `people/<slug>/index.md` and the like, relative to `content/`.
fn is_profile_bundle(relative: &Path) -> bool {
    let top = relative.components().next().map(|c| c.as_os_str());
    relative.components().count() == 3
        && bundle::is_index(relative)
        && top.is_some_and(|t| t == "people" || t == "organisations" || t == "places")
}

/// Every bundle's files with the hash of their bytes, by bundle folder. A file that cannot
/// be read is an error.
fn read_bundles(
    root: &Path,
    bundles: BundleFiles,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<PathBuf, bundle::Bundle> {
    let mut read = BTreeMap::new();
    for (dir, files) in bundles {
        let hashed: Vec<Result<bundle::BundleFile, Diagnostic>> = files
            .par_iter()
            .map(|path| {
                let name = path.file_name().and_then(|n| n.to_str());
                let Some(name) = name else {
                    return Err(Diagnostic::error(
                        path,
                        "this file's name is not UTF-8 text, so it cannot be published",
                    )
                    .with_help("rename it with a name your editor shows correctly"));
                };
                let bytes = std::fs::read(root.join(path)).map_err(|err| {
                    Diagnostic::error(path, format!("cannot read the file: {err}"))
                        .with_help("check that you may read it")
                })?;
                Ok(bundle::BundleFile {
                    name: name.to_string(),
                    path: path.clone(),
                    hash: xxhash_rust::xxh3::xxh3_64(&bytes),
                })
            })
            .collect();
        let mut bundle = bundle::Bundle::default();
        for file in hashed {
            match file {
                Ok(file) => bundle.files.push(file),
                Err(problem) => problems.push(problem),
            }
        }
        read.insert(dir, bundle);
    }
    read
}

/// Every regular file below `dir`, sorted, skipping hidden files. Symbolic links are not
/// followed (a link could lead outside the site or loop) and each one gets a warning.
fn walk(root: &Path, dir: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(entry) if entry.path_is_symlink() => problems.push(
                Diagnostic::warning(
                    diagnostics::relative(root, entry.path()),
                    "symbolic link not followed",
                )
                .with_help("copy the file into the site instead of linking to it"),
            ),
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(|p| diagnostics::relative(root, p));
                problems.push(
                    Diagnostic::error(
                        path.unwrap_or_else(|| dir.to_path_buf()),
                        format!("cannot read: {err}"),
                    )
                    .with_help("check the folder's permissions"),
                );
            }
        }
    }
    files
}

/// The site's own `templates/*.html`, which replace the embedded defaults of the same name.
fn read_templates(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<(String, String)> {
    let dir = root.join("templates");
    let mut templates = Vec::new();
    for path in walk(root, &dir, problems) {
        let display = diagnostics::relative(root, &path);
        let Some(name) = path.strip_prefix(&dir).ok().and_then(|p| p.to_str()) else {
            continue;
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => templates.push((name.replace('\\', "/"), text)),
            Err(err) => problems.push(
                Diagnostic::error(display, format!("cannot read the template: {err}"))
                    .with_help("save templates as UTF-8 text that you may read"),
            ),
        }
    }
    templates
}

/// The files of `static/`. One whose name is not UTF-8 cannot be given a URL, and writing
/// it would fail late in `build`, so it is an error here, where `check` sees it too (#16).
fn list_static(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let dir = root.join("static");
    let mut files = Vec::new();
    for path in walk(root, &dir, problems) {
        let Ok(relative) = path.strip_prefix(&dir) else {
            continue;
        };
        if relative.to_str().is_none() {
            problems.push(
                Diagnostic::error(
                    diagnostics::relative(root, &path),
                    "this file's name is not UTF-8 text, so it cannot be published",
                )
                .with_help("rename it with a name your editor shows correctly"),
            );
            continue;
        }
        files.push(relative.to_path_buf());
    }
    files
}
