//! What serve answers for a path: a built page from memory, or a file of `static/` that
//! build would copy (one on the list `content::load` made), opened without following a
//! link, and only if it is still a regular file; else a redirect to a folder, or the 404
//! page. Adds the live-reload script to HTML. Reads `Shared` and those files only.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::Shared;

/// A static HTML file up to this size gets the reload script; a larger one is sent as it is.
const MAX_INJECTED: u64 = 8 * 1024 * 1024;

/// An answer, before it is written.
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Body,
    pub location: Option<String>,
    /// Whether to say `Allow: GET, HEAD` (for 405).
    pub allow: bool,
}

pub enum Body {
    Bytes(Vec<u8>),
    Shared(Arc<Vec<u8>>),
    /// A static file, to be copied as it is read, and its length when opened.
    File(File, u64),
}

impl Body {
    pub fn len(&self) -> u64 {
        match self {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::Shared(bytes) => bytes.len() as u64,
            Body::File(_, len) => *len,
        }
    }
}

impl Response {
    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            Body::Bytes(text.as_bytes().to_vec()),
        )
    }

    /// The head of an event stream, for HEAD.
    pub fn events() -> Response {
        Response::new(200, "text/event-stream", Body::Bytes(Vec::new()))
    }

    fn new(status: u16, content_type: &'static str, body: Body) -> Response {
        Response {
            status,
            content_type,
            body,
            location: None,
            allow: false,
        }
    }
}

/// The answer for a URL path (percent-encoded, without its query).
pub fn find(shared: &Shared, url: &str) -> Response {
    let Some(path) = file_path(url) else {
        return Response::text(400, "bad path\n");
    };
    if let Some(found) = file(shared, &path, 200) {
        return found;
    }
    if exists(shared, &format!("{path}/index.html")) {
        // `/people/x` → `/people/x/`, as GitHub Pages does. The location is made from the
        // path with its leading slashes folded into one: `//people` must not send the
        // browser to `//people/`, another host (#16).
        let mut response = Response::text(301, "");
        response.location = Some(format!("/{}/", url.trim_matches('/')));
        return response;
    }
    file(shared, "404.html", 404)
        .unwrap_or_else(|| Response::new(404, "text/html; charset=utf-8", Body::Bytes(Vec::new())))
}

/// The site-relative file a URL path asks for (`/people/x/` → `people/x/index.html`), or
/// `None` for a path that tries to leave the site.
fn file_path(url: &str) -> Option<String> {
    let decoded = percent_decode(url)?;
    let trimmed = decoded.trim_start_matches('/');
    if trimmed
        .split('/')
        .any(|part| part == ".." || part.contains(['\\', '\0']))
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

/// Whether `path` is a built page or a listed static file.
fn exists(shared: &Shared, path: &str) -> bool {
    shared
        .served
        .read()
        .is_ok_and(|s| s.files.contains_key(path) || s.static_files.contains(path))
}

/// The served file at a site-relative path, answered with `status`: a built page, else a
/// listed file of `static/`. `None` when there is neither.
fn file(shared: &Shared, path: &str, status: u16) -> Option<Response> {
    let (built, listed) = {
        let served = shared.served.read().ok()?;
        (
            served.files.get(path).cloned(),
            served.static_files.contains(path),
        )
    };
    let content_type = content_type(path);
    let html = content_type.starts_with("text/html");
    if let Some(bytes) = built {
        let body = if html {
            Body::Bytes(inject(&bytes))
        } else {
            Body::Shared(bytes)
        };
        return Some(Response::new(status, content_type, body));
    }
    if !listed {
        return None;
    }
    let body = match open_static(&shared.static_dir, path) {
        Ok((mut file, len)) if html && len <= MAX_INJECTED => {
            let mut bytes = Vec::new();
            (&mut file).take(len).read_to_end(&mut bytes).ok()?;
            Body::Bytes(inject(&bytes))
        }
        Ok((file, len)) => Body::File(file, len),
        // Out of descriptors: the file is there, the answer is to come back.
        Err(e) if is_out_of_descriptors(&e) => {
            return Some(Response::text(503, "too busy; try again\n"));
        }
        Err(_) => return None,
    };
    Some(Response::new(status, content_type, body))
}

fn is_out_of_descriptors(e: &std::io::Error) -> bool {
    // EMFILE and ENFILE have these numbers on Linux and the BSDs, macOS included.
    cfg!(unix) && matches!(e.raw_os_error(), Some(23 | 24))
}

/// Opens `static/<relative>` only as build would have copied it: every folder on the way a
/// real folder, the file a regular file, no link anywhere (a link in a parent folder
/// included). The files change while serve runs, so this is checked on every request,
/// and the file opened is checked to be the one inspected: a folder swapped for a link
/// between the two would open another file. Returns the file and its length.
fn open_static(dir: &Path, relative: &str) -> std::io::Result<(File, u64)> {
    let refused = || std::io::Error::from(std::io::ErrorKind::NotFound);
    let parts: Vec<&str> = relative.split('/').collect();
    let mut path = dir.to_path_buf();
    let mut inspected = None;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() || *part == "." || *part == ".." {
            return Err(refused());
        }
        path.push(part);
        let meta = std::fs::symlink_metadata(&path)?;
        let last = i + 1 == parts.len();
        let kind = meta.file_type();
        if (last && !kind.is_file()) || (!last && !kind.is_dir()) {
            return Err(refused());
        }
        inspected = Some(meta);
    }
    let inspected = inspected.ok_or_else(refused)?;
    let file = open_no_follow(&path)?;
    let meta = file.metadata()?;
    if !meta.is_file() || !same_file(&meta, &inspected) {
        return Err(refused());
    }
    Ok((file, meta.len()))
}

/// Opens a file for reading without following a link in its last part, and without
/// blocking should it have become a FIFO.
#[cfg(target_os = "linux")]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    use rustix::fs::{Mode, OFlags, open};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    Ok(File::from(open(path, flags, Mode::empty())?))
}

/// Elsewhere the checks before and after opening stand alone.
#[cfg(not(target_os = "linux"))]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    a.len() == b.len() && a.modified().ok() == b.modified().ok()
}

fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    // The site's and every entity's Atom feed (#15); the sitemap stays plain XML.
    if name == "feed.xml" {
        return "application/atom+xml";
    }
    let extension = name.rsplit('.').next().unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
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
        assert_eq!(file_path("/a%00b"), None);
        assert_eq!(file_path("/%5Cevil.example"), None);
    }

    #[test]
    fn feeds_are_atom() {
        assert_eq!(content_type("feed.xml"), "application/atom+xml");
        assert_eq!(content_type("people/x/feed.xml"), "application/atom+xml");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
    }

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let page = inject(b"<html><body><p>x</p></body></html>");
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("<p>x</p><script>"), "{page}");
        assert!(page.ends_with("</script>\n</body></html>"));
    }

    #[cfg(unix)]
    #[test]
    fn static_files_open_only_without_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/a.txt"), "a").unwrap();
        std::os::unix::fs::symlink("/etc", root.join("etc")).unwrap();
        std::os::unix::fs::symlink(root.join("docs/a.txt"), root.join("b.txt")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("zero")).unwrap();
        assert!(open_static(root, "docs/a.txt").is_ok_and(|(_, len)| len == 1));
        assert!(open_static(root, "etc/passwd").is_err());
        assert!(open_static(root, "b.txt").is_err());
        assert!(open_static(root, "zero").is_err());
        assert!(open_static(root, "docs").is_err());
        assert!(open_static(root, "docs/../docs/a.txt").is_err());
        assert!(open_static(root, "docs//a.txt").is_err());
    }
}
