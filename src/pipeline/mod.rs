//! The build as a function of its inputs (#14): what it read and what it made are
//! recorded, so that a build whose inputs are the same as the last successful one's, into
//! the folder that build left untouched, does nothing but say so again.
//!
//! ```text
//! inputs::digest (names, sizes, times)  ─┐
//! output::Snapshot (the folder, by stat) ─┴→ the same as the stamp? → the kept report
//! ```
//!
//! Kept in `<root>/.sitroom-cache/build-v1/`, one record per output folder and options;
//! invalidated by any change of an input file (name, size, time, or bytes when it is
//! recent), the binary, the options, or any file of the output folder.

pub mod inputs;
pub mod stamp;

use std::path::PathBuf;
use std::time::Instant;

use crate::media::cache::CACHE_DIR;
use crate::output::Snapshot;
use crate::{BuildOptions, Error, Report};
use stamp::{Stamp, Warning};

/// The last build's record for these options, and this build's inputs.
pub struct Previous {
    path: PathBuf,
    inputs: Option<u64>,
}

impl Previous {
    /// Scans the inputs; call before anything is read, so that an edit made while the
    /// build runs is seen by the next one.
    pub fn scan(options: &BuildOptions) -> Previous {
        let inputs = inputs::digest(options);
        let out = crate::output::absolute(&options.out_dir()).unwrap_or_else(|_| options.out_dir());
        let key = xxhash_rust::xxh3::xxh3_64(
            format!(
                "{}\0{:?}\0{}",
                out.display(),
                options.base_url,
                options.drafts
            )
            .as_bytes(),
        );
        Previous {
            path: stamp::path(&options.root.join(CACHE_DIR), key),
            inputs,
        }
    }

    /// The last build's report again, if it read the very same inputs and the output is
    /// as it left it; `None` when there is anything to do.
    pub fn replay(
        &self,
        options: &BuildOptions,
        started: Instant,
    ) -> Result<Option<Report>, Error> {
        let Some(inputs) = self.inputs else {
            return Ok(None);
        };
        let Some(kept) = stamp::read(&self.path) else {
            return Ok(None);
        };
        if kept.inputs != inputs {
            return Ok(None);
        }
        let out = options.out_dir();
        let Some(now) = Snapshot::take(&options.root, &out)? else {
            return Ok(None);
        };
        let folder = (now.folder.device, now.folder.inode, now.folder.born);
        let Some(counts) = stamp::counts_replayed(&kept.counts) else {
            return Ok(None);
        };
        if kept.folder != folder || kept.digest != now.digest {
            return Ok(None);
        }
        Ok(Some(Report {
            counts,
            files: kept.files,
            warnings: kept.warnings.iter().map(Warning::replayed).collect(),
            elapsed: started.elapsed(),
            out: Some(out),
            unchanged: true,
        }))
    }

    /// Records a successful build's report with the snapshot of the output it left.
    /// Nothing is recorded when the inputs could not be scanned or the output not seen.
    pub fn record(&self, report: &Report, output: Option<Snapshot>) {
        stamp::forget(&self.path);
        let (Some(inputs), Some(now)) = (self.inputs, output) else {
            return;
        };
        let kept = Stamp {
            inputs,
            folder: (now.folder.device, now.folder.inode, now.folder.born),
            digest: now.digest,
            files: report.files,
            counts: stamp::counts_kept(&report.counts),
            warnings: report.warnings.iter().map(Warning::kept).collect(),
        };
        stamp::write(&self.path, &kept);
    }
}
