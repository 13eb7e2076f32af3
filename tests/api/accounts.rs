//! Invitations to an account and password resets: single-use links mailed to
//! the person, kept only as hashes, throttled, and answered the same whether
//! or not an address has an account.

use barraiser::urls::api;

use std::time::Duration;

use chrono::TimeDelta;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};
use crate::smtp::wait_until;
use crate::web_client::WebClient;

/// The `/password/set?token=…` path in the mail to `email` whose subject
/// starts with `subject`, waiting for it.
pub fn link_in_mail(app: &TestApp, email: &str, subject: &str) -> String {
    app.mail_link(email, subject, "/password/set?token=")
}

fn token_of(path: &str) -> String {
    path.split("token=").nth(1).unwrap().to_owned()
}

fn mails_to(app: &TestApp, email: &str) -> usize {
    app.mail_files(0)
        .iter()
        .filter_map(|raw| mail_parser::MessageParser::default().parse(raw))
        .filter(|m| m.to().and_then(|t| t.first()).and_then(|a| a.address()) == Some(email))
        .count()
}

#[test]
fn an_account_created_without_a_password_is_invited_to_choose_one_once() {
    let app = spawn_app();
    let res = app.post(
        api::USERS,
        &app.admin_token,
        json!({"email": "ines@example.com", "name": "Ines Invited", "role": "member"}),
    );
    assert_eq!(res.status, 201, "{}", res.body);
    let path = link_in_mail(&app, "ines@example.com", "You are invited to barraiser");
    let token = token_of(&path);
    assert_eq!(token.len(), 64, "256 random bits");
    // Only the token's hash is stored.
    let mut conn = app.store().conn().unwrap();
    let stored: Vec<String> = {
        use diesel::prelude::*;
        barraiser::db::schema::account_links::table
            .select(barraiser::db::schema::account_links::token_hash)
            .load(&mut conn)
            .unwrap()
    };
    drop(conn);
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);
    app.try_login("ines@example.com", "")
        .assert_problem(401, "invalid_credentials");

    let short = app.request(
        "POST",
        api::PASSWORD_SET,
        None,
        Some(&json!({"token": token, "new_password": "short"})),
    );
    short.assert_problem(422, "validation_failed");
    assert_eq!(short.fields(), ["new_password"]);
    let set = app.request(
        "POST",
        api::PASSWORD_SET,
        None,
        Some(&json!({"token": token, "new_password": "ines-chose-this-one"})),
    );
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.body["email"], "ines@example.com");
    app.login("ines@example.com", "ines-chose-this-one");

    let again = app.request(
        "POST",
        api::PASSWORD_SET,
        None,
        Some(&json!({"token": token, "new_password": "someone-else-again"})),
    );
    again.assert_problem(422, "validation_failed");
    assert_eq!(again.fields(), ["token"]);
    let mut web = WebClient::new(&app);
    assert_eq!(
        web.get(&path).status,
        410,
        "the page says the link no longer works"
    );
}

#[test]
fn links_expire_invitations_after_72_hours_and_resets_after_one() {
    let app = spawn_app();
    let org_user = app.user("member", "Esme Expiring");
    app.post(
        api::USERS,
        &app.admin_token,
        json!({"email": "late@example.com", "name": "Lou Late", "role": "member"}),
    );
    let invitation = token_of(&link_in_mail(&app, "late@example.com", "You are invited"));
    app.request(
        "POST",
        api::PASSWORD_RESET,
        None,
        Some(&json!({"email": org_user.email})),
    );
    let reset = token_of(&link_in_mail(
        &app,
        &org_user.email,
        "Reset your barraiser password",
    ));
    let now = barraiser::db::now();
    let holder = |token: &str, at| {
        actix_web::rt::System::new().block_on(barraiser::services::accounts::holder(
            app.store(),
            token,
            at,
        ))
    };
    assert!(holder(&invitation, now + TimeDelta::hours(71)).is_ok());
    assert!(holder(&invitation, now + TimeDelta::hours(73)).is_err());
    assert!(holder(&reset, now + TimeDelta::minutes(55)).is_ok());
    assert!(holder(&reset, now + TimeDelta::minutes(65)).is_err());
    let passwords = barraiser::auth::Passwords::new(1).unwrap();
    let late = actix_web::rt::System::new().block_on(barraiser::services::accounts::set_password(
        app.store(),
        &passwords,
        &reset,
        barraiser::domain::NewPassword::parse("p", "too-late-for-this-one".into()).unwrap(),
        now + TimeDelta::minutes(61),
    ));
    assert!(late.is_err(), "an expired reset link sets nothing");
    app.login(&org_user.email, crate::helpers::PASSWORD);
}

