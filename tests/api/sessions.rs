//! Sessions with a server-side identity: signing out, a password change, a
//! deactivation and "sign out everywhere" end them at once, for pages, forms
//! and the API alike; concurrent changes of one account happen one at a time.

use barraiser::urls::api;

use serde_json::json;

use crate::accounts::link_in_mail;
use crate::helpers::{PASSWORD, TestApp, TestUser, spawn_app};
use crate::web_client::WebClient;

/// A browser signed in as `who`, and its session cookie's value.
fn browser<'a>(app: &'a TestApp, who: &TestUser) -> (WebClient<'a>, String) {
    let (web, _) = WebClient::signed_in(app, &who.email);
    let cookie = web.cookies["session"].clone();
    (web, cookie)
}

/// Whether a browser holding only `cookie` is signed in (the home page, and a
/// form post with a CSRF token fresh for that cookie).
fn cookie_works(app: &TestApp, cookie: &str) -> bool {
    let mut replay = WebClient::new(app);
    replay.cookies.insert("session".into(), cookie.to_owned());
    let home = replay.get("/");
    if home.status != 200 {
        assert_eq!(home.status, 303, "{}", home.text);
        assert!(home.location().starts_with("/login"), "{}", home.location());
        // A form post with a CSRF token bound to this very cookie.
        let form = replay.get(barraiser::urls::LOGIN);
        let posted = replay.post(
            "/account/time-zone",
            &[("csrf_token", &form.csrf()), ("time_zone", "Asia/Tokyo")],
        );
        assert_eq!(posted.status, 303, "{}", posted.text);
        assert!(
            posted.location().starts_with("/login"),
            "{}",
            posted.location()
        );
        return false;
    }
    true
}

fn token_works(app: &TestApp, token: &str) -> bool {
    let me = app.me(token);
    if me.status == 200 {
        return true;
    }
    me.assert_problem(401, "invalid_token");
    false
}

#[test]
fn signing_out_of_a_browser_ends_its_session_on_the_server_at_once() {
    let app = spawn_app();
    let kim = app.user("member", "Kim Park");
    let (mut web, cookie) = browser(&app, &kim);
    let (_other_browser, other_cookie) = browser(&app, &kim);
    assert!(cookie_works(&app, &cookie));
    let csrf = web.get("/").csrf();
    let out = web.post(barraiser::urls::LOGOUT, &[("csrf_token", &csrf)]);
    assert_eq!(out.status, 303, "{}", out.text);
    assert!(!web.cookies.contains_key("session"), "the cookie goes");
    // A copy of the cookie kept elsewhere no longer opens pages or posts forms.
    assert!(!cookie_works(&app, &cookie));
    assert_eq!(
        app.me(&kim.token).body["time_zone"],
        "Europe/Berlin",
        "the replayed form changed nothing"
    );
    assert!(cookie_works(&app, &other_cookie), "only that session ended");
    assert!(token_works(&app, &kim.token));
}

#[test]
fn signing_out_through_the_api_ends_the_token_at_once() {
    let app = spawn_app();
    let kim = app.user("member", "Kim Park");
    let other = app.login(&kim.email, PASSWORD);
    let out = app.post(api::LOGOUT, &kim.token, json!(null));
    assert_eq!(out.status, 204, "{}", out.body);
    assert!(!token_works(&app, &kim.token));
    app.post(api::LOGOUT, &kim.token, json!(null))
        .assert_problem(401, "invalid_token");
    assert!(
        token_works(&app, &other),
        "another sign-in is another session"
    );
    app.request("POST", api::LOGOUT, None, None)
        .assert_problem(401, "unauthenticated");
}

