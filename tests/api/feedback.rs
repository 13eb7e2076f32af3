//! Feedback: drafts with quality warnings, submission, blind until submitted,
//! one's own interviews, and reminders on a driven clock.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use barraiser::urls::api;

use crate::client::{complete_feedback, evidence, interview};
use crate::fixtures::{Org, interview_entry, interview_of};
use crate::helpers::{TestApp, TestUser, spawn_app};

fn path(id: i64) -> String {
    api::interview_feedback(interview(id))
}

/// A complete draft rating each of `competencies` 3.
fn complete(competencies: &[i64], vote: &str) -> Value {
    let ratings: Vec<(i64, i64)> = competencies.iter().map(|c| (*c, 3)).collect();
    complete_feedback(&ratings, vote)
}

/// Saves a complete draft and submits it; asserts success.
#[track_caller]
fn write_and_submit(app: &TestApp, who: &TestUser, interview: i64, competencies: &[i64]) -> Value {
    let saved = app.save_feedback(who, interview, complete(competencies, "hire"));
    assert_eq!(saved.status, 200, "{}", saved.body);
    let res = app.submit_feedback(who, interview);
    assert_eq!(res.status, 200, "{}", res.body);
    res.body
}

/// A scheduled loop whose interviews started two hours ago (feedback not yet due).
fn started_loop(app: &TestApp, org: &Org) -> Value {
    org.a_loop().started().schedule(app)
}

#[test]
fn an_interviewer_saves_partial_drafts_and_gets_quality_warnings_each_time() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = started_loop(&app, &org);
    let [own, dive] = org.competencies;
    let ana = interview_of(&lp, &org.ana);

    let empty = app.feedback(&org.ana.token, ana);
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert_eq!(empty.body["status"], "pending");

    // Partial: one competency, no vote yet; exact text with Unicode and newlines.
    let text = "Zoë led the migration.\nSituation: a 3-day outage risk.\n\tAction: …";
    let res = app.save_feedback(
        &org.ana,
        ana,
        json!({"ratings": [{"competency_id": own, "rating": 2, "evidence": text}]}),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["status"], "draft");
    assert_eq!(res.body["ratings"][0]["evidence"], text);
    let codes = |body: &Value| -> Vec<String> {
        body["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes(&res.body), ["evidence_thin"]);
    assert_eq!(res.body["warnings"][0]["competency_id"], own);

    // A strong hire with a rating of 2, and words a structured interview must not weigh.
    let body = json!({
        "ratings": [
            {"competency_id": own, "rating": 2, "evidence": evidence("own")},
            {"competency_id": dive, "rating": 4, "evidence": format!("{} Great culture fit.", evidence("dive"))},
        ],
        "vote": "strong_hire",
        "summary": "Young and energetic; married, so stable.",
    });
    let res = app.save_feedback(&org.ana, ana, body.clone());
    assert_eq!(
        codes(&res.body),
        [
            "vote_contradicts_ratings",
            "non_job_related_language",
            "non_job_related_language"
        ]
    );
    let saved_at = res.body["updated_at"].clone();
    // Saving the same draft twice changes nothing.
    let again = app.save_feedback(&org.ana, ana, body);
    assert_eq!(again.body["updated_at"], saved_at);
    assert_eq!(again.body["ratings"], res.body["ratings"]);
    // Last write wins: the next save replaces the whole draft.
    let last = app.save_feedback(&org.ana, ana, json!({"vote": "no_hire", "ratings": []}));
    assert_eq!(last.body["ratings"], json!([]));
    assert_eq!(last.body["summary"], Value::Null);
    assert!(codes(&last.body).is_empty());
    assert_eq!(app.feedback(&org.ana.token, ana).body["vote"], "no_hire");
}

#[test]
fn submission_names_every_missing_field_then_happens_once_and_is_immutable() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = started_loop(&app, &org);
    let [own, dive] = org.competencies;
    let ana = interview_of(&lp, &org.ana);
    let submit = |body: Value| {
        app.post(
            &api::interview_feedback_submit(interview(ana)),
            &org.ana.token,
            body,
        )
    };

    app.save_feedback(
        &org.ana,
        ana,
        json!({"ratings": [{"competency_id": own, "rating": 3, "evidence": "Too short."}]}),
    );
    let res = submit(json!({}));
    res.assert_problem(422, "validation_failed");
    assert_eq!(
        res.fields(),
        [
            format!("ratings.{own}.evidence"),
            format!("ratings.{dive}.rating"),
            format!("ratings.{dive}.evidence"),
            "vote".into(),
            "summary".into(),
            "attest_no_discussion".into(),
        ]
    );
    assert_eq!(
        app.feedback(&org.ana.token, ana).body["status"],
        "draft",
        "a refused submission leaves the draft"
    );

    let body = write_and_submit(&app, &org.ana, ana, &[own, dive]);
    assert_eq!(body["status"], "submitted");
    assert_eq!(body["timing"], "on_time");
    assert!(body["submitted_at"].is_string());
    submit(json!({"attest_no_discussion": true})).assert_problem(409, "already_submitted");
    app.save_feedback(&org.ana, ana, complete(&[own, dive], "no_hire"))
        .assert_problem(409, "already_submitted");
    assert_eq!(app.feedback(&org.ana.token, ana).body["vote"], "hire");

    // The loop shows where each interview's feedback stands, and keeps the submitted one.
    app.put(
        &path(interview_of(&lp, &org.kim)),
        &org.kim.token,
        json!({"vote": "hire"}),
    );
    let read = app.get_loop(&org.recruiter, &lp["id"]);
    let status_of = |who: &TestUser| interview_entry(&read.body, who)["feedback_status"].clone();
    assert_eq!(status_of(&org.ana), "submitted");
    assert_eq!(status_of(&org.kim), "draft");
    assert_eq!(status_of(&org.lee), "pending");
    let mut panel: Vec<Value> = read.body["interviews"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["interviewer_id"] != org.ana.id)
        .map(|i| json!({"id": i["id"], "interviewer_id": i["interviewer_id"], "competency_ids": i["competency_ids"], "starts_at": i["starts_at"], "ends_at": i["ends_at"]}))
        .collect();
    panel.push(org.interview(&org.ola, &[own, dive], 15));
    app.edit_loop(&org.recruiter, &lp["id"], json!({"interviews": panel}))
        .assert_problem(409, "feedback_submitted");
}

