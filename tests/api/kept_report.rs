//! The independence report kept with each loop is never stale: random
//! sequences of organisation, library, requisition and panel changes, each
//! made through the API, and after every step the report every loop read
//! shows equals a fresh evaluation (`GET /loops/{id}/independence`).

use barraiser::urls::api;

use crate::client::LoopRef;

use serde_json::{Value, json};

use crate::fixtures::Org;
use crate::helpers::{TestApp, TestUser, spawn_app};

/// A small, seeded xorshift: the same seed replays the same sequence.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn loop_ids(app: &TestApp) -> Vec<i64> {
    app.get("/api/v1/loops?limit=200", &app.admin_token).body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect()
}

/// Every loop's kept report equals a fresh one; `step` says what came before.
#[track_caller]
fn assert_kept_reports_are_fresh(app: &TestApp, step: &str) {
    for id in loop_ids(app) {
        let kept = app.get(&api::loop_(id.loop_id()), &app.admin_token);
        let fresh = app.independence(&app.admin_token, &id);
        assert_eq!(kept.status, 200, "{}", kept.body);
        assert_eq!(
            kept.body["independence"], fresh.body,
            "loop {id} after {step}: the kept report differs from a fresh one"
        );
        assert_eq!(kept.body["flagged"], kept.body["flagged_at"].is_string());
    }
}

fn one_step(app: &TestApp, org: &Org, people: &[&TestUser], rng: &mut Rng, n: usize) -> String {
    let admin = &app.admin_token;
    let person = |rng: &mut Rng| rng.pick(people).id;
    match rng.below(9) {
        0 => {
            let (who, manager) = (person(rng), person(rng));
            let res = app.patch(
                &format!("/api/v1/users/{who}"),
                admin,
                json!({"manager_id": manager}),
            );
            format!("moving {who} under {manager} ({})", res.status)
        }
        1 => {
            let who = person(rng);
            let status = *rng.pick(&["none", "in_training", "certified", "inactive"]);
            app.put(
                &format!("/api/v1/users/{who}/bar-raiser"),
                admin,
                json!({"status": status}),
            );
            format!("bar raiser status of {who} to {status}")
        }
        2 => {
            let who = person(rng);
            let role = *rng.pick(&["member", "recruiter"]);
            app.patch(
                &format!("/api/v1/users/{who}"),
                admin,
                json!({"role": role}),
            );
            format!("role of {who} to {role}")
        }
        3 => {
            let who = person(rng);
            let active = rng.below(3) != 0;
            app.patch(
                &format!("/api/v1/users/{who}"),
                admin,
                json!({"active": active}),
            );
            format!("{who} active: {active}")
        }
        4 => {
            let who = person(rng);
            app.patch(
                &format!("/api/v1/users/{who}"),
                admin,
                json!({"name": format!("Renamed {n}")}),
            );
            format!("renaming {who}")
        }
        5 => {
            let competency = *rng.pick(&org.competencies);
            app.patch(
                &format!("/api/v1/competencies/{competency}"),
                admin,
                json!({"name": format!("Principle {n}")}),
            );
            format!("renaming competency {competency}")
        }
        6 => {
            let body = if rng.below(2) == 0 {
                json!({"min_panel_size": 1 + rng.below(6)})
            } else {
                json!({"competency_ids": [*rng.pick(&org.competencies)]})
            };
            let res = app.patch(
                &format!("/api/v1/requisitions/{}", org.requisition_id),
                admin,
                body.clone(),
            );
            format!("requisition {body} ({})", res.status)
        }
        7 => {
            let ids = loop_ids(app);
            let lp = *rng.pick(&ids);
            let br = person(rng);
            let res = app.patch(
                &api::loop_(lp.loop_id()),
                admin,
                json!({"bar_raiser_id": br}),
            );
            format!("loop {lp} bar raiser {br} ({})", res.status)
        }
        _ => {
            let ids = loop_ids(app);
            let lp = *rng.pick(&ids);
            let current = app.get(&api::loop_(lp.loop_id()), admin).body;
            let mut panel: Vec<Value> = crate::fixtures::editable_panel(&current);
            let slot = rng.below(panel.len());
            let mut replaced = panel[slot].clone();
            replaced.as_object_mut().unwrap().remove("id");
            replaced["interviewer_id"] = json!(person(rng));
            panel[slot] = replaced;
            let res = app.patch(
                &api::loop_(lp.loop_id()),
                admin,
                json!({"interviews": panel}),
            );
            format!("loop {lp} panel slot {slot} ({})", res.status)
        }
    }
}

#[test]
fn the_kept_report_equals_a_fresh_one_after_any_sequence_of_changes() {
    let app = spawn_app();
    let org = Org::new(&app);
    // Three loops: two scheduled (one for a candidate Kim referred), one draft.
    org.scheduled_loop(&app);
    let referred = app.post(
        api::CANDIDATES,
        &org.recruiter.token,
        json!({"name": "Rafa Referred", "email": "rafa@example.net", "referred_by_id": org.kim.id}),
    );
    let mut body = org.loop_body();
    body["candidate_id"] = referred.body["id"].clone();
    org.scheduled_loop_with(&app, body);
    let mut draft = org.loop_body_for(&app, "Dee Draft");
    draft["bar_raiser_id"] = json!(org.ola.id);
    org.create_loop_with(&app, draft);
    assert_kept_reports_are_fresh(&app, "the start");

    // First each kind of change once on the people every report names.
    let admin = &app.admin_token;
    app.patch(
        &format!("/api/v1/users/{}", org.br.id),
        admin,
        json!({"name": "Dana Renamed"}),
    );
    assert_kept_reports_are_fresh(&app, "renaming the bar raiser");
    app.patch(
        &format!("/api/v1/users/{}", org.ola.id),
        admin,
        json!({"name": "Ola Renamed"}),
    );
    assert_kept_reports_are_fresh(&app, "renaming the bar raiser's manager");
    app.patch(
        &format!("/api/v1/competencies/{}", org.competencies[0]),
        admin,
        json!({"name": "Owning It"}),
    );
    assert_kept_reports_are_fresh(&app, "renaming a required competency");
    app.patch(
        &format!("/api/v1/users/{}", org.kim.id),
        admin,
        json!({"name": "Kim Referrer"}),
    );
    assert_kept_reports_are_fresh(&app, "renaming the referrer");

    let people = [
        &org.ceo,
        &org.hm,
        &org.ola,
        &org.br,
        &org.kim,
        &org.lee,
        &org.ana,
        &org.outsider,
    ];
    for seed in [
        0x9E37_79B9_7F4A_7C15u64,
        0xD1B5_4A32_D192_ED03,
        0x2545_F491_4F6C_DD1D,
    ] {
        let mut rng = Rng(seed);
        for n in 0..25 {
            let step = one_step(&app, &org, &people, &mut rng, n);
            assert_kept_reports_are_fresh(&app, &format!("step {n} of seed {seed:#x}: {step}"));
        }
    }
}
