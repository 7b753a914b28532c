//! Write: the only writer of the built site. Pages go into a spare folder beside `--out`
//! that is swapped into place only when the whole build succeeded, so a failed or killed
//! build leaves the last good output as it was. sitroom only ever replaces or reuses a
//! folder that holds its marker file, and writes nowhere but `--out` and that spare folder.
//!
//! Rebuilds write only what changed (#5): the marker file lists every file of a build with
//! a hash of its bytes. The spare folder is the output before last; a page it already
//! holds is kept, a page the live output holds is hard-linked from it, and only the rest
//! is written (a file counts as held while it has the listed length and is no newer than
//! the marker). When nothing at all changed, the live output stays in place untouched.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::Error;

/// The file that marks a folder as sitroom's output, which it may replace. Below its first
/// line it lists the folder's files, to skip rewriting those that did not change.
pub const MARKER: &str = ".sitroom-output";
const MARKER_TEXT: &str = "This folder is written by sitroom; it is replaced on every build.\n";
/// Starts the marker line that holds the fingerprint of the inputs the output was made from.
const INPUTS: &str = "inputs ";
/// Ends the marker's text; the file list follows as fixed-size binary records.
const FILES: &str = "files\n";
/// One listed file: xxh3 of its path, xxh3 of its bytes, its length (little-endian u64s).
/// The marker is published with the site, so it is kept to 24 bytes a file (#5).
const RECORD: usize = 24;

/// What sitroom knows about one file it wrote: enough to tell, without reading it, that
/// a file holds exactly the bytes a new build would write. A file edited by hand after
/// the build is newer than the marker, so sitroom never reuses a file it did not leave
/// that way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint {
    /// xxh3 of the bytes.
    hash: u64,
    len: u64,
}

/// The key of a file in the marker's list: xxh3 of its site-relative path.
fn path_key(relative: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(relative.as_bytes())
}

/// A folder sitroom wrote, as its marker describes it.
struct Tree {
    dir: PathBuf,
    /// Its files by `path_key`; empty when the marker lists none (a first build, or a
    /// folder whose writing was cut short).
    files: HashMap<u64, Fingerprint>,
    /// When its marker was written: the files it lists are no newer.
    written: Option<SystemTime>,
    /// The fingerprint of the inputs it was made from, if known.
    inputs: Option<u64>,
}

impl Tree {
    fn read(dir: &Path) -> Tree {
        let (inputs, files) = read_manifest(dir);
        let written = fs::metadata(dir.join(MARKER))
            .and_then(|m| m.modified())
            .ok();
        Tree {
            dir: dir.to_path_buf(),
            files,
            written,
            inputs,
        }
    }

    /// Whether the tree holds `relative` with exactly these bytes: listed so, and still a
    /// plain file of that length, modified no later than the marker that lists it.
    fn holds(&self, relative: &str, fingerprint: &Fingerprint) -> bool {
        let Some(written) = self.written else {
            return false;
        };
        self.files.get(&path_key(relative)) == Some(fingerprint)
            && fs::symlink_metadata(self.dir.join(relative)).is_ok_and(|m| {
                m.is_file()
                    && m.len() == fingerprint.len
                    && m.modified().is_ok_and(|t| t <= written)
            })
    }

    /// Whether the folder holds exactly the files its marker lists, each as sitroom left it.
    fn is_intact(&self) -> bool {
        let mut count = 0;
        for entry in walkdir::WalkDir::new(&self.dir).min_depth(1) {
            let Ok(entry) = entry else { return false };
            if entry.file_type().is_dir() {
                continue;
            }
            let Some(relative) = entry
                .path()
                .strip_prefix(&self.dir)
                .ok()
                .and_then(|p| p.to_str())
            else {
                return false;
            };
            if relative == MARKER {
                continue;
            }
            count += 1;
            let listed = self.files.get(&path_key(relative));
            if !listed.is_some_and(|f| self.holds(relative, f)) {
                return false;
            }
        }
        count == self.files.len()
    }
}

/// What a build does with one of its files in the spare folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placed {
    /// The spare folder already held these bytes there.
    Kept,
    /// Written into the spare folder now.
    Written,
    /// The output at `out` holds these bytes: hard-linked from it at `commit`.
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