#[test]
fn timing_is_on_time_late_and_feedback_waits_for_the_interview_to_start() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    // Not started: drafts are fine, submission is not.
    let future = org.scheduled_loop(&app);
    let kim = interview_of(&future, &org.kim);
    assert_eq!(
        app.save_feedback(&org.kim, kim, complete(&[dive], "hire"))
            .status,
        200
    );
    app.submit_feedback(&org.kim, kim)
        .assert_problem(409, "interview_not_started");

    // Days ago: the deadline passed, the submission is late.
    let past = org
        .a_loop()
        .at(Utc::now() - TimeDelta::days(3))
        .for_new_candidate(&app, "Pat Past")
        .schedule(&app);
    let lee = interview_of(&past, &org.lee);
    let res = write_and_submit(&app, &org.lee, lee, &[own]);
    assert_eq!(res["timing"], "late");
}

#[test]
fn bad_feedback_is_refused_with_the_field_named_and_never_a_500() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = started_loop(&app, &org);
    let [own, dive] = org.competencies;
    let kim = interview_of(&lp, &org.kim);
    let put = |body: Value| app.save_feedback(&org.kim, kim, body);
    for (rating, what) in [
        (json!(0), "zero"),
        (json!(5), "five"),
        (json!(2.5), "a fraction"),
        (json!("3"), "a string"),
    ] {
        let res = put(json!({"ratings": [{"competency_id": dive, "rating": rating}]}));
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.fields(), ["ratings[0].rating"], "{what}");
    }
    let res = put(json!({"ratings": [{"competency_id": own, "rating": 3}]}));
    assert_eq!(
        res.fields(),
        ["ratings[0].competency_id"],
        "not assigned to Kim"
    );
    let res = put(json!({"ratings": [{"competency_id": dive}, {"competency_id": dive}]}));
    assert_eq!(res.fields(), ["ratings[1].competency_id"]);
    let res = put(json!({"vote": "maybe", "summary": "a\u{0}b",
        "ratings": [{"competency_id": dive, "evidence": "x\u{202e}y"}]}));
    let mut fields = res.fields();
    fields.sort();
    assert_eq!(fields, ["ratings[0].evidence", "summary", "vote"]);
    let res = put(json!({"ratings": [{"competency_id": dive, "evidence": "e".repeat(100_000)}]}));
    res.assert_problem(413, "payload_too_large");
    let res = put(json!({"ratings": [{"competency_id": dive, "evidence": "e".repeat(20_000)}]}));
    assert_eq!(res.fields(), ["ratings[0].evidence"]);

    // Someone else's interview, or none: it does not exist for Kim.
    let lee = interview_of(&lp, &org.lee);
    for id in [lee, 999_999] {
        put_as(&app, &org.kim, id, json!({"vote": "hire"})).assert_problem(404, "not_found");
        app.feedback(&org.kim.token, id)
            .assert_problem(404, "not_found");
    }
    app.feedback(&app.admin_token, kim)
        .assert_problem(404, "not_found");

    // A cancelled loop takes no feedback; a draft loop not yet.
    assert_eq!(
        app.cancel_loop(&org.recruiter, &lp["id"], "Withdrew")
            .status,
        200
    );
    put(json!({"vote": "hire"})).assert_problem(409, "loop_closed");
    let draft = org
        .a_loop()
        .for_new_candidate(&app, "Dee Draft")
        .create(&app);
    put_as(
        &app,
        &org.kim,
        interview_of(&draft, &org.kim),
        json!({"vote": "hire"}),
    )
    .assert_problem(409, "loop_not_scheduled");
}

