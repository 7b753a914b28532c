//! The HTTP side of serve (the only tiny_http user): answers GETs from the served files,
//! injects the live-reload script into HTML, and keeps one server-sent-event stream open
//! per browser tab. Reads only `Shared` and the site's `static/` folder.

use std::io::Write;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use tiny_http::{Header, Request, Response, Server, StatusCode};

use super::Shared;
use crate::Error;

/// Where the reload script listens.
const EVENTS: &str = "/__sitroom/events";
/// Request threads; event streams get their own.
const WORKERS: usize = 4;
/// A comment sent on a quiet event stream, so a closed tab is noticed and its thread ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What an open tab is told.
#[derive(Debug, Clone)]
pub enum Event {
    Reload,
    /// The rebuild failed: the problems as the terminal shows them.
    Problem(String),
}

/// Listens on 127.0.0.1 only: a preview is for the editor, not the network.
pub fn bind(port: u16) -> Result<Server, Error> {
    Server::http(("127.0.0.1", port)).map_err(|e| {
        Error::machine(
            format!("listening on 127.0.0.1:{port} (choose another port with `--port`)"),
            e,
        )
    })
}

/// Answers requests on a few threads until the process ends.
pub fn spawn(server: Server, shared: Arc<Shared>) {
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let (server, shared) = (Arc::clone(&server), Arc::clone(&shared));
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                if request.url() == EVENTS {
                    let shared = Arc::clone(&shared);
                    std::thread::spawn(move || stream_events(request, &shared));
                } else {
                    let _ = respond(request, &shared);
                }
            }
        });
    }
}

fn respond(request: Request, shared: &Shared) -> std::io::Result<()> {
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let Some(path) = file_path(&url) else {
        return request.respond(Response::from_string("bad path").with_status_code(400));
    };
    let (status, body, file) = match find(shared, &path) {
        Some(found) => (200, found, path),
        None => match find(shared, &format!("{path}/index.html")) {
            // `/people/x` → `/people/x/`, as GitHub Pages does.
            Some(_) => {
                let location = format!("{}/", url.trim_end_matches('/'));
                let redirect =
                    Response::empty(StatusCode(301)).with_header(header("Location", &location));
                return request.respond(redirect);
            }
            None => (
                404,
                find(shared, "404.html").unwrap_or_else(|| Arc::new(Vec::new())),
                "404.html".to_string(),
            ),
        },
    };
    let kind = content_type(&file);
    let bytes = if kind.starts_with("text/html") {
        inject(&body)
    } else {
        body.to_vec()
    };
    let response = Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"));
    request.respond(response)
}

/// The served file at a site-relative path: a built page, else a file of `static/`.
fn find(shared: &Shared, path: &str) -> Option<Arc<Vec<u8>>> {
    let built = shared
        .served
        .read()
        .ok()
        .and_then(|served| served.files.get(path).cloned());
    built.or_else(|| {
        std::fs::read(shared.static_dir.join(path))
            .ok()
            .map(Arc::new)
    })
}

/// The site-relative file a URL path asks for (`/people/x/` → `people/x/index.html`), or
/// `None` for a path that tries to leave the site.
fn file_path(url: &str) -> Option<String> {
    let decoded = percent_decode(url)?;
    let trimmed = decoded.trim_start_matches('/');
    if trimmed
        .split('/')
        .any(|part| part == ".." || part.contains('\\'))
    {
        return None;
    }
    if trimmed.is_empty() || trimmed.ends_with('/') {
        Some(format!("{trimmed}index.html"))
    } else {
        Some(trimmed.to_string())
    }
}

/// Decodes `%XX` escapes, since slugs of non-Latin names travel escaped.
fn percent_decode(url: &str) -> Option<String> {
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = url.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit('.').next().unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    // Safe: every name and value passed here is ASCII without line breaks.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("an ASCII header")
}

/// The script that reloads the tab on a rebuild and shows a failed rebuild's problems over
/// the page. Only serve adds it; a built site never contains it.
const SCRIPT: &str = r#"<script>(function () {
  var box = null;
  var source = new EventSource("/__sitroom/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("problem", function (e) {
    if (!box) {
      box = document.createElement("pre");
      box.id = "sitroom-problem";
      box.title = "click to hide";
      box.onclick = function () { box.remove(); box = null; };
      box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:60vh;z-index:99999;" +
        "margin:0;padding:1rem;overflow:auto;background:#1d1f21;color:#f8f8f2;border:3px solid #c0392b;" +
        "font:14px/1.4 monospace;white-space:pre-wrap;cursor:pointer";
      document.body.appendChild(box);
    }
    box.textContent = "sitroom: the last save did not build; this is the last good page.\n\n" +
      JSON.parse(e.data);
  });
})();</script>
"#;

/// Adds the reload script before `</body>` (or at the end of a page without one).
fn inject(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Keeps an event stream open for one tab: the current problem first, if there is one,
/// then every event until the tab closes.
fn stream_events(request: Request, shared: &Shared) {
    let (tx, rx) = mpsc::channel();
    let problem = shared.served.read().ok().and_then(|s| s.problem.clone());
    if let Ok(mut tabs) = shared.tabs.lock() {
        tabs.push(tx);
    }
    // tiny_http would buffer a streamed body; the raw socket lets each event go at once.
    let mut socket = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if write_and_flush(&mut socket, head).is_err() {
        return;
    }
    if let Some(problem) = problem
        && write_and_flush(&mut socket, &frame(&Event::Problem(problem))).is_err()
    {
        return;
    }
    loop {
        let text = match rx.recv_timeout(KEEP_ALIVE) {
            Ok(event) => frame(&event),
            Err(RecvTimeoutError::Timeout) => ": still here\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if write_and_flush(&mut socket, &text).is_err() {
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

fn write_and_flush(socket: &mut Box<dyn Write + Send>, text: &str) -> std::io::Result<()> {
    socket.write_all(text.as_bytes())?;
    socket.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_map_to_files() {
        assert_eq!(file_path("/"), Some("index.html".into()));
        assert_eq!(file_path("/people/x/"), Some("people/x/index.html".into()));
        assert_eq!(file_path("/feed.xml"), Some("feed.xml".into()));
        assert_eq!(file_path("/%D0%BA/"), Some("к/index.html".into()));
        assert_eq!(file_path("/../etc/passwd"), None);
        assert_eq!(file_path("/a/%2e%2e/b"), None);
    }

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let page = inject(b"<html><body><p>x</p></body></html>");
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("<p>x</p><script>"), "{page}");
        assert!(page.ends_with("</script>\n</body></html>"));
    }
}
