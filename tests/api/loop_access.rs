//! Who sees and touches what: every loop endpoint for every part a user can
//! play. Outsiders get 404 (a loop's existence is not revealed), participants
//! without the right get 403.

use barraiser::urls::api;

use crate::client::LoopRef;

use serde_json::json;

use crate::fixtures::Org;
use crate::helpers::{TestApp, spawn_app};

struct Caller<'a> {
    who: &'static str,
    token: &'a str,
}

fn callers<'a>(app: &'a TestApp, org: &'a Org) -> Vec<Caller<'a>> {
    vec![
        Caller {
            who: "admin",
            token: &app.admin_token,
        },
        Caller {
            who: "recruiter",
            token: &org.recruiter.token,
        },
        Caller {
            who: "hiring_manager",
            token: &org.hm.token,
        },
        Caller {
            who: "bar_raiser",
            token: &org.br.token,
        },
        Caller {
            who: "interviewer",
            token: &org.kim.token,
        },
        Caller {
            who: "other_recruiter",
            token: &org.other_recruiter.token,
        },
        Caller {
            who: "outsider",
            token: &org.outsider.token,
        },
    ]
}

/// The expected status per caller, in the order of `callers`.
fn expect(app: &TestApp, org: &Org, what: &str, send: impl Fn(&str) -> u16, expected: [u16; 7]) {
    for (caller, want) in callers(app, org).iter().zip(expected) {
        let got = send(caller.token);
        assert_eq!(got, want, "{what} as {}", caller.who);
    }
}

#[test]
fn reading_a_loop_is_for_participants_and_admins_only() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    let id = lp["id"].as_i64().unwrap();
    //            admin recruiter hm   br   interviewer other_recruiter outsider
    let matrix: [(String, [u16; 7]); 6] = [
        (
            api::loop_(id.loop_id()),
            [200, 200, 200, 200, 200, 404, 404],
        ),
        (
            format!("/api/v1/loops/{id}/events"),
            [200, 200, 200, 200, 200, 404, 404],
        ),
        (
            format!("/api/v1/loops/{id}/events/verify"),
            [200, 200, 200, 200, 200, 404, 404],
        ),
        (
            format!("/api/v1/loops/{id}/independence"),
            [200, 200, 200, 200, 403, 404, 404],
        ),
        (
            format!("/api/v1/loops/{id}/bar-raiser-suggestions"),
            [200, 200, 403, 403, 403, 404, 404],
        ),
        ("/api/v1/loops/999999".to_owned(), [404; 7]),
    ];
    for (path, want) in matrix {
        expect(
            &app,
            &org,
            &format!("GET {path}"),
            |t| app.get(&path, t).status,
            want,
        );
    }
    let outsider = app.get(&api::loop_(id.loop_id()), &org.outsider.token);
    let unknown = app.get("/api/v1/loops/999999", &org.outsider.token);
    assert_eq!(
        outsider.body, unknown.body,
        "a hidden loop looks exactly like a missing one"
    );
}

#[test]
fn only_its_recruiter_and_admins_change_a_loop() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    let id = lp["id"].as_i64().unwrap();
    let patch = |t: &str| {
        app.patch(
            &api::loop_(id.loop_id()),
            t,
            json!({"bar_raiser_id": org.br.id}),
        )
        .status
    };
    expect(
        &app,
        &org,
        "PATCH loop",
        patch,
        [200, 200, 403, 403, 403, 404, 404],
    );
    let denied = app.post(&api::loop_schedule(id.loop_id()), &org.hm.token, json!({}));
    denied.assert_problem(403, "not_allowed");
    for token in [&org.br.token, &org.kim.token] {
        assert_eq!(
            app.post(&api::loop_schedule(id.loop_id()), token, json!({}))
                .status,
            403
        );
        assert_eq!(
            app.post(
                &api::loop_cancel(id.loop_id()),
                token,
                json!({"reason": "no"})
            )
            .status,
            403
        );
    }
    for token in [&org.other_recruiter.token, &org.outsider.token] {
        assert_eq!(
            app.post(&api::loop_schedule(id.loop_id()), token, json!({}))
                .status,
            404
        );
        assert_eq!(
            app.post(
                &api::loop_cancel(id.loop_id()),
                token,
                json!({"reason": "no"})
            )
            .status,
            404
        );
    }
    assert_eq!(
        app.get(&api::loop_(id.loop_id()), &org.recruiter.token)
            .body["status"],
        "draft"
    );
    assert_eq!(
        app.post(
            &api::loop_schedule(id.loop_id()),
            &app.admin_token,
            json!({})
        )
        .status,
        200
    );
    assert_eq!(
        app.post(
            &api::loop_cancel(id.loop_id()),
            &org.recruiter.token,
            json!({"reason": "filled"})
        )
        .status,
        200
    );
}

