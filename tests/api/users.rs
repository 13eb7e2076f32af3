use barraiser::urls::api;
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

fn new_user(email: &str) -> serde_json::Value {
    json!({"email": email, "name": "Kim Park", "password": PASSWORD, "role": "member"})
}

#[test]
fn an_admin_creates_a_user_with_a_reporting_line_and_department() {
    let app = spawn_app();
    let sam = app.user("member", "Sam Ortiz");
    let mut body = new_user("Kim.Park@Example.com");
    body["manager_id"] = json!(sam.id);
    body["department"] = json!("  Payments ");
    let res = app.post(api::USERS, &app.admin_token, body);
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.body["email"], "kim.park@example.com");
    assert_eq!(res.body["manager_id"], sam.id);
    assert_eq!(res.body["department"], "Payments");
    assert_eq!(res.body["bar_raiser"], "none");
    assert_eq!(res.body["active"], true);
    assert!(res.body["created_at"].as_str().unwrap().ends_with('Z'));
    let fetched = app.get(&format!("/api/v1/users/{}", res.body["id"]), &sam.token);
    assert_eq!(fetched.body, res.body);
}

#[test]
fn a_duplicate_email_is_a_conflict_whatever_its_case() {
    let app = spawn_app();
    assert_eq!(
        app.post(api::USERS, &app.admin_token, new_user("kim@example.com"))
            .status,
        201
    );
    app.post(api::USERS, &app.admin_token, new_user("KIM@example.com"))
        .assert_problem(409, "email_taken");
}

#[test]
fn invalid_user_input_is_refused_field_by_field() {
    let app = spawn_app();
    let cases = [
        (
            json!({"password": "short"}),
            "password",
            "a password under 12 characters",
        ),
        (
            json!({"email": "not-an-email"}),
            "email",
            "an invalid email",
        ),
        (json!({"role": "owner"}), "role", "an unknown role"),
        (json!({"name": "   "}), "name", "a blank name"),
        (
            json!({"name": "x".repeat(201)}),
            "name",
            "a 201-character name",
        ),
        (
            json!({"manager_id": 999_999}),
            "manager_id",
            "an unknown manager",
        ),
        (
            json!({"department": "d".repeat(201)}),
            "department",
            "a 201-character department",
        ),
    ];
    for (patch, field, what) in cases {
        let mut body = new_user("kim@example.com");
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = app.post(api::USERS, &app.admin_token, body);
        assert_eq!(res.status, 422, "{what} should give 422, got {}", res.body);
        assert_eq!(res.code(), "validation_failed", "{what}");
        assert_eq!(res.fields(), [field], "{what}");
    }
    // None of them left a user behind.
    let list = app.get("/api/v1/users?q=kim", &app.admin_token);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 0);
}

#[test]
fn members_and_recruiters_cannot_create_users_change_roles_or_certify_bar_raisers() {
    let app = spawn_app();
    let member = app.user("member", "Dana Lee");
    let recruiter = app.user("recruiter", "Rita Cole");
    for caller in [&member, &recruiter] {
        app.post(api::USERS, &caller.token, new_user("x@example.com"))
            .assert_problem(403, "admin_only");
        app.patch(
            &format!("/api/v1/users/{}", member.id),
            &caller.token,
            json!({"role": "admin"}),
        )
        .assert_problem(403, "admin_only");
        app.put(
            &format!("/api/v1/users/{}/bar-raiser", member.id),
            &caller.token,
            json!({"status": "certified"}),
        )
        .assert_problem(403, "admin_only");
    }
    let me = app.me(&member.token);
    assert_eq!(me.body["role"], "member");
    assert_eq!(me.body["bar_raiser"], "none");
}

#[test]
fn an_admin_certifies_a_bar_raiser_and_the_directory_filters_by_it() {
    let app = spawn_app();
    let dana = app.user("member", "Dana Lee");
    app.user("member", "Sam Ortiz");
    let res = app.set_bar_raiser(dana.id, "certified");
    assert_eq!(res.status, 200);
    assert_eq!(res.body["bar_raiser"], "certified");
    let list = app.get("/api/v1/users?bar_raiser=certified", &dana.token);
    let names: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Dana Lee"]);
    app.set_bar_raiser(dana.id, "grand_master")
        .assert_problem(422, "validation_failed");
    app.put(
        "/api/v1/users/999999/bar-raiser",
        &app.admin_token,
        json!({"status": "certified"}),
    )
    .assert_problem(404, "not_found");
}

