//! Headless Chromium for the report.html tests: found at `$CHROMIUM` or
//! `/usr/bin/chromium`, installed once from Debian's `chromium` package if
//! absent (the test machines are Debian and run as root), and run with a
//! 60-second limit so that a hung browser fails the test instead of
//! hanging CI.

#![allow(dead_code)] // Each test binary uses its own subset.

use std::io::Cursor;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long one browser launch may take before it is killed.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// The Chromium binary, installed on first use if missing. Panics with what
/// to do if it cannot be found or installed.
pub fn chromium() -> &'static Path {
    static FOUND: OnceLock<PathBuf> = OnceLock::new();
    FOUND.get_or_init(|| {
        if let Some(path) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
            let path = PathBuf::from(path);
            assert!(path.exists(), "CHROMIUM={} does not exist", path.display());
            return path;
        }
        let default = PathBuf::from("/usr/bin/chromium");
        if !default.exists() {
            install();
        }
        default
    })
}

fn install() {
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .output()
    };
    let result = apt(&["update", "-qq"]).and_then(|_| {
        apt(&[
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "chromium",
        ])
    });
    let why = match result {
        Ok(o) if o.status.success() && Path::new("/usr/bin/chromium").exists() => return,
        Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
        Err(e) => e.to_string(),
    };
    panic!(
        "the report.html browser tests need Chromium, and installing Debian's `chromium` \
         package failed. Install it (`apt-get install chromium`) or set CHROMIUM to a \
         Chromium binary. apt-get said: {why}"
    );
}

/// What one launch printed.
#[derive(Debug)]
pub struct Launch {
    pub stdout: String,
    pub stderr: String,
}

impl Launch {
    /// The page's console messages (Chromium logs each one, errors and
    /// uncaught exceptions included, as a `CONSOLE` line on stderr with
    /// `--enable-logging=stderr`). The reports run no script, so any line
    /// is a fault.
    pub fn console(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
            .collect()
    }
}

/// Runs Chromium headless on `page` with `extra` arguments, in a fresh
/// profile, with the flags that keep it off the (closed) network.
pub fn launch(page: &Path, extra: &[String]) -> Launch {
    let profile = tempfile::TempDir::new().expect("a temporary profile folder");
    let (out, err) = (profile.path().join("stdout"), profile.path().join("stderr"));
    let url = format!(
        "file://{}",
        page.canonicalize().expect("the page exists").display()
    );
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("p").display()
        ))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("a stdout file"))
        .stderr(std::fs::File::create(&err).expect("a stderr file"))
        // Its own process group, so a timeout kills the renderers too.
        .process_group(0)
        .spawn()
        .expect("Chromium starts");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("waiting for Chromium").is_some() {
            break;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = Command::new("kill")
                .args(["-KILL", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            panic!(
                "Chromium did not finish within {TIME_LIMIT:?} on {}",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Launch {
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
    }
}

/// The DOM after loading, with the console messages on stderr.
pub fn dump_dom(page: &Path) -> Launch {
    launch(page, &["--dump-dom".to_string()])
}

/// A screenshot `width` px wide and `height` tall, decoded to RGB rows.
pub fn screenshot(page: &Path, width: u32, height: u32) -> Image {
    let dir = tempfile::TempDir::new().expect("a temporary folder");
    let png = dir.path().join("shot.png");
    let launch = launch(
        page,
        &[
            format!("--screenshot={}", png.display()),
            format!("--window-size={width},{height}"),
        ],
    );
    let bytes = std::fs::read(&png)
        .unwrap_or_else(|e| panic!("no screenshot ({e}); Chromium said:\n{}", launch.stderr));
    if let Some(keep) = std::env::var_os("REPORT_SCREENSHOT_DIR") {
        // For a person to look at: REPORT_SCREENSHOT_DIR=/tmp cargo test …
        let name = page.file_stem().unwrap_or_default().to_string_lossy();
        let _ = std::fs::write(Path::new(&keep).join(format!("{name}.png")), &bytes);
    }
    Image::decode(&bytes)
}

/// An RGB image.
#[derive(Debug)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<[u8; 3]>,
}

impl Image {
    pub fn decode(bytes: &[u8]) -> Image {
        let decoder = png::Decoder::new(Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("a sane PNG size")];
        let info = reader.next_frame(&mut buf).expect("a PNG frame");
        let channels = info.color_type.samples();
        assert_eq!(info.bit_depth, png::BitDepth::Eight, "8-bit PNG");
        assert!(channels >= 3, "a colour PNG");
        let rgb = buf[..info.buffer_size()]
            .chunks_exact(channels)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        Image {
            width: info.width,
            height: info.height,
            rgb,
        }
    }

    /// Pixels within `tolerance` of one of `colours` on every channel.
    pub fn count_near(&self, colours: &[[u8; 3]], tolerance: u8) -> usize {
        self.rgb
            .iter()
            .filter(|p| {
                colours
                    .iter()
                    .any(|c| (0..3).all(|i| p[i].abs_diff(c[i]) <= tolerance))
            })
            .count()
    }
}

/// Every saturated `#rrggbb` colour named in `text` (the charts' series
/// colours; greys, black and white are left out, since text and rules
/// use them too).
pub fn saturated_colours(text: &str) -> Vec<[u8; 3]> {
    let mut found: Vec<[u8; 3]> = Vec::new();
    for (i, _) in text.match_indices('#') {
        let Some(hex) = text.get(i + 1..i + 7) else {
            continue;
        };
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            continue;
        }
        let c = |k: usize| u8::from_str_radix(&hex[k..k + 2], 16).unwrap_or(0);
        let rgb = [c(0), c(2), c(4)];
        let spread = rgb.iter().max().unwrap_or(&0) - rgb.iter().min().unwrap_or(&0);
        if spread >= 60 && !found.contains(&rgb) {
            found.push(rgb);
        }
    }
    found
}