#[test]
fn a_recruiter_demoted_to_member_can_no_longer_change_their_loops() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    app.update_user(org.recruiter.id, json!({"role": "member"}));
    let token = app.login(&org.recruiter.email, crate::helpers::PASSWORD);
    app.post(&api::loop_schedule(lp["id"].loop_id()), &token, json!({}))
        .assert_problem(403, "not_allowed");
    assert_eq!(
        app.get(&api::loop_(lp["id"].loop_id()), &token).status,
        200,
        "still a participant"
    );
}

#[test]
fn the_loop_list_shows_only_what_the_caller_may_see() {
    let app = spawn_app();
    let org = Org::new(&app);
    org.create_loop(&app);
    let count = |t: &str| {
        app.get(api::LOOPS, t).body["items"]
            .as_array()
            .unwrap()
            .len()
    };
    expect(
        &app,
        &org,
        "GET /loops",
        |t| count(t) as u16,
        [1, 1, 1, 1, 1, 0, 0],
    );
    assert_eq!(count(&org.ana.token), 1, "Ana interviews");
    assert_eq!(count(&org.ola.token), 0, "Ola has no part");
}

#[test]
fn members_cannot_create_requisitions_candidates_or_loops() {
    let app = spawn_app();
    let org = Org::new(&app);
    for token in [&org.hm.token, &org.br.token, &org.outsider.token] {
        app.post(
            api::REQUISITIONS,
            token,
            json!({"title": "X", "hiring_manager_id": org.hm.id, "competency_ids": org.competencies}),
        )
        .assert_problem(403, "recruiter_only");
        let listed = app.get(api::REQUISITIONS, token);
        assert_eq!(listed.status, 200, "{}", listed.body);
        let expected = if *token == org.hm.token { 1 } else { 0 };
        assert_eq!(
            listed.body["items"].as_array().unwrap().len(),
            expected,
            "a hiring manager reads only their own requisitions"
        );
        app.post(
            api::CANDIDATES,
            token,
            json!({"name": "X", "email": "x@example.net"}),
        )
        .assert_problem(403, "recruiter_only");
        app.post(api::LOOPS, token, org.loop_body())
            .assert_problem(403, "recruiter_only");
    }
}

#[test]
fn another_recruiter_cannot_see_or_use_a_requisition_or_candidate_they_do_not_own() {
    let app = spawn_app();
    let org = Org::new(&app);
    let rob = &org.other_recruiter;
    app.get(
        &format!("/api/v1/requisitions/{}", org.requisition_id),
        &rob.token,
    )
    .assert_problem(404, "not_found");
    assert_eq!(
        app.get(api::REQUISITIONS, &rob.token).body["items"],
        json!([])
    );
    app.get(
        &format!("/api/v1/candidates/{}", org.candidate_id),
        &rob.token,
    )
    .assert_problem(404, "not_found");
    let res = app.post(api::LOOPS, &rob.token, org.loop_body());
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.fields(), ["requisition_id"]);
    let res = app.request(
        "DELETE",
        &format!("/api/v1/candidates/{}", org.candidate_id),
        Some(&rob.token),
        None,
    );
    res.assert_problem(404, "not_found");
}

#[test]
fn the_people_of_a_loop_see_its_candidate_and_nobody_else_does() {
    let app = spawn_app();
    let org = Org::new(&app);
    let path = format!("/api/v1/candidates/{}", org.candidate_id);
    assert_eq!(app.get(&path, &org.kim.token).status, 404, "no loop yet");
    org.create_loop(&app);
    let read = |t: &str| app.get(&path, t).status;
    expect(
        &app,
        &org,
        "GET candidate",
        read,
        [200, 200, 200, 200, 200, 404, 404],
    );
    let erase = |t: &str| app.request("DELETE", &path, Some(t), None).status;
    assert_eq!(erase(&org.kim.token), 403, "an interviewer may not erase");
    assert_eq!(erase(&org.outsider.token), 404);
}
