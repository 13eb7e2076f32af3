//! Loop assembly and life cycle.

use barraiser::urls::api;

use mail_parser::MessageParser;
use serde_json::{Value, json};
use std::time::Duration;

use crate::fixtures::{Org, at, date, failing, ics_stamp};
use crate::helpers::{TestApp, spawn_app};

#[test]
fn a_recruiter_creates_a_draft_loop_that_carries_its_report() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    assert_eq!(lp["status"], "draft");
    assert_eq!(lp["hiring_manager_id"], org.hm.id, "from the requisition");
    assert_eq!(lp["recruiter_id"], org.recruiter.id, "from the requisition");
    assert_eq!(lp["bar_raiser_id"], org.br.id);
    assert_eq!(lp["feedback_window_hours"], 24);
    let interviews = lp["interviews"].as_array().unwrap();
    assert_eq!(interviews.len(), 4);
    assert_eq!(interviews[0]["starts_at"], at(9));
    assert_eq!(
        interviews[0]["feedback_due_at"],
        format!("{}T10:00:00Z", date(1)),
        "ends_at + 24 h"
    );
    assert!(interviews.iter().all(|i| i["feedback_status"] == "pending"));
    assert_eq!(lp["independence"]["ok"], true, "{}", lp["independence"]);
    assert_eq!(lp["independence"]["checks"].as_array().unwrap().len(), 10);
    assert_eq!(lp["flagged"], false);
    assert!(
        app.outbox_of("interview_assigned").is_empty(),
        "drafts send no invitation"
    );
    let fetched = app.get_loop(&org.recruiter, &lp["id"]);
    assert_eq!(fetched.body, lp);
}

#[test]
fn a_loop_with_a_red_report_is_created_as_a_draft_and_cannot_be_scheduled_until_fixed() {
    let app = spawn_app();
    let org = Org::new(&app);
    let mut body = org.loop_body();
    body["bar_raiser_id"] = json!(org.ana.id); // not certified
    let lp = org.create_loop_with(&app, body);
    assert_eq!(lp["status"], "draft");
    assert_eq!(failing(&lp), ["bar_raiser_certified"]);

    let res = app.schedule(&org.recruiter, &lp["id"]);
    res.assert_problem(422, "independence_failed");
    let rules: Vec<&str> = res.body["failing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["bar_raiser_certified"]);
    assert_eq!(
        app.get_loop(&org.recruiter, &lp["id"]).body["status"],
        "draft"
    );

    let fixed = app.edit_loop(
        &org.recruiter,
        &lp["id"],
        json!({"bar_raiser_id": org.br.id}),
    );
    assert_eq!(fixed.status, 200, "{}", fixed.body);
    assert_eq!(fixed.body["independence"]["ok"], true);
    let scheduled = app.schedule(&org.recruiter, &lp["id"]);
    assert_eq!(scheduled.status, 200, "{}", scheduled.body);
    assert_eq!(scheduled.body["status"], "scheduled");
    app.schedule(&org.recruiter, &lp["id"])
        .assert_problem(409, "invalid_transition");
}

#[test]
fn scheduling_sends_each_interviewer_an_ics_invitation() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let invites = app.outbox_of("interview_assigned");
    assert_eq!(invites.len(), 4);
    let mut to: Vec<String> = invites
        .iter()
        .map(|m| m["to"][0].as_str().unwrap().to_owned())
        .collect();
    to.sort();
    let mut expected = vec![
        org.br.email.clone(),
        org.kim.email.clone(),
        org.lee.email.clone(),
        org.ana.email.clone(),
    ];
    expected.sort();
    assert_eq!(to, expected);
    let welcome_mails = 10; // one per user the fixture created
    let files = app.mail_files(welcome_mails + 4);
    let first_interview = lp["interviews"][0]["id"].as_i64().unwrap();
    let ics = files
        .iter()
        .filter_map(|raw| {
            let m = MessageParser::default().parse(raw)?;
            let part = m.attachments().next()?;
            Some(String::from_utf8(part.contents().to_vec()).unwrap())
        })
        .find(|ics| {
            let uid = app
                .links()
                .calendar_uid(barraiser::domain::InterviewId(first_interview));
            ics.contains(&format!("UID:{uid}")) && uid.ends_with("@barraiser.test")
        })
        .expect("the invitation of the first interview");
    assert!(
        ics.contains("METHOD:REQUEST") && ics.contains("SEQUENCE:0"),
        "{ics}"
    );
    assert!(
        ics.contains(&format!("DTSTART:{}", ics_stamp(0, 9))),
        "{ics}"
    );
    assert!(!ics.contains("Casey"), "no candidate data in invitations");
}

