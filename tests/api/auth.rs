use barraiser::urls::api;

use crate::client::LoopRef;
use barraiser::db::{Db, schema::login_failures};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::{ExpressionMethods, RunQueryDsl};
use jsonwebtoken::{EncodingKey, Header, encode};
use serde_json::json;

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, PASSWORD, spawn_app, test_settings};

fn forge(claims: serde_json::Value, secret: &str) -> String {
    encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[test]
fn login_returns_a_bearer_token_that_opens_me() {
    let app = spawn_app();
    let res = app.try_login(ADMIN_EMAIL, ADMIN_PASSWORD);
    assert_eq!(res.status, 200);
    assert_eq!(res.body["token_type"], "Bearer");
    assert_eq!(res.body["expires_in"], 3600);
    assert_eq!(res.body["user"]["email"], ADMIN_EMAIL);
    assert!(res.body["user"].get("password_hash").is_none());
    let token = res.body["access_token"].as_str().unwrap();
    let me = app.me(token);
    assert_eq!(me.status, 200);
    assert_eq!(me.body["role"], "admin");
}

#[test]
fn login_email_is_case_insensitive() {
    let app = spawn_app();
    assert_eq!(
        app.try_login(" Admin@Example.COM ", ADMIN_PASSWORD).status,
        200
    );
}

#[test]
fn unknown_email_and_wrong_password_get_the_same_401() {
    let app = spawn_app();
    let unknown = app.try_login("nobody@example.com", ADMIN_PASSWORD);
    let wrong = app.try_login(ADMIN_EMAIL, "not-the-password");
    unknown.assert_problem(401, "invalid_credentials");
    wrong.assert_problem(401, "invalid_credentials");
    assert_eq!(unknown.body, wrong.body);
}

#[test]
fn a_deactivated_user_cannot_sign_in_and_their_token_stops_working() {
    let app = spawn_app();
    let dana = app.user("member", "Dana Lee");
    assert_eq!(app.me(&dana.token).status, 200);
    let res = app.update_user(dana.id, json!({"active": false}));
    assert_eq!(res.status, 200);
    app.me(&dana.token).assert_problem(401, "invalid_token");
    app.try_login(&dana.email, PASSWORD)
        .assert_problem(401, "invalid_credentials");
}

#[test]
fn requests_without_a_token_get_401() {
    let app = spawn_app();
    let res = app.request("GET", api::ME, None, None);
    res.assert_problem(401, "unauthenticated");
    assert_eq!(res.header("www-authenticate"), Some("Bearer"));
}

#[test]
fn a_tampered_token_is_refused() {
    let app = spawn_app();
    let mut parts: Vec<String> = app.admin_token.split('.').map(String::from).collect();
    // Change the claims (another user id) but keep the signature.
    let claims = URL_SAFE_NO_PAD.decode(&parts[1]).unwrap();
    let mut claims: serde_json::Value = serde_json::from_slice(&claims).unwrap();
    claims["sub"] = json!("2");
    parts[1] = URL_SAFE_NO_PAD.encode(claims.to_string());
    app.me(&parts.join("."))
        .assert_problem(401, "invalid_token");
    // And a flipped signature byte.
    let mut token = app.admin_token.clone();
    let last = token.pop().unwrap();
    token.push(if last == 'A' { 'B' } else { 'A' });
    app.me(&token).assert_problem(401, "invalid_token");
}

#[test]
fn an_alg_none_token_is_refused() {
    let app = spawn_app();
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let claims =
        json!({"sub": "1", "iat": now(), "exp": now() + 600, "iss": "barraiser", "ver": 0});
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    for token in [
        format!("{header}.{payload}."),
        format!("{header}.{payload}"),
    ] {
        app.me(&token).assert_problem(401, "invalid_token");
    }
}

#[test]
fn an_expired_token_is_refused() {
    let app = spawn_app();
    let claims =
        json!({"sub": "1", "iat": now() - 7200, "exp": now() - 3600, "iss": "barraiser", "ver": 0});
    app.me(&forge(claims, JWT_SECRET))
        .assert_problem(401, "invalid_token");
}

/// The claims of a token the service issued.
fn claims_of(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[test]
fn tokens_signed_with_another_key_or_issuer_or_without_claims_are_refused() {
    let app = spawn_app();
    // The admin's live session: only the signature, issuer and claims vary.
    let sid = claims_of(&app.admin_token)["sid"].clone();
    let good = json!({"sub": "1", "iat": now(), "exp": now() + 600, "iss": "barraiser", "ver": 0, "sid": sid});
    assert_eq!(
        app.me(&forge(good.clone(), JWT_SECRET)).status,
        200,
        "control"
    );
    let other_key = forge(good.clone(), "another-secret-another-secret-another");
    app.me(&other_key).assert_problem(401, "invalid_token");
    let mut other_issuer = good.clone();
    other_issuer["iss"] = json!("someone-else");
    app.me(&forge(other_issuer, JWT_SECRET))
        .assert_problem(401, "invalid_token");
    for claim in ["iat", "sid"] {
        let mut without = good.clone();
        without.as_object_mut().unwrap().remove(claim);
        app.me(&forge(without, JWT_SECRET))
            .assert_problem(401, "invalid_token");
    }
    // A well-signed token naming a session that does not exist.
    let mut no_session = good.clone();
    no_session["sid"] = json!("ab".repeat(32));
    app.me(&forge(no_session, JWT_SECRET))
        .assert_problem(401, "invalid_token");
    let mut hs512 = Header::new(jsonwebtoken::Algorithm::HS512);
    hs512.typ = Some("JWT".into());
    let other_alg = encode(
        &hs512,
        &good,
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .unwrap();
    app.me(&other_alg).assert_problem(401, "invalid_token");
}

#[test]
fn changing_the_password_revokes_earlier_tokens() {
    let app = spawn_app();
    let dana = app.user("member", "Dana Lee");
    let res = app.post(
        api::ME_PASSWORD,
        &dana.token,
        json!({"current_password": PASSWORD, "new_password": "a-brand-new-password"}),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let fresh = res.body["access_token"].as_str().unwrap().to_owned();
    app.me(&dana.token).assert_problem(401, "invalid_token");
    assert_eq!(app.me(&fresh).status, 200);
    app.try_login(&dana.email, PASSWORD)
        .assert_problem(401, "invalid_credentials");
    app.login(&dana.email, "a-brand-new-password");
}

#[test]
fn changing_the_password_needs_the_current_one_and_a_long_new_one() {
    let app = spawn_app();
    let dana = app.user("member", "Dana Lee");
    let wrong = app.post(
        api::ME_PASSWORD,
        &dana.token,
        json!({"current_password": "wrong-password!", "new_password": "a-brand-new-password"}),
    );
    wrong.assert_problem(422, "validation_failed");
    assert_eq!(wrong.fields(), ["current_password"]);
    let short = app.post(
        api::ME_PASSWORD,
        &dana.token,
        json!({"current_password": PASSWORD, "new_password": "short"}),
    );
    short.assert_problem(422, "validation_failed");
    assert_eq!(short.fields(), ["new_password"]);
    assert_eq!(app.me(&dana.token).status, 200, "nothing changed");
}

#[test]
fn a_role_change_revokes_earlier_tokens() {
    let app = spawn_app();
    let dana = app.user("recruiter", "Dana Lee");
    let res = app.update_user(dana.id, json!({"role": "member"}));
    assert_eq!(res.status, 200);
    app.me(&dana.token).assert_problem(401, "invalid_token");
    let fresh = app.login(&dana.email, PASSWORD);
    assert_eq!(app.me(&fresh).body["role"], "member");
}

#[test]
fn ten_failed_sign_ins_throttle_the_account_and_it_recovers_by_itself() {
    let app = spawn_app();
    let dana = app.user("member", "Dana Lee");
    let sam = app.user("member", "Sam Ortiz");
    for _ in 0..10 {
        app.try_login(&dana.email, "wrong-password!")
            .assert_problem(401, "invalid_credentials");
    }
    let throttled = app.try_login(&dana.email, PASSWORD);
    throttled.assert_problem(429, "too_many_attempts");
    let retry: u64 = throttled.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "Retry-After {retry}");
    // Throttling is per account.
    app.login(&sam.email, PASSWORD);
    // Unknown accounts are throttled the same way (no hint that an email exists).
    for _ in 0..10 {
        app.try_login("ghost@example.com", "wrong-password!");
    }
    app.try_login("ghost@example.com", "wrong-password!")
        .assert_problem(429, "too_many_attempts");

    // Fifteen minutes later the failures have aged out.
    let db = Db::connect(&app.db.url, 1).unwrap();
    let long_ago = barraiser::db::now() - chrono::TimeDelta::minutes(16);
    diesel::update(login_failures::table)
        .set(login_failures::failed_at.eq(long_ago))
        .execute(&mut *db.conn().unwrap())
        .unwrap();
    app.login(&dana.email, PASSWORD);
}

#[test]
fn a_generated_jwt_secret_is_kept_in_the_database_across_restarts() {
    let db = crate::helpers::TestDb::fresh();
    let mut settings = test_settings(&db);
    settings.jwt_secret = None;
    let app = crate::helpers::TestApp::start(db, settings);
    let token = app.admin_token.clone();
    let app = app.restart();
    assert_eq!(app.me(&token).status, 200);
    // And it is not the test secret: a token forged with that one fails.
    let forged = forge(
        json!({"sub": "1", "iat": now(), "exp": now() + 600, "iss": "barraiser", "ver": 0}),
        JWT_SECRET,
    );
    app.me(&forged).assert_problem(401, "invalid_token");
}

/// The reads and the draft save load the caller's account in the same
/// database trip as their work (`auth::Caller`): a deactivation or a password
/// change stops the earlier token there at once too, with the same 401.
#[test]
fn reads_and_draft_saves_refuse_a_deactivated_or_revoked_caller() {
    let app = spawn_app();
    let org = crate::fixtures::Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let loop_id = lp["id"].as_i64().unwrap();
    let kims_interview = crate::fixtures::interview_of(&lp, &org.kim);
    let draft = json!({"ratings": [], "summary": "Notes so far."});
    let reads = [
        api::loop_(loop_id.loop_id()),
        api::LOOPS.to_owned(),
        api::ME_INTERVIEWS.to_owned(),
    ];
    let save = format!("/api/v1/interviews/{kims_interview}/feedback");
    for path in &reads {
        assert_eq!(app.get(path, &org.kim.token).status, 200, "{path}");
    }
    let saved = app.put(&save, &org.kim.token, draft.clone());
    assert_eq!(saved.status, 200, "{}", saved.body);
    // The debrief packet is refused for its own reason before the debrief opens.
    app.get(&api::debrief(loop_id.loop_id()), &org.kim.token)
        .assert_problem(403, "submit_own_feedback_first");

    // Kim changes her password: the token she signed in with stops working.
    let res = app.post(
        api::ME_PASSWORD,
        &org.kim.token,
        json!({"current_password": PASSWORD, "new_password": "a-brand-new-password"}),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let fresh = res.body["access_token"].as_str().unwrap().to_owned();
    for path in reads.iter().chain([&api::debrief(loop_id.loop_id())]) {
        let res = app.get(path, &org.kim.token);
        res.assert_problem(401, "invalid_token");
        assert_eq!(res.header("www-authenticate"), Some("Bearer"), "{path}");
        assert_ne!(app.get(path, &fresh).status, 401, "{path}");
    }
    app.put(
        &save,
        &org.kim.token,
        json!({"ratings": [], "summary": "Written with a revoked token."}),
    )
    .assert_problem(401, "invalid_token");

    // Lee is deactivated: his token stops working on the same reads.
    assert_eq!(app.get(&reads[0], &org.lee.token).status, 200);
    let res = app.update_user(org.lee.id, json!({"active": false}));
    assert_eq!(res.status, 200, "{}", res.body);
    for path in &reads {
        app.get(path, &org.lee.token)
            .assert_problem(401, "invalid_token");
    }
    // Nothing was written by the refused save.
    let mine = app.get(&save, &fresh);
    assert_eq!(mine.body["summary"], "Notes so far.", "{}", mine.body);
}
