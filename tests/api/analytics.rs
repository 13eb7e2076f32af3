//! The input metrics and calibration, with exact figures for known loops.

use barraiser::urls::api;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::fixtures::{Org, interview_of};
use crate::helpers::{TestApp, TestDb, spawn_app, test_settings};

/// A service that shows every person's figures, however few loops stand
/// behind them: for the tests of exact figures on two loops, and of the
/// blind rule on its own.
pub fn spawn_app_showing_everyone() -> TestApp {
    let db = TestDb::fresh();
    let mut settings = test_settings(&db);
    settings.analytics.min_loops_per_person = 1;
    TestApp::start(db, settings)
}

fn close_to(v: &Value, expected: f64, tolerance: f64) -> bool {
    v.as_f64()
        .is_some_and(|x| (x - expected).abs() <= tolerance)
}

/// Seeds: loop A (decided hire, against the composite, one vote changed),
/// loop B (opened with an override, vetoed, decided no hire, late feedback),
/// loop C (created red), loop D (scheduled, then red after a reorg).
pub fn seed(app: &TestApp, org: &Org) -> (Value, Value) {
    let [own, dive] = org.competencies;
    // A: interviews six hours ago, feedback on time.
    let a = org
        .a_loop()
        .at(Utc::now() - TimeDelta::hours(6))
        .for_new_candidate(app, "Alice A")
        .schedule(app);
    app.write_and_submit(&a, &org.br, &[(own, 3)], "hire");
    app.write_and_submit(&a, &org.kim, &[(dive, 1)], "hire");
    app.write_and_submit(&a, &org.lee, &[(own, 3)], "strong_hire");
    app.write_and_submit(&a, &org.ana, &[(own, 3), (dive, 2)], "hire");
    let da = app.debrief(&a);
    assert_eq!(da.open(&org.br, None).status, 200);
    da.read_and_vote(&[
        (&org.br, "hire"),
        (&org.lee, "strong_hire"),
        (&org.ana, "hire"),
    ]);
    assert_eq!(da.read(&org.kim).status, 200);
    assert_eq!(
        da.vote(
            &org.kim,
            json!({"vote": "no_hire", "reason": "Dive Deep stayed shallow."})
        )
        .status,
        200
    );
    assert_eq!(
        da.close(
            &org.br,
            json!({"recommendation": "hire", "rationale": "Yes."})
        )
        .status,
        200
    );
    assert_eq!(
        da.decide(&org.hm, json!({"decision": "hire", "rationale": "Yes."}))
            .status,
        200
    );

    // B: a week ago, all late; Ana's after the debrief opened with an override.
    let b = org
        .a_loop()
        .at(Utc::now() - TimeDelta::days(7))
        .for_new_candidate(app, "Bob B")
        .schedule(app);
    app.write_and_submit(&b, &org.br, &[(own, 2)], "no_hire");
    app.write_and_submit(&b, &org.kim, &[(dive, 2)], "no_hire");
    app.write_and_submit(&b, &org.lee, &[(own, 2)], "no_hire");
    let db = app.debrief(&b);
    assert_eq!(
        db.open(&org.br, Some(json!({"override_reason": "Ana is away."})))
            .status,
        200
    );
    app.write_and_submit(&b, &org.ana, &[(own, 2), (dive, 2)], "hire");
    db.read_and_vote(&[
        (&org.br, "no_hire"),
        (&org.kim, "no_hire"),
        (&org.lee, "no_hire"),
        (&org.ana, "hire"),
    ]);
    assert_eq!(
        db.close(
            &org.br,
            json!({"recommendation": "no_hire", "veto": true, "rationale": "No."})
        )
        .status,
        200
    );
    assert_eq!(
        db.decide(&org.hm, json!({"decision": "no_hire", "rationale": "No."}))
            .status,
        200
    );

    // C: created red (Kim is not a bar raiser).
    let mut body = org.a_loop().for_new_candidate(app, "Cleo C").body();
    body["bar_raiser_id"] = json!(org.kim.id);
    app.create_loop(&org.recruiter, body);

    // D: scheduled with Ola as bar raiser, then Ola loses certification.
    app.certify(org.ola.id);
    org.a_loop()
        .for_new_candidate(app, "Dan D")
        .bar_raiser(&org.ola)
        .schedule(app);
    let res = app.set_bar_raiser(org.ola.id, "inactive");
    assert_eq!(res.status, 200);
    (a, b)
}

