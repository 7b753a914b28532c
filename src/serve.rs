//! `sitroom serve`: builds the site into memory, serves it on 127.0.0.1 with `base_url`
//! pointing there, watches the sources and rebuilds what an edit touches, then tells open
//! browser tabs to reload (server-sent events; the script is injected only here). A broken
//! edit keeps the last good site served and shows the problem in the terminal and as an
//! overlay in the browser. Writes nothing to disk but the image cache
//! (`.sitroom-cache/images-v1`), where a bundle's pictures are encoded as a build would.

mod files;
mod http;
mod patch;
mod sources;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::Error;
use crate::content::BriefingSource;
use crate::diagnostics::Diagnostic;
use crate::error::report;
use crate::model::Site;
use crate::render::{Renderer, Route, routes};
use sources::{Change, Sources};

/// How long a burst of file events must be quiet before a rebuild: an editor's save is a
/// write, a rename and a metadata change within a millisecond or two.
const QUIET: Duration = Duration::from_millis(10);
/// A rebuild waits no longer than this for a burst to end.
const MAX_WAIT: Duration = Duration::from_millis(100);

/// What `serve` reads from the command line.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
}

/// The built site as served: file path (`people/x/index.html`) → bytes, the files of
/// `static/` that build would copy, and the problem that stopped the last rebuild, if it
/// failed.
#[derive(Default)]
pub struct Served {
    pub files: HashMap<String, Page>,
    /// `Site::static_files` as site-relative paths: nothing else under `static/` is served,
    /// not a hidden file, a link or a FIFO (#16).
    pub static_files: HashSet<String>,
    /// The search index's files, which every rebuild renders again (#16).
    pub search_files: HashSet<String>,
    pub problem: Option<String>,
}

/// What the HTTP threads and the rebuild thread share.
pub struct Shared {
    pub served: RwLock<Served>,
    /// One sender for each open browser tab's event stream.
    pub tabs: Mutex<Vec<mpsc::Sender<http::Event>>>,
    pub static_dir: PathBuf,
    /// Whether the search index is being rendered again after a partial rebuild's pages
    /// went live (see `Rebuilder::render`); a request for one of its files waits meanwhile.
    search_pending: Mutex<bool>,
    search_done: Condvar,
}

/// The longest a request for a search file waits for the index to be rendered again.
const SEARCH_WAIT: Duration = Duration::from_secs(60);

impl Shared {
    /// Waits until no search index is being rendered again (or `SEARCH_WAIT` is over).
    pub fn wait_for_search(&self) {
        let deadline = Instant::now() + SEARCH_WAIT;
        let Ok(mut pending) = self.search_pending.lock() else {
            return;
        };
        while *pending {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.search_done.wait_timeout(pending, left) {
                Ok((guard, timeout)) if !timeout.timed_out() => pending = guard,
                _ => return,
            }
        }
    }

    /// Marks the search index as being rendered again until the guard is dropped.
    fn search_pending(&self) -> SearchPending<'_> {
        if let Ok(mut pending) = self.search_pending.lock() {
            *pending = true;
        }
        SearchPending(self)
    }

    /// Sends `event` to every open tab, forgetting tabs that have closed.
    fn tell_tabs(&self, event: &http::Event) {
        if let Ok(mut tabs) = self.tabs.lock() {
            tabs.retain(|tab| tab.send(event.clone()).is_ok());
        }
    }
}

/// Ends a `Shared::search_pending`, also should the rendering fail or panic.
struct SearchPending<'a>(&'a Shared);

impl Drop for SearchPending<'_> {
    fn drop(&mut self) {
        if let Ok(mut pending) = self.0.search_pending.lock() {
            *pending = false;
        }
        self.0.search_done.notify_all();
    }
}

/// What `Rebuilder::render` did.
struct Rendered {
    /// Whether only some pages were rendered.
    partial: bool,
    pages: usize,
    /// How long rendering the search index after a partial rebuild's pages took.
    search_ms: f64,
    autolinker: Arc<crate::render::autolink::Autolinker>,
}

