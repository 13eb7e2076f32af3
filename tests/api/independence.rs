//! The independence engine through the API: every rule passing and failing,
//! re-evaluation after reorganisations, bar raiser suggestions.

use barraiser::urls::api;

use crate::client::LoopRef;

use serde_json::{Value, json};

use crate::fixtures::{Org, detail, failing};
use crate::helpers::{TestApp, spawn_app};

fn set_manager(app: &TestApp, user_id: i64, manager_id: Value) {
    let res = app.update_user(user_id, json!({"manager_id": manager_id}));
    assert_eq!(res.status, 200, "{}", res.body);
}

fn report(app: &TestApp, org: &Org, lp: &Value) -> Value {
    let res = app.independence(&org.recruiter.token, &lp["id"]);
    assert_eq!(res.status, 200, "{}", res.body);
    res.body
}

#[test]
fn a_green_loop_passes_all_ten_rules_with_details_naming_people() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    let r = report(&app, &org, &lp);
    assert_eq!(r["ok"], true);
    let rules: Vec<&str> = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "bar_raiser_certified",
            "bar_raiser_not_hiring_manager",
            "bar_raiser_outside_hiring_manager_chain",
            "hiring_manager_not_under_bar_raiser",
            "bar_raiser_independent_of_recruiting",
            "bar_raiser_no_candidate_conflict",
            "bar_raiser_on_panel",
            "competencies_covered",
            "panel_size",
            "panel_valid",
        ]
    );
    assert_eq!(
        detail(&r, "bar_raiser_certified"),
        "Dana Lee is a certified bar raiser"
    );
    assert_eq!(
        detail(&r, "bar_raiser_outside_hiring_manager_chain"),
        "Dana Lee does not report to Sam Ortiz"
    );
}

#[test]
fn a_bar_raiser_in_the_hiring_managers_reporting_tree_fails_naming_the_chain() {
    let app = spawn_app();
    let org = Org::new(&app);
    // Dana reports to Kim, who reports to Sam (the hiring manager): a skip-level report.
    set_manager(&app, org.br.id, json!(org.kim.id));
    let lp = org.create_loop(&app);
    assert_eq!(failing(&lp), ["bar_raiser_outside_hiring_manager_chain"]);
    assert_eq!(
        detail(&lp, "bar_raiser_outside_hiring_manager_chain"),
        "Dana Lee reports to Sam Ortiz through Kim Park"
    );
}

#[test]
fn the_hiring_managers_own_manager_cannot_be_the_bar_raiser() {
    let app = spawn_app();
    let org = Org::new(&app);
    app.certify(org.ceo.id);
    let mut body = org.loop_body();
    body["bar_raiser_id"] = json!(org.ceo.id);
    body["interviews"][0]["interviewer_id"] = json!(org.ceo.id);
    let lp = org.create_loop_with(&app, body);
    assert_eq!(failing(&lp), ["hiring_manager_not_under_bar_raiser"]);
    assert_eq!(
        detail(&lp, "hiring_manager_not_under_bar_raiser"),
        "Sam Ortiz reports directly to Ceo Vance"
    );
}

#[test]
fn the_hiring_manager_cannot_be_their_own_bar_raiser() {
    let app = spawn_app();
    let org = Org::new(&app);
    app.certify(org.hm.id);
    let mut body = org.loop_body();
    body["bar_raiser_id"] = json!(org.hm.id);
    body["interviews"][0]["interviewer_id"] = json!(org.hm.id);
    let lp = org.create_loop_with(&app, body);
    assert_eq!(failing(&lp), ["bar_raiser_not_hiring_manager"]);
}

#[test]
fn a_recruiter_cannot_be_the_bar_raiser() {
    let app = spawn_app();
    let org = Org::new(&app);
    app.certify(org.other_recruiter.id);
    let mut body = org.loop_body();
    body["bar_raiser_id"] = json!(org.other_recruiter.id);
    body["interviews"][0]["interviewer_id"] = json!(org.other_recruiter.id);
    let lp = org.create_loop_with(&app, body);
    assert_eq!(failing(&lp), ["bar_raiser_independent_of_recruiting"]);
    assert_eq!(
        detail(&lp, "bar_raiser_independent_of_recruiting"),
        "Rob Hale holds the recruiter role"
    );
}