#[test]
fn patch_keeps_interviews_with_ids_adds_new_ones_and_removes_the_rest() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    let ids: Vec<i64> = lp["interviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    let [own, dive] = org.competencies;
    let mut keep_first = org.interview(&org.br, &[own, dive], 8);
    keep_first["id"] = json!(ids[0]);
    let mut keep_second = org.interview(&org.kim, &[dive], 10);
    keep_second["id"] = json!(ids[1]);
    let new_one = org.interview(&org.ola, &[own], 15);
    let res = app.edit_loop(
        &org.recruiter,
        &lp["id"],
        json!({"interviews": [keep_first, keep_second, new_one]}),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let after = res.body["interviews"].as_array().unwrap();
    assert_eq!(after.len(), 3);
    assert_eq!(after[0]["id"], ids[0]);
    assert_eq!(after[0]["starts_at"], at(8));
    assert_eq!(after[0]["competency_ids"], json!([own, dive]));
    assert_eq!(after[1]["id"], ids[1]);
    assert!(!ids.contains(&after[2]["id"].as_i64().unwrap()));
    assert_eq!(
        failing(&res.body),
        ["panel_size"],
        "3 of the 4 required interviews"
    );

    let mut foreign = org.interview(&org.lee, &[own], 16);
    foreign["id"] = json!(999_999);
    let res = app.edit_loop(&org.recruiter, &lp["id"], json!({"interviews": [foreign]}));
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.fields(), ["interviews[0].id"]);
    let mut swapped = org.interview(&org.lee, &[own], 8);
    swapped["id"] = json!(ids[0]);
    let res = app.edit_loop(&org.recruiter, &lp["id"], json!({"interviews": [swapped]}));
    assert_eq!(res.fields(), ["interviews[0].interviewer_id"]);
}

/// The calendar parts for one interview and method, waiting until `want` have arrived.
fn ics_of(
    app: &TestApp,
    min_files: usize,
    interview_id: i64,
    method: &str,
    want: usize,
) -> Vec<String> {
    let mut found = Vec::new();
    crate::smtp::wait_until(Duration::from_secs(30), || {
        found = ics_in(app.mail_files(min_files), interview_id, method);
        found.len() >= want
    });
    found
}

fn ics_in(files: Vec<Vec<u8>>, interview_id: i64, method: &str) -> Vec<String> {
    files
        .iter()
        .filter_map(|raw| {
            let m = MessageParser::default().parse(raw)?;
            let part = m.attachments().next()?;
            Some(String::from_utf8(part.contents().to_vec()).unwrap())
        })
        .filter(|ics| {
            ics.contains(&format!("UID:interview-{interview_id}."))
                && ics.contains(&format!("METHOD:{method}"))
        })
        .collect()
}

