//! "Send a reminder": the loop's recruiter (or an admin) reminds an
//! interviewer of feedback not yet submitted, at most once an hour per
//! interview, by mail and in the loop's audit log.

use barraiser::domain::InterviewId;
use barraiser::urls::{self, api};
use chrono::{TimeDelta, Utc};
use serde_json::json;

use crate::fixtures::{Org, interview_of};
use crate::helpers::{TestUser, spawn_app};
use crate::web_client::WebClient;

fn remind(
    app: &crate::helpers::TestApp,
    who: &TestUser,
    interview: i64,
) -> crate::helpers::TestResponse {
    app.post(
        &api::interview_reminder(InterviewId(interview)),
        &who.token,
        json!({}),
    )
}

#[test]
fn a_recruiter_reminds_an_interviewer_once_an_hour_by_mail_and_in_the_log() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org
        .a_loop()
        .at(Utc::now() - TimeDelta::hours(6))
        .schedule(&app);
    let kim = interview_of(&lp, &org.kim);
    let res = remind(&app, &org.recruiter, kim);
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        res.body,
        json!({"interview_id": kim, "interviewer_name": "Kim Park"})
    );
    let mail = app.outbox_of("feedback_requested");
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["to"], json!([org.kim.email]));
    assert!(
        mail[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Rita Cole asks for your feedback on Casey Candidate")
    );
    let events = app.loop_events(&org.recruiter.token, &lp).body;
    let logged = events["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(logged["kind"], "reminder_sent");
    assert_eq!(logged["actor_id"], org.recruiter.id);
    assert_eq!(
        logged["data"],
        json!({"interview_id": kim, "interviewer_id": org.kim.id})
    );
    remind(&app, &org.recruiter, kim).assert_problem(409, "reminded_recently");
    assert_eq!(
        remind(&app, &app_admin(&app), interview_of(&lp, &org.lee)).status,
        200,
        "an admin too"
    );
    assert_eq!(app.outbox_of("feedback_requested").len(), 2);
}

fn app_admin(app: &crate::helpers::TestApp) -> TestUser {
    app.user("admin", "Ada Admin")
}

#[test]
fn a_reminder_is_refused_to_who_does_not_run_the_loop_and_when_nothing_is_awaited() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org
        .a_loop()
        .at(Utc::now() - TimeDelta::hours(6))
        .schedule(&app);
    let kim = interview_of(&lp, &org.kim);
    remind(&app, &org.lee, kim).assert_problem(403, "not_allowed");
    remind(&app, &org.hm, kim).assert_problem(403, "not_allowed");
    remind(&app, &org.other_recruiter, kim).assert_problem(404, "not_found");
    remind(&app, &org.outsider, kim).assert_problem(404, "not_found");
    remind(&app, &org.recruiter, 999_999).assert_problem(404, "not_found");
    app.write_and_submit(&lp, &org.kim, &[(org.competencies[1], 3)], "hire");
    remind(&app, &org.recruiter, kim).assert_problem(409, "feedback_submitted");

    let later = org
        .a_loop()
        .at(Utc::now() + TimeDelta::days(2))
        .for_new_candidate(&app, "Pat Later")
        .schedule(&app);
    remind(&app, &org.recruiter, interview_of(&later, &org.kim))
        .assert_problem(409, "interview_not_over");
    app.cancel_loop(&org.recruiter, &lp["id"], "Position filled");
    remind(&app, &org.recruiter, interview_of(&lp, &org.lee))
        .assert_problem(409, "not_collecting_feedback");
    assert!(app.outbox_of("feedback_requested").is_empty());
}

#[test]
fn the_loop_page_offers_the_reminder_only_where_the_rule_allows_it() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org
        .a_loop()
        .at(Utc::now() - TimeDelta::hours(6))
        .schedule(&app);
    app.write_and_submit(&lp, &org.kim, &[(org.competencies[1], 3)], "hire");
    let page_path = urls::loop_page(barraiser::domain::LoopId(lp["id"].as_i64().unwrap()));
    let (mut web, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let page = web.get(&page_path);
    assert_eq!(page.status, 200);
    assert!(!page.text.contains("to Kim Park</span>"), "submitted");
    page.assert_contains("to Lee Chan</span>");
    let lee = interview_of(&lp, &org.lee);
    let sent = web.post_with(
        &urls::interview_remind(InterviewId(lee)),
        &[("csrf_token", &csrf)],
        &[("Referer", &app.url(&page_path))],
    );
    assert_eq!(sent.status, 303, "{}", sent.text);
    let back = web.get(sent.location());
    back.assert_contains("A reminder is on its way to Lee Chan.");
    assert!(!back.text.contains("to Lee Chan</span>"), "once an hour");
    back.assert_contains("to Ana Ruiz</span>");
    let (mut lee_web, _) = WebClient::signed_in(&app, &org.lee.email);
    assert!(
        !lee_web.get(&page_path).text.contains("a reminder"),
        "an interviewer does not run the loop"
    );
}
