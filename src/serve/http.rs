//! The HTTP side of serve: a small HTTP/1.1 server on `std::net` that answers GET and HEAD
//! from the served files (`files.rs`), injects the live-reload script into HTML, and keeps
//! one server-sent-event stream open per browser tab. Reads only `Shared` and the files of
//! `static/` that build would copy.
//!
//! Any web page open in the editor's browser can reach the preview, so it is guarded (#16):
//! only `Host: 127.0.0.1:PORT` and `localhost:PORT` are answered (DNS rebinding), only GET
//! and HEAD; a request head is capped in size and in time (idle, half-open and trickling
//! connections end); connections are capped below the descriptor limit, and the accept
//! loop waits and tries again when descriptors run out instead of ending.

use std::io::{BufWriter, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::Shared;
use super::files::{self, Body, Response};
use crate::Error;

/// Where the reload script listens.
pub const EVENTS: &str = "/__sitroom/events";
/// The longest request head (request line and headers) read; a longer one gets 431. Browsers
/// send 1–2 KB; the rest is room for cookies that other local servers set on `localhost`.
pub const MAX_HEAD: usize = 64 * 1024;
/// How long a request head may take to arrive, counted from the connection's opening or
/// from the end of the last response: ends idle, half-open and trickling connections.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write may wait for a client that stops reading (a slow reader, a closed tab).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections at most, event streams included; fewer when the descriptor limit is
/// low (see `connection_limit`). A connection past it is answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 1024;
/// Descriptors kept free of connections for the rebuild (reading sources) and static files.
const RESERVE: u64 = 64;
/// The longest wait of the accept loop between tries when accepting fails.
const MAX_PAUSE: Duration = Duration::from_millis(100);
/// A comment sent on a quiet event stream, so a closed tab is noticed and its thread ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// After an error, unread request bytes are read and dropped for this long (or this many)
/// before closing, so that the client reads the answer instead of a reset.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 256 * 1024;
/// A connection's thread only parses and copies bytes.
const STACK: usize = 256 * 1024;

/// What an open tab is told.
#[derive(Debug, Clone)]
pub enum Event {
    Reload,
    /// The rebuild failed: the problems as the terminal shows them.
    Problem(String),
}

/// Listens on 127.0.0.1 only: a preview is for the editor, not the network.
pub fn bind(port: u16) -> Result<TcpListener, Error> {
    TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        Error::machine(
            format!("listening on 127.0.0.1:{port} (choose another port with `--port`)"),
            e,
        )
    })
}

/// Accepts connections on a thread of its own until the process ends; each connection
/// gets a thread.
pub fn spawn(listener: TcpListener, shared: Arc<Shared>) {
    let port = listener.local_addr().map_or(0, |a| a.port());
    let limit = connection_limit();
    std::thread::spawn(move || accept(&listener, &shared, port, limit));
}

/// The accept loop. tiny_http's ended on the first error, so at the descriptor limit the
/// preview stopped answering for good (#16); this one waits a little and tries again.
fn accept(listener: &TcpListener, shared: &Arc<Shared>, port: u16, limit: usize) {
    let open = Arc::new(AtomicUsize::new(0));
    let mut pause = Duration::ZERO;
    let mut warned: Option<Instant> = None;
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) => {
                if warned.is_none_or(|at| at.elapsed() > Duration::from_secs(10)) {
                    eprintln!("warning: accepting a connection: {e}; trying again");
                    warned = Some(Instant::now());
                }
                pause = (pause * 2).clamp(Duration::from_millis(1), MAX_PAUSE);
                std::thread::sleep(pause);
                continue;
            }
        };
        pause = Duration::ZERO;
        if open.load(Ordering::Acquire) >= limit {
            refuse(&stream);
            continue;
        }
        let slot = Slot::take(&open);
        let shared = Arc::clone(shared);
        // A thread that cannot start drops the closure: the socket closes, the slot frees.
        let _ = std::thread::Builder::new()
            .name("sitroom-http".into())
            .stack_size(STACK)
            .spawn(move || {
                let _slot = slot;
                connection(&stream, &shared, port);
            });
    }
}

