//! Write: the only writer of the built site. Pages go into a spare folder that is swapped
//! into place only when the whole build succeeded, so a failed or killed build leaves the
//! last good output as it was. The published folder holds the site and nothing else:
//! sitroom's bookkeeping lives in a state folder beside it (`.public.sitroom-state/`).
//!
//! ```text
//! public/                          the site, exactly what is published
//! .public.sitroom-state/
//!   lock                           held by the one build writing `public/` (#16)
//!   folder-<identity>              the manifest of a folder sitroom wrote: its files' hashes
//!   spare/                         the output before last, where the next build assembles
//! ```
//!
//! sitroom replaces or reuses only a folder whose manifest names its identity on disk
//! (device, inode, birth time), so a folder put in its place by hand is never taken for
//! sitroom's (#10). Rebuilds write only what changed (#5): a page the spare folder already
//! holds is kept, a page the live output holds is hard-linked from it, and only the rest
//! is written; "holds" means the bytes on disk hash to what the build would write (#16).
//! An `--out` that is a mount point cannot be swapped, so it is brought up to date in
//! place, file by file, each file replaced in one rename.

mod fs;
mod lock;
mod manifest;
mod place;
mod snapshot;
mod target;

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::Error;
use lock::Lock;
use manifest::{Fingerprint, Manifest, path_key};
use target::Current;

pub use manifest::Identity;
pub use manifest::LEGACY_MARKER as MARKER;
pub use snapshot::Snapshot;
pub use target::{absolute, state_dir};

/// The folder in the state folder where a build assembles its output.
const SPARE: &str = "spare";
/// Where an in-place build (a mount point) puts the files it changes until it commits.
const INCOMING: &str = "incoming";
/// Where the old output waits while two renames swap folders (no atomic exchange).
const OLD: &str = "old";

/// A folder sitroom wrote, as found on disk and as its manifest describes it.
struct Tree {
    dir: PathBuf,
    identity: Option<Identity>,
    manifest: Manifest,
    /// Its plain files reached without following a link, by `path_key`.
    present: HashMap<u64, String>,
    /// Each present file's `fs::stat_key` when it was listed, by `path_key`.
    stats: HashMap<u64, u64>,
    /// Its files are, by inode, size and time, exactly as the build that wrote them left
    /// them (`Snapshot`), so each holds the bytes its manifest lists without being read.
    trusted: bool,
}

impl Tree {
    fn empty(dir: PathBuf) -> Tree {
        Tree {
            dir,
            identity: None,
            manifest: Manifest::default(),
            present: HashMap::new(),
            stats: HashMap::new(),
            trusted: false,
        }
    }

    /// The folder at `dir` with the files a listing found.
    fn listed(
        dir: PathBuf,
        identity: Option<Identity>,
        manifest: Manifest,
        listing: fs::Listing,
    ) -> Tree {
        let keys: Vec<u64> = listing.files.iter().map(|f| path_key(f)).collect();
        let stats = keys.iter().copied().zip(listing.stats).collect();
        let present = keys.into_iter().zip(listing.files).collect();
        Tree {
            dir,
            identity,
            manifest,
            present,
            stats,
            trusted: false,
        }
    }

    /// Whether the tree holds `relative` with exactly these bytes: listed so, there as a
    /// plain file, and its bytes hash to the same (a file edited by hand, or cut short by
    /// a killed build, is not held). A trusted tree's files are not read.
    fn holds(&self, relative: &str, fingerprint: &Fingerprint) -> bool {
        let key = path_key(relative);
        self.manifest.files.get(&key) == Some(fingerprint)
            && self.present.contains_key(&key)
            && (self.trusted
                || fs::fingerprint(&self.dir.join(relative)).as_ref() == Some(fingerprint))
    }

    /// Trusts the tree if it is, file by file, as `recorded` saw it right after the build
    /// that left it (#14).
    fn trust(&mut self, recorded: Option<(Identity, u64)>) {
        let (Some(identity), Some((folder, digest))) = (self.identity, recorded) else {
            return;
        };
        let listed = self.present.len() == self.manifest.files.len()
            && self
                .present
                .keys()
                .all(|k| self.manifest.files.contains_key(k));
        let mut files: Vec<(String, u64)> = self
            .present
            .iter()
            .map(|(key, relative)| (relative.clone(), self.stats.get(key).copied().unwrap_or(0)))
            .collect();
        files.sort_unstable();
        self.trusted = identity == folder
            && listed
            && !files.is_empty()
            && files.iter().all(|(_, stat)| *stat != 0)
            && snapshot::digest(&files) == digest;
    }

