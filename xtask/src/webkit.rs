//! WebKit for the end-to-end tests: an X display (Xvfb) and WebKitWebDriver,
//! which starts WebKitGTK's MiniBrowser for every session. Both are stopped
//! when the [`Driver`] is dropped.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Result;

/// Debian's MiniBrowser (webkit2gtk-driver), the browser the driver starts.
pub(crate) const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// A running Xvfb and WebKitWebDriver.
pub(crate) struct Driver {
    /// The driver's URL, for the tests (`LANES_WEBDRIVER`).
    pub url: String,
    children: Vec<Child>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> Result<u16> {
    let l = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// Waits until `ready()` or `what` has taken 20 s.
fn wait_for(what: &str, ready: impl Fn() -> bool) -> Result {
    let end = Instant::now() + Duration::from_secs(20);
    while !ready() {
        if Instant::now() > end {
            return Err(format!("{what} did not come up in 20 s"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

impl Driver {
    /// Starts Xvfb on a free display and WebKitWebDriver on a free port,
    /// with `JSC_useSharedArrayBuffer=1`: WebKitGTK has no SharedArrayBuffer
    /// otherwise, even cross-origin isolated (Safari has), and the threaded
    /// engine is tested too. It turns shared memory on for every page,
    /// isolated or not: the tests of a page that is not isolated hold it to
    /// `crossOriginIsolated`, never to the absence of SharedArrayBuffer.
    pub(crate) fn start() -> Result<Driver> {
        let display = (90..200)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .ok_or("no free X display in :90 to :199")?;
        let mut children = Vec::new();
        let xvfb = Command::new("Xvfb")
            .args([
                format!(":{display}").as_str(),
                "-screen",
                "0",
                "1280x1024x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("Xvfb: {e} (cargo xtask setup installs it)"))?;
        children.push(xvfb);
        let mut driver = Driver {
            url: String::new(),
            children,
        };
        let socket = format!("/tmp/.X11-unix/X{display}");
        wait_for("Xvfb", || Path::new(&socket).exists())?;
        let port = free_port()?;
        let wkd = Command::new("WebKitWebDriver")
            .arg(format!("--port={port}"))
            .env("DISPLAY", format!(":{display}"))
            .env("JSC_useSharedArrayBuffer", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("WebKitWebDriver: {e} (cargo xtask setup installs it)"))?;
        driver.children.push(wkd);
        wait_for("WebKitWebDriver", || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        })?;
        driver.url = format!("http://127.0.0.1:{port}");
        Ok(driver)
    }
}
