//! The debrief: open → read → re-vote → notes → close → decide → commit, the
//! composite beside it, every refusal, and concurrent closes and decisions.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};

use barraiser::urls::api;

use crate::client::LoopRef;

use crate::fixtures::{Org, interview_of};
use crate::helpers::{TestApp, TestResponse, spawn_app};

/// Interviews five hours ago: all started, feedback not yet due.
pub fn started(app: &TestApp, org: &Org) -> Value {
    org.a_loop().started().schedule(app)
}

/// A started loop whose four interviewers all submitted: `hire`, every
/// competency rated 3.
pub fn all_submitted(app: &TestApp, org: &Org) -> Value {
    let [own, dive] = org.competencies;
    let lp = started(app, org);
    app.write_and_submit(&lp, &org.br, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.kim, &[(dive, 3)], "hire");
    app.write_and_submit(&lp, &org.lee, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.ana, &[(own, 3), (dive, 3)], "hire");
    lp
}

/// A loop whose debrief the bar raiser closed (hire): it awaits the hiring
/// manager's decision.
pub fn awaiting_decision(app: &TestApp, org: &Org) -> Value {
    let lp = all_submitted(app, org);
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
        json!({"recommendation": "hire", "rationale": "Strong evidence."}),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    lp
}

#[test]
fn the_bar_raiser_leads_the_debrief_and_the_hiring_manager_decides_beside_the_composite() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = started(&app, &org);
    let d = app.debrief(&lp);

    // Not yet: nobody has submitted.
    let res = d.open(&org.br, None);
    res.assert_problem(409, "feedback_incomplete");
    assert_eq!(
        res.body["missing_interview_ids"].as_array().unwrap().len(),
        4
    );
    for who in [&org.recruiter, &org.hm, &org.kim] {
        d.open(who, None).assert_problem(403, "bar_raiser_only");
    }
    d.open(&org.outsider, None).assert_problem(404, "not_found");

    // Own 3, 1, 3 (diverged) → 2.333; Dive Deep 1, 2 → 1.5 < 2.0;
    // votes 3, 3, 4, 3 → 3.25 ≥ 2.5: the band is no_hire all the same.
    app.write_and_submit(&lp, &org.br, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.kim, &[(dive, 1)], "hire");
    app.write_and_submit(&lp, &org.lee, &[(own, 1)], "strong_hire");
    app.write_and_submit(&lp, &org.ana, &[(own, 3), (dive, 2)], "hire");

    let opened = d.open(&org.br, None);
    assert_eq!(opened.status, 200, "{}", opened.body);
    assert_eq!(opened.body["status"], "in_debrief");
    d.open(&org.br, None)
        .assert_problem(409, "invalid_transition");
    let mut to: Vec<String> = app
        .outbox_of("debrief_opened")
        .iter()
        .map(|m| m["to"][0].as_str().unwrap().to_owned())
        .collect();
    to.sort();
    let mut expected: Vec<String> = [
        &org.br,
        &org.kim,
        &org.lee,
        &org.ana,
        &org.hm,
        &org.recruiter,
    ]
    .iter()
    .map(|u| u.email.clone())
    .collect();
    expected.sort();
    assert_eq!(
        to, expected,
        "the panel, the hiring manager and the recruiter"
    );

    // Read → re-vote.
    d.vote(&org.kim, json!({"vote": "hire"}))
        .assert_problem(409, "packet_not_read");
    let read = d.read(&org.kim);
    assert_eq!(read.status, 200, "{}", read.body);
    assert_eq!(read.body["read_receipts"][0]["user_id"], org.kim.id);
    let res = d.vote(&org.kim, json!({"vote": "no_hire"}));
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.fields(), ["reason"]);
    assert_eq!(
        d.vote(
            &org.kim,
            json!({"vote": "no_hire", "reason": "Dive Deep was thin across the panel."})
        )
        .status,
        200
    );
    let res = d.vote(&org.kim, json!({"vote": "hire"}));
    assert_eq!(res.status, 200, "back to the initial vote needs no reason");
    let kim_votes = res.body["votes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["user_id"] == org.kim.id)
        .unwrap()
        .clone();
    assert_eq!(kim_votes["initial"], "hire");
    assert_eq!(kim_votes["final"], "hire");
    assert_eq!(
        kim_votes["changes"].as_array().unwrap().len(),
        2,
        "changes are kept"
    );
    assert_eq!(kim_votes["changes"][0]["vote"], "no_hire");

    // Notes: the bar raiser's, about the loop's competencies.
    let note = d.note(
        &org.br,
        json!({"competency_id": dive, "text": "Probe the on-call story."}),
    );
    assert_eq!(note.status, 201, "{}", note.body);
    d.note(&org.kim, json!({"text": "x"}))
        .assert_problem(403, "bar_raiser_only");
    let bad = d.note(&org.br, json!({"competency_id": 999_999, "text": "x"}));
    assert_eq!(bad.fields(), ["competency_id"]);

    // Close: only when everyone who submitted has voted; a veto only with no_hire.
    let close = json!({"recommendation": "hire", "rationale": "Strong ownership; coach on depth."});
    let res = d.close(&org.br, close.clone());
    res.assert_problem(409, "final_votes_missing");
    let mut missing: Vec<i64> = res.body["missing_user_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    missing.sort();
    let mut others = vec![org.br.id, org.lee.id, org.ana.id];
    others.sort();
    assert_eq!(missing, others);
    d.read_and_vote(&[
        (&org.br, "hire"),
        (&org.lee, "strong_hire"),
        (&org.ana, "hire"),
    ]);
    let res = d.close(
        &org.br,
        json!({"recommendation": "hire", "veto": true, "rationale": "r"}),
    );
    assert_eq!(res.fields(), ["veto"]);
    d.close(&org.kim, close.clone())
        .assert_problem(403, "bar_raiser_only");
    let closed = d.close(&org.br, close.clone());
    assert_eq!(closed.status, 200, "{}", closed.body);
    assert_eq!(closed.body["status"], "awaiting_decision");
    d.vote(&org.kim, json!({"vote": "hire"}))
        .assert_problem(409, "debrief_not_open");

    // Decide: the hiring manager alone.
    let decision = json!({"decision": "hire", "rationale": "The team needs her ownership now."});
    for who in [&org.br, &org.recruiter] {
        d.decide(who, decision.clone())
            .assert_problem(403, "hiring_manager_only");
    }
    d.decide_with(&app.admin_token, decision.clone())
        .assert_problem(403, "hiring_manager_only");
    let decided = d.decide(&org.hm, decision.clone());
    assert_eq!(decided.status, 200, "{}", decided.body);
    assert_eq!(decided.body["status"], "decided");
    d.decide(&org.hm, decision)
        .assert_problem(409, "invalid_transition");
    let mut told: Vec<String> = app
        .outbox_of("decision_recorded")
        .iter()
        .map(|m| m["to"][0].as_str().unwrap().to_owned())
        .collect();
    told.sort();
    let mut expected: Vec<String> = [&org.br, &org.kim, &org.lee, &org.ana, &org.recruiter]
        .iter()
        .map(|u| u.email.clone())
        .collect();
    expected.sort();
    assert_eq!(told, expected, "the recruiter and the panel");

    // Disagree and commit, once each, panel members only.
    let c = d.commit(
        &org.kim,
        Some(json!({"dissent": "I would have waited for a deeper system design round."})),
    );
    assert_eq!(c.status, 201, "{}", c.body);
    d.commit(&org.kim, None)
        .assert_problem(409, "already_committed");
    assert_eq!(d.commit(&org.lee, None).status, 201);
    d.commit(&org.recruiter, None)
        .assert_problem(403, "panel_only");

    // The packet: evidence side by side, the composite, votes, tally, everything.
    let p = d.packet(&org.recruiter.token);
    assert_eq!(p.status, 200, "{}", p.body);
    let comp = |id: i64| {
        p.body["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["competency_id"] == id)
            .unwrap()
            .clone()
    };
    let ownership = comp(own);
    assert_eq!(ownership["ratings"].as_array().unwrap().len(), 3);
    assert_eq!(
        (ownership["lowest"].clone(), ownership["highest"].clone()),
        (json!(1), json!(3))
    );
    assert_eq!(ownership["diverged"], true);
    assert_eq!(comp(dive)["diverged"], false);
    let composite = &p.body["composite"];
    assert_eq!(
        composite["competency_means"],
        json!([
            {"competency_id": own.min(dive), "mean": if own < dive { 2.333 } else { 1.5 }, "n": if own < dive { 3 } else { 2 }},
            {"competency_id": own.max(dive), "mean": if own < dive { 1.5 } else { 2.333 }, "n": if own < dive { 2 } else { 3 }},
        ])
    );
    assert_eq!(composite["vote_score"], 3.25);
    assert_eq!(
        composite["band"], "no_hire",
        "Dive Deep's mean is below 2.0"
    );
    assert_eq!(p.body["decision"]["decision"], "hire");
    assert_eq!(p.body["decision"]["agrees_with_composite"], false);
    assert_eq!(p.body["decision"]["composite"], *composite);
    assert_eq!(p.body["tally"]["initial"]["hire"], 3);
    assert_eq!(p.body["tally"]["initial"]["strong_hire"], 1);
    assert_eq!(p.body["tally"]["final"]["hire"], 3);
    assert_eq!(p.body["recommendation"], "hire");
    assert_eq!(p.body["veto"], false);
    assert_eq!(p.body["notes"][0]["competency_id"], dive);
    assert_eq!(p.body["read_receipts"].as_array().unwrap().len(), 4);
    assert_eq!(p.body["commitments"].as_array().unwrap().len(), 2);

    // Every step is in the hash chain, which still verifies.
    let events = app.get(
        &format!("{}?limit=200", api::loop_events(d.id)),
        &org.recruiter.token,
    );
    let kinds: Vec<&str> = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "debrief_opened",
        "packet_read",
        "final_vote_cast",
        "debrief_note",
        "debrief_closed",
        "decision_recorded",
        "commitment_recorded",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let verify = app.verify_events(&org.recruiter.token, &d.id);
    assert_eq!(verify.body["ok"], true, "{}", verify.body);
}

#[test]
fn an_override_opens_with_missing_feedback_and_a_veto_forbids_hiring() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = started(&app, &org);
    let d = app.debrief(&lp);
    app.write_and_submit(&lp, &org.br, &[(own, 2)], "no_hire");
    app.write_and_submit(&lp, &org.kim, &[(dive, 2)], "no_hire");
    app.write_and_submit(&lp, &org.lee, &[(own, 3)], "hire");

    let res = d.open(
        &org.br,
        Some(json!({"override_reason": "Ana is on leave for two weeks."})),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let p = d.packet(&org.recruiter.token);
    assert_eq!(p.body["override_reason"], "Ana is on leave for two weeks.");
    assert_eq!(
        p.body["missing_interview_ids"],
        json!([interview_of(&lp, &org.ana)])
    );

    // Ana, still blind, cannot read; her late feedback is marked so.
    d.packet(&org.ana.token)
        .assert_problem(403, "submit_own_feedback_first");
    d.read(&org.ana)
        .assert_problem(403, "submit_own_feedback_first");
    let late = app.write_and_submit(&lp, &org.ana, &[(own, 2), (dive, 2)], "no_hire");
    assert_eq!(late["timing"], "late_after_debrief");

    d.read_and_vote(&[
        (&org.br, "no_hire"),
        (&org.kim, "no_hire"),
        (&org.lee, "hire"),
        (&org.ana, "no_hire"),
    ]);
    let closed = d.close(
        &org.br,
        json!({"recommendation": "no_hire", "veto": true, "rationale": "Raised no bar on ownership."}),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    d.decide(
        &org.hm,
        json!({"decision": "hire", "rationale": "We need someone."}),
    )
    .assert_problem(409, "vetoed");
    let decided = d.decide(
        &org.hm,
        json!({"decision": "no_hire", "rationale": "Agreed."}),
    );
    assert_eq!(decided.status, 200, "{}", decided.body);
    let p = d.packet(&org.hm.token);
    assert_eq!(p.body["veto"], true);
    assert_eq!(p.body["decision"]["agrees_with_composite"], true);
}

#[test]
fn the_debrief_refuses_drafts_and_red_loops_and_opens_the_feedback_to_the_rest() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let draft = org.create_loop(&app);
    app.debrief(&draft)
        .open(&org.br, Some(json!({"override_reason": "x"})))
        .assert_problem(409, "invalid_transition");
    app.cancel_loop(&org.recruiter, &draft["id"], "Duplicate");

    let lp = org
        .a_loop()
        .at(Utc::now() - TimeDelta::hours(5))
        .for_new_candidate(&app, "Second Candidate")
        .schedule(&app);
    let d = app.debrief(&lp);
    for (who, ratings) in [
        (&org.br, vec![(own, 3)]),
        (&org.kim, vec![(dive, 3)]),
        (&org.lee, vec![(own, 3)]),
        (&org.ana, vec![(own, 3), (dive, 3)]),
    ] {
        app.write_and_submit(&lp, who, &ratings, "hire");
    }
    // Before the debrief: the recruiter, the hiring manager (not on the panel) and admins are blind.
    let feedback = |token: &str| app.loop_feedback(token, &d.id);
    for token in [&org.recruiter.token, &org.hm.token, &app.admin_token] {
        feedback(token).assert_problem(403, "debrief_not_open");
        d.packet(token).assert_problem(403, "debrief_not_open");
    }

    // The report turns red: the bar raiser loses certification.
    let res = app.set_bar_raiser(org.br.id, "inactive");
    assert_eq!(res.status, 200);
    let red = d.open(&org.br, None);
    red.assert_problem(409, "independence_failed");
    assert!(
        red.body["failing"]
            .as_array()
            .is_some_and(|f| !f.is_empty())
    );
    app.certify(org.br.id);
    assert_eq!(d.open(&org.br, None).status, 200);

    // Once it is open, they see the panel's feedback and the packet.
    for token in [&org.recruiter.token, &org.hm.token, &app.admin_token] {
        let f = feedback(token);
        assert_eq!(f.status, 200, "{}", f.body);
        assert_eq!(f.body["items"].as_array().unwrap().len(), 4);
        assert_eq!(d.packet(token).status, 200);
    }
    feedback(&org.outsider.token).assert_problem(404, "not_found");
}

#[test]
fn concurrent_closes_and_decisions_have_exactly_one_outcome() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = started(&app, &org);
    let d = app.debrief(&lp);
    for (who, ratings) in [
        (&org.br, vec![(own, 3)]),
        (&org.kim, vec![(dive, 3)]),
        (&org.lee, vec![(own, 3)]),
        (&org.ana, vec![(own, 3), (dive, 3)]),
    ] {
        app.write_and_submit(&lp, who, &ratings, "hire");
    }
    assert_eq!(d.open(&org.br, None).status, 200);
    d.read_and_vote(&[
        (&org.br, "hire"),
        (&org.kim, "hire"),
        (&org.lee, "hire"),
        (&org.ana, "hire"),
    ]);

    let race = |f: &(dyn Fn() -> TestResponse + Sync)| -> Vec<u16> {
        let barrier = std::sync::Barrier::new(4);
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        barrier.wait();
                        f().status
                    })
                })
                .collect();
            let mut statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
            statuses.sort();
            statuses
        })
    };
    let closes = race(&|| {
        d.close(
            &org.br,
            json!({"recommendation": "hire", "rationale": "Yes."}),
        )
    });
    assert_eq!(closes, [200, 409, 409, 409]);
    let decisions = race(&|| d.decide(&org.hm, json!({"decision": "hire", "rationale": "Yes."})));
    assert_eq!(decisions, [200, 409, 409, 409]);
    let events = app.get(
        &format!("{}?limit=200", api::loop_events(d.id)),
        &org.recruiter.token,
    );
    let count = |kind: &str| {
        events.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == kind)
            .count()
    };
    assert_eq!(
        (count("debrief_closed"), count("decision_recorded")),
        (1, 1)
    );
    assert_eq!(
        app.outbox_of("decision_recorded").len(),
        5,
        "the panel and the recruiter, once"
    );
}

