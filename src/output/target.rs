//! Where a build may write, decided before anything is rendered: `--out` is refused when
//! replacing it could lose something (the site itself, a folder above it, the content, `/`,
//! the home folder, a file, a link to nowhere, a folder sitroom did not make), and what
//! stands there now is told apart: nothing, an empty folder, sitroom's last output.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::fs::identity_of;
use super::manifest::{Identity, LEGACY_MARKER, Manifest};
use crate::Error;

/// The state folder beside the output: `public` → `.public.sitroom-state`. It holds the
/// manifests, the lock and the spare folder, on the same file system as the output so
/// that the two can be exchanged in one step; it is never published.
pub fn state_dir(out: &Path) -> PathBuf {
    sibling(out, "state")
}

/// `public` → `.public.sitroom-WHAT` beside it.
pub fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    let parent = out.parent().unwrap_or(Path::new("."));
    parent.join(format!(".{name}.sitroom-{what}"))
}

/// What stands at `--out` before the build.
#[derive(Debug)]
pub enum Current {
    /// Nothing yet.
    Missing,
    /// An empty folder, made by hand or by sitroom.
    Empty(Identity),
    /// The folder sitroom last wrote there, as its manifest describes it.
    Ours(Identity, Manifest),
    /// An output of an older sitroom, which kept its manifest inside (`.sitroom-output`).
    Legacy(Identity, Manifest),
}

impl Current {
    pub fn identity(&self) -> Option<Identity> {
        match self {
            Current::Missing => None,
            Current::Empty(id) | Current::Ours(id, _) | Current::Legacy(id, _) => Some(*id),
        }
    }

    pub fn manifest(&self) -> Option<&Manifest> {
        match self {
            Current::Ours(_, m) | Current::Legacy(_, m) => Some(m),
            Current::Missing | Current::Empty(_) => None,
        }
    }
}

/// Checks the paths: refuses an `--out` whose replacement would lose something, before the
/// folder itself is looked at. Returns `--out` as an absolute path with links resolved.
pub fn check_path(root: &Path, out: &Path) -> Result<PathBuf, Error> {
    let given = clean(out)?;
    let root = absolute(root)?;
    let out = absolute(out)?;
    let refuse = |why: &str| refusal(&root, &out, why);
    if fs::symlink_metadata(&given).is_ok_and(|m| m.is_symlink()) && !out.exists() {
        let target = fs::read_link(&given).unwrap_or_default();
        return refuse(&format!(
            "it is a symbolic link to `{}`, which does not exist",
            target.display()
        ));
    }
    if out.parent().is_none() {
        return refuse("it is the file system root");
    }
    if root.starts_with(&out) {
        return refuse("it holds the site itself");
    }
    for source in ["content", "templates", "static"] {
        if out.starts_with(root.join(source)) {
            return refuse(&format!("it is inside `{source}/`"));
        }
    }
    if let Some(home) = std::env::var_os("HOME")
        && absolute(Path::new(&home)).is_ok_and(|home| out == home)
    {
        return refuse("it is your home folder");
    }
    if out.exists() && !out.is_dir() {
        return refuse("it is a file");
    }
    let state = state_dir(&out);
    if fs::symlink_metadata(&state).is_ok_and(|m| !m.is_dir()) {
        return Err(Error::Usage(format!(
            "`{}` is in sitroom's way and is not a folder it made; move it away and build again",
            state.display()
        )));
    }
    Ok(out)
}

/// What stands at `out` now: refuses a non-empty folder that is neither the folder whose
/// manifest is in `state` nor an older sitroom's output.
pub fn classify(root: &Path, out: &Path, state: &Path) -> Result<Current, Error> {
    let metadata = match fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Current::Missing),
        Err(e) => return Err(Error::io("reading", out, e)),
    };
    if !metadata.is_dir() {
        return refusal(root, out, "it is a file");
    }
    let identity = identity_of(&metadata);
    if let Ok(bytes) = fs::read(state.join(identity.file_name()))
        && let Some(manifest) = Manifest::decode(&bytes, identity)
    {
        return Ok(Current::Ours(identity, manifest));
    }
    let marker = out.join(LEGACY_MARKER);
    if fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file())
        && let Ok(bytes) = fs::read(&marker)
        && Manifest::is_legacy(&bytes)
    {
        let manifest = Manifest::decode_legacy(&bytes).unwrap_or_default();
        return Ok(Current::Legacy(identity, manifest));
    }
    let empty = fs::read_dir(out)
        .map_err(|e| Error::io("reading", out, e))?
        .next()
        .is_none();
    if empty {
        return Ok(Current::Empty(identity));
    }
    refusal(root, out, "it is not empty and sitroom did not make it")
}

