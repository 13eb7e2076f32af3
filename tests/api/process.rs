//! The `barraiser` binary as an operator runs it: subcommands, signals.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, KillOnDrop, TestDb};

/// The service binary running as a child process on `db`.
pub struct Process {
    pub child: KillOnDrop,
    pub port: u16,
    pub log: mpsc::Receiver<String>,
}

/// The JSON API of a started process, signed in as its first admin.
pub struct ProcessApi {
    pub agent: ureq::Agent,
    /// `http://127.0.0.1:<port>/api/v1`
    pub base: String,
    pub token: String,
    /// `Bearer <token>`
    pub auth: String,
}

impl Process {
    /// An agent for this process's API and the first admin's token.
    pub fn api(&self) -> ProcessApi {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let base = format!("http://127.0.0.1:{}/api/v1", self.port);
        let login: serde_json::Value = agent
            .post(format!("{base}/auth/login"))
            .send_json(serde_json::json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap();
        let token = login["access_token"].as_str().unwrap().to_owned();
        ProcessApi {
            agent,
            base,
            auth: format!("Bearer {token}"),
            token,
        }
    }

    pub fn start(db: &TestDb, extra_env: &[(&str, &str)]) -> Process {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_barraiser"));
        cmd.arg("serve")
            .env("DATABASE_URL", &db.url)
            .env("BIND", "127.0.0.1:0")
            .env("LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .env("JWT_SECRET", JWT_SECRET)
            .env("BARRAISER_ADMIN_EMAIL", ADMIN_EMAIL)
            .env("BARRAISER_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("HTTP_WORKERS", "1")
            .env("DATABASE_POOL_SIZE", "2")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start the barraiser binary");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let port = loop {
            let line = rx
                .recv_timeout(Duration::from_secs(30))
                .expect("the service logs that it listens");
            if let Ok(event) = serde_json::from_str::<serde_json::Value>(&line)
                && event["message"] == "barraiser listening"
            {
                break event["port"].as_u64().unwrap() as u16;
            }
        };
        Process {
            child: KillOnDrop(child),
            port,
            log: rx,
        }
    }

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Every log line until the process exits.
    pub fn wait_for_exit(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let status = self.child.wait().unwrap();
        (status, self.log.iter().collect())
    }
}

#[test]
fn sigterm_lets_an_in_flight_request_finish_then_exits_cleanly() {
    let db = TestDb::fresh();
    let process = Process::start(&db, &[]);
    let body = format!(r#"{{"email":"{ADMIN_EMAIL}","password":"{ADMIN_PASSWORD}"}}"#);
    let mut stream = TcpStream::connect(("127.0.0.1", process.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    // A first request on the connection, answered: the server has accepted
    // it and serves it (a connection still in the listen queue at the stop
    // would be reset, on a busy machine).
    write!(stream, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut buf = [0u8; 4096];
    let n = stream.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    // The request is in flight: headers sent, body not yet.
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    process.signal("TERM");
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(body.as_bytes()).unwrap();
    let mut response = String::new();
    while !response.contains("access_token") {
        let n = stream.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        response.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("access_token"));
    drop(stream);
    let (status, log) = process.wait_for_exit();
    assert!(status.success(), "exit status {status}");
    assert!(
        log.iter().any(|l| l.contains("barraiser stopped")),
        "{log:?}"
    );
    db.remove();
}

#[test]
fn a_setting_that_cannot_work_stops_the_process_before_anything_is_created() {
    let dir = std::env::temp_dir().join(format!("barraiser-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db_path = dir.join("never.db");
    let cases: &[(&str, &str, &str)] = &[
        ("BIND", "nonsense", "BIND must be host:port"),
        (
            "PASSWORD_SIGN_IN",
            "false",
            "PASSWORD_SIGN_IN=false needs single sign-on",
        ),
        (
            "OIDC_ISSUER",
            "https://id.example.com",
            "single sign-on needs all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET",
        ),
        (
            "WEBHOOK_ALLOW_PRIVATE_NETWORKS",
            "perhaps",
            "WEBHOOK_ALLOW_PRIVATE_NETWORKS is not valid",
        ),
        (
            "DATABASE_URL",
            "postgress://x@localhost/db",
            "DATABASE_URL must be postgres://",
        ),
        (
            "MAIL_FROM",
            "not an address",
            "MAIL_FROM must be an address",
        ),
        (
            "SMTP_URL",
            "http://mail.example.com",
            "SMTP_URL must be smtp://",
        ),
        (
            "SMTP_CA_FILE",
            "/nonexistent/ca.pem",
            "SMTP_CA_FILE must be a readable PEM file",
        ),
        (
            "MAIL_DIR",
            "/proc/barraiser-mail",
            "MAIL_DIR must be a folder",
        ),
        (
            "PUBLIC_URL",
            "hire.example.com",
            "PUBLIC_URL must be an absolute http(s) URL",
        ),
        (
            "DATABASE_POOL_SIZE",
            "0",
            "DATABASE_POOL_SIZE must be at least 1",
        ),
        ("HTTP_WORKERS", "0", "HTTP_WORKERS must be at least 1"),
        (
            "PASSWORD_HASH_CONCURRENCY",
            "0",
            "PASSWORD_HASH_CONCURRENCY must be at least 1",
        ),
        (
            "MAIL_POLL_INTERVAL_MS",
            "0",
            "MAIL_POLL_INTERVAL_MS must be at least 1",
        ),
    ];
    for (name, value, says) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_barraiser"))
            .arg("serve")
            .env("DATABASE_URL", &db_path)
            .env("MAIL_DIR", dir.join("mail"))
            .env(name, value)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}={value} was accepted");
        assert!(stderr.contains(says), "{name}={value}: {stderr}");
        assert!(
            !stderr.contains("password:"),
            "no admin was created: {stderr}"
        );
        assert!(!db_path.exists(), "{name}={value} created the database");
        if *name == "SMTP_URL" {
            assert!(
                !stderr.contains("mail.example.com"),
                "the URL may hold a password"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn migrate_and_create_user_work_from_the_command_line() {
    let db = TestDb::fresh();
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_barraiser"))
            .args(args)
            .env("DATABASE_URL", &db.url)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let migrate = run(&["migrate"], "");
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    let stderr = String::from_utf8_lossy(&migrate.stderr);
    assert!(
        stderr.contains("admin@barraiser.local"),
        "the generated admin is printed once: {stderr}"
    );

    let args = [
        "create-user",
        "--email",
        "Kim@Example.com",
        "--name",
        "Kim Park",
        "--role",
        "recruiter",
        "--password-stdin",
    ];
    let created = run(&args, "kim-password-1234\n");
    assert!(
        created.status.success(),
        "{:?} {} {}",
        created.status,
        String::from_utf8_lossy(&created.stdout),
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(String::from_utf8_lossy(&created.stdout).contains("kim@example.com"));
    let again = run(&args, "kim-password-1234\n");
    assert!(!again.status.success(), "a duplicate email fails");
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("cannot create the user")
            && stderr.contains("Caused by")
            && stderr.contains("already exists"),
        "the cause chain is printed: {stderr}"
    );
    let short = run(
        &[
            "create-user",
            "--email",
            "x@example.com",
            "--name",
            "X",
            "--password-stdin",
        ],
        "short\n",
    );
    assert!(!short.status.success(), "a short password fails");

    let second_migrate = run(&["migrate"], "");
    assert!(
        !String::from_utf8_lossy(&second_migrate.stderr).contains("password:"),
        "printed only once"
    );

    // The user signs in through the service.
    let process = Process::start(&db, &[]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let res = agent
        .post(format!(
            "http://127.0.0.1:{}/api/v1/auth/login",
            process.port
        ))
        .send_json(serde_json::json!({"email": "kim@example.com", "password": "kim-password-1234"}))
        .unwrap();
    assert_eq!(res.status(), 200);
    drop(process);
    db.remove();
}

#[test]
fn logs_carry_no_password_token_email_or_candidate_data_even_at_debug_level() {
    let db = TestDb::fresh();
    let process = Process::start(&db, &[("RUST_LOG", "debug"), ("MAIL_TRANSPORT", "file")]);
    let ProcessApi {
        agent,
        base,
        token,
        auth,
    } = process.api();
    let secret_password = "recruiter-secret-pw-42";
    let created = agent
        .post(format!("{base}/users"))
        .header("Authorization", &auth)
        .send_json(serde_json::json!({"email": "rita.secret@example.com", "name": "Rita Cole", "password": secret_password, "role": "recruiter"}))
        .unwrap();
    assert_eq!(created.status(), 201);
    let wrong = agent
        .post(format!("{base}/auth/login"))
        .send_json(serde_json::json!({"email": "rita.secret@example.com", "password": "a-wrong-guess-1234"}))
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let cand = agent
        .post(format!("{base}/candidates"))
        .header("Authorization", &auth)
        .send_json(
            serde_json::json!({"name": "Casey Privatename", "email": "casey.private@example.net"}),
        )
        .unwrap();
    assert_eq!(cand.status(), 201);
    let search = agent
        .get(format!("{base}/users?q=rita.secret"))
        .header("Authorization", &auth)
        .call()
        .unwrap();
    assert_eq!(search.status(), 200);
    std::thread::sleep(Duration::from_millis(300));
    process.signal("TERM");
    let (_, log) = process.wait_for_exit();
    let log = log.join("\n");
    assert!(
        log.contains("request served"),
        "the requests were logged: {log}"
    );
    assert!(log.contains("\"level\":\"DEBUG\""), "debug logging was on");
    for secret in [
        ADMIN_PASSWORD,
        secret_password,
        "a-wrong-guess-1234",
        token.as_str(),
        &token[token.len() - 20..],
        JWT_SECRET,
        "rita.secret@example.com",
        ADMIN_EMAIL,
        "Casey Privatename",
        "casey.private@example.net",
        "rita.secret",
    ] {
        assert!(!log.contains(secret), "the log contains {secret:?}");
    }
    db.remove();
}

/// `serve`, a separate `worker` and `create-user` runs, three kinds of process
/// on one database, each writing while the others do. On SQLite this is the
/// case a process-wide lock cannot cover: the file's own lock must be waited
/// for (IMMEDIATE transactions), and nothing may answer 500.
#[test]
fn serve_worker_and_create_user_write_to_one_database_at_once_without_an_error() {
    let db = TestDb::fresh();
    let mail_dir = db.mail_dir();
    let mail_dir = mail_dir.to_string_lossy().into_owned();
    let serve = Process::start(
        &db,
        &[
            ("MAIL_WORKER", "off"),
            ("MAIL_DIR", &mail_dir),
            ("DATABASE_POOL_SIZE", "4"),
            ("HTTP_WORKERS", "2"),
        ],
    );
    let mut worker = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_barraiser"))
            .arg("worker")
            .env("DATABASE_URL", &db.url)
            .env("MAIL_DIR", &mail_dir)
            .env("MAIL_POLL_INTERVAL_MS", "10")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let base = format!("http://127.0.0.1:{}/api/v1", serve.port);
    let call = |method: &str, path: &str, token: Option<&str>, body: serde_json::Value| {
        let url = format!("{base}{path}");
        let mut req = match method {
            "POST" => agent.post(&url),
            _ => agent.patch(&url),
        };
        if let Some(token) = token {
            req = req.header("Authorization", &format!("Bearer {token}"));
        }
        let mut res = req.send_json(&body).unwrap();
        let status = res.status().as_u16();
        let body: serde_json::Value = res.body_mut().read_json().unwrap_or_default();
        (status, body)
    };
    let (status, login) = call(
        "POST",
        "/auth/login",
        None,
        serde_json::json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
    );
    assert_eq!(status, 200, "{login}");
    let token = login["access_token"].as_str().unwrap().to_owned();
    let (status, manager) = call(
        "POST",
        "/users",
        Some(&token),
        serde_json::json!({"email": "boss@example.com", "name": "Boss", "password": "boss-password-123", "role": "member"}),
    );
    assert_eq!(status, 201, "{manager}");
    let manager_id = manager["id"].as_i64().unwrap();

    let cli_runs = std::thread::scope(|s| {
        let http: Vec<_> = (0..3)
            .map(|t| {
                let (call, token) = (&call, &token);
                s.spawn(move || {
                    let mut statuses = Vec::new();
                    for i in 0..12 {
                        // Reads the manager, then writes the user and a mail.
                        let (status, body) = call(
                            "POST",
                            "/users",
                            Some(token),
                            serde_json::json!({"email": format!("http-{t}-{i}@example.com"),
                                "name": "Load Person", "password": "load-password-123",
                                "role": "member", "manager_id": manager_id}),
                        );
                        statuses.push((status, body));
                        // Reads the user and their open loops, then writes.
                        let (status, body) = call(
                            "PATCH",
                            &format!("/users/{manager_id}"),
                            Some(token),
                            serde_json::json!({"department": format!("Dept {t}-{i}")}),
                        );
                        statuses.push((status, body));
                    }
                    statuses
                })
            })
            .collect();
        let cli = s.spawn(|| {
            (0..8)
                .map(|i| {
                    let mut child = Command::new(env!("CARGO_BIN_EXE_barraiser"))
                        .args(["create-user", "--email", &format!("cli-{i}@example.com")])
                        .args([
                            "--name",
                            "Cli Person",
                            "--manager-id",
                            &manager_id.to_string(),
                        ])
                        .arg("--password-stdin")
                        .env("DATABASE_URL", &db.url)
                        .env("MAIL_DIR", &mail_dir)
                        .env("RUST_LOG", "warn")
                        .stdin(Stdio::piped())
                        .stdout(Stdio::piped())
                        .stderr(Stdio::piped())
                        .spawn()
                        .unwrap();
                    child
                        .stdin
                        .take()
                        .unwrap()
                        .write_all(b"cli-password-1234\n")
                        .unwrap();
                    child.wait_with_output().unwrap()
                })
                .collect::<Vec<_>>()
        });
        for handle in http {
            for (status, body) in handle.join().unwrap() {
                assert!(
                    status == 200 || status == 201,
                    "every write succeeds: {status} {body}"
                );
            }
        }
        cli.join().unwrap()
    });
    for out in &cli_runs {
        assert!(
            out.status.success(),
            "create-user failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = worker.kill();
    let _ = worker.wait();
    drop(serve);
    db.remove();
}

/// The log transport shows a message instead of sending it; the links in
/// invitations and resets are passwords for a while, so their tokens never
/// reach the log, nor the recipients' addresses.
#[test]
fn the_log_transport_writes_no_link_token_and_no_recipient_address() {
    let db = TestDb::fresh();
    let process = Process::start(
        &db,
        &[("MAIL_TRANSPORT", "log"), ("MAIL_POLL_INTERVAL_MS", "50")],
    );
    let ProcessApi {
        agent, base, auth, ..
    } = process.api();
    // An invitation, then a reset for the same person.
    let created = agent
        .post(format!("{base}/users"))
        .header("Authorization", &auth)
        .send_json(serde_json::json!({"email": "nia.invited@example.com", "name": "Nia New", "role": "member"}))
        .unwrap();
    assert_eq!(created.status(), 201);
    let reset = agent
        .post(format!("{base}/auth/password-reset"))
        .send_json(serde_json::json!({"email": "nia.invited@example.com"}))
        .unwrap();
    assert_eq!(reset.status(), 202);
    let outbox = || -> serde_json::Value {
        agent
            .get(format!("{base}/admin/outbox?status=sent"))
            .header("Authorization", &auth)
            .call()
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap()
    };
    crate::smtp::wait_until(Duration::from_secs(20), || {
        outbox()["items"].as_array().is_some_and(|i| i.len() >= 2)
    });
    process.signal("TERM");
    let (_, log) = process.wait_for_exit();
    let log = log.join("\n");
    let shown: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("mail (log transport)"))
        .collect();
    assert_eq!(shown.len(), 2, "the invitation and the reset: {log}");
    for line in &shown {
        assert!(line.contains("token=<redacted>"), "{line}");
    }
    // No link token in any form: after `token=` comes only the mask.
    for (i, _) in log.match_indices("token=") {
        assert!(log[i..].starts_with("token=<redacted>"), "{}", &log[i..]);
    }
    assert!(!log.contains("nia.invited@example.com"), "{log}");
    db.remove();
}