    /// The tree by its listed files, each stat'ed now.
    fn snapshot_now(&self) -> Option<Snapshot> {
        Snapshot::of_files(
            &self.dir,
            self.identity?,
            self.present.par_iter().map(|(_, f)| f.as_str()),
        )
    }

    /// Whether the folder holds exactly the files its manifest lists, each as sitroom left it.
    fn is_intact(&self) -> bool {
        self.present.len() == self.manifest.files.len()
            && self.present.par_iter().all(|(key, relative)| {
                self.manifest
                    .files
                    .get(key)
                    .is_some_and(|f| self.holds(relative, f))
            })
    }
}

/// What a build does with one of its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placed {
    /// The spare folder already held these bytes there.
    Kept,
    /// Written now, into the spare folder (or the incoming folder of an in-place build).
    Written,
    /// The output at `out` holds these bytes: hard-linked from it at `commit_and_snapshot` (in place:
    /// left where it is).
    Linked,
}

/// One file of this build.
struct Entry {
    relative: String,
    fingerprint: Fingerprint,
    placed: Placed,
    /// The output now at `out` holds these very bytes there.
    same_as_out: bool,
}

/// How the new output reaches `out`.
enum Mode {
    /// Assembled in the spare folder, then exchanged with `out` in one step.
    Swap {
        spare: Box<Tree>,
        spare_is_new: bool,
    },
    /// `out` is a mount point: changed files are staged in `incoming`, then renamed into
    /// `out` one by one.
    InPlace { incoming: PathBuf },
}

/// A build's output being assembled, not yet visible, with the output locked for it.
pub struct Staging {
    out: PathBuf,
    state: PathBuf,
    /// What was at `out` when the build began.
    current: Current,
    /// The output now at `out`, with its files.
    live: Tree,
    mode: Mode,
    /// This build's input fingerprint, recorded in the manifest at `commit_and_snapshot`.
    inputs: Option<u64>,
    files: Mutex<Vec<Entry>>,
    committed: bool,
    /// The state folder was made by this build (and is removed if the build fails).
    state_is_new: bool,
    lock: Option<Lock>,
}

/// The output and the spare folder as `Snapshot` saw them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Snapshots {
    pub live: Option<Snapshot>,
    pub spare: Option<Snapshot>,
}

/// What `commit_and_snapshot` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Committed {
    /// The new output replaced the old one.
    Replaced,
    /// Every file was the same as in the old output, which stayed in place untouched.
    Unchanged,
}

impl Staging {
    /// Checks that `out` may be (re)placed, takes the lock on it, and opens (or makes) the
    /// spare folder; all before anything is rendered.
    pub fn begin(root: &Path, out: &Path) -> Result<Staging, Error> {
        let root = target::absolute(root)?;
        let out = target::check_path(&root, out)?;
        let state = state_dir(&out);
        // Refuse a foreign folder before making anything beside it…
        target::classify(&root, &out, &state)?;
        let state_is_new = make_state_dir(&state)?;
        // A lock held by another build refuses this one; the state folder is then theirs.
        let lock = Lock::take(&state, &out)?;
        // …and look again under the lock: another build may have just swapped folders.
        Staging::open(&root, out, state, lock, state_is_new)
    }

    fn open(
        root: &Path,
        out: PathBuf,
        state: PathBuf,
        lock: Lock,
        state_is_new: bool,
    ) -> Result<Staging, Error> {
        let mut staging = Staging {
            current: Current::Missing,
            live: Tree::empty(out.clone()),
            mode: Mode::InPlace {
                incoming: state.join(INCOMING),
            },
            out,
            state,
            inputs: None,
            files: Mutex::new(Vec::new()),
            committed: false,
            state_is_new,
            lock: Some(lock),
        };
        // From here on, a failure drops `staging`, which tidies up what it made.
        staging.current = target::classify(root, &staging.out, &staging.state)?;
        staging.live = staging.read_live()?;
        staging.remove_leftovers()?;
        staging.mode = if fs::is_mount_point(&staging.out) {
            let incoming = staging.state.join(INCOMING);
            std::fs::create_dir(&incoming).map_err(|e| Error::io("creating", &incoming, e))?;
            Mode::InPlace { incoming }
        } else {
            staging.open_spare()?
        };
        Ok(staging)
    }