#[test]
fn signing_out_everywhere_ends_every_browser_and_token_of_the_person_only() {
    let app = spawn_app();
    let kim = app.user("member", "Kim Park");
    let lee = app.user("member", "Lee Chan");
    let second_token = app.login(&kim.email, PASSWORD);
    let (_a, first_cookie) = browser(&app, &kim);
    let (mut web, cookie) = browser(&app, &kim);
    let account = web.get(barraiser::urls::ACCOUNT);
    account.assert_contains("You have 4 live sessions");
    let ended = web.post(
        barraiser::urls::ACCOUNT_SESSIONS_END,
        &[("csrf_token", &account.csrf())],
    );
    assert_eq!(ended.status, 303, "{}", ended.text);
    assert_eq!(ended.location(), "/login");
    assert!(!web.cookies.contains_key("session"));
    for c in [&first_cookie, &cookie] {
        assert!(!cookie_works(&app, c));
    }
    for t in [&kim.token, &second_token] {
        assert!(!token_works(&app, t));
    }
    assert!(token_works(&app, &lee.token), "nobody else's");

    // The same through the API.
    let fresh = app.login(&kim.email, PASSWORD);
    let (_b, cookie) = browser(&app, &kim);
    let res = app.request("DELETE", api::ME_SESSIONS, Some(&fresh), None);
    assert_eq!(res.status, 204, "{}", res.body);
    assert!(!token_works(&app, &fresh));
    assert!(!cookie_works(&app, &cookie));
}

