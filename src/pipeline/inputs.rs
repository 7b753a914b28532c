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

/// The digest of everything `build` would read with `options`; `None` when something
/// cannot be looked at (then nothing is taken as unchanged).
pub fn digest(options: &BuildOptions) -> Option<u64> {
    digests(options).map(|d| d.all)
}

/// `Digests` of what `build` would read with `options`; `None` when something cannot be
/// looked at.
pub fn digests(options: &BuildOptions) -> Option<Digests> {
    let now = SystemTime::now();
    let root = &options.root;
    let mut hasher = Xxh3::new();
    hasher.update(b"sitroom inputs 1\0");
    hasher.update(binary()?.as_bytes());
    let out = crate::output::absolute(&options.out_dir()).ok()?;
    hasher.update(out.to_string_lossy().as_bytes());
    hasher.update(b"\0");
    hasher.update(format!("{:?}\0{}\0", options.base_url, options.drafts).as_bytes());
    for file in FILES {
        hasher.update(&file_key(&root.join(file), file, now)?.to_le_bytes());
    }
    let folders: Vec<Option<(u64, u64)>> = FOLDERS
        .par_iter()
        .map(|folder| folder_key(root, folder, now))
        .collect();
    let mut frame = hasher.clone();
    for key in folders {
        let (all, outside) = key?;
        hasher.update(&all.to_le_bytes());
        frame.update(&outside.to_le_bytes());
    }
    Some(Digests {
        all: hasher.digest(),
        frame: frame.digest(),
    })
}

/// Whether the file at `relative` (from the root) is Markdown content, which the resolved
/// site describes in full.
fn is_content_text(relative: &Path) -> bool {
    relative.starts_with("content") && relative.extension().is_some_and(|e| e == "md")
}

/// The running binary, by its version, size and modification time: a new sitroom (or the
/// same version rebuilt, with other templates built in) builds again.
fn binary() -> Option<String> {
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    Some(format!(
        "{} {} {:?}\0",
        env!("CARGO_PKG_VERSION"),
        exe.len(),
        exe.modified().ok()?
    ))
}

/// One folder's files, in a fixed order, each by `file_key`: all of them, and all but
/// Markdown content and folders under `content/`. A missing folder has a key of its own,
/// so that making one counts as a change.
fn folder_key(root: &Path, folder: &str, now: SystemTime) -> Option<(u64, u64)> {
    let dir = root.join(folder);
    let mut hasher = Xxh3::new();
    hasher.update(folder.as_bytes());
    if std::fs::symlink_metadata(&dir).is_err() {
        hasher.update(b"\0missing");
        let key = hasher.digest();
        return Some((key, key));
    }
    let mut frame = hasher.clone();
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        let entry = entry.ok()?;
        let relative = entry.path().strip_prefix(root).ok()?;
        let name = relative.to_string_lossy();
        let key = file_key(entry.path(), &name, now)?.to_le_bytes();
        hasher.update(&key);
        let in_content = relative.starts_with("content") && entry.file_type().is_dir();
        if !in_content && !is_content_text(relative) {
            frame.update(&key);
        }
    }
    Some((hasher.digest(), frame.digest()))
}

/// A file (or folder, or link) by its name, kind, size and time; by its bytes as well when
/// it was modified in the last `RACY` seconds.
fn file_key(path: &Path, name: &str, now: SystemTime) -> Option<u64> {
    let mut hasher = Xxh3::new();
    hasher.update(name.as_bytes());
    hasher.update(b"\0");
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            hasher.update(b"missing");
            return Some(hasher.digest());
        }
        Err(_) => return None,
    };
    let modified = metadata.modified().ok()?;
    hasher.update(format!("{:?} {} {modified:?}", metadata.file_type(), metadata.len()).as_bytes());
    let racy = now.duration_since(modified).map_or(true, |age| age < RACY);
    if racy && metadata.is_file() {
        hasher.update(&xxh3_64(&std::fs::read(path).ok()?).to_le_bytes());
    }
    Some(hasher.digest())
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
    fn any_edit_or_option_changes_the_digest() {
        let dir = archive();
        let options = BuildOptions::new(dir.path());
        let before = digest(&options);
        let frame = digests(&options).expect("digests").frame;
        // Same size, written within the same second: seen by its bytes.
        std::fs::write(dir.path().join("content/briefings/a.md"), "two").expect("write");
        let edited = digest(&options);
        assert_ne!(before, edited);
        // Markdown content is not part of the frame; a file beside it is.
        assert_eq!(digests(&options).expect("digests").frame, frame);
        std::fs::write(dir.path().join("content/briefings/a.jpg"), "jpeg").expect("write");
        assert_ne!(digests(&options).expect("digests").frame, frame);
        std::fs::remove_file(dir.path().join("content/briefings/a.jpg")).expect("remove");
        let edited = digest(&options);
        let frame = digests(&options).expect("digests").frame;
        std::fs::create_dir(dir.path().join("templates")).expect("mkdir");
        assert_ne!(digests(&options).expect("digests").frame, frame);
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
