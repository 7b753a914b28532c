//! Why a command failed, in three kinds that the editor reads differently, and the one
//! function that prints any of them (the binary and serve both use it).

use std::path::Path;

use crate::diagnostics::{self, Diagnostic};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command asked for something sitroom will not or cannot do as asked: an output
    /// folder it did not make, a `--base-url` that is not a URL, a folder with no archive.
    /// Nothing was touched. Exit status 2.
    #[error("{0}")]
    Usage(String),
    /// Problems in the editor's files: each names the file, line and fix. Exit status 1.
    #[error("the content has {}", diagnostics::summary(.0))]
    Content(Vec<Diagnostic>),
    /// The tool or the machine failed: a folder that cannot be written, a port in use.
    /// `action` names what was being done and to what. Exit status 1.
    #[error("{action}")]
    Machine {
        action: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl Error {
    /// A failure of the machine while doing `action` (`writing`, `reading`) to `path`.
    pub fn io(action: &str, path: &Path, source: std::io::Error) -> Error {
        Error::machine(
            format!("{action} `{}`", diagnostics::shown_path(path)),
            source,
        )
    }

    /// A failure of the machine while doing `action`, described in full.
    pub fn machine(
        action: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::Machine {
            action: action.into(),
            source: source.into(),
        }
    }

    /// The exit status the contract gives this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            Error::Content(_) | Error::Machine { .. } => 1,
        }
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(diagnostics: Vec<Diagnostic>) -> Error {
        Error::Content(diagnostics)
    }
}

/// The failure as the terminal shows it: every diagnostic with its source line and help,
/// then a counts line; or one `error:` line with the whole chain of causes, because the
/// last cause is often the useful one (`No space left on device`).
pub fn report(error: &Error) -> String {
    match error {
        Error::Content(list) => {
            let mut text: String = list.iter().map(ToString::to_string).collect();
            text.push_str(&format!("error: {}\n", diagnostics::summary(list)));
            text
        }
        other => {
            let mut text = format!("error: {other}");
            let mut cause = std::error::Error::source(other);
            while let Some(c) = cause {
                text.push_str(&format!(": {c}"));
                cause = c.source();
            }
            // Paths and causes can hold what an editor typed: escape it for the terminal (#16).
            let mut text = diagnostics::escape_controls(&text).into_owned();
            text.push('\n');
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_machine_failure_prints_its_whole_chain() {
        let cause = std::io::Error::new(std::io::ErrorKind::StorageFull, "No space left on device");
        let error = Error::io("writing", Path::new("public/index.html"), cause);
        assert_eq!(
            report(&error),
            "error: writing `public/index.html`: No space left on device\n"
        );
        assert_eq!(error.exit_code(), 1);
    }

    #[test]
    fn issue_16_a_machine_failure_escapes_its_path() {
        let cause = std::io::Error::other("denied");
        let error = Error::io("writing", Path::new("public/evil\x1b[2J.txt"), cause);
        assert_eq!(
            report(&error),
            "error: writing `public/evil\\x1b[2J.txt`: denied\n"
        );
    }

    #[test]
    fn content_problems_end_with_their_counts() {
        let error = Error::Content(vec![Diagnostic::error("content/a.md", "bad").at(3, 1)]);
        assert_eq!(
            report(&error),
            "content/a.md:3:1: error: bad\nerror: 1 error, 0 warnings\n"
        );
        assert_eq!(Error::Usage("no".into()).exit_code(), 2);
    }
}
