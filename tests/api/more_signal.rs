//! More signal (SPEC §11): the bar raiser closes with `more_signal` on named
//! competencies, the loop goes back to `scheduled`, the recruiter adds a
//! follow-up interview (under the independence rules), the debrief reopens on
//! its feedback with everything said before kept, and the hiring manager may
//! ask once more, once per loop.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};

use barraiser::domain::LoopId;
use barraiser::urls::api;

use crate::debrief::all_submitted;
use crate::fixtures::{Org, editable_panel, interview_of};
use crate::helpers::{TestApp, TestResponse, TestUser, spawn_app};

fn signal_requests(app: &TestApp, lp: &Value, token: &str) -> TestResponse {
    let id = LoopId(lp["id"].as_i64().unwrap());
    app.get(&api::signal_requests(id), token)
}

/// An interview for `who` on `competencies` that started an hour ago.
fn follow_up(who: &TestUser, competencies: &[i64]) -> Value {
    let start = Utc::now() - TimeDelta::hours(1);
    json!({
        "interviewer_id": who.id,
        "competency_ids": competencies,
        "starts_at": start.to_rfc3339(),
        "ends_at": (start + TimeDelta::minutes(45)).to_rfc3339(),
    })
}

/// The recruiter adds `who`'s follow-up interview to the loop's panel.
fn add_follow_up(app: &TestApp, org: &Org, lp: &Value, who: &TestUser, on: &[i64]) -> TestResponse {
    let current = app.get_loop(&org.recruiter, lp);
    let mut panel = editable_panel(&current.body);
    panel.push(follow_up(who, on));
    app.edit_loop(&org.recruiter, lp, json!({ "interviews": panel }))
}

fn emails(people: &[&TestUser]) -> Vec<String> {
    let mut out: Vec<String> = people.iter().map(|u| u.email.clone()).collect();
    out.sort();
    out
}