fn by_user(list: &Value, id: i64) -> &Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x["user_id"] == id)
        .unwrap_or_else(|| panic!("user {id} in {list}"))
}

#[test]
fn the_process_metrics_of_known_loops_are_exact() {
    let app = spawn_app_showing_everyone();
    let org = Org::new(&app);
    seed(&app, &org);
    let res = app.get(api::METRICS_PROCESS, &org.recruiter.token);
    assert_eq!(res.status, 200, "{}", res.body);
    let m = &res.body;
    assert_eq!(m["loops_scheduled"], 3);
    assert_eq!(m["loops_decided"], 2);
    assert_eq!(m["hire_rate"], 0.5);
    assert_eq!(
        m["decisions_against_composite"], 1,
        "A: hire against a no_hire band"
    );
    assert_eq!(m["override_rate"], 0.5);
    assert_eq!(m["veto_rate"], 0.5);
    assert_eq!(m["vote_change_rate"], 0.125, "Kim in A, 1 of 8 final votes");
    assert_eq!(
        m["independence_violations"],
        json!({"at_assembly": 1, "after_scheduling": 1})
    );
    assert_eq!(m["feedback"]["submitted"], 8);
    assert_eq!(m["feedback"]["on_time_rate"], 0.5);
    // Interview ends 5.25, 4.25, 3.25, 2.25 h ago (A) and about 7 days ago (B).
    assert!(
        close_to(
            &m["feedback"]["median_hours_to_submit"],
            (5.25 + 164.25) / 2.0,
            0.05
        ),
        "{m}"
    );
    assert!(
        close_to(&m["median_hours_schedule_to_decision"], 0.0, 0.05),
        "{m}"
    );
    let dana = by_user(&m["bar_raisers"], org.br.id);
    assert_eq!(
        (dana["debriefs_led"].clone(), dana["vetoes"].clone()),
        (json!(2), json!(1))
    );
    assert!(close_to(&dana["median_debrief_hours"], 0.0, 0.05));
    let ana = by_user(&m["interviewers"], org.ana.id);
    assert_eq!(ana["feedback"], 2);
    assert_eq!(ana["on_time_rate"], 0.5);
    assert_eq!(ana["decided"], 2);
    assert_eq!(
        ana["vote_matched_decision_rate"], 0.5,
        "her hire in B met a no hire"
    );
    assert_eq!(
        by_user(&m["interviewers"], org.kim.id)["vote_matched_decision_rate"],
        1.0
    );
}

