//! The lock that gives one build at a time the output (#16): two builds into one `--out`
//! used to interleave their writes, and both exited 0 with a broken site. An exclusive
//! advisory lock on a file in the state folder; the build that holds it writes its process
//! id there, so the one refused can say who holds it.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::Error;

/// The file in the state folder that builds lock.
pub const LOCK: &str = "lock";

/// The output is this build's until the lock is dropped.
#[derive(Debug)]
pub struct Lock {
    file: fs::File,
    path: PathBuf,
}

impl Lock {
    /// Takes the lock on the output whose state folder is `state`, or refuses (a usage
    /// error, exit 2) when another build holds it: waiting could hang a deploy behind a
    /// stuck build, and the other build's result would be replaced by this one anyway.
    pub fn take(state: &Path, out: &Path) -> Result<Lock, Error> {
        let path = state.join(LOCK);
        // A failed first build removes its state folder: retry if the file locked is no
        // longer the one at the path.
        for _ in 0..8 {
            let file = open(&path).map_err(|e| Error::io("locking", &path, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Err(held(&path, out)),
                Err(fs::TryLockError::Error(e)) => return Err(Error::io("locking", &path, e)),
            }
            if !is_at(&file, &path) {
                continue;
            }
            let mut lock = Lock { file, path };
            lock.record_holder()
                .map_err(|e| Error::io("writing", &lock.path, e))?;
            return Ok(lock);
        }
        Err(Error::io(
            "locking",
            &path,
            io::Error::other("the lock file keeps being replaced"),
        ))
    }

    fn record_holder(&mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        writeln!(self.file, "{}", std::process::id())
    }

    /// Removes the lock file (when the build removes the state folder it made).
    pub fn remove(self) {
        let Lock { file, path } = self;
        // Windows cannot remove an open file; on Unix the order does not matter.
        drop(file);
        let _ = fs::remove_file(path);
    }
}

/// Opens (or makes) the lock file without following a link, and refuses one that is a
/// hard link to some other file: the lock file is written to.
fn open(path: &Path) -> io::Result<fs::File> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
        fs::remove_file(path)?;
    }
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The flag's bits fit an i32 (`O_NOFOLLOW` is one bit below 2^31).
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let metadata = file.metadata()?;
        if !metadata.is_file() || metadata.nlink() != 1 {
            return Err(io::Error::other(
                "it is not a plain file of its own; remove it and build again",
            ));
        }
    }
    Ok(file)
}

/// Whether `file` is still the file at `path`.
fn is_at(file: &fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// The refusal when another build holds the lock, naming its process where it can.
fn held(path: &Path, out: &Path) -> Error {
    let pid = fs::read_to_string(path)
        .ok()
        .and_then(|text| text.trim().parse::<u32>().ok());
    let who = match pid {
        Some(pid) => format!("another sitroom build (process {pid})"),
        None => "another sitroom build".to_string(),
    };
    Error::Usage(format!(
        "`{}` is being written by {who}; wait for it to finish and build again (its lock is `{}`)",
        out.display(),
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_with_the_holders_pid() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        let first = Lock::take(dir.path(), &out).expect("the first lock");
        let recorded = fs::read_to_string(dir.path().join(LOCK)).expect("read");
        assert_eq!(recorded.trim(), std::process::id().to_string());
        let second = Lock::take(dir.path(), &out).expect_err("a second lock");
        let message = second.to_string();
        assert!(
            message.contains(&format!("process {}", std::process::id())),
            "{message}"
        );
        assert_eq!(second.exit_code(), 2);
        drop(first);
        Lock::take(dir.path(), &out).expect("the lock once it is free");
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_file_linked_elsewhere_is_not_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let precious = dir.path().join("precious.txt");
        fs::write(&precious, "keep").expect("write");
        fs::hard_link(&precious, dir.path().join(LOCK)).expect("link");
        assert!(Lock::take(dir.path(), &dir.path().join("public")).is_err());
        assert_eq!(fs::read_to_string(&precious).expect("read"), "keep");
    }
}