#[test]
fn more_signal_sends_the_loop_back_for_a_follow_up_and_the_debrief_reopens_on_its_feedback() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = all_submitted(&app, &org);
    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);
    d.read_and_vote(&[(&org.br, "hire"), (&org.kim, "hire")]);
    let note = d.note(
        &org.br,
        json!({"competency_id": dive, "text": "Dive Deep rests on one story."}),
    );
    assert_eq!(note.status, 201, "{}", note.body);

    // Refusals: the competencies are named, belong to the loop, go only with
    // more_signal, never with a veto; only the bar raiser closes; the hiring
    // manager's turn has not come.
    let ask = |competency_ids: Value| json!({"recommendation": "more_signal", "competency_ids": competency_ids, "rationale": "Nobody probed Dive Deep."});
    let res = d.close(
        &org.br,
        json!({"recommendation": "more_signal", "rationale": "x"}),
    );
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.fields(), ["competency_ids"]);
    let res = d.close(&org.br, ask(json!([987_654])));
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.fields(), ["competency_ids"]);
    let res = d.close(
        &org.br,
        json!({"recommendation": "hire", "competency_ids": [dive], "rationale": "x"}),
    );
    assert_eq!(res.fields(), ["competency_ids"]);
    let mut vetoed = ask(json!([dive]));
    vetoed["veto"] = json!(true);
    assert_eq!(d.close(&org.br, vetoed).fields(), ["veto"]);
    d.close(&org.kim, ask(json!([dive])))
        .assert_problem(403, "bar_raiser_only");
    d.close(&org.outsider, ask(json!([dive])))
        .assert_problem(404, "not_found");
    d.decide(
        &org.hm,
        json!({"decision": "more_signal", "competency_ids": [dive], "rationale": "x"}),
    )
    .assert_problem(409, "invalid_transition");

    // The bar raiser asks, without waiting for every final vote.
    let res = d.close(&org.br, ask(json!([dive])));
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["status"], "scheduled");
    assert_eq!(
        app.recipients_of("more_signal_requested"),
        emails(&[&org.recruiter])
    );
    let mail = &app.outbox_of("more_signal_requested")[0];
    assert!(
        mail["subject"]
            .as_str()
            .unwrap()
            .starts_with("More signal needed: Casey Candidate"),
        "{mail}"
    );

    let requests = signal_requests(&app, &lp, &org.recruiter.token);
    assert_eq!(requests.status, 200, "{}", requests.body);
    let r = &requests.body[0];
    assert_eq!(r["requested_as"], "bar_raiser");
    assert_eq!(r["competency_ids"], json!([dive]));
    assert_eq!(r["reopened_at"], Value::Null);
    assert_eq!(r["uncovered_competency_ids"], json!([dive]));
    assert!(r.get("rationale").is_none(), "no debrief content: {r}");
    signal_requests(&app, &lp, &org.outsider.token).assert_problem(404, "not_found");

    // The packet stays with those who read it; the votes stay sealed.
    let packet = d.packet(&org.kim.token);
    assert_eq!(packet.status, 200, "{}", packet.body);
    assert_eq!(packet.body["votes_revealed"], false);
    d.packet(&org.hm.token)
        .assert_problem(403, "debrief_not_open");

    // The follow-up's interviewer passes the independence rules like any:
    // a panel member cannot interview twice.
    let res = add_follow_up(&app, &org, &lp, &org.kim, &[dive]);
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.fields(), ["interviews[4].interviewer_id"]);
    let edited = add_follow_up(&app, &org, &lp, &org.ola, &[dive]);
    assert_eq!(edited.status, 200, "{}", edited.body);
    let lp = edited.body;
    let follow_up_id = interview_of(&lp, &org.ola);
    let r = &signal_requests(&app, &lp, &org.ola.token).body[0];
    assert_eq!(r["follow_up_interview_ids"], json!([follow_up_id]));
    assert_eq!(r["uncovered_competency_ids"], json!([]));
    assert_eq!(r["awaiting_feedback_interview_ids"], json!([follow_up_id]));

    // Blind until submitted, then the debrief reopens by itself.
    d.packet(&org.ola.token)
        .assert_problem(403, "submit_own_feedback_first");
    app.write_and_submit(&lp, &org.ola, &[(dive, 2)], "no_hire");
    let now = app.get_loop(&org.recruiter, &lp);
    assert_eq!(now.body["status"], "in_debrief");
    assert!(signal_requests(&app, &lp, &org.recruiter.token).body[0]["reopened_at"].is_string());
    assert_eq!(
        app.recipients_of("debrief_reopened"),
        emails(&[
            &org.br,
            &org.kim,
            &org.lee,
            &org.ana,
            &org.ola,
            &org.hm,
            &org.recruiter
        ])
    );

    // Everything said before is kept; the newcomer's vote is awaited too.
    let packet = d.packet(&org.hm.token).body;
    assert_eq!(packet["notes"].as_array().unwrap().len(), 1);
    assert_eq!(
        packet["more_signal"][0]["rationale"],
        "Nobody probed Dive Deep."
    );
    let kim = packet["votes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["user_id"] == org.kim.id)
        .unwrap();
    assert_eq!(kim["has_final_vote"], true);
    let res = d.close(
        &org.br,
        json!({"recommendation": "hire", "rationale": "Enough now."}),
    );
    res.assert_problem(409, "final_votes_missing");
    let mut missing: Vec<i64> = res.body["missing_user_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    missing.sort_unstable();
    let mut expected = vec![org.lee.id, org.ana.id, org.ola.id];
    expected.sort_unstable();
    assert_eq!(missing, expected);
    d.read_and_vote(&[
        (&org.lee, "hire"),
        (&org.ana, "hire"),
        (&org.ola, "no_hire"),
    ]);
    let closed = d.close(
        &org.br,
        json!({"recommendation": "hire", "rationale": "Enough now."}),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);

    // The hiring manager asks once: the bar raiser's close is set aside, kept.
    let res = d.decide(
        &org.hm,
        json!({"decision": "more_signal", "competency_ids": [own], "rationale": "Ownership at scale is untested."}),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["status"], "scheduled");
    assert_eq!(
        app.recipients_of("more_signal_requested"),
        emails(&[&org.recruiter, &org.recruiter, &org.br])
    );
    let lp = add_follow_up(&app, &org, &lp, &org.outsider, &[own]).body;
    app.write_and_submit(&lp, &org.outsider, &[(own, 3)], "hire");
    let packet = d.packet(&org.hm.token).body;
    assert_eq!(packet["status"], "in_debrief");
    assert_eq!(
        packet["recommendation"],
        Value::Null,
        "the close was set aside"
    );
    let second = &packet["more_signal"][1];
    assert_eq!(second["requested_as"], "hiring_manager");
    assert_eq!(second["previous_recommendation"], "hire");
    assert_eq!(second["previous_rationale"], "Enough now.");

    d.read_and_vote(&[(&org.outsider, "hire")]);
    assert_eq!(
        d.close(
            &org.br,
            json!({"recommendation": "hire", "rationale": "Clear now."})
        )
        .status,
        200
    );
    d.decide(
        &org.hm,
        json!({"decision": "more_signal", "competency_ids": [own], "rationale": "Again?"}),
    )
    .assert_problem(409, "more_signal_used");
    let decided = d.decide(&org.hm, json!({"decision": "hire", "rationale": "Clear."}));
    assert_eq!(decided.status, 200, "{}", decided.body);
    assert_eq!(decided.body["status"], "decided");

    // The trail says it all, and verifies.
    let id = LoopId(lp["id"].as_i64().unwrap());
    let events = app
        .get(
            &format!("{}?limit=200", api::loop_events(id)),
            &app.admin_token,
        )
        .body;
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "debrief_reopened").count(),
        2
    );
    assert!(kinds.contains(&"more_signal_requested"));
    assert_eq!(app.verify_events(&app.admin_token, &lp).body["ok"], true);
}

