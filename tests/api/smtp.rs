//! A real SMTP server (aiosmtpd, `tests/support/smtp_server.py`) on a free
//! loopback port, and helpers to read what it received.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

pub struct SmtpServer {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
}

/// Installs aiosmtpd from PyPI the first time it is missing.
fn ensure_aiosmtpd() {
    static CHECK: Once = Once::new();
    CHECK.call_once(|| {
        crate::helpers::ensure_python_package("aiosmtpd", "the mail tests' SMTP server", || {
            Command::new("python3")
                .args(["-c", "import aiosmtpd"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
    });
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpServer {
    /// Accepts every message.
    pub fn start() -> Self {
        Self::start_on(free_port(), None, None)
    }

    /// Refuses every recipient with `reply` (550 or 451).
    pub fn refusing(reply: u16) -> Self {
        Self::start_on(free_port(), Some(reply), None)
    }

    /// Takes `seconds` to accept each message.
    pub fn slow(seconds: f64) -> Self {
        Self::spawn(
            free_port(),
            None,
            None,
            &["--delay".to_owned(), seconds.to_string()],
        )
    }

    /// Offers STARTTLS with `cert`/`key` and refuses mail without it.
    pub fn with_starttls(cert: &std::path::Path, key: &std::path::Path) -> Self {
        let tls = [
            "--tls-cert".to_owned(),
            cert.display().to_string(),
            "--tls-key".to_owned(),
            key.display().to_string(),
        ];
        Self::spawn(free_port(), None, None, &tls)
    }

    pub fn start_on(port: u16, reply: Option<u16>, dir: Option<PathBuf>) -> Self {
        Self::spawn(port, reply, dir, &[])
    }

    fn spawn(port: u16, reply: Option<u16>, dir: Option<PathBuf>, extra: &[String]) -> Self {
        ensure_aiosmtpd();
        let dir = dir.unwrap_or_else(|| {
            std::env::temp_dir().join("barraiser-tests").join(format!(
                "smtp-{}-{port}-{}",
                std::process::id(),
                barraiser::auth::random_hex(4)
            ))
        });
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_server.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script)
            .arg("--port")
            .arg(port.to_string())
            .arg("--dir")
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(code) = reply {
            cmd.arg("--reply").arg(code.to_string());
        }
        cmd.args(extra);
        let mut child = cmd
            .spawn()
            .expect("python3 runs tests/support/smtp_server.py (pip install aiosmtpd)");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(
            first.starts_with("LISTENING"),
            "the SMTP server did not start (is aiosmtpd installed? pip install aiosmtpd): {first:?}"
        );
        SmtpServer { child, port, dir }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The raw messages received so far, oldest first.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        names.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        names.sort();
        names.iter().filter_map(|p| std::fs::read(p).ok()).collect()
    }

    /// Waits until at least `n` messages arrived.
    #[track_caller]
    pub fn wait_for(&self, n: usize) -> Vec<Vec<u8>> {
        wait_until(Duration::from_secs(60), || self.messages().len() >= n);
        self.messages()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Polls `done` every 50 ms; panics after `timeout`.
#[track_caller]
pub fn wait_until(timeout: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < timeout,
            "condition not met within {timeout:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The Message-IDs of raw messages, asserting each occurs once.
#[track_caller]
pub fn distinct_message_ids(messages: &[Vec<u8>]) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for raw in messages {
        let parsed = mail_parser::MessageParser::default()
            .parse(raw)
            .expect("a MIME message");
        let id = parsed.message_id().expect("a Message-ID").to_owned();
        assert!(ids.insert(id.clone()), "message {id} was delivered twice");
    }
    ids
}

/// A throwaway CA and a server certificate for 127.0.0.1 signed by it
/// (`ca.pem`, `server.pem`, `server.key` in the returned folder), made with
/// the openssl command line. The server certificate is not a CA itself:
/// rustls refuses a self-signed CA used as an end entity.
pub fn test_certificates() -> PathBuf {
    let dir = std::env::temp_dir().join("barraiser-tests").join(format!(
        "tls-{}-{}",
        std::process::id(),
        barraiser::auth::random_hex(4)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("server.ext"),
        "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n\
         keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let steps: Vec<Vec<&str>> = vec![
        [
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=barraiser test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        ]
        .concat(),
        [
            &["req"][..],
            &ec,
            &[
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=127.0.0.1",
            ],
        ]
        .concat(),
        vec![
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    ];
    for args in steps {
        let out = Command::new("openssl")
            .args(&args)
            .current_dir(&dir)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    dir
}
