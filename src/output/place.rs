//! How a committed build reaches `--out`: the spare folder brought up to date (stale
//! files removed, unchanged files hard-linked from the live output) and exchanged with it
//! in one step; or, on a mount point, each changed file renamed into place.

use std::collections::HashSet;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::target::{self, Current};
use super::{
    Entry, Mode, OLD, Placed, SPARE, Staging, Tree, fs, legacy_manifest, write_atomically,
};
use crate::Error;

impl Staging {
    /// Brings the spare folder up to date and exchanges it with the output.
    pub(super) fn commit_swap(&self, files: &[Entry]) -> Result<(), Error> {
        let Mode::Swap {
            spare,
            spare_is_new,
        } = &self.mode
        else {
            return Ok(());
        };
        if !spare_is_new {
            self.remove_stale(spare, files)
                .map_err(|e| Error::io("tidying", &spare.dir, e))?;
        }
        self.link_from_out(files)?;
        let spare_identity = fs::identity(&spare.dir)
            .map_err(|e| Error::io("reading", &spare.dir, e))?
            .ok_or_else(|| Error::io("reading", &spare.dir, io::ErrorKind::NotFound.into()))?;
        self.write_manifest(spare_identity, files)?;
        self.swap(&spare.dir)?;
        // The old output is now the spare folder. An older sitroom's output keeps its list
        // for the next build; its own marker in it is removed then, as a stale file.
        if let (Current::Legacy(identity, manifest), true) = (&self.current, spare.dir.exists()) {
            let path = self.state.join(identity.file_name());
            write_atomically(&path, &manifest.encode(*identity))?;
        }
        for old in [
            target::sibling(&self.out, SPARE),
            target::sibling(&self.out, OLD),
        ] {
            if legacy_manifest(&old).is_some() {
                fs::remove_tree(&old).map_err(|e| Error::io("removing", &old, e))?;
            }
        }
        Ok(())
    }

    /// Moves each changed file into `out` in one rename, then removes what this build
    /// does not have.
    pub(super) fn commit_in_place(&self, files: &[Entry]) -> Result<(), Error> {
        let Mode::InPlace { incoming } = &self.mode else {
            return Ok(());
        };
        for entry in files.iter().filter(|e| e.placed == Placed::Written) {
            let from = incoming.join(&entry.relative);
            let to = self.out.join(&entry.relative);
            self.move_into_out(&from, &to, &entry.relative)
                .map_err(|e| Error::io("writing", &to, e))?;
        }
        let keep: HashSet<&str> = files.iter().map(|e| e.relative.as_str()).collect();
        for relative in self.live.present.values() {
            if !keep.contains(relative.as_str()) {
                let path = self.out.join(relative);
                fs::remove_file_only(&path).map_err(|e| Error::io("removing", &path, e))?;
                fs::remove_empty_parents(&self.out, &path);
            }
        }
        // Links and such in a folder sitroom writes are never part of the site.
        if let Ok(listing) = fs::list(&self.out) {
            for other in listing.others {
                fs::clear(&other).map_err(|e| Error::io("removing", &other, e))?;
            }
        }
        if let Some(identity) = self.live.identity {
            self.write_manifest(identity, files)?;
        } else {
            let identity = fs::identity(&self.out)
                .map_err(|e| Error::io("reading", &self.out, e))?
                .ok_or_else(|| Error::io("reading", &self.out, io::ErrorKind::NotFound.into()))?;
            self.write_manifest(identity, files)?;
        }
        fs::remove_tree(incoming).map_err(|e| Error::io("removing", incoming, e))
    }

    /// One file of an in-place build into `out`: renamed if the two are on one file
    /// system, else copied beside its place and renamed over it, so a reader sees the old
    /// file or the new one, never half of one.
    fn move_into_out(&self, from: &Path, to: &Path, relative: &str) -> io::Result<()> {
        fs::make_room(&self.out, relative)?;
        if std::fs::symlink_metadata(to).is_ok_and(|m| m.is_dir()) {
            fs::clear(to)?;
        }
        if std::fs::rename(from, to).is_ok() {
            return Ok(());
        }
        let name = to.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        let beside = to.with_file_name(format!(".{name}.sitroom-new"));
        fs::clear(&beside)?;
        fs::write_new(&beside, &std::fs::read(from)?)?;
        std::fs::rename(&beside, to)
    }

    /// Removes the spare folder's files this build does not have, and folders left empty.
    fn remove_stale(&self, spare: &Tree, files: &[Entry]) -> io::Result<()> {
        let keep: HashSet<&str> = files.iter().map(|e| e.relative.as_str()).collect();
        for relative in spare.present.values() {
            if !keep.contains(relative.as_str()) {
                let path = spare.dir.join(relative);
                fs::remove_file_only(&path)?;
                fs::remove_empty_parents(&spare.dir, &path);
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
                self.put(&target, &e.relative, |t| {
                    std::fs::hard_link(&source, t)
                        .or_else(|_| fs::write_new(t, &std::fs::read(&source)?))
                })
                .map_err(|err| Error::io("linking", &source, err))
            })
    }

    /// Puts the new output at `out` in one step; the old one becomes the spare folder.
    fn swap(&self, spare: &Path) -> Result<(), Error> {
        if matches!(self.current, Current::Missing) {
            return std::fs::rename(spare, &self.out)
                .map_err(|e| Error::io("moving into place", spare, e));
        }
        let exchanged =
            fs::exchange(spare, &self.out).map_err(|e| Error::io("moving into place", spare, e))?;
        if !exchanged {
            // Two renames: `out` is missing for an instant.
            let old = self.state.join(OLD);
            std::fs::rename(&self.out, &old)
                .map_err(|e| Error::io("moving aside", &self.out, e))?;
            std::fs::rename(spare, &self.out)
                .map_err(|e| Error::io("moving into place", spare, e))?;
            std::fs::rename(&old, spare).map_err(|e| Error::io("moving", &old, e))?;
        }
        if matches!(self.current, Current::Empty(_)) {
            // The old output was an empty folder (`classify` allows no other foreign one):
            // nothing to keep, and only an empty folder can be removed this way.
            std::fs::remove_dir(spare).map_err(|e| Error::io("removing", spare, e))?;
        }
        Ok(())
    }
}
