//! The raw inputs of a build, known without reading them: every file the build reads, by
//! name, size and modification time, plus the sitroom binary and the options. Two scans
//! that give the same digest mean the build would read the very same bytes (#14), so a
//! build whose digest matches the last successful one's has nothing to redo.
//!
//! A file changed twice within one tick of the file system's clock keeps its time, so a
//! file modified in the last seconds before the scan is known by its bytes instead (git
//! calls such entries "racily clean"): a quick edit after a build is never missed.

use std::path::Path;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::BuildOptions;

/// Every folder under the archive's root that a stage reads. A stage that reads another
/// adds it here; anything left out would make an edit there go unseen.
pub const FOLDERS: &[&str] = &["content", "templates", "static", "i18n"];
/// Every single file under the root that a stage reads.
pub const FILES: &[&str] = &["site.yaml"];

/// A file modified this recently is known by its bytes, not its time.
const RACY: Duration = Duration::from_secs(2);

/// The digests of a build's inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    /// Everything `build` would read with its options.
    pub all: u64,
    /// All but the Markdown files under `content/`: when only this is the same as the
    /// last build's, what changed is in what briefings, profiles and pages say, which the
    /// resolved site tells apart (`edits`).
    pub frame: u64,
}

/// One scan of the inputs, digested twice: as the last build would have (files modified
/// after its cut-off known by their bytes), to compare with what it recorded, and as this
/// build records it (its own cut-off, two seconds before now). A file's key thus never
/// changes between two scans unless the file did, even as it stops being recent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    pub compare: Digests,
    pub record: Digests,
    /// This scan's cut-off, in nanoseconds since 1970, recorded for the next one.
    pub cutoff: u128,
}

/// The digest of everything `build` would read with `options`; `None` when something
/// cannot be looked at (then nothing is taken as unchanged).
#[cfg(test)]
pub fn digest(options: &BuildOptions) -> Option<u64> {
    scan(options, None).map(|s| s.record.all)
}

/// Scans what `build` would read with `options`, against the last build's cut-off (`None`:
/// none). `None` when something cannot be looked at.
pub fn scan(options: &BuildOptions, last_cutoff: Option<u128>) -> Option<Scan> {
    let now = SystemTime::now()
        .checked_sub(RACY)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let last = last_cutoff
        .and_then(|n| u64::try_from(n).ok())
        .map_or(now, |n| SystemTime::UNIX_EPOCH + Duration::from_nanos(n));
    let cutoffs = [last, now];
    let root = &options.root;
    let mut hasher = Xxh3::new();
    hasher.update(b"sitroom inputs 1\0");
    hasher.update(binary()?.as_bytes());
    let out = crate::output::absolute(&options.out_dir()).ok()?;
    hasher.update(out.to_string_lossy().as_bytes());
    hasher.update(b"\0");
    hasher.update(format!("{:?}\0{}\0", options.base_url, options.drafts).as_bytes());
    let mut hashers = [hasher.clone(), hasher];
    for file in FILES {
        let keys = file_key(&root.join(file), file, cutoffs)?;
        for (h, key) in hashers.iter_mut().zip(keys) {
            h.update(&key.to_le_bytes());
        }
    }
    let folders: Vec<Option<FolderKeys>> = FOLDERS
        .par_iter()
        .map(|folder| folder_key(root, folder, cutoffs))
        .collect();
    let mut frames = hashers.clone();
    for keys in folders {
        let keys = keys?;
        for i in 0..2 {
            hashers[i].update(&keys.all[i].to_le_bytes());
            frames[i].update(&keys.frame[i].to_le_bytes());
        }
    }
    let digests = |i: usize| Digests {
        all: hashers[i].digest(),
        frame: frames[i].digest(),
    };
    Some(Scan {
        compare: digests(0),
        record: digests(1),
        cutoff: now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    })
}

/// Whether the file at `relative` (from the root) is Markdown content, which the resolved
/// site describes in full.
fn is_content_text(relative: &Path) -> bool {
    relative.starts_with("content") && relative.extension().is_some_and(|e| e == "md")
}

/// The running binary, by its version, size and modification time: a new sitroom (or the
/// same version rebuilt, with other templates built in) builds again.
pub(crate) fn binary() -> Option<String> {
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    Some(format!(
        "{} {} {:?}\0",
        env!("CARGO_PKG_VERSION"),
        exe.len(),
        exe.modified().ok()?
    ))
}

/// A folder's keys for the two cut-offs: of all its files, and of all but Markdown content
/// and folders under `content/`.
struct FolderKeys {
    all: [u64; 2],
    frame: [u64; 2],
}

