//! Write: the only writer of the built site. Pages go into a fresh sibling folder that is
//! swapped into place only when the whole build succeeded, so a failed or killed build
//! leaves the last good output as it was. sitroom only ever replaces a folder that holds
//! its marker file, and never writes outside `--out`.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::Error;

/// The file that marks a folder as sitroom's output, which it may replace.
pub const MARKER: &str = ".sitroom-output";
const MARKER_TEXT: &str = "This folder is written by sitroom; it is replaced on every build.\n";

/// A build's output being written, not yet visible at `--out`.
pub struct Staging {
    out: PathBuf,
    temp: PathBuf,
    committed: bool,
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
        let staging = Staging {
            out,
            temp,
            committed: false,
        };
        staging.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Writes one file at a site-relative path inside the new output.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), Error> {
        let target = self.inside(relative)?;
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
        }
        fs::write(&target, bytes).map_err(|e| Error::io("writing", &target, e))
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
            let target = self.inside(relative)?;
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
            }
            let source = static_dir.join(file);
            fs::copy(&source, &target)
                .map(drop)
                .map_err(|e| Error::io("copying", &source, e))
        })
    }

    /// Swaps the new output into place and removes the old one.
    pub fn commit(mut self) -> Result<PathBuf, Error> {
        let old = sibling(&self.out, "old")?;
        if old.exists() {
            remove_own(&old)?;
        }
        if self.out.exists() {
            fs::rename(&self.out, &old).map_err(|e| Error::io("moving aside", &self.out, e))?;
        }
        fs::rename(&self.temp, &self.out)
            .map_err(|e| Error::io("moving into place", &self.temp, e))?;
        self.committed = true;
        if old.exists() {
            fs::remove_dir_all(&old).map_err(|e| Error::io("removing", &old, e))?;
        }
        Ok(self.out.clone())
    }

    /// The path of a site-relative file inside the new output; refuses anything that could
    /// leave it (`..`, absolute paths), whatever the content says.
    fn inside(&self, relative: &str) -> Result<PathBuf, Error> {
        let path = Path::new(relative);
        let safe = path.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe || relative.is_empty() {
            return Err(Error::Unsafe(format!(
                "refusing to write `{relative}`: it would leave the output folder"
            )));
        }
        Ok(self.temp.join(path))
    }
}

impl Drop for Staging {
    /// A build that failed leaves no half-written folder behind.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
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