/// How many connections may be open: `MAX_CONNECTIONS`, or fewer so that connections leave
/// `RESERVE` descriptors (a quarter of a small limit) for everything else.
fn connection_limit() -> usize {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Resource, getrlimit};
        if let Some(soft) = getrlimit(Resource::Nofile).current {
            let room = soft.saturating_sub(RESERVE.min(soft / 4)).max(1);
            return usize::try_from(room).map_or(MAX_CONNECTIONS, |n| n.min(MAX_CONNECTIONS));
        }
    }
    MAX_CONNECTIONS
}

/// One of the open connections, counted while it lives.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>) -> Slot {
        open.fetch_add(1, Ordering::AcqRel);
        Slot(Arc::clone(open))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Tells a connection past the limit to come back, without waiting on it: the accept loop
/// must never block on a client.
fn refuse(stream: &TcpStream) {
    let _ = stream.set_nonblocking(true);
    let body = "too many connections\n";
    let text = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = (&*stream).write_all(text.as_bytes());
}

/// Answers the requests of one connection in turn (keep-alive) until it closes, times out,
/// asks to close, or sends something this server does not take.
fn connection(stream: &TcpStream, shared: &Shared, port: u16) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut pending = Vec::new();
    loop {
        let head = match read_head(stream, &mut pending) {
            Head::Complete(head) => head,
            Head::Closed => return,
            Head::TooLarge => {
                let too_large = Response::text(431, "the request head is too large\n");
                send(stream, too_large, false, false);
                return linger(stream);
            }
        };
        let keep_open = match Request::parse(&head) {
            Ok(request) => answer(stream, &request, shared, port),
            Err(bad) => send(stream, bad, false, false),
        };
        if !keep_open {
            return linger(stream);
        }
    }
}

enum Head {
    /// The request line and headers, up to and including the blank line that ends them.
    Complete(Vec<u8>),
    /// Closed by the client, timed out, or failed.
    Closed,
    TooLarge,
}

/// Reads one request head. `pending` holds bytes read past the last head (a pipelined
/// request) and keeps those read past this one. The whole head must arrive within
/// `HEAD_TIMEOUT`, so a client that trickles a byte at a time is cut off all the same.
fn read_head(mut stream: &TcpStream, pending: &mut Vec<u8>) -> Head {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut chunk = [0u8; 8192];
    let mut scanned = 0;
    loop {
        // Empty lines before a request line are to be ignored (RFC 9112, section 2.2).
        let blank = pending
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        if blank > 0 {
            pending.drain(..blank);
            scanned = 0;
        }
        if let Some(end) = head_end(pending, scanned) {
            let rest = pending.split_off(end);
            return Head::Complete(std::mem::replace(pending, rest));
        }
        if pending.len() >= MAX_HEAD {
            return Head::TooLarge;
        }
        // Only the last three bytes read can start the end of a head that the next read ends.
        scanned = pending.len().saturating_sub(3);
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Head::Closed;
        }
        let room = (MAX_HEAD - pending.len()).min(chunk.len());
        match stream.read(&mut chunk[..room]) {
            Ok(0) => return Head::Closed,
            Ok(n) => pending.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Head::Closed,
        }
    }
}

/// Where the head in `bytes` ends (just past its blank line), searching from `from`.
fn head_end(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find_map(|i| {
        if bytes[i] != b'\n' {
            return None;
        }
        match bytes.get(i + 1..) {
            Some([b'\n', ..]) => Some(i + 2),
            Some([b'\r', b'\n', ..]) => Some(i + 3),
            _ => None,
        }
    })
}

/// What this server reads of a request.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    method: String,
    /// The request target as sent: a path, percent-encoded, perhaps with a query.
    target: String,
    host: Option<String>,
    /// The client asked to close (`Connection: close`, or HTTP/1.0).
    close: bool,
    /// The request has a body, which is not read: the connection closes after the answer.
    body: bool,
}