#[test]
fn moving_an_interview_of_a_scheduled_loop_updates_the_invitation_and_removing_one_cancels_it() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let mut panel: Vec<Value> = crate::fixtures::editable_panel(&lp);
    let moved_id = panel[1]["id"].as_i64().unwrap();
    panel[1]["starts_at"] = json!(at(15));
    panel[1]["ends_at"] = json!(at(16));
    let removed_id = panel[3]["id"].as_i64().unwrap();
    panel[3] = org.interview(&org.ola, &[org.competencies[1]], 17); // Ana out, Ola in
    let res = app.edit_loop(&org.recruiter, &lp["id"], json!({"interviews": panel}));
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["status"], "scheduled");
    assert_eq!(res.body["independence"]["ok"], true);

    assert_eq!(
        app.outbox_of("interview_assigned").len(),
        4 + 1,
        "the new interview"
    );
    let changed = app.outbox_of("interview_changed");
    assert_eq!(
        changed.len(),
        1,
        "the moved interview: its interviewer is told what changed"
    );
    assert!(
        changed[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Changed: interview with Casey Candidate"),
        "{}",
        changed[0]
    );
    assert_eq!(app.outbox_of("interview_cancelled").len(), 1);
    let total = 10 + 4 + 3;
    let moved = ics_of(&app, total, moved_id, "REQUEST", 2);
    assert!(
        moved.iter().any(|ics| ics.contains("SEQUENCE:1")
            && ics.contains(&format!("DTSTART:{}", ics_stamp(0, 15)))),
        "{moved:?}"
    );
    let cancelled = ics_of(&app, total, removed_id, "CANCEL", 1);
    assert_eq!(cancelled.len(), 1);
    assert!(cancelled[0].contains("STATUS:CANCELLED"));
}

#[test]
fn an_edit_that_would_turn_a_scheduled_green_loop_red_is_refused() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let res = app.edit_loop(
        &org.recruiter,
        &lp["id"],
        json!({"bar_raiser_id": org.kim.id}),
    );
    res.assert_problem(422, "independence_failed");
    let now = app.get_loop(&org.recruiter, &lp["id"]);
    assert_eq!(now.body["bar_raiser_id"], org.br.id, "nothing changed");
    assert_eq!(
        app.outbox_of("interview_assigned").len(),
        4,
        "no extra mail either"
    );
}

#[test]
fn cancelling_needs_a_reason_and_cancels_the_invitations() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    app.cancel_loop(&org.recruiter, &lp["id"], "  ")
        .assert_problem(422, "validation_failed");
    let res = app.cancel_loop(&org.recruiter, &lp["id"], "Candidate withdrew");
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["status"], "cancelled");
    assert_eq!(res.body["cancel_reason"], "Candidate withdrew");
    assert_eq!(app.outbox_of("interview_cancelled").len(), 4);
    app.cancel_loop(&org.recruiter, &lp["id"], "again")
        .assert_problem(409, "invalid_transition");
    app.edit_loop(
        &org.recruiter,
        &lp["id"],
        json!({"bar_raiser_id": org.br.id}),
    )
    .assert_problem(409, "loop_not_editable");
    app.schedule(&org.recruiter, &lp["id"])
        .assert_problem(409, "invalid_transition");
}