#[test]
fn calibration_of_known_ratings_matches_the_reference_alpha_and_leniency() {
    let app = spawn_app_showing_everyone();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    seed(&app, &org);
    let res = app.get(api::METRICS_CALIBRATION, &org.br.token);
    assert_eq!(res.status, 200, "{}", res.body);
    let c = &res.body;
    // Units: A-own [3,3,3], A-dive [1,2], B-own [2,2,2], B-dive [2,2]
    // (krippendorff 0.9.0: pooled 0.825, Ownership 1.0, Dive Deep 0.0).
    assert!(close_to(&c["pooled"]["alpha"], 0.825, 1e-9), "{c}");
    assert_eq!(c["pooled"]["units"], 4);
    assert_eq!(c["pooled"]["pairable_values"], 10);
    assert_eq!(c["pooled"]["insufficient_data"], true);
    let comp = |id: i64| {
        c["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["competency_id"] == id)
            .unwrap()
            .clone()
    };
    assert!(close_to(&comp(own)["alpha"], 1.0, 1e-9));
    assert!(close_to(&comp(dive)["alpha"], 0.0, 1e-9));
    let kim = by_user(&c["interviewers"], org.kim.id);
    assert_eq!(kim["ratings"], 2);
    assert_eq!(
        kim["rating_distribution"],
        json!({"1": 1, "2": 1, "3": 0, "4": 0})
    );
    assert_eq!(kim["mean_rating"], 1.5);
    assert_eq!(kim["leniency"], -0.5);
    assert_eq!(kim["n_shared"], 2);
    assert_eq!(kim["contradictions"], 1, "hire with a rating of 1");
    let ana = by_user(&c["interviewers"], org.ana.id);
    assert_eq!(ana["ratings"], 4);
    assert_eq!(ana["mean_rating"], 2.25);
    assert_eq!(ana["leniency"], 0.25);
    assert_eq!(ana["n_shared"], 4);
    assert_eq!(ana["contradictions"], 0);
}

#[test]
fn a_period_counts_a_submission_at_from_and_not_at_to_and_is_validated() {
    let app = spawn_app();
    let org = Org::new(&app);
    let (a, _) = seed(&app, &org);
    let own = app.get(
        &format!("/api/v1/interviews/{}/feedback", interview_of(&a, &org.kim)),
        &org.kim.token,
    );
    let at: DateTime<Utc> = own.body["submitted_at"].as_str().unwrap().parse().unwrap();
    let url = |from: DateTime<Utc>, to: DateTime<Utc>| {
        let f = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        format!(
            "/api/v1/metrics/process?from={}&to={}",
            f(from).replace('+', "%2B"),
            f(to).replace('+', "%2B")
        )
    };
    let submitted = |from, to| {
        app.get(&url(from, to), &org.recruiter.token).body["feedback"]["submitted"].clone()
    };
    assert_eq!(
        submitted(at, at + TimeDelta::microseconds(1)),
        1,
        "at `from` counts"
    );
    assert_eq!(
        submitted(at - TimeDelta::microseconds(1), at),
        0,
        "at `to` does not"
    );
    for q in [
        "?from=2026-10-01T00:00:00Z&to=2026-09-01T00:00:00Z",
        "?from=yesterday",
        "?to=2026-13-01T00:00:00Z",
    ] {
        app.get(&format!("/api/v1/metrics/process{q}"), &org.recruiter.token)
            .assert_problem(422, "validation_failed");
    }
}

#[test]
fn metrics_and_calibration_are_for_the_people_who_steer_hiring() {
    let app = spawn_app();
    let org = Org::new(&app);
    let process = |token: &str| app.get(api::METRICS_PROCESS, token);
    let calibration = |token: &str| app.get(api::METRICS_CALIBRATION, token);
    assert_eq!(process(&org.recruiter.token).status, 200);
    assert_eq!(process(&app.admin_token).status, 200);
    for who in [&org.kim, &org.hm, &org.br] {
        process(&who.token).assert_problem(403, "recruiter_only");
    }
    assert_eq!(
        calibration(&org.br.token).status,
        200,
        "a certified bar raiser"
    );
    assert_eq!(calibration(&app.admin_token).status, 200);
    for who in [&org.recruiter, &org.kim, &org.hm] {
        calibration(&who.token).assert_problem(403, "calibration_restricted");
    }
    app.request("GET", api::METRICS_PROCESS, None, None)
        .assert_problem(401, "unauthenticated");
}

/// The moment `who` submitted their feedback on `lp`, as its event log shows
/// it to every participant.
fn submitted_at(app: &TestApp, lp: &Value, reader: &crate::helpers::TestUser) -> DateTime<Utc> {
    let events = app.loop_events(&reader.token, &lp["id"]);
    assert_eq!(events.status, 200, "{}", events.body);
    let at = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "feedback_submitted")
        .unwrap_or_else(|| panic!("a submission in {}", events.body))["at"]
        .as_str()
        .unwrap()
        .to_owned();
    at.parse().unwrap()
}