#[test]
fn the_person_who_referred_the_candidate_cannot_be_the_bar_raiser() {
    let app = spawn_app();
    let org = Org::new(&app);
    let referred = app.post(
        api::CANDIDATES,
        &org.recruiter.token,
        json!({"name": "Rae Ferral", "email": "rae@example.net", "referred_by_id": org.br.id}),
    );
    let mut body = org.loop_body();
    body["candidate_id"] = referred.body["id"].clone();
    let lp = org.create_loop_with(&app, body);
    assert_eq!(failing(&lp), ["bar_raiser_no_candidate_conflict"]);
    assert_eq!(
        detail(&lp, "bar_raiser_no_candidate_conflict"),
        "Dana Lee referred the candidate"
    );
}

#[test]
fn uncertified_or_inactive_bar_raisers_fail_certification() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    let path = format!("/api/v1/users/{}/bar-raiser", org.br.id);
    app.put(&path, &app.admin_token, json!({"status": "in_training"}));
    let r = report(&app, &org, &lp);
    assert_eq!(failing(&r), ["bar_raiser_certified"]);
    assert_eq!(
        detail(&r, "bar_raiser_certified"),
        "Dana Lee is not a certified bar raiser (status: in_training)"
    );
    app.put(&path, &app.admin_token, json!({"status": "certified"}));
    app.update_user(org.br.id, json!({"active": false}));
    let r = report(&app, &org, &lp);
    assert_eq!(failing(&r), ["bar_raiser_certified", "panel_valid"]);
    assert_eq!(
        detail(&r, "bar_raiser_certified"),
        "Dana Lee is deactivated"
    );
    assert_eq!(
        detail(&r, "panel_valid"),
        "Dana Lee (interview 1) is deactivated"
    );
}

#[test]
fn panel_rules_fail_for_a_missing_bar_raiser_seat_uncovered_competencies_and_a_small_panel() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, _] = org.competencies;
    let mut body = org.loop_body();
    body["interviews"] = json!([
        org.interview(&org.kim, &[own], 9),
        org.interview(&org.lee, &[own], 10)
    ]);
    let lp = org.create_loop_with(&app, body);
    assert_eq!(
        failing(&lp),
        ["bar_raiser_on_panel", "competencies_covered", "panel_size"]
    );
    assert_eq!(
        detail(&lp, "competencies_covered"),
        "not assigned to any interview: Dive Deep"
    );
    assert_eq!(
        detail(&lp, "panel_size"),
        "2 interviews; the requisition requires at least 4"
    );
    assert_eq!(
        detail(&lp, "bar_raiser_on_panel"),
        "Dana Lee conducts none of the loop's interviews"
    );
}