#[test]
fn a_password_change_ends_every_other_session_and_browsers_too() {
    let app = spawn_app();
    let kim = app.user("member", "Kim Park");
    let (_a, cookie) = browser(&app, &kim);
    let res = app.post(
        api::ME_PASSWORD,
        &kim.token,
        json!({"current_password": PASSWORD, "new_password": "kim-has-a-new-password"}),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(!cookie_works(&app, &cookie));
    assert!(!token_works(&app, &kim.token));
    assert!(token_works(
        &app,
        res.body["access_token"].as_str().unwrap()
    ));
}

#[test]
fn a_deactivation_ends_sessions_and_links_for_good() {
    let app = spawn_app();
    let kim = app.user("member", "Kim Park");
    let (_a, cookie) = browser(&app, &kim);
    let reset = app.request(
        "POST",
        api::PASSWORD_RESET,
        None,
        Some(&json!({"email": kim.email})),
    );
    assert_eq!(reset.status, 202);
    let link = link_in_mail(&app, &kim.email, "Reset your barraiser password");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let active = |on: bool| {
        let res = app.update_user(kim.id, json!({ "active": on }));
        assert_eq!(res.status, 200, "{}", res.body);
    };
    active(false);
    assert!(!token_works(&app, &kim.token));
    assert!(!cookie_works(&app, &cookie));
    active(true);
    assert!(
        !token_works(&app, &kim.token),
        "reactivating brings no session back"
    );
    assert!(!cookie_works(&app, &cookie));
    let set = app.request(
        "POST",
        api::PASSWORD_SET,
        None,
        Some(&json!({"token": token, "new_password": "a-password-from-the-past"})),
    );
    assert_eq!(set.status, 422, "the link was retired: {}", set.body);
    assert_eq!(set.fields(), ["token"]);
    app.login(&kim.email, PASSWORD);
}

#[test]
fn of_concurrent_password_changes_with_one_token_the_first_wins() {
    let app = spawn_app();
    let kim = app.user("member", "Kim Park");
    let answers: Vec<(u16, String, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (app, token) = (&app, kim.token.clone());
                s.spawn(move || {
                    let new = format!("new-password-number-{i}");
                    let res = app.post(
                        api::ME_PASSWORD,
                        &token,
                        json!({"current_password": PASSWORD, "new_password": new}),
                    );
                    let fresh = res.body["access_token"].as_str().unwrap_or("").to_owned();
                    if res.status != 200 {
                        res.assert_problem(401, "invalid_token");
                    }
                    (res.status, new, fresh)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let winners: Vec<_> = answers.iter().filter(|(s, _, _)| *s == 200).collect();
    assert_eq!(winners.len(), 1, "{answers:?}");
    let (_, password, token) = winners[0];
    assert!(token_works(&app, token));
    app.login(&kim.email, password);
    for (_, other, _) in answers.iter().filter(|(s, _, _)| *s != 200) {
        app.try_login(&kim.email, other)
            .assert_problem(401, "invalid_credentials");
    }
}

#[test]
fn a_password_change_racing_a_deactivation_leaves_no_session_for_after_reactivation() {
    let app = spawn_app();
    for round in 0..6 {
        let kim = app.user("member", &format!("Kim Round {round}"));
        let new_token = std::thread::scope(|s| {
            let change = s.spawn(|| {
                app.post(
                    api::ME_PASSWORD,
                    &kim.token,
                    json!({"current_password": PASSWORD, "new_password": "raced-new-password"}),
                )
            });
            let deactivate = s.spawn(|| app.update_user(kim.id, json!({"active": false})));
            assert_eq!(deactivate.join().unwrap().status, 200);
            let res = change.join().unwrap();
            match res.status {
                200 => res.body["access_token"].as_str().map(str::to_owned),
                _ => {
                    res.assert_problem(401, "invalid_token");
                    None
                }
            }
        });
        let res = app.update_user(kim.id, json!({"active": true}));
        assert_eq!(res.status, 200);
        if let Some(token) = new_token {
            assert!(!token_works(&app, &token), "round {round}");
        }
        assert!(!token_works(&app, &kim.token), "round {round}");
    }
}

/// The home page, a loop's page and its debrief room check the session in
/// the same statement or trip as their own reads: a session that ended or an
/// account deactivated sends the browser to sign in (htmx too), never to a
/// 404 or an empty page, and a live one still meets the 404 of a loop it may
/// not see or that does not exist.
#[test]
fn the_pages_that_read_with_their_session_check_send_an_ended_session_to_sign_in() {
    let app = spawn_app();
    let org = crate::fixtures::Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let id = lp["id"].as_i64().unwrap();
    let pages = [
        "/".to_owned(),
        format!("/loops/{id}"),
        format!("/loops/{id}/debrief"),
    ];
    let (_kim, kim_cookie) = browser(&app, &org.kim);
    let (_lee, lee_cookie) = browser(&app, &org.lee);
    let (mut outsider, _) = browser(&app, &org.outsider);
    let with_cookie = |cookie: &str| {
        let mut client = WebClient::new(&app);
        client.cookies.insert("session".into(), cookie.to_owned());
        client
    };
    for page in &pages {
        let res = with_cookie(&kim_cookie).get(page);
        assert_eq!(res.status, 200, "{page}: {}", res.text);
    }
    for page in &pages[1..] {
        assert_eq!(outsider.get(page).status, 404, "{page}: not theirs");
    }
    let missing = id + 1000;
    for page in [
        format!("/loops/{missing}"),
        format!("/loops/{missing}/debrief"),
    ] {
        assert_eq!(with_cookie(&kim_cookie).get(&page).status, 404, "{page}");
        // Signed out, the same address asks for a sign-in first.
        let res = WebClient::new(&app).get(&page);
        assert_eq!(res.status, 303, "{page}");
        assert!(res.location().starts_with("/login?next="), "{page}");
    }

    // Kim signs out elsewhere (every session ends); Lee is deactivated.
    let res = app.request("DELETE", api::ME_SESSIONS, Some(&org.kim.token), None);
    assert_eq!(res.status, 204, "{}", res.body);
    let res = app.update_user(org.lee.id, json!({"active": false}));
    assert_eq!(res.status, 200, "{}", res.body);
    for cookie in [&kim_cookie, &lee_cookie] {
        for page in &pages {
            let res = with_cookie(cookie).get(page);
            assert_eq!(res.status, 303, "{page}: {}", res.text);
            let next: String = url::form_urlencoded::byte_serialize(page.as_bytes()).collect();
            assert_eq!(res.location(), format!("/login?next={next}"), "{page}");
            let htmx = with_cookie(cookie).get_with(page, &[("HX-Request", "true")]);
            assert_eq!(htmx.status, 401, "{page}");
            assert!(
                htmx.header("hx-redirect")
                    .is_some_and(|l| l.starts_with("/login")),
                "{page}"
            );
        }
    }
}