/// `?from=&to=` one second wide around `at`.
fn window_around(at: DateTime<Utc>) -> String {
    let f = |t: DateTime<Utc>| {
        t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
            .replace('+', "%2B")
    };
    format!(
        "?from={}&to={}",
        f(at - TimeDelta::milliseconds(500)),
        f(at + TimeDelta::milliseconds(500))
    )
}

/// A scheduled loop in which Kim alone has submitted (ratings 1, vote hire:
/// a contradiction), and the one-second window around her submission.
fn kim_submitted_alone(app: &TestApp, org: &Org) -> (Value, String) {
    let [_, dive] = org.competencies;
    let lp = org.a_loop().started().schedule(app);
    app.write_and_submit(&lp, &org.kim, &[(dive, 1)], "hire");
    // Dana, the loop's bar raiser, has not submitted: the feedback is blind to her.
    app.loop_feedback(&org.br.token, &lp["id"])
        .assert_problem(403, "submit_own_feedback_first");
    let window = window_around(submitted_at(app, &lp, &org.br));
    (lp, window)
}

#[test]
fn calibration_never_reads_a_loop_still_collecting_feedback_however_narrow_the_period() {
    let app = spawn_app_showing_everyone();
    let org = Org::new(&app);
    let (_, window) = kim_submitted_alone(&app, &org);
    // Ola is a certified bar raiser on no part of the loop.
    app.certify(org.ola.id);
    for reader in [&org.br.token, &org.ola.token, &app.admin_token] {
        for query in [window.as_str(), ""] {
            let c = app.get(&format!("/api/v1/metrics/calibration{query}"), reader);
            assert_eq!(c.status, 200, "{}", c.body);
            assert_eq!(c.body["interviewers"], json!([]), "{query}: {}", c.body);
            assert_eq!(c.body["pooled"]["units"], 0, "{}", c.body);
            assert_eq!(c.body["withheld_interviewers"], 0, "not even counted");
        }
    }
}

#[test]
fn process_metrics_never_count_a_submission_on_a_loop_still_collecting_feedback() {
    let app = spawn_app_showing_everyone();
    let org = Org::new(&app);
    let (lp, window) = kim_submitted_alone(&app, &org);
    for query in [window.as_str(), ""] {
        let m = app.get(
            &format!("/api/v1/metrics/process{query}"),
            &org.recruiter.token,
        );
        assert_eq!(m.status, 200, "{}", m.body);
        assert_eq!(m.body["feedback"]["submitted"], 0, "{}", m.body);
        assert_eq!(m.body["interviewers"], json!([]), "{}", m.body);
    }
    // Once the debrief opens, the blind rule no longer protects it: it counts.
    let d = app.debrief(&lp);
    assert_eq!(
        d.open(
            &org.br,
            Some(json!({"override_reason": "Only Kim could make it."}))
        )
        .status,
        200
    );
    let m = app.get(
        &format!("/api/v1/metrics/process{window}"),
        &org.recruiter.token,
    );
    assert_eq!(m.body["feedback"]["submitted"], 1, "{}", m.body);
    assert_eq!(by_user(&m.body["interviewers"], org.kim.id)["feedback"], 1);
    let c = app.get(
        &format!("/api/v1/metrics/calibration{window}"),
        &org.br.token,
    );
    assert_eq!(
        by_user(&c.body["interviewers"], org.kim.id)["contradictions"],
        1
    );
}

