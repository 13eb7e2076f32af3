//! Outcomes after hire: recorded by the loop's recruiter or an admin, by hand
//! or from a CSV file, for hires only, seen by those who hired.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};

use crate::fixtures::Org;
use crate::helpers::{TestApp, spawn_app};

/// A loop of `org` for a new candidate, taken through its debrief to `decision`.
pub fn decided(app: &TestApp, org: &Org, candidate: &str, decision: &str) -> Value {
    let [own, dive] = org.competencies;
    let lp = org
        .a_loop()
        .at(Utc::now() - TimeDelta::hours(6))
        .for_new_candidate(app, candidate)
        .schedule(app);
    let vote = if decision == "hire" {
        "hire"
    } else {
        "no_hire"
    };
    app.write_and_submit(&lp, &org.br, &[(own, 3)], vote);
    app.write_and_submit(&lp, &org.kim, &[(dive, 3)], vote);
    app.write_and_submit(&lp, &org.lee, &[(own, 3)], vote);
    app.write_and_submit(&lp, &org.ana, &[(own, 3), (dive, 3)], vote);
    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);
    d.read_and_vote(&[
        (&org.br, vote),
        (&org.kim, vote),
        (&org.lee, vote),
        (&org.ana, vote),
    ]);
    let closed = d.close(
        &org.br,
        json!({"recommendation": decision, "rationale": "The evidence is clear."}),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    let done = d.decide(
        &org.hm,
        json!({"decision": decision, "rationale": "As the panel found."}),
    );
    assert_eq!(done.status, 200, "{}", done.body);
    lp
}

fn path(lp: &Value) -> String {
    format!("/api/v1/loops/{}/outcomes", lp["id"])
}

fn today() -> String {
    Utc::now().date_naive().to_string()
}

#[test]
fn the_recruiter_records_outcomes_of_a_hire_and_those_who_hired_see_them() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = decided(&app, &org, "Hana Hire", "hire");
    let rating = app.post(
        &path(&lp),
        &org.recruiter.token,
        json!({"kind": "performance_rating", "value": 4, "observed_at": today()}),
    );
    assert_eq!(rating.status, 201, "{}", rating.body);
    assert_eq!(rating.body["kind"], "performance_rating");
    assert_eq!(rating.body["value"], 4.0);
    assert_eq!(rating.body["recorded_by"], "Rita Cole");
    let stayed = app.post(
        &path(&lp),
        &app.admin_token,
        json!({"kind": "still_employed", "value": true, "observed_at": today()}),
    );
    assert_eq!(stayed.status, 201, "{}", stayed.body);
    assert_eq!(stayed.body["value"], true);

    for who in [&org.recruiter, &org.hm] {
        let listed = app.get(&path(&lp), &who.token);
        assert_eq!(listed.status, 200, "{}", listed.body);
        let kinds: Vec<&str> = listed
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["performance_rating", "still_employed"]);
    }
    // The panel sees the loop, not what became of the hire; others not even the loop.
    app.get(&path(&lp), &org.kim.token)
        .assert_problem(403, "not_allowed");
    app.get(&path(&lp), &org.br.token)
        .assert_problem(403, "not_allowed");
    app.get(&path(&lp), &org.outsider.token)
        .assert_problem(404, "not_found");
    // The loop's trail says an outcome was recorded, never its value.
    let events = app.get(
        &format!("/api/v1/loops/{}/events?limit=200", lp["id"]),
        &org.kim.token,
    );
    let recorded: Vec<&Value> = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "outcome_recorded")
        .collect();
    assert_eq!(recorded.len(), 2);
    assert!(
        !recorded[0]["data"].to_string().contains("4.0"),
        "{}",
        recorded[0]
    );
}