#[test]
fn bad_loop_input_is_refused_field_by_field_and_leaves_nothing_behind() {
    let app = spawn_app();
    let org = Org::new(&app);
    let gone = app.user("member", "Gone Away");
    app.update_user(gone.id, json!({"active": false}));
    let [own, _] = org.competencies;
    let iv = |who: i64, comps: Value, starts: &str, ends: &str| json!({"interviewer_id": who, "competency_ids": comps, "starts_at": starts, "ends_at": ends});
    let (s, e) = (at(9), at(10));
    let cases: Vec<(Value, Vec<&str>, &str)> = vec![
        (
            json!({"requisition_id": 999_999}),
            vec!["requisition_id"],
            "an unknown requisition",
        ),
        (
            json!({"candidate_id": 999_999}),
            vec!["candidate_id"],
            "an unknown candidate",
        ),
        (
            json!({"bar_raiser_id": 999_999}),
            vec!["bar_raiser_id"],
            "a bar raiser who is not a user",
        ),
        (
            json!({"bar_raiser_id": gone.id}),
            vec!["bar_raiser_id"],
            "an inactive bar raiser",
        ),
        (
            json!({"hiring_manager_id": 999_999}),
            vec!["hiring_manager_id"],
            "an unknown hiring manager",
        ),
        (
            json!({"recruiter_id": org.kim.id}),
            vec!["recruiter_id"],
            "a recruiter who is a member",
        ),
        (
            json!({"feedback_window_hours": 0}),
            vec!["feedback_window_hours"],
            "a zero feedback window",
        ),
        (
            json!({"interviews": [iv(999_999, json!([own]), &s, &e)]}),
            vec!["interviews[0].interviewer_id"],
            "an unknown interviewer",
        ),
        (
            json!({"interviews": [iv(gone.id, json!([own]), &s, &e)]}),
            vec!["interviews[0].interviewer_id"],
            "an inactive interviewer",
        ),
        (
            json!({"interviews": [iv(org.kim.id, json!([424_242]), &s, &e)]}),
            vec!["interviews[0].competency_ids"],
            "an unknown competency",
        ),
        (
            json!({"interviews": [iv(org.kim.id, json!([]), &s, &e)]}),
            vec!["interviews[0].competency_ids"],
            "no competency",
        ),
        (
            json!({"interviews": [iv(org.kim.id, json!([own]), &e, &s)]}),
            vec!["interviews[0].ends_at"],
            "ends before it starts",
        ),
        (
            json!({"interviews": [iv(org.kim.id, json!([own]), &s, &s)]}),
            vec!["interviews[0].ends_at"],
            "ends when it starts",
        ),
        (
            json!({"interviews": [iv(org.kim.id, json!([own]), &s, &e), iv(org.kim.id, json!([own]), &s, &e)]}),
            vec!["interviews[1].interviewer_id"],
            "the same interviewer twice",
        ),
        (
            json!({"interviews": [iv(org.kim.id, json!([own]), &format!("{}T09:00:00", date(0)), &format!("{} 10:00", date(0)))]}),
            vec!["interviews[0].starts_at", "interviews[0].ends_at"],
            "timestamps without an offset",
        ),
        (
            json!({"interviews": (0..21).map(|i| iv(1000 + i, json!([own]), &s, &e)).collect::<Vec<_>>()}),
            vec!["interviews"],
            "21 interviews",
        ),
    ];
    for (patch, fields, what) in cases {
        let mut body = org.loop_body();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = app.post(api::LOOPS, &org.recruiter.token, body);
        assert_eq!(res.status, 422, "{what}: {}", res.body);
        assert_eq!(res.code(), "validation_failed", "{what}");
        assert_eq!(res.fields(), fields, "{what}");
    }
    let mut body = org.loop_body();
    body["interviews"] = json!("not a list");
    app.post(api::LOOPS, &org.recruiter.token, body)
        .assert_problem(400, "malformed_request");
    let listed = app.get(api::LOOPS, &app.admin_token);
    assert_eq!(
        listed.body["items"],
        json!([]),
        "no partial loop was written"
    );
}

#[test]
fn timestamps_with_offsets_are_accepted_and_stored_in_utc() {
    let app = spawn_app();
    let org = Org::new(&app);
    let mut body = org.loop_body();
    let day = date(0);
    body["interviews"][0]["starts_at"] = json!(format!("{day}T11:00:00+02:00"));
    body["interviews"][0]["ends_at"] = json!(format!("{day}T06:00:00-04:00"));
    let lp = org.create_loop_with(&app, body);
    assert_eq!(lp["interviews"][0]["starts_at"], at(9));
    assert_eq!(lp["interviews"][0]["ends_at"], at(10));
}