/// A build's output being assembled in the spare folder beside `--out`, not yet visible.
///
/// The spare folder is the output before last: the atomic exchange that publishes a
/// build leaves the old output there, marked and listed, and the next build brings it up
/// to date instead of deleting it and linking tens of thousands of files anew. A rebuild
/// after an edit then touches only the files that changed (#5).
pub struct Staging {
    out: PathBuf,
    /// The output now at `out`.
    current: Tree,
    /// The spare folder, where the new output is assembled, as its marker describes it.
    spare: Tree,
    /// The spare folder was made by this build (and is removed if the build fails).
    spare_is_new: bool,
    /// Set once the spare folder's marker stops listing files, before its first change:
    /// a build cut short then leaves a folder whose contents nobody trusts.
    spare_changing: std::sync::Once,
    /// This build's input fingerprint, recorded in the marker at `commit`.
    inputs: Option<u64>,
    files: Mutex<Vec<Entry>>,
    committed: bool,
}

/// What `commit` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Committed {
    /// The new output replaced the old one.
    Replaced,
    /// Every file was the same as in the old output, which stayed in place untouched.
    Unchanged,
}

impl Staging {
    /// Checks that `out` may be (re)placed and opens (or makes) the spare folder beside it.
    pub fn begin(root: &Path, out: &Path) -> Result<Staging, Error> {
        let out = absolute(out)?;
        let root = absolute(root)?;
        check_target(&root, &out)?;
        let spare_dir = sibling(&out, "spare")?;
        let spare_is_new = !spare_dir.exists();
        if spare_is_new {
            fs::create_dir_all(&spare_dir).map_err(|e| Error::io("creating", &spare_dir, e))?;
            let marker = spare_dir.join(MARKER);
            fs::write(&marker, MARKER_TEXT).map_err(|e| Error::io("writing", &marker, e))?;
        } else if !spare_dir.join(MARKER).is_file() {
            return Err(not_ours(&spare_dir));
        }
        let spare_changing = std::sync::Once::new();
        if spare_is_new {
            spare_changing.call_once(|| {});
        }
        Ok(Staging {
            current: Tree::read(&out),
            spare: Tree::read(&spare_dir),
            spare_is_new,
            spare_changing,
            inputs: None,
            out,
            files: Mutex::new(Vec::new()),
            committed: false,
        })
    }

    /// Records the fingerprint of this build's inputs, and tells whether the output at `out`
    /// was made from the very same inputs and is still as sitroom left it: then the build
    /// has nothing to render or write.
    pub fn is_current(&mut self, inputs: Option<u64>) -> bool {
        self.inputs = inputs;
        inputs.is_some()
            && inputs == self.current.inputs
            && !self.current.files.is_empty()
            && self.current.is_intact()
    }

