//! Mail through the outbox, delivered by the worker to a real SMTP server.

use barraiser::urls::api;

use std::time::Duration;

use barraiser::db::{self, Db};
use barraiser::mail::calendar::{Invite, Method, Person};
use barraiser::mail::{Outgoing, enqueue, templates};
use chrono::{TimeZone, Utc};
use mail_parser::{MessageParser, MimeHeaders};
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_EMAIL, ADMIN_PASSWORD, KillOnDrop, PASSWORD, TestApp, TestDb, smtp_settings,
    test_settings,
};
use crate::process::Process;
use crate::smtp::{SmtpServer, distinct_message_ids, free_port, test_certificates, wait_until};

fn outbox(app: &TestApp) -> Vec<Value> {
    app.outbox()
}

fn create_user(app: &TestApp, email: &str) {
    let res = app.post(
        api::USERS,
        &app.admin_token,
        json!({"email": email, "name": "Kim Park", "password": PASSWORD, "role": "member"}),
    );
    assert_eq!(res.status, 201, "{}", res.body);
}

fn invite_message(to: &str) -> Outgoing {
    let notice = templates::InterviewNotice {
        interviewer_name: "Dana Lee",
        candidate_name: "Casey Candidate",
        role_title: "Senior Engineer",
        starts_at: Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap(),
        ends_at: Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap(),
        competencies: vec!["Ownership".into(), "Dive Deep".into()],
        kit_url: "http://barraiser.test/interviews/7",
        zone: barraiser::domain::TimeZone::UTC,
        bar_raiser: false,
    };
    Outgoing {
        kind: "interview_assigned",
        to: vec![to.into()],
        cc: vec![],
        content: templates::interview_assigned(&notice),
        invite: Some(Invite {
            method: Method::Request,
            uid: "interview-7@barraiser.test".into(),
            sequence: 2,
            summary: "Interview: Senior Engineer".into(),
            description: "Ownership, Dive Deep".into(),
            starts_at: notice.starts_at,
            ends_at: notice.ends_at,
            organizer: Person {
                name: "Rita Cole".into(),
                email: "rita@example.com".into(),
            },
            attendee: Person {
                name: "Dana Lee".into(),
                email: to.into(),
            },
        }),
    }
}

