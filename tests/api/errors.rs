use barraiser::urls::{self, api};
use serde_json::json;

use crate::helpers::spawn_app;
use crate::web_client::WebClient;

#[test]
fn malformed_json_is_a_400_problem() {
    let app = spawn_app();
    for body in [
        &b"{not json"[..],
        b"",
        b"[1,2,3]",
        b"{\"email\": \"a@b.c\", \"password\": 12}",
    ] {
        let res = app.raw(
            "POST",
            api::USERS,
            Some(&app.admin_token),
            Some(body),
            Some("application/json"),
        );
        res.assert_problem(400, "malformed_request");
    }
}

#[test]
fn wrong_types_are_a_400_problem() {
    let app = spawn_app();
    let res = app.post(
        api::USERS,
        &app.admin_token,
        json!({"email": "k@example.com", "name": "K", "password": "long-enough-pass", "role": "member", "manager_id": "seven"}),
    );
    res.assert_problem(400, "malformed_request");
}

#[test]
fn a_body_over_64_kib_is_a_413_problem() {
    let app = spawn_app();
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(70 * 1024));
    let res = app.raw(
        "PATCH",
        "/api/v1/users/1",
        Some(&app.admin_token),
        Some(big.as_bytes()),
        Some("application/json"),
    );
    res.assert_problem(413, "payload_too_large");
}

#[test]
fn a_body_that_is_not_json_is_a_415_problem() {
    let app = spawn_app();
    let res = app.raw(
        "POST",
        api::LOGIN,
        None,
        Some(b"email=a"),
        Some("application/x-www-form-urlencoded"),
    );
    res.assert_problem(415, "unsupported_media_type");
}

#[test]
fn unknown_routes_and_methods_are_problems() {
    let app = spawn_app();
    app.request("GET", "/api/v1/nothing-here", None, None)
        .assert_problem(404, "not_found");
    app.request("GET", "/nothing-here", None, None)
        .assert_problem(404, "not_found");
    app.request("DELETE", api::ME, Some(&app.admin_token), None)
        .assert_problem(405, "method_not_allowed");
}

#[test]
fn every_response_carries_the_security_headers() {
    let app = spawn_app();
    for res in [
        app.me(&app.admin_token),
        app.request("GET", api::ME, None, None),
        app.request("GET", "/healthz", None, None),
        app.request("GET", "/nope", None, None),
    ] {
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(
            res.header("content-security-policy"),
            Some("frame-ancestors 'none'")
        );
    }
    assert_eq!(
        app.me(&app.admin_token).header("cache-control"),
        Some("no-store")
    );
    assert_eq!(
        app.request("GET", "/healthz", None, None)
            .header("strict-transport-security"),
        None,
        "reached over plain http (the test's public URL): no HSTS"
    );
}

#[test]
fn a_service_reached_over_https_tells_browsers_to_stay_on_https() {
    let db = crate::helpers::TestDb::fresh();
    let mut settings = crate::helpers::test_settings(&db);
    settings.mail.public_url = "https://hire.example.com".into();
    let app = crate::helpers::TestApp::start(db, settings);
    for res in [
        app.request("GET", "/healthz", None, None),
        app.me(&app.admin_token),
        app.request("GET", "/nope", None, None),
    ] {
        assert_eq!(
            res.header("strict-transport-security"),
            Some("max-age=63072000"),
            "{}",
            res.status
        );
    }
}

#[test]
fn deeply_nested_json_is_refused_without_harm() {
    let app = spawn_app();
    let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let res = app.raw(
        "POST",
        api::LOGIN,
        None,
        Some(nested.as_bytes()),
        Some("application/json"),
    );
    res.assert_problem(400, "malformed_request");
    assert_eq!(app.request("GET", "/healthz", None, None).status, 200);
}

#[test]
fn routes_grouped_by_their_first_segments_still_tell_paths_and_methods_apart() {
    let app = spawn_app();
    let rita = app.user("recruiter", "Rita Recruiter");
    let (mut web, _) = WebClient::signed_in(&app, &rita.email);
    // A path without a parameter wins over one with, whatever the listing order.
    let builder = web.get(urls::NEW_LOOP);
    assert_eq!(builder.status, 200);
    builder.assert_contains("New loop");
    // A page's path asked with a method it does not answer is no page.
    let wrong_method = web.get("/loops/1/schedule");
    assert_eq!(wrong_method.status, 404);
    wrong_method.assert_contains("Page not found");
    // Past a group's prefix, an unknown path is no page and no endpoint.
    for path in ["/loops/1/nothing", "/loopsx", "/admin/nothing"] {
        assert_eq!(web.get(path).status, 404, "{path}");
    }
    for path in [
        "/api/v1/loops/",
        "/api/v1/loops/1/nothing",
        "/api/v1/loopsx",
    ] {
        app.request("GET", path, Some(&app.admin_token), None)
            .assert_problem(404, "not_found");
    }
    // An endpoint within a group still lists the methods it answers.
    let res = app.request("PUT", "/api/v1/loops/1", Some(&app.admin_token), None);
    res.assert_problem(405, "method_not_allowed");
    assert_eq!(res.header("allow"), Some("GET, PATCH"));
}
