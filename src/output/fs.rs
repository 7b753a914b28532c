//! The file operations the output is written with, each chosen so that it can never change
//! a file it was not asked to: new files are made with `create_new` (never through a file,
//! hard link or symbolic link already there), folders are listed without following links,
//! and what stands in the way is removed, never written into.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::{Fingerprint, Identity};

/// Makes a new file at `target` with `bytes`. Fails if anything is there already, so it
/// never writes through a hard link shared with the live output (#16); a file cut short
/// by a full disk is removed, not left behind.
pub fn write_new(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)?;
    let written = file.write_all(bytes).and_then(|()| file.flush());
    if written.is_err() {
        drop(file);
        let _ = fs::remove_file(target);
    }
    written
}

/// The fingerprint of the plain file at `path`, read whole; `None` for anything else (a
/// missing file, a link, a folder).
pub fn fingerprint(path: &Path) -> Option<Fingerprint> {
    let mut file = open_no_follow(path).ok()?;
    let metadata = file.metadata().ok()?;
    if !metadata.is_file() {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).ok()?);
    file.read_to_end(&mut bytes).ok()?;
    Some(Fingerprint::of(&bytes))
}

/// Opens a file for reading, refusing a symbolic link (on Linux in the same call).
fn open_no_follow(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The flag's bits fit an i32 (`O_NOFOLLOW` is one bit below 2^31).
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    #[cfg(not(target_os = "linux"))]
    if fs::symlink_metadata(path)?.is_symlink() {
        return Err(io::Error::other("a symbolic link"));
    }
    options.open(path)
}

/// The identity of the folder at `path`, if a real folder (not a link) is there.
pub fn identity(path: &Path) -> io::Result<Option<Identity>> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Ok(Some(identity_of(&m))),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn identity_of(metadata: &fs::Metadata) -> Identity {
    let born = metadata
        .created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Identity {
            device: metadata.dev(),
            inode: metadata.ino(),
            born,
        }
    }
    #[cfg(not(unix))]
    {
        Identity {
            device: 0,
            inode: 0,
            born,
        }
    }
}

/// What a folder holds, found without following a single link.
#[derive(Debug, Default)]
pub struct Listing {
    /// Its plain files, by site-relative path.
    pub files: Vec<String>,
    /// Each of `files`' `stat_key`, in the same order (0 for one that could not be read).
    pub stats: Vec<u64>,
    /// Everything that is neither a plain file nor a folder (symbolic links, pipes,
    /// sockets), or whose name is not UTF-8: sitroom never writes such a thing.
    pub others: Vec<PathBuf>,
}

/// Lists `dir`, its folders in parallel (a big output has tens of thousands), each
/// entry stat'ed through the folder that was read to find it, so that no path is walked
/// again from the root.
pub fn list(dir: &Path) -> io::Result<Listing> {
    list_under(dir, dir)
}

fn list_under(root: &Path, dir: &Path) -> io::Result<Listing> {
    let mut listing = Listing::default();
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        // Neither is a link followed by.
        let kind = entry.file_type()?;
        if kind.is_dir() {
            folders.push(entry.path());
        } else {
            let stat = kind
                .is_file()
                .then(|| entry.metadata().ok().and_then(|m| stat_key(&m)))
                .flatten();
            sort_entry(root, &entry.path(), kind.is_file(), stat, &mut listing);
        }
    }
    let inner: Vec<Listing> = folders
        .par_iter()
        .map(|folder| list_under(root, folder))
        .collect::<io::Result<_>>()?;
    for part in inner {
        listing.files.extend(part.files);
        listing.stats.extend(part.stats);
        listing.others.extend(part.others);
    }
    Ok(listing)
}