impl Request {
    /// Parses a head; a malformed one is answered with the response given back.
    fn parse(head: &[u8]) -> Result<Request, Response> {
        let bad = |why: &str| Response::text(400, &format!("bad request: {why}\n"));
        let text = std::str::from_utf8(head).map_err(|_| bad("the head is not UTF-8"))?;
        let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let line = lines.next().unwrap_or("");
        let parts: Vec<&str> = line.split(' ').collect();
        let [method, target, version] = parts[..] else {
            return Err(bad("the request line is not `METHOD /path HTTP/1.1`"));
        };
        let http10 = match version {
            "HTTP/1.1" => false,
            "HTTP/1.0" => true,
            _ => return Err(Response::text(505, "only HTTP/1.0 and 1.1 are spoken\n")),
        };
        if method.is_empty()
            || !method
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(bad("the method is not a word"));
        }
        // Only paths: an absolute URL or `*` is for proxies, and control characters or
        // spaces could end up in a `Location` header.
        if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad("the target is not a path"));
        }
        let mut request = Request {
            method: method.to_string(),
            target: target.to_string(),
            host: None,
            close: http10,
            body: false,
        };
        for line in lines.filter(|l| !l.is_empty()) {
            let Some((name, value)) = line.split_once(':') else {
                return Err(bad("a header line has no `:`"));
            };
            // Folded lines and a space before the colon are refused (RFC 9112, section 5).
            if name.is_empty() || name.starts_with([' ', '\t']) || name.ends_with([' ', '\t']) {
                return Err(bad("a header name is malformed"));
            }
            let value = value.trim_matches([' ', '\t']);
            match name.to_ascii_lowercase().as_str() {
                "host" if request.host.is_some() => return Err(bad("two `Host` headers")),
                "host" => request.host = Some(value.to_string()),
                "connection" => {
                    request.close |= value
                        .split(',')
                        .any(|token| token.trim().eq_ignore_ascii_case("close"));
                }
                "content-length" => request.body |= value != "0",
                "transfer-encoding" => request.body = true,
                _ => {}
            }
        }
        Ok(request)
    }
}

/// Whether `host` names this server: a page on another name that resolves to 127.0.0.1
/// (DNS rebinding) must not read the preview, drafts included (#16).
fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        return false;
    };
    let (name, given_port) = match host.rsplit_once(':') {
        Some((name, p)) => (name, p.parse::<u16>().ok()),
        None => (host, Some(80)),
    };
    given_port == Some(port) && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost"))
}

/// Answers one request. Returns whether the connection stays open for another.
fn answer(stream: &TcpStream, request: &Request, shared: &Shared, port: u16) -> bool {
    if !host_allowed(request.host.as_deref(), port) {
        let text = format!(
            "this preview answers only http://127.0.0.1:{port}/ and http://localhost:{port}/\n"
        );
        return send(stream, Response::text(421, &text), false, false);
    }
    let head_only = match request.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => {
            let mut response = Response::text(405, "only GET and HEAD are answered\n");
            response.allow = true;
            return send(stream, response, false, false);
        }
    };
    let keep_open = !request.close && !request.body;
    let path = request.target.split('?').next().unwrap_or("/");
    if path == EVENTS {
        if head_only {
            return send(stream, Response::events(), true, false);
        }
        stream_events(stream, shared);
        return false;
    }
    send(stream, files::find(shared, path), head_only, keep_open)
}

/// Writes `response` (only its head for HEAD). Returns whether the connection may carry
/// another request: it was asked to, and everything was written.
fn send(stream: &TcpStream, response: Response, head_only: bool, keep_open: bool) -> bool {
    let Response {
        status,
        content_type,
        body,
        location,
        allow,
    } = response;
    let mut out = BufWriter::with_capacity(64 * 1024, stream);
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n",
        reason(status),
        body.len()
    );
    if let Some(location) = location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    if allow {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    if !keep_open {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    if out.write_all(head.as_bytes()).is_err() {
        return false;
    }
    let complete = head_only
        || match body {
            Body::Bytes(bytes) => out.write_all(&bytes).is_ok(),
            Body::Shared(bytes) => out.write_all(&bytes).is_ok(),
            // Exactly the length announced: a file that shrank meanwhile ends the
            // connection, one that grew is cut.
            Body::File(file, len) => {
                std::io::copy(&mut file.take(len), &mut out).is_ok_and(|n| n == len)
            }
        };
    out.flush().is_ok() && complete && keep_open
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Closes a connection so that the client can read the last answer: stops writing, then
/// reads and drops what the client still sends, for a bounded time and amount.
fn linger(mut stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut dropped = 0;
    let mut chunk = [0u8; 8192];
    while dropped < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => dropped += n,
        }
    }
}

