//! Webhooks against a real receiver (`tests/support/webhook_receiver.py`),
//! their signatures checked by an independent implementation (the Standard
//! Webhooks reference library, `standardwebhooks` from PyPI).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::Duration;

use serde_json::{Value, json};

use crate::fixtures::Org;
use crate::helpers::{PASSWORD, TestApp, TestDb, spawn_app, test_settings};
use crate::process::Process;
use crate::smtp::wait_until;

/// A receiver that answers each request with the next of `answers`.
pub struct Receiver {
    child: Child,
    pub port: u16,
}

impl Receiver {
    pub fn answering(answers: &[u16]) -> Self {
        let list: Vec<String> = answers.iter().map(u16::to_string).collect();
        let mut child = Command::new("python3")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/support/webhook_receiver.py"
            ))
            .arg("--answers")
            .arg(list.join(","))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs tests/support/webhook_receiver.py");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let port = first
            .trim()
            .strip_prefix("LISTENING ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the webhook receiver did not start: {first:?}"));
        Receiver { child, port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    /// Every request received so far: `{headers, body, answered}`.
    pub fn received(&self) -> Vec<Value> {
        let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
        agent
            .get(format!("http://127.0.0.1:{}/received", self.port))
            .call()
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap()
    }

    #[track_caller]
    pub fn wait_for(&self, n: usize) -> Vec<Value> {
        wait_until(Duration::from_secs(60), || self.received().len() >= n);
        self.received()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ensure_standardwebhooks() {
    static CHECK: Once = Once::new();
    CHECK.call_once(|| {
        crate::helpers::ensure_python_package(
            "standardwebhooks",
            "the webhook tests' independent verifier",
            || {
                Command::new("python3")
                    .args(["-c", "import standardwebhooks"])
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            },
        );
    });
}

/// What the reference library says of each request: "verified" or "refused: …".
fn verify_independently(secret: &str, requests: &[Value]) -> Vec<String> {
    ensure_standardwebhooks();
    let mut child = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/verify_webhook.py"
        ))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let input = json!({"secret": secret, "requests": requests}).to_string();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the verifier failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn register(app: &TestApp, url: &str, events: &[&str]) -> Value {
    let res = app.post(
        "/api/v1/webhooks",
        &app.admin_token,
        json!({"url": url, "events": events, "description": "ATS sync"}),
    );
    assert_eq!(res.status, 201, "{}", res.body);
    res.body
}

fn deliveries(app: &TestApp, id: i64) -> Vec<Value> {
    let res = app.get(
        &format!("/api/v1/webhooks/{id}/deliveries"),
        &app.admin_token,
    );
    assert_eq!(res.status, 200, "{}", res.body);
    res.body["items"].as_array().unwrap().clone()
}

#[test]
fn a_refused_delivery_is_retried_with_the_same_id_and_verifies_with_the_reference_library() {
    let receiver = Receiver::answering(&[500, 204]);
    let app = spawn_app();
    let hook = register(&app, &receiver.url(), &["person.created"]);
    let secret = hook["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"), "{hook}");
    assert_eq!(hook["events"], json!(["person.created"]));
    assert_eq!(hook["active"], json!(true));

    let kim = app.user("member", "Kim Park");
    // The first attempt is refused; the retry comes 5 s later.
    let got = receiver.wait_for(2);
    assert_eq!(got.len(), 2, "one retry, then accepted: {got:?}");
    assert_eq!(
        (got[0]["answered"].as_i64(), got[1]["answered"].as_i64()),
        (Some(500), Some(204))
    );
    let id = got[0]["headers"]["webhook-id"].as_str().unwrap();
    assert!(id.starts_with("msg_"), "{id}");
    assert_eq!(
        got[1]["headers"]["webhook-id"], id,
        "the retry keeps the webhook-id"
    );
    assert_eq!(
        got[0]["body"], got[1]["body"],
        "the same body on every attempt"
    );
    assert_eq!(got[0]["headers"]["content-type"], "application/json");

    let body: Value = serde_json::from_str(got[1]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["type"], "person.created");
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'), "{body}");
    assert_eq!(body["data"]["person"]["id"], kim.id);
    assert_eq!(body["data"]["person"]["name"], "Kim Park");
    assert_eq!(body["data"]["person"]["role"], "member");

    // The reference library verifies both attempts, and refuses a tampered
    // body, a tampered id and a signature made with another secret.
    let mut tampered_body = got[1].clone();
    tampered_body["body"] = json!(
        got[1]["body"]
            .as_str()
            .unwrap()
            .replace("Kim Park", "Kim Parks")
    );
    let mut tampered_id = got[1].clone();
    tampered_id["headers"]["webhook-id"] = json!("msg_another");
    let verdicts = verify_independently(
        secret,
        &[got[0].clone(), got[1].clone(), tampered_body, tampered_id],
    );
    assert_eq!(verdicts[..2], ["verified", "verified"], "{verdicts:?}");
    assert!(verdicts[2].starts_with("refused"), "{verdicts:?}");
    assert!(verdicts[3].starts_with("refused"), "{verdicts:?}");
    let other = verify_independently("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &got[1..2]);
    assert!(other[0].starts_with("refused"), "{other:?}");

    // Each attempt is kept, with its code and duration.
    let listed = deliveries(&app, hook["id"].as_i64().unwrap());
    assert_eq!(listed.len(), 1, "{listed:?}");
    let d = &listed[0];
    assert_eq!(d["status"], "delivered", "{d}");
    assert_eq!(d["message_id"], id);
    assert_eq!(d["event_type"], "person.created");
    assert_eq!(d["attempts"], 2);
    assert_eq!(d["last_response_code"], 204);
    let log = d["attempt_log"].as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (
            log[0]["response_code"].as_i64(),
            log[1]["response_code"].as_i64()
        ),
        (Some(500), Some(204))
    );
    assert!(log[0]["error"].as_str().unwrap().contains("500"), "{d}");
    assert!(log[0]["duration_ms"].as_i64().unwrap() >= 0);
    assert!(d["next_attempt_at"].is_null());
    assert_eq!(d["payload"], body);
}

