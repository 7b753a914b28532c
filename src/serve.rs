//! `sitroom serve`: builds the site into memory, serves it on 127.0.0.1 with `base_url`
//! pointing there, watches the sources and, after each save, runs the build's pipeline
//! again (`Session`: the same stages as `sitroom build`, into memory, rendering only what
//! the edit touched), then tells open browser tabs to reload (server-sent events; the
//! script is injected only here). A broken edit keeps the last good site served and shows
//! the problem in the terminal and as an overlay in the browser. Writes nothing to disk but
//! the image cache (`.sitroom-cache/images-v1`), where a bundle's pictures are encoded as a
//! build would.

mod files;
mod http;
mod session;

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::error::report;
use crate::{BuildOptions, Error};
pub use session::{Files, Page, Run, Session};

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

/// The built site as served: every file the last good run made, the files of `static/`
/// that build would copy, and the problem that stopped the last rebuild, if it failed.
#[derive(Default)]
pub struct Served {
    pub files: Arc<Files>,
    /// `Site::static_files` as site-relative paths: nothing else under `static/` is served,
    /// not a hidden file, a link or a FIFO (#16).
    pub static_files: HashSet<String>,
    pub problem: Option<String>,
}

/// What the HTTP threads and the rebuild thread share.
pub struct Shared {
    pub served: RwLock<Served>,
    /// One sender for each open browser tab's event stream.
    pub tabs: Mutex<Vec<mpsc::Sender<http::Event>>>,
    pub static_dir: PathBuf,
}

impl Shared {
    /// Sends `event` to every open tab, forgetting tabs that have closed.
    fn tell_tabs(&self, event: &http::Event) {
        if let Ok(mut tabs) = self.tabs.lock() {
            tabs.retain(|tab| tab.send(event.clone()).is_ok());
        }
    }
}

/// Serves until Ctrl-C. `ready` gets the address once the first build is served.
pub fn serve(options: &ServeOptions, ready: impl FnOnce(&str)) -> Result<(), Error> {
    // File events name absolute paths; a canonical root lets them be matched to sources.
    let root =
        std::fs::canonicalize(&options.root).map_err(|e| Error::io("opening", &options.root, e))?;
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
    });
    let (stop_tx, stop_rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| Error::machine("catching Ctrl-C", e))?;

    let (events_tx, events_rx) = mpsc::channel();
    let watcher = notify::recommended_watcher(events_tx)
        .map_err(|e| Error::machine(format!("watching `{}`", root.display()), e))?;
    let build = BuildOptions {
        base_url: Some(address.clone()),
        drafts: options.drafts,
        ..BuildOptions::new(&root)
    };
    let mut rebuilder = Rebuilder {
        watcher,
        watched: Vec::new(),
        root,
        session: Session::new(build),
        shared: Arc::clone(&shared),
    };
    rebuilder.watch_folders()?;
    rebuilder.rebuild();
    http::spawn(server, Arc::clone(&shared));
    std::thread::spawn(move || rebuilder.watch(events_rx));
    ready(&address);
    // Ctrl-C: nothing is on disk to clean up, so stopping the loop is a clean exit.
    let _ = stop_rx.recv();
    Ok(())
}

/// Owns the session; rebuilds after each burst of saves and publishes to `Shared`.
struct Rebuilder {
    watcher: notify::RecommendedWatcher,
    /// The folders watched so far (a site may make `templates/` or `i18n/` while served).
    watched: Vec<PathBuf>,
    root: PathBuf,
    session: Session,
    shared: Arc<Shared>,
}

impl Rebuilder {
    /// Watches the root (for `site.yaml`, and for folders appearing) and, recursively,
    /// whichever of `content/`, `templates/`, `static/` and `i18n/` (the site's words)
    /// exist and are not watched yet.
    fn watch_folders(&mut self) -> Result<(), Error> {
        let mut wanted = vec![(self.root.clone(), RecursiveMode::NonRecursive)];
        for folder in SOURCES.iter().filter(|f| !f.ends_with(".yaml")) {
            wanted.push((self.root.join(folder), RecursiveMode::Recursive));
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

    /// Waits for bursts of file events and rebuilds after each that touched a source.
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
            if !paths.iter().any(|path| is_source(&self.root, path)) {
                continue;
            }
            if let Err(e) = self.watch_folders() {
                eprintln!("warning: {e}");
            }
            self.rebuild();
        }
    }

    /// Builds again, serves the result or keeps the last good site and reports why. A
    /// panic is reported like a problem, so the watcher lives on for the next save.
    fn rebuild(&mut self) {
        let started = Instant::now();
        let attempt =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.session.rebuild()));
        let outcome = match attempt {
            Ok(outcome) => outcome.map_err(|e| report(&errors_only(e))),
            Err(_) => {
                // What was kept may be half-updated: the next rebuild reads everything.
                self.session.forget();
                Err("error: the rebuild failed inside sitroom (a bug; please report it)\n".into())
            }
        };
        match outcome {
            Ok(run) => {
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                println!("{} in {ms:.0} ms", summary(&run));
                if let Ok(mut served) = self.shared.served.write() {
                    served.files = run.files;
                    served.static_files = run.static_files;
                    served.problem = None;
                }
                self.shared.tell_tabs(&http::Event::Reload);
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
}

/// A failed run's problems as the terminal and the overlay show them: the errors that
/// stopped it; its warnings are `sitroom check`'s to list, as after a good run.
fn errors_only(error: Error) -> Error {
    match error {
        Error::Content(problems) => {
            Error::Content(problems.into_iter().filter(|d| d.is_error()).collect())
        }
        other => other,
    }
}

/// A run's line in the terminal: `rebuilt 9 pages (load and resolve 40 ms, render 8 ms)`.
fn summary(run: &Run) -> String {
    format!(
        "{} {}{} (load and resolve {:.0} ms, render {:.0} ms)",
        if run.partial { "rebuilt" } else { "built" },
        crate::diagnostics::count(run.rendered, "page", "pages"),
        match run.warnings {
            0 => String::new(),
            1 => ", 1 warning (`sitroom check` lists it)".to_string(),
            n => format!(", {n} warnings (`sitroom check` lists them)"),
        },
        run.prepare_ms,
        run.render_ms,
    )
}

/// What a site is made from, at its root: a change anywhere else (the image cache, the
/// built site, a `.git` folder) is no reason to build again.
const SOURCES: [&str; 5] = ["site.yaml", "content", "templates", "static", "i18n"];

/// Whether `path` (absolute, below `root`) is one of the site's sources, and not a file an
/// editor keeps beside one: swap files (`.x.swp`), backups (`x~`), probes (vim's `4913`).
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let hidden_or_backup = relative.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || name.ends_with('~') || name == "4913"
    });
    let top = relative.components().next().map(Component::as_os_str);
    !hidden_or_backup
        && top
            .and_then(|t| t.to_str())
            .is_some_and(|t| SOURCES.contains(&t))
}

/// Adds an event's paths; a watcher error is printed and otherwise ignored.
fn collect(event: notify::Result<notify::Event>, paths: &mut Vec<PathBuf>) {
    match event {
        Ok(event) if !event.kind.is_access() => paths.extend(event.paths),
        Ok(_) => {}
        Err(e) => eprintln!("warning: watching files: {e}"),
    }
}