/// Serves until Ctrl-C. `ready` gets the address once the first build is served.
pub fn serve(options: &ServeOptions, ready: impl FnOnce(&str)) -> Result<(), Error> {
    // File events name absolute paths; a canonical root lets them be matched to sources.
    let root =
        std::fs::canonicalize(&options.root).map_err(|e| Error::io("opening", &options.root, e))?;
    let options = &ServeOptions {
        root: root.clone(),
        ..options.clone()
    };
    if !root.join("site.yaml").is_file() {
        return Err(Error::Usage(format!(
            "`{}` holds no `site.yaml`; give `--root`, or start an archive with `sitroom init`",
            root.display()
        )));
    }
    let server = http::bind(options.port)?;
    let bound = server
        .local_addr()
        .map_err(|e| Error::machine("listening on 127.0.0.1", e))?;
    let address = format!("http://{bound}/");
    let shared = Arc::new(Shared {
        served: RwLock::new(Served::default()),
        tabs: Mutex::new(Vec::new()),
        static_dir: root.join("static"),
        search_pending: Mutex::new(false),
        search_done: Condvar::new(),
    });
    let (stop_tx, stop_rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| Error::machine("catching Ctrl-C", e))?;

    let (events_tx, events_rx) = mpsc::channel();
    let watcher = notify::recommended_watcher(events_tx)
        .map_err(|e| Error::machine(format!("watching `{}`", root.display()), e))?;
    let mut rebuilder = Rebuilder {
        watcher,
        watched: Vec::new(),
        sources: None,
        site: None,
        autolinker: None,
        options: options.clone(),
        base_url: address.clone(),
        shared: Arc::clone(&shared),
    };
    rebuilder.watch_folders()?;
    rebuilder.rebuild(Change::Everything);
    http::spawn(server, Arc::clone(&shared));
    std::thread::spawn(move || rebuilder.watch(events_rx));
    ready(&address);
    // Ctrl-C: nothing is on disk to clean up, so stopping the loop is a clean exit.
    let _ = stop_rx.recv();
    Ok(())
}

/// Owns the sources and the last good site; rebuilds on change and publishes to `Shared`.
struct Rebuilder {
    watcher: notify::RecommendedWatcher,
    /// The folders watched so far (a site may make `templates/` or `i18n/` while served).
    watched: Vec<PathBuf>,
    /// `None` until a full load succeeds.
    sources: Option<Sources>,
    /// The last site that rendered without errors.
    site: Option<Site>,
    /// The auto-link automaton of `site`, reused while an edit keeps every name.
    autolinker: Option<Arc<crate::render::autolink::Autolinker>>,
    options: ServeOptions,
    base_url: String,
    shared: Arc<Shared>,
}

impl Rebuilder {
    /// Watches the root (for `site.yaml`, and for folders appearing) and, recursively,
    /// whichever of `content/`, `templates/`, `static/` and `i18n/` (the site's words)
    /// exist and are not watched yet.
    fn watch_folders(&mut self) -> Result<(), Error> {
        let root = self.options.root.clone();
        let mut wanted = vec![(root.clone(), RecursiveMode::NonRecursive)];
        for folder in ["content", "templates", "static", "i18n"] {
            wanted.push((root.join(folder), RecursiveMode::Recursive));
        }
        for (dir, mode) in wanted {
            if self.watched.contains(&dir) || !dir.is_dir() {
                continue;
            }
            self.watcher
                .watch(&dir, mode)
                .map_err(|e| Error::machine(format!("watching `{}`", dir.display()), e))?;
            self.watched.push(dir);
        }
        Ok(())
    }