#[test]
fn a_reorg_after_scheduling_turns_the_loop_red_flags_it_and_mails_the_recruiter() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let untouched = {
        // A loop of another hiring manager that the reorg cannot affect.
        let req = app.post(
            api::REQUISITIONS,
            &org.recruiter.token,
            json!({"title": "Analyst", "hiring_manager_id": org.ana.id, "competency_ids": [org.competencies[0]], "min_panel_size": 1}),
        );
        let mut body = org.loop_body();
        body["requisition_id"] = req.body["id"].clone();
        body["interviews"] = json!([org.interview(&org.br, &[org.competencies[0]], 9)]);
        org.create_loop_with(&app, body)
    };
    // Ola (Dana's manager) moves under Sam: Dana now reports to the hiring manager through Ola.
    set_manager(&app, org.ola.id, json!(org.hm.id));

    let now = app
        .get(&api::loop_(lp["id"].loop_id()), &org.recruiter.token)
        .body;
    assert_eq!(now["status"], "scheduled");
    assert_eq!(now["flagged"], true);
    assert!(now["flagged_at"].is_string());
    assert_eq!(failing(&now), ["bar_raiser_outside_hiring_manager_chain"]);
    assert_eq!(
        detail(&now, "bar_raiser_outside_hiring_manager_chain"),
        "Dana Lee reports to Sam Ortiz through Ola Berg"
    );
    let red = app.outbox_of("independence_turned_red");
    assert_eq!(red.len(), 1);
    assert_eq!(red[0]["to"], json!([org.recruiter.email]));
    assert_eq!(
        red[0]["subject"],
        "Action needed: Casey Candidate's loop for Senior Engineer is no longer independent",
        "two red loops are told apart by their candidates"
    );
    let events = app
        .get(
            &format!("/api/v1/loops/{}/events", lp["id"]),
            &org.recruiter.token,
        )
        .body;
    let last = events["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "independence_changed");
    assert_eq!(last["actor_id"], app.me(&app.admin_token).body["id"]);
    assert_eq!(
        last["data"]["after"]["failing"],
        json!(["bar_raiser_outside_hiring_manager_chain"])
    );
    let other_events = app
        .get(
            &format!("/api/v1/loops/{}/events", untouched["id"]),
            &org.recruiter.token,
        )
        .body;
    assert_eq!(
        other_events["items"].as_array().unwrap().len(),
        1,
        "only its creation"
    );

    // Undo the reorg: green again, no longer flagged, and an all-clear.
    set_manager(&app, org.ola.id, json!(org.ceo.id));
    let now = app
        .get(&api::loop_(lp["id"].loop_id()), &org.recruiter.token)
        .body;
    assert_eq!(now["flagged"], false);
    assert_eq!(now["independence"]["ok"], true);
    assert_eq!(app.outbox_of("independence_turned_red").len(), 1);
    let clear = app.outbox_of("independence_restored");
    assert_eq!(clear.len(), 1, "the recruiter hears that it is green again");
    assert_eq!(clear[0]["to"], json!([org.recruiter.email]));
}

#[test]
fn a_role_change_of_the_bar_raiser_turns_a_scheduled_loop_red() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let res = app.update_user(org.br.id, json!({"role": "recruiter"}));
    assert_eq!(res.status, 200);
    let now = app
        .get(&api::loop_(lp["id"].loop_id()), &org.recruiter.token)
        .body;
    assert_eq!(now["flagged"], true);
    assert_eq!(failing(&now), ["bar_raiser_independent_of_recruiting"]);
    assert_eq!(app.outbox_of("independence_turned_red").len(), 1);
}

#[test]
fn suggestions_list_eligible_bar_raisers_least_loaded_first() {
    let app = spawn_app();
    let org = Org::new(&app);
    // Dana (certified, eligible) already raises the bar on one open loop.
    org.create_loop(&app);
    let zoe = app.user_with(
        json!({"name": "Zoe Adams", "manager_id": org.ola.id, "department": "Logistics"}),
    );
    app.certify(zoe.id);
    app.certify(org.kim.id); // reports to the hiring manager
    app.certify(org.ceo.id); // the hiring manager's manager
    app.certify(org.other_recruiter.id); // recruiting
    let referrer = app.user("member", "Ray Ferr");
    app.certify(referrer.id);
    let trainee = app.user("member", "Tina Train");
    app.set_bar_raiser(trainee.id, "in_training");
    let gone = app.user("member", "Gus Gone");
    app.certify(gone.id);
    app.update_user(gone.id, json!({"active": false}));

    let cand = app.post(
        api::CANDIDATES,
        &org.recruiter.token,
        json!({"name": "Casey Two", "email": "c2@example.net", "referred_by_id": referrer.id}),
    );
    let mut body = org.loop_body();
    body["candidate_id"] = cand.body["id"].clone();
    let lp = org.create_loop_with(&app, body);
    let res = app.suggestions(&org.recruiter.token, &lp["id"]);
    assert_eq!(res.status, 200, "{}", res.body);
    let got: Vec<(String, i64)> = res.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["load"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("Zoe Adams".to_owned(), 0), ("Dana Lee".to_owned(), 2)]
    );

    // Choosing the first suggestion passes every rule about the person.
    let mut panel = org.panel();
    panel[0]["interviewer_id"] = json!(zoe.id);
    let res = app.patch(
        &api::loop_(lp["id"].loop_id()),
        &org.recruiter.token,
        json!({"bar_raiser_id": zoe.id, "interviews": panel}),
    );
    assert_eq!(failing(&res.body), Vec::<String>::new());
}