/// Interviews marked `awaiting_feedback`, and those whose mark disagrees with
/// what it stands for (the loop takes feedback, none of it is submitted).
fn awaiting_marks(app: &TestApp) -> (i64, i64) {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Marks {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        marked: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        wrong: i64,
    }
    let truth = "(l.status IN ('scheduled', 'in_debrief') AND NOT EXISTS (SELECT 1 FROM feedback f \
                 WHERE f.interview_id = i.id AND f.status = 'submitted'))";
    let m: Marks = diesel::sql_query(format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN i.awaiting_feedback THEN 1 ELSE 0 END), 0) AS BIGINT) AS marked, \
                CAST(COALESCE(SUM(CASE WHEN i.awaiting_feedback = {truth} THEN 0 ELSE 1 END), 0) AS BIGINT) AS wrong \
         FROM interviews i JOIN interview_loops l ON l.id = i.loop_id"
    ))
    .get_result(&mut *app.store().conn().unwrap())
    .unwrap();
    (m.marked, m.wrong)
}

/// The mark the feedback-due lists read through their index follows every
/// change of what it stands for: scheduling, submissions, a panel change, the
/// debrief, the decision and a cancellation.
#[test]
fn the_awaiting_feedback_mark_follows_the_loop_and_its_submissions() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = org.a_loop().started().create(&app);
    assert_eq!(awaiting_marks(&app), (0, 0), "a draft takes no feedback");
    let scheduled = app.schedule(&org.recruiter, &lp["id"]);
    assert_eq!(scheduled.status, 200, "{}", scheduled.body);
    assert_eq!(awaiting_marks(&app), (4, 0), "scheduled: all four awaited");

    // A fifth interview joins the scheduled loop.
    let mut panel = crate::fixtures::editable_panel(&scheduled.body);
    let starts = Utc::now() - TimeDelta::hours(1);
    panel.push(json!({"interviewer_id": org.outsider.id, "competency_ids": [own],
        "starts_at": starts.to_rfc3339(), "ends_at": (starts + TimeDelta::minutes(45)).to_rfc3339()}));
    let res = app.patch(
        &api::loop_(lp["id"].loop_id()),
        &org.recruiter.token,
        json!({ "interviews": panel }),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let lp = res.body;
    assert_eq!(awaiting_marks(&app), (5, 0), "the new interview is awaited");

    app.write_and_submit(&lp, &org.br, &[(own, 2)], "no_hire");
    app.write_and_submit(&lp, &org.kim, &[(dive, 2)], "no_hire");
    app.write_and_submit(&lp, &org.lee, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.outsider, &[(own, 3)], "hire");
    assert_eq!(awaiting_marks(&app), (1, 0), "Ana's is still awaited");
    let due = app.get("/api/v1/me/interviews?status=feedback_due", &org.ana.token);
    assert_eq!(
        due.body["items"][0]["interview_id"],
        interview_of(&lp, &org.ana)
    );
    let d = app.debrief(&lp);
    let res = d.open(
        &org.br,
        Some(json!({"override_reason": "Ana is on leave."})),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        awaiting_marks(&app),
        (1, 0),
        "a loop in debrief still takes it"
    );
    app.write_and_submit(&lp, &org.ana, &[(own, 2), (dive, 2)], "no_hire");
    assert_eq!(awaiting_marks(&app), (0, 0));
    let due = app.get("/api/v1/me/interviews?status=feedback_due", &org.ana.token);
    assert_eq!(due.body["items"], json!([]));
    d.read_and_vote(&[
        (&org.br, "no_hire"),
        (&org.kim, "no_hire"),
        (&org.lee, "hire"),
        (&org.outsider, "hire"),
        (&org.ana, "no_hire"),
    ]);
    let closed = d.close(
        &org.br,
        json!({"recommendation": "no_hire", "veto": false, "rationale": "Mixed on ownership."}),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    let decided = d.decide(
        &org.hm,
        json!({"decision": "no_hire", "rationale": "Agreed."}),
    );
    assert_eq!(decided.status, 200, "{}", decided.body);
    assert_eq!(awaiting_marks(&app), (0, 0));

    // Another loop: scheduled, then cancelled before any feedback.
    let other = org
        .a_loop()
        .for_new_candidate(&app, "Nia Next")
        .create(&app);
    assert_eq!(app.schedule(&org.recruiter, &other["id"]).status, 200);
    assert_eq!(awaiting_marks(&app), (4, 0));
    let res = app.cancel_loop(&org.recruiter, &other["id"], "The candidate withdrew.");
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(awaiting_marks(&app), (0, 0), "a cancelled loop takes none");
}

/// Each interview's feedback status, as a loop read and the answers of
/// changes show it.
fn statuses_of(lp: &Value, org: &Org) -> Vec<(String, String)> {
    let name = |id: &Value| {
        [&org.br, &org.kim, &org.lee, &org.ana]
            .iter()
            .find(|u| *id == u.id)
            .map(|u| u.email.clone())
            .unwrap_or_default()
    };
    lp["interviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                name(&i["interviewer_id"]),
                i["feedback_status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The read of a loop, the page of loops and the answers of a panel change and
/// of the debrief's opening all show where each interview's feedback stands.
#[test]
fn loop_reads_and_the_answers_of_changes_show_each_interviews_feedback_status() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = started(&app, &org);
    let id = lp["id"].clone();
    app.write_and_submit(&lp, &org.br, &[(own, 3)], "hire");
    let draft = app.put(
        &format!(
            "/api/v1/interviews/{}/feedback",
            interview_of(&lp, &org.kim)
        ),
        &org.kim.token,
        json!({"ratings": [{"competency_id": dive, "rating": 3}]}),
    );
    assert_eq!(draft.status, 200, "{}", draft.body);
    let expected = vec![
        (org.br.email.clone(), "submitted".to_owned()),
        (org.kim.email.clone(), "draft".to_owned()),
        (org.lee.email.clone(), "pending".to_owned()),
        (org.ana.email.clone(), "pending".to_owned()),
    ];
    let read = app.get(&api::loop_(id.loop_id()), &org.recruiter.token);
    assert_eq!(statuses_of(&read.body, &org), expected, "GET /loops/{{id}}");
    let page = app.get(api::LOOPS, &org.recruiter.token);
    assert_eq!(
        statuses_of(&page.body["items"][0], &org),
        expected,
        "GET /loops"
    );

    // Ana's interview moves ten minutes later: the answer keeps the statuses.
    let mut panel = crate::fixtures::editable_panel(&read.body);
    let ana = panel
        .iter_mut()
        .find(|i| i["interviewer_id"] == org.ana.id)
        .unwrap();
    let ends: chrono::DateTime<Utc> = ana["ends_at"].as_str().unwrap().parse().unwrap();
    ana["ends_at"] = json!((ends + TimeDelta::minutes(10)).to_rfc3339());
    let changed = app.patch(
        &api::loop_(id.loop_id()),
        &org.recruiter.token,
        json!({ "interviews": panel }),
    );
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(
        statuses_of(&changed.body, &org),
        expected,
        "PATCH /loops/{{id}}"
    );

    app.write_and_submit(&lp, &org.kim, &[(dive, 2)], "no_hire");
    let d = app.debrief(&id);
    let opened = d.open(&org.br, Some(json!({"override_reason": "Two are away."})));
    assert_eq!(opened.status, 200, "{}", opened.body);
    let expected = vec![
        (org.br.email.clone(), "submitted".to_owned()),
        (org.kim.email.clone(), "submitted".to_owned()),
        (org.lee.email.clone(), "pending".to_owned()),
        (org.ana.email.clone(), "pending".to_owned()),
    ];
    assert_eq!(
        statuses_of(&opened.body, &org),
        expected,
        "POST /loops/{{id}}/debrief"
    );
}

/// Who sees which final votes, read from the packet as `token` reads it:
/// `(user, final vote or null, has_final_vote)` for each panel member.
fn finals(d: &crate::client::Debrief<'_>, token: &str) -> Vec<(i64, Value, bool)> {
    let p = d.packet(token);
    assert_eq!(p.status, 200, "{}", p.body);
    p.body["votes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["user_id"].as_i64().unwrap(),
                v["final"].clone(),
                v["has_final_vote"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn final_votes_are_sealed_for_everyone_until_the_last_one_is_cast() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = started(&app, &org);
    app.write_and_submit(&lp, &org.br, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.kim, &[(dive, 2)], "no_hire");
    app.write_and_submit(&lp, &org.lee, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.ana, &[(own, 3), (dive, 3)], "hire");
    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);

    // Kim changes her vote; nobody else can tell how, only that she voted.
    assert_eq!(d.read(&org.kim).status, 200);
    let kim = d.vote(
        &org.kim,
        json!({"vote": "hire", "reason": "Lee's story settled my doubt."}),
    );
    assert_eq!(kim.status, 200, "{}", kim.body);
    let own_view = kim.body["votes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["user_id"] == org.kim.id)
        .unwrap()
        .clone();
    assert_eq!(own_view["final"], "hire", "one's own final vote is shown");
    assert_eq!(kim.body["votes_revealed"], false);
    for who in [&org.br, &org.hm, &org.recruiter] {
        let seen = finals(&d, &who.token);
        let kims = seen.iter().find(|(u, ..)| *u == org.kim.id).unwrap();
        assert_eq!(
            (kims.1.clone(), kims.2),
            (Value::Null, true),
            "sealed for {}",
            who.email
        );
    }
    let admin = d.packet(&app.admin_token);
    assert!(
        admin.body["votes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["final"].is_null() && v["changes"].as_array().unwrap().is_empty()),
        "admins too, and the changes (which would tell) are sealed with the vote"
    );
    assert_eq!(
        admin.body["tally"]["final"],
        json!({}),
        "no final tally yet"
    );

    // The last vote reveals them all at once.
    d.read_and_vote(&[(&org.br, "hire"), (&org.lee, "hire")]);
    let before = finals(&d, &org.hm.token);
    assert!(
        before
            .iter()
            .filter(|(u, ..)| *u == org.ana.id)
            .all(|(_, f, has)| f.is_null() && !has),
        "Ana has not voted"
    );
    assert!(
        before
            .iter()
            .all(|(u, f, _)| *u == org.ana.id || f.is_null())
    );
    d.read_and_vote(&[(&org.ana, "hire")]);
    let after = d.packet(&org.hm.token);
    assert_eq!(after.body["votes_revealed"], true);
    assert_eq!(after.body["tally"]["final"]["hire"], 4);
    let kims = finals(&d, &org.lee.token)
        .into_iter()
        .find(|(u, ..)| *u == org.kim.id)
        .unwrap();
    assert_eq!(kims.1, "hire");
}