#[test]
fn the_directory_filters_by_role_and_text_and_pages_with_a_cursor() {
    let app = spawn_app();
    for i in 0..5 {
        app.user("recruiter", &format!("Recruiter {i}"));
    }
    app.user("member", "Dana Lee");
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?role=recruiter&limit=2&cursor={c}"),
            None => "/api/v1/users?role=recruiter&limit=2".to_string(),
        };
        let page = app.get(&path, &app.admin_token);
        assert_eq!(page.status, 200, "{}", page.body);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|u| u["name"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        seen,
        (0..5).map(|i| format!("Recruiter {i}")).collect::<Vec<_>>()
    );
    let found = app.get("/api/v1/users?q=DANA", &app.admin_token);
    assert_eq!(found.body["items"][0]["name"], "Dana Lee");
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
    let none = app.get("/api/v1/users?q=%25", &app.admin_token);
    assert_eq!(
        none.body["items"].as_array().unwrap().len(),
        0,
        "% is matched literally"
    );
    app.get("/api/v1/users?role=owner", &app.admin_token)
        .assert_problem(422, "validation_failed");
    let bad = app.get("/api/v1/users?limit=201&cursor=abc", &app.admin_token);
    bad.assert_problem(422, "validation_failed");
    assert_eq!(bad.fields(), ["limit", "cursor"]);
}

#[test]
fn a_reporting_cycle_is_refused_naming_the_people() {
    let app = spawn_app();
    let sam = app.user("member", "Sam Ortiz");
    let kim = app.user_with(json!({"name": "Kim Park", "manager_id": sam.id}));
    let dana = app.user_with(json!({"name": "Dana Lee", "manager_id": kim.id}));
    let res = app.update_user(sam.id, json!({"manager_id": dana.id}));
    res.assert_problem(422, "reporting_cycle");
    let detail = res.body["detail"].as_str().unwrap();
    assert_eq!(
        detail,
        "Sam Ortiz cannot report to Dana Lee: Dana Lee already reports to Sam Ortiz through Kim Park."
    );
    app.update_user(sam.id, json!({"manager_id": sam.id}))
        .assert_problem(422, "reporting_cycle");
    assert_eq!(
        app.get_user(&sam.token, sam.id).body["manager_id"],
        json!(null)
    );
}

#[test]
fn patch_changes_only_the_fields_given_and_null_clears_the_manager() {
    let app = spawn_app();
    let sam = app.user("member", "Sam Ortiz");
    let kim =
        app.user_with(json!({"name": "Kim Park", "manager_id": sam.id, "department": "Payments"}));
    let path = format!("/api/v1/users/{}", kim.id);
    let res = app.patch(&path, &app.admin_token, json!({"name": "Kim Park-Lee"}));
    assert_eq!(res.body["name"], "Kim Park-Lee");
    assert_eq!(res.body["manager_id"], sam.id);
    assert_eq!(res.body["department"], "Payments");
    let res = app.patch(
        &path,
        &app.admin_token,
        json!({"manager_id": null, "department": null}),
    );
    assert_eq!(res.body["manager_id"], json!(null));
    assert_eq!(res.body["department"], json!(null));
    let unknown = app.patch(&path, &app.admin_token, json!({"email": "new@example.com"}));
    unknown.assert_problem(422, "validation_failed");
    assert_eq!(unknown.fields(), ["email"]);
    app.patch(
        "/api/v1/users/999999",
        &app.admin_token,
        json!({"name": "X"}),
    )
    .assert_problem(404, "not_found");
}

#[test]
fn deactivated_users_stay_in_the_directory() {
    let app = spawn_app();
    let dana = app.user("member", "Dana Lee");
    app.update_user(dana.id, json!({"active": false}));
    let res = app.get_user(&app.admin_token, dana.id);
    assert_eq!(res.body["active"], false);
    let inactive = app.get("/api/v1/users?active=false", &app.admin_token);
    assert_eq!(inactive.body["items"][0]["id"], dana.id);
    let res = app.update_user(dana.id, json!({"active": true}));
    assert_eq!(res.body["active"], true);
    app.login(&dana.email, PASSWORD);
}

#[test]
fn an_admin_cannot_lock_themselves_out() {
    let app = spawn_app();
    let me = app.me(&app.admin_token);
    let path = format!("/api/v1/users/{}", me.body["id"]);
    app.patch(&path, &app.admin_token, json!({"active": false}))
        .assert_problem(409, "self_lockout");
    app.patch(&path, &app.admin_token, json!({"role": "member"}))
        .assert_problem(409, "self_lockout");
    assert_eq!(app.me(&app.admin_token).body["role"], "admin");
}

#[test]
fn an_unknown_user_is_404() {
    let app = spawn_app();
    app.get("/api/v1/users/424242", &app.admin_token)
        .assert_problem(404, "not_found");
    app.get("/api/v1/users/not-a-number", &app.admin_token)
        .assert_problem(404, "not_found");
}
