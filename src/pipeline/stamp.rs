//! The record of the last successful build into one output folder, kept in
//! `<root>/.sitroom-cache/build-v1/`: the digest of its inputs, the snapshot of the folder it
//! committed, and what its report said (counts and warnings), so that a build with the same
//! inputs into the same untouched folder can say the same without doing the work (#14).
//! One file per output folder and options. A record that does not read is removed and
//! never trusted: it only costs a build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::edits::Record;
use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Severity};
use crate::output::{Identity, Snapshot};
use crate::render::Category;

/// The folder of build records in the cache; the number changes with the format.
pub const DIR: &str = "build-v1";

/// What a successful build left, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamp {
    /// The digests of its inputs (`inputs::digests`): all of them, and all but the
    /// Markdown content.
    pub inputs: u64,
    pub frame: u64,
    /// Its scan's cut-off (`inputs::Scan`), by which the next build compares.
    pub cutoff: u128,
    /// The site it resolved, as digests (`edits::Record`).
    pub site: Option<Record>,
    /// The output folder it committed and the spare folder beside it, as
    /// `output::Snapshot` saw them under its lock.
    pub live: Option<Folder>,
    pub spare: Option<Folder>,
    /// Its report.
    pub files: usize,
    pub counts: Vec<(String, usize)>,
    pub warnings: Vec<Warning>,
}

/// A folder by its identity and the digest of its files' inodes, sizes and times.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Folder {
    pub device: u64,
    pub inode: u64,
    pub born: u128,
    pub digest: u64,
    pub files: usize,
}

impl Folder {
    pub fn kept(s: &Snapshot) -> Folder {
        Folder {
            device: s.folder.device,
            inode: s.folder.inode,
            born: s.folder.born,
            digest: s.digest,
            files: s.files,
        }
    }

    pub fn replayed(&self) -> Snapshot {
        Snapshot {
            folder: Identity {
                device: self.device,
                inode: self.inode,
                born: self.born,
            },
            digest: self.digest,
            files: self.files,
        }
    }
}

/// A kept warning, with everything it prints (its source line too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    pub source_line: Option<String>,
}

impl Warning {
    pub fn kept(d: &Diagnostic) -> Warning {
        Warning {
            path: d.path.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
            source_line: d.source_line.clone(),
        }
    }

    pub fn replayed(&self) -> Diagnostic {
        Diagnostic {
            path: self.path.clone(),
            line: self.line,
            column: self.column,
            severity: Severity::Warning,
            message: self.message.clone(),
            help: self.help.clone(),
            source_line: self.source_line.clone(),
        }
    }
}

/// Every category, with the name it is stored by.
fn categories() -> impl Iterator<Item = Category> {
    [Category::Home, Category::Briefing]
        .into_iter()
        .chain(Kind::ALL.map(Category::Entity))
        .chain([
            Category::Archive,
            Category::Page,
            Category::Feed,
            Category::Other,
        ])
}

pub fn counts_kept(counts: &BTreeMap<Category, usize>) -> Vec<(String, usize)> {
    counts.iter().map(|(c, n)| (format!("{c:?}"), *n)).collect()
}

/// The counts as stored, or `None` if one names no category this sitroom knows.
pub fn counts_replayed(kept: &[(String, usize)]) -> Option<BTreeMap<Category, usize>> {
    kept.iter()
        .map(|(name, n)| {
            categories()
                .find(|c| format!("{c:?}") == *name)
                .map(|c| (c, *n))
        })
        .collect()
}

/// Where the record of builds into `out` with these options is kept.
pub fn path(cache: &Path, key: u64) -> PathBuf {
    cache.join(DIR).join(format!("{key:016x}.json"))
}

/// Reads a record; one that does not read is removed.
pub fn read(path: &Path) -> Option<Stamp> {
    let bytes = std::fs::read(path).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(stamp) => Some(stamp),
        Err(_) => {
            let _ = std::fs::remove_file(path);
            None
        }
    }
}

/// Writes a record in one rename, so that a build killed halfway leaves the old one or
/// the new one. A record that cannot be written only costs the next build its shortcut.
pub fn write(path: &Path, stamp: &Stamp) {
    if let Ok(bytes) = serde_json::to_vec(stamp) {
        write_bytes(path, &bytes);
    }
}

/// Writes a file of the record folder in one rename (see `write`).
pub fn write_bytes(path: &Path, bytes: &[u8]) {
    let Some(parent) = path.parent() else { return };
    if !make_cache(parent) {
        return;
    }
    let fresh = path.with_extension("new");
    if std::fs::write(&fresh, bytes).is_err() || std::fs::rename(&fresh, path).is_err() {
        let _ = std::fs::remove_file(&fresh);
    }
}

/// Makes the record folder inside the cache, never through a link (a cache folder that is
/// a link could send the record anywhere); the cache folder is marked as one and
/// git-ignored as the image cache marks it. Tells whether the folder is there.
fn make_cache(dir: &Path) -> bool {
    let Some(top) = dir.parent() else {
        return false;
    };
    match std::fs::symlink_metadata(top) {
        Ok(m) if !m.is_dir() => return false,
        Ok(_) => {}
        Err(_) => {
            if std::fs::create_dir(top).is_err() {
                return false;
            }
            let tag = "Signature: 8a477f597d28d172789f06886806bc55\n\
                       # sitroom's cache (processed images, build records); safe to delete.\n";
            let _ = std::fs::write(top.join("CACHEDIR.TAG"), tag);
            let _ = std::fs::write(top.join(".gitignore"), "*\n");
        }
    }
    match std::fs::symlink_metadata(dir) {
        Ok(m) => m.is_dir(),
        Err(_) => std::fs::create_dir(dir).is_ok(),
    }
}

/// Removes a record that no longer describes the output (a build that changed it failed
/// after writing, or the record is stale).
pub fn forget(path: &Path) {
    let _ = std::fs::remove_file(path);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_and_a_damaged_one_is_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = path(dir.path(), 7);
        let mut counts = BTreeMap::new();
        counts.insert(Category::Entity(Kind::Place), 3);
        counts.insert(Category::Home, 1);
        let warning = Diagnostic::warning("content/a.md", "odd")
            .at_line_of("one\ntwo\n", 2, 1)
            .with_help("fix it");
        let stamp = Stamp {
            inputs: 1,
            frame: 2,
            cutoff: 9,
            site: Some(Record {
                shape: 3,
                says: vec![(4, 5)],
            }),
            live: Some(Folder {
                device: 2,
                inode: 3,
                born: 4,
                digest: 5,
                files: 6,
            }),
            spare: None,
            files: 6,
            counts: counts_kept(&counts),
            warnings: vec![Warning::kept(&warning)],
        };
        write(&path, &stamp);
        let back = read(&path).expect("a record");
        assert_eq!(back, stamp);
        assert_eq!(counts_replayed(&back.counts), Some(counts));
        assert_eq!(back.warnings[0].replayed(), warning);
        std::fs::write(&path, "{\"inputs\": 1").expect("write");
        assert_eq!(read(&path), None);
        assert!(!path.exists());
        assert_eq!(counts_replayed(&[("Nothing".into(), 1)]), None);
    }
}
