//! The `sitroom` command: reads the command line, runs the library, chooses the exit code
//! (0 ok, 1 content errors or a failure, 2 usage errors).

use std::error::Error as _;
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
    /// Check everything a build checks, writing nothing.
    Check(CheckArgs),
}

#[derive(clap::Args)]
struct BuildArgs {
    /// The archive's folder (holding site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
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
    /// The archive's folder (holding site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
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
                root: args.root,
                out: args.out,
                base_url: args.base_url,
                drafts: args.drafts,
            };
            finish(sitroom::build(&options), "built", false)
        }
        Command::Check(args) => {
            let options = BuildOptions::new(args.root);
            finish(sitroom::check(&options), "checked", args.strict)
        }
    }
}

/// Prints the outcome the way an editor reads it and picks the exit code.
fn finish(result: Result<Report, Error>, verb: &str, strict: bool) -> ExitCode {
    match result {
        Ok(report) => {
            for warning in &report.warnings {
                eprint!("{warning}");
            }
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
            for d in &diagnostics {
                eprint!("{d}");
            }
            eprintln!(
                "error: {}; nothing was written",
                sitroom::diagnostics::summary(&diagnostics)
            );
            ExitCode::from(1)
        }
        Err(err @ Error::Unsafe(_)) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
        Err(err) => {
            let mut message = format!("error: {err}");
            let mut cause = err.source();
            while let Some(c) = cause {
                message.push_str(&format!(": {c}"));
                cause = c.source();
            }
            eprintln!("{message}");
            ExitCode::from(1)
        }
    }
}