fn sort_entry(dir: &Path, path: &Path, is_file: bool, stat: Option<u64>, listing: &mut Listing) {
    let relative = path.strip_prefix(dir).ok().and_then(Path::to_str);
    match relative {
        // Site paths use `/` on every system.
        Some(relative) if is_file => {
            listing.files.push(relative.replace('\\', "/"));
            listing.stats.push(stat.unwrap_or(0));
        }
        _ => listing.others.push(path.to_path_buf()),
    }
}

/// A file by inode, size, modification time and change time (`Snapshot`). The change time
/// cannot be set back by hand (#16: a file replaced through a new file, its time restored,
/// may even get the old inode number), and a build's own unlinking of a file shared with
/// the other folder changes it too, which is why snapshots are taken after all writing.
pub fn stat_key(metadata: &fs::Metadata) -> Option<u64> {
    let modified = metadata.modified().ok()?;
    #[cfg(unix)]
    let inode = {
        use std::os::unix::fs::MetadataExt;
        (
            metadata.dev(),
            metadata.ino(),
            metadata.ctime(),
            metadata.ctime_nsec(),
        )
    };
    #[cfg(not(unix))]
    let inode = (0u64, 0u64, 0i64, 0i64);
    let modified = modified
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut bytes = [0u8; 56];
    bytes[..8].copy_from_slice(&inode.0.to_le_bytes());
    bytes[8..16].copy_from_slice(&inode.1.to_le_bytes());
    bytes[16..24].copy_from_slice(&inode.2.to_le_bytes());
    bytes[24..32].copy_from_slice(&inode.3.to_le_bytes());
    bytes[32..40].copy_from_slice(&metadata.len().to_le_bytes());
    bytes[40..].copy_from_slice(&modified.to_le_bytes());
    Some(xxhash_rust::xxh3::xxh3_64(&bytes))
}

/// Removes whatever is at `path` (a file, a link or a folder, never what a link points
/// to); nothing there is fine.
pub fn clear(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => match fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(path),
            _ => Err(e),
        },
    }
}

/// Removes a file (or link) at `path`, leaving a folder there alone.
pub fn remove_file_only(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Removes the folders above `path` up to `root` while they are empty.
pub fn remove_empty_parents(root: &Path, path: &Path) {
    let mut dir = path.parent().map(Path::to_path_buf);
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(&d).is_err() {
            break;
        }
        dir = d.parent().map(Path::to_path_buf);
    }
}

/// Makes the folders of `relative` under `root` real folders: a file or a link standing
/// where one must go is removed first, so nothing is written through a link (#16).
pub fn make_room(root: &Path, relative: &str) -> io::Result<()> {
    let mut dir = root.to_path_buf();
    let parts: Vec<&str> = relative.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        dir.push(part);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => fs::remove_file(&dir)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        match fs::create_dir(&dir) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Makes the folder a file goes in. Most pages sit in a folder of their own whose parent
/// exists, so one `mkdir` is tried before walking up the path.
pub fn create_parent(target: &Path) -> io::Result<()> {
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    match fs::create_dir(parent) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(_) => fs::create_dir_all(parent),
    }
}

/// Removes a whole folder of sitroom's, its second-level entries in parallel: deleting tens
/// of thousands of files one after another was a fifth of a rebuild's time (#5).
pub fn remove_tree(dir: &Path) -> io::Result<()> {
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
        } else {
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
    fs::remove_dir(dir)
}

/// Exchanges two folders in one step, where the system can; `Ok(false)` where it cannot.
pub fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            // Some file systems cannot exchange (EINVAL), and old kernels lack the call.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Whether `dir` is the root of a mounted file system, which cannot be renamed or swapped
/// (`Device or resource busy`), only written into (#16).
pub fn is_mount_point(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (Ok(this), Some(Ok(parent))) = (
            fs::symlink_metadata(dir),
            dir.parent().map(fs::symlink_metadata),
        ) else {
            return false;
        };
        if this.dev() != parent.dev() {
            return true;
        }
    }
    // A bind mount of a folder on the same file system shows only in the mount table.
    #[cfg(target_os = "linux")]
    if let Ok(table) = fs::read_to_string("/proc/self/mountinfo") {
        return mount_points(&table).iter().any(|p| p == dir);
    }
    false
}

