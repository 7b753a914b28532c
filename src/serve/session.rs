//! serve's build: the stages of `sitroom build` (`pipeline::prepare`, then
//! `pipeline::render`) run into memory instead of a folder, each run reusing what the last
//! good one left: the parse of every file whose bytes did not change, the resolved site's
//! record (which tells what an edit touched, as it does for a build), the search index's
//! analysis, and the pages an edit did not reach.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::pipeline::edits::{self, Outline, Record};
use crate::pipeline::{self, Prepared, Reuse, Sink};
use crate::render::Renderer;
use crate::render::autolink::Autolinker;
use crate::render::search::{Kept, Memory};
use crate::{BuildOptions, Error};

/// A file as served.
pub type Page = Arc<Vec<u8>>;

/// Every file a run made, by site-relative path (`people/x/index.html`): pages, the search
/// index, and the media stage's files (bundle images and attachments, `static/` images
/// re-encoded).
pub type Files = HashMap<String, Page>;

/// The site as serve builds it again and again.
pub struct Session {
    options: BuildOptions,
    reuse: Reuse,
    last: Option<Last>,
}

/// What the last good run left for the next.
struct Last {
    /// The site it built, as the next one is compared with it.
    outline: Outline,
    record: Record,
    /// The search index's analysis of the site `record` describes.
    search: Option<Kept>,
    /// The auto-link automaton over that site's names, which a site of the same shape
    /// (names, entities, addresses) shares.
    autolinker: Arc<Autolinker>,
    files: Arc<Files>,
}

/// What one run made.
pub struct Run {
    pub files: Arc<Files>,
    /// The files of `static/` that build copies as they are, as site-relative paths with
    /// `/`; nothing else under `static/` is served (#16). A raster image is not among them:
    /// it is in `files`, re-encoded, so its original bytes are never served.
    pub static_files: HashSet<String>,
    /// How many pages were rendered (the others kept from the last run).
    pub rendered: usize,
    /// Whether pages were kept from the last run.
    pub partial: bool,
    pub warnings: usize,
    /// Milliseconds spent loading, resolving and publishing media; then rendering the
    /// search index and the pages.
    pub prepare_ms: f64,
    pub render_ms: f64,
}

impl Session {
    /// A session for the archive at `options.root`, with pages addressed by
    /// `options.base_url` (serve's own address); `out` is not used.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            reuse: Reuse::default(),
            last: None,
        }
    }

    /// Forgets the last run, so that the next renders everything (after a panic, what is
    /// kept cannot be trusted).
    pub fn forget(&mut self) {
        self.last = None;
        self.reuse = Reuse::default();
    }

    /// Builds the site again from what is on disk now. On failure the last good run's
    /// pages, site and record stay for the next (its search analysis may not).
    pub fn rebuild(&mut self) -> Result<Run, Error> {
        let started = Instant::now();
        let Prepared {
            site,
            media,
            media_problems,
        } = pipeline::prepare(&self.options, &mut self.reuse)?;
        let record = Record::of(&site);
        let outline = Outline::of(&site, &record);
        // What the last run left that this one can use: with the same shape, the search
        // analysis and the auto-link automaton; with the same addresses and entities (and
        // perhaps more, or fewer stubs), the search analysis with its entities moved.
        let (kept_search, autolinker, ids) = match self.last.as_mut() {
            Some(last) if last.record.shape == record.shape => {
                (last.search.take(), Some(Arc::clone(&last.autolinker)), None)
            }
            Some(last) => match edits::comparable(&last.outline, &outline, &site) {
                Some(ids) => {
                    // A name new to the archive may be found in any briefing's text.
                    (
                        last.search.take().map(|kept| ids.carry(kept)),
                        None,
                        Some(ids),
                    )
                }
                None => (None, None, None),
            },
            None => (None, None, None),
        };
        let memory = Memory {
            says: record.says.iter().map(|(says, _)| *says).collect(),
            kept: kept_search,
        };
        let renderer = Renderer::reusing(&site, autolinker)?
            .with_media(&media)
            .with_search_memory(memory);
        let prepared = Instant::now();
        // Listing the routes builds the search index.
        let routes = renderer.routes();
        // What the edit reached: told by the records, or, when the site's shape changed,
        // by comparing this site with the last one's outline, as a build tells it.
        let chosen = self.last.as_ref().and_then(|last| {
            match (edits::touched(&last.record, &record), &ids) {
                (Some(edited), _) => Some(edits::to_render(&site, &edited, &routes)),
                (None, Some(ids)) => {
                    Some(edits::between(&last.outline, &outline, &site, ids, &routes))
                }
                (None, None) => None,
            }
        });
        let sink = InMemory {
            last: self.last.as_ref().map(|last| last.files.as_ref()),
            files: Mutex::new(HashMap::with_capacity(routes.len())),
            rendered: AtomicUsize::new(0),
        };
        pipeline::render(&renderer, &routes, chosen, &sink)?;
        let rendered = sink.rendered.load(Ordering::Relaxed);
        crate::media::publish::write(&media, site.config.sanitize_html, |path, bytes| {
            sink.write(path, bytes)
        })?;
        let files = Arc::new(sink.files.into_inner().unwrap_or_else(|e| e.into_inner()));
        let run = Run {
            files: Arc::clone(&files),
            static_files: crate::media::publish::static_as_is(&site)
                .filter_map(|p| p.to_str())
                .map(|p| p.replace('\\', "/"))
                .collect(),
            rendered,
            partial: rendered < routes.len(),
            warnings: site.warnings.len() + media_problems.len(),
            prepare_ms: ms(started, prepared),
            render_ms: ms(prepared, Instant::now()),
        };
        let autolinker = renderer.autolinker();
        let search = renderer.into_kept_search();
        self.last = Some(Last {
            outline,
            record,
            search,
            autolinker,
            files,
        });
        Ok(run)
    }
}

fn ms(from: Instant, to: Instant) -> f64 {
    (to - from).as_secs_f64() * 1000.0
}

/// A run's files in memory; the last run's are there to keep.
struct InMemory<'a> {
    last: Option<&'a Files>,
    files: Mutex<Files>,
    /// How many files were written (rendered), not kept.
    rendered: AtomicUsize,
}

impl Sink for InMemory<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let page = Arc::new(bytes.to_vec());
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), page);
        self.rendered.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn keep(&self, path: &str) -> bool {
        let Some(page) = self.last.and_then(|last| last.get(path)) else {
            return false;
        };
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), Arc::clone(page));
        true
    }

    fn holds_last_run(&self) -> bool {
        self.last.is_some()
    }
}
