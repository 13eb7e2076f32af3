//! The insights pages: the API's figures as charts and tables, their CSV
//! downloads against the JSON, who may see which page, and the period.

use std::collections::HashMap;

use barraiser::urls::{self, api};
use chrono::{TimeDelta, Utc};
use serde_json::Value;

use crate::analytics::{seed, spawn_app_showing_everyone};
use crate::fixtures::Org;
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

/// Yesterday to today as the pages' dates, and the same period as the API's
/// instants.
fn period() -> (String, String, String) {
    let today = Utc::now().date_naive();
    let from = today - TimeDelta::days(1);
    let page = format!("from={from}&to={today}");
    let api = format!(
        "from={from}T00:00:00Z&to={}T00:00:00Z",
        today + TimeDelta::days(1)
    );
    (page, api, today.to_string())
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// A figure of the JSON as the CSV writes it (three decimals, no trailing zeros).
fn shown(v: &Value) -> String {
    match v.as_f64() {
        None => "—".to_owned(),
        Some(x) => {
            let s = format!("{:.3}", (x * 1000.0).round() / 1000.0);
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        }
    }
}

#[test]
fn the_process_page_draws_the_apis_figures_and_each_csv_matches_the_json() {
    let app = spawn_app_showing_everyone();
    let org = Org::new(&app);
    seed(&app, &org);
    let (page_period, api_period, _) = period();
    let json = app
        .get(
            &format!("{}?{api_period}", api::METRICS_PROCESS),
            &org.recruiter.token,
        )
        .body;
    let (mut web, _) = WebClient::signed_in(&app, &org.recruiter.email);
    let page = web.get(&format!("{}?{page_period}", urls::INSIGHTS));
    assert_eq!(page.status, 200, "{}", page.text);
    page.assert_contains(
        "<title id=\"weeks-chart-title\">Loops scheduled and decided per week</title>",
    );
    page.assert_contains("<title id=\"durations-chart-title\">");
    page.assert_contains("Rita Cole");
    page.assert_contains("Dana Lee");

    let mut csv = |of: &str| {
        let res = web.get(&format!("{}?{page_period}&of={of}", urls::INSIGHTS_EXPORT));
        assert_eq!(res.status, 200, "{of}: {}", res.text);
        assert!(res.header("content-type").unwrap().starts_with("text/csv"));
        csv_rows(&res.text)
    };
    let summary: HashMap<String, String> = csv("summary")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    for (figure, value) in [
        ("loops scheduled", &json["loops_scheduled"]),
        ("loops decided", &json["loops_decided"]),
        (
            "median hours from schedule to decision",
            &json["median_hours_schedule_to_decision"],
        ),
        ("feedback submitted", &json["feedback"]["submitted"]),
        (
            "feedback on time (share)",
            &json["feedback"]["on_time_rate"],
        ),
        (
            "debriefs opened with missing feedback (share)",
            &json["override_rate"],
        ),
        (
            "votes changed in the debrief (share)",
            &json["vote_change_rate"],
        ),
        ("vetoes (share of closed debriefs)", &json["veto_rate"]),
        ("hires (share of decisions)", &json["hire_rate"]),
        (
            "decisions against the composite",
            &json["decisions_against_composite"],
        ),
        (
            "violations caught at assembly",
            &json["independence_violations"]["at_assembly"],
        ),
        (
            "violations caught after scheduling",
            &json["independence_violations"]["after_scheduling"],
        ),
    ] {
        assert_eq!(summary[figure], shown(value), "{figure}");
    }
    let weeks = csv("weeks");
    let scheduled: i64 = weeks.iter().map(|w| w[1].parse::<i64>().unwrap()).sum();
    let decided: i64 = weeks.iter().map(|w| w[2].parse::<i64>().unwrap()).sum();
    assert_eq!(scheduled, json["loops_scheduled"].as_i64().unwrap());
    assert_eq!(decided, json["loops_decided"].as_i64().unwrap());
    assert_eq!(json["weeks"].as_array().unwrap().len(), weeks.len());
    let durations: i64 = csv("durations")
        .iter()
        .map(|d| d[1].parse::<i64>().unwrap())
        .sum();
    assert_eq!(durations, json["loops_decided"].as_i64().unwrap());
    let interviewers = csv("interviewers");
    assert_eq!(
        interviewers.len(),
        json["interviewers"].as_array().unwrap().len()
    );
    let kim = interviewers.iter().find(|r| r[0] == "Kim Park").unwrap();
    let kim_json = json["interviewers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["user_id"] == org.kim.id)
        .unwrap();
    assert_eq!(kim[1], kim_json["feedback"].to_string());
    assert_eq!(kim[2], shown(&kim_json["on_time_rate"]));

    // Sorted by a column, descending then ascending.
    let sorted = web.get(&format!("{}?{page_period}&sort=-1", urls::INSIGHTS));
    sorted.assert_contains(r#"aria-sort="descending""#);
}

#[test]
fn calibration_shows_alpha_in_words_and_its_csv_matches_the_json() {
    let app = spawn_app_showing_everyone();
    let org = Org::new(&app);
    seed(&app, &org);
    let (page_period, api_period, _) = period();
    let json = app
        .get(
            &format!("{}?{api_period}", api::METRICS_CALIBRATION),
            &app.admin_token,
        )
        .body;
    let ada = app.user("admin", "Ada Admin");
    let (mut web, _) = WebClient::signed_in(&app, &ada.email);
    let page = web.get(&format!("{}?{page_period}", urls::INSIGHTS_CALIBRATION));
    assert_eq!(page.status, 200, "{}", page.text);
    page.assert_contains("Krippendorff's alpha measures how much interviewers agree");
    page.assert_contains("insufficient data:");
    page.assert_contains("<title id=\"leniency-chart-title\">Leniency per interviewer</title>");
    let res = web.get(&format!(
        "{}?{page_period}&of=agreement",
        urls::INSIGHTS_CALIBRATION_EXPORT
    ));
    let rows = csv_rows(&res.text);
    assert_eq!(rows[0][0], "all competencies (pooled)");
    assert_eq!(rows[0][1], shown(&json["pooled"]["alpha"]));
    assert_eq!(rows[0][2], json["pooled"]["units"].to_string());
    assert_eq!(rows[0][3], json["pooled"]["pairable_values"].to_string());
    let res = web.get(&format!(
        "{}?{page_period}&of=interviewers",
        urls::INSIGHTS_CALIBRATION_EXPORT
    ));
    let rows = csv_rows(&res.text);
    for stats in json["interviewers"].as_array().unwrap() {
        let leniency = shown(&stats["leniency"]);
        let ratings = stats["ratings"].to_string();
        assert!(
            rows.iter().any(|r| r[1] == ratings && r[7] == leniency),
            "{stats} in {rows:?}"
        );
    }
}

#[test]
fn each_page_is_the_404_page_for_those_its_figures_are_not_for() {
    let app = spawn_app();
    let org = Org::new(&app);
    for (who, path) in [
        (&org.kim, urls::INSIGHTS),
        (&org.hm, urls::INSIGHTS_EXPORT),
        (&org.kim, urls::INSIGHTS_CALIBRATION),
        (&org.recruiter, urls::INSIGHTS_CALIBRATION),
        (&org.recruiter, urls::INSIGHTS_CALIBRATION_EXPORT),
    ] {
        let (mut web, _) = WebClient::signed_in(&app, &who.email);
        let page = web.get(path);
        assert_eq!(page.status, 404, "{path}");
        page.assert_contains("Page not found");
    }
    let (mut web, _) = WebClient::signed_in(&app, &org.br.email);
    assert_eq!(
        web.get(urls::INSIGHTS_CALIBRATION).status,
        200,
        "a certified bar raiser"
    );
    let (mut web, _) = WebClient::signed_in(&app, &org.kim.email);
    let mirror = web.get(urls::INSIGHTS_ME);
    assert_eq!(mirror.status, 200);
    mirror.assert_contains("Not enough yet");
    assert!(
        !web.get(urls::HOME)
            .text
            .contains(&format!("href=\"{}\"", urls::INSIGHTS))
    );
}

#[test]
fn the_mirror_is_ones_own_ratings_beside_the_co_raters_and_matches_calibration() {
    let app = spawn_app_showing_everyone();
    let org = Org::new(&app);
    seed(&app, &org);
    let (page_period, api_period, _) = period();
    let json = app
        .get(
            &format!("{}?{api_period}", api::METRICS_CALIBRATION),
            &app.admin_token,
        )
        .body;
    for who in [&org.kim, &org.ana] {
        let stats = json["interviewers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["user_id"] == who.id)
            .unwrap();
        let (mut web, _) = WebClient::signed_in(&app, &who.email);
        let page = web.get(&format!("{}?{page_period}", urls::INSIGHTS_ME));
        assert_eq!(page.status, 200, "{}", page.text);
        page.assert_contains("How you rate");
        page.assert_contains(&format!(
            "{} (n {})",
            shown(&stats["leniency"]),
            stats["n_shared"]
        ));
        let res = web.get(&format!("{}?{page_period}", urls::INSIGHTS_ME_EXPORT));
        let rows = csv_rows(&res.text);
        for (i, level) in ["1", "2", "3", "4"].iter().enumerate() {
            let expected = stats["rating_distribution"][level]
                .as_u64()
                .unwrap_or(0)
                .to_string();
            assert_eq!(rows[i][1], expected, "{level} for user {}", who.id);
        }
    }
}

#[test]
fn a_period_is_a_preset_or_dates_and_a_bad_one_is_refused() {
    let app = spawn_app();
    let org = Org::new(&app);
    let (mut web, _) = WebClient::signed_in(&app, &org.recruiter.email);
    let page = web.get(&format!("{}?days=30", urls::INSIGHTS));
    assert_eq!(page.status, 200);
    page.assert_contains(r#"aria-current="true">last 30 days"#);
    let today = Utc::now().date_naive();
    let page = web.get(&format!(
        "{}?from={}&to={today}",
        urls::INSIGHTS,
        today - TimeDelta::days(6)
    ));
    assert_eq!(page.status, 200);
    page.assert_contains(&format!("to <strong>{today}</strong>"));
    for bad in [
        "days=0",
        "days=many",
        "from=2026-12-01&to=2026-11-01",
        "from=yesterday",
    ] {
        let page = web.get(&format!("{}?{bad}", urls::INSIGHTS));
        assert_eq!(page.status, 422, "{bad}");
        page.assert_contains("Not a period");
    }
}

/// Keeps the figures at `now` and holds each kept one to the API's fresh
/// answer for the same period, field for field.
fn assert_kept_equal_fresh(app: &crate::helpers::TestApp, step: &str) {
    use barraiser::services::analytics::kept;
    use chrono::SubsecRound;
    let now = Utc::now().trunc_subsecs(6);
    let system = actix_web::rt::System::new();
    let db = app.store();
    let privacy = barraiser::services::analytics::Privacy {
        min_loops_per_person: 1,
    };
    system
        .block_on(kept::refresh(db, privacy, now))
        .unwrap_or_else(|e| panic!("{step}: {e}"));
    let admin = barraiser::db::users::find(&mut db.conn().unwrap(), 1)
        .unwrap()
        .unwrap();
    let long_ago = now - TimeDelta::days(1);
    for days in kept::PRESETS {
        let from = now - TimeDelta::days(days);
        let period = format!(
            "from={}&to={}",
            from.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        );
        let kept_process = system
            .block_on(kept::process(db, &admin, days, long_ago))
            .unwrap()
            .expect("kept");
        let fresh = app.get(
            &format!("{}?{period}", api::METRICS_PROCESS),
            &app.admin_token,
        );
        assert_eq!(
            serde_json::to_value(&kept_process.figures).unwrap(),
            fresh.body,
            "process over {days} days after {step}"
        );
        let kept_calibration = system
            .block_on(kept::calibration(db, &admin, days, long_ago))
            .unwrap()
            .expect("kept");
        let fresh = app.get(
            &format!("{}?{period}", api::METRICS_CALIBRATION),
            &app.admin_token,
        );
        assert_eq!(
            serde_json::to_value(&kept_calibration.figures).unwrap(),
            fresh.body,
            "calibration over {days} days after {step}"
        );
    }
}

#[test]
fn the_kept_figures_equal_fresh_ones_after_any_sequence_of_writes() {
    use crate::kept_report::Rng;
    let app = spawn_app_showing_everyone();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let panel = [
        (&org.br, vec![(own, 0)]),
        (&org.kim, vec![(dive, 0)]),
        (&org.lee, vec![(own, 0)]),
        (&org.ana, vec![(own, 0), (dive, 0)]),
    ];
    let votes = ["strong_no_hire", "no_hire", "hire", "strong_hire"];
    let mut loops: Vec<(Value, usize)> = Vec::new();
    assert_kept_equal_fresh(&app, "the start");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut moved = false;
    for n in 0..14 {
        let step = match rng.below(4) {
            // A new loop, its interviews this morning.
            0 => {
                if moved {
                    app.update_user(org.br.id, serde_json::json!({"manager_id": org.ola.id}));
                    moved = false;
                }
                let lp = org
                    .a_loop()
                    .at(Utc::now() - TimeDelta::hours(6))
                    .for_new_candidate(&app, &format!("Pat Number{n}"))
                    .schedule(&app);
                loops.push((lp, 0));
                "a loop scheduled".to_owned()
            }
            // The next panel member of a loop submits, with random ratings.
            1 if !loops.is_empty() => {
                let i = rng.below(loops.len());
                let (lp, submitted) = &mut loops[i];
                if *submitted < panel.len() {
                    let (who, ratings) = &panel[*submitted];
                    let ratings: Vec<(i64, i64)> = ratings
                        .iter()
                        .map(|(c, _)| (*c, 1 + rng.below(4) as i64))
                        .collect();
                    let vote = *rng.pick(&votes);
                    app.write_and_submit(lp, who, &ratings, vote);
                    *submitted += 1;
                }
                format!("a submission on loop {i}")
            }
            // A loop whose panel has submitted is debriefed and decided.
            2 => match loops.iter().position(|(_, s)| *s == panel.len()) {
                Some(i) => {
                    let (lp, submitted) = &mut loops[i];
                    let d = app.debrief(lp);
                    assert_eq!(d.open(&org.br, None).status, 200);
                    let cast: Vec<(&crate::helpers::TestUser, &str)> = panel
                        .iter()
                        .map(|(who, _)| (*who, *rng.pick(&votes)))
                        .collect();
                    d.read_and_vote(&cast);
                    assert_eq!(
                        d.close(
                            &org.br,
                            serde_json::json!({"recommendation": "hire", "rationale": "Yes."})
                        )
                        .status,
                        200
                    );
                    let decision = if rng.below(2) == 0 { "hire" } else { "no_hire" };
                    assert_eq!(
                        d.decide(
                            &org.hm,
                            serde_json::json!({"decision": decision, "rationale": "Said."})
                        )
                        .status,
                        200
                    );
                    *submitted += 1;
                    format!("loop {i} decided")
                }
                None => "nothing to decide".to_owned(),
            },
            // A reorganisation that turns loops red, or back.
            _ => {
                moved = !moved;
                let manager = if moved { org.hm.id } else { org.ola.id };
                app.update_user(org.br.id, serde_json::json!({"manager_id": manager}));
                "the bar raiser moved".to_owned()
            }
        };
        assert_kept_equal_fresh(&app, &format!("step {n}: {step}"));
    }
}

#[test]
fn a_preset_reads_the_kept_figures_and_dates_compute_fresh_ones() {
    use crate::helpers::{TestApp, TestDb, test_settings};
    let db = TestDb::fresh();
    let mut settings = test_settings(&db);
    settings.insights_refresh = Some(std::time::Duration::from_secs(3600));
    let app = TestApp::start(db, settings);
    let org = Org::new(&app);
    let (mut web, _) = WebClient::signed_in(&app, &org.recruiter.email);
    // The worker kept the presets when it started; wait for its first round.
    crate::smtp::wait_until(std::time::Duration::from_secs(20), || {
        web.get(urls::INSIGHTS).text.contains("Figures as of")
    });
    org.scheduled_loop(&app);
    let kept = web.get(&format!("{}?days=30", urls::INSIGHTS));
    kept.assert_contains("Figures as of");
    kept.assert_contains("<dt>Loops scheduled</dt><dd>0</dd>");
    let (page_period, _, _) = period();
    let fresh = web.get(&format!("{}?{page_period}", urls::INSIGHTS));
    assert!(!fresh.text.contains("Figures as of"));
    fresh.assert_contains("<dt>Loops scheduled</dt><dd>1</dd>");
}