#[test]
fn a_persons_figures_are_withheld_until_five_loops_stand_behind_them() {
    let app = spawn_app();
    let org = Org::new(&app);
    seed(&app, &org);
    let m = app.get(api::METRICS_PROCESS, &org.recruiter.token).body;
    assert_eq!(m["min_loops_per_person"], 5);
    assert_eq!(
        (m["interviewers"].clone(), m["bar_raisers"].clone()),
        (json!([]), json!([]))
    );
    assert_eq!(
        (
            m["withheld_interviewers"].clone(),
            m["withheld_bar_raisers"].clone()
        ),
        (json!(4), json!(1)),
        "Dana, Kim, Lee and Ana on two loops; Dana led two debriefs"
    );
    assert_eq!(
        m["feedback"]["submitted"], 8,
        "their work still counts in the whole"
    );
    assert_eq!(m["loops_decided"], 2);
    let c = app.get(api::METRICS_CALIBRATION, &org.br.token).body;
    assert_eq!(c["interviewers"], json!([]));
    assert_eq!(c["withheld_interviewers"], 4);
    assert_eq!(
        c["pooled"]["units"], 4,
        "their ratings still count in alpha"
    );
}

#[test]
fn the_anchoring_index_says_where_changed_votes_moved_overall_and_per_bar_raiser() {
    let app = spawn_app_showing_everyone();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    // Initial votes: Dana (the bar raiser) no hire; Kim, Lee and Ana hire.
    let lp = org
        .a_loop()
        .at(Utc::now() - TimeDelta::hours(6))
        .for_new_candidate(&app, "Ann Anchored")
        .schedule(&app);
    app.write_and_submit(&lp, &org.br, &[(own, 2)], "no_hire");
    app.write_and_submit(&lp, &org.kim, &[(dive, 3)], "hire");
    app.write_and_submit(&lp, &org.lee, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.ana, &[(own, 3), (dive, 3)], "hire");
    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);
    // Kim moves to no hire (toward Dana, away from the majority, hire);
    // Lee to strong hire (away from both); Ana and Dana keep theirs.
    d.read_and_vote(&[(&org.br, "no_hire"), (&org.ana, "hire")]);
    for (who, vote) in [(&org.kim, "no_hire"), (&org.lee, "strong_hire")] {
        assert_eq!(d.read(who).status, 200);
        let voted = d.vote(
            who,
            json!({"vote": vote, "reason": "The discussion changed my view."}),
        );
        assert_eq!(voted.status, 200, "{}", voted.body);
    }
    assert_eq!(
        d.close(
            &org.br,
            json!({"recommendation": "no_hire", "rationale": "Split."})
        )
        .status,
        200
    );
    assert_eq!(
        d.decide(
            &org.hm,
            json!({"decision": "no_hire", "rationale": "Not yet."})
        )
        .status,
        200
    );
    let p = app.get("/api/v1/metrics/process", &org.recruiter.token);
    assert_eq!(p.status, 200, "{}", p.body);
    // The last interview ended 2 h 15 min ago (four from 6 h ago, an hour
    // apart, 45 minutes each): the decision came 2.25 hours after it.
    let waited = p.body["median_hours_last_interview_to_decision"]
        .as_f64()
        .unwrap();
    assert!((waited - 2.25).abs() < 0.1, "{waited}");
    let a = &p.body["anchoring"];
    assert_eq!(a["changed_votes"], 2, "{a}");
    assert_eq!(a["toward_bar_raiser"], 0.5);
    assert_eq!(a["toward_majority"], 0.0);
    assert_eq!(a["away_from_both"], 0.5);
    // Per bar raiser (this service lists everyone with one debrief).
    assert_eq!(
        a["bar_raisers"],
        json!([{"user_id": org.br.id, "changed_votes": 2, "toward_bar_raiser": 0.5}])
    );
    // The insights page says it in words.
    let (mut rita, _) = crate::web_client::WebClient::signed_in(&app, &org.recruiter.email);
    let page = rita.get("/insights?preset=30");
    page.assert_contains("Changed votes that moved toward the bar raiser");
    page.assert_contains("50%");
}
