//! The build as a function of its inputs (#14), for `build` and `serve` alike: `prepare`
//! (load, resolve, media) and `render` (into a `Sink`: a build's staging folder, or serve's
//! memory). What a run read and made is recorded, so that a build whose inputs are the
//! same as the last successful one's, into the folder that build left untouched, does
//! nothing but say so again.
//!
//! ```text
//! inputs::scan (names, sizes, times)    ─┐
//! output::Snapshot (the folder, by stat) ─┴→ the same as the stamp? → the kept report
//! ```
//!
//! A run with other inputs still reuses what the last one kept:
//! - `Reuse`: each content file's parse, by the digest of its bytes, and what resolve
//!   derived from parts that did not change (`graph::Derived`);
//! - the output and spare folders, if by stat they are as recorded, trusted to hold what
//!   their manifests list (no file is read back);
//! - the resolved site's digests (`edits::Record`), which tell whether only what
//!   briefings say changed, and which, and its outline (`edits::Outline`), which tells
//!   whether only whom they name changed: then only the pages the edit reaches are
//!   rendered (`render`), every other page kept. A site of several languages renders
//!   every page;
//! - the search index's analysis (`render::search::Kept`: every word's postings and every
//!   mention, with what each briefing says), behind the binary and the site's shape: a
//!   site of the same shape reads again only the briefings whose words changed
//!   (`search_memory`).
//!
//! A build keeps them in `<root>/.sitroom-cache/build-v1/`, one record per output folder
//! and options (`KEY.json`, `KEY.search`, `KEY.reuse`); serve keeps them in memory
//! (`serve::Session`). The record is invalidated by any change of an input file (name,
//! size, time, or bytes when it is recent), the binary, the options, or any file of the
//! output folder; the rest are valid for the binary that kept them, each part by the
//! digest of its own inputs. A record that does not read is deleted and never trusted.

pub mod edits;
pub mod inputs;
pub mod stamp;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::content::Parses;
use crate::diagnostics::Diagnostic;
use crate::media::cache::CACHE_DIR;
use crate::media::publish::Published;
use crate::model::{BriefingId, Site};
use crate::output::{Snapshot, Snapshots, Staging};
use crate::render::search::{Kept, Memory};
use crate::render::{Renderer, Route};
use crate::{BuildOptions, Error, Report};
use edits::{Outline, Record};
use stamp::{Folder, Stamp, Warning};

/// The last build's record for these options, and this build's inputs.
pub struct Previous {
    path: PathBuf,
    inputs: Option<inputs::Scan>,
    kept: Option<Stamp>,
}

impl Previous {
    /// Scans the inputs and reads the last record; call before anything is read, so that
    /// an edit made while the build runs is seen by the next one.
    pub fn scan(options: &BuildOptions) -> Previous {
        let out = crate::output::absolute(&options.out_dir()).unwrap_or_else(|_| options.out_dir());
        let key = xxhash_rust::xxh3::xxh3_64(
            format!(
                "{}\0{:?}\0{}",
                out.display(),
                options.base_url,
                options.drafts
            )
            .as_bytes(),
        );
        let path = stamp::path(&options.root.join(CACHE_DIR), key);
        let kept = stamp::read(&path);
        let inputs = inputs::scan(options, kept.as_ref().map(|k| k.cutoff));
        Previous { path, inputs, kept }
    }

    /// The last build's report again, if it read the very same inputs and the output is
    /// as it left it; `None` when there is anything to do.
    pub fn replay(
        &self,
        options: &BuildOptions,
        started: Instant,
    ) -> Result<Option<Report>, Error> {
        let (Some(inputs), Some(kept)) = (self.inputs, &self.kept) else {
            return Ok(None);
        };
        let Some(live) = kept.live.filter(|_| kept.inputs == inputs.compare.all) else {
            return Ok(None);
        };
        let Some(counts) = stamp::counts_replayed(&kept.counts) else {
            return Ok(None);
        };
        let out = options.out_dir();
        if Snapshot::take(&options.root, &out)? != Some(live.replayed()) {
            return Ok(None);
        }
        Ok(Some(Report {
            counts,
            files: kept.files,
            warnings: kept.warnings.iter().map(Warning::replayed).collect(),
            elapsed: started.elapsed(),
            out: Some(out),
            unchanged: true,
            rendered: None,
            encoded_images: Vec::new(),
        }))
    }