fn refusal<T>(root: &Path, out: &Path, why: &str) -> Result<T, Error> {
    Err(Error::Usage(format!(
        "refusing to use `{}` as the output folder: {why}; pass `--out` a folder of its own, like `{}`",
        out.display(),
        root.join("public").display()
    )))
}

/// An absolute, `..`-free path, links resolved where the path exists, so that `out`
/// cannot alias the site through a link.
pub fn absolute(path: &Path) -> Result<PathBuf, Error> {
    let clean = clean(path)?;
    Ok(fs::canonicalize(&clean).unwrap_or(clean))
}

/// An absolute, `..`-free path, links left as they are.
fn clean(path: &Path) -> Result<PathBuf, Error> {
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
    Ok(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for folder in ["content/briefings", "templates", "static"] {
            fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
        }
        dir
    }

    fn refused(root: &Path, out: &Path) -> String {
        match check_path(root, out) {
            Err(Error::Usage(message)) => message,
            other => panic!("`{}` was not refused: {other:?}", out.display()),
        }
    }

    #[test]
    fn paths_that_would_lose_something_are_refused() {
        let dir = site();
        let root = dir.path();
        assert!(refused(root, Path::new("/")).contains("file system root"));
        assert!(refused(root, root).contains("holds the site itself"));
        assert!(refused(root, &root.join("..")).contains("holds the site itself"));
        assert!(refused(root, &root.join("content/briefings")).contains("inside `content/`"));
        assert!(refused(root, &root.join("static")).contains("inside `static/`"));
        fs::write(root.join("notes.txt"), "mine").expect("write");
        assert!(refused(root, &root.join("notes.txt")).contains("it is a file"));
        let out = check_path(root, &root.join("public")).expect("a folder of its own");
        assert!(out.is_absolute() && out.ends_with("public"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_nowhere_is_refused_and_a_link_to_a_folder_is_followed() {
        let dir = site();
        let root = dir.path();
        std::os::unix::fs::symlink(root.join("gone"), root.join("public")).expect("link");
        let message = refused(root, &root.join("public"));
        assert!(message.contains("symbolic link") && message.contains("does not exist"));
        fs::create_dir(root.join("gone")).expect("mkdir");
        let out = check_path(root, &root.join("public")).expect("a link to a folder");
        assert!(out.ends_with("gone"));
        // A link into the content is the content.
        std::os::unix::fs::symlink(root.join("content"), root.join("site-out")).expect("link");
        assert!(refused(root, &root.join("site-out")).contains("inside `content/`"));
    }

    #[test]
    fn the_state_folder_is_beside_the_output() {
        assert_eq!(
            state_dir(Path::new("/srv/site/public")),
            Path::new("/srv/site/.public.sitroom-state")
        );
    }

    #[test]
    fn what_stands_at_the_output_is_told_apart() {
        let dir = site();
        let root = dir.path();
        let out = root.join("public");
        let state = state_dir(&out);
        assert!(matches!(classify(root, &out, &state), Ok(Current::Missing)));
        fs::create_dir(&out).expect("mkdir");
        assert!(matches!(
            classify(root, &out, &state),
            Ok(Current::Empty(_))
        ));
        fs::write(out.join("thesis.txt"), "years of work").expect("write");
        assert!(matches!(classify(root, &out, &state), Err(Error::Usage(_))));
        // Its manifest beside it makes the folder sitroom's…
        let identity = classify_identity(&out);
        fs::create_dir(&state).expect("mkdir");
        let manifest = Manifest::default();
        fs::write(state.join(identity.file_name()), manifest.encode(identity)).expect("write");
        assert!(matches!(
            classify(root, &out, &state),
            Ok(Current::Ours(_, _))
        ));
        // …but not another folder put in its place by hand.
        fs::rename(&out, root.join("moved")).expect("move");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("thesis.txt"), "years of work").expect("write");
        assert!(matches!(classify(root, &out, &state), Err(Error::Usage(_))));
        // An older sitroom's marker inside still counts.
        fs::write(
            out.join(LEGACY_MARKER),
            "This folder is written by sitroom; it is replaced on every build.\nfiles\n",
        )
        .expect("write");
        assert!(matches!(
            classify(root, &out, &state),
            Ok(Current::Legacy(_, _))
        ));
    }

    fn classify_identity(dir: &Path) -> Identity {
        identity_of(&fs::symlink_metadata(dir).expect("stat"))
    }
}
