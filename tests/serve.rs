//! `sitroom serve` end to end: the real binary on a free port of 127.0.0.1, fetched over
//! HTTP while a briefing is edited on disk. Waits are polls with a bound, never timings.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Fixture;

/// How long to keep polling for a rebuild before giving up (a loaded CI machine is slow).
const PATIENCE: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);

/// A running `sitroom serve`; killed when dropped, should a test fail half-way.
struct Served {
    child: Child,
    address: String,
    stderr: Arc<Mutex<String>>,
}

impl Served {
    fn start(f: &Fixture) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sitroom"))
            .args(["serve", "--port", "0"])
            .current_dir(f.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sitroom serve");
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        let mut pipe = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                if let Ok(mut text) = sink.lock() {
                    text.push_str(&String::from_utf8_lossy(&buffer[..n]));
                }
            }
        });
        let address = loop {
            let line = rx.recv_timeout(PATIENCE).expect("serve prints its address");
            if let Some(rest) = line.strip_prefix("serving http://") {
                break rest.split('/').next().expect("host:port").to_string();
            }
        };
        Served {
            child,
            address,
            stderr,
        }
    }

    /// GET `path`: the status code and the body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .expect("send request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read response");
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map_or(String::new(), |(_, b)| b.to_string());
        (status, body)
    }

    /// Polls `path` until its body satisfies `ok`; the last body either way.
    fn wait_for(&self, path: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            let (_, body) = self.get(path);
            if ok(&body) || std::time::Instant::now() > deadline {
                return body;
            }
            std::thread::sleep(POLL);
        }
    }

    /// Polls the terminal output until it contains `text`.
    fn wait_for_stderr(&self, text: &str) -> String {
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            let seen = self.stderr.lock().map(|s| s.clone()).unwrap_or_default();
            if seen.contains(text) || std::time::Instant::now() > deadline {
                return seen;
            }
            std::thread::sleep(POLL);
        }
    }

    /// The first event on a fresh event stream (a failed rebuild's problem is sent first).
    fn first_event(&self) -> String {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .expect("timeout");
        write!(
            stream,
            "GET /__sitroom/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.address
        )
        .expect("send request");
        let mut seen = Vec::new();
        let mut buffer = [0u8; 4096];
        // Reads until the stream goes quiet: a healthy site sends nothing at first.
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buffer[..n]);
            if seen
                .windows(4)
                .filter(|w| w == b"\n\n\r\n" || &w[2..] == b"\n\n")
                .count()
                > 1
            {
                break;
            }
        }
        let text = String::from_utf8_lossy(&seen).into_owned();
        text.split_once("\r\n\r\n")
            .map_or(String::new(), |(_, events)| events.to_string())
    }

    /// Ctrl-C, and the exit status.
    fn interrupt(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -INT");
        let status = self.child.wait().expect("wait for serve");
        std::mem::forget(self);
        status
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const PAGE: &str = "/briefings/talks-open/";
const FILE: &str = "content/briefings/2025/05/talks-open.md";

#[test]
fn serve_rebuilds_on_save_and_survives_a_broken_edit() {
    let f = Fixture::small();
    let served = Served::start(&f);

    let (status, page) = served.get(PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("Talks open in Istanbul"), "{page}");
    assert!(
        page.contains("/__sitroom/events"),
        "serve injects the reload script"
    );
    let base = format!("http://{}/", served.address);
    assert!(
        page.contains(&format!("{base}briefings/talks-open/")),
        "base_url points at serve"
    );

    // An edited title is served after the rebuild, on the page and on the home page.
    let original = std::fs::read_to_string(f.path(FILE)).expect("briefing");
    f.write(
        FILE,
        &original.replace("Talks open in Istanbul", "Talks resume in Istanbul"),
    );
    let page = served.wait_for(PAGE, |b| b.contains("Talks resume in Istanbul"));
    assert!(page.contains("Talks resume in Istanbul"), "{page}");
    let home = served.wait_for("/", |b| b.contains("Talks resume in Istanbul"));
    assert!(home.contains("Talks resume in Istanbul"));
    let person = served.wait_for("/people/volodymyr-zelensky/", |b| {
        b.contains("Talks resume in Istanbul")
    });
    assert!(person.contains("Talks resume in Istanbul"), "{person}");
    let (_, neighbour) = served.get("/briefings/talks-planned/");
    assert!(
        neighbour.contains("Talks resume in Istanbul"),
        "the next briefing's card"
    );
    assert!(
        served.first_event().is_empty(),
        "a healthy site sends no problem"
    );

    // A broken edit is reported; the last good page stays.
    f.write(
        FILE,
        &original.replace("date: 2025-05-16", "date: 2025-13-45"),
    );
    let stderr = served.wait_for_stderr("is not a date");
    assert!(
        stderr.contains("content/briefings/2025/05/talks-open.md:3:7: error: `date` is `2025-13-45`, which is not a date"),
        "{stderr}"
    );
    assert!(stderr.contains("the last good site is still served"));
    let (status, page) = served.get(PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("Talks resume in Istanbul"), "{page}");
    let event = served.first_event();
    assert!(
        event.starts_with(
            "event: problem\ndata: \"content/briefings/2025/05/talks-open.md:3:7: error:"
        ),
        "{event}"
    );

    // Fixing the file recovers without a restart.
    f.write(
        FILE,
        &original.replace("Talks open in Istanbul", "Talks end in Istanbul"),
    );
    let page = served.wait_for(PAGE, |b| b.contains("Talks end in Istanbul"));
    assert!(page.contains("Talks end in Istanbul"), "{page}");
    assert!(served.first_event().is_empty(), "the problem is gone");

    assert!(served.interrupt().success(), "Ctrl-C exits cleanly");
}

#[test]
fn serve_picks_up_new_briefings_templates_and_static_files() {
    let f = Fixture::small();
    f.write("static/img/map.svg", "<svg/>");
    let served = Served::start(&f);
    let (status, body) = served.get("/img/map.svg");
    assert_eq!((status, body.as_str()), (200, "<svg/>"));
    let (status, _) = served.get("/no/such/page/");
    assert_eq!(status, 404);

    f.write(
        "content/briefings/2025/06/new-one.md",
        "---\ntitle: A new one\ndate: 2025-06-01\n---\nNew.\n",
    );
    let page = served.wait_for("/briefings/new-one/", |b| b.contains("A new one"));
    assert!(page.contains("A new one"), "{page}");
    let home = served.wait_for("/", |b| b.contains("A new one"));
    assert!(home.contains("A new one"));

    f.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<main>Nothing here, sorry</main>{% endblock content %}",
    );
    let missing = served.wait_for("/no/such/page/", |b| b.contains("Nothing here, sorry"));
    assert!(missing.contains("Nothing here, sorry"), "{missing}");
    // The new templates/ folder is watched from now on.
    f.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<main>Still nothing</main>{% endblock content %}",
    );
    let missing = served.wait_for("/no/such/page/", |b| b.contains("Still nothing"));
    assert!(missing.contains("Still nothing"), "{missing}");

    // Naming a known place in another briefing lists it on the place's page.
    let reactions = "content/briefings/2025/05/reactions.md";
    let text = std::fs::read_to_string(f.path(reactions)).expect("briefing");
    f.write(
        reactions,
        &text.replace("tags: [ceasefire]", "places: [Istanbul]\ntags: [ceasefire]"),
    );
    let place = served.wait_for("/places/istanbul/", |b| b.contains("Reactions"));
    assert!(place.contains("Reactions"), "{place}");

    std::fs::remove_file(f.path("content/briefings/2025/06/new-one.md")).expect("remove");
    let home = served.wait_for("/", |b| !b.contains("A new one"));
    assert!(!home.contains("A new one"));
}