    /// The output at `out`, its files listed (a legacy marker is not one of them).
    fn read_live(&self) -> Result<Tree, Error> {
        let identity = self.current.identity();
        let manifest = self.current.manifest().cloned().unwrap_or_default();
        let mut listing = match identity {
            Some(_) => fs::list(&self.out).map_err(|e| Error::io("reading", &self.out, e))?,
            None => fs::Listing::default(),
        };
        if matches!(self.current, Current::Legacy(..))
            && let Some(at) = listing.files.iter().position(|f| f == MARKER)
        {
            listing.files.remove(at);
            listing.stats.remove(at);
        }
        Ok(Tree::listed(self.out.clone(), identity, manifest, listing))
    }

    /// Removes what a build killed halfway left in the state folder (its own, so removed
    /// whole).
    fn remove_leftovers(&self) -> Result<(), Error> {
        for leftover in [self.state.join(INCOMING), self.state.join(OLD)] {
            if std::fs::symlink_metadata(&leftover).is_ok() {
                fs::clear(&leftover).map_err(|e| Error::io("removing", &leftover, e))?;
            }
        }
        Ok(())
    }

    /// Opens the spare folder, or makes it; adopts an older sitroom's spare folder.
    fn open_spare(&self) -> Result<Mode, Error> {
        let dir = self.state.join(SPARE);
        let legacy = target::sibling(&self.out, SPARE);
        let mut manifest = None;
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => fs::clear(&dir).map_err(|e| Error::io("removing", &dir, e))?,
            Err(_) => {
                if let Some(old) = legacy_manifest(&legacy) {
                    std::fs::rename(&legacy, &dir).map_err(|e| Error::io("moving", &legacy, e))?;
                    manifest = Some(old);
                }
            }
        }
        let spare_is_new = !dir.exists();
        if spare_is_new {
            std::fs::create_dir(&dir).map_err(|e| Error::io("creating", &dir, e))?;
        }
        let identity = fs::identity(&dir).map_err(|e| Error::io("reading", &dir, e))?;
        let manifest = manifest
            .or_else(|| identity.and_then(|id| read_manifest(&self.state, id)))
            .unwrap_or_default();
        let listing = fs::list(&dir).map_err(|e| Error::io("reading", &dir, e))?;
        // Never follow a link inside sitroom's own folders (#16): a link planted in the
        // spare folder would send pages outside `--out`.
        for other in &listing.others {
            fs::clear(other).map_err(|e| Error::io("removing", other, e))?;
        }
        Ok(Mode::Swap {
            spare: Box::new(Tree::listed(dir, identity, manifest, listing)),
            spare_is_new,
        })
    }

    /// Trusts the output at `out` and the spare folder if each is exactly as the last build
    /// recorded it (`Snapshots`), so that telling which files they hold reads none.
    pub fn trust(&mut self, recorded: &Snapshots) {
        if matches!(self.current, Current::Ours(..)) {
            self.live.trust(recorded.live.map(|s| (s.folder, s.digest)));
        }
        if let Mode::Swap { spare, .. } = &mut self.mode {
            spare.trust(recorded.spare.map(|s| (s.folder, s.digest)));
        }
    }

    /// Whether the output at `out` is trusted (`trust`), so that its files can be `keep`t.
    pub fn trusts_out(&self) -> bool {
        self.live.trusted
    }

    /// Keeps the file the output at `out` holds at `relative` in the new output, without
    /// rendering it again (#14): for a page whose inputs did not change. Only a trusted
    /// output's listed files can be kept; `false` means the page must be written.
    pub fn keep(&self, relative: &str) -> bool {
        let key = path_key(relative);
        let Some(fingerprint) = self.live.manifest.files.get(&key).copied() else {
            return false;
        };
        if !self.live.trusted
            || !self.live.present.contains_key(&key)
            || self.inside(relative).is_err()
        {
            return false;
        }
        let kept = match &self.mode {
            Mode::Swap { spare, .. } => spare.holds(relative, &fingerprint),
            Mode::InPlace { .. } => false,
        };
        let entry = Entry {
            relative: relative.to_string(),
            fingerprint,
            placed: if kept { Placed::Kept } else { Placed::Linked },
            same_as_out: true,
        };
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
        true
    }

    /// Records the fingerprint of this build's inputs, and tells whether the output at `out`
    /// was made from the very same inputs and is still as sitroom left it: then the build
    /// has nothing to render or write.
    pub fn is_current(&mut self, inputs: Option<u64>) -> bool {
        self.inputs = inputs;
        inputs.is_some()
            && matches!(self.current, Current::Ours(..))
            && inputs == self.live.manifest.inputs
            && !self.live.manifest.files.is_empty()
            && self.live.is_intact()
    }

    /// Puts one file at a site-relative path into the new output: kept if the spare
    /// folder already holds these bytes, linked at `commit_and_snapshot` if the output at `out` does,
    /// written otherwise.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), Error> {
        let target = self.inside(relative)?;
        let fingerprint = Fingerprint::of(bytes);
        let same_as_out = self.live.holds(relative, &fingerprint);
        let kept = match &self.mode {
            Mode::Swap { spare, .. } => spare.holds(relative, &fingerprint),
            Mode::InPlace { .. } => false,
        };
        let placed = if kept {
            Placed::Kept
        } else if same_as_out {
            Placed::Linked
        } else {
            self.put(&target, relative, |t| fs::write_new(t, bytes))
                .map_err(|e| Error::io("writing", &target, e))?;
            Placed::Written
        };
        let entry = Entry {
            relative: relative.to_string(),
            fingerprint,
            placed,
            same_as_out,
        };
        // A panic elsewhere cannot leave the list half-updated: a push either happened or not.
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
        Ok(())
    }

    /// Copies the site's `static/` files verbatim to the output root.
    pub fn copy_static(&self, static_dir: &Path, files: &[PathBuf]) -> Result<(), Error> {
        files.par_iter().try_for_each(|file| {
            let relative = file.to_str().ok_or_else(|| {
                Error::io(
                    "copying",
                    file,
                    io::Error::new(io::ErrorKind::InvalidData, "the file name is not UTF-8"),
                )
            })?;
            let source = static_dir.join(file);
            let bytes = std::fs::read(&source).map_err(|e| Error::io("copying", &source, e))?;
            self.write(relative, &bytes)
        })
    }

    /// The output now at `out`, as `Snapshot` sees it, taken under this build's lock (so
    /// no other build can have changed it in between); `None` if it is not sitroom's.
    pub fn snapshot(&self) -> Snapshots {
        let live = matches!(self.current, Current::Ours(..))
            .then(|| self.live.snapshot_now())
            .flatten();
        let spare = match &self.mode {
            Mode::Swap { spare, .. } => spare.snapshot_now(),
            Mode::InPlace { .. } => None,
        };
        Snapshots { live, spare }
    }

    /// The spare folder after `commit_and_snapshot`: the old output if the two were exchanged, else the
    /// spare folder as it was (nothing is written into it when nothing changed).
    fn spare_after(&self, committed: Committed, files: &[Entry]) -> Option<Snapshot> {
        let Mode::Swap { spare, .. } = &self.mode else {
            return None;
        };
        match committed {
            Committed::Unchanged => spare.snapshot_now(),
            Committed::Replaced => {
                // The old output, now the spare folder, as listed when the build began, for
                // the files the spare folder kept as they were. Any other may share its inode
                // with a file linked, replaced or removed there, which changes its time.
                let identity = self.live.identity?;
                let dir = self.state.join(SPARE);
                let untouched: HashSet<u64> = files
                    .iter()
                    .filter(|e| e.placed == Placed::Kept)
                    .map(|e| path_key(&e.relative))
                    .collect();
                let known = |key: &u64| {
                    untouched
                        .contains(key)
                        .then(|| self.live.stats.get(key).copied())
                        .flatten()
                };
                (fs::identity(&dir).ok()?? == identity)
                    .then(|| {
                        Snapshot::of_known(
                            &dir,
                            identity,
                            self.live
                                .present
                                .par_iter()
                                .map(|(key, f)| (f.as_str(), known(key))),
                        )
                    })
                    .flatten()
            }
        }
    }

    /// Puts the new output in place, keeping the old one as the next build's spare folder
    /// (or, when every file is the same as in the old output, leaves it as it is), and
    /// takes the snapshot of the new output at `out` before the lock is let go.
    pub fn commit_and_snapshot(mut self) -> Result<(Committed, Snapshots), Error> {
        let mut files = std::mem::take(self.files.get_mut().unwrap_or_else(|e| e.into_inner()));
        files.sort_by(|a, b| a.relative.cmp(&b.relative));
        let same_files = files.iter().all(|e| e.same_as_out)
            && files.len() == self.live.manifest.files.len()
            && self.live.present.len() == files.len();
        let committed = if same_files && let Some(identity) = self.live.identity {
            self.record_unchanged(identity, &files)?;
            if let Mode::InPlace { incoming } = &self.mode {
                fs::remove_tree(incoming).map_err(|e| Error::io("removing", incoming, e))?;
            }
            Committed::Unchanged
        } else {
            match &self.mode {
                Mode::Swap { .. } => self.commit_swap(&files)?,
                Mode::InPlace { .. } => self.commit_in_place(&files)?,
            }
            Committed::Replaced
        };
        self.committed = true;
        self.remove_stale_manifests();
        let snapshots = Snapshots {
            live: self.new_snapshot(&files),
            spare: self.spare_after(committed, &files),
        };
        Ok((committed, snapshots))
    }

    /// The snapshot of the output just committed with `files`. Files the spare folder
    /// already held (`Placed::Kept`) are as its listing saw them when the build began;
    /// only the others are stat'ed.
    fn new_snapshot(&self, files: &[Entry]) -> Option<Snapshot> {
        let identity = fs::identity(&self.out).ok()??;
        let listed = match &self.mode {
            Mode::Swap { spare, .. } => Some(&spare.stats),
            Mode::InPlace { .. } => None,
        };
        let known = |e: &Entry| {
            let stats = listed.filter(|_| e.placed == Placed::Kept)?;
            stats.get(&path_key(&e.relative)).copied()
        };
        Snapshot::of_known(
            &self.out,
            identity,
            files.par_iter().map(|e| (e.relative.as_str(), known(e))),
        )
    }

    /// Same paths (each was found in the old list) and same bytes: no page to write. Only
    /// the inputs' fingerprint may be new (a new sitroom, an edit that shows on no page).
    fn record_unchanged(&self, identity: Identity, files: &[Entry]) -> Result<(), Error> {
        let legacy = matches!(self.current, Current::Legacy(..));
        if self.inputs != self.live.manifest.inputs || legacy {
            self.write_manifest(identity, files)?;
        }
        if legacy {
            // The older sitroom's record moves out of the published folder.
            let marker = self.out.join(MARKER);
            fs::remove_file_only(&marker).map_err(|e| Error::io("removing", &marker, e))?;
        }
        Ok(())
    }

    /// Puts a new file at `target` in the folder being assembled with `make`, first
    /// removing what is there: a file there may be a hard link shared with the live
    /// output, which must never change, and a folder or file may stand where this build
    /// needs the other.
    fn put(
        &self,
        target: &Path,
        relative: &str,
        make: impl Fn(&Path) -> io::Result<()>,
    ) -> io::Result<()> {
        // A folder made by this build holds nothing yet.
        let fresh = !matches!(
            self.mode,
            Mode::Swap {
                spare_is_new: false,
                ..
            }
        );
        if !fresh {
            fs::clear(target)?;
        }
        if fs::create_parent(target)
            .and_then(|()| make(target))
            .is_ok()
        {
            return Ok(());
        }
        let stage = self.stage_dir();
        fs::make_room(stage, relative)?;
        fs::create_parent(target)?;
        fs::clear(target)?;
        make(target)
    }

    /// Where this build's new files go.
    fn stage_dir(&self) -> &Path {
        match &self.mode {
            Mode::Swap { spare, .. } => &spare.dir,
            Mode::InPlace { incoming } => incoming,
        }
    }

    /// Writes the manifest of the folder `identity` for this build's files.
    fn write_manifest(&self, identity: Identity, files: &[Entry]) -> Result<(), Error> {
        let manifest = Manifest {
            inputs: self.inputs,
            files: files
                .iter()
                .map(|e| (path_key(&e.relative), e.fingerprint))
                .collect(),
        };
        let path = self.state.join(identity.file_name());
        write_atomically(&path, &manifest.encode(identity))
    }

    /// Removes the manifests of folders that are neither the output nor the spare folder.
    fn remove_stale_manifests(&self) {
        let keep: Vec<String> = [self.out.clone(), self.state.join(SPARE)]
            .iter()
            .filter_map(|dir| fs::identity(dir).ok().flatten())
            .map(|id| id.file_name())
            .collect();
        let Ok(entries) = std::fs::read_dir(&self.state) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if Identity::is_manifest_name(&name) && !keep.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// The path of a site-relative file in the folder being assembled; refuses anything
    /// that could leave it (`..`, absolute paths), whatever the content says.
    fn inside(&self, relative: &str) -> Result<PathBuf, Error> {
        let path = Path::new(relative);
        let safe = path.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe || relative.is_empty() {
            return Err(Error::Usage(format!(
                "refusing to write `{relative}`: it would leave the output folder"
            )));
        }
        Ok(self.stage_dir().join(path))
    }

    /// Tidies up after a build that did not commit: what it wrote goes, so a build that
    /// failed on a full disk does not leave the disk full (#16); a spare folder it found
    /// stays for the next build, which checks every file it keeps by its hash.
    fn abandon(&mut self) {
        match &self.mode {
            Mode::Swap {
                spare,
                spare_is_new: true,
            } => {
                let _ = std::fs::remove_dir_all(&spare.dir);
            }
            Mode::Swap { spare, .. } => {
                let files = self.files.get_mut().unwrap_or_else(|e| e.into_inner());
                for entry in files.iter().filter(|e| e.placed == Placed::Written) {
                    let path = spare.dir.join(&entry.relative);
                    let _ = std::fs::remove_file(&path);
                    fs::remove_empty_parents(&spare.dir, &path);
                }
            }
            Mode::InPlace { incoming } => {
                let _ = std::fs::remove_dir_all(incoming);
            }
        }
        if self.state_is_new {
            if let Some(lock) = self.lock.take() {
                lock.remove();
            }
            let _ = std::fs::remove_dir(&self.state);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            self.abandon();
        }
    }
}

