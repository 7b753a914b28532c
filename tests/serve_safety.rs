//! `sitroom serve` as an attacker and bad luck would try it (#16): what it serves, whom it
//! answers, how it holds up under idle, slow, huge and many connections, a runaway
//! template, and a search index kept fresh. Real HTTP on 127.0.0.1; every wait is a poll
//! with a bound, every loop bounded in count. Unix only: the fixtures make symbolic links
//! and FIFOs, and limits are set with `ulimit`.
#![cfg(unix)]

mod common;
mod served;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Fixture;
use served::{PATIENCE, POLL, Served, parse_answer};

/// A fixture whose `static/` holds what build must skip: hidden files and folders, links
/// to files, folders and devices outside, and a FIFO.
fn hostile_static() -> Fixture {
    let f = Fixture::small();
    f.write("static/ok.txt", "ok");
    f.write("static/docs/a.txt", "inside");
    f.write("static/.env", "SECRET=1");
    f.write("static/.git/config", "[core]");
    let link = |target: &str, name: &str| {
        std::os::unix::fs::symlink(target, f.path("static").join(name)).expect("symlink");
    };
    link("/", "rootfs");
    link("/etc/passwd", "passwd");
    link("/dev/zero", "zero");
    mkfifo(&f.path("static/pipe"));
    f
}

fn mkfifo(path: &std::path::Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(made.success(), "mkfifo");
}

#[test]
fn issue_16_serve_serves_only_what_build_publishes() {
    let f = hostile_static();
    let built = f.run(&["build"]);
    assert!(built.status.success(), "{built:?}");
    let served = Served::start(&f);

    for (path, file) in [
        ("/ok.txt", "ok.txt"),
        ("/docs/a.txt", "docs/a.txt"),
        ("/.env", ".env"),
        ("/.git/config", ".git/config"),
        ("/rootfs/etc/passwd", "rootfs/etc/passwd"),
        ("/passwd", "passwd"),
        ("/zero", "zero"),
        ("/pipe", "pipe"),
    ] {
        let (status, body) = served.get(path);
        let published = f.path("public").join(file);
        if published.is_file() {
            assert_eq!(status, 200, "{path}: build published it");
            assert_eq!(
                body,
                std::fs::read_to_string(&published).expect("published")
            );
        } else {
            assert_eq!(
                status, 404,
                "{path}: build did not publish it; serve said {body}"
            );
        }
    }
    assert_eq!(served.get("/ok.txt"), (200, "ok".to_string()));
    for outside in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/docs/%2E%2E/%2E%2E/site.yaml",
    ] {
        assert_eq!(served.get(outside).0, 400, "{outside}");
    }
    for source in ["/site.yaml", "/content/pages/about.md", "/static/ok.txt"] {
        assert_eq!(served.get(source).0, 404, "{source}");
    }

    // Files change while serve runs: what is served is checked on every request. A listed
    // file swapped for a link, a listed folder swapped for a link, a file for a FIFO: none
    // is followed or waited on, whether or not the rebuild has caught up yet.
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("a.txt"), "outside").expect("write");
    let docs = f.path("static/docs");
    std::fs::remove_dir_all(&docs).expect("remove docs");
    std::os::unix::fs::symlink(outside.path(), &docs).expect("symlink");
    std::fs::remove_file(f.path("static/ok.txt")).expect("remove ok.txt");
    mkfifo(&f.path("static/ok.txt"));
    for _ in 0..3 {
        let (status, body) = served.get("/docs/a.txt");
        assert!(
            status == 404 && !body.contains("outside"),
            "{status} {body}"
        );
        let (status, body) = served.get("/ok.txt");
        assert_eq!(status, 404, "{body}");
    }
    assert_eq!(served.get("/").0, 200, "no worker is stuck");
}

