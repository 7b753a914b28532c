//! The `sitroom` command: reads the command line, runs the library, chooses the exit code
//! (0 ok, 1 content errors or a failure, 2 usage errors).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sitroom::{BuildOptions, Error, Report};

/// Rendering makes many short-lived strings on every thread; glibc's allocator spent about a
/// fifth of a build in malloc and free, mimalloc a fraction of that (#5).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "sitroom",
    version,
    about = "A static site generator for conflict-briefing archives"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Check everything a build checks and more (links, images, dates, sources), writing nothing.
    Check(CheckArgs),
    /// Build into memory, serve on 127.0.0.1, rebuild and reload the browser on every save.
    Serve(ServeArgs),
    /// Write a new briefing, profile or free page, ready to edit, and print its path.
    New(NewArgs),
    /// Start a new archive in DIR that builds as it is.
    Init(InitArgs),
}

#[derive(clap::Args)]
struct BuildArgs {
    /// The archive's folder (holding site.yaml) [default: the nearest folder upward that has one].
    #[arg(long)]
    root: Option<PathBuf>,
    /// Where to write the site [default: <root>/public].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Use this base URL instead of site.yaml's (for previews).
    #[arg(long)]
    base_url: Option<String>,
    /// Include briefings marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The archive's folder (holding site.yaml) [default: the nearest folder upward that has one].
    #[arg(long)]
    root: Option<PathBuf>,
    /// Treat warnings as errors (exit status 1).
    #[arg(long)]
    strict: bool,
    /// Also resolve and render briefings marked `draft: true` (their front matter is always checked).
    #[arg(long)]
    drafts: bool,
    /// `text` for people, `json` for tools: one JSON object a line.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The archive's folder (holding site.yaml) [default: the nearest folder upward that has one].
    #[arg(long)]
    root: Option<PathBuf>,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Include briefings marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(clap::Args)]
struct NewArgs {
    /// What to write.
    #[arg(value_enum)]
    kind: NewKindArg,
    /// The briefing's or page's title, or the name of the person, organisation or place.
    title: String,
    /// The briefing's date, YYYY-MM-DD [default: today].
    #[arg(long, value_parser = parse_day)]
    date: Option<jiff::civil::Date>,
    /// The archive's folder (holding site.yaml) [default: the nearest folder upward that has one].
    #[arg(long)]
    root: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKindArg {
    Briefing,
    Person,
    Organisation,
    Place,
    Page,
}

fn parse_day(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse()
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| format!("`{text}` is not a date; write it as YYYY-MM-DD, like 2025-05-16"))
}

#[derive(clap::Args)]
struct InitArgs {
    /// A new or empty folder for the archive.
    dir: PathBuf,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(args) => {
            let options = BuildOptions {
                root: root_or_nearest(args.root),
                out: args.out,
                base_url: args.base_url,
                drafts: args.drafts,
            };
            let result = sitroom::build(&options);
            match &result {
                Ok(report) => annotate(&report.warnings, &options.root),
                Err(Error::Content(diagnostics)) => annotate(diagnostics, &options.root),
                Err(_) => {}
            }
            finish(result, "built", false)
        }
        Command::Check(args) => check(args),
        Command::Serve(args) => serve(args),
        Command::New(args) => new(args),
        Command::Init(args) => match sitroom::scaffold::init(&args.dir, today()) {
            Ok(files) => {
                for file in files {
                    println!("{}", shown(&args.dir.join(file)));
                }
                println!("{}", sitroom::scaffold::next_steps(&args.dir));
                ExitCode::SUCCESS
            }
            Err(err) => fail(err),
        },
    }
}

/// Today in the machine's time zone: the editor's day, for new files and future dates.
fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

