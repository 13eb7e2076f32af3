//! The debrief proposed on time (SPEC §11): when a loop is scheduled, the
//! first hour in the bar raiser's working hours two hours or more after the
//! last interview, mailed with an `.ics` to the bar raiser, the hiring
//! manager and the panel; moving the last interview moves it (same UID,
//! higher SEQUENCE); cancelling the loop cancels it.

use chrono::{Datelike as _, NaiveDate, TimeDelta, TimeZone as _, Utc, Weekday};
use mail_parser::MessageParser;
use serde_json::{Value, json};

use barraiser::domain::LoopId;
use barraiser::urls::api;

use crate::fixtures::{Org, editable_panel};
use crate::helpers::{TestApp, TestUser, spawn_app};
use crate::web_client::WebClient;

/// A Tuesday four weeks or more from the day the test runs.
fn a_tuesday() -> NaiveDate {
    let mut d = (Utc::now() + TimeDelta::days(28)).date_naive();
    while d.weekday() != Weekday::Tue {
        d = d.succ_opt().unwrap();
    }
    d
}

fn utc(d: NaiveDate, hour: u32) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(hour, 0, 0).unwrap())
}

fn berlin(d: NaiveDate, hour: u32) -> chrono::DateTime<Utc> {
    chrono_tz::Europe::Berlin
        .from_local_datetime(&d.and_hms_opt(hour, 0, 0).unwrap())
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn stamp(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn api_time(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The `.ics` files of the debrief `uid` sent to `who`, oldest first.
fn debrief_ics(app: &TestApp, at_least: usize, uid: &str, who: &TestUser) -> Vec<String> {
    app.mail_files(at_least)
        .iter()
        .filter_map(|raw| {
            let m = MessageParser::default().parse(raw)?;
            let to = m.to()?.first()?.address()?.to_owned();
            let part = m.attachments().next()?;
            let ics = String::from_utf8(part.contents().to_vec()).ok()?;
            (to == who.email && ics.contains(&format!("UID:{uid}"))).then_some(ics)
        })
        .collect()
}

#[test]
fn a_scheduled_loop_proposes_its_debrief_in_the_bar_raisers_working_hours_and_moves_it_with_the_last_interview()
 {
    let app = spawn_app();
    let org = Org::new(&app);
    // Dana, the bar raiser, works in Berlin (her browser said so at sign-in).
    let _ = WebClient::signed_in(&app, &org.br.email);
    let tue = a_tuesday();
    // Interviews 08:00 to 11:45 UTC: the last ends 12:45 or 13:45 in Berlin;
    // two hours later, the next full hour is 14:00 UTC in winter and summer.
    let lp = org.a_loop().at(utc(tue, 8)).create(&app);
    let id = LoopId(lp["id"].as_i64().unwrap());
    app.get(&api::debrief_proposal(id), &org.recruiter.token)
        .assert_problem(404, "not_found");
    let scheduled = app.schedule(&org.recruiter, &lp);
    assert_eq!(scheduled.status, 200, "{}", scheduled.body);

    let p = app.get(&api::debrief_proposal(id), &org.hm.token);
    assert_eq!(p.status, 200, "{}", p.body);
    assert_eq!(p.body["starts_at"], api_time(utc(tue, 14)));
    assert_eq!(p.body["ends_at"], api_time(utc(tue, 15)));
    assert_eq!(p.body["time_zone"], "Europe/Berlin");
    assert_eq!(p.body["sequence"], 0);
    app.get(&api::debrief_proposal(id), &org.outsider.token)
        .assert_problem(404, "not_found");

    // The bar raiser, the hiring manager and the panel, each once.
    let mut expected: Vec<String> = [&org.br, &org.hm, &org.kim, &org.lee, &org.ana]
        .iter()
        .map(|u| u.email.clone())
        .collect();
    expected.sort();
    assert_eq!(app.recipients_of("debrief_proposed"), expected);
    let first = &app.outbox_of("debrief_proposed")[0];
    assert!(
        first["subject"]
            .as_str()
            .unwrap()
            .starts_with("Debrief proposed: Casey Candidate for Senior Engineer"),
        "{first}"
    );
    let uid = app.links().debrief_calendar_uid(id);
    let welcome_mails = 10;
    let invitations = 4;
    let ics = debrief_ics(&app, welcome_mails + invitations + 5, &uid, &org.hm);
    assert_eq!(ics.len(), 1);
    assert!(
        ics[0].contains("METHOD:REQUEST") && ics[0].contains("SEQUENCE:0"),
        "{}",
        ics[0]
    );
    assert!(
        ics[0].contains(&format!("DTSTART:{}", stamp(utc(tue, 14)))),
        "{}",
        ics[0]
    );
    assert!(!ics[0].contains("Casey"), "no candidate data in calendars");

    // The last interview moves to 14:00 UTC: 15:45 or 16:45 in Berlin, so
    // the debrief moves to Wednesday 09:00 Berlin.
    let mut panel: Vec<Value> = editable_panel(&scheduled.body);
    panel[3]["starts_at"] = json!(api_time(utc(tue, 14)));
    panel[3]["ends_at"] = json!(api_time(utc(tue, 14) + TimeDelta::minutes(45)));
    let edited = app.edit_loop(&org.recruiter, &lp, json!({ "interviews": panel }));
    assert_eq!(edited.status, 200, "{}", edited.body);
    let wed = tue.succ_opt().unwrap();
    let p = app.get(&api::debrief_proposal(id), &org.hm.token).body;
    assert_eq!(p["starts_at"], api_time(berlin(wed, 9)));
    assert_eq!(p["sequence"], 1);
    let moved = app.outbox_of("debrief_proposed");
    assert_eq!(moved.len(), 10, "each of the five told again");
    assert!(
        moved[9]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Debrief moved:")
    );
    let ics = debrief_ics(&app, welcome_mails + invitations + 5 + 1 + 5, &uid, &org.hm);
    assert!(
        ics.iter().any(|x| x.contains("SEQUENCE:1")
            && x.contains(&format!("DTSTART:{}", stamp(berlin(wed, 9))))),
        "{ics:?}"
    );

    // An edit that leaves the last interview where it is leaves the proposal.
    let mut panel: Vec<Value> = editable_panel(&edited.body);
    panel[0]["starts_at"] = json!(api_time(utc(tue, 7)));
    panel[0]["ends_at"] = json!(api_time(utc(tue, 7) + TimeDelta::minutes(45)));
    let edited = app.edit_loop(&org.recruiter, &lp, json!({ "interviews": panel }));
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(app.outbox_of("debrief_proposed").len(), 10);

    // Kim's interview goes to Ola at the same time: the time stays, Kim's
    // calendar loses the debrief and Ola's gains it.
    let mut panel: Vec<Value> = editable_panel(&edited.body);
    let kim = panel
        .iter()
        .position(|p| p["interviewer_id"] == org.kim.id)
        .unwrap();
    let mut ola = panel[kim].clone();
    ola.as_object_mut().unwrap().remove("id");
    ola["interviewer_id"] = json!(org.ola.id);
    panel[kim] = ola;
    let edited = app.edit_loop(&org.recruiter, &lp, json!({ "interviews": panel }));
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(
        app.recipients_of("debrief_cancelled"),
        vec![org.kim.email.clone()]
    );
    let proposed = app.outbox_of("debrief_proposed");
    assert_eq!(proposed.len(), 11);
    assert_eq!(proposed[10]["to"], json!([org.ola.email]));
    assert_eq!(
        app.get(&api::debrief_proposal(id), &org.hm.token).body["sequence"],
        1
    );

    // Cancelling the loop cancels the debrief in every calendar.
    let cancelled = app.cancel_loop(&org.recruiter, &lp, "The candidate withdrew.");
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    let mut now_in: Vec<String> = [&org.br, &org.hm, &org.ola, &org.lee, &org.ana]
        .iter()
        .map(|u| u.email.clone())
        .collect();
    now_in.push(org.kim.email.clone());
    now_in.sort();
    assert_eq!(
        app.recipients_of("debrief_cancelled"),
        now_in,
        "Kim's earlier, then the rest"
    );
}