#[test]
fn issue_16_only_this_servers_own_host_is_answered() {
    let f = Fixture::small();
    let served = Served::start(&f);
    let port = served.port();
    let ask = |host: &str| {
        served
            .raw(&format!(
                "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ))
            .status
    };
    assert_eq!(ask(&format!("127.0.0.1:{port}")), 200);
    assert_eq!(ask(&format!("localhost:{port}")), 200);
    assert_eq!(ask(&format!("LOCALHOST:{port}")), 200);
    // A page on another name that resolves to 127.0.0.1 (DNS rebinding) reads nothing.
    for foreign in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
        format!("localhost:{}", port.wrapping_add(1)),
    ] {
        let answer = served.raw(&format!(
            "GET /briefings/talks-open/ HTTP/1.1\r\nHost: {foreign}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(answer.status, 421, "{foreign}");
        assert!(!answer.body.contains("Talks open"), "{foreign}");
    }
    let no_host = served.raw("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(no_host.status, 421);
    let two_hosts = served.raw(&format!(
        "GET / HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.example\r\n\r\n"
    ));
    assert_eq!(two_hosts.status, 400);
}

#[test]
fn issue_16_no_open_redirect_and_only_get_and_head() {
    let f = Fixture::small();
    let served = Served::start(&f);

    for path in ["/people", "//people", "///people", "/people?x=1"] {
        let answer = served.request("GET", path);
        assert_eq!(answer.status, 301, "{path}");
        assert_eq!(answer.header("Location"), Some("/people/"), "{path}");
    }
    let answer = served.request("GET", "//people/");
    assert_eq!(answer.status, 200, "never a redirect to another host");

    for method in [
        "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT",
    ] {
        let answer = served.request(method, "/");
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("Allow"), Some("GET, HEAD"), "{method}");
    }
    let post = served.raw(&format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 5\r\n\r\nhello",
        served.address
    ));
    assert_eq!(post.status, 405);

    let get = served.request("GET", "/briefings/talks-open/");
    let head = served.request("HEAD", "/briefings/talks-open/");
    assert_eq!(head.status, 200);
    assert_eq!(head.body, "", "HEAD has no body");
    assert_eq!(
        head.header("Content-Length"),
        Some(get.body.len().to_string().as_str())
    );
    assert_eq!(head.header("Content-Type"), get.header("Content-Type"));

    // Keep-alive: two requests on one connection, the second asking to close.
    let mut stream = served.connect();
    let host = &served.address;
    write!(
        stream,
        "GET /ok HTTP/1.1\r\nHost: {host}\r\n\r\nGET /people/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut both = String::new();
    stream.read_to_string(&mut both).expect("read");
    assert_eq!(both.matches("HTTP/1.1 ").count(), 2, "{both}");
    assert!(both.starts_with("HTTP/1.1 404"), "{both}");
    assert!(both.contains("HTTP/1.1 200 OK"), "{both}");
}

#[test]
fn issue_15_feeds_are_sent_as_atom() {
    let f = Fixture::small();
    let served = Served::start(&f);
    for feed in ["/feed.xml", "/people/volodymyr-zelensky/feed.xml"] {
        let answer = served.request("GET", feed);
        assert_eq!(answer.status, 200, "{feed}");
        assert_eq!(
            answer.header("Content-Type"),
            Some("application/atom+xml"),
            "{feed}"
        );
    }
    let sitemap = served.request("GET", "/sitemap.xml");
    assert_eq!(sitemap.header("Content-Type"), Some("application/xml"));
}

/// Whether the server has closed `stream` (it reads the end, or a reset), polling with
/// short reads until `PATIENCE` is up; while waiting, `trickle` sends one byte per poll.
fn closed_by_server(mut stream: TcpStream, trickle: bool) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let deadline = Instant::now() + PATIENCE;
    let mut buffer = [0u8; 1024];
    while Instant::now() < deadline {
        if trickle && stream.write_all(b"a").is_err() {
            return true;
        }
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return true,
        }
    }
    false
}

#[test]
fn issue_16_idle_half_open_and_trickling_connections_time_out() {
    let f = Fixture::small();
    let served = Served::start(&f);
    let host = served.address.clone();

    let idle = served.connect();
    let mut half = served.connect();
    write!(half, "GET / HTTP/1.1\r\nHost: {host}\r\n").expect("send");
    let mut slow = served.connect();
    write!(slow, "GET / HTTP/1.1\r\nHost: {host}\r\nX-Slow: ").expect("send");
    let waits = [(idle, false), (half, false), (slow, true)]
        .map(|(stream, trickle)| std::thread::spawn(move || closed_by_server(stream, trickle)));
    for (wait, what) in waits.into_iter().zip(["idle", "half-open", "trickling"]) {
        assert!(wait.join().expect("join"), "a {what} connection stays open");
    }
    assert_eq!(served.get("/").0, 200);
}

#[test]
fn issue_16_a_huge_request_head_is_refused_early_in_bounded_memory() {
    let f = Fixture::small();
    let served = Served::start(&f);
    assert_eq!(served.get("/").0, 200);
    let before = served.peak_memory_kib();

    let mut stream = served.connect();
    stream.set_write_timeout(Some(PATIENCE)).expect("timeout");
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Huge: ",
        served.address
    )
    .expect("send");
    let chunk = vec![b'a'; 1 << 20];
    let mut sent = 0usize;
    // 512 MiB at most; the server is expected to stop reading after its 64 KiB.
    for _ in 0..512 {
        if stream.write_all(&chunk).is_err() {
            break;
        }
        sent += chunk.len();
    }
    assert!(sent < 64 << 20, "the server read on: {sent} bytes sent");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    // A reset may come before the answer is read; when it is read, it is 431.
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{answer}"
    );
    if let (Some(before), Some(after)) = (before, served.peak_memory_kib()) {
        let grown = after.saturating_sub(before);
        assert!(grown < 32 * 1024, "memory grew by {grown} KiB");
    }
    assert_eq!(served.get("/").0, 200);
}