/// One folder's files, in a fixed order, each by `file_key`. A missing folder has a key
/// of its own, so that making one counts as a change.
fn folder_key(root: &Path, folder: &str, cutoffs: [SystemTime; 2]) -> Option<FolderKeys> {
    let dir = root.join(folder);
    let mut hasher = Xxh3::new();
    hasher.update(folder.as_bytes());
    if std::fs::symlink_metadata(&dir).is_err() {
        hasher.update(b"\0missing");
        let key = hasher.digest();
        return Some(FolderKeys {
            all: [key; 2],
            frame: [key; 2],
        });
    }
    let mut all = [hasher.clone(), hasher.clone()];
    let mut frame = [hasher.clone(), hasher];
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        let entry = entry.ok()?;
        let relative = entry.path().strip_prefix(root).ok()?;
        let name = relative.to_string_lossy();
        let keys = file_key(entry.path(), &name, cutoffs)?;
        let in_content = relative.starts_with("content") && entry.file_type().is_dir();
        let in_frame = !in_content && !is_content_text(relative);
        for i in 0..2 {
            all[i].update(&keys[i].to_le_bytes());
            if in_frame {
                frame[i].update(&keys[i].to_le_bytes());
            }
        }
    }
    Some(FolderKeys {
        all: [all[0].digest(), all[1].digest()],
        frame: [frame[0].digest(), frame[1].digest()],
    })
}

/// A file (or folder, or link) by its name, kind, size and time; by its bytes as well when
/// it was modified after the cut-off (one key for each cut-off).
fn file_key(path: &Path, name: &str, cutoffs: [SystemTime; 2]) -> Option<[u64; 2]> {
    let mut hasher = Xxh3::new();
    hasher.update(name.as_bytes());
    hasher.update(b"\0");
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            hasher.update(b"missing");
            let key = hasher.digest();
            return Some([key; 2]);
        }
        Err(_) => return None,
    };
    let modified = metadata.modified().ok()?;
    let kind: u8 = if metadata.is_file() {
        1
    } else if metadata.is_dir() {
        2
    } else {
        3
    };
    let nanos = modified
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.update(&[kind]);
    hasher.update(&metadata.len().to_le_bytes());
    hasher.update(&nanos.to_le_bytes());
    let recent = cutoffs.map(|cutoff| metadata.is_file() && modified >= cutoff);
    let bytes = if recent.contains(&true) {
        Some(xxh3_64(&std::fs::read(path).ok()?))
    } else {
        None
    };
    let plain = hasher.clone().digest();
    let with_bytes = bytes.map(|b| {
        hasher.update(&b.to_le_bytes());
        hasher.digest()
    });
    Some(recent.map(|r| {
        if r {
            with_bytes.unwrap_or(plain)
        } else {
            plain
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content/briefings")).expect("mkdir");
        std::fs::write(dir.path().join("site.yaml"), "title: T\n").expect("write");
        std::fs::write(dir.path().join("content/briefings/a.md"), "one").expect("write");
        dir
    }

    #[test]
    fn the_same_inputs_give_the_same_digest() {
        let dir = archive();
        let options = BuildOptions::new(dir.path());
        assert!(digest(&options).is_some());
        assert_eq!(digest(&options), digest(&options));
    }

    #[test]
    fn a_file_that_stops_being_recent_keeps_its_key() {
        let dir = archive();
        let options = BuildOptions::new(dir.path());
        let first = scan(&options, None).expect("scan");
        // However late the next scan, it compares by the first one's cut-off.
        let next = scan(&options, Some(first.cutoff)).expect("scan");
        assert_eq!(next.compare, first.record);
        let long_ago = Some(first.cutoff - 3_600_000_000_000);
        assert_eq!(
            scan(&options, long_ago).expect("scan").record,
            next.record,
            "what is recorded depends on this scan's own cut-off only"
        );
        std::fs::write(dir.path().join("content/briefings/a.md"), "won").expect("write");
        let edited = scan(&options, Some(first.cutoff)).expect("scan");
        assert_ne!(edited.compare, first.record);
    }

    #[test]
    fn any_edit_or_option_changes_the_digest() {
        let dir = archive();
        let options = BuildOptions::new(dir.path());
        let before = digest(&options);
        let frame = scan(&options, None).expect("scan").record.frame;
        // Same size, written within the same second: seen by its bytes.
        std::fs::write(dir.path().join("content/briefings/a.md"), "two").expect("write");
        let edited = digest(&options);
        assert_ne!(before, edited);
        // Markdown content is not part of the frame; a file beside it is.
        assert_eq!(scan(&options, None).expect("scan").record.frame, frame);
        std::fs::write(dir.path().join("content/briefings/a.jpg"), "jpeg").expect("write");
        assert_ne!(scan(&options, None).expect("scan").record.frame, frame);
        std::fs::remove_file(dir.path().join("content/briefings/a.jpg")).expect("remove");
        let edited = digest(&options);
        let frame = scan(&options, None).expect("scan").record.frame;
        std::fs::create_dir(dir.path().join("templates")).expect("mkdir");
        assert_ne!(scan(&options, None).expect("scan").record.frame, frame);
        let with_templates = digest(&options);
        assert_ne!(edited, with_templates);
        let drafts = BuildOptions {
            drafts: true,
            ..options.clone()
        };
        assert_ne!(digest(&drafts), with_templates);
        let elsewhere = BuildOptions {
            out: Some(dir.path().join("site")),
            ..options.clone()
        };
        assert_ne!(digest(&elsewhere), with_templates);
        std::fs::remove_file(dir.path().join("content/briefings/a.md")).expect("remove");
        assert_ne!(digest(&options), with_templates);
    }
}