/// Keeps an event stream open for one tab: the current problem first, if there is one,
/// then every event until the tab closes (a write fails or times out).
fn stream_events(mut stream: &TcpStream, shared: &Shared) {
    let (tx, rx) = mpsc::channel();
    let problem = shared.served.read().ok().and_then(|s| s.problem.clone());
    if let Ok(mut tabs) = shared.tabs.lock() {
        tabs.push(tx);
    }
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    if let Some(problem) = problem
        && stream
            .write_all(frame(&Event::Problem(problem)).as_bytes())
            .is_err()
    {
        return;
    }
    loop {
        let text = match rx.recv_timeout(KEEP_ALIVE) {
            Ok(event) => frame(&event),
            Err(RecvTimeoutError::Timeout) => ": still here\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if stream.write_all(text.as_bytes()).is_err() {
            return;
        }
    }
}

/// One event in the text/event-stream format; a problem travels as a JSON string so its
/// line breaks survive.
fn frame(event: &Event) -> String {
    match event {
        Event::Reload => "event: reload\ndata: {}\n\n".to_string(),
        Event::Problem(text) => {
            let json = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into());
            format!("event: problem\ndata: {json}\n\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Request, u16> {
        Request::parse(text.as_bytes()).map_err(|r| r.status)
    }

    #[test]
    fn a_head_ends_at_its_blank_line() {
        assert_eq!(
            head_end(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nrest", 0),
            Some(27)
        );
        assert_eq!(head_end(b"GET / HTTP/1.1\nHost: x\n\nrest", 0), Some(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: x\r\n", 0), None);
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: x\r\n\r", 0), None);
    }

    #[test]
    fn requests_are_parsed_and_malformed_ones_refused() {
        let request = parse(
            "GET /a?b HTTP/1.1\r\nHost: localhost:8\r\nConnection: keep-alive, Close\r\n\r\n",
        );
        assert_eq!(
            request,
            Ok(Request {
                method: "GET".into(),
                target: "/a?b".into(),
                host: Some("localhost:8".into()),
                close: true,
                body: false,
            })
        );
        assert!(parse("GET / HTTP/1.0\r\n\r\n").is_ok_and(|r| r.close && r.host.is_none()));
        assert!(parse("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n").is_ok_and(|r| r.body));
        assert_eq!(parse("GET http://evil/ HTTP/1.1\r\n\r\n"), Err(400));
        assert_eq!(parse("GET /a\x01 HTTP/1.1\r\n\r\n"), Err(400));
        assert_eq!(parse("GET / HTTP/2.0\r\n\r\n"), Err(505));
        assert_eq!(parse("GET /  HTTP/1.1\r\n\r\n"), Err(400));
        assert_eq!(
            parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
            Err(400)
        );
        assert_eq!(parse("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), Err(400));
        assert_eq!(parse("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n"), Err(400));
    }

    #[test]
    fn only_this_servers_own_names_are_answered() {
        assert!(host_allowed(Some("127.0.0.1:8080"), 8080));
        assert!(host_allowed(Some("LocalHost:8080"), 8080));
        assert!(host_allowed(Some("localhost"), 80));
        assert!(!host_allowed(Some("localhost"), 8080));
        assert!(!host_allowed(Some("localhost:8081"), 8080));
        assert!(!host_allowed(Some("evil.example:8080"), 8080));
        assert!(!host_allowed(Some("localhost.evil.example:8080"), 8080));
        assert!(!host_allowed(Some("[::1]:8080"), 8080));
        assert!(!host_allowed(None, 8080));
    }
}