    /// Puts one file at a site-relative path into the new output: kept if the spare
    /// folder already holds these bytes, linked at `commit` if the output at `out` does,
    /// written otherwise.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), Error> {
        let target = self.inside(relative)?;
        let fingerprint = Fingerprint {
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
            len: bytes.len() as u64,
        };
        let same_as_out = self.current.holds(relative, &fingerprint);
        let placed = if self.spare.holds(relative, &fingerprint) {
            Placed::Kept
        } else if same_as_out {
            Placed::Linked
        } else {
            self.spare_will_change()?;
            self.replace(&target, relative, |t| write_file(t, bytes))
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
            let bytes = fs::read(&source).map_err(|e| Error::io("copying", &source, e))?;
            self.write(relative, &bytes)
        })
    }

    /// Swaps the new output into place, keeping the old one as the next build's spare
    /// folder; or, when every file is the same as in the old output, leaves it as it is.
    pub fn commit(mut self) -> Result<Committed, Error> {
        let mut files = std::mem::take(self.files.get_mut().unwrap_or_else(|e| e.into_inner()));
        files.sort_by(|a, b| a.relative.cmp(&b.relative));
        let all_same = files.iter().all(|e| e.same_as_out);
        if all_same && files.len() == self.current.files.len() && self.out.is_dir() {
            // Same paths (each was found in the old list) and same bytes: no page to write.
            // Only the inputs' fingerprint may be new (a new sitroom, an edit that shows on
            // no page); the marker takes it in one rename, so the next build can skip.
            if self.inputs != self.current.inputs {
                let fresh = self.out.join(format!("{MARKER}.new"));
                fs::write(&fresh, manifest(self.inputs, &files))
                    .map_err(|e| Error::io("writing", &fresh, e))?;
                let target = self.out.join(MARKER);
                fs::rename(&fresh, &target).map_err(|e| Error::io("writing", &target, e))?;
            }
            return Ok(Committed::Unchanged);
        }
        self.spare_will_change()?;
        if !self.spare_is_new {
            self.remove_stale(&files)
                .map_err(|e| Error::io("tidying", &self.spare.dir, e))?;
        }
        self.link_from_out(&files)?;
        let marker = self.spare.dir.join(MARKER);
        fs::write(&marker, manifest(self.inputs, &files))
            .map_err(|e| Error::io("writing", &marker, e))?;
        self.swap()?;
        self.committed = true;
        Ok(Committed::Replaced)
    }

    /// Empties the spare folder's list in its marker, once, before its first change.
    fn spare_will_change(&self) -> Result<(), Error> {
        let marker = self.spare.dir.join(MARKER);
        let mut result = Ok(());
        self.spare_changing.call_once(|| {
            result = fs::write(&marker, MARKER_TEXT).map_err(|e| Error::io("writing", &marker, e));
        });
        result
    }

    /// Puts a new file at `target` in the spare folder with `make`, first removing what is
    /// there: a file there may be a hard link shared with the live output, which must
    /// never change, and a folder or file may stand where this build needs the other.
    fn replace(
        &self,
        target: &Path,
        relative: &str,
        make: impl Fn(&Path) -> io::Result<()>,
    ) -> io::Result<()> {
        if !self.spare_is_new {
            clear(target)?;
        }
        if create_parent(target).and_then(|()| make(target)).is_ok() {
            return Ok(());
        }
        make_room(&self.spare.dir, relative)?;
        create_parent(target)?;
        clear(target)?;
        make(target)
    }

    /// Removes the spare folder's files this build does not have, and folders left empty.
    fn remove_stale(&self, files: &[Entry]) -> io::Result<()> {
        let keep: std::collections::HashSet<&str> =
            files.iter().map(|e| e.relative.as_str()).collect();
        let mut emptied = Vec::new();
        for entry in walkdir::WalkDir::new(&self.spare.dir).min_depth(1) {
            let entry = entry.map_err(io::Error::other)?;
            if entry.file_type().is_dir() {
                continue;
            }
            let relative = entry.path().strip_prefix(&self.spare.dir).ok();
            let listed = relative
                .and_then(|p| p.to_str())
                .is_some_and(|p| p == MARKER || keep.contains(p));
            if !listed {
                fs::remove_file(entry.path())?;
                emptied.extend(entry.path().parent().map(Path::to_path_buf));
            }
        }
        for mut dir in emptied {
            // Up from each folder that lost a file, while the folders are empty.
            while dir != self.spare.dir && fs::remove_dir(&dir).is_ok() {
                dir.pop();
            }
        }
        Ok(())
    }

    /// Hard-links the files that are the same as in the output at `out` from it into the
    /// spare folder (unless the spare folder already held them).
    fn link_from_out(&self, files: &[Entry]) -> Result<(), Error> {
        files
            .par_iter()
            .filter(|e| e.placed == Placed::Linked)
            .try_for_each(|e| {
                let target = self.inside(&e.relative)?;
                let source = self.out.join(&e.relative);
                self.replace(&target, &e.relative, |t| {
                    fs::hard_link(&source, t).or_else(|_| fs::copy(&source, t).map(drop))
                })
                .map_err(|err| Error::io("linking", &source, err))
            })
    }

    /// Puts the new output at `out` in one step; the old one becomes the spare folder.
    fn swap(&self) -> Result<(), Error> {
        let spare = &self.spare.dir;
        if !self.out.exists() {
            return fs::rename(spare, &self.out)
                .map_err(|e| Error::io("moving into place", spare, e));
        }
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            // One atomic exchange: `out` is never missing, not even for an instant, and the
            // old output ends up as the spare folder, still marked and listed as ours.
            if renameat_with(CWD, spare, CWD, &self.out, RenameFlags::EXCHANGE).is_ok() {
                if !spare.join(MARKER).is_file() {
                    // The old output was an empty folder the user made (`check_target`
                    // allows no other unmarked one): nothing to keep, and only empty
                    // folders can be removed this way.
                    fs::remove_dir(spare).map_err(|e| Error::io("removing", spare, e))?;
                }
                return Ok(());
            }
            // Some file systems cannot exchange; fall back to two renames.
        }
        let old = sibling(&self.out, "old")?;
        if old.exists() {
            remove_own(&old)?;
        }
        fs::rename(&self.out, &old).map_err(|e| Error::io("moving aside", &self.out, e))?;
        fs::rename(spare, &self.out).map_err(|e| Error::io("moving into place", spare, e))?;
        remove_tree(&old).map_err(|e| Error::io("removing", &old, e))
    }

    /// The path of a site-relative file inside the spare folder; refuses anything that
    /// could leave it (`..`, absolute paths), whatever the content says.
    fn inside(&self, relative: &str) -> Result<PathBuf, Error> {
        let path = Path::new(relative);
        let safe = path.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe || relative.is_empty() || relative.starts_with(MARKER) {
            return Err(Error::Usage(format!(
                "refusing to write `{relative}`: it would leave the output folder"
            )));
        }
        Ok(self.spare.dir.join(path))
    }
}