/// A loop whose bar raiser opened the debrief and closed it asking for more
/// signal on `competency_ids`.
fn sent_back_for_more_signal(app: &TestApp, org: &Org, competency_ids: &[i64]) -> Value {
    let lp = all_submitted(app, org);
    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);
    let res = d.close(
        &org.br,
        json!({"recommendation": "more_signal", "competency_ids": competency_ids, "rationale": "Thin."}),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    lp
}

#[test]
fn the_bar_raiser_may_reopen_by_hand_before_the_follow_up_with_a_reason() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [_, dive] = org.competencies;
    let lp = sent_back_for_more_signal(&app, &org, &[dive]);
    let d = app.debrief(&lp);
    let lp = add_follow_up(&app, &org, &lp, &org.ola, &[dive]).body;

    // The follow-up has no feedback: opening needs a reason, as any debrief.
    let res = d.open(&org.br, None);
    res.assert_problem(409, "feedback_incomplete");
    assert_eq!(
        res.body["missing_interview_ids"],
        json!([interview_of(&lp, &org.ola)])
    );
    let res = d.open(
        &org.br,
        Some(json!({"override_reason": "The candidate withdrew from further interviews."})),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["status"], "in_debrief");
    let r = &signal_requests(&app, &lp, &org.recruiter.token).body[0];
    assert!(r["reopened_at"].is_string(), "{r}");
    assert_eq!(
        r["awaiting_feedback_interview_ids"],
        json!([interview_of(&lp, &org.ola)])
    );

    // Late feedback from the follow-up changes nothing about the status.
    app.write_and_submit(&lp, &org.ola, &[(dive, 3)], "hire");
    assert_eq!(
        app.get_loop(&org.recruiter, &lp).body["status"],
        "in_debrief"
    );
}

#[test]
fn a_follow_up_that_misses_a_named_competency_does_not_reopen_the_debrief() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = sent_back_for_more_signal(&app, &org, &[own, dive]);
    let lp = add_follow_up(&app, &org, &lp, &org.ola, &[dive]).body;
    app.write_and_submit(&lp, &org.ola, &[(dive, 3)], "hire");
    assert_eq!(
        app.get_loop(&org.recruiter, &lp).body["status"],
        "scheduled"
    );
    let r = &signal_requests(&app, &lp, &org.recruiter.token).body[0];
    assert_eq!(r["uncovered_competency_ids"], json!([own]));
    assert_eq!(r["reopened_at"], Value::Null);

    // A second follow-up covers the rest; its feedback reopens the debrief.
    let lp = add_follow_up(&app, &org, &lp, &org.outsider, &[own]).body;
    app.write_and_submit(&lp, &org.outsider, &[(own, 3)], "hire");
    assert_eq!(
        app.get_loop(&org.recruiter, &lp).body["status"],
        "in_debrief"
    );
}

#[test]
fn the_hiring_manager_cannot_ask_for_more_signal_on_a_vetoed_loop() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [_, dive] = org.competencies;
    let lp = all_submitted(&app, &org);
    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);
    d.read_and_vote(&[
        (&org.br, "hire"),
        (&org.kim, "hire"),
        (&org.lee, "hire"),
        (&org.ana, "hire"),
    ]);
    let closed = d.close(
        &org.br,
        json!({"recommendation": "no_hire", "veto": true, "rationale": "Integrity concern."}),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    d.decide(
        &org.hm,
        json!({"decision": "more_signal", "competency_ids": [dive], "rationale": "Let us look again."}),
    )
    .assert_problem(409, "vetoed");
    d.decide(
        &org.recruiter,
        json!({"decision": "more_signal", "competency_ids": [dive], "rationale": "x"}),
    )
    .assert_problem(403, "hiring_manager_only");
}
