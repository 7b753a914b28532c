//! The build as a function of its inputs (#14): what it read and what it made are
//! recorded, so that a build whose inputs are the same as the last successful one's, into
//! the folder that build left untouched, does nothing but say so again.
//!
//! ```text
//! inputs::scan (names, sizes, times)    ─┐
//! output::Snapshot (the folder, by stat) ─┴→ the same as the stamp? → the kept report
//! ```
//!
//! A build with other inputs still uses the record twice: the output and spare folders,
//! if by stat they are as recorded, are trusted to hold what their manifests list (no
//! file is read back), and if only Markdown content changed, the resolved site's digests
//! (`edits::Record`) tell whether only what briefings say changed, and which: then only
//! the pages those words reach are rendered (`render`), every other page kept. A new
//! title, or a site of several languages, renders every page.
//!
//! The search index's analysis (`render::search::Kept`: every word's postings and every
//! mention, with what each briefing says) is kept beside the record, in `KEY.search`,
//! behind the binary and the site's shape: a build of a site with the same shape reads
//! again only the briefings whose words changed (`search_memory`).
//!
//! Kept in `<root>/.sitroom-cache/build-v1/`, one record per output folder and options;
//! invalidated by any change of an input file (name, size, time, or bytes when it is
//! recent), the binary, the options, or any file of the output folder. A record that does
//! not read is deleted and never trusted.

pub mod edits;
pub mod inputs;
pub mod stamp;

use std::path::PathBuf;
use std::time::Instant;

use crate::diagnostics::Diagnostic;
use crate::media::cache::CACHE_DIR;
use crate::model::BriefingId;
use crate::output::{Snapshot, Snapshots, Staging};
use crate::render::search::{Kept, Memory};
use crate::render::{Renderer, Route};
use crate::{BuildOptions, Error, Report};
use edits::Record;
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
            encoded_images: Vec::new(),
        }))
    }

    /// The briefings whose words alone changed since the last build (`edits::touched`),
    /// if nothing but Markdown content changed and the last build recorded its site.
    pub fn touched(&self, site: &Record) -> Option<Vec<(BriefingId, bool)>> {
        let (inputs, kept) = (self.inputs?, self.kept.as_ref()?);
        if kept.frame != inputs.compare.frame {
            return None;
        }
        edits::touched(kept.site.as_ref()?, site)
    }

    /// What the search index needs to reuse the last build's analysis of a site of the
    /// same shape as `site`: the digests of what each briefing says, and that analysis, if
    /// it was kept by this binary for that shape and reads (one that does not is deleted).
    pub fn search_memory(&self, site: &Record) -> Memory {
        let path = self.search_path();
        let kept = search_tag(site).and_then(|tag| {
            let bytes = std::fs::read(&path).ok()?;
            let kept = Kept::decode(&bytes, tag);
            if kept.is_none() {
                let _ = std::fs::remove_file(&path);
            }
            kept
        });
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

/// What a kept search analysis is valid for: its format, the binary and the site's shape
/// (its names, entities and ids), on which every briefing's part depends.
fn search_tag(site: &Record) -> Option<u64> {
    let binary = inputs::binary()?;
    Some(xxhash_rust::xxh3::xxh3_64(
        format!("search-1\0{binary}\0{}", site.shape).as_bytes(),
    ))
}

/// Renders `routes` into `staging`: all of them, or, when only the words of the briefings
/// `edited` changed and the output is trusted, only the routes those words reach
/// (`edits::to_render`), every other page kept as the output holds it. Returns the
/// problems rendering found.
pub fn render(
    renderer: &Renderer,
    routes: &[Route],
    edited: Option<Vec<(BriefingId, bool)>>,
    staging: &Staging,
) -> Result<Vec<Diagnostic>, Error> {
    let write = |page: crate::render::Page| staging.write(&page.path, &page.bytes);
    let Some(edited) = edited.filter(|_| staging.trusts_out()) else {
        return renderer.render_all(routes, write);
    };
    let chosen = edits::to_render(renderer.site, &edited, routes);
    let chosen_set: std::collections::HashSet<Route> = chosen.iter().copied().collect();
    let mut render: Vec<Route> = chosen;
    for &route in routes.iter().filter(|r| !chosen_set.contains(r)) {
        let path = crate::urls::path::file(&renderer.url_path(route));
        if !staging.keep(&path) {
            render.push(route);
        }
    }
    renderer.render_all(&render, write)
}