#[test]
fn loops_are_listed_by_status_and_role_with_a_cursor() {
    let app = spawn_app();
    let org = Org::new(&app);
    let first = org.create_loop(&app);
    let second = org.scheduled_loop_with(&app, org.loop_body_for(&app, "Sol Second"));
    let third = org.create_loop_with(&app, org.loop_body_for(&app, "Tia Third"));
    let ids = |res: &crate::helpers::TestResponse| -> Vec<i64> {
        res.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_i64().unwrap())
            .collect()
    };
    let drafts = app.get("/api/v1/loops?status=draft", &org.recruiter.token);
    assert_eq!(
        ids(&drafts),
        [first["id"].as_i64().unwrap(), third["id"].as_i64().unwrap()]
    );
    let page = app.get("/api/v1/loops?limit=2", &org.kim.token);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = app.get(
        &format!("/api/v1/loops?limit=2&cursor={cursor}"),
        &org.kim.token,
    );
    assert_eq!(ids(&rest), [third["id"].as_i64().unwrap()]);
    assert_eq!(rest.body["next_cursor"], json!(null));
    assert_eq!(
        ids(&app.get(
            "/api/v1/loops?role=bar_raiser&status=scheduled",
            &org.br.token
        )),
        [second["id"].as_i64().unwrap()]
    );
    assert_eq!(
        ids(&app.get("/api/v1/loops?role=recruiter", &org.br.token)),
        Vec::<i64>::new()
    );
    assert_eq!(
        app.get("/api/v1/loops?role=hiring_manager", &org.hm.token)
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    app.get("/api/v1/loops?status=lost", &org.hm.token)
        .assert_problem(422, "validation_failed");
    app.get("/api/v1/loops?role=boss", &org.hm.token)
        .assert_problem(422, "validation_failed");
}

#[test]
fn an_interviewer_whose_competencies_change_is_told_what_changed() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let mut panel: Vec<Value> = crate::fixtures::editable_panel(&lp);
    // Lee assessed Ownership; now Ownership and Dive Deep.
    panel[2]["competency_ids"] = json!(org.competencies);
    let res = app.edit_loop(&org.recruiter, &lp["id"], json!({"interviews": panel}));
    assert_eq!(res.status, 200, "{}", res.body);
    let changed = app.outbox_of("interview_changed");
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["to"], json!([org.lee.email]));
    let lee_ics = ics_of(
        &app,
        10 + 4 + 5 + 1,
        panel[2]["id"].as_i64().unwrap(),
        "REQUEST",
        2,
    );
    assert!(
        lee_ics.iter().any(|ics| ics.contains("SEQUENCE:1")),
        "the calendar event is updated too"
    );
    let text = app
        .mail_files(10 + 4 + 5 + 1)
        .into_iter()
        .filter_map(|raw| {
            let m = mail_parser::MessageParser::default().parse(&raw)?;
            m.subject()?
                .starts_with("Changed:")
                .then(|| m.body_text(0).unwrap().into_owned())
        })
        .next()
        .unwrap();
    assert!(
        text.contains("The competencies you assess in your interview with Casey Candidate changed"),
        "{text}"
    );
    assert!(text.contains("Before, they were: Ownership."), "{text}");
}

#[test]
fn a_loop_keeps_its_requisitions_hiring_manager_and_only_an_admin_assigns_another_recruiter() {
    let app = spawn_app();
    let org = Org::new(&app);
    let refused = |who: &str, token: &str, patch: Value, fields: Vec<&str>| {
        let mut body = org.loop_body();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = app.post(api::LOOPS, token, body);
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.fields(), fields, "{who}: {}", res.body);
    };
    // A recruiter can neither make someone else decide nor hand the loop on.
    refused(
        "recruiter",
        &org.recruiter.token,
        json!({"hiring_manager_id": org.ceo.id, "recruiter_id": org.other_recruiter.id}),
        vec!["hiring_manager_id", "recruiter_id"],
    );
    // Not even an admin changes who decides, outside the requisition.
    refused(
        "admin",
        &app.admin_token,
        json!({"hiring_manager_id": org.kim.id}),
        vec!["hiring_manager_id"],
    );
    assert!(
        app.get(api::LOOPS, &app.admin_token).body["items"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was written"
    );
    // Naming oneself, or the requisition's own hiring manager, is fine.
    let mut body = org.loop_body();
    body["recruiter_id"] = json!(org.recruiter.id);
    body["hiring_manager_id"] = json!(org.hm.id);
    let lp = app.create_loop(&org.recruiter, body);
    assert_eq!(lp["recruiter_id"], org.recruiter.id);
    // An admin assigns a loop to another recruiter.
    let mut body = org.loop_body_for(&app, "Ada Assigned");
    body["recruiter_id"] = json!(org.other_recruiter.id);
    let res = app.post(api::LOOPS, &app.admin_token, body);
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.body["recruiter_id"], org.other_recruiter.id);
}