/// Makes the state folder (and the folders above it); tells whether this build made it.
fn make_state_dir(state: &Path) -> Result<bool, Error> {
    if let Some(parent) = state.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
    }
    match std::fs::create_dir(state) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io("creating", state, e)),
    }
}

/// The manifest of the folder `identity` in `state`, if there is one that reads.
fn read_manifest(state: &Path, identity: Identity) -> Option<Manifest> {
    let bytes = std::fs::read(state.join(identity.file_name())).ok()?;
    Manifest::decode(&bytes, identity)
}

/// The list of a folder an older sitroom kept beside the output, if it is one.
fn legacy_manifest(dir: &Path) -> Option<Manifest> {
    if !std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return None;
    }
    let bytes = std::fs::read(dir.join(MARKER)).ok()?;
    Manifest::is_legacy(&bytes).then(|| Manifest::decode_legacy(&bytes).unwrap_or_default())
}

/// Writes `bytes` to `path` by a new file renamed over it, so that a reader (or a build
/// killed halfway) sees the old file or the new one, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let fresh = path.with_file_name(format!("{name}.new"));
    fs::clear(&fresh)
        .and_then(|()| fs::write_new(&fresh, bytes))
        .map_err(|e| Error::io("writing", &fresh, e))?;
    std::fs::rename(&fresh, path).map_err(|e| Error::io("writing", path, e))
}

/// Where the state folder of `out` keeps the manifest of the folder now at `out`: for
/// tests and tools that read sitroom's record; `None` when no folder is there.
pub fn manifest_path(out: &Path) -> Option<PathBuf> {
    let out = target::absolute(out).ok()?;
    let identity = fs::identity(&out).ok()??;
    Some(state_dir(&out).join(identity.file_name()))
}
