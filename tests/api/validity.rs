//! Predictive validity over HTTP: hires with performance ratings, built
//! through the service from a scipy fixture's pairs, give scipy's figures.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};

use crate::fixtures::Org;
use crate::helpers::{TestApp, spawn_app};

const VOTES: [&str; 4] = ["strong_no_hire", "no_hire", "hire", "strong_hire"];

/// A hire whose panel's initial votes average `score` (a multiple of 0.25).
fn hire_with_score(app: &TestApp, org: &Org, candidate: &str, score: f64) -> Value {
    let [own, dive] = org.competencies;
    let mut left = (score * 4.0).round() as i64 - 4;
    let votes: Vec<&str> = (0..4)
        .map(|_| {
            let extra = left.min(3);
            left -= extra;
            VOTES[extra as usize]
        })
        .collect();
    let lp = org
        .a_loop()
        .at(Utc::now() - TimeDelta::hours(6))
        .for_new_candidate(app, candidate)
        .schedule(app);
    let panel = [&org.br, &org.kim, &org.lee, &org.ana];
    let assigned: [&[(i64, i64)]; 4] = [
        &[(own, 3)],
        &[(dive, 3)],
        &[(own, 3)],
        &[(own, 3), (dive, 3)],
    ];
    for ((who, vote), ratings) in panel.iter().zip(&votes).zip(assigned) {
        app.write_and_submit(&lp, who, ratings, vote);
    }
    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);
    let people: Vec<(&crate::helpers::TestUser, &str)> =
        panel.iter().copied().zip(votes.iter().copied()).collect();
    d.read_and_vote(&people);
    let closed = d.close(
        &org.br,
        json!({"recommendation": "hire", "rationale": "Enough evidence."}),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    let done = d.decide(
        &org.hm,
        json!({"decision": "hire", "rationale": "We hire."}),
    );
    assert_eq!(done.status, 200, "{}", done.body);
    lp
}

#[derive(serde::Deserialize)]
struct Fixture {
    x: Vec<f64>,
    y: Vec<f64>,
    pearson: f64,
    pearson_ci: [f64; 2],
    spearman: f64,
}

#[test]
fn the_vote_score_against_later_ratings_equals_scipy_and_small_samples_say_insufficient_data() {
    let fixtures: Value =
        serde_json::from_str(include_str!("../support/validity_fixtures.json")).unwrap();
    let fx: Fixture = serde_json::from_value(fixtures["fixtures"][0].clone()).unwrap();
    assert_eq!(fx.x.len(), 20);
    let app = spawn_app();
    let org = Org::new(&app);
    let today = Utc::now().date_naive().to_string();
    for (i, (x, y)) in fx.x.iter().zip(&fx.y).enumerate() {
        let lp = hire_with_score(&app, &org, &format!("Hire {i}"), *x);
        // An older rating, then the latest: the latest counts.
        for value in [1.0, *y] {
            let res = app.post(
                &format!("/api/v1/loops/{}/outcomes", lp["id"]),
                &org.recruiter.token,
                json!({"kind": "performance_rating", "value": value, "observed_at": today}),
            );
            assert_eq!(res.status, 201, "{}", res.body);
        }
    }
    let report = app.get("/api/v1/metrics/validity", &app.admin_token);
    assert_eq!(report.status, 200, "{}", report.body);
    let v = &report.body;
    assert_eq!(v["range_restricted"], true);
    assert_eq!(v["rated_hires"], 20);
    let p = &v["vote_score"];
    assert_eq!(p["n"], 20);
    assert_eq!(p["insufficient_data"], false);
    let close = |got: &Value, want: f64| {
        let got = got.as_f64().unwrap();
        assert!((got - want).abs() < 1e-9, "{got} vs scipy {want}");
    };
    close(&p["pearson"], fx.pearson);
    close(&p["spearman"], fx.spearman);
    close(&p["pearson_ci"][0], fx.pearson_ci[0]);
    close(&p["pearson_ci"][1], fx.pearson_ci[1]);
    // Every competency was rated 3 everywhere: 20 pairs, no variation, no figure.
    let own = v["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["competency_id"] == org.competencies[0])
        .unwrap();
    assert_eq!(
        (own["n"].as_i64(), own["pearson"].is_null()),
        (Some(20), true)
    );
    // Each interviewer sat on 20 hires.
    assert_eq!(v["interviewers"].as_array().unwrap().len(), 4);

    // The page says the same to an admin, and is a 404 for anyone else.
    let ada = app.user("admin", "Ada Admin");
    let (mut web, _) = crate::web_client::WebClient::signed_in(&app, &ada.email);
    let page = web.get("/insights/validity");
    assert_eq!(page.status, 200);
    page.assert_contains("Range restriction.");
    let shown = format!("{:.3}", fx.pearson);
    page.assert_contains(shown.trim_end_matches('0').trim_end_matches('.'));
    let (mut rita, _) = crate::web_client::WebClient::signed_in(&app, &org.recruiter.email);
    assert_eq!(rita.get("/insights/validity").status, 404);

    // A period that holds none of them: nothing to say.
    let old = app.get(
        "/api/v1/metrics/validity?from=2020-01-01T00:00:00Z&to=2020-06-01T00:00:00Z",
        &app.admin_token,
    );
    assert_eq!(old.body["rated_hires"], 0);
    assert_eq!(old.body["vote_score"]["insufficient_data"], true);
    assert!(old.body["vote_score"]["pearson"].is_null());
    // Admins only.
    app.get("/api/v1/metrics/validity", &org.recruiter.token)
        .assert_problem(403, "admin_only");
    app.get("/api/v1/metrics/validity?from=x", &app.admin_token)
        .assert_problem(422, "validation_failed");
}