    /// The briefings whose words alone changed since the last build (`edits::touched`),
    /// if nothing but Markdown content changed and the last build recorded its site.
    pub fn touched(&self, site: &Record) -> Option<Vec<(BriefingId, bool)>> {
        edits::touched(self.last_site()?, site)
    }

    /// The last build's site as recorded, if nothing but Markdown content changed since.
    fn last_site(&self) -> Option<&Record> {
        let (inputs, kept) = (self.inputs?, self.kept.as_ref()?);
        (kept.frame == inputs.compare.frame).then_some(kept.site.as_ref()?)
    }

    /// Where the last build's entities are in `site` (`edits::comparable`), with that
    /// build's outline, if nothing but Markdown content changed and the outline kept is
    /// of the site recorded.
    pub fn comparable<'a>(
        &self,
        last: Option<&'a (Record, Outline)>,
        outline: &Outline,
        site: &Site,
    ) -> Option<(&'a Outline, edits::Ids)> {
        let (record, last) = last?;
        (self.last_site()? == record).then_some(())?;
        Some((last, edits::comparable(last, outline, site)?))
    }

    /// What the search index needs to reuse the last build's analysis of a site of the
    /// same shape as `site`, or of one `ids` compares it with: the digests of what each
    /// briefing says, and that analysis, if it was kept by this binary for that shape and
    /// reads (one that does not is deleted), its entities moved to their new ids.
    pub fn search_memory(&self, site: &Record, ids: Option<&edits::Ids>) -> Memory {
        let path = self.search_path();
        let kept_for = match ids {
            Some(_) => self.last_site(),
            None => Some(site),
        };
        let kept = kept_for.and_then(search_tag).and_then(|tag| {
            let bytes = std::fs::read(&path).ok()?;
            let kept = Kept::decode(&bytes, tag);
            if kept.is_none() {
                let _ = std::fs::remove_file(&path);
            }
            kept
        });
        let kept = match ids {
            Some(ids) => kept.map(|kept| ids.carry(kept)),
            None => kept,
        };
        Memory {
            says: site.says.iter().map(|(says, _)| *says).collect(),
            kept,
        }
    }

    /// Keeps the search index's analysis of `site` for the next build, if it is not what
    /// is kept already.
    pub fn keep_search(&self, site: &Record, kept: &Kept) {
        if let Some(tag) = search_tag(site).filter(|_| kept.is_fresh()) {
            stamp::write_bytes(&self.search_path(), &kept.encode(tag));
        }
    }

    fn search_path(&self) -> PathBuf {
        self.path.with_extension("search")
    }

    /// What the last build kept for this one to reuse (`Reuse`), and the outline of the
    /// site it built with its record, if this binary kept them and they read; nothing
    /// otherwise. (What does not read is not trusted, and the next successful build
    /// replaces it; a failed build removes nothing.)
    pub fn reuse(&self) -> (Reuse, Option<(Record, Outline)>) {
        let path = self.reuse_path();
        let Ok(bytes) = std::fs::read(&path) else {
            return (Reuse::default(), None);
        };
        let kept = reuse_tag().and_then(|tag| {
            let body = bytes.strip_prefix(REUSE_MAGIC)?;
            let (kept_tag, body) = body.split_first_chunk::<8>()?;
            (u64::from_le_bytes(*kept_tag) == tag).then_some(())?;
            bincode::deserialize::<StoredReuse>(body).ok()
        });
        match kept {
            Some(StoredReuse {
                parses,
                derived,
                last,
            }) => (
                Reuse {
                    parses: Parses::from_stored(parses),
                    derived,
                },
                Some(last),
            ),
            None => (Reuse::default(), None),
        }
    }

    /// Keeps `reuse` for the next build, with the outline of the site built and its record.
    pub fn keep_reuse(&self, reuse: &Reuse, last: (&Record, &Outline)) {
        let Some(tag) = reuse_tag() else { return };
        let stored = (reuse.parses.stored(), &reuse.derived, last);
        if let Ok(body) = bincode::serialize(&stored) {
            let mut bytes = Vec::with_capacity(REUSE_MAGIC.len() + 8 + body.len());
            bytes.extend_from_slice(REUSE_MAGIC);
            bytes.extend_from_slice(&tag.to_le_bytes());
            bytes.extend_from_slice(&body);
            stamp::write_bytes(&self.reuse_path(), &bytes);
        }
    }

    fn reuse_path(&self) -> PathBuf {
        self.path.with_extension("reuse")
    }

    /// The output and spare folder as the last build left them, whatever its inputs: the
    /// output stage trusts a folder still exactly so, and reads none of its files.
    pub fn snapshots(&self) -> Snapshots {
        let folder = |f: Option<Folder>| f.map(|f| f.replayed());
        self.kept
            .as_ref()
            .map(|k| Snapshots {
                live: folder(k.live),
                spare: folder(k.spare),
            })
            .unwrap_or_default()
    }

    /// Records a successful build's report with the snapshots of the folders it left.
    /// Nothing is recorded when the inputs could not be scanned or the output not seen.
    pub fn record(&self, report: &Report, output: Snapshots, site: Option<Record>) {
        stamp::forget(&self.path);
        let (Some(inputs), Some(_)) = (self.inputs, output.live) else {
            return;
        };
        let kept = Stamp {
            inputs: inputs.record.all,
            frame: inputs.record.frame,
            cutoff: inputs.cutoff,
            site,
            live: output.live.as_ref().map(Folder::kept),
            spare: output.spare.as_ref().map(Folder::kept),
            files: report.files,
            counts: stamp::counts_kept(&report.counts),
            warnings: report.warnings.iter().map(Warning::kept).collect(),
        };
        stamp::write(&self.path, &kept);
    }
}