#[test]
fn issue_16_serve_keeps_answering_with_520_idle_connections_at_1024_descriptors() {
    let f = Fixture::small();
    let served = Served::start_limited(&f, Some(1024));
    let idle: Vec<TcpStream> = (0..520).map(|_| served.connect()).collect();
    // Each connection has been accepted once a request on a later one is answered.
    let answer = served.request("GET", "/");
    assert_eq!(answer.status, 200, "{}", answer.head);
    let (status, page) = served.get("/briefings/talks-open/");
    assert_eq!(status, 200);
    assert!(page.contains("Talks open in Istanbul"));
    drop(idle);
}

#[test]
fn issue_16_serve_recovers_once_connections_close_at_the_descriptor_limit() {
    let f = Fixture::small();
    let served = Served::start_limited(&f, Some(32));
    // More connections than descriptors: serve is out of them or at its own cap.
    let crowd: Vec<TcpStream> = (0..60).map(|_| served.connect()).collect();
    let mut probe = served.connect();
    probe
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("timeout");
    write!(
        probe,
        "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        served.address
    )
    .expect("send");
    let mut seen = Vec::new();
    let _ = probe.read_to_end(&mut seen);
    let seen = parse_answer(&String::from_utf8_lossy(&seen));
    let stderr = served.stderr.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(
        seen.status == 503 || seen.status == 0 && stderr.contains("accepting a connection"),
        "the limit was reached: {} / {stderr}",
        seen.head
    );
    drop(probe);
    drop(crowd);

    let deadline = Instant::now() + PATIENCE;
    let mut status = 0;
    while Instant::now() < deadline {
        status = served.request("GET", "/").status;
        if status == 200 {
            break;
        }
        std::thread::sleep(POLL);
    }
    assert_eq!(status, 200, "serve answers again once connections close");
}

#[test]
fn issue_16_two_hundred_tabs_are_told_of_a_rebuild() {
    let f = Fixture::small();
    let served = Served::start(&f);
    let mut tabs: Vec<TcpStream> = (0..200).map(|_| served.open_tab()).collect();
    let file = "content/briefings/2025/05/talks-open.md";
    let text = std::fs::read_to_string(f.path(file)).expect("briefing");
    f.write(file, &text.replace("Talks open", "Talks go on"));
    for (i, tab) in tabs.iter_mut().enumerate() {
        let mut seen = Vec::new();
        let mut buffer = [0u8; 1024];
        while !String::from_utf8_lossy(&seen).contains("event: reload") {
            let n = tab.read(&mut buffer).unwrap_or(0);
            assert!(n > 0, "tab {i} closed before the reload");
            seen.extend_from_slice(&buffer[..n]);
        }
    }
    assert_eq!(served.get("/").0, 200);
}

const RUNAWAY: &str = "{% extends \"base.html\" %}{% block content %}<main>\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% for k in range(end=100000) %}{{ i }}{% endfor %}{% endfor %}{% endfor %}\n</main>{% endblock content %}";

/// Runs the binary, killing it should it outlive `PATIENCE`: the exit code and stderr.
fn run_bounded(f: &Fixture, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitroom"))
        .args(args)
        .current_dir(f.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sitroom");
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`sitroom {}` still ran after {PATIENCE:?}", args.join(" "));
        }
        std::thread::sleep(POLL);
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    (status.code(), stderr)
}

