//! Content problems as data: a `Diagnostic` names the file, line and column, says what is
//! wrong and what to do. Stages collect them and report all of them together, so an editor
//! with five typos sees five messages after one run. Nothing here reads or writes files.
//! This is where diagnostics become text for a terminal, and so where control characters
//! in paths and values are escaped (#16): a file named `evil\x1b[2J.txt` must not clear
//! the editor's screen.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a problem is: errors stop a build, warnings do not (unless `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the content, located in a file the editor can open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, as the editor would type it.
    pub path: PathBuf,
    /// 1-based line in the whole file (not in the front matter); 0 when the file as a whole is meant.
    pub line: usize,
    /// 1-based column; 0 when the line as a whole is meant.
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The offending line of the file, shown under the message.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: 0,
            column: 0,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Locates the diagnostic and keeps the source line at a recorded position.
    pub fn at_position(self, text: &str, at: crate::content::Position) -> Self {
        self.at_line_of(text, at.line, at.column)
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Locates the diagnostic and keeps the source line so the editor sees it under the message.
    pub fn at_line_of(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end().to_string());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// One line of JSON for editors' tooling: path, line, column, severity, message, help.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            // Only a file name that is not UTF-8 fails; name it lossily rather than lose it.
            let lossy = Diagnostic {
                path: PathBuf::from(self.path.to_string_lossy().into_owned()),
                ..self.clone()
            };
            serde_json::to_string(&lossy).unwrap_or_default()
        })
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn location(&self) -> String {
        let path = shown_path(&self.path);
        match (self.line, self.column) {
            (0, _) => path,
            (line, 0) => format!("{path}:{line}"),
            (line, column) => format!("{path}:{line}:{column}"),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// Renders like rustc: `path:line:col: error: message`, the source line with a caret, then `help:`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(
            f,
            "{}: {severity}: {}",
            self.location(),
            escape_controls(&self.message)
        )?;
        if let Some(source) = &self.source_line {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            let (shown, column) = excerpt(source, self.column);
            // Tabs stay, so the caret line can copy them and stand under the right column.
            let shown: String = shown
                .chars()
                .map(|c| {
                    if c.is_control() && c != '\t' {
                        '\u{fffd}'
                    } else {
                        c
                    }
                })
                .collect();
            writeln!(f, "  {number} | {shown}")?;
            if column > 0 {
                let caret_pad: String = shown
                    .chars()
                    .take(column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(f, "  {pad} | {caret_pad}^")?;
            }
        }
        if let Some(help) = &self.help {
            // A help of several lines (a converted example) keeps them under `help:`.
            let mut lines = help.split('\n');
            writeln!(f, "  help: {}", escape_controls(lines.next().unwrap_or("")))?;
            for line in lines {
                writeln!(f, "        {}", escape_controls(line))?;
            }
        }
        Ok(())
    }
}

/// `text` with every control character written as an escape (`\x1b`, `\n`, `\u{85}`), so
/// that what an editor wrote, or named a file, cannot move the cursor or recolour the
/// terminal the message is printed to.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A path for a terminal: control characters escaped, and bytes that are not UTF-8 shown
/// as `\xNN` rather than as `�`, so two such names never look the same.
pub fn shown_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(&escape_controls(chunk.valid()));
            for byte in chunk.invalid() {
                out.push_str(&format!("\\x{byte:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        escape_controls(&path.to_string_lossy()).into_owned()
    }
}

/// `1 page`, `2 pages`: a count with the word it counts, singular or plural.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// How many characters of a source line a diagnostic shows.
const EXCERPT_CHARS: usize = 100;

/// At most `EXCERPT_CHARS` of `line` around the 1-based `column`, marked `…` where cut,
/// and the column within that excerpt: a 200 KB line (a minified table, a fuzzer's
/// bracket bomb) would otherwise fill the terminal and hide the message.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let length = line.chars().count();
    if length <= EXCERPT_CHARS {
        return (line.to_string(), column);
    }
    let at = column.saturating_sub(1).min(length);
    let start = at
        .saturating_sub(EXCERPT_CHARS / 2)
        .min(length - EXCERPT_CHARS);
    let end = start + EXCERPT_CHARS;
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(line.chars().skip(start).take(EXCERPT_CHARS));
    if end < length {
        shown.push('…');
    }
    let column = match column {
        0 => 0,
        _ => at - start + 1 + usize::from(start > 0),
    };
    (shown, column)
}

/// Sorts diagnostics so that output is the same from run to run: by file, then position.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
}