fn put_as(
    app: &TestApp,
    who: &TestUser,
    interview: i64,
    body: Value,
) -> crate::helpers::TestResponse {
    app.save_feedback(who, interview, body)
}

#[test]
fn feedback_is_blind_until_one_submits_and_drafts_never_leak() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    // The hiring manager interviews too (in Lee's place): a panel member.
    let lp = org.a_loop().started().seat(2, &org.hm).schedule(&app);
    let feedback = |who: &str| app.loop_feedback(who, &lp["id"]);

    let secret_draft = "DRAFT-SECRET: she could not explain the failover design.";
    app.put(
        &path(interview_of(&lp, &org.ana)),
        &org.ana.token,
        json!({"ratings": [{"competency_id": own, "rating": 1, "evidence": secret_draft}], "vote": "strong_no_hire"}),
    );

    for who in [&org.kim, &org.br, &org.hm, &org.ana] {
        feedback(&who.token).assert_problem(403, "submit_own_feedback_first");
    }
    for token in [&org.recruiter.token, &app.admin_token] {
        feedback(token).assert_problem(403, "debrief_not_open");
    }
    feedback(&org.outsider.token).assert_problem(404, "not_found");

    let kim_text = evidence("KIM-SUBMITTED");
    let kim = interview_of(&lp, &org.kim);
    let saved = app.save_feedback(&org.kim, kim, json!({"ratings": [{"competency_id": dive, "rating": 4, "evidence": kim_text}], "vote": "strong_hire", "summary": "KIM-SUMMARY"}),
    );
    assert_eq!(saved.status, 200);
    let submitted = app.submit_feedback(&org.kim, kim);
    assert_eq!(submitted.status, 200, "{}", submitted.body);

    // Kim now sees the submitted feedback (her own), never Ana's draft.
    let seen = feedback(&org.kim.token);
    assert_eq!(seen.status, 200, "{}", seen.body);
    let items = seen.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["interviewer_id"], org.kim.id);
    assert_eq!(items[0]["vote"], "strong_hire");
    assert!(items[0].get("warnings").is_none());
    assert!(!seen.body.to_string().contains("DRAFT-SECRET"));
    // The others are still blind, and nothing they can read carries Kim's words.
    for who in [&org.br, &org.hm, &org.ana] {
        feedback(&who.token).assert_problem(403, "submit_own_feedback_first");
        let readable = [
            app.get_loop(who, &lp["id"]).body,
            app.get(
                &format!("/api/v1/loops/{}/events?limit=200", lp["id"]),
                &who.token,
            )
            .body,
            app.get(
                &format!("/api/v1/interviews/{}/kit", interview_of(&lp, who)),
                &who.token,
            )
            .body,
            app.get(api::ME_INTERVIEWS, &who.token).body,
        ];
        for body in readable {
            let text = body.to_string();
            assert!(
                !text.contains("KIM-SUBMITTED") && !text.contains("KIM-SUMMARY"),
                "leaked to {}: {text}",
                who.id
            );
            assert!(!text.contains("strong_hire") && !text.contains("DRAFT-SECRET"));
        }
    }
    // The log names who submitted and when, not what.
    let events = app.get(
        &format!("/api/v1/loops/{}/events?limit=200", lp["id"]),
        &org.recruiter.token,
    );
    let submitted_event = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "feedback_submitted")
        .unwrap()
        .clone();
    assert_eq!(submitted_event["actor_id"], org.kim.id);
    assert_eq!(submitted_event["data"]["interview_id"], kim);
    assert!(submitted_event["data"].get("vote").is_none());
    // No mail carries feedback either.
    for m in app.outbox() {
        assert!(!m.to_string().contains("KIM-SUBMITTED"));
    }
}