#[test]
fn issue_16_a_runaway_template_fails_the_build_with_its_page() {
    let f = Fixture::small();
    f.write("templates/page.html", RUNAWAY);
    let (code, stderr) = run_bounded(&f, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("templates/page.html:2:")
            && stderr.contains("rendering the page `/about/` ran over the render budget"),
        "{stderr}"
    );
    assert!(!f.path("public").exists(), "nothing was written");
    let (code, stderr) = run_bounded(&f, &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
}

#[test]
fn issue_16_a_runaway_template_leaves_serve_watching() {
    let f = Fixture::small();
    let served = Served::start(&f);
    assert!(served.get("/about/").1.contains("An archive."));

    f.write("templates/page.html", RUNAWAY);
    let stderr = served.wait_for_stderr("ran over the render budget");
    assert!(
        stderr.contains("templates/page.html:2:")
            && stderr.contains("rendering the page `/about/` ran over the render budget"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the last good site is still served"),
        "{stderr}"
    );
    assert!(served.get("/about/").1.contains("An archive."));

    // A later edit rebuilds: the watcher lives on.
    f.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<main>Fixed page</main>{% endblock content %}",
    );
    let page = served.wait_for("/about/", |b| b.contains("Fixed page"));
    assert!(page.contains("Fixed page"), "{page}");
}

/// Every file of the search index as served, one after another: the numbered files of each
/// folder until the first that is not there (ids and shard numbers count from 0).
fn search_files(served: &Served) -> String {
    let (status, mut all) = served.get("/search/index.json");
    assert_eq!(status, 200);
    for folder in ["terms", "name-keys", "docs", "mentions"] {
        for n in 0..1000 {
            let (status, shard) = served.get(&format!("/search/{folder}/{n}.json"));
            if status != 200 {
                assert!(n > 0, "search/{folder}/0.json is served");
                break;
            }
            all.push_str(&shard);
        }
    }
    all
}

/// The briefing count of the place with `slug`, from `search/filters/places.json`, whose
/// entries are `[id, name, slug, count]`.
fn search_count(served: &Served, slug: &str) -> u64 {
    let (_, text) = served.get("/search/filters/places.json");
    let places: serde_json::Value = serde_json::from_str(&text).expect("filters/places.json");
    places
        .as_array()
        .expect("places")
        .iter()
        .find(|e| e[2] == slug)
        .and_then(|e| e[3].as_u64())
        .unwrap_or(0)
}

fn wait_until(what: &str, ok: impl Fn() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !ok() {
        assert!(Instant::now() < deadline, "{what}");
        std::thread::sleep(POLL);
    }
}

#[test]
fn issue_16_the_search_index_is_fresh_after_partial_rebuilds() {
    let f = Fixture::small();
    let served = Served::start(&f);
    let file = "content/briefings/2025/05/talks-open.md";
    let text = std::fs::read_to_string(f.path(file)).expect("briefing");
    assert!(search_files(&served).contains("Talks open in Istanbul"));
    assert!(!search_files(&served).contains("zanzibarian"));

    // Words in the body, then the title: edits in place, which serve rebuilds in part.
    let text = text.replace("for background.", "for zanzibarian background.");
    f.write(file, &text);
    wait_until("a new word is found", || {
        search_files(&served).contains("zanzibarian")
    });
    let text = text.replace("Talks open in Istanbul", "Talks move to Ankara");
    f.write(file, &text);
    // The page goes live before the index is rendered again; from then on a search file
    // is answered only from the index with the edit in it.
    let page = served.wait_for("/briefings/talks-open/", |b| {
        b.contains("Talks move to Ankara")
    });
    assert!(page.contains("Talks move to Ankara"));
    let index = search_files(&served);
    assert!(
        index.contains("Talks move to Ankara"),
        "no stale index once the page is new"
    );
    assert!(!index.contains("Talks open in Istanbul"));
    let stdout = served.stdout.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(stdout.contains("rebuilt "), "partial rebuilds: {stdout}");

    // A place named in one more briefing counts one more.
    assert_eq!(search_count(&served, "istanbul"), 2);
    let reactions = "content/briefings/2025/05/reactions.md";
    let other = std::fs::read_to_string(f.path(reactions)).expect("briefing");
    f.write(
        reactions,
        &other.replace("tags: [ceasefire]", "places: [Istanbul]\ntags: [ceasefire]"),
    );
    wait_until("the count goes up", || {
        search_count(&served, "istanbul") == 3
    });
    // And one less when it is taken out again.
    f.write(reactions, &other);
    wait_until("the count goes down", || {
        search_count(&served, "istanbul") == 2
    });
}
