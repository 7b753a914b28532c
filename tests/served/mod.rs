//! A running `sitroom serve` for the serve tests: the real binary on a free port of
//! 127.0.0.1, spoken to over raw TCP so that tests can send what a browser would not.
//! Waits are polls with a bound, never timings.
#![allow(dead_code)] // each test binary uses a different part of the harness

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::Fixture;

/// How long to keep polling before giving up (a loaded CI machine is slow).
pub const PATIENCE: Duration = Duration::from_secs(30);
pub const POLL: Duration = Duration::from_millis(50);

/// A running `sitroom serve`; killed when dropped, should a test fail half-way.
pub struct Served {
    pub child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

/// One answer, as read off the socket.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// The head as sent, status line included.
    pub head: String,
    pub body: String,
}

impl Answer {
    /// The value of header `name` (case-insensitive), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

impl Served {
    pub fn start(f: &Fixture) -> Served {
        Served::start_limited(f, None)
    }

    /// Starts serve with at most `descriptors` open files, when given (`ulimit -n`).
    pub fn start_limited(f: &Fixture, descriptors: Option<u64>) -> Served {
        let binary = env!("CARGO_BIN_EXE_sitroom");
        let mut command = match descriptors {
            Some(n) => {
                let mut c = Command::new("sh");
                c.args([
                    "-c",
                    &format!("ulimit -n {n} && exec \"$0\" serve --port 0"),
                ])
                .arg(binary);
                c
            }
            None => {
                let mut c = Command::new(binary);
                c.args(["serve", "--port", "0"]);
                c
            }
        };
        let mut child = command
            .current_dir(f.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sitroom serve");
        let (tx, rx) = mpsc::channel();
        let stdout = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stdout);
        let pipe = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if let Ok(mut text) = sink.lock() {
                    text.push_str(&line);
                    text.push('\n');
                }
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
            let line = rx.recv_timeout(PATIENCE).unwrap_or_else(|_| {
                let seen = stderr.lock().map(|s| s.clone()).unwrap_or_default();
                panic!("serve prints its address; it said: {seen}")
            });
            if let Some(rest) = line.strip_prefix("serving http://") {
                break rest.split('/').next().expect("host:port").to_string();
            }
        };
        Served {
            child,
            address,
            stdout,
            stderr,
        }
    }

    pub fn port(&self) -> u16 {
        let port = self.address.rsplit(':').next().expect("a port");
        port.parse().expect("a port number")
    }

    /// A new connection, with reads bounded by `PATIENCE`.
    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.address).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        stream
    }

    /// Sends `request` as it is on a new connection and reads the answer to its end.
    pub fn raw(&self, request: &str) -> Answer {
        let mut stream = self.connect();
        stream.write_all(request.as_bytes()).expect("send request");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("read response");
        parse_answer(&String::from_utf8_lossy(&response))
    }

    /// `method path` with this server's own `Host`, closing after the answer.
    pub fn request(&self, method: &str, path: &str) -> Answer {
        self.raw(&format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        ))
    }

    /// GET `path`: the status code and the body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let answer = self.request("GET", path);
        (answer.status, answer.body)
    }

    /// Polls `path` until its body satisfies `ok`; the last body either way.
    pub fn wait_for(&self, path: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let (_, body) = self.get(path);
            if ok(&body) || Instant::now() > deadline {
                return body;
            }
            std::thread::sleep(POLL);
        }
    }

    /// Polls the terminal's error output until it contains `text`.
    pub fn wait_for_stderr(&self, text: &str) -> String {
        wait_for_text(&self.stderr, text)
    }

    /// Polls the terminal's standard output until it contains `text`.
    pub fn wait_for_stdout(&self, text: &str) -> String {
        wait_for_text(&self.stdout, text)
    }

    /// Opens an event stream and reads its head: from then on the tab is told of rebuilds.
    pub fn open_tab(&self) -> TcpStream {
        let mut stream = self.connect();
        write!(
            stream,
            "GET /__sitroom/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.address
        )
        .expect("send request");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            let n = stream
                .read(&mut byte)
                .expect("read the event stream's head");
            assert_eq!(n, 1, "the event stream closed");
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head);
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        stream
    }

    /// The first event on a fresh event stream (a failed rebuild's problem is sent first).
    pub fn first_event(&self) -> String {
        let mut stream = self.open_tab();
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .expect("timeout");
        let mut seen = Vec::new();
        let mut buffer = [0u8; 4096];
        // Reads until the stream goes quiet: a healthy site sends nothing at first.
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buffer[..n]);
            if seen.windows(2).filter(|w| w == b"\n\n").count() > 0 {
                break;
            }
        }
        String::from_utf8_lossy(&seen).into_owned()
    }

    /// The server's peak resident memory in KiB, where `/proc` tells it (Linux).
    pub fn peak_memory_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// Ctrl-C, and the exit status.
    pub fn interrupt(mut self) -> std::process::ExitStatus {
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

fn wait_for_text(sink: &Mutex<String>, text: &str) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let seen = sink.lock().map(|s| s.clone()).unwrap_or_default();
        if seen.contains(text) || Instant::now() > deadline {
            return seen;
        }
        std::thread::sleep(POLL);
    }
}

/// Splits a response into status, head and body.
pub fn parse_answer(response: &str) -> Answer {
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((response, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}
