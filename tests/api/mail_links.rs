//! Every link of every kind of message lands on a page: a loop runs from
//! invitations to the decision, with a reorg that turns it red and back, and
//! each recipient follows each link in their mail — through sign-in and back.

use barraiser::urls::api;

use std::collections::BTreeSet;

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};

use crate::fixtures::Org;
use crate::helpers::{PASSWORD, TestApp, spawn_app};
use crate::web_client::WebClient;

const ALL_KINDS: [&str; 15] = [
    "account_created",
    "account_invitation",
    "password_reset",
    "interview_assigned",
    "interview_changed",
    "interview_cancelled",
    "feedback_reminder",
    "independence_turned_red",
    "independence_restored",
    "debrief_proposed",
    "debrief_cancelled",
    "debrief_opened",
    "more_signal_requested",
    "debrief_reopened",
    "decision_recorded",
];

fn set_manager(app: &TestApp, user_id: i64, manager_id: i64) {
    let res = app.update_user(user_id, json!({ "manager_id": manager_id }));
    assert_eq!(res.status, 200, "{}", res.body);
}

/// `(kind, recipient, paths of the links)` of every message the outbox holds.
fn messages(app: &TestApp) -> Vec<(String, String, Vec<String>)> {
    app.outbox()
        .into_iter()
        .map(|m: Value| {
            let id = m["id"].as_i64().unwrap();
            let text = {
                let mut conn = app.store().conn().unwrap();
                use barraiser::db::schema::outbox;
                use diesel::prelude::*;
                outbox::table
                    .find(id)
                    .select(outbox::body_text)
                    .first::<String>(&mut conn)
                    .unwrap()
            };
            let paths = text
                .split_whitespace()
                .filter_map(|w| w.strip_prefix("http://barraiser.test"))
                .map(str::to_owned)
                .collect();
            (
                m["kind"].as_str().unwrap().to_owned(),
                m["to"][0].as_str().unwrap().to_owned(),
                paths,
            )
        })
        .collect()
}

