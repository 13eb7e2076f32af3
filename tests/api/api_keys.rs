//! API keys: an admin creates one with a name and a role; the key is shown
//! once and works as a Bearer token with that role; the list never shows
//! it but says when it was last used; the audit trails name the key that
//! acted; revoking it stops it at once. Nobody else manages keys.

use serde_json::json;

use crate::fixtures::Org;
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

#[test]
fn a_key_is_created_used_listed_without_its_secret_and_revoked_at_once() {
    let app = spawn_app();
    let org = Org::new(&app);
    let created = app.post(
        "/api/v1/api-keys",
        &app.admin_token,
        json!({"name": "ATS sync", "role": "recruiter"}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let token = created.body["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("brk_") && token.len() == 68, "{token}");
    assert_eq!(created.body["role"], "recruiter");
    assert_eq!(created.body["prefix"], &token[..12]);
    assert!(created.body["last_used_at"].is_null());
    let id = created.body["id"].as_i64().unwrap();

    // The key works with its role: a recruiter's work, its own candidate.
    let me = app.get("/api/v1/me", &token);
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["name"], "ATS sync (API key)");
    assert_eq!(me.body["role"], "recruiter");
    let candidate = app.post(
        "/api/v1/candidates",
        &token,
        json!({"name": "Kai Keyed", "email": "kai@example.net"}),
    );
    assert_eq!(candidate.status, 201, "{}", candidate.body);
    // A recruiter's rules hold: no admin work.
    assert_eq!(app.get("/api/v1/admin/audit", &token).status, 403);
    assert_eq!(app.get("/api/v1/api-keys", &token).status, 403);

    // Listed without the key, with its last use.
    let list = app.get("/api/v1/api-keys", &app.admin_token);
    assert_eq!(list.status, 200);
    let text = list.body.to_string();
    assert!(
        !text.contains(&token[12..]),
        "the secret never comes back: {text}"
    );
    assert_eq!(list.body[0]["name"], "ATS sync");
    assert_eq!(list.body[0]["created_by"], "Administrator");
    let mut used = serde_json::Value::Null;
    for _ in 0..50 {
        used = app.get("/api/v1/api-keys", &app.admin_token).body[0]["last_used_at"].clone();
        if used.is_string() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(used.is_string(), "the last use is written down");

    // The organisation's trail names the key's creation; a loop's trail
    // names the key that acted.
    let audit = app.get("/api/v1/admin/audit?kind=api_key_created", &app.admin_token);
    assert_eq!(
        audit.body["items"][0]["data"]["name"], "ATS sync",
        "{}",
        audit.body
    );
    let mut body = org.loop_body();
    body["candidate_id"] = candidate.body["id"].clone();
    body["requisition_id"] = json!(org.requisition_id);
    let lp = app.post("/api/v1/loops", &token, body);
    // The requisition is Rita's: the key (another recruiter) may not use it.
    assert!([403, 404, 422].contains(&lp.status), "{}", lp.body);

    // Revoked: refused at the very next request.
    let revoked = app.request(
        "DELETE",
        &format!("/api/v1/api-keys/{id}"),
        Some(&app.admin_token),
        None,
    );
    assert_eq!(revoked.status, 204);
    let refused = app.get("/api/v1/me", &token);
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["code"], "invalid_token");
    let list = app.get("/api/v1/api-keys", &app.admin_token);
    assert!(list.body[0]["revoked_at"].is_string());
    assert_eq!(
        app.request(
            "DELETE",
            &format!("/api/v1/api-keys/{id}"),
            Some(&app.admin_token),
            None
        )
        .status,
        204,
        "again: no change"
    );
    assert_eq!(
        app.request(
            "DELETE",
            "/api/v1/api-keys/999999",
            Some(&app.admin_token),
            None
        )
        .status,
        404
    );
    let trail = app.get("/api/v1/admin/audit?kind=api_key_revoked", &app.admin_token);
    assert_eq!(trail.body["items"].as_array().unwrap().len(), 1);
    // A key-shaped string that is no key, and garbage, are refused alike.
    assert_eq!(
        app.get("/api/v1/me", &format!("brk_{}", "0".repeat(64)))
            .status,
        401
    );
    assert_eq!(app.get("/api/v1/me", "brk_nonsense").status, 401);
}

#[test]
fn a_keys_actions_are_named_in_the_loops_trail_and_its_account_is_no_person() {
    let app = spawn_app();
    let org = Org::new(&app);
    let created = app.post(
        "/api/v1/api-keys",
        &app.admin_token,
        json!({"name": "HR bridge", "role": "admin"}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let token = created.body["token"].as_str().unwrap().to_owned();
    let lp = org.create_loop(&app);
    let cancelled = app.post(
        &format!("/api/v1/loops/{}/cancel", lp["id"]),
        &token,
        json!({"reason": "Position filled internally"}),
    );
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    let events = app.get(
        &format!("/api/v1/loops/{}/events", lp["id"]),
        &org.recruiter.token,
    );
    let last = events.body["items"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["actor_id"], created.body["user_id"], "{last}");
    // The key's account is not offered as a person anywhere.
    let people = app.get("/api/v1/users?q=bridge", &app.admin_token);
    assert_eq!(
        people.body["items"].as_array().unwrap().len(),
        0,
        "{}",
        people.body
    );
    let (mut rita, _) = WebClient::signed_in(&app, &org.recruiter.email);
    assert!(
        !rita
            .get("/people/search?q=bridge")
            .text
            .contains("HR bridge")
    );
    // Not even by its account's exact email; and nobody signs in as it.
    let email = app
        .get(
            &format!("/api/v1/users/{}", created.body["user_id"]),
            &app.admin_token,
        )
        .body["email"]
        .clone();
    let by_email = rita.get(&format!("/people/search?q={}", email.as_str().unwrap()));
    assert!(!by_email.text.contains("HR bridge"), "{}", by_email.text);
    let login = app.try_login(email.as_str().unwrap(), "!api-key");
    assert_eq!(login.status, 401, "{}", login.body);
}

#[test]
fn only_admins_manage_keys_and_the_admin_page_shows_a_new_key_once() {
    let app = spawn_app();
    let org = Org::new(&app);
    let refused = app.post(
        "/api/v1/api-keys",
        &org.recruiter.token,
        json!({"name": "Mine", "role": "admin"}),
    );
    assert_eq!(refused.status, 403);
    let invalid = app.post(
        "/api/v1/api-keys",
        &app.admin_token,
        json!({"name": " ", "role": "owner"}),
    );
    assert_eq!(invalid.status, 422, "{}", invalid.body);
    assert_eq!(
        invalid.body["errors"].as_array().unwrap().len(),
        2,
        "{}",
        invalid.body
    );
    let (mut rita, _) = WebClient::signed_in(&app, &org.recruiter.email);
    assert_eq!(rita.get("/admin/api-keys").status, 404);

    let ada = app.user("admin", "Ada Admin");
    let (mut admin, csrf) = WebClient::signed_in(&app, &ada.email);
    let page = admin.post(
        "/admin/api-keys",
        &[
            ("csrf_token", &csrf),
            ("name", "Calendar"),
            ("role", "member"),
        ],
    );
    assert_eq!(page.status, 200, "{}", page.text);
    let token = page
        .text
        .split(r#"<code id="new-token">"#)
        .nth(1)
        .and_then(|t| t.split('<').next())
        .unwrap()
        .to_owned();
    assert!(token.starts_with("brk_"));
    assert_eq!(app.get("/api/v1/me", &token).status, 200);
    // Shown once: the list shows its prefix only.
    let again = admin.get("/admin/api-keys");
    assert!(!again.text.contains(&token) && again.text.contains(&token[..12]));
    let id = app.get("/api/v1/api-keys", &app.admin_token).body[0]["id"]
        .as_i64()
        .unwrap();
    let unconfirmed = admin.post(
        &format!("/admin/api-keys/{id}/revoke"),
        &[("csrf_token", &csrf)],
    );
    assert_eq!(unconfirmed.status, 303);
    assert_eq!(
        app.get("/api/v1/me", &token).status,
        200,
        "not revoked without confirming"
    );
    let revoked = admin.post(
        &format!("/admin/api-keys/{id}/revoke"),
        &[("csrf_token", &csrf), ("confirm", "yes")],
    );
    assert_eq!(revoked.status, 303);
    assert_eq!(app.get("/api/v1/me", &token).status, 401);
    admin.get("/admin/api-keys").assert_contains("Revoked");
}