#[test]
fn my_interviews_lists_upcoming_due_and_done_soonest_first() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [_, dive] = org.competencies;
    let upcoming = org.scheduled_loop(&app); // fixtures::day(), weeks ahead
    let due = org
        .a_loop()
        .at(Utc::now() - TimeDelta::days(2))
        .for_new_candidate(&app, "Pat Past")
        .schedule(&app);
    let done = org
        .a_loop()
        .at(Utc::now() - TimeDelta::days(3))
        .for_new_candidate(&app, "Sam Submitted")
        .schedule(&app);
    write_and_submit(&app, &org.kim, interview_of(&done, &org.kim), &[dive]);
    // Drafts are not announced: a draft loop's interview is not listed.
    org.a_loop()
        .for_new_candidate(&app, "Dee Draft")
        .create(&app);

    let list = |q: &str| app.get(&format!("/api/v1/me/interviews{q}"), &org.kim.token);
    let all = list("");
    assert_eq!(all.status, 200, "{}", all.body);
    let ids: Vec<i64> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["interview_id"].as_i64().unwrap())
        .collect();
    let (u, d, x) = (
        interview_of(&upcoming, &org.kim),
        interview_of(&due, &org.kim),
        interview_of(&done, &org.kim),
    );
    assert_eq!(ids, [x, d, u], "soonest first");
    let one = |q: &str| -> Vec<Value> { list(q).body["items"].as_array().unwrap().clone() };
    let upcoming_items = one("?status=upcoming");
    assert_eq!(upcoming_items.len(), 1);
    assert_eq!(upcoming_items[0]["interview_id"], u);
    assert_eq!(upcoming_items[0]["candidate_name"], "Casey Candidate");
    assert_eq!(upcoming_items[0]["role_title"], "Senior Engineer");
    assert_eq!(upcoming_items[0]["loop_status"], "scheduled");
    assert_eq!(upcoming_items[0]["feedback_status"], "pending");
    let due_items = one("?status=feedback_due");
    assert_eq!(due_items.len(), 1);
    assert_eq!(due_items[0]["interview_id"], d);
    assert_eq!(due_items[0]["overdue"], true);
    let done_items = one("?status=done");
    assert_eq!(done_items.len(), 1);
    assert_eq!(done_items[0]["feedback_status"], "submitted");
    // Pages follow the same order.
    let first = list("?limit=2");
    assert_eq!(first.body["items"].as_array().unwrap().len(), 2);
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = list(&format!("?limit=2&cursor={cursor}"));
    assert_eq!(rest.body["items"][0]["interview_id"], u);
    assert_eq!(rest.body["next_cursor"], Value::Null);
    list("?status=soon").assert_problem(422, "validation_failed");
    list("?cursor=yesterday").assert_problem(422, "validation_failed");
    list("?cursor=1.x").assert_problem(422, "validation_failed");
}