/// The candidate closest to `wrong`, if it is close enough to be what the editor meant.
pub fn suggest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&wrong_lower, &candidate.to_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// The path of `path` relative to `root`, for messages; unchanged when it is not below root.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The counts line printed after a list of diagnostics.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!(
        "{}, {}",
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_british_spelling() {
        let keys = ["title", "organisations", "people", "places"];
        assert_eq!(suggest("organizations", keys), Some("organisations"));
        assert_eq!(suggest("zzz", keys), None);
    }

    #[test]
    fn a_long_line_is_shown_around_the_column() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic::error("content/briefings/a.md", "here").at_line_of(&line, 1, 5001);
        let text = d.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].chars().count() < 120, "{}", lines[1]);
        assert!(lines[1].contains("…a") && lines[1].contains("Xb") && lines[1].ends_with('…'));
        // The caret is under the X.
        let source_x = lines[1].chars().position(|c| c == 'X').expect("X shown");
        let caret = lines[2].chars().position(|c| c == '^').expect("caret");
        assert_eq!(caret, source_x);
        // A short line is shown whole.
        assert_eq!(excerpt("short", 3), ("short".to_string(), 3));
    }

    #[test]
    fn issue_16_control_characters_are_escaped_for_the_terminal() {
        let d = Diagnostic::warning("static/evil\x1b[2J.txt", "`a\x1b]0;x\x07b` is odd")
            .at_line_of("people: [a\x1b[31mb]\n", 1, 9)
            .with_help("say\u{9b}no");
        let text = d.to_string();
        assert!(!text.contains('\x1b') && !text.contains('\x07') && !text.contains('\u{9b}'));
        assert!(
            text.starts_with("static/evil\\x1b[2J.txt:1:9: warning: `a\\x1b]0;x\\x07b` is odd\n"),
            "{text}"
        );
        assert!(text.contains("help: say\\u{9b}no"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let path = Path::new(std::ffi::OsStr::from_bytes(b"static/caf\xe9.png"));
            assert_eq!(shown_path(path), "static/caf\\xe9.png");
        }
    }

    #[test]
    fn counts_are_singular_or_plural() {
        assert_eq!(count(1, "page", "pages"), "1 page");
        assert_eq!(count(0, "page", "pages"), "0 pages");
        assert_eq!(count(2, "free page", "free pages"), "2 free pages");
    }

    #[test]
    fn renders_location_source_and_help() {
        let text = "---\ntitle: x\norganizations: [NATO]\n---\n";
        let d = Diagnostic::error("content/briefings/a.md", "unknown key `organizations`")
            .at_line_of(text, 3, 1)
            .with_help("did you mean `organisations`?");
        assert_eq!(
            d.to_string(),
            "content/briefings/a.md:3:1: error: unknown key `organizations`\n  \
             3 | organizations: [NATO]\n    | ^\n  help: did you mean `organisations`?\n"
        );
    }
}

/// The diagnostic as a GitHub Actions workflow command (`::error file=…,line=…,col=…::…`),
/// so that a run shows it as an annotation on that line of the pull request (#10). `root`
/// is the archive's folder as given on the command line: annotations name files from the
/// repository's root, where the run starts.
pub fn github_annotation(diagnostic: &Diagnostic, root: &Path) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let file = root.join(&diagnostic.path);
    let file = file.strip_prefix(".").unwrap_or(&file).to_string_lossy();
    let mut properties = vec![format!("file={}", escape_property(&file))];
    if diagnostic.line > 0 {
        properties.push(format!("line={}", diagnostic.line));
    }
    if diagnostic.column > 0 {
        properties.push(format!("col={}", diagnostic.column));
    }
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// A workflow command's message: `%`, CR and LF are written as `%25`, `%0D` and `%0A`.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as a message, and `:` and `,` as `%3A` and `%2C`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod github_annotation_tests {
    use super::*;

    #[test]
    fn a_diagnostic_becomes_a_workflow_command() {
        let d = Diagnostic::error("content/briefings/a.md", "unknown key `organizations`")
            .at(7, 1)
            .with_help("did you mean `organisations`?");
        assert_eq!(
            github_annotation(&d, Path::new(".")),
            "::error file=content/briefings/a.md,line=7,col=1::unknown key `organizations`%0Ahelp: did you mean `organisations`?"
        );
        let w = Diagnostic::warning("content/people/a,b: c.md", "50% sure\r\nreally");
        assert_eq!(
            github_annotation(&w, Path::new("site")),
            "::warning file=site/content/people/a%2Cb%3A c.md::50%25 sure%0D%0Areally"
        );
    }
}