/// The mount points listed in `/proc/self/mountinfo` (its fifth field, with spaces and
/// other bytes written as `\040`-style octal escapes).
pub fn mount_points(table: &str) -> Vec<PathBuf> {
    table
        .lines()
        .filter_map(|line| line.split(' ').nth(4))
        .map(|field| PathBuf::from(unescape_octal(field)))
        .collect()
}

fn unescape_octal(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escape = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match escape {
            Some(digits) => {
                let value = digits.iter().fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_never_goes_through_a_hard_link() {
        let dir = tempfile::tempdir().expect("temp dir");
        let live = dir.path().join("live.html");
        let spare = dir.path().join("spare.html");
        fs::write(&live, "published").expect("write");
        fs::hard_link(&live, &spare).expect("link");
        assert!(write_new(&spare, b"new").is_err());
        clear(&spare).expect("clear");
        write_new(&spare, b"new").expect("write anew");
        assert_eq!(fs::read_to_string(&live).expect("read"), "published");
        assert_eq!(fs::read_to_string(&spare).expect("read"), "new");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_listed_apart_and_cleared_without_touching_what_they_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outside = tempfile::tempdir().expect("temp dir");
        fs::write(outside.path().join("keep.txt"), "mine").expect("write");
        let tree = dir.path().join("tree");
        fs::create_dir_all(tree.join("people/kyiv")).expect("mkdir");
        fs::write(tree.join("people/kyiv/index.html"), "page").expect("write");
        fs::write(tree.join("index.html"), "home").expect("write");
        std::os::unix::fs::symlink(outside.path(), tree.join("people/elsewhere")).expect("link");
        let mut listing = list(&tree).expect("list");
        listing.files.sort();
        assert_eq!(listing.files, ["index.html", "people/kyiv/index.html"]);
        assert_eq!(listing.others, [tree.join("people/elsewhere")]);
        clear(&listing.others[0]).expect("clear");
        assert!(outside.path().join("keep.txt").is_file());
        // A link where a folder must go is replaced by a real folder.
        std::os::unix::fs::symlink(outside.path(), tree.join("tags")).expect("link");
        make_room(&tree, "tags/x/index.html").expect("make room");
        assert!(
            !fs::symlink_metadata(tree.join("tags"))
                .expect("meta")
                .is_symlink()
        );
        assert_eq!(fs::read_dir(outside.path()).expect("read").count(), 1);
        // Reading a link for a fingerprint is refused.
        std::os::unix::fs::symlink(tree.join("index.html"), tree.join("alias.html")).expect("link");
        assert_eq!(fingerprint(&tree.join("alias.html")), None);
        assert_eq!(
            fingerprint(&tree.join("index.html")),
            Some(Fingerprint::of(b"home"))
        );
    }

    #[test]
    fn a_folder_made_anew_has_another_identity() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("a");
        fs::create_dir(&a).expect("mkdir");
        let first = identity(&a).expect("stat").expect("a folder");
        fs::rename(&a, dir.path().join("b")).expect("rename");
        assert_eq!(identity(&dir.path().join("b")).expect("stat"), Some(first));
        fs::create_dir(&a).expect("mkdir again");
        assert_ne!(identity(&a).expect("stat"), Some(first));
        assert_eq!(identity(&dir.path().join("missing")).expect("stat"), None);
    }

    #[test]
    fn the_mount_table_is_read_with_its_escapes() {
        let table = "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n\
                     35 22 0:31 / /mnt/my\\040site rw - tmpfs none rw,size=1024k\n";
        assert_eq!(
            mount_points(table),
            [PathBuf::from("/"), PathBuf::from("/mnt/my site")]
        );
    }
}