    /// Waits for bursts of file events and rebuilds after each.
    fn watch(mut self, events: Receiver<notify::Result<notify::Event>>) {
        while let Ok(first) = events.recv() {
            let mut paths = Vec::new();
            collect(first, &mut paths);
            let started = Instant::now();
            loop {
                match events.recv_timeout(QUIET) {
                    Ok(event) if started.elapsed() < MAX_WAIT => collect(event, &mut paths),
                    Ok(event) => {
                        collect(event, &mut paths);
                        break;
                    }
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            let change = Change::of(&self.options.root, paths);
            if change == Change::Everything
                && let Err(e) = self.watch_folders()
            {
                eprintln!("warning: {e}");
            }
            if change != Change::Nothing {
                self.rebuild(change);
            }
        }
    }

    /// Rebuilds for `change`, serves the result or keeps the last good site and reports why.
    /// A panic is reported like a problem, so the watcher lives on for the next save.
    fn rebuild(&mut self, change: Change) {
        let started = Instant::now();
        let attempt =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.try_rebuild(change)));
        let outcome = attempt.unwrap_or_else(|_| {
            // What was kept may be half-updated: the next rebuild reads everything.
            self.sources = None;
            self.site = None;
            Err("error: the rebuild failed inside sitroom (a bug; please report it)\n".into())
        });
        match outcome {
            Ok(summary) => {
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                println!("{summary} in {ms:.0} ms");
            }
            Err(problem) => {
                eprint!("{problem}");
                eprintln!("the last good site is still served; fix the file and save again");
                if let Ok(mut served) = self.shared.served.write() {
                    served.problem = Some(problem.clone());
                }
                self.shared.tell_tabs(&http::Event::Problem(problem));
            }
        }
    }