#[test]
fn no_webhook_of_a_whole_loop_carries_feedback_votes_notes_or_the_candidates_contact() {
    let receiver = Receiver::answering(&[204]);
    let app = spawn_app();
    let all = [
        "loop.scheduled",
        "loop.flagged",
        "loop.cleared",
        "loop.cancelled",
        "feedback.submitted",
        "debrief.opened",
        "debrief.closed",
        "decision.recorded",
        "person.created",
        "person.deactivated",
    ];
    let org = Org::new(&app);
    let hook = register(&app, &receiver.url(), &all);
    let [own, dive] = org.competencies;
    let lp = org
        .a_loop()
        .at(chrono::Utc::now() - chrono::TimeDelta::hours(6))
        .schedule(&app);
    app.write_and_submit(&lp, &org.br, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.kim, &[(dive, 1)], "no_hire");
    app.write_and_submit(&lp, &org.lee, &[(own, 4)], "strong_hire");
    app.write_and_submit(&lp, &org.ana, &[(own, 3), (dive, 2)], "hire");
    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);
    assert_eq!(
        d.note(
            &org.br,
            json!({"text": "Zanzibar note: probe the migration story."})
        )
        .status,
        201
    );
    d.read_and_vote(&[
        (&org.br, "hire"),
        (&org.lee, "strong_hire"),
        (&org.ana, "hire"),
    ]);
    assert_eq!(d.read(&org.kim).status, 200);
    let voted = d.vote(
        &org.kim,
        json!({"vote": "no_hire", "reason": "Quixotic reason kept private."}),
    );
    assert_eq!(voted.status, 200, "{}", voted.body);
    let closed = d.close(
        &org.br,
        json!({"recommendation": "hire", "rationale": "Xylophone rationale."}),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    let decided = d.decide(
        &org.hm,
        json!({"decision": "hire", "rationale": "Yodel rationale."}),
    );
    assert_eq!(decided.status, 200, "{}", decided.body);

    let got = receiver.wait_for(8);
    let types: Vec<String> = got
        .iter()
        .map(|r| {
            let body: Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
            body["type"].as_str().unwrap().to_owned()
        })
        .collect();
    for t in [
        "loop.scheduled",
        "feedback.submitted",
        "debrief.opened",
        "debrief.closed",
        "decision.recorded",
    ] {
        assert!(types.iter().any(|x| x == t), "{t} missing from {types:?}");
    }
    assert_eq!(
        types.iter().filter(|t| *t == "feedback.submitted").count(),
        4,
        "{types:?}"
    );
    // Every delivery written for the loop, whatever reached the receiver.
    let listed = deliveries(&app, hook["id"].as_i64().unwrap());
    for d in &listed {
        let text = d["payload"].to_string();
        for secret in [
            "Specific, behavioural",
            "Zanzibar",
            "Quixotic",
            "Xylophone",
            "Yodel",
            "casey@example.net",
            "\"rating",
            "\"vote",
            "\"evidence",
            "\"notes",
            "\"recommendation",
            "\"summary",
            "\"reason",
            "\"rationale",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    let decision = listed
        .iter()
        .find(|d| d["event_type"] == "decision.recorded")
        .unwrap();
    let data = &decision["payload"]["data"];
    assert_eq!(data["decision"], "hire");
    assert_eq!(data["loop"]["id"], lp["id"]);
    assert_eq!(data["loop"]["status"], "decided");
    assert_eq!(data["loop"]["candidate"]["name"], "Casey Candidate");
    assert_eq!(data["loop"]["bar_raiser"]["id"], org.br.id);
    let submitted = listed
        .iter()
        .find(|d| d["event_type"] == "feedback.submitted")
        .unwrap();
    assert!(submitted["payload"]["data"]["interview"]["interviewer"]["name"].is_string());
}

#[test]
fn a_scheduled_loop_that_turns_red_announces_flagged_then_cleared() {
    let receiver = Receiver::answering(&[204]);
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let hook = register(&app, &receiver.url(), &["loop.flagged", "loop.cleared"]);
    // The bar raiser is made the hiring manager's report: the loop turns red.
    let moved = app.patch(
        &format!("/api/v1/users/{}", org.br.id),
        &app.admin_token,
        json!({"manager_id": org.hm.id}),
    );
    assert_eq!(moved.status, 200, "{}", moved.body);
    let back = app.patch(
        &format!("/api/v1/users/{}", org.br.id),
        &app.admin_token,
        json!({"manager_id": org.ola.id}),
    );
    assert_eq!(back.status, 200, "{}", back.body);
    receiver.wait_for(2);
    let listed = deliveries(&app, hook["id"].as_i64().unwrap());
    let types: Vec<&str> = listed
        .iter()
        .map(|d| d["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["loop.flagged", "loop.cleared"]);
    let flagged = &listed[0]["payload"]["data"];
    assert_eq!(flagged["loop"]["id"], lp["id"]);
    assert!(
        !flagged["failing_rules"].as_array().unwrap().is_empty(),
        "{flagged}"
    );
}

#[test]
fn a_link_local_address_is_refused_even_where_private_networks_are_allowed() {
    let app = spawn_app();
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "https://[fe80::1]/hook",
        "http://0.0.0.0/hook",
    ] {
        app.post(
            "/api/v1/webhooks",
            &app.admin_token,
            json!({"url": url, "events": ["loop.scheduled"]}),
        )
        .assert_problem(422, "webhook_url_refused");
    }
    let listed = app.get("/api/v1/webhooks", &app.admin_token);
    assert_eq!(listed.body, json!([]));
}

#[test]
fn without_the_setting_only_https_to_public_addresses_is_accepted() {
    let db = TestDb::fresh();
    let mut settings = test_settings(&db);
    settings.webhooks.allow_private_networks = false;
    let app = TestApp::start(db, settings);
    for url in [
        "http://example.com/hook",        // not https
        "https://127.0.0.1/hook",         // loopback
        "https://10.0.0.8/hook",          // private
        "https://localhost/hook",         // a name for loopback
        "https://[::1]/hook",             // loopback
        "https://user:pw@example.com/",   // credentials
        "https://192.168.1.10:8443/hook", // private
    ] {
        let res = app.post(
            "/api/v1/webhooks",
            &app.admin_token,
            json!({"url": url, "events": ["loop.scheduled"]}),
        );
        res.assert_problem(422, "webhook_url_refused");
    }
}

#[test]
fn a_webhook_is_changed_paused_rotated_and_removed_and_each_change_is_on_the_trail() {
    let receiver = Receiver::answering(&[204]);
    let app = spawn_app();
    let hook = register(&app, &receiver.url(), &["person.created"]);
    let id = hook["id"].as_i64().unwrap();
    let path = format!("/api/v1/webhooks/{id}");

    // Bad input is named, and nothing changes.
    app.patch(&path, &app.admin_token, json!({"events": []}))
        .assert_problem(422, "validation_failed");
    app.patch(
        &path,
        &app.admin_token,
        json!({"events": ["loop.exploded"]}),
    )
    .assert_problem(422, "validation_failed");
    app.patch(&path, &app.admin_token, json!({"colour": "red"}))
        .assert_problem(422, "validation_failed");
    app.post(
        "/api/v1/webhooks",
        &app.admin_token,
        json!({"url": receiver.url(), "events": []}),
    )
    .assert_problem(422, "validation_failed");
    app.post(
        "/api/v1/webhooks",
        &app.admin_token,
        json!({"url": receiver.url(), "events": ["person.created"], "description": "a\nb"}),
    )
    .assert_problem(422, "validation_failed");

    // Paused: nothing is written for it, nothing is sent.
    let paused = app.patch(&path, &app.admin_token, json!({"active": false}));
    assert_eq!(paused.status, 200, "{}", paused.body);
    assert_eq!(paused.body["active"], false);
    assert!(paused.body.get("secret").is_none(), "{}", paused.body);
    app.user("member", "Kim Park");
    std::thread::sleep(Duration::from_millis(600));
    assert!(
        receiver.received().is_empty(),
        "a paused endpoint receives nothing"
    );
    assert!(deliveries(&app, id).is_empty());

    // Resumed with a new secret and one more event: signed with the new secret.
    let rotated = app.patch(&path, &app.admin_token, json!({"active": true, "rotate_secret": true, "events": ["person.created", "person.deactivated"]}));
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let new_secret = rotated.body["secret"].as_str().unwrap();
    assert_ne!(new_secret, hook["secret"].as_str().unwrap());
    assert_eq!(
        rotated.body["events"],
        json!(["person.created", "person.deactivated"])
    );
    let lee = app.user("member", "Lee Chan");
    let off = app.patch(
        &format!("/api/v1/users/{}", lee.id),
        &app.admin_token,
        json!({"active": false}),
    );
    assert_eq!(off.status, 200, "{}", off.body);
    let got = receiver.wait_for(2);
    assert_eq!(
        verify_independently(new_secret, &got),
        ["verified", "verified"]
    );
    assert!(
        verify_independently(hook["secret"].as_str().unwrap(), &got[..1])[0].starts_with("refused")
    );
    let types: Vec<Value> = deliveries(&app, id)
        .iter()
        .map(|d| d["payload"]["type"].clone())
        .collect();
    assert_eq!(
        types,
        [json!("person.created"), json!("person.deactivated")]
    );

    assert_eq!(
        app.request("DELETE", &path, Some(&app.admin_token), None)
            .status,
        204
    );
    assert_eq!(
        app.get(&format!("{path}/deliveries"), &app.admin_token)
            .status,
        404
    );
    assert_eq!(
        app.request("DELETE", &path, Some(&app.admin_token), None)
            .status,
        404
    );

    let trail = app.get("/api/v1/admin/audit?subject_type=webhook", &app.admin_token);
    let kinds: Vec<&str> = trail.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "webhook_deleted",
            "webhook_changed",
            "webhook_changed",
            "webhook_created"
        ]
    );
    assert!(
        !trail.body.to_string().contains("whsec_"),
        "no secret on the trail"
    );
}

#[test]
fn only_admins_touch_webhooks() {
    let receiver = Receiver::answering(&[204]);
    let app = spawn_app();
    let hook = register(&app, &receiver.url(), &["person.created"]);
    let id = hook["id"].as_i64().unwrap();
    for role in ["member", "recruiter"] {
        let who = app.user(role, &format!("A {role}"));
        app.get("/api/v1/webhooks", &who.token)
            .assert_problem(403, "admin_only");
        app.post(
            "/api/v1/webhooks",
            &who.token,
            json!({"url": receiver.url(), "events": ["person.created"]}),
        )
        .assert_problem(403, "admin_only");
        app.patch(
            &format!("/api/v1/webhooks/{id}"),
            &who.token,
            json!({"active": false}),
        )
        .assert_problem(403, "admin_only");
        app.request(
            "DELETE",
            &format!("/api/v1/webhooks/{id}"),
            Some(&who.token),
            None,
        )
        .assert_problem(403, "admin_only");
        app.get(&format!("/api/v1/webhooks/{id}/deliveries"), &who.token)
            .assert_problem(403, "admin_only");
    }
    let listed = app.get("/api/v1/webhooks", &app.admin_token);
    assert_eq!(listed.body[0]["active"], true, "nothing changed");
    assert!(
        listed.body[0].get("secret").is_none(),
        "a listing never shows the secret"
    );
}

#[test]
fn a_webhook_committed_before_sigkill_is_delivered_after_restart() {
    let receiver = Receiver::answering(&[204]);
    let db = TestDb::fresh();
    let private = ("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
    let quiet = ("MAIL_TRANSPORT", "log");
    // No delivery worker in the first process: nothing can go out before the kill.
    let first = Process::start(&db, &[("MAIL_WORKER", "off"), private, quiet]);
    let api = first.api();
    let created: Value = api
        .agent
        .post(format!("{}/webhooks", api.base))
        .header("Authorization", &api.auth)
        .send_json(json!({"url": receiver.url(), "events": ["person.created"]}))
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    assert!(created["secret"].is_string(), "{created}");
    let person = api
        .agent
        .post(format!("{}/users", api.base))
        .header("Authorization", &api.auth)
        .send_json(json!({"email": "kim@example.com", "name": "Kim Park", "password": PASSWORD, "role": "member"}))
        .unwrap();
    assert_eq!(person.status(), 201);
    first.signal("KILL");
    let _ = first.wait_for_exit();
    assert!(
        receiver.received().is_empty(),
        "nothing was sent before the kill"
    );

    let _second = Process::start(&db, &[("MAIL_POLL_INTERVAL_MS", "100"), private, quiet]);
    let got = receiver.wait_for(1);
    let body: Value = serde_json::from_str(got[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["type"], "person.created");
    assert_eq!(body["data"]["person"]["email"], "kim@example.com");
    drop(_second);
    db.remove();
}

#[test]
fn an_admin_registers_an_endpoint_on_its_page_sees_the_secret_once_and_its_deliveries() {
    use barraiser::urls;
    let receiver = Receiver::answering(&[204]);
    let app = spawn_app();
    let ada = app.user("admin", "Ada Admin");
    let (mut web, csrf) = crate::web_client::WebClient::signed_in(&app, &ada.email);
    let empty = web.get(urls::ADMIN_WEBHOOKS);
    assert_eq!(empty.status, 200);
    empty.assert_contains("No endpoints yet.");

    // A refused address and a missing event are said beside their fields, and the form keeps its values.
    let refused = web.post(
        urls::ADMIN_WEBHOOKS,
        &[
            ("csrf_token", &csrf),
            ("url", "http://169.254.169.254/latest"),
            ("description", "Metadata"),
        ],
    );
    assert_eq!(refused.status, 422);
    refused.assert_contains("must name at least one event");
    let refused = web.post(
        urls::ADMIN_WEBHOOKS,
        &[
            ("csrf_token", &csrf),
            ("url", "http://169.254.169.254/latest"),
            ("events", "person.created"),
        ],
    );
    assert_eq!(refused.status, 422);
    refused.assert_contains("link-local address, which is never allowed");
    refused.assert_contains(r#"value="http://169.254.169.254/latest""#);
    assert_eq!(
        app.get("/api/v1/webhooks", &app.admin_token).body,
        json!([])
    );

    let made = web.post(
        urls::ADMIN_WEBHOOKS,
        &[
            ("csrf_token", &csrf),
            ("url", &receiver.url()),
            ("description", "ATS sync"),
            ("events", "person.created"),
            ("events", "person.deactivated"),
        ],
    );
    assert_eq!(made.status, 200, "{}", made.text);
    made.assert_contains("shown this once");
    let start = made.text.find("whsec_").expect("the secret is shown");
    let secret: String = made.text[start..]
        .chars()
        .take_while(|c| *c != '<')
        .collect();

    app.user("member", "Kim Park");
    let got = receiver.wait_for(1);
    assert_eq!(verify_independently(&secret, &got), ["verified"]);
    let body: Value = serde_json::from_str(got[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["data"]["person"]["name"], "Kim Park");
    wait_until(Duration::from_secs(10), || {
        web.get(urls::ADMIN_WEBHOOKS).text.contains("answered 204")
    });
    let listed = web.get(urls::ADMIN_WEBHOOKS);
    listed.assert_contains("person.created");
    listed.assert_contains("delivered");
    assert!(
        !listed.text.contains(&secret),
        "the secret is never shown again"
    );

    let id = app.get("/api/v1/webhooks", &app.admin_token).body[0]["id"]
        .as_i64()
        .unwrap();
    // Removing needs the box ticked.
    let unconfirmed = web.post(&urls::admin_webhook_delete(id), &[("csrf_token", &csrf)]);
    assert_eq!(unconfirmed.status, 303);
    assert_eq!(
        app.get("/api/v1/webhooks", &app.admin_token)
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let paused = web.post(
        &urls::admin_webhook_active(id),
        &[("csrf_token", &csrf), ("active", "false")],
    );
    assert_eq!(paused.status, 303);
    assert_eq!(
        app.get("/api/v1/webhooks", &app.admin_token).body[0]["active"],
        false
    );
    let rotated = web.post(
        &urls::admin_webhook_secret(id),
        &[("csrf_token", &csrf), ("confirm", "yes")],
    );
    assert_eq!(rotated.status, 200);
    assert!(!rotated.text.contains(&secret));
    rotated.assert_contains("whsec_");
    let removed = web.post(
        &urls::admin_webhook_delete(id),
        &[("csrf_token", &csrf), ("confirm", "yes")],
    );
    assert_eq!(removed.status, 303);
    assert_eq!(
        app.get("/api/v1/webhooks", &app.admin_token).body,
        json!([])
    );
}

#[test]
fn an_import_announces_each_new_person_to_the_endpoints_subscribed_and_no_other() {
    let receiver = Receiver::answering(&[204, 204, 204]);
    let app = spawn_app();
    let people = register(&app, &receiver.url(), &["person.created"]);
    let loops = register(&app, &receiver.url(), &["decision.recorded"]);
    let kim = app.user("member", "Kim Park");
    // Kim's own announcement, then the file's: a report before the manager
    // the file also creates.
    let file = format!(
        "name,email,role,manager_email,department\n\
         Ben Cho,ben@example.com,member,ana@example.com,Payments\n\
         Ana Ruiz,ana@example.com,member,{kim},Payments\n",
        kim = kim.email
    );
    let res = app.import_people(&file, false);
    assert_eq!(res.status, 200, "{}", res.body);
    let got = receiver.wait_for(3);
    let bodies: Vec<Value> = got
        .iter()
        .map(|r| serde_json::from_str(r["body"].as_str().unwrap()).unwrap())
        .collect();
    let announced: Vec<(&str, &str)> = bodies
        .iter()
        .map(|b| {
            (
                b["type"].as_str().unwrap(),
                b["data"]["person"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        announced,
        [
            ("person.created", "Kim Park"),
            ("person.created", "Ben Cho"),
            ("person.created", "Ana Ruiz")
        ],
        "each new person once, in the file's order"
    );
    let (ben, ana) = (&bodies[1]["data"]["person"], &bodies[2]["data"]["person"]);
    assert_eq!(ben["manager_id"], ana["id"], "written with their manager");
    assert_eq!(ana["manager_id"], kim.id);
    let people_id = people["id"].as_i64().unwrap();
    assert_eq!(deliveries(&app, people_id).len(), 3);
    assert!(
        deliveries(&app, loops["id"].as_i64().unwrap()).is_empty(),
        "nothing for an endpoint that subscribed to loops only"
    );
}