#[test]
fn outcomes_are_refused_for_a_loop_that_did_not_hire_for_the_wrong_people_and_for_bad_values() {
    let app = spawn_app();
    let org = Org::new(&app);
    let hired = decided(&app, &org, "Hana Hire", "hire");
    let declined = decided(&app, &org, "Nico Nohire", "no_hire");
    let body = json!({"kind": "performance_rating", "value": 3, "observed_at": today()});
    app.post(&path(&declined), &org.recruiter.token, body.clone())
        .assert_problem(409, "not_hired");
    // The hiring manager and the panel see the loop but do not record; others get 404.
    app.post(&path(&hired), &org.hm.token, body.clone())
        .assert_problem(403, "not_allowed");
    app.post(&path(&hired), &org.kim.token, body.clone())
        .assert_problem(403, "not_allowed");
    app.post(&path(&hired), &org.other_recruiter.token, body.clone())
        .assert_problem(404, "not_found");
    app.post(&path(&hired), &org.outsider.token, body.clone())
        .assert_problem(404, "not_found");

    let tomorrow = (Utc::now().date_naive() + TimeDelta::days(1)).to_string();
    let yesterday_of_decision = (Utc::now().date_naive() - TimeDelta::days(1)).to_string();
    for (bad, fields) in [
        (
            json!({"kind": "performance_rating", "value": 6, "observed_at": today()}),
            vec!["value"],
        ),
        (
            json!({"kind": "performance_rating", "value": "4", "observed_at": today()}),
            vec!["value"],
        ),
        (
            json!({"kind": "still_employed", "value": 1, "observed_at": today()}),
            vec!["value"],
        ),
        (
            json!({"kind": "salary", "value": 1, "observed_at": "soon"}),
            vec!["kind", "observed_at"],
        ),
        (
            json!({"kind": "still_employed", "value": true, "observed_at": tomorrow}),
            vec!["observed_at"],
        ),
        (
            json!({"kind": "still_employed", "value": true, "observed_at": yesterday_of_decision}),
            vec!["observed_at"],
        ),
    ] {
        let res = app.post(&path(&hired), &org.recruiter.token, bad.clone());
        res.assert_problem(422, "validation_failed");
        let named: Vec<String> = res.fields();
        assert_eq!(named, fields, "{bad}");
    }
    let listed = app.get(&path(&hired), &org.recruiter.token);
    assert_eq!(listed.body, json!([]), "nothing was recorded");
}

fn import(app: &TestApp, token: &str, csv: &str, dry_run: bool) -> crate::helpers::TestResponse {
    let path = if dry_run {
        "/api/v1/outcomes/import?dry_run=true"
    } else {
        "/api/v1/outcomes/import"
    };
    app.raw(
        "POST",
        path,
        Some(token),
        Some(csv.as_bytes()),
        Some("text/csv"),
    )
}