#[test]
fn a_reset_is_answered_the_same_for_any_address_and_ends_earlier_sessions() {
    let app = spawn_app();
    let kim = app.user("member", "Kim Reset");
    let ask = |email: &str| {
        app.request(
            "POST",
            api::PASSWORD_RESET,
            None,
            Some(&json!({ "email": email })),
        )
    };
    let known = ask(&kim.email);
    let unknown = ask("nobody-here@example.com");
    let garbage = ask("not an address\u{0}");
    for res in [&known, &unknown, &garbage] {
        assert_eq!(res.status, 202);
        assert_eq!(res.body, known.body, "the same answer for every address");
    }
    let path = link_in_mail(&app, &kim.email, "Reset your barraiser password");
    assert_eq!(mails_to(&app, "nobody-here@example.com"), 0);

    // Through the pages: the form, then the new password.
    let mut web = WebClient::new(&app);
    let form = web.get(&path);
    assert_eq!(form.status, 200, "{}", form.text);
    form.assert_contains("Hello Kim Reset.");
    let short = web.post(
        "/password/set",
        &[
            ("csrf_token", &form.csrf()),
            ("token", &token_of(&path)),
            ("new_password", "short"),
        ],
    );
    assert_eq!(short.status, 422);
    short.assert_contains(r#"id="new_password-error""#);
    let done = web.post(
        "/password/set",
        &[
            ("csrf_token", &form.csrf()),
            ("token", &token_of(&path)),
            ("new_password", "kim-has-a-new-password"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.text);
    assert_eq!(done.location(), "/", "signed in at once");
    let home = web.get("/");
    assert_eq!(home.status, 200, "{}", home.text);
    home.assert_contains("Your password is set. Welcome.");
    home.assert_contains("What to do now");
    assert_eq!(app.me(&kim.token).status, 401, "earlier sessions end");
    app.login(&kim.email, "kim-has-a-new-password");
    app.try_login(&kim.email, crate::helpers::PASSWORD)
        .assert_problem(401, "invalid_credentials");
}

#[test]
fn reset_mails_are_throttled_per_address() {
    let app = spawn_app();
    let kim = app.user("member", "Kim Many");
    let before = {
        wait_until(Duration::from_secs(30), || mails_to(&app, &kim.email) >= 1);
        mails_to(&app, &kim.email)
    };
    for _ in 0..5 {
        let res = app.request(
            "POST",
            api::PASSWORD_RESET,
            None,
            Some(&json!({"email": kim.email})),
        );
        assert_eq!(res.status, 202);
    }
    wait_until(Duration::from_secs(30), || {
        mails_to(&app, &kim.email)
            >= before + barraiser::services::accounts::RESETS_PER_HOUR as usize
    });
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        mails_to(&app, &kim.email),
        before + barraiser::services::accounts::RESETS_PER_HOUR as usize,
        "at most three reset mails an hour"
    );
    // The page answers the same as the API.
    let mut web = WebClient::new(&app);
    let form = web.get(barraiser::urls::FORGOT_PASSWORD);
    let sent = web.post(
        "/password/forgot",
        &[
            ("csrf_token", &form.csrf()),
            ("email", "nobody@example.com"),
        ],
    );
    assert_eq!(sent.status, 200);
    sent.assert_contains(barraiser::http::RESET_ANSWER);
}

/// A reset request is answered before any work on the account: while the
/// account's row (PostgreSQL) or the whole database (SQLite) is locked by
/// someone else, the answer still comes at once, for a known address as for
/// an unknown one; the mail follows once the lock is gone. So the answer's
/// timing cannot tell whether an address has an account.
#[test]
fn a_reset_is_answered_before_any_work_so_its_timing_says_nothing() {
    use diesel::connection::SimpleConnection;
    let app = spawn_app();
    let kim = app.user("member", "Kim Locked");
    let mut conn = app.store().conn().unwrap();
    match &mut *conn {
        barraiser::db::DbConn::Pg(_) => conn
            .batch_execute(&format!(
                "BEGIN; SELECT id FROM users WHERE id = {} FOR UPDATE",
                kim.id
            ))
            .unwrap(),
        barraiser::db::DbConn::Sqlite(_) => conn.batch_execute("BEGIN IMMEDIATE").unwrap(),
    }
    for email in [kim.email.as_str(), "nobody-here@example.com"] {
        let started = std::time::Instant::now();
        let res = app.request(
            "POST",
            api::PASSWORD_RESET,
            None,
            Some(&json!({ "email": email })),
        );
        assert_eq!(res.status, 202, "{}", res.body);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "answered without waiting for the lock ({:?})",
            started.elapsed()
        );
    }
    conn.batch_execute("ROLLBACK").unwrap();
    drop(conn);
    link_in_mail(&app, &kim.email, "Reset your barraiser password");
}