impl Drop for Staging {
    /// A build that fails leaves no new folder behind; a spare folder it found stays for
    /// the next build, its marker saying whether its list can still be trusted.
    fn drop(&mut self) {
        if !self.committed && self.spare_is_new {
            let _ = fs::remove_dir_all(&self.spare.dir);
        }
    }
}

/// Removes whatever is at `path` (a file, a link or a folder); nothing there is fine.
fn clear(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => match fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(path),
            _ => Err(e),
        },
    }
}

/// Removes files that stand where the folders of `relative` must go.
fn make_room(root: &Path, relative: &str) -> io::Result<()> {
    let mut dir = root.to_path_buf();
    let parts: Vec<&str> = relative.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        dir.push(part);
        if fs::symlink_metadata(&dir).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(&dir)?;
        }
    }
    Ok(())
}

/// The error for a folder in sitroom's way that it did not make.
fn not_ours(dir: &Path) -> Error {
    Error::Usage(format!(
        "`{}` is in the way and sitroom did not make it; move it away and build again",
        dir.display()
    ))
}

/// Makes the folder a file goes in. Most pages sit in a folder of their own whose parent
/// exists, so one `mkdir` is tried before walking up the path.
fn create_parent(target: &Path) -> io::Result<()> {
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    match fs::create_dir(parent) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(_) => fs::create_dir_all(parent),
    }
}

fn write_file(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create(target)?;
    file.write_all(bytes)
}

/// The marker's contents: its first line, the inputs' fingerprint, `files`, then one
/// binary record per file.
fn manifest(inputs: Option<u64>, files: &[Entry]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(MARKER_TEXT.len() + 32 + files.len() * RECORD);
    bytes.extend_from_slice(MARKER_TEXT.as_bytes());
    if let Some(inputs) = inputs {
        bytes.extend_from_slice(format!("{INPUTS}{inputs:016x}\n").as_bytes());
    }
    bytes.extend_from_slice(FILES.as_bytes());
    for entry in files {
        bytes.extend_from_slice(&path_key(&entry.relative).to_le_bytes());
        bytes.extend_from_slice(&entry.fingerprint.hash.to_le_bytes());
        bytes.extend_from_slice(&entry.fingerprint.len.to_le_bytes());
    }
    bytes
}

