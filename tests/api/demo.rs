//! `barraiser demo`: a whole organisation through the services, seeded once.

use barraiser::urls::api;

use crate::client::LoopRef;

use serde_json::Value;

use crate::helpers::spawn_app;

#[test]
fn the_demo_seeds_loops_in_every_state_once_whatever_the_number_of_runs() {
    let app = spawn_app();
    let url = app.settings.mail.public_url.clone();
    let seed = || {
        actix_web::rt::System::new()
            .block_on(barraiser::process::demo::seed(app.store(), &url))
            .unwrap()
    };
    let first = seed().expect("the first run seeds");
    assert_eq!(first.loops, 11);
    let count = |path: &str| -> usize {
        let res = app.get(&format!("/api/v1/{path}"), &app.admin_token);
        assert_eq!(res.status, 200, "{path}: {}", res.body);
        res.body["items"].as_array().unwrap().len()
    };
    let snapshot = || {
        [
            count("users?limit=200"),
            count("loops?limit=200"),
            count("requisitions?limit=200"),
            count("admin/outbox?limit=200"),
        ]
    };
    let before = snapshot();
    assert!(
        before[0] >= 31,
        "at least 30 people and the admin: {before:?}"
    );
    assert!(
        seed().is_none(),
        "the second run finds the demo and adds nothing"
    );
    assert_eq!(snapshot(), before);

    let ola = app.login(
        "ola@demo.barraiser.test",
        barraiser::process::demo::PASSWORD,
    );
    let loops = app.get("/api/v1/loops?limit=200", &ola);
    let items = loops.body["items"].as_array().unwrap();
    let with = |f: &dyn Fn(&Value) -> bool| items.iter().filter(|l| f(l)).count();
    for status in [
        "draft",
        "scheduled",
        "in_debrief",
        "awaiting_decision",
        "decided",
        "cancelled",
    ] {
        assert!(with(&|l| l["status"] == status) >= 1, "a {status} loop");
    }
    assert!(
        with(&|l| l["status"] == "draft" && l["independence"]["ok"] == false) >= 1,
        "a draft with a red report"
    );
    assert!(
        with(&|l| l["flagged"] == true) >= 1,
        "a loop flagged after a reorg"
    );
    let decided: Vec<&Value> = items.iter().filter(|l| l["status"] == "decided").collect();
    let packets: Vec<Value> = decided
        .iter()
        .map(|l| app.get(&api::debrief(l["id"].loop_id()), &ola).body)
        .collect();
    assert!(packets.iter().any(|p| p["decision"]["decision"] == "hire"));
    assert!(
        packets
            .iter()
            .any(|p| p["decision"]["decision"] == "no_hire")
    );
    assert!(packets.iter().any(|p| p["veto"] == true));
    assert!(
        packets
            .iter()
            .any(|p| p["decision"]["agrees_with_composite"] == false)
    );
    let open = items.iter().find(|l| l["status"] == "in_debrief").unwrap();
    let packet = app.get(&api::debrief(open["id"].loop_id()), &ola);
    let competencies = packet.body["competencies"].as_array().unwrap();
    assert_eq!(
        competencies[0]["diverged"], true,
        "divergent ratings in the open debrief, listed first"
    );
    assert!(
        competencies.iter().any(|c| c["lone_witness"] == true),
        "a competency only one interviewer saw"
    );
    let votes = packet.body["votes"].as_array().unwrap();
    let cast = votes.iter().filter(|v| v["has_final_vote"] == true).count();
    assert!(cast > 0 && cast < votes.len(), "votes mid-way: {votes:?}");
    assert!(
        competencies.iter().all(|c| c["ratings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| !r["evidence"].as_str().unwrap().contains("onboarding")
                || c["name"] == "Hire and Develop the Best")),
        "evidence that belongs to its competency"
    );
    // Someone has overdue feedback.
    let chloe = app.login(
        "chloe@demo.barraiser.test",
        barraiser::process::demo::PASSWORD,
    );
    let due = app.get("/api/v1/me/interviews?status=feedback_due", &chloe);
    assert_eq!(due.body["items"][0]["overdue"], true, "{}", due.body);
}

#[test]
fn the_benchmark_dataset_is_green_consistent_and_seeded_once() {
    let app = spawn_app();
    let took = barraiser::process::dataset::seed(app.store(), 200).unwrap();
    assert!(took.is_some());
    assert!(
        barraiser::process::dataset::seed(app.store(), 200)
            .unwrap()
            .is_none()
    );
    let page = app.get("/api/v1/loops?limit=200", &app.admin_token);
    let items = page.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 200);
    assert!(
        items.iter().all(|l| l["independence"]["ok"] == true),
        "every generated loop is green"
    );
    assert!(
        items
            .iter()
            .all(|l| l["interviews"].as_array().unwrap().len() == 4)
    );
    // Every loop keeps its report, as those the service writes do, and the
    // kept report is what a fresh evaluation says.
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Missing {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let missing: Missing = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM interview_loops WHERE independence_report IS NULL",
    )
    .get_result(&mut *app.store().conn().unwrap())
    .unwrap();
    assert_eq!(missing.n, 0, "loops without a kept report");
    for lp in items.iter().step_by(37) {
        let fresh = app.independence(&app.admin_token, &lp["id"]);
        assert_eq!(fresh.status, 200, "{}", fresh.body);
        assert_eq!(lp["independence"], fresh.body, "loop {}", lp["id"]);
    }
    let person = app.login("d500@dataset.test", barraiser::process::dataset::PASSWORD);
    assert_eq!(app.get(api::ME_INTERVIEWS, &person).status, 200);
    let process = app.get(
        "/api/v1/metrics/process?from=2000-01-01T00:00:00Z",
        &app.admin_token,
    );
    assert_eq!(process.body["loops_scheduled"], 190);
    assert_eq!(process.body["loops_decided"], 130);
    let calibration = app.get(
        "/api/v1/metrics/calibration?from=2000-01-01T00:00:00Z",
        &app.admin_token,
    );
    assert!(
        calibration.body["pooled"]["alpha"]
            .as_f64()
            .is_some_and(|a| a > 0.0 && a < 1.0)
    );
}