    /// Loads what changed, resolves, renders the routes the change touches and swaps them in.
    /// Returns a summary line, or the problems as an editor reads them.
    fn try_rebuild(&mut self, change: Change) -> Result<String, String> {
        let t0 = Instant::now();
        let full = change == Change::Everything || self.sources.is_none();
        let mut edits = None;
        if full {
            self.sources = None;
            let sources = Sources::load(&self.options).map_err(|e| report(&e))?;
            self.sources = Some(sources);
        } else if let (Some(sources), Change::Content(paths)) = (self.sources.as_mut(), &change) {
            let updated = sources.update(&self.options.root, paths, self.options.drafts);
            edits = says_only(updated);
        }
        let sources = self.sources.as_ref().ok_or_else(String::new)?;
        sources.check().map_err(|d| report(&Error::Content(d)))?;
        let loaded = Instant::now();
        if let Some(edits) = edits
            && let Some(mut site) = self.site.take()
        {
            match patch::patch(&mut site, edits) {
                Some(edited) => return self.render_edits(site, &edited, t0, loaded),
                None => self.site = Some(site),
            }
        }
        let content = sources.content();
        let config = sources
            .config
            .clone()
            .with_base_url(&self.base_url)
            .map_err(|why| format!("error: {why}\n"))?;
        let t1 = Instant::now();
        // The site's own words (`i18n/<code>.yaml`), read again with every resolve.
        // A table's error stops the rebuild as it stops a build; its warnings are
        // `sitroom check`'s to list.
        let (words, problems) = crate::i18n::load(&self.options.root, &config.all_languages())
            .map_err(|e| report(&e))?;
        let errors: Vec<_> = problems.into_iter().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            return Err(report(&Error::Content(errors)));
        }
        let site =
            crate::graph::resolve_with(content, config, words).map_err(|d| report(&d.into()))?;
        let t2 = Instant::now();
        let old = if full { None } else { self.site.as_ref() };
        let rendered = self.render(&site, None, |all| {
            old.and_then(|old| routes::affected(old, &site, all))
        })?;
        self.autolinker = Some(Arc::clone(&rendered.autolinker));
        let t3 = Instant::now();
        let warnings = site.warnings.len();
        self.site = Some(site);
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
        Ok(format!(
            "{} {}{} (load {:.0} ms, copy {:.0} ms, resolve {:.0} ms, render {:.0} ms{})",
            if rendered.partial { "rebuilt" } else { "built" },
            crate::diagnostics::count(rendered.pages, "page", "pages"),
            match warnings {
                0 => String::new(),
                1 => ", 1 warning (`sitroom check` lists it)".to_string(),
                n => format!(", {n} warnings (`sitroom check` lists them)"),
            },
            ms(t0, loaded),
            ms(loaded, t1),
            ms(t1, t2),
            ms(t2, t3) - rendered.search_ms,
            search_note(&rendered),
        ))
    }

    /// Renders the pages that show briefings edited in place (see `patch`). Keeps `site`
    /// only if it rendered: after a failure the next rebuild renders everything, since the
    /// served pages no longer match any site kept.
    fn render_edits(
        &mut self,
        site: Site,
        edited: &[(crate::model::BriefingId, bool)],
        t0: Instant,
        loaded: Instant,
    ) -> Result<String, String> {
        // An in-place edit keeps every name, so the last automaton still fits.
        let reuse = self.autolinker.clone();
        let rendered = self.render(&site, reuse, |all| {
            Some(routes::affected_by_edits(&site, edited, all))
        })?;
        self.autolinker = Some(Arc::clone(&rendered.autolinker));
        let render = loaded.elapsed().as_secs_f64() * 1000.0 - rendered.search_ms;
        let load = (loaded - t0).as_secs_f64() * 1000.0;
        self.site = Some(site);
        Ok(format!(
            "rebuilt {} (load {load:.0} ms, copy 0 ms, resolve 0 ms, render {render:.0} ms{})",
            crate::diagnostics::count(rendered.pages, "page", "pages"),
            search_note(&rendered),
        ))
    }

    /// Renders the routes `pick` chooses among all (every route when it returns `None`),
    /// swaps them into the served files and tells the tabs to reload.
    ///
    /// A partial rebuild renders the whole search index too, since no edit leaves it as it
    /// was (#16). That is a pass over the whole archive, most of a partial rebuild's time
    /// (about 850 of 930 ms at 10,000 briefings), so the pages go live and the tabs reload
    /// first, and the index follows; until it is in, a request for one of its files waits
    /// (`Shared::wait_for_search`), so none is ever answered from the index before the edit.
    fn render(
        &self,
        site: &Site,
        autolinker: Option<Arc<crate::render::autolink::Autolinker>>,
        pick: impl FnOnce(&[Route]) -> Option<Vec<Route>>,
    ) -> Result<Rendered, String> {
        let (media, media_pages) = self.media(site)?;
        let renderer = Renderer::reusing(site, autolinker)
            .map_err(|d| report(&d.into()))?
            .with_media(&media);
        let picked = pick(&renderer.page_routes());
        // Listing the search index's files builds the index.
        let search_files = |search: &[Route]| -> HashSet<String> {
            search
                .iter()
                .map(|&route| crate::urls::path::file(&renderer.url_path(route)))
                .collect()
        };
        let Some(routes) = picked else {
            let search: Vec<Route> = renderer.search_routes().collect();
            let search_files = search_files(&search);
            let pages = render_routes(&renderer, &renderer.routes())?;
            let count = pages.len();
            if let Ok(mut served) = self.shared.served.write() {
                served.files.clear();
                served.files.extend(pages);
                served.files.extend(media_pages);
                served.search_files = search_files;
                served.static_files = static_files(site);
                served.problem = None;
            }
            self.shared.tell_tabs(&http::Event::Reload);
            return Ok(Rendered {
                partial: false,
                pages: count,
                search_ms: 0.0,
                autolinker: renderer.autolinker(),
            });
        };
        let pages = render_routes(&renderer, &routes)?;
        let count = pages.len();
        let pending = self.shared.search_pending();
        // The new pages and the end of the last problem become visible together.
        if let Ok(mut served) = self.shared.served.write() {
            served.files.extend(pages);
            served.files.extend(media_pages);
            served.static_files = static_files(site);
            served.problem = None;
        }
        self.shared.tell_tabs(&http::Event::Reload);
        let started = Instant::now();
        let search: Vec<Route> = renderer.search_routes().collect();
        let search_files = search_files(&search);
        let index = render_routes(&renderer, &search)?;
        if let Ok(mut served) = self.shared.served.write() {
            // Shards the index no longer has (it shrank) go too.
            let stale: Vec<String> = served
                .search_files
                .difference(&search_files)
                .cloned()
                .collect();
            for path in stale {
                served.files.remove(&path);
            }
            served.files.extend(index);
            served.search_files = search_files;
        }
        drop(pending);
        Ok(Rendered {
            partial: true,
            pages: count,
            search_ms: started.elapsed().as_secs_f64() * 1000.0,
            autolinker: renderer.autolinker(),
        })
    }
}