/// What starts a kept `Reuse`: its format, then `reuse_tag`.
const REUSE_MAGIC: &[u8] = b"sitroom reuse 2\n";

/// A kept `Reuse` is valid for the binary that kept it, whose parse and resolve made it.
fn reuse_tag() -> Option<u64> {
    let binary = inputs::binary()?;
    Some(xxhash_rust::xxh3::xxh3_64(
        format!("reuse-2\0{binary}").as_bytes(),
    ))
}

/// A `Reuse` as kept: the parses by path, with their digests, and what resolve derived;
/// then the record and outline of the site built.
#[derive(serde::Deserialize)]
struct StoredReuse {
    parses: Vec<(PathBuf, u64, crate::content::Parsed)>,
    derived: crate::graph::Derived,
    last: (Record, Outline),
}

/// What a kept search analysis is valid for: its format, the binary and the site's shape
/// (its names, entities and ids), on which every briefing's part depends.
fn search_tag(site: &Record) -> Option<u64> {
    let binary = inputs::binary()?;
    Some(xxhash_rust::xxh3::xxh3_64(
        format!("search-1\0{binary}\0{}", site.shape).as_bytes(),
    ))
}

/// A digest of everything a build's files are made from: the running binary (its
/// built-in templates and theme, known by its size and modification time), the bytes of
/// the `static/` files copied as they are, and the resolved site as its record says it
/// (each translation's too). The output's manifest keeps it: a build whose fingerprint is
/// the last one's, into an output left untouched, writes nothing (#5). `None` when an
/// input cannot be read.
pub fn fingerprint(site: &Site, record: &Record, static_dir: &Path) -> Option<u64> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    hasher.update(&exe.len().to_le_bytes());
    hasher.update(format!("{:?}", exe.modified().ok()?).as_bytes());
    for file in &site.static_files {
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update(&std::fs::read(static_dir.join(file)).ok()?);
    }
    let translations: Vec<Record> = site.translations.iter().map(Record::of).collect();
    for record in std::iter::once(record).chain(&translations) {
        hasher.update(&record.shape.to_le_bytes());
        for (says, title) in &record.says {
            hasher.update(&says.to_le_bytes());
            hasher.update(&title.to_le_bytes());
        }
    }
    Some(hasher.digest())
}

/// A site ready to render: loaded, resolved and its media published in memory.
pub struct Prepared {
    pub site: Site,
    pub media: Published,
    /// The media stage's warnings (an image without `alt`, a PDF naming its author).
    pub media_problems: Vec<Diagnostic>,
}

