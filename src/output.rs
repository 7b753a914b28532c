//! Write: the only writer of the built site. Pages go into a fresh sibling folder that is
//! swapped into place only when the whole build succeeded, so a failed or killed build
//! leaves the last good output as it was. sitroom only ever replaces a folder that holds
//! its marker file, and never writes outside `--out`.
//!
//! Rebuilds write only what changed (#5): the marker file lists every file of the last
//! build with a hash of its bytes. A page whose bytes hash the same, and whose old file is
//! still as sitroom left it (same length, not modified after the marker), is hard-linked
//! from the old output instead of written; when nothing at all changed, the old output
//! stays in place untouched.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

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
/// the old file holds exactly the bytes a new build would write. A file edited by hand
/// after the build is newer than the marker, so sitroom never links a file it did not
/// leave that way.
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

/// A build's output being written, not yet visible at `--out`.
pub struct Staging {
    out: PathBuf,
    temp: PathBuf,
    /// The files of the output now at `out` by `path_key`, from its marker; empty on a
    /// first build.
    previous: HashMap<u64, Fingerprint>,
    /// When the marker of the output now at `out` was written: its files are no newer.
    previous_written: Option<std::time::SystemTime>,
    /// The fingerprint of the inputs the output now at `out` was made from, if known.
    previous_inputs: Option<u64>,
    /// This build's input fingerprint, recorded in the marker at `commit`.
    inputs: Option<u64>,
    /// Every file of this build, and whether it was written (`true`) or is the same as
    /// the previous output's and waits to be linked (`false`).
    files: Mutex<Vec<(String, Fingerprint, bool)>>,
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
    /// Checks that `out` may be (re)placed and makes the fresh folder beside it.
    pub fn begin(root: &Path, out: &Path) -> Result<Staging, Error> {
        let out = absolute(out)?;
        let root = absolute(root)?;
        check_target(&root, &out)?;
        let temp = sibling(&out, "new")?;
        if temp.exists() {
            // A build that was killed left this behind; it is ours only if it has the marker.
            remove_own(&temp)?;
        }
        fs::create_dir_all(&temp).map_err(|e| Error::io("creating", &temp, e))?;
        let marker = temp.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(|e| Error::io("writing", &marker, e))?;
        let (previous_inputs, previous) = read_manifest(&out);
        let previous_written = fs::metadata(out.join(MARKER))
            .and_then(|m| m.modified())
            .ok();
        Ok(Staging {
            previous,
            previous_written,
            previous_inputs,
            inputs: None,
            out,
            temp,
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
            && inputs == self.previous_inputs
            && !self.previous.is_empty()
            && self.output_untouched()
    }

    /// Whether the output at `out` holds exactly the files its marker lists, each as
    /// sitroom left it.
    fn output_untouched(&self) -> bool {
        let mut count = 0;
        for entry in walkdir::WalkDir::new(&self.out).min_depth(1) {
            let Ok(entry) = entry else { return false };
            if entry.file_type().is_dir() {
                continue;
            }
            let Some(relative) = entry
                .path()
                .strip_prefix(&self.out)
                .ok()
                .and_then(|p| p.to_str())
            else {
                return false;
            };
            if relative == MARKER {
                continue;
            }
            count += 1;
            let listed = self.previous.get(&path_key(relative));
            if !listed.is_some_and(|old| self.untouched(relative, old)) {
                return false;
            }
        }
        count == self.previous.len()
    }

    /// Writes one file at a site-relative path inside the new output, unless the old
    /// output already holds these exact bytes there (it is then linked at `commit`).
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), Error> {
        let target = self.inside(relative)?;
        let fingerprint = Fingerprint {
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
            len: bytes.len() as u64,
        };
        if self.previous.get(&path_key(relative)) == Some(&fingerprint)
            && self.untouched(relative, &fingerprint)
        {
            return self.record(relative, fingerprint, false);
        }
        create_parent(&target)?;
        write_file(&target, bytes).map_err(|e| Error::io("writing", &target, e))?;
        self.record(relative, fingerprint, true)
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

    /// Swaps the new output into place and removes the old one; or, when every file is the
    /// same as in the old output, leaves the old output as it is.
    pub fn commit(mut self) -> Result<Committed, Error> {
        let mut files = std::mem::take(self.files.get_mut().unwrap_or_else(|e| e.into_inner()));
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let all_same = files.iter().all(|(_, _, written)| !written);
        if all_same && files.len() == self.previous.len() && self.out.is_dir() {
            // Same paths (each was found in the old list) and same bytes: no page to write.
            // Only the inputs' fingerprint may be new (a new sitroom, an edit that shows on
            // no page); the marker takes it in one rename, so the next build can skip.
            if self.inputs != self.previous_inputs {
                let marker = self.temp.join(MARKER);
                let text = manifest(self.inputs, &files);
                fs::write(&marker, text).map_err(|e| Error::io("writing", &marker, e))?;
                let target = self.out.join(MARKER);
                fs::rename(&marker, &target).map_err(|e| Error::io("writing", &target, e))?;
            }
            return Ok(Committed::Unchanged);
        }
        self.link_unchanged(&files)?;
        let marker = self.temp.join(MARKER);
        fs::write(&marker, manifest(self.inputs, &files))
            .map_err(|e| Error::io("writing", &marker, e))?;
        let old = self.swap()?;
        self.committed = true;
        if let Some(old) = old {
            remove_tree(&old).map_err(|e| Error::io("removing", &old, e))?;
        }
        Ok(Committed::Replaced)
    }

    /// Hard-links the files this build left unwritten from the old output into the new.
    fn link_unchanged(&self, files: &[(String, Fingerprint, bool)]) -> Result<(), Error> {
        files
            .par_iter()
            .filter(|(_, _, written)| !written)
            .try_for_each(|(relative, _, _)| {
                let target = self.inside(relative)?;
                let source = self.out.join(relative);
                create_parent(&target)?;
                fs::hard_link(&source, &target)
                    .or_else(|_| fs::copy(&source, &target).map(drop))
                    .map_err(|e| Error::io("linking", &source, e))
            })
    }

    /// Puts the new output at `out` in one step; returns where the old output now is.
    fn swap(&self) -> Result<Option<PathBuf>, Error> {
        if !self.out.exists() {
            fs::rename(&self.temp, &self.out)
                .map_err(|e| Error::io("moving into place", &self.temp, e))?;
            return Ok(None);
        }
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            // One atomic exchange: `out` is never missing, not even for an instant, and the
            // old output ends up at the staging path, still marked as ours.
            if renameat_with(CWD, &self.temp, CWD, &self.out, RenameFlags::EXCHANGE).is_ok() {
                return Ok(Some(self.temp.clone()));
            }
            // Some file systems cannot exchange; fall back to two renames.
        }
        let old = sibling(&self.out, "old")?;
        if old.exists() {
            remove_own(&old)?;
        }
        fs::rename(&self.out, &old).map_err(|e| Error::io("moving aside", &self.out, e))?;
        fs::rename(&self.temp, &self.out)
            .map_err(|e| Error::io("moving into place", &self.temp, e))?;
        Ok(Some(old))
    }

    /// Whether the old output's file is still as the last build left it: a plain file of
    /// the listed length, modified no later than the marker that lists it.
    fn untouched(&self, relative: &str, old: &Fingerprint) -> bool {
        let Some(marker_written) = self.previous_written else {
            return false;
        };
        fs::symlink_metadata(self.out.join(relative)).is_ok_and(|m| {
            m.is_file() && m.len() == old.len && m.modified().is_ok_and(|t| t <= marker_written)
        })
    }

    fn record(&self, relative: &str, fingerprint: Fingerprint, written: bool) -> Result<(), Error> {
        // A panic elsewhere cannot leave the list half-updated: a push either happened or not.
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.push((relative.to_string(), fingerprint, written));
        Ok(())
    }

    /// The path of a site-relative file inside the new output; refuses anything that could
    /// leave it (`..`, absolute paths), whatever the content says.
    fn inside(&self, relative: &str) -> Result<PathBuf, Error> {
        let path = Path::new(relative);
        let safe = path.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe || relative.is_empty() || relative == MARKER {
            return Err(Error::Unsafe(format!(
                "refusing to write `{relative}`: it would leave the output folder"
            )));
        }
        Ok(self.temp.join(path))
    }
}

impl Drop for Staging {
    /// A build that failed (or changed nothing) leaves no staging folder behind.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// Makes the folder a file goes in. Most pages sit in a folder of their own whose parent
/// exists, so one `mkdir` is tried before walking up the path.
fn create_parent(target: &Path) -> Result<(), Error> {
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    match fs::create_dir(parent) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(_) => fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e)),
    }
}

fn write_file(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create(target)?;
    file.write_all(bytes)
}

/// The marker's contents: its first line, the inputs' fingerprint, `files`, then one
/// binary record per file.
fn manifest(inputs: Option<u64>, files: &[(String, Fingerprint, bool)]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(MARKER_TEXT.len() + 32 + files.len() * RECORD);
    bytes.extend_from_slice(MARKER_TEXT.as_bytes());
    if let Some(inputs) = inputs {
        bytes.extend_from_slice(format!("{INPUTS}{inputs:016x}\n").as_bytes());
    }
    bytes.extend_from_slice(FILES.as_bytes());
    for (path, f, _) in files {
        bytes.extend_from_slice(&path_key(path).to_le_bytes());
        bytes.extend_from_slice(&f.hash.to_le_bytes());
        bytes.extend_from_slice(&f.len.to_le_bytes());
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
        Err(Error::Unsafe(format!(
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
        Err(Error::Unsafe(format!(
            "`{}` is in the way and sitroom did not make it; move it away and build again",
            dir.display()
        )))
    }
}

/// `public` → `.public.sitroom-new` beside it: on the same file system, so renames are atomic.
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
