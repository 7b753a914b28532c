//! What the output folder looks like on disk, cheaply: every file by path, inode, size,
//! modification and change time, folded into one digest. A build that recorded the digest of the
//! folder it committed can later tell, without reading a single page, that the folder is
//! still exactly as it left it (#14): a file edited, added, removed or replaced by hand
//! changes its time, size or inode, and so the digest.

use std::path::Path;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::lock::Lock;
use super::manifest::{Identity, Manifest, path_key};
use super::target::{self, Current};
use crate::Error;

/// The output folder as a build left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub folder: Identity,
    /// Over every file's path, inode, size and modification time.
    pub digest: u64,
    pub files: usize,
}

impl Snapshot {
    /// The output at `out` as it is now, if it is sitroom's (its manifest names it), holds
    /// exactly the files its manifest lists, and no build is writing it. `None` otherwise,
    /// and when anything cannot be read: then nothing is taken as unchanged.
    pub fn take(root: &Path, out: &Path) -> Result<Option<Snapshot>, Error> {
        let root = target::absolute(root)?;
        let out = target::check_path(&root, out)?;
        let state = target::state_dir(&out);
        if !state.is_dir() {
            return Ok(None);
        }
        // Another build writing `out` refuses this one, as it would any build.
        let _lock = Lock::take(&state, &out)?;
        let Current::Ours(folder, manifest) = target::classify(&root, &out, &state)? else {
            return Ok(None);
        };
        Ok(Snapshot::of(&out, folder, &manifest))
    }

    /// The folder `dir`, whose identity is `folder`, if it holds exactly the files
    /// `manifest` lists (by path), and nothing else.
    pub(super) fn of(dir: &Path, folder: Identity, manifest: &Manifest) -> Option<Snapshot> {
        let files = stat_all(dir)?;
        let listed = files.len() == manifest.files.len()
            && files
                .iter()
                .all(|(relative, _)| manifest.files.contains_key(&path_key(relative)));
        if !listed || files.is_empty() {
            return None;
        }
        Some(Snapshot {
            folder,
            digest: digest(&files),
            files: files.len(),
        })
    }

    /// The folder `dir`, whose identity is `folder`, by the files it is known to hold,
    /// stat'ed one by one (a build that has just written them knows them; no listing).
    pub(super) fn of_files<'a>(
        dir: &Path,
        folder: Identity,
        files: impl IntoParallelIterator<Item = &'a str>,
    ) -> Option<Snapshot> {
        Snapshot::of_known(dir, folder, files.into_par_iter().map(|f| (f, None)))
    }

    /// `of_files`, with the stat key of some files known already: those a build found in
    /// a folder and left untouched are not stat'ed again. A key that is no longer true
    /// only makes the snapshot differ from the folder, which is then not trusted.
    pub(super) fn of_known<'a>(
        dir: &Path,
        folder: Identity,
        files: impl IntoParallelIterator<Item = (&'a str, Option<u64>)>,
    ) -> Option<Snapshot> {
        let mut found: Vec<(String, u64)> = files
            .into_par_iter()
            .map(|(relative, known)| {
                let key = match known {
                    Some(key) => key,
                    None => {
                        let metadata = std::fs::symlink_metadata(dir.join(relative)).ok()?;
                        metadata
                            .is_file()
                            .then(|| super::fs::stat_key(&metadata))??
                    }
                };
                Some((relative.to_string(), key))
            })
            .collect::<Option<_>>()?;
        found.sort_unstable();
        (!found.is_empty()).then(|| Snapshot {
            folder,
            digest: digest(&found),
            files: found.len(),
        })
    }
}

/// The digest of files sorted by path, each with its `stat_key`.
pub(super) fn digest(files: &[(String, u64)]) -> u64 {
    let mut hasher = Xxh3::new();
    for (relative, key) in files {
        hasher.update(relative.as_bytes());
        hasher.update(&key.to_le_bytes());
    }
    hasher.digest()
}

/// Every plain file under `dir` with a key of its inode, size and time, sorted by path;
/// `None` if anything but plain files and folders is there, or cannot be read.
fn stat_all(dir: &Path) -> Option<Vec<(String, u64)>> {
    let listing = super::fs::list(dir).ok()?;
    // A key of 0: a file whose stat could not be read.
    if !listing.others.is_empty() || listing.stats.contains(&0) {
        return None;
    }
    let mut all: Vec<(String, u64)> = listing.files.into_iter().zip(listing.stats).collect();
    all.sort_unstable();
    Some(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_with_a_link_or_nothing_readable_has_no_snapshot() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("a/b")).expect("mkdir");
        std::fs::write(dir.path().join("a/b/index.html"), "x").expect("write");
        std::fs::write(dir.path().join("top.html"), "y").expect("write");
        let files = stat_all(dir.path()).expect("plain files");
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a/b/index.html", "top.html"]);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", dir.path().join("a/etc")).expect("link");
            assert_eq!(stat_all(dir.path()), None);
        }
    }
}