/// Writes messages straight into the outbox of `url`, as a change would.
fn enqueue_direct(url: &str, messages: &[Outgoing]) {
    let database = Db::connect(url, 1).unwrap();
    let mut conn = database.conn().unwrap();
    db::migrate(&mut conn).unwrap();
    database
        .transaction(&mut conn, |c| {
            for m in messages {
                enqueue(c, m)?;
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_new_account_gets_a_welcome_mail_with_text_and_html_parts_over_smtp() {
    let smtp = SmtpServer::start();
    let db = TestDb::fresh();
    let app = TestApp::start(db.clone(), smtp_settings(&db, &smtp.url()));
    create_user(&app, "kim@example.com");
    let raw = smtp.wait_for(1);
    let message = MessageParser::default().parse(&raw[0]).unwrap();
    assert_eq!(message.subject(), Some("Your barraiser account"));
    assert_eq!(
        message.to().unwrap().first().unwrap().address(),
        Some("kim@example.com")
    );
    assert_eq!(
        message.from().unwrap().first().unwrap().address(),
        Some("barraiser@example.com")
    );
    let types: Vec<String> = message
        .parts
        .iter()
        .filter_map(|p| {
            p.content_type()
                .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")))
        })
        .collect();
    assert!(
        types.contains(&"text/plain".to_string()) && types.contains(&"text/html".to_string()),
        "{types:?}"
    );
    assert!(
        message
            .body_text(0)
            .unwrap()
            .contains("Sign in with kim@example.com")
    );
    assert!(
        message
            .body_html(0)
            .unwrap()
            .contains("<a href=\"http://barraiser.test/login\">")
    );
    assert!(
        !String::from_utf8_lossy(&raw[0]).contains(PASSWORD),
        "no password in mail"
    );
    wait_until(Duration::from_secs(10), || {
        outbox(&app).iter().all(|m| m["status"] == "sent")
    });
    let entry = &outbox(&app)[0];
    assert_eq!(entry["kind"], "account_created");
    assert_eq!(entry["attempts"], 1);
    assert!(entry["sent_at"].is_string());
}

#[test]
fn an_interview_invitation_carries_an_ics_attachment_that_parses_as_icalendar() {
    let smtp = SmtpServer::start();
    let db = TestDb::fresh();
    let app = TestApp::start(db.clone(), smtp_settings(&db, &smtp.url()));
    enqueue_direct(&db.url, &[invite_message("dana@example.com")]);
    let raw = smtp.wait_for(1);
    let message = MessageParser::default().parse(&raw[0]).unwrap();
    assert!(
        message
            .subject()
            .unwrap()
            .starts_with("Interview with Casey Candidate for Senior Engineer")
    );
    assert!(message.body_text(0).unwrap().contains("Dive Deep"));
    let ics_part = message.attachments().next().expect("an attachment");
    let ct = ics_part.content_type().unwrap();
    assert_eq!((ct.ctype(), ct.subtype()), ("text", Some("calendar")));
    assert_eq!(ct.attribute("method"), Some("REQUEST"));
    let ics = String::from_utf8(ics_part.contents().to_vec()).unwrap();
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    let method = calendar
        .properties
        .iter()
        .find(|p| p.name == "METHOD")
        .unwrap();
    assert_eq!(method.val.as_str(), "REQUEST");
    let prodid = calendar
        .properties
        .iter()
        .find(|p| p.name == "PRODID")
        .unwrap();
    assert_eq!(
        prodid.val.as_str(),
        concat!(
            "-//barraiser//barraiser ",
            env!("CARGO_PKG_VERSION"),
            "//EN"
        )
    );
    let event = calendar
        .components
        .iter()
        .find(|c| c.name == "VEVENT")
        .expect("a VEVENT");
    let prop = |name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.val.to_string())
    };
    assert_eq!(
        prop("UID").as_deref(),
        Some("interview-7@barraiser.test"),
        "the UID it was given"
    );
    assert_eq!(prop("SEQUENCE").as_deref(), Some("2"));
    assert_eq!(prop("DTSTART").as_deref(), Some("20261201T140000Z"));
    assert_eq!(prop("DTEND").as_deref(), Some("20261201T150000Z"));
    assert_eq!(prop("ATTENDEE").as_deref(), Some("mailto:dana@example.com"));
    assert_eq!(
        prop("ORGANIZER").as_deref(),
        Some("mailto:rita@example.com")
    );
    drop(app);
}

#[test]
fn messages_wait_while_smtp_is_down_and_are_delivered_once_when_it_returns() {
    let port = free_port();
    let db = TestDb::fresh();
    let app = TestApp::start(
        db.clone(),
        smtp_settings(&db, &format!("smtp://127.0.0.1:{port}")),
    );
    for i in 0..3 {
        create_user(&app, &format!("person{i}@example.com"));
    }
    wait_until(Duration::from_secs(20), || {
        let items = outbox(&app);
        // `attempts` counts at claim time; an attempt is over once its error is recorded.
        items.len() == 3 && items.iter().all(|m| m["last_error"].is_string())
    });
    for m in outbox(&app) {
        assert_eq!(m["status"], "pending", "{m}");
        assert!(!m["last_error"].as_str().unwrap_or("").is_empty(), "{m}");
    }
    let smtp = SmtpServer::start_on(port, None, None);
    wait_until(Duration::from_secs(30), || {
        outbox(&app).iter().all(|m| m["status"] == "sent")
    });
    std::thread::sleep(Duration::from_millis(1500)); // a duplicate would arrive by now
    let received = smtp.messages();
    assert_eq!(received.len(), 3, "each message exactly once");
    assert_eq!(distinct_message_ids(&received).len(), 3);
}

#[test]
fn a_550_reply_fails_the_message_after_one_attempt_and_an_admin_can_retry_it() {
    let smtp = SmtpServer::refusing(550);
    let db = TestDb::fresh();
    let app = TestApp::start(db.clone(), smtp_settings(&db, &smtp.url()));
    create_user(&app, "kim@example.com");
    wait_until(Duration::from_secs(20), || {
        outbox(&app)
            .first()
            .is_some_and(|m| m["status"] == "failed")
    });
    let failed = &outbox(&app)[0];
    assert_eq!(failed["attempts"], 1);
    assert!(
        failed["last_error"].as_str().unwrap().contains("550"),
        "{failed}"
    );
    let listed = app.get("/api/v1/admin/outbox?status=failed", &app.admin_token);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.get("/api/v1/admin/outbox?status=sent", &app.admin_token)
            .body["items"],
        json!([])
    );

    let member = app.user("member", "Dana Lee");
    app.get(api::OUTBOX, &member.token)
        .assert_problem(403, "admin_only");
    let id = failed["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/admin/outbox/{id}/retry"),
        &member.token,
        json!({}),
    )
    .assert_problem(403, "admin_only");
    let retried = app.post(
        &format!("/api/v1/admin/outbox/{id}/retry"),
        &app.admin_token,
        json!({}),
    );
    assert_eq!(retried.status, 200, "{}", retried.body);
    assert_eq!(retried.body["status"], "pending");
    // Still refused by the server: failed again, after a second attempt.
    wait_until(Duration::from_secs(20), || {
        let m = &outbox(&app)[0];
        m["status"] == "failed" && m["attempts"] == 2
    });
    let welcome_of_dana = outbox(&app).into_iter().find(|m| m["id"] != id).unwrap();
    wait_until(Duration::from_secs(20), || {
        outbox(&app)
            .iter()
            .find(|m| m["id"] == welcome_of_dana["id"])
            .unwrap()["status"]
            == "failed"
    });
    app.post(
        "/api/v1/admin/outbox/999999/retry",
        &app.admin_token,
        json!({}),
    )
    .assert_problem(404, "not_found");
    app.get("/api/v1/admin/outbox?status=lost", &app.admin_token)
        .assert_problem(422, "validation_failed");
    assert!(smtp.messages().is_empty());
}

