//! "Use X" from the suggested bar raisers is one action: the suggestion takes
//! the replaced bar raiser's panel row, so the report turns green.

use barraiser::urls;

use crate::fixtures::Org;
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

#[test]
fn using_a_suggested_bar_raiser_seats_them_in_the_replaced_bar_raisers_row() {
    let app = spawn_app();
    let org = Org::new(&app);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let [own, dive] = org.competencies.map(|c| c.to_string());
    // Kim (not certified, under the hiring manager) is the bar raiser and
    // interviews in row 0; Dana, the suggestion, is not on the panel.
    let panel = [org.kim.id, org.lee.id, org.ana.id, org.outsider.id].map(|i| i.to_string());
    let mut fields: Vec<(String, String)> = vec![
        ("csrf_token".into(), csrf.clone()),
        ("requisition_id".into(), org.requisition_id.to_string()),
        ("candidate_id".into(), org.candidate_id.to_string()),
        ("bar_raiser_id".into(), org.kim.id.to_string()),
    ];
    for (i, who) in panel.iter().enumerate() {
        let p = |n: &str| format!("interviews[{i}].{n}");
        fields.push((p("interviewer_id"), who.clone()));
        fields.push((
            p("competency_ids"),
            if i % 2 == 0 {
                own.clone()
            } else {
                dive.clone()
            },
        ));
        fields.push((
            p("starts_at"),
            crate::fixtures::date(i as i64 + 1) + "T10:00",
        ));
        fields.push((p("ends_at"), crate::fixtures::date(i as i64 + 1) + "T11:00"));
    }
    fields.push(("action".into(), format!("bar_raiser:{}", org.br.id)));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let picked = rita.post(urls::NEW_LOOP, &pairs);
    assert_eq!(picked.status, 200, "{}", picked.text);
    picked.assert_contains("All rules pass");
    // Row 0 now names Dana as its interviewer, by name in its picker.
    picked.assert_contains(&format!(
        r#"name="interviews[0].interviewer_id" value="{}""#,
        org.br.id
    ));
    picked.assert_contains(r#"value="Dana Lee &lt;"#);
}

/// A UTC time of the API as the Berlin form shows it (`2026-12-08T10:00`).
fn berlin(utc: &serde_json::Value) -> String {
    let at = chrono::DateTime::parse_from_rfc3339(utc.as_str().unwrap()).unwrap();
    at.with_timezone(&chrono_tz::Europe::Berlin)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The builder's form for the loop `lp` as it stands, with `bar_raiser`
/// and the last interview moved `later_hours` later.
fn edit_form(
    lp: &serde_json::Value,
    csrf: &str,
    bar_raiser: i64,
    later_hours: i64,
) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = vec![
        ("csrf_token".into(), csrf.to_owned()),
        ("requisition_id".into(), lp["requisition_id"].to_string()),
        ("candidate_id".into(), lp["candidate_id"].to_string()),
        ("bar_raiser_id".into(), bar_raiser.to_string()),
        ("action".into(), "save".into()),
    ];
    let interviews = lp["interviews"].as_array().unwrap();
    for (i, it) in interviews.iter().enumerate() {
        let p = |n: &str| format!("interviews[{i}].{n}");
        fields.push((p("id"), it["id"].to_string()));
        fields.push((p("interviewer_id"), it["interviewer_id"].to_string()));
        for c in it["competency_ids"].as_array().unwrap() {
            fields.push((p("competency_ids"), c.to_string()));
        }
        let (mut starts, mut ends) = (berlin(&it["starts_at"]), berlin(&it["ends_at"]));
        if i == interviews.len() - 1 {
            let later = |s: &str| {
                (chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
                    + chrono::TimeDelta::hours(later_hours))
                .format("%Y-%m-%dT%H:%M")
                .to_string()
            };
            (starts, ends) = (later(&starts), later(&ends));
        }
        fields.push((p("starts_at"), starts));
        fields.push((p("ends_at"), ends));
    }
    fields
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[test]
fn editing_a_scheduled_loop_in_the_builder_mails_only_the_interviewer_whose_interview_changed() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let before = app.outbox().len();
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    // The last interview moves an hour later; the others stay as they are.
    let fields = edit_form(&lp, &csrf, lp["bar_raiser_id"].as_i64().unwrap(), 1);
    let path = urls::loop_builder(Some(barraiser::domain::LoopId(lp["id"].as_i64().unwrap())));
    let saved = rita.post(&path, &pairs(&fields));
    assert_eq!(saved.status, 303, "{}", saved.text);
    let sent: Vec<serde_json::Value> = app.outbox().into_iter().skip(before).collect();
    let changed: Vec<&serde_json::Value> = sent
        .iter()
        .filter(|m| m["kind"] == "interview_changed")
        .collect();
    assert_eq!(changed.len(), 1, "{sent:?}");
    let interviews = lp["interviews"].as_array().unwrap();
    let moved = interviews.last().unwrap()["interviewer_id"]
        .as_i64()
        .unwrap();
    let email = app.get_user(&app.admin_token, moved).body["email"].clone();
    assert_eq!(changed[0]["to"], serde_json::json!([email]));
    assert!(
        sent.iter()
            .all(|m| m["kind"] != "interview_assigned" && m["kind"] != "interview_cancelled"),
        "{sent:?}"
    );
}

#[test]
fn an_edit_that_would_turn_a_scheduled_loop_red_is_refused_once_beside_the_report_for_the_edit() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    // Kim reports to the hiring manager and is not certified.
    let fields = edit_form(&lp, &csrf, org.kim.id, 0);
    let path = urls::loop_builder(Some(barraiser::domain::LoopId(lp["id"].as_i64().unwrap())));
    let refused = rita.post(&path, &pairs(&fields));
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(
        refused
            .text
            .matches("would make the scheduled loop fail")
            .count(),
        1,
        "said once: {}",
        refused.text
    );
    refused.assert_contains("failing");
    refused.assert_contains("Kim Park");
    assert!(
        !refused.text.contains("Choose a requisition, a candidate"),
        "the report, not a placeholder"
    );
    // The form keeps the edit, so the recruiter fixes it where they are.
    assert!(
        refused
            .text
            .contains(&format!(r#"name="bar_raiser_id" value="{}""#, org.kim.id))
    );
    let unchanged = app.get_loop(&org.recruiter, &lp["id"]);
    assert_eq!(unchanged.body["bar_raiser_id"], lp["bar_raiser_id"]);
}

#[test]
fn a_flagged_scheduled_loop_is_fixed_in_the_builder_and_turns_green() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    // Dana, the bar raiser, now reports to the hiring manager: flagged.
    let moved = app.patch(
        &format!("/api/v1/users/{}", org.br.id),
        &app.admin_token,
        serde_json::json!({"manager_id": org.hm.id}),
    );
    assert_eq!(moved.status, 200, "{}", moved.body);
    let id = barraiser::domain::LoopId(lp["id"].as_i64().unwrap());
    let flagged = app.get_loop(&org.recruiter, &lp["id"]);
    assert!(flagged.body["flagged_at"].is_string(), "{}", flagged.body);
    // Otto, certified and outside the hiring manager's tree, takes Dana's
    // place as bar raiser and in her panel row.
    app.certify(org.outsider.id);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let editor = rita.get(&urls::loop_builder(Some(id)));
    assert_eq!(editor.status, 200);
    editor.assert_contains("failing");
    let mut fields = edit_form(&lp, &csrf, org.outsider.id, 0);
    for (k, v) in fields.iter_mut() {
        if k.ends_with(".interviewer_id") && *v == org.br.id.to_string() {
            *v = org.outsider.id.to_string();
        }
    }
    // The seat changes hands: a new interview, so it carries no id.
    let seat = fields
        .iter()
        .position(|(k, v)| k.ends_with(".interviewer_id") && *v == org.outsider.id.to_string())
        .unwrap();
    let row = fields[seat].0.split('.').next().unwrap().to_owned();
    fields.retain(|(k, _)| *k != format!("{row}.id"));
    let saved = rita.post(&urls::loop_builder(Some(id)), &pairs(&fields));
    assert_eq!(saved.status, 303, "{}", saved.text);
    let fixed = app.get_loop(&org.recruiter, &lp["id"]);
    assert_eq!(fixed.body["bar_raiser_id"], org.outsider.id);
    assert_eq!(fixed.body["independence"]["ok"], true, "{}", fixed.body);
}

#[test]
fn a_half_filled_panel_row_is_an_error_beside_it_and_nothing_is_created() {
    let app = spawn_app();
    let org = Org::new(&app);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let own = org.competencies[0].to_string();
    let starts = crate::fixtures::date(1) + "T10:00";
    let saved = rita.post(
        urls::NEW_LOOP,
        &[
            ("csrf_token", csrf.as_str()),
            ("requisition_id", &org.requisition_id.to_string()),
            ("candidate_id", &org.candidate_id.to_string()),
            ("bar_raiser_id", &org.br.id.to_string()),
            // A competency and a start, no interviewer.
            ("interviews[0].competency_ids", own.as_str()),
            ("interviews[0].starts_at", starts.as_str()),
            // Left blank: not an error.
            ("interviews[1].starts_at", ""),
            ("action", "save"),
        ],
    );
    assert_eq!(saved.status, 422, "{}", saved.text);
    saved.assert_contains(r#"id="interviews-0-interviewer_id-error""#);
    saved.assert_contains("choose an interviewer");
    assert!(
        !saved
            .text
            .contains(r#"id="interviews-1-interviewer_id-error""#)
    );
    let loops = app.get("/api/v1/loops", &org.recruiter.token);
    assert_eq!(loops.body["items"].as_array().unwrap().len(), 0);
}
