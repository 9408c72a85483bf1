//! A small static file server for the built site, on loopback only, so that
//! tests can serve the same `dist/` the three ways it meets the world: with
//! the cross-origin isolation headers (COOP/COEP), as a plain static host
//! that sends none (where coi-serviceworker.js steps in), and bare: no
//! headers and no service worker.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;

use crate::Result;

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Maps a URL path onto a file below `root`; `None` for anything that would
/// leave it.
fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let mut out = root.to_path_buf();
    for c in Path::new(path.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    Some(out)
}

/// How the site is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// With COOP/COEP/CORP headers (like `trunk serve`, or a `_headers` host).
    Isolated,
    /// No headers at all, like GitHub Pages.
    Plain,
    /// No headers, and the service worker is missing (404).
    Bare,
}

/// The service worker that makes a plain host isolated.
const SERVICE_WORKER: &str = "coi-serviceworker.js";

/// The WebKit tests' recorder of errors (`tests/e2e/record.js`), served at
/// this path and added to every HTML page when the server records.
const RECORDER: &str = "/__lanes_record.js";

/// `html` with the recorder's script before its first script (after the
/// Content-Security-Policy, which holds it as it holds the page's own), or
/// before `</head>` in a page without one.
fn with_recorder(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let tag = format!("<script src=\"{RECORDER}\"></script>\n  ");
    match text.find("<script").or_else(|| text.find("</head>")) {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => html.to_vec(),
    }
}

fn handle(mut stream: TcpStream, root: &Path, mode: Mode, record: bool) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Skip the headers.
    let mut h = String::new();
    while reader.read_line(&mut h)? > 2 {
        h.clear();
    }
    let mut parts = line.split_whitespace();
    let (method, url) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let file = resolve(root, url)
        .filter(|p| p.is_file())
        .filter(|p| mode != Mode::Bare || !p.ends_with(SERVICE_WORKER));
    let recorder = record && url.split(['?', '#']).next() == Some(RECORDER);
    let (status, body, ctype) = match (method, file) {
        ("GET" | "HEAD", _) if recorder => (
            "200 OK",
            include_bytes!("../../tests/e2e/record.js").to_vec(),
            "text/javascript; charset=utf-8",
        ),
        ("GET" | "HEAD", Some(p)) if record && content_type(&p).starts_with("text/html") => (
            "200 OK",
            with_recorder(&std::fs::read(&p)?),
            content_type(&p),
        ),
        ("GET" | "HEAD", Some(p)) => ("200 OK", std::fs::read(&p)?, content_type(&p)),
        ("GET" | "HEAD", None) => ("404 Not Found", b"not found\n".to_vec(), "text/plain"),
        _ => (
            "405 Method Not Allowed",
            b"method not allowed\n".to_vec(),
            "text/plain",
        ),
    };
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    if mode == Mode::Isolated {
        head += "Cross-Origin-Opener-Policy: same-origin\r\nCross-Origin-Embedder-Policy: require-corp\r\nCross-Origin-Resource-Policy: cross-origin\r\n";
    }
    head += "\r\n";
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// Serves `root` on 127.0.0.1:`port` (0 picks a free port) in background
/// threads; returns the port. With `record`, every HTML page gets the
/// WebKit tests' recorder of errors.
pub(crate) fn start(root: PathBuf, port: u16, mode: Mode, record: bool) -> Result<u16> {
    let listener =
        TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("port {port}: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            thread::spawn(move || {
                let _ = handle(stream, &root, mode, record);
            });
        }
    });
    Ok(port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_below_the_root() {
        let root = Path::new("/srv/site");
        assert_eq!(
            resolve(root, "/js/lanes.js?x=1"),
            Some(root.join("js/lanes.js"))
        );
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/js/../../x"), None);
    }

    #[test]
    fn the_recorder_goes_before_the_first_script_and_after_the_policy() {
        let page = b"<head>\n  <meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self'\">\n  <script src=\"a.js\"></script>\n</head>";
        let out = String::from_utf8(with_recorder(page)).unwrap();
        let (policy, recorder, script) = (
            out.find("Content-Security").unwrap(),
            out.find(RECORDER).unwrap(),
            out.find("a.js").unwrap(),
        );
        assert!(policy < recorder && recorder < script, "{out}");
        let bare = String::from_utf8(with_recorder(b"<head><title>x</title></head><body></body>"))
            .unwrap();
        assert!(
            bare.contains("<script src=\"/__lanes_record.js\"></script>\n  </head>"),
            "{bare}"
        );
    }
}