#[test]
fn a_451_reply_is_retried_with_back_off() {
    let smtp = SmtpServer::refusing(451);
    let db = TestDb::fresh();
    let app = TestApp::start(db.clone(), smtp_settings(&db, &smtp.url()));
    create_user(&app, "kim@example.com");
    wait_until(Duration::from_secs(30), || {
        outbox(&app)
            .first()
            .is_some_and(|m| m["attempts"].as_i64().unwrap() >= 2)
    });
    let m = &outbox(&app)[0];
    assert_eq!(m["status"], "pending", "{m}");
    assert!(m["last_error"].as_str().unwrap().contains("451"), "{m}");
    assert!(m["next_attempt_at"].as_str().unwrap() > m["created_at"].as_str().unwrap());
}

#[test]
fn a_message_committed_before_sigkill_is_delivered_after_restart() {
    let smtp = SmtpServer::start();
    let db = TestDb::fresh();
    let url = smtp.url();
    // No delivery worker in the first process: nothing can be delivered before the kill.
    let first = Process::start(&db, &[("SMTP_URL", &url), ("MAIL_WORKER", "off")]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let base = format!("http://127.0.0.1:{}/api/v1", first.port);
    let login: Value = agent
        .post(format!("{base}/auth/login"))
        .send_json(json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    let token = login["access_token"].as_str().unwrap();
    let created = agent
        .post(format!("{base}/users"))
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"email": "kim@example.com", "name": "Kim Park", "password": PASSWORD, "role": "member"}))
        .unwrap();
    assert_eq!(created.status(), 201);
    first.signal("KILL");
    let _ = first.wait_for_exit();
    assert!(
        smtp.messages().is_empty(),
        "nothing was sent before the kill"
    );

    let _second = Process::start(&db, &[("SMTP_URL", &url), ("MAIL_POLL_INTERVAL_MS", "100")]);
    let received = smtp.wait_for(1);
    let message = MessageParser::default().parse(&received[0]).unwrap();
    assert_eq!(
        message.to().unwrap().first().unwrap().address(),
        Some("kim@example.com")
    );
    drop(_second);
    db.remove();
}