#[test]
fn every_link_of_every_message_kind_lands_on_a_page() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    // Accounts: one with a password, one invited; a reset for Kim.
    let with_password = app.post(
        api::USERS,
        &app.admin_token,
        json!({"email": "pia@example.com", "name": "Pia Password", "role": "member", "password": PASSWORD}),
    );
    assert_eq!(with_password.status, 201);
    let invited = app.post(
        api::USERS,
        &app.admin_token,
        json!({"email": "ivo@example.com", "name": "Ivo Invited", "role": "member"}),
    );
    assert_eq!(invited.status, 201);
    app.request(
        "POST",
        api::PASSWORD_RESET,
        None,
        Some(&json!({"email": org.kim.email})),
    );

    // A loop whose interviews took place yesterday: feedback is overdue.
    let lp = org.scheduled_loop_with(&app, org.loop_body_at(Utc::now() - TimeDelta::hours(30)));
    // Lee's interview moves; Ana's is replaced by Ola's.
    let mut panel: Vec<Value> = crate::fixtures::editable_panel(&lp);
    let lee = panel
        .iter()
        .position(|p| p["interviewer_id"] == org.lee.id)
        .unwrap();
    let later = |at: &Value| {
        let t = chrono::DateTime::parse_from_rfc3339(at.as_str().unwrap()).unwrap();
        json!((t + TimeDelta::minutes(15)).to_rfc3339())
    };
    panel[lee]["starts_at"] = later(&panel[lee]["starts_at"]);
    panel[lee]["ends_at"] = later(&panel[lee]["ends_at"]);
    let ana = panel
        .iter()
        .position(|p| p["interviewer_id"] == org.ana.id)
        .unwrap();
    let mut ola = panel[ana].clone();
    ola.as_object_mut().unwrap().remove("id");
    ola["interviewer_id"] = json!(org.ola.id);
    panel[ana] = ola;
    let res = app.edit_loop(&org.recruiter, &lp["id"], json!({"interviews": panel}));
    assert_eq!(res.status, 200, "{}", res.body);
    let lp = res.body;
    let reminded = actix_web::rt::System::new()
        .block_on(barraiser::services::feedback::reminders::send_due(
            app.store(),
            &app.links(),
            Utc::now(),
        ))
        .unwrap();
    assert!(reminded > 0);
    // A reorg turns it red, and undoing it makes it green again.
    set_manager(&app, org.ola.id, org.hm.id);
    set_manager(&app, org.ola.id, org.ceo.id);

    // The debrief and the decision.
    app.write_and_submit(&lp, &org.br, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.kim, &[(dive, 3)], "hire");
    app.write_and_submit(&lp, &org.lee, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.ola, &[(own, 3), (dive, 3)], "hire");
    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);
    // More signal: a follow-up interview with Otto, whose feedback reopens it.
    let more = d.close(
        &org.br,
        json!({"recommendation": "more_signal", "competency_ids": [dive], "rationale": "Thin on depth."}),
    );
    assert_eq!(more.status, 200, "{}", more.body);
    let mut panel: Vec<Value> = crate::fixtures::editable_panel(&more.body);
    let start = Utc::now() - TimeDelta::hours(2);
    panel.push(
        json!({"interviewer_id": org.outsider.id, "competency_ids": [dive],
        "starts_at": start.to_rfc3339(), "ends_at": (start + TimeDelta::minutes(45)).to_rfc3339()}),
    );
    let res = app.edit_loop(&org.recruiter, &lp["id"], json!({"interviews": panel}));
    assert_eq!(res.status, 200, "{}", res.body);
    let lp = res.body;
    app.write_and_submit(&lp, &org.outsider, &[(dive, 3)], "hire");
    d.read_and_vote(&[
        (&org.br, "hire"),
        (&org.kim, "hire"),
        (&org.lee, "hire"),
        (&org.ola, "hire"),
        (&org.outsider, "hire"),
    ]);
    let closed = d.close(
        &org.br,
        json!({"recommendation": "hire", "veto": false, "rationale": "Raises the bar."}),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    let decided = d.decide(&org.hm, json!({"decision": "hire", "rationale": "Agreed."}));
    assert_eq!(decided.status, 200, "{}", decided.body);
    // Another loop, scheduled then cancelled: its proposed debrief is cancelled.
    let other = org
        .a_loop()
        .for_new_candidate(&app, "Cory Other")
        .seat(3, &org.outsider)
        .schedule(&app);
    let cancelled = app.cancel_loop(&org.recruiter, &other, "The role was filled.");
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);

    let all = messages(&app);
    let kinds: BTreeSet<&str> = all.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        ALL_KINDS.into_iter().collect(),
        "every kind of message was sent"
    );

    let mut followed = 0;
    for (kind, to, paths) in &all {
        if kind != "interview_cancelled" && kind != "debrief_cancelled" {
            assert!(!paths.is_empty(), "{kind} to {to} carries a link");
        }
        for path in paths {
            assert!(!path.starts_with("/api/"), "{kind} links to JSON: {path}");
            let mut web = WebClient::new(&app);
            let first = web.get(path);
            let page = if path.starts_with("/password/set") || path == "/login" {
                first
            } else {
                // Not signed in: to sign-in, and back to the link.
                assert_eq!(first.status, 303, "{kind} {path}: {}", first.text);
                assert!(
                    first.location().starts_with("/login?next="),
                    "{kind} {path}"
                );
                let form = web.get(first.location());
                let back = web.post(
                    "/login",
                    &[
                        ("csrf_token", &form.csrf()),
                        ("email", to),
                        ("password", PASSWORD),
                        ("next", path),
                    ],
                );
                assert_eq!(back.status, 303, "{kind}: {to} signs in: {}", back.text);
                assert_eq!(back.location(), path, "{kind}: back to the link");
                web.get(path)
            };
            if (kind == "interview_assigned" || kind == "debrief_proposed") && *to == org.ana.email
            {
                // Her interview was removed since (the cancellations told her):
                // its old links are a page saying there is nothing there.
                assert_eq!(page.status, 404, "{kind} {path}");
            } else if path.ends_with("/edit") {
                // The red report's link to the builder: the loop was decided
                // since, so the page says it can no longer be edited.
                assert_eq!(page.status, 409, "{kind} {path}: {}", page.text);
                page.assert_contains("A decided loop cannot be edited.");
            } else {
                assert_eq!(page.status, 200, "{kind} {path} for {to}: {}", page.text);
            }
            assert_eq!(
                page.header("content-type"),
                Some("text/html; charset=utf-8"),
                "{kind} {path}"
            );
            followed += 1;
        }
    }
    assert!(followed >= ALL_KINDS.len() - 1, "{followed} links followed");
}