/// The file list in the marker of the output at `out`; empty when there is none or it is
/// not one sitroom wrote (an unreadable list only costs a full write, never a wrong file).
fn read_manifest(out: &Path) -> (Option<u64>, HashMap<u64, Fingerprint>) {
    let none = (None, HashMap::new());
    let Ok(bytes) = fs::read(out.join(MARKER)) else {
        return none;
    };
    let Some(rest) = bytes.strip_prefix(MARKER_TEXT.as_bytes()) else {
        return none;
    };
    let (inputs, rest) = match rest.strip_prefix(INPUTS.as_bytes()) {
        Some(line) if line.len() > 16 && line[16] == b'\n' => {
            let hex = std::str::from_utf8(&line[..16]).ok();
            (
                hex.and_then(|h| u64::from_str_radix(h, 16).ok()),
                &line[17..],
            )
        }
        _ => (None, rest),
    };
    let Some(records) = rest.strip_prefix(FILES.as_bytes()) else {
        return none;
    };
    if records.len() % RECORD != 0 {
        return none;
    }
    let word = |record: &[u8], i: usize| {
        u64::from_le_bytes(record[i * 8..i * 8 + 8].try_into().expect("8 bytes"))
    };
    let files = records
        .chunks_exact(RECORD)
        .map(|r| {
            let fingerprint = Fingerprint {
                hash: word(r, 1),
                len: word(r, 2),
            };
            (word(r, 0), fingerprint)
        })
        .collect();
    (inputs, files)
}

/// Removes a whole output folder, its second-level entries in parallel: deleting tens of
/// thousands of files one after another was a fifth of a rebuild's time (#5). The marker
/// goes last, so a deletion cut short leaves a folder the next build knows it may remove.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let mut leaves = Vec::new();
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            for inner in fs::read_dir(entry.path())? {
                let inner = inner?;
                leaves.push((inner.path(), inner.file_type()?.is_dir()));
            }
            folders.push(entry.path());
        } else if entry.file_name() != MARKER {
            leaves.push((entry.path(), false));
        }
    }
    leaves.par_iter().try_for_each(|(path, is_dir)| {
        if *is_dir {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        }
    })?;
    for folder in folders {
        fs::remove_dir(&folder)?;
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Refuses output folders whose replacement would lose something: the site itself or a
/// folder above it, the content, `/`, the home folder, or a folder sitroom did not make.
fn check_target(root: &Path, out: &Path) -> Result<(), Error> {
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "refusing to use `{}` as the output folder: {why}; pass `--out` a folder of its own, like `{}`",
            out.display(),
            root.join("public").display()
        )))
    };
    if out.parent().is_none() {
        return refuse("it is the file system root");
    }
    if root.starts_with(out) {
        return refuse("it holds the site itself");
    }
    for source in ["content", "templates", "static"] {
        if out.starts_with(root.join(source)) {
            return refuse(&format!("it is inside `{source}/`"));
        }
    }
    if let Some(home) = std::env::var_os("HOME")
        && out == Path::new(&home)
    {
        return refuse("it is your home folder");
    }
    if out.exists() {
        if !out.is_dir() {
            return refuse("it is a file");
        }
        let empty = fs::read_dir(out)
            .map_err(|e| Error::io("reading", out, e))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER).is_file() {
            return refuse("it is not empty and sitroom did not make it");
        }
    }
    Ok(())
}

/// Removes a folder left by an earlier build, but only if it carries the marker.
fn remove_own(dir: &Path) -> Result<(), Error> {
    if dir.join(MARKER).is_file() {
        fs::remove_dir_all(dir).map_err(|e| Error::io("removing", dir, e))
    } else {
        Err(not_ours(dir))
    }
}

/// `public` → `.public.sitroom-spare` beside it: on the same file system, so renames are atomic.
fn sibling(out: &Path, what: &str) -> Result<PathBuf, Error> {
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    let parent = out.parent().unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{name}.sitroom-{what}")))
}

/// An absolute, `..`-free path, whether or not it exists yet.
fn absolute(path: &Path) -> Result<PathBuf, Error> {
    let joined = std::path::absolute(path).map_err(|e| Error::io("resolving", path, e))?;
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Resolve symbolic links where the path exists, so `out` cannot alias the site by a link.
    Ok(fs::canonicalize(&clean).unwrap_or(clean))
}