/// `--root`, or the nearest folder upward holding `site.yaml` (as git and cargo find their
/// root), or `.` when there is none, which then fails naming it.
fn root_or_nearest(root: Option<PathBuf>) -> PathBuf {
    root.or_else(|| sitroom::find_root(std::path::Path::new(".")))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// A path as the terminal should show it: control characters escaped.
fn shown(path: &std::path::Path) -> String {
    sitroom::diagnostics::shown_path(path)
}

fn check(args: CheckArgs) -> ExitCode {
    let options = BuildOptions {
        drafts: args.drafts,
        ..BuildOptions::new(root_or_nearest(args.root))
    };
    let checked = match sitroom::check::check(&options, today()) {
        Ok(checked) => {
            annotate(&checked.diagnostics, &options.root);
            checked
        }
        Err(Error::Content(diagnostics)) if args.format == Format::Text => {
            annotate(&diagnostics, &options.root);
            return finish(Err(Error::Content(diagnostics)), "checked", args.strict);
        }
        Err(Error::Content(diagnostics)) if args.format == Format::Json => {
            print_json(&diagnostics);
            return ExitCode::from(1);
        }
        Err(err) => return finish(Err(err), "checked", args.strict),
    };
    let failed = checked.has_errors() || (args.strict && checked.has_warnings());
    let diagnostics = &checked.diagnostics;
    if args.format == Format::Json {
        print_json(diagnostics);
    } else {
        eprint_all(diagnostics);
        if diagnostics.is_empty() {
            println!("{}: no problems found", checked.summary());
        } else {
            println!(
                "{}: {}",
                checked.summary(),
                sitroom::diagnostics::summary(diagnostics)
            );
        }
        if args.strict && !checked.has_errors() && checked.has_warnings() {
            eprintln!("error: --strict treats warnings as errors");
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// On GitHub Actions, also prints each diagnostic as a workflow command, so that it shows
/// as an annotation on the file and line (#10).
fn annotate(diagnostics: &[sitroom::diagnostics::Diagnostic], root: &std::path::Path) {
    if std::env::var_os("GITHUB_ACTIONS").is_some() {
        for d in diagnostics {
            println!("{}", sitroom::diagnostics::github_annotation(d, root));
        }
    }
}

fn print_json(diagnostics: &[sitroom::diagnostics::Diagnostic]) {
    for d in diagnostics {
        println!("{}", d.to_json());
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let options = sitroom::serve::ServeOptions {
        root: root_or_nearest(args.root),
        port: args.port,
        drafts: args.drafts,
    };
    let result = sitroom::serve::serve(&options, |address| {
        println!("serving {address} (Ctrl-C to stop)");
        if args.open {
            open_browser(address);
        }
    });
    match result {
        Ok(()) => {
            println!("stopped");
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}

/// Opens `address` with the desktop's opener; failing to is only worth a line.
fn open_browser(address: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(address).spawn() {
        eprintln!("warning: could not open a browser ({opener}: {e}); open {address} yourself");
    }
}

fn new(args: NewArgs) -> ExitCode {
    use sitroom::content::Kind;
    use sitroom::scaffold::NewKind;
    let kind = match args.kind {
        NewKindArg::Briefing => NewKind::Briefing,
        NewKindArg::Person => NewKind::Profile(Kind::Person),
        NewKindArg::Organisation => NewKind::Profile(Kind::Organisation),
        NewKindArg::Place => NewKind::Profile(Kind::Place),
        NewKindArg::Page => NewKind::Page,
    };
    let root = root_or_nearest(args.root);
    match sitroom::scaffold::new(&root, kind, &args.title, args.date.unwrap_or_else(today)) {
        Ok(path) => {
            println!("{}", shown(&path));
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}

/// A failed command that is not about the content: usage problems exit 2, the rest 1.
fn fail(err: Error) -> ExitCode {
    finish(Err(err), "", false)
}

/// Prints the outcome the way an editor reads it and picks the exit code.
/// Prints every message to stderr at once: unbuffered, one `eprint!` each would cost a
/// dozen writes per message, thousands on a big archive.
fn eprint_all(diagnostics: &[sitroom::diagnostics::Diagnostic]) {
    use std::fmt::Write as _;
    let mut text = String::new();
    for d in diagnostics {
        let _ = write!(text, "{d}");
    }
    eprint!("{text}");
}

fn finish(result: Result<Report, Error>, verb: &str, strict: bool) -> ExitCode {
    match result {
        Ok(report) => {
            eprint_all(&report.warnings);
            if strict && !report.warnings.is_empty() {
                eprintln!(
                    "error: {} warnings, and --strict treats them as errors",
                    report.warnings.len()
                );
                return ExitCode::from(1);
            }
            println!("{}", report.summary(verb));
            ExitCode::SUCCESS
        }
        Err(Error::Content(diagnostics)) => {
            eprint_all(&diagnostics);
            eprintln!(
                "error: {}; nothing was written",
                sitroom::diagnostics::summary(&diagnostics)
            );
            ExitCode::from(1)
        }
        Err(err) => {
            eprint!("{}", sitroom::error::report(&err));
            ExitCode::from(err.exit_code())
        }
    }
}