fn remind(app: &TestApp, at: DateTime<Utc>) -> usize {
    let links = app.links();
    actix_web::rt::System::new()
        .block_on(barraiser::services::feedback::reminders::send_due(
            app.store(),
            &links,
            at,
        ))
        .unwrap()
}

#[test]
fn reminders_go_out_every_24_hours_and_copy_the_manager_and_recruiter_from_the_second() {
    let app = spawn_app();
    let org = Org::new(&app);
    // Interviews ten days ahead, one an hour: Dana, Kim, Lee, Ana. Feedback is
    // due 24 h after each ends; the clock is driven, nothing sleeps.
    let start = Utc::now() + TimeDelta::days(10);
    let lp = org.scheduled_loop_with(&app, org.loop_body_at(start));
    let dana_due = start + TimeDelta::minutes(45) + TimeDelta::hours(24);
    let reminders = || app.outbox_of("feedback_reminder");
    let cc_of = |m: &Value| -> Vec<String> {
        let mut cc: Vec<String> = m["cc"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        cc.sort();
        cc
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };

    assert_eq!(
        remind(&app, dana_due - TimeDelta::minutes(1)),
        0,
        "not overdue yet"
    );
    let t0 = dana_due + TimeDelta::minutes(1);
    assert_eq!(remind(&app, t0), 1, "Dana's feedback is overdue first");
    assert_eq!(remind(&app, t0), 0, "once per 24 h");
    assert_eq!(
        remind(&app, t0 + TimeDelta::hours(3)),
        3,
        "then Kim's, Lee's and Ana's"
    );
    let firsts = reminders();
    assert_eq!(firsts.len(), 4);
    assert!(
        firsts.iter().all(|m| cc_of(m).is_empty()),
        "a first reminder copies nobody"
    );
    assert_eq!(firsts[0]["to"], json!([org.br.email]));

    assert_eq!(
        remind(&app, t0 + TimeDelta::hours(23)),
        0,
        "not within 24 h"
    );
    assert_eq!(remind(&app, t0 + TimeDelta::hours(24)), 1, "Dana's second");
    let dana_second = reminders().into_iter().nth(4).unwrap();
    assert_eq!(dana_second["to"], json!([org.br.email]));
    assert_eq!(
        cc_of(&dana_second),
        sorted(vec![org.ola.email.clone(), org.recruiter.email.clone()]),
        "Dana's manager and the recruiter"
    );
    assert!(
        dana_second["subject"]
            .as_str()
            .unwrap()
            .starts_with("Reminder 2")
    );
    assert_eq!(remind(&app, t0 + TimeDelta::hours(27)), 3);
    let kim_second = reminders()
        .into_iter()
        .skip(5)
        .find(|m| m["to"] == json!([org.kim.email]))
        .unwrap();
    assert_eq!(
        cc_of(&kim_second),
        sorted(vec![org.hm.email.clone(), org.recruiter.email.clone()])
    );
    for m in reminders() {
        assert!(m["subject"].as_str().unwrap().contains("Senior Engineer"));
    }

    // Once the loop leaves `scheduled`, no more reminders.
    assert_eq!(
        app.cancel_loop(&org.recruiter, &lp["id"], "Role filled")
            .status,
        200
    );
    assert_eq!(remind(&app, t0 + TimeDelta::days(5)), 0);
}

#[test]
fn submitted_feedback_gets_no_reminder_and_two_instances_send_each_reminder_once() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = org.scheduled_loop_with(&app, org.loop_body_at(Utc::now() - TimeDelta::days(3)));
    write_and_submit(&app, &org.ana, interview_of(&lp, &org.ana), &[own, dive]);
    let now = Utc::now();
    let second = Db2::open(&app);
    let counts: Vec<usize> = std::thread::scope(|s| {
        let a = s.spawn(|| remind(&app, now));
        let b = s.spawn(|| second.remind(&app, now));
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    assert_eq!(
        counts.iter().sum::<usize>(),
        3,
        "Dana, Kim, Lee once each: {counts:?}"
    );
    let to: Vec<Value> = app
        .outbox_of("feedback_reminder")
        .iter()
        .map(|m| m["to"][0].clone())
        .collect();
    assert_eq!(to.len(), 3);
    assert!(!to.contains(&json!(org.ana.email)), "Ana submitted");
}

/// A second, independent pool on the app's database: another instance.
struct Db2(barraiser::db::Db);

impl Db2 {
    fn open(app: &TestApp) -> Self {
        Db2(barraiser::db::Db::connect(&app.db.url, 2).unwrap())
    }

    fn remind(&self, app: &TestApp, at: DateTime<Utc>) -> usize {
        let links = app.links();
        actix_web::rt::System::new()
            .block_on(barraiser::services::feedback::reminders::send_due(
                &self.0, &links, at,
            ))
            .unwrap()
    }
}

#[test]
fn concurrent_saves_of_one_draft_all_succeed_and_the_last_one_stands() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = started_loop(&app, &org);
    let [own, dive] = org.competencies;
    let ana = interview_of(&lp, &org.ana);
    // 8 clients at once, each saving 6 drafts of its own: the first saves race
    // to create the draft, the rest race to replace it.
    let bodies: Vec<Value> = (0..8)
        .map(|n| {
            json!({
                "ratings": [
                    {"competency_id": own, "rating": 1 + n % 4, "evidence": evidence(&format!("own {n}"))},
                    {"competency_id": dive, "rating": 4 - n % 4, "evidence": evidence(&format!("dive {n}"))},
                ],
                "vote": if n % 2 == 0 { "hire" } else { "no_hire" },
                "summary": format!("client {n}"),
            })
        })
        .collect();
    std::thread::scope(|s| {
        for body in &bodies {
            let (app, token) = (&app, &org.ana.token);
            s.spawn(move || {
                for _ in 0..6 {
                    let res = app.put(&path(ana), token, body.clone());
                    assert_eq!(res.status, 200, "{}", res.body);
                }
            });
        }
    });
    // Whichever save came last stands whole: never ratings of one and the vote of another.
    let draft = app.feedback(&org.ana.token, ana).body;
    let n: usize = draft["summary"].as_str().unwrap()["client ".len()..]
        .parse()
        .unwrap();
    assert_eq!(draft["vote"], bodies[n]["vote"]);
    let ratings = |body: &Value| -> Vec<(i64, String)> {
        body["ratings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["rating"].as_i64().unwrap(),
                    r["evidence"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(ratings(&draft), ratings(&bodies[n]));
}

#[test]
fn a_submission_amid_concurrent_saves_freezes_exactly_what_it_submitted() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = started_loop(&app, &org);
    let ana = interview_of(&lp, &org.ana);
    let competencies = org.competencies;
    let draft = |n: usize| {
        let mut body = complete(
            &competencies,
            if n.is_multiple_of(2) {
                "hire"
            } else {
                "no_hire"
            },
        );
        body["summary"] = json!(format!("client {n}"));
        body
    };
    let saved = app.save_feedback(&org.ana, ana, draft(0));
    assert_eq!(saved.status, 200, "{}", saved.body);
    let submitted = std::thread::scope(|s| {
        for n in 1..5 {
            let (app, token, body) = (&app, &org.ana.token, draft(n));
            s.spawn(move || {
                for _ in 0..8 {
                    let res = app.put(&path(ana), token, body.clone());
                    // Before the submission a save succeeds; after it, it is refused.
                    match res.status {
                        200 => {}
                        _ => res.assert_problem(409, "already_submitted"),
                    }
                }
            });
        }
        let submit = s.spawn(|| app.submit_feedback(&org.ana, ana));
        submit.join().unwrap()
    });
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    let stored = app.feedback(&org.ana.token, ana).body;
    assert_eq!(stored["status"], "submitted");
    for field in ["summary", "vote", "ratings"] {
        assert_eq!(stored[field], submitted.body[field], "{field}");
    }
}