#[test]
fn two_workers_on_one_database_deliver_200_messages_without_a_duplicate() {
    let smtp = SmtpServer::start();
    let db = TestDb::fresh();
    let messages: Vec<Outgoing> = (0..200)
        .map(|i| Outgoing {
            kind: "account_created",
            to: vec![format!("person{i}@example.com")],
            cc: vec![],
            content: templates::account_created(
                &format!("Person {i}"),
                &format!("person{i}@example.com"),
                "http://x",
            ),
            invite: None,
        })
        .collect();
    enqueue_direct(&db.url, &messages);
    let url = smtp.url();
    let spawn_worker = || {
        KillOnDrop(
            std::process::Command::new(env!("CARGO_BIN_EXE_barraiser"))
                .arg("worker")
                .env("DATABASE_URL", &db.url)
                .env("SMTP_URL", &url)
                .env("MAIL_POLL_INTERVAL_MS", "50")
                .env("RUST_LOG", "warn")
                .env("BARRAISER_ADMIN_EMAIL", ADMIN_EMAIL)
                .env("BARRAISER_ADMIN_PASSWORD", ADMIN_PASSWORD)
                .spawn()
                .unwrap(),
        )
    };
    let mut workers = [spawn_worker(), spawn_worker()];
    let received = smtp.wait_for(200);
    std::thread::sleep(Duration::from_millis(1000)); // a duplicate would arrive by now
    for w in &mut workers {
        let _ = w.kill();
        let _ = w.wait();
    }
    let received_after = smtp.messages();
    assert!(received.len() <= received_after.len());
    assert_eq!(received_after.len(), 200, "exactly 200 deliveries");
    assert_eq!(distinct_message_ids(&received_after).len(), 200);

    let settings = test_settings(&db);
    let app = TestApp::start(db.clone(), settings);
    let sent = app.get(
        "/api/v1/admin/outbox?status=sent&limit=200",
        &app.admin_token,
    );
    assert_eq!(sent.body["items"].as_array().unwrap().len(), 200);
    assert!(
        sent.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["attempts"] == 1)
    );
}

/// SIGTERM to a worker in the middle of a batch, with a slow mail server: it
/// finishes the message in hand, hands the rest back at once (due now, their
/// attempt uncounted) and exits well within the shutdown time; another worker
/// then sends them without waiting out the claim.
#[test]
fn a_worker_stopped_mid_batch_hands_back_the_unsent_messages_at_once() {
    let smtp = SmtpServer::slow(0.75);
    let db = TestDb::fresh();
    let messages: Vec<Outgoing> = (0..6)
        .map(|i| Outgoing {
            kind: "account_created",
            to: vec![format!("person{i}@example.com")],
            cc: vec![],
            content: templates::account_created("Person", "p@example.com", "http://x"),
            invite: None,
        })
        .collect();
    enqueue_direct(&db.url, &messages);
    let url = smtp.url();
    let spawn_worker = || {
        KillOnDrop(
            std::process::Command::new(env!("CARGO_BIN_EXE_barraiser"))
                .arg("worker")
                .env("DATABASE_URL", &db.url)
                .env("SMTP_URL", &url)
                .env("MAIL_POLL_INTERVAL_MS", "50")
                .env("RUST_LOG", "warn")
                .env("BARRAISER_ADMIN_EMAIL", ADMIN_EMAIL)
                .env("BARRAISER_ADMIN_PASSWORD", ADMIN_PASSWORD)
                .spawn()
                .unwrap(),
        )
    };
    let mut first = spawn_worker();
    smtp.wait_for(1);
    let stopping = std::time::Instant::now();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &first.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = first.wait().unwrap();
    let took = stopping.elapsed();
    assert!(status.success(), "{status}");
    assert!(took < Duration::from_secs(3), "stopped after {took:?}");
    let delivered = smtp.messages().len();
    assert!(delivered < 6, "the batch was not sent whole: {delivered}");

    let mut settings = test_settings(&db);
    settings.mail.worker = false;
    let app = TestApp::start(db.clone(), settings);
    let items = outbox(&app);
    let pending: Vec<&Value> = items.iter().filter(|m| m["status"] == "pending").collect();
    assert_eq!(pending.len(), 6 - delivered, "{items:?}");
    let now = Utc::now();
    for m in &pending {
        assert_eq!(
            m["attempts"], 0,
            "an unsent message keeps its attempts: {m}"
        );
        let due: chrono::DateTime<Utc> = m["next_attempt_at"].as_str().unwrap().parse().unwrap();
        assert!(due <= now, "due at once, not after the claim: {m}");
    }

    let mut second = spawn_worker();
    smtp.wait_for(6);
    let _ = second.kill();
    let _ = second.wait();
    assert_eq!(distinct_message_ids(&smtp.messages()).len(), 6);
}

#[test]
fn the_log_transport_marks_messages_sent_without_a_mail_server() {
    let db = TestDb::fresh();
    let mut settings = test_settings(&db);
    settings.mail.transport = barraiser::mail::MailTransport::Log;
    let app = TestApp::start(db.clone(), settings);
    create_user(&app, "kim@example.com");
    wait_until(Duration::from_secs(10), || {
        outbox(&app).first().is_some_and(|m| m["status"] == "sent")
    });
    assert!(!db.mail_dir().exists(), "nothing was written to a folder");
}

