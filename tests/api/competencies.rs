use barraiser::urls::api;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

fn competency(key: &str) -> Value {
    json!({
        "key": key,
        "name": "Craftsmanship",
        "description": "Builds things that last.",
        "anchors": {"1": "Sloppy.", "2": "Uneven.", "3": "Solid.", "4": "Exemplary."},
        "questions": ["Tell me about the piece of work you are proudest of."]
    })
}

#[test]
fn a_fresh_database_has_sixteen_leadership_principles_with_anchors_and_questions() {
    let app = spawn_app();
    let member = app.user("member", "Dana Lee");
    let res = app.get("/api/v1/competencies?limit=200", &member.token);
    assert_eq!(res.status, 200);
    let items = res.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 16);
    for c in items {
        for rating in ["1", "2", "3", "4"] {
            assert!(
                !c["anchors"][rating].as_str().unwrap().is_empty(),
                "{}",
                c["key"]
            );
        }
        assert!(
            c["questions"].as_array().unwrap().len() >= 3,
            "{}",
            c["key"]
        );
        assert_eq!(c["active"], true);
    }
    let keys: Vec<&str> = items.iter().map(|c| c["key"].as_str().unwrap()).collect();
    for key in [
        "customer_obsession",
        "ownership",
        "dive_deep",
        "have_backbone_disagree_and_commit",
        "deliver_results",
    ] {
        assert!(keys.contains(&key), "{key} missing");
    }
}

#[test]
fn an_admin_adds_edits_and_retires_a_competency() {
    let app = spawn_app();
    let res = app.post(
        api::COMPETENCIES,
        &app.admin_token,
        competency("craftsmanship"),
    );
    assert_eq!(res.status, 201, "{}", res.body);
    let path = format!("/api/v1/competencies/{}", res.body["id"]);
    let res = app.patch(
        &path,
        &app.admin_token,
        json!({"name": "Craft", "anchors": {"1": "a", "2": "b", "3": "c", "4": "d"}}),
    );
    assert_eq!(res.status, 200);
    assert_eq!(res.body["name"], "Craft");
    assert_eq!(res.body["anchors"]["4"], "d");
    assert_eq!(res.body["description"], "Builds things that last.");
    let res = app.patch(&path, &app.admin_token, json!({"active": false}));
    assert_eq!(res.body["active"], false);
    // Retired, still readable; listed among the retired, not the active.
    assert_eq!(app.get(&path, &app.admin_token).body["active"], false);
    let active = app.get(
        "/api/v1/competencies?active=true&limit=200",
        &app.admin_token,
    );
    assert_eq!(active.body["items"].as_array().unwrap().len(), 16);
    let retired = app.get("/api/v1/competencies?active=false", &app.admin_token);
    assert_eq!(retired.body["items"][0]["key"], "craftsmanship");
}

#[test]
fn members_cannot_change_the_library() {
    let app = spawn_app();
    let member = app.user("member", "Dana Lee");
    let recruiter = app.user("recruiter", "Rita Cole");
    for token in [&member.token, &recruiter.token] {
        app.post(api::COMPETENCIES, token, competency("craftsmanship"))
            .assert_problem(403, "admin_only");
        app.patch("/api/v1/competencies/1", token, json!({"active": false}))
            .assert_problem(403, "admin_only");
    }
    assert_eq!(
        app.get("/api/v1/competencies/1", &member.token).body["active"],
        true
    );
}

#[test]
fn invalid_competencies_are_refused() {
    let app = spawn_app();
    assert_eq!(
        app.post(
            api::COMPETENCIES,
            &app.admin_token,
            competency("craftsmanship")
        )
        .status,
        201
    );
    app.post(
        api::COMPETENCIES,
        &app.admin_token,
        competency("craftsmanship"),
    )
    .assert_problem(409, "key_taken");
    let cases = [
        (json!({"key": "Not A Key"}), "key"),
        (json!({"questions": []}), "questions"),
        (
            json!({"anchors": {"1": "a", "2": " ", "3": "c", "4": "d"}}),
            "anchors.2",
        ),
        (json!({"name": ""}), "name"),
    ];
    for (patch, field) in cases {
        let mut body = competency("another_one");
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = app.post(api::COMPETENCIES, &app.admin_token, body);
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.fields(), [field]);
    }
    let mut missing_anchor = competency("another_one");
    missing_anchor["anchors"]
        .as_object_mut()
        .unwrap()
        .remove("3");
    app.post(api::COMPETENCIES, &app.admin_token, missing_anchor)
        .assert_problem(400, "malformed_request");
    app.patch(
        "/api/v1/competencies/99999",
        &app.admin_token,
        json!({"active": false}),
    )
    .assert_problem(404, "not_found");
}
