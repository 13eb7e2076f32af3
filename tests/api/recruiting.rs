//! What the recruiter's loop builder needs from the API: finding candidates,
//! changing and closing requisitions, hiring managers reading their own, and
//! one open loop per candidate and requisition.

use barraiser::urls::api;

use serde_json::json;

use crate::fixtures::{Org, failing};
use crate::helpers::spawn_app;

#[test]
fn candidates_are_found_by_name_or_email_and_a_recruiter_sees_only_their_own() {
    let app = spawn_app();
    let org = Org::new(&app);
    for (who, name, email) in [
        (&org.recruiter, "Grace Hopper", "grace@navy.example"),
        (&org.recruiter, "Alan Turing", "alan@bletchley.example"),
        (&org.other_recruiter, "Grace Kelly", "kelly@monaco.example"),
    ] {
        let res = app.post(
            api::CANDIDATES,
            &who.token,
            json!({"name": name, "email": email}),
        );
        assert_eq!(res.status, 201, "{}", res.body);
    }
    let names = |token: &str, query: &str| -> Vec<String> {
        let res = app.get(&format!("/api/v1/candidates{query}"), token);
        assert_eq!(res.status, 200, "{}", res.body);
        res.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(&org.recruiter.token, "?q=GRACE"),
        ["Grace Hopper"],
        "case-insensitive, and only the recruiter's own"
    );
    assert_eq!(names(&org.recruiter.token, "?q=bletchley"), ["Alan Turing"]);
    assert_eq!(
        names(&org.recruiter.token, ""),
        ["Casey Candidate", "Grace Hopper", "Alan Turing"]
    );
    assert_eq!(
        names(&app.admin_token, "?q=grace"),
        ["Grace Hopper", "Grace Kelly"],
        "an admin sees every recruiter's candidates"
    );
    assert!(
        names(&org.recruiter.token, "?q=100%25").is_empty(),
        "LIKE wildcards are matched literally"
    );
    app.get(api::CANDIDATES, &org.kim.token)
        .assert_problem(403, "recruiter_only");
    app.get("/api/v1/candidates?q=a%01b", &org.recruiter.token)
        .assert_problem(422, "validation_failed");
}

#[test]
fn a_requisition_is_changed_by_its_recruiter_and_read_by_its_hiring_manager_only() {
    let app = spawn_app();
    let org = Org::new(&app);
    let path = format!("/api/v1/requisitions/{}", org.requisition_id);
    let res = app.patch(
        &path,
        &org.recruiter.token,
        json!({"title": "Staff Engineer", "min_panel_size": 5}),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["title"], "Staff Engineer");
    assert_eq!(res.body["min_panel_size"], 5);

    let read = app.get(&path, &org.hm.token);
    assert_eq!(read.status, 200, "the hiring manager reads their own");
    let listed = app.get(api::REQUISITIONS, &org.hm.token);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);

    app.get(&path, &org.kim.token)
        .assert_problem(404, "not_found");
    app.get(&path, &org.other_recruiter.token)
        .assert_problem(404, "not_found");
    assert_eq!(
        app.get(api::REQUISITIONS, &org.kim.token).body["items"],
        json!([])
    );
    app.patch(&path, &org.hm.token, json!({"title": "Boss"}))
        .assert_problem(403, "recruiter_only");
    app.patch(&path, &org.other_recruiter.token, json!({"title": "X"}))
        .assert_problem(404, "not_found");
    let bad = app.patch(
        &path,
        &org.recruiter.token,
        json!({"status": "paused", "min_panel_size": 0, "competency_ids": []}),
    );
    bad.assert_problem(422, "validation_failed");
    let mut fields = bad.fields();
    fields.sort();
    assert_eq!(fields, ["competency_ids", "min_panel_size", "status"]);
}

#[test]
fn a_closed_requisition_takes_no_new_loop_until_it_is_reopened() {
    let app = spawn_app();
    let org = Org::new(&app);
    let path = format!("/api/v1/requisitions/{}", org.requisition_id);
    let res = app.patch(&path, &org.recruiter.token, json!({"status": "closed"}));
    assert_eq!(res.body["status"], "closed", "{}", res.body);
    let refused = app.post(api::LOOPS, &org.recruiter.token, org.loop_body());
    refused.assert_problem(422, "validation_failed");
    assert_eq!(refused.fields(), ["requisition_id"]);
    app.patch(&path, &org.recruiter.token, json!({"status": "open"}));
    org.create_loop(&app);
}

#[test]
fn a_requisition_change_reevaluates_its_open_loops() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    assert_eq!(lp["independence"]["ok"], true);
    let res = app.patch(
        &format!("/api/v1/requisitions/{}", org.requisition_id),
        &org.recruiter.token,
        json!({"min_panel_size": 6}),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let after = app.get_loop(&org.recruiter, &lp["id"]).body;
    assert_eq!(after["independence"]["ok"], false);
    assert!(failing(&after["independence"]).contains(&"panel_size".to_owned()));
    assert_eq!(app.outbox_of("independence_turned_red").len(), 1);
}

#[test]
fn a_second_open_loop_for_the_same_candidate_and_requisition_is_refused() {
    let app = spawn_app();
    let org = Org::new(&app);
    let first = org.create_loop(&app);
    app.post(api::LOOPS, &org.recruiter.token, org.loop_body())
        .assert_problem(409, "loop_already_open");
    let res = app.cancel_loop(&org.recruiter, &first["id"], "Candidate withdrew");
    assert_eq!(res.status, 200, "{}", res.body);
    org.create_loop(&app);
}