#[test]
fn mail_goes_over_starttls_to_a_server_whose_private_ca_is_configured() {
    let certs = test_certificates();
    let smtp = SmtpServer::with_starttls(&certs.join("server.pem"), &certs.join("server.key"));
    let db = TestDb::fresh();
    let mut settings = smtp_settings(&db, &format!("smtp://127.0.0.1:{}?tls=required", smtp.port));
    settings.mail.smtp_ca_file = Some(certs.join("ca.pem"));
    let app = TestApp::start(db.clone(), settings);
    create_user(&app, "kim@example.com");
    let raw = smtp.wait_for(1);
    let message = MessageParser::default().parse(&raw[0]).unwrap();
    assert_eq!(message.subject(), Some("Your barraiser account"));
    let _ = std::fs::remove_dir_all(certs);
}

#[test]
fn an_untrusted_certificate_or_a_cleartext_connection_never_delivers() {
    let certs = test_certificates();
    let smtp = SmtpServer::with_starttls(&certs.join("server.pem"), &certs.join("server.key"));
    // STARTTLS required, but the private CA is not configured: the certificate is refused.
    let db = TestDb::fresh();
    let app = TestApp::start(
        db.clone(),
        smtp_settings(&db, &format!("smtp://127.0.0.1:{}?tls=required", smtp.port)),
    );
    create_user(&app, "kim@example.com");
    // `attempts` counts at claim time; wait for the attempt's recorded outcome.
    wait_until(Duration::from_secs(20), || {
        outbox(&app)
            .first()
            .is_some_and(|m| m["last_error"].is_string())
    });
    let m = &outbox(&app)[0];
    assert_eq!(m["status"], "pending", "a TLS failure is retried: {m}");
    let error = m["last_error"].as_str().unwrap().to_lowercase();
    assert!(
        error.contains("certificate") || error.contains("unknownissuer"),
        "{m}"
    );
    drop(app);
    // No TLS at all: the server refuses mail before STARTTLS with a 5xx.
    let db = TestDb::fresh();
    let app = TestApp::start(db.clone(), smtp_settings(&db, &smtp.url()));
    create_user(&app, "lee@example.com");
    wait_until(Duration::from_secs(20), || {
        outbox(&app)
            .first()
            .is_some_and(|m| m["status"] == "failed")
    });
    assert!(
        outbox(&app)[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("530"),
        "{}",
        outbox(&app)[0]
    );
    assert!(
        smtp.messages().is_empty(),
        "nothing went out in cleartext or to an untrusted server"
    );
    let _ = std::fs::remove_dir_all(certs);
}

#[test]
fn two_installations_never_share_calendar_uids_or_message_ids() {
    let first = crate::helpers::spawn_app();
    let second = crate::helpers::spawn_app();
    let ids = |app: &crate::helpers::TestApp| {
        let org = crate::fixtures::Org::new(app);
        org.scheduled_loop(app);
        // Ten welcome mails (the organisation's people), then four invitations.
        let raw = app.mail_files(10 + 4);
        let mut uids = Vec::new();
        let mut message_ids = Vec::new();
        for m in raw
            .iter()
            .filter_map(|r| mail_parser::MessageParser::default().parse(r))
        {
            message_ids.push(m.message_id().unwrap().to_owned());
            if let Some(part) = m.attachments().next() {
                let ics = String::from_utf8(part.contents().to_vec()).unwrap();
                let uid = ics
                    .lines()
                    .find_map(|l| l.strip_prefix("UID:"))
                    .unwrap()
                    .trim()
                    .to_owned();
                uids.push(uid);
            }
        }
        (uids, message_ids)
    };
    let (uids_a, ids_a) = ids(&first);
    let (uids_b, ids_b) = ids(&second);
    assert!(!uids_a.is_empty() && !ids_a.is_empty());
    // The same rows (interview 1, outbox 1, …) in both, and yet nothing in common.
    for uid in &uids_a {
        assert!(!uids_b.contains(uid), "{uid} in both installations");
        assert!(
            uid.ends_with("@barraiser.test"),
            "{uid} names the public host"
        );
    }
    for id in &ids_a {
        assert!(!ids_b.contains(id), "{id} in both installations");
    }
    // Read twice from the database: created once, then kept.
    assert_eq!(first.links().installation(), first.links().installation());
    assert_ne!(first.links().installation(), second.links().installation());
}