/// What one run keeps for the next: each file's parse by its bytes, and what resolve
/// derived from parts that did not change. serve keeps one in memory between rebuilds;
/// build keeps one beside its record (`KEY.reuse`, `Previous::reuse`).
#[derive(Default)]
pub struct Reuse {
    pub parses: Parses,
    pub derived: crate::graph::Derived,
}

/// The stages before render, for build and serve alike: load (taking from `reuse` the
/// parse of each file whose bytes it saw), resolve, then the media stage (images encoded through the
/// cache). Any error in any of them fails it with every problem found, as `check` lists
/// them.
pub fn prepare(options: &BuildOptions, reuse: &mut Reuse) -> Result<Prepared, Error> {
    let site = crate::load_site_reusing(options, reuse)?;
    if !site.errors.is_empty() {
        let media_problems = crate::media::publish::prepare(&site, &options.root)
            .map(|(_, problems)| problems)
            .unwrap_or_default();
        return Err(Error::Content(every_problem(&site, media_problems)));
    }
    let (media, media_problems) = crate::media::publish::prepare(&site, &options.root)?;
    if media_problems.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(every_problem(&site, media_problems)));
    }
    Ok(Prepared {
        site,
        media,
        media_problems,
    })
}

/// Every problem of a site that has errors: its own, those of its media, and those that
/// rendering it (without writing) finds, so a failed build reports as much as `check` does.
fn every_problem(site: &Site, media_problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut all = site.errors.clone();
    all.extend(media_problems);
    all.extend(site.warnings.iter().cloned());
    match Renderer::new(site) {
        Ok(renderer) => {
            let routes = renderer.page_routes();
            let rendered = renderer.render_all(&routes, |_page| Ok::<(), Error>(()));
            all.extend(rendered.unwrap_or_default());
        }
        Err(problems) => all.extend(problems),
    }
    all.extend(crate::check::unreadable_links(site));
    crate::diagnostics::sort(&mut all);
    all.dedup();
    all
}

/// Where a run's pages go: a build's staging folder, or serve's memory. Both hold the
/// pages of the last good run, which a page whose inputs did not change keeps.
pub trait Sink: Sync {
    /// Puts a page at its site-relative path.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error>;
    /// Keeps the last run's page at `path` without rendering it again; `false` when there
    /// is none to keep, and the page must be written.
    fn keep(&self, path: &str) -> bool;
    /// Whether the last run's pages are there to `keep`.
    fn holds_last_run(&self) -> bool;
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        Staging::write(self, path, bytes)
    }

    fn keep(&self, path: &str) -> bool {
        Staging::keep(self, path)
    }

    fn holds_last_run(&self) -> bool {
        self.trusts_out()
    }
}

/// Renders `routes` into `sink`: all of them, or, when an edit reached only the routes
/// `chosen` (`edits::to_render`, `edits::between`) and the sink holds the last run's pages,
/// those, every other page kept. A site of several languages renders whole: the record
/// holds the default language only. Any error rendering finds fails it, with the site's
/// warnings. Says how many pages it rendered when it kept the others.
pub fn render(
    renderer: &Renderer,
    routes: &[Route],
    chosen: Option<Vec<Route>>,
    sink: &impl Sink,
) -> Result<Option<usize>, Error> {
    let write = |page: crate::render::Page| sink.write(&page.path, &page.bytes);
    let chosen = chosen.filter(|_| sink.holds_last_run() && renderer.site.translations.is_empty());
    let mut rendered = None;
    let problems = match chosen {
        None => renderer.render_all(routes, write)?,
        Some(chosen) => {
            let chosen_set: std::collections::HashSet<Route> = chosen.iter().copied().collect();
            let mut render: Vec<Route> = chosen;
            for &route in routes.iter().filter(|r| !chosen_set.contains(r)) {
                let path = crate::urls::path::file(&renderer.url_path(route));
                if !sink.keep(&path) {
                    render.push(route);
                }
            }
            rendered = Some(render.len());
            renderer.render_all(&render, write)?
        }
    };
    if problems.iter().any(Diagnostic::is_error) {
        let mut all = problems;
        all.extend(renderer.site.warnings.iter().cloned());
        crate::diagnostics::sort(&mut all);
        return Err(Error::Content(all));
    }
    Ok(rendered)
}
