//! Requisitions and candidates, including erasure.

use barraiser::urls::api;

use crate::client::LoopRef;

use serde_json::json;

use crate::fixtures::Org;
use crate::helpers::spawn_app;

#[test]
fn a_requisition_lists_its_competencies_and_defaults_to_a_panel_of_four() {
    let app = spawn_app();
    let org = Org::new(&app);
    let res = app.post(
        api::REQUISITIONS,
        &org.recruiter.token,
        json!({"title": "  Data Engineer ", "hiring_manager_id": org.hm.id, "competency_ids": [org.competencies[1], org.competencies[0]]}),
    );
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.body["title"], "Data Engineer");
    assert_eq!(res.body["min_panel_size"], 4);
    assert_eq!(res.body["status"], "open");
    assert_eq!(res.body["recruiter_id"], org.recruiter.id);
    let mut sorted = org.competencies;
    sorted.sort();
    assert_eq!(res.body["competency_ids"], json!(sorted));
    let fetched = app.get(
        &format!("/api/v1/requisitions/{}", res.body["id"]),
        &org.recruiter.token,
    );
    assert_eq!(fetched.body, res.body);
    let listed = app.get(api::REQUISITIONS, &org.recruiter.token);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.get(api::REQUISITIONS, &app.admin_token).body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn invalid_requisitions_are_refused() {
    let app = spawn_app();
    let org = Org::new(&app);
    let cases = [
        (json!({"title": ""}), "title"),
        (json!({"hiring_manager_id": 999_999}), "hiring_manager_id"),
        (json!({"competency_ids": []}), "competency_ids"),
        (json!({"competency_ids": [999_999]}), "competency_ids"),
        (
            json!({"competency_ids": [org.competencies[0], org.competencies[0]]}),
            "competency_ids",
        ),
        (json!({"min_panel_size": 0}), "min_panel_size"),
        (json!({"recruiter_id": org.kim.id}), "recruiter_id"),
    ];
    for (patch, field) in cases {
        let mut body = json!({"title": "Role", "hiring_manager_id": org.hm.id, "competency_ids": org.competencies});
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = app.post(api::REQUISITIONS, &org.recruiter.token, body);
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.fields(), [field], "{patch}");
    }
}

#[test]
fn invalid_candidates_are_refused() {
    let app = spawn_app();
    let org = Org::new(&app);
    for (body, field) in [
        (json!({"name": "", "email": "a@example.net"}), "name"),
        (json!({"name": "A", "email": "nope"}), "email"),
        (
            json!({"name": "A", "email": "a@example.net", "referred_by_id": 999_999}),
            "referred_by_id",
        ),
    ] {
        let res = app.post(api::CANDIDATES, &org.recruiter.token, body);
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.fields(), [field]);
    }
}

#[test]
fn erasing_a_candidate_replaces_their_data_and_keeps_their_loops() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let path = format!("/api/v1/candidates/{}", org.candidate_id);
    let res = app.request("DELETE", &path, Some(&org.recruiter.token), None);
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["erased"], true);
    assert_eq!(res.body["name"], "Erased candidate");
    assert!(!res.body["email"].as_str().unwrap().contains("casey"));
    let fetched = app.get(&path, &org.hm.token);
    assert_eq!(fetched.body["name"], "Erased candidate");
    let still = app.get(&api::loop_(lp["id"].loop_id()), &org.hm.token);
    assert_eq!(still.status, 200);
    assert_eq!(still.body["candidate_id"], org.candidate_id);
    assert_eq!(still.body["status"], "scheduled");
    let res = app.post(api::LOOPS, &org.recruiter.token, org.loop_body());
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.fields(), ["candidate_id"]);
}