/// The `(line, column)` of each problem of a refused import.
#[track_caller]
fn refused_lines(res: &crate::helpers::TestResponse) -> Vec<(i64, String)> {
    res.assert_problem(422, "import_invalid");
    res.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_i64().unwrap(),
                p["column"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_csv_file_of_outcomes_is_imported_whole_or_not_at_all() {
    let app = spawn_app();
    let org = Org::new(&app);
    let hired = decided(&app, &org, "Hana Hire", "hire");
    let declined = decided(&app, &org, "Nico Nohire", "no_hire");
    let (h, d) = (
        hired["id"].as_i64().unwrap(),
        declined["id"].as_i64().unwrap(),
    );
    let day = today();

    // Every problem, with its line and column; nothing written.
    let bad = format!(
        "loop_id,kind,value,observed_at\n{h},performance_rating,4,{day}\n{d},performance_rating,3,{day}\n999999,still_employed,yes,{day}\n{h},performance_rating,nine,{day}\n"
    );
    let problems = refused_lines(&import(&app, &org.recruiter.token, &bad, false));
    assert_eq!(problems, [(5, "value".into())]);
    let bad = format!(
        "loop_id,kind,value,observed_at\n{h},performance_rating,4,{day}\n{d},performance_rating,3,{day}\n999999,still_employed,yes,{day}\n"
    );
    let problems = refused_lines(&import(&app, &org.recruiter.token, &bad, false));
    assert_eq!(problems, [(3, "loop_id".into()), (4, "loop_id".into())]);
    assert_eq!(app.get(&path(&hired), &org.recruiter.token).body, json!([]));

    // Another recruiter's loop is not theirs to record.
    let theirs = format!("loop_id,kind,value,observed_at\n{h},still_employed,yes,{day}\n");
    import(&app, &org.other_recruiter.token, &theirs, false).assert_problem(422, "import_invalid");
    import(&app, &org.kim.token, &theirs, false).assert_problem(403, "recruiter_only");

    // Checked first, then imported.
    let good = format!(
        "observed_at,loop_id,kind,value\n{day},{h},performance_rating,4.5\n{day},{h},regretted_attrition,no\n"
    );
    let checked = import(&app, &org.recruiter.token, &good, true);
    assert_eq!(checked.status, 200, "{}", checked.body);
    assert_eq!(checked.body, json!({"dry_run": true, "rows": 2}));
    assert_eq!(app.get(&path(&hired), &org.recruiter.token).body, json!([]));
    let done = import(&app, &org.recruiter.token, &good, false);
    assert_eq!(done.body, json!({"dry_run": false, "rows": 2}));
    let listed = app.get(&path(&hired), &org.hm.token);
    let values: Vec<&Value> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["value"])
        .collect();
    assert_eq!(values, [&json!(4.5), &json!(false)]);
}

#[test]
fn the_loop_page_shows_outcomes_to_those_who_hired_and_the_recruiter_records_one_there() {
    use crate::web_client::WebClient;
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = decided(&app, &org, "Hana Hire", "hire");
    let page = format!("/loops/{}", lp["id"]);
    let form_path = format!("/loops/{}/outcomes", lp["id"]);

    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let shown = rita.get(&page);
    shown.assert_contains("After the hire");
    shown.assert_contains("No outcomes recorded yet.");
    shown.assert_contains("id=\"record-outcome\"");
    // A bad value is said beside the field; nothing is recorded.
    let bad = rita.post(
        &form_path,
        &[
            ("csrf_token", &csrf),
            ("kind", "performance_rating"),
            ("value", "7"),
            ("observed_at", &today()),
        ],
    );
    assert_eq!(bad.status, 422);
    bad.assert_contains("a performance rating is a number from 1 to 5");
    let good = rita.post(
        &form_path,
        &[
            ("csrf_token", &csrf),
            ("kind", "performance_rating"),
            ("value", "4"),
            ("observed_at", &today()),
        ],
    );
    assert_eq!(good.status, 303, "{}", good.text);
    let shown = rita.get(&page);
    shown.assert_contains("4 of 5");
    shown.assert_contains("Rita Cole");

    // The hiring manager reads them without the form; the panel sees neither.
    let (mut sam, _) = WebClient::signed_in(&app, &org.hm.email);
    let theirs = sam.get(&page);
    theirs.assert_contains("4 of 5");
    assert!(!theirs.text.contains("id=\"record-outcome\""));
    let room = format!("/loops/{}/debrief", lp["id"]);
    let in_room = sam.get(&room);
    in_room.assert_contains("id=\"room-outcomes\"");
    in_room.assert_contains("4 of 5");
    let (mut kim, kim_csrf) = WebClient::signed_in(&app, &org.kim.email);
    let their_room = kim.get(&room);
    assert_eq!(their_room.status, 200);
    assert!(
        !their_room.text.contains("room-outcomes"),
        "the panel's room shows no outcomes"
    );
    let panel = kim.get(&page);
    assert_eq!(panel.status, 200);
    assert!(
        !panel.text.contains("After the hire"),
        "the panel does not see outcomes"
    );
    let posted = kim.post(
        &form_path,
        &[
            ("csrf_token", &kim_csrf),
            ("kind", "still_employed"),
            ("value", "yes"),
            ("observed_at", &today()),
        ],
    );
    assert_eq!(posted.status, 403);
    assert_eq!(
        app.get(&path(&lp), &org.recruiter.token)
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