impl Rebuilder {
    /// The media stage, as a build runs it (images through the cache), and its files as
    /// served; an image that cannot be published stops the rebuild like a content error.
    fn media(
        &self,
        site: &Site,
    ) -> Result<(crate::media::publish::Published, Vec<(String, Page)>), String> {
        let (media, problems) =
            crate::media::publish::prepare(site, &self.options.root).map_err(|e| report(&e))?;
        if problems.iter().any(Diagnostic::is_error) {
            return Err(report(&Error::Content(problems)));
        }
        let files = Mutex::new(Vec::new());
        crate::media::publish::write(&media, site.config.sanitize_html, |path, bytes| {
            if let Ok(mut files) = files.lock() {
                files.push((path.to_string(), Arc::new(bytes.to_vec())));
            }
            Ok(())
        })
        .map_err(|e| report(&e))?;
        Ok((media, files.into_inner().unwrap_or_default()))
    }
}

/// A rendered file as served.
type Page = Arc<Vec<u8>>;

/// Renders `routes` to (path, bytes), or the problems that stopped them, as an editor
/// reads them.
fn render_routes(renderer: &Renderer, routes: &[Route]) -> Result<Vec<(String, Page)>, String> {
    let pages = Mutex::new(Vec::with_capacity(routes.len()));
    let problems = renderer
        .render_all(routes, |page| {
            if let Ok(mut pages) = pages.lock() {
                pages.push((page.path, Arc::new(page.bytes)));
            }
            Ok::<(), ()>(())
        })
        .unwrap_or_default();
    if problems.iter().any(Diagnostic::is_error) {
        return Err(report(&problems.into()));
    }
    Ok(pages.into_inner().unwrap_or_default())
}

/// The files of `static/` that build copies as they are, as site-relative paths with `/`.
/// A raster image is not among them: it is served re-encoded, with the media files, so its
/// original bytes are never served.
fn static_files(site: &Site) -> HashSet<String> {
    crate::media::publish::static_as_is(site)
        .filter_map(|p| p.to_str())
        .map(|p| p.replace('\\', "/"))
        .collect()
}

/// The search index's part of a partial rebuild's summary line.
fn search_note(rendered: &Rendered) -> String {
    if rendered.partial {
        format!(", search index {:.0} ms", rendered.search_ms)
    } else {
        String::new()
    }
}

/// The new sources of the edited briefings, when the update changed only what some
/// briefings say (see `patch`): no briefing came or went, no profile or page changed.
fn says_only(updated: sources::Updated) -> Option<Vec<BriefingSource>> {
    if updated.others {
        return None;
    }
    updated
        .briefings
        .into_iter()
        .map(|pair| match pair {
            (Some(before), Some(after)) if patch::says_only(&before, &after) => Some(after),
            _ => None,
        })
        .collect()
}

/// Adds an event's paths; a watcher error is printed and otherwise ignored.
fn collect(event: notify::Result<notify::Event>, paths: &mut Vec<PathBuf>) {
    match event {
        Ok(event) if !event.kind.is_access() => paths.extend(event.paths),
        Ok(_) => {}
        Err(e) => eprintln!("warning: watching files: {e}"),
    }
}
