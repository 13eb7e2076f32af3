//! The web workspaces over plain HTTP: sign-in, cookies, CSRF, redirects,
//! what a person may not see, bad form input, and what each page shows.

use barraiser::urls::api;

use crate::client::LoopRef;

use chrono::{TimeDelta, Utc};
use serde_json::json;

use crate::fixtures::{self, Org, at, interview_of, local_time, shown_time};
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

/// The zone the web tests' people sign in from.
const BERLIN: &str = "Europe/Berlin";

#[test]
fn signing_in_sets_an_httponly_lax_session_cookie_and_goes_on_to_next() {
    let app = spawn_app();
    let org = Org::new(&app);
    let mut web = WebClient::new(&app);
    let form = web.get("/login?next=/loops");
    assert_eq!(form.status, 200);
    form.assert_contains(r#"name="next" value="/loops""#);
    let res = web.post(
        "/login",
        &[
            ("csrf_token", &form.csrf()),
            ("email", &org.kim.email),
            ("password", crate::helpers::PASSWORD),
            ("next", "/loops"),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(res.location(), "/loops");
    let session = res
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("session="))
        .expect("a session cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=28800"] {
        assert!(session.contains(flag), "{flag} in {session}");
    }
    assert!(
        !session.contains("Secure"),
        "served over plain HTTP (the test's public URL), the cookie is not Secure"
    );
    // The Bearer API never accepts the cookie, nor its value as a token:
    // the cookie holds a browser session's key, not an API token.
    let token = web.cookies["session"].clone();
    let me = app.raw("GET", api::ME, None, None, None);
    assert_eq!(me.status, 401);
    let with_cookie = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
        .get(app.url(api::ME))
        .header("Cookie", format!("session={token}"))
        .call()
        .unwrap();
    assert_eq!(with_cookie.status().as_u16(), 401);
    app.me(&token).assert_problem(401, "invalid_token");
}

#[test]
fn after_sign_in_only_paths_on_this_site_are_followed() {
    let app = spawn_app();
    let org = Org::new(&app);
    for next in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/login",
    ] {
        let mut web = WebClient::new(&app);
        let form = web.get(barraiser::urls::LOGIN);
        let res = web.post(
            "/login",
            &[
                ("csrf_token", &form.csrf()),
                ("email", &org.lee.email),
                ("password", crate::helpers::PASSWORD),
                ("next", next),
            ],
        );
        assert_eq!(res.status, 303, "{next}: {}", res.text);
        assert_eq!(res.location(), "/", "{next} must not be followed");
    }
}

#[test]
fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app();
    let org = Org::new(&app);
    let mut answers = Vec::new();
    for (email, password) in [
        (org.kim.email.as_str(), "not-her-password"),
        ("nobody@example.com", "not-her-password"),
    ] {
        let mut web = WebClient::new(&app);
        let form = web.get(barraiser::urls::LOGIN);
        let res = web.post(
            "/login",
            &[
                ("csrf_token", &form.csrf()),
                ("email", email),
                ("password", password),
            ],
        );
        assert_eq!(res.status, 401);
        res.assert_contains("Email or password is wrong.");
        assert!(!res.cookies_contain_session());
        answers.push(res.text.replace(email, "EMAIL"));
    }
    // The same page but for the CSRF token each form carries.
    let strip = |t: &str| t.split("csrf_token").next().unwrap_or("").to_owned();
    assert_eq!(strip(&answers[0]), strip(&answers[1]));
}

trait SessionCookie {
    fn cookies_contain_session(&self) -> bool;
}

impl SessionCookie for crate::web_client::Page {
    fn cookies_contain_session(&self) -> bool {
        self.set_cookies()
            .iter()
            .any(|c| c.starts_with("session=") && !c.contains("Max-Age=0"))
    }
}

#[test]
fn forms_are_refused_without_a_csrf_token_or_with_another_sessions_token() {
    let app = spawn_app();
    let org = Org::new(&app);
    let (mut kim, kim_csrf) = WebClient::signed_in(&app, &org.kim.email);
    let (_, lee_csrf) = WebClient::signed_in(&app, &org.lee.email);

    let missing = kim.post(
        barraiser::urls::ACCOUNT_TIME_ZONE,
        &[("time_zone", "Asia/Tokyo")],
    );
    assert_eq!(missing.status, 400);
    missing.assert_contains("This form has expired");
    let forged = kim.post(
        "/account/time-zone",
        &[("csrf_token", "0000.forged"), ("time_zone", "Asia/Tokyo")],
    );
    assert_eq!(forged.status, 400);
    let stolen = kim.post(
        "/account/time-zone",
        &[("csrf_token", &lee_csrf), ("time_zone", "Asia/Tokyo")],
    );
    assert_eq!(stolen.status, 400, "another session's token is refused");
    let me = app.me(&org.kim.token);
    assert_eq!(me.body["time_zone"], "Europe/Berlin", "nothing changed");

    let ok = kim.post(
        "/account/time-zone",
        &[("csrf_token", &kim_csrf), ("time_zone", "Asia/Tokyo")],
    );
    assert_eq!(ok.status, 303, "{}", ok.text);
    assert_eq!(app.me(&org.kim.token).body["time_zone"], "Asia/Tokyo");
    let account = kim.get(barraiser::urls::ACCOUNT);
    account.assert_contains("Times are now shown in Asia/Tokyo.");
    // The choice is grouped by region, each zone by its city, hers selected.
    account.assert_contains(r#"<optgroup label="Asia">"#);
    account.assert_contains(r#"<option value="Asia/Tokyo" selected>Tokyo</option>"#);
    account.assert_contains(r#"<option value="America/New_York">New York</option>"#);
    let again = kim.get(barraiser::urls::ACCOUNT);
    assert!(
        !again.text.contains("Times are now shown"),
        "a flash shows once"
    );

    // An htmx request refused by the check gets a fragment, not a page.
    let htmx = kim.post_with(
        "/account/time-zone",
        &[("time_zone", "UTC")],
        &[("HX-Request", "true")],
    );
    assert_eq!(htmx.status, 400);
    htmx.assert_contains("Reload it to continue");
    assert!(!htmx.text.contains("<html"));
}

#[test]
fn signing_out_ends_the_session_and_pages_send_the_browser_to_sign_in() {
    let app = spawn_app();
    let org = Org::new(&app);
    let mut anon = WebClient::new(&app);
    let res = anon.get("/loops?status=draft");
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/login?next=%2Floops%3Fstatus%3Ddraft");
    let htmx = anon.get_with(barraiser::urls::LOOPS, &[("HX-Request", "true")]);
    assert_ne!(
        htmx.status, 303,
        "htmx would follow a 303 inside its request"
    );
    assert!(
        htmx.header("hx-redirect")
            .is_some_and(|l| l.starts_with("/login"))
    );

    let (mut kim, csrf) = WebClient::signed_in(&app, &org.kim.email);
    let out = kim.post(barraiser::urls::LOGOUT, &[("csrf_token", &csrf)]);
    assert_eq!(out.status, 303);
    assert_eq!(out.location(), "/login");
    assert_eq!(kim.get("/").status, 303, "signed out");
}

#[test]
fn what_a_person_may_not_see_is_a_404_page() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let kim_interview = interview_of(&lp, &org.kim);
    let (mut lee, _) = WebClient::signed_in(&app, &org.lee.email);
    let theirs = lee.get(&format!("/interviews/{kim_interview}"));
    assert_eq!(theirs.status, 404, "Lee may not see Kim's interview");
    theirs.assert_contains("Page not found");
    assert_eq!(
        theirs.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let (mut outsider, _) = WebClient::signed_in(&app, &org.outsider.email);
    assert_eq!(outsider.get(&format!("/loops/{}", lp["id"])).status, 404);
    assert_eq!(
        outsider.get(&format!("/loops/{}/edit", lp["id"])).status,
        404
    );
    assert_eq!(outsider.get("/interviews/999999").status, 404);
    assert_eq!(outsider.get("/no-such-page").status, 404);
    let member_builder = outsider.get(barraiser::urls::NEW_LOOP);
    assert_eq!(member_builder.status, 403, "members do not assemble loops");
    // Lee is on the panel: he sees the loop, but not its independence report.
    let panel_view = lee.get(&format!("/loops/{}", lp["id"]));
    assert_eq!(panel_view.status, 200);
    assert!(!panel_view.text.contains("Independence"));
}

#[test]
fn pages_carry_a_content_security_policy_and_assets_are_immutable() {
    let app = spawn_app();
    let mut web = WebClient::new(&app);
    let page = web.get(barraiser::urls::LOGIN);
    let csp = page.header("content-security-policy").unwrap();
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(part), "{part} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
    assert!(
        !page.text.contains("<script>") && !page.text.contains("style="),
        "no inline code"
    );
    let src = page
        .text
        .split(r#"<script src=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let asset = web.get(&src);
    assert_eq!(asset.status, 200);
    assert_eq!(
        asset.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(asset.set_cookies().is_empty(), "no cookie on assets");
    let stale = web.get("/static/0000000000000000/htmx.min.js");
    assert_eq!(stale.status, 404);
}

#[test]
fn the_interviewer_autosaves_sees_warnings_and_submits_under_the_blind_rule() {
    let app = spawn_app();
    let org = Org::new(&app);
    let base = Utc::now() - TimeDelta::hours(6);
    let lp = org.scheduled_loop_with(&app, org.loop_body_at(base));
    let kim_interview = interview_of(&lp, &org.kim);
    let dive = org.competencies[1];
    let (mut kim, csrf) = WebClient::signed_in(&app, &org.kim.email);
    let path = format!("/interviews/{kim_interview}");
    let page = kim.get(&path);
    assert_eq!(page.status, 200, "{}", page.text);
    page.assert_contains("Interview with Casey Candidate");
    page.assert_contains("Europe/Berlin");
    page.assert_contains(&format!(r#"name="ratings.{dive}.rating""#));

    // Autosave (what htmx posts while she types): saved, with a warning.
    let rating = format!("ratings.{dive}.rating");
    let evidence = format!("ratings.{dive}.evidence");
    let saved = kim.post_with(
        &format!("{path}/draft"),
        &[
            ("csrf_token", &csrf),
            (&rating, "3"),
            (&evidence, "Walked me through the outage."),
        ],
        &[("HX-Request", "true")],
    );
    assert_eq!(saved.status, 200, "{}", saved.text);
    saved.assert_contains("Draft saved at");
    saved.assert_contains(&format!(r##"hx-target="#warnings-{dive}""##));
    let own = app.feedback(&org.kim.token, kim_interview);
    assert_eq!(own.body["status"], "draft");
    assert_eq!(own.body["ratings"][0]["rating"], 3);
    let codes: Vec<&str> = own.body["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(!codes.is_empty(), "short evidence is warned about");
    let reopened = kim.get(&path);
    reopened.assert_contains("Walked me through the outage.");
    // A vote at odds with the ratings is warned of under the vote, in words.
    let at_odds = kim.post_with(
        &format!("{path}/draft"),
        &[
            ("csrf_token", &csrf),
            (&rating, "1"),
            (&evidence, "Walked me through the outage."),
            ("vote", "strong_hire"),
        ],
        &[("HX-Request", "true")],
    );
    let vote_region = at_odds
        .text
        .split(r##"hx-target="#warnings-vote""##)
        .nth(1)
        .and_then(|rest| rest.split("</hx-partial>").next())
        .unwrap_or_default();
    assert!(
        vote_region.contains("A strong hire vote does not match"),
        "{}",
        at_odds.text
    );

    // Lee submits first (over the API); Kim does not see it before she submits.
    let lee_interview = interview_of(&lp, &org.lee);
    let lee_evidence = "He described the migration plan, the rollback he rehearsed and what he would measure first.";
    let res = app.save_feedback(&org.lee, lee_interview, json!({"ratings": [{"competency_id": org.competencies[0], "rating": 2, "evidence": lee_evidence}],
               "vote": "no_hire", "summary": "Not yet."}),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let res = app.submit_feedback(&org.lee, lee_interview);
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(
        !kim.get(&path).text.contains(lee_evidence),
        "blind until Kim submits"
    );

    // Submitting incomplete feedback: refusals beside their fields, draft kept.
    let incomplete = kim.post(
        &format!("{path}/submit"),
        &[
            ("csrf_token", &csrf),
            (&rating, "3"),
            (&evidence, "Too short."),
        ],
    );
    assert_eq!(incomplete.status, 422, "{}", incomplete.text);
    incomplete.assert_contains(&format!(r#"id="ratings-{dive}-evidence-error""#));
    incomplete.assert_contains(r#"id="vote-error""#);
    incomplete.assert_contains(r#"id="attest_no_discussion-error""#);
    incomplete.assert_contains("Too short.");

    let long = "She traced the outage to a retry storm, wrote the fix, and then changed the alerting so the on-call saw it earlier.";
    let done = kim.post(
        &format!("{path}/submit"),
        &[
            ("csrf_token", &csrf),
            (&rating, "4"),
            (&evidence, long),
            ("vote", "hire"),
            ("summary", "Dives deep where it matters."),
            ("attest_no_discussion", "true"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.text);
    let after = kim.get(&path);
    after.assert_contains("Your feedback was submitted.");
    assert_eq!(after.text.matches("submitted.").count(), 1, "said once");
    after.assert_contains(r#"id="submitted" role="status" tabindex="-1" autofocus"#);
    after.assert_contains("The panel's submitted feedback");
    after.assert_contains(long);
    after.assert_contains(lee_evidence);
    after.assert_contains("Lee Chan");
    let api = app.feedback(&org.kim.token, kim_interview);
    assert_eq!(api.body["status"], "submitted");
    assert_eq!(api.body["vote"], "hire");
}

#[test]
fn the_recruiter_builds_a_loop_from_the_form_with_times_in_their_zone() {
    let app = spawn_app();
    let org = Org::new(&app);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let builder = rita.get(barraiser::urls::NEW_LOOP);
    assert_eq!(builder.status, 200, "{}", builder.text);
    builder.assert_contains("Senior Engineer");
    builder.assert_contains("Casey Candidate");
    let [own, dive] = org.competencies.map(|c| c.to_string());
    let req = org.requisition_id.to_string();
    let ids = [org.br.id, org.kim.id, org.lee.id, org.ana.id].map(|i| i.to_string());
    let mut fields: Vec<(String, String)> = vec![
        ("csrf_token".into(), csrf.clone()),
        ("requisition_id".into(), req.clone()),
        ("candidate_id".into(), "new".into()),
        ("candidate.name".into(), "Noor Newcomer".into()),
        ("candidate.email".into(), "noor@example.net".into()),
        ("bar_raiser_id".into(), org.kim.id.to_string()),
    ];
    for (i, who) in ids.iter().enumerate() {
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
        fields.push((p("starts_at"), local_time(BERLIN, i as i64, "10:00").0));
        fields.push((p("ends_at"), local_time(BERLIN, i as i64, "11:00").0));
    }
    let as_refs = |f: &[(String, String)]| -> Vec<(String, String)> { f.to_vec() };
    let post = |web: &mut WebClient, path: &str, f: &[(String, String)]| {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        web.post(path, &pairs)
    };

    // The live preview: Kim is not certified and reports to the hiring manager.
    let preview = post(&mut rita, "/loops/new/preview", &as_refs(&fields));
    assert_eq!(preview.status, 200, "{}", preview.text);
    preview.assert_contains("failing");
    preview.assert_contains("The bar raiser is certified");
    preview.assert_contains("Dana Lee");
    assert!(
        app.get("/api/v1/candidates?q=noor", &org.recruiter.token)
            .body["items"]
            .as_array()
            .unwrap()
            .is_empty(),
        "the preview writes nothing"
    );

    // Bad input comes back beside its field.
    let mut bad = fields.clone();
    bad.push(("action".into(), "save".into()));
    bad.iter_mut()
        .find(|(k, _)| k == "interviews[1].ends_at")
        .unwrap()
        .1 = local_time(BERLIN, 1, "09:00").0;
    let refused = post(&mut rita, "/loops/new", &bad);
    assert_eq!(refused.status, 422, "{}", refused.text);
    refused.assert_contains(r#"id="interviews-1-ends_at-error""#);

    // Use the suggested bar raiser, then create: green, with the times in UTC.
    let mut pick = fields.clone();
    pick.push(("action".into(), format!("bar_raiser:{}", org.br.id)));
    let picked = post(&mut rita, "/loops/new", &pick);
    assert_eq!(picked.status, 200);
    picked.assert_contains("All rules pass");
    let mut save = fields.clone();
    save.iter_mut()
        .find(|(k, _)| k == "bar_raiser_id")
        .unwrap()
        .1 = org.br.id.to_string();
    save.push(("action".into(), "save".into()));
    let created = post(&mut rita, "/loops/new", &save);
    assert_eq!(created.status, 303, "{}", created.text);
    let loop_path = created.location().to_owned();
    let loop_id = loop_path.trim_start_matches("/loops/");
    let lp = app
        .get(&api::loop_(loop_id.loop_id()), &org.recruiter.token)
        .body;
    assert_eq!(lp["independence"]["ok"], true);
    assert_eq!(
        lp["interviews"][0]["starts_at"],
        local_time(BERLIN, 0, "10:00").1,
        "10:00 in Berlin, in UTC"
    );
    let page = rita.get(&loop_path);
    page.assert_contains("Noor Newcomer");
    page.assert_contains(&shown_time(BERLIN, 0, "10:00"));
    page.assert_contains("The chain of");

    // A second open loop for the same candidate and requisition is refused.
    let mut again = save.clone();
    again.retain(|(k, _)| !k.starts_with("candidate"));
    let cid = lp["candidate_id"].to_string();
    again.push(("candidate_id".into(), cid));
    let duplicate = post(&mut rita, "/loops/new", &again);
    assert_eq!(duplicate.status, 422);
    duplicate.assert_contains("already has an open loop");

    // Schedule and cancel from the loop page.
    let scheduled = rita.post(&format!("{loop_path}/schedule"), &[("csrf_token", &csrf)]);
    assert_eq!(scheduled.status, 303);
    rita.get(&loop_path)
        .assert_contains("The loop is scheduled and the panel is invited.");
    let no_reason = rita.post(
        &format!("{loop_path}/cancel"),
        &[("csrf_token", &csrf), ("reason", "")],
    );
    assert_eq!(no_reason.status, 422);
    no_reason.assert_contains(r#"id="reason-error""#);
    let unconfirmed = rita.post(
        &format!("{loop_path}/cancel"),
        &[("csrf_token", &csrf), ("reason", "Candidate withdrew")],
    );
    assert_eq!(
        unconfirmed.status, 422,
        "cancelling asks for a confirmation"
    );
    unconfirmed.assert_contains(r#"id="confirm-error""#);
    let cancelled = rita.post(
        &format!("{loop_path}/cancel"),
        &[
            ("csrf_token", &csrf),
            ("reason", "Candidate withdrew"),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(cancelled.status, 303);
    assert_eq!(
        app.get(&api::loop_(loop_id.loop_id()), &org.recruiter.token)
            .body["status"],
        "cancelled"
    );
}

#[test]
fn scheduling_a_red_loop_is_refused_with_the_failing_rules_shown() {
    let app = spawn_app();
    let org = Org::new(&app);
    let mut body = org.loop_body();
    body["bar_raiser_id"] = json!(org.kim.id);
    let lp = org.create_loop_with(&app, body);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let res = rita.post(
        &format!("/loops/{}/schedule", lp["id"]),
        &[("csrf_token", &csrf)],
    );
    assert_eq!(res.status, 422);
    res.assert_contains("Not scheduled:");
    res.assert_contains("The bar raiser is certified");
    res.assert_contains("Kim Park");
    assert_eq!(
        app.get_loop(&org.recruiter, &lp["id"]).body["status"],
        "draft"
    );
}

#[test]
fn home_lists_overdue_feedback_first_and_the_recruiters_loops() {
    let app = spawn_app();
    let org = Org::new(&app);
    let old = org.scheduled_loop_with(&app, org.loop_body_at(Utc::now() - TimeDelta::days(3)));
    let _soon = org.scheduled_loop_with(&app, {
        let mut b = org.loop_body_for(&app, "Uma Upcoming");
        let at = Utc::now() + TimeDelta::days(2);
        for (i, iv) in b["interviews"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            iv["starts_at"] = json!((at + TimeDelta::hours(i as i64)).to_rfc3339());
            iv["ends_at"] =
                json!((at + TimeDelta::hours(i as i64) + TimeDelta::minutes(45)).to_rfc3339());
        }
        b
    });
    // A draft's interviews are not announced yet: not upcoming.
    let draft = org.loop_body_for(&app, "Dora Draft");
    org.create_loop_with(&app, draft);
    let (mut kim, _) = WebClient::signed_in(&app, &org.kim.email);
    let home = kim.get("/");
    home.assert_contains("Feedback due");
    home.assert_contains("Overdue by 1 day");
    home.assert_contains("Uma Upcoming");
    assert!(!home.text.contains("Dora Draft"), "a draft is not upcoming");
    let due_at = home.text.find("Feedback due").unwrap();
    let upcoming_at = home.text.find("Upcoming interviews").unwrap();
    let casey = home.text.find("Casey Candidate").unwrap();
    assert!(
        due_at < casey && casey < upcoming_at,
        "Casey's overdue feedback is under Feedback due"
    );
    assert!(
        !home.text.contains("Your open loops"),
        "Kim recruits for no one"
    );

    let (mut rita, _) = WebClient::signed_in(&app, &org.recruiter.email);
    let r = rita.get("/");
    r.assert_contains("Your open loops");
    r.assert_contains(&format!("/loops/{}", old["id"]));
}

#[test]
fn the_generated_first_admin_password_is_to_be_changed_at_first_sign_in() {
    let app = spawn_app();
    let admin_id = app.me(&app.admin_token).body["id"].as_i64().unwrap();
    let mut conn = app.store().conn().unwrap();
    barraiser::db::users::update(
        &mut conn,
        admin_id,
        barraiser::db::users::UserChanges {
            must_change_password: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    drop(conn);
    let mut web = WebClient::new(&app);
    let form = web.get(barraiser::urls::LOGIN);
    let res = web.post(
        "/login",
        &[
            ("csrf_token", &form.csrf()),
            ("email", crate::helpers::ADMIN_EMAIL),
            ("password", crate::helpers::ADMIN_PASSWORD),
        ],
    );
    assert_eq!(res.location(), "/account?change_password=1");
    let account = web.get("/account?change_password=1");
    account.assert_contains("Choose your own now.");
    let csrf = account.csrf();
    let short = web.post(
        "/account/password",
        &[
            ("csrf_token", &csrf),
            ("current_password", crate::helpers::ADMIN_PASSWORD),
            ("new_password", "short"),
        ],
    );
    assert_eq!(short.status, 422);
    short.assert_contains(r#"id="new_password-error""#);
    let changed = web.post(
        "/account/password",
        &[
            ("csrf_token", &csrf),
            ("current_password", crate::helpers::ADMIN_PASSWORD),
            ("new_password", "a-brand-new-admin-password"),
        ],
    );
    assert_eq!(changed.status, 303, "{}", changed.text);
    let after = web.get(barraiser::urls::ACCOUNT);
    after.assert_contains("Your password was changed.");
    assert!(!after.text.contains("Choose your own now."));
    assert_eq!(
        app.me(&app.admin_token).status,
        401,
        "earlier tokens stop working"
    );
}

#[test]
fn mail_shows_times_in_the_recipients_zone_and_the_api_stays_in_utc() {
    let app = spawn_app();
    let org = Org::new(&app);
    // Kim's browser proposes Tokyo at her first sign-in; a later proposal does
    // not overwrite it.
    WebClient::new(&app).sign_in_as(&org.kim.email, "Asia/Tokyo");
    WebClient::new(&app).sign_in_as(&org.kim.email, "Europe/Paris");
    WebClient::new(&app).sign_in_as(&org.lee.email, "not/a-zone");
    assert_eq!(app.me(&org.kim.token).body["time_zone"], "Asia/Tokyo");
    assert_eq!(app.me(&org.lee.token).body["time_zone"], json!(null));
    let lp = org.scheduled_loop(&app);
    assert_eq!(lp["interviews"][1]["starts_at"], at(10));
    let kim_mail = || {
        app.mail_files(4).into_iter().find_map(|raw| {
            let m = mail_parser::MessageParser::default().parse(&raw)?;
            let to = m.to()?.first()?.address()?.to_owned();
            let subject = m.subject().unwrap_or("").to_owned();
            (to == org.kim.email && subject.starts_with("Interview with"))
                .then(|| (subject, m.body_text(0).unwrap().into_owned()))
        })
    };
    crate::smtp::wait_until(std::time::Duration::from_secs(30), || kim_mail().is_some());
    let (subject, text) = kim_mail().unwrap();
    // Tokyo keeps no summer time: 10:00 UTC is 19:00 there, every day.
    let tokyo = shown_time("Asia/Tokyo", 0, "19:00");
    assert!(subject.contains(&tokyo), "{subject}");
    assert!(text.contains(&format!("{tokyo} to 20:00")), "{text}");
}

#[test]
fn the_builder_warns_without_blocking_about_double_bookings_and_past_times() {
    let app = spawn_app();
    let org = Org::new(&app);
    // Kim is already booked on day(), 10:00–11:00 UTC in a scheduled loop.
    org.scheduled_loop(&app);
    let other = org.another_candidate(&app, "Olu Other");
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let [own, dive] = org.competencies.map(|c| c.to_string());
    let berlin = |days: i64, hh_mm: &str| local_time(BERLIN, days, hh_mm).0;
    // 10:30 UTC in Berlin's time of that day (11:30 in winter, 12:30 in summer).
    let (overlap, overlap_end) = {
        use chrono::TimeZone as _;
        let tz: chrono_tz::Tz = BERLIN.parse().unwrap();
        let utc = chrono::Utc.from_utc_datetime(&fixtures::day().and_hms_opt(10, 30, 0).unwrap());
        let local = utc.with_timezone(&tz);
        (
            local.format("%Y-%m-%dT%H:%M").to_string(),
            (local + chrono::TimeDelta::minutes(30))
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
        )
    };
    let rows = [
        (org.br.id, &own, berlin(2, "10:00"), berlin(2, "11:00")),
        // 10:30 UTC: inside Kim's other interview.
        (org.kim.id, &dive, overlap, overlap_end),
        // A date that is always past: the subject of the warning.
        (
            org.lee.id,
            &own,
            "2020-01-06T10:00".to_owned(),
            "2020-01-06T11:00".to_owned(),
        ),
        (org.ana.id, &dive, berlin(2, "13:00"), berlin(2, "14:00")),
    ];
    let mut fields: Vec<(String, String)> = vec![
        ("csrf_token".into(), csrf),
        ("requisition_id".into(), org.requisition_id.to_string()),
        ("candidate_id".into(), other.to_string()),
        ("bar_raiser_id".into(), org.br.id.to_string()),
    ];
    for (i, (who, comp, starts, ends)) in rows.iter().enumerate() {
        let p = |n: &str| format!("interviews[{i}].{n}");
        fields.push((p("interviewer_id"), who.to_string()));
        fields.push((p("competency_ids"), comp.to_string()));
        fields.push((p("starts_at"), starts.to_string()));
        fields.push((p("ends_at"), ends.to_string()));
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let preview = rita.post(barraiser::urls::NEW_LOOP_PREVIEW, &pairs);
    assert_eq!(preview.status, 200);
    preview.assert_contains("Interview 2, interviewer: Kim Park is already booked at an overlapping time (1 other interview)");
    preview.assert_contains("Interview 3, start: lies in the past");
    preview.assert_contains("All rules pass");
    let mut save = pairs.clone();
    save.push(("action", "save"));
    let created = rita.post(barraiser::urls::NEW_LOOP, &save);
    assert_eq!(
        created.status, 303,
        "warnings do not block: {}",
        created.text
    );
}

/// The loop page offers an action only when the service's rule allows it: a
/// loop's recruiter who was moved to another role still sees the loop but no
/// longer changes it, and a loop awaiting its decision can no longer be
/// cancelled (the page offers neither, and a forged post is refused, never a 500).
#[test]
fn the_loop_page_offers_only_the_actions_the_service_allows() {
    let app = spawn_app();
    let org = Org::new(&app);
    // An admin sees no cancel form on a loop awaiting its decision.
    let waiting = crate::debrief::awaiting_decision(&app, &org);
    let ada = app.user("admin", "Ada Admin");
    let (mut admin, _) = WebClient::signed_in(&app, &ada.email);
    let page = admin.get(&format!("/loops/{}", waiting["id"]));
    assert_eq!(page.status, 200);
    assert!(!page.text.contains("Cancel the loop"), "{}", page.text);

    let lp = org.create_loop_with(&app, org.loop_body_for(&app, "Dee Draft"));
    let path = format!("/loops/{}", lp["id"]);
    let (mut rita, _) = WebClient::signed_in(&app, &org.recruiter.email);
    let page = rita.get(&path);
    for action in ["Edit the panel", ">Schedule<", "Cancel the loop"] {
        page.assert_contains(action);
    }
    // Rita becomes a member: she still sees her loop, but changes it no more.
    let demoted = app.update_user(org.recruiter.id, json!({"role": "member"}));
    assert_eq!(demoted.status, 200, "{}", demoted.body);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let page = rita.get(&path);
    assert_eq!(page.status, 200, "she still sees the loop");
    for action in ["Edit the panel", ">Schedule<", "Cancel the loop"] {
        assert!(
            !page.text.contains(action),
            "{action} offered: {}",
            page.text
        );
    }
    let forged = rita.post(
        &format!("{path}/cancel"),
        &[
            ("csrf_token", &csrf),
            ("reason", "Forged"),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(forged.status, 403, "{}", forged.text);
}

/// One refusal model for pages: a refused action on any page form (or page)
/// answers with its reason — the form again beside its fields, the page it
/// came from with a flash, a fragment for htmx, or a page that says why —
/// and never a 500.
#[test]
fn every_page_form_answers_a_refused_action_with_its_reason_never_a_500() {
    let app = spawn_app();
    let org = Org::new(&app);
    // A cancelled loop, and a loop whose interviews are under way with Kim's
    // feedback submitted.
    let cancelled = org.create_loop(&app);
    assert_eq!(
        app.cancel_loop(&org.recruiter, &cancelled["id"], "Withdrew")
            .status,
        200
    );
    let running = crate::debrief::started(&app, &org);
    app.write_and_submit(&running, &org.kim, &[(org.competencies[1], 3)], "hire");
    let kim_interview = interview_of(&running, &org.kim);
    let upcoming = org.scheduled_loop_with(&app, org.loop_body_for(&app, "Uma Upcoming"));
    let lee_upcoming = interview_of(&upcoming, &org.lee);

    let (mut rita, rita_csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let (mut kim, kim_csrf) = WebClient::signed_in(&app, &org.kim.email);
    let (mut lee, lee_csrf) = WebClient::signed_in(&app, &org.lee.email);
    let cancelled_path = format!("/loops/{}", cancelled["id"]);
    let referer = |path: &str| app.url(path);

    struct Case<'a> {
        what: &'a str,
        page: crate::web_client::Page,
        /// Words of the reason, on the answer or on the page it leads to.
        says: &'a str,
    }
    let htmx = [("HX-Request", "true")];
    let cases = vec![
        Case {
            what: "schedule a cancelled loop",
            page: rita.post_with(
                &format!("{cancelled_path}/schedule"),
                &[("csrf_token", &rita_csrf)],
                &[("Referer", &referer(&cancelled_path))],
            ),
            says: "cannot be scheduled",
        },
        Case {
            what: "cancel a cancelled loop",
            page: rita.post_with(
                &format!("{cancelled_path}/cancel"),
                &[
                    ("csrf_token", &rita_csrf),
                    ("reason", "Again"),
                    ("confirm", "yes"),
                ],
                &[("Referer", &referer(&cancelled_path))],
            ),
            says: "cannot be cancelled",
        },
        Case {
            what: "open the builder on a cancelled loop",
            page: rita.get(&format!("{cancelled_path}/edit")),
            says: "cancelled",
        },
        Case {
            what: "open the builder on a cancelled loop from htmx",
            page: rita.get_with(&format!("{cancelled_path}/edit"), &htmx),
            says: "cannot be edited",
        },
        Case {
            what: "preview an edit of a cancelled loop (htmx)",
            page: rita.post_with(
                &format!("{cancelled_path}/edit/preview"),
                &[("csrf_token", &rita_csrf)],
                &htmx,
            ),
            says: "cancelled",
        },
        Case {
            what: "submit feedback twice",
            page: kim.post_with(
                &format!("/interviews/{kim_interview}/submit"),
                &[("csrf_token", &kim_csrf), ("attest_no_discussion", "true")],
                &[("Referer", &referer(&format!("/interviews/{kim_interview}")))],
            ),
            says: "submitted and cannot change",
        },
        Case {
            what: "autosave submitted feedback (htmx)",
            page: kim.post_with(
                &format!("/interviews/{kim_interview}/draft"),
                &[("csrf_token", &kim_csrf), ("summary", "More")],
                &htmx,
            ),
            says: "Not saved",
        },
        Case {
            what: "submit before the interview started",
            page: lee.post_with(
                &format!("/interviews/{lee_upcoming}/submit"),
                &[("csrf_token", &lee_csrf), ("attest_no_discussion", "true")],
                &[("Referer", &referer(&format!("/interviews/{lee_upcoming}")))],
            ),
            says: "start",
        },
        Case {
            what: "an unknown time zone",
            page: lee.post(
                "/account/time-zone",
                &[("csrf_token", &lee_csrf), ("time_zone", "Mars/Base")],
            ),
            says: "time zone",
        },
        Case {
            what: "a wrong current password",
            page: lee.post(
                "/account/password",
                &[
                    ("csrf_token", &lee_csrf),
                    ("current_password", "not-my-password"),
                    ("new_password", "a-long-new-password"),
                ],
            ),
            says: "does not match",
        },
        Case {
            what: "a dead password link",
            page: WebClient::new(&app).get("/password/set?token=deadbeef"),
            says: "no longer works",
        },
    ];
    for case in cases {
        let Case { what, page, says } = case;
        assert!(page.status < 500, "{what}: {} {}", page.status, page.text);
        if !what.starts_with("preview") {
            // A preview is a rehearsal: it answers 200 with the refusal in the report.
            assert_ne!(page.status, 200, "{what}: refused, not done");
        }
        let shown = if page.status == 303 {
            // Back on the page the form was on, with the reason in a flash.
            let client = match what {
                "submit feedback twice" => &mut kim,
                "submit before the interview started" => &mut lee,
                _ => &mut rita,
            };
            client.get(page.location()).text
        } else {
            page.text.clone()
        };
        assert!(
            shown.to_lowercase().contains(&says.to_lowercase()),
            "{what} ({}): {says:?} in {shown}",
            page.status
        );
        if what.ends_with("from htmx") {
            // The one refusal model's htmx answer: the reason, into the page's area.
            assert_eq!(page.status, 409, "{what}");
            assert_eq!(page.header("hx-retarget"), Some("#refusal"), "{what}");
            assert_eq!(page.header("hx-reswap"), Some("innerHTML"), "{what}");
            assert!(!page.text.contains("<html"), "a fragment: {}", page.text);
        }
    }
}

#[test]
fn each_part_of_home_shows_its_first_ten_and_says_where_the_rest_are() {
    let app = spawn_app();
    let org = Org::new(&app);
    let ids: Vec<i64> = (0..11)
        .map(|i| {
            let body = org.loop_body_for(&app, &format!("Draft Candidate {i}"));
            org.create_loop_with(&app, body)["id"].as_i64().unwrap()
        })
        .collect();
    let shown = |text: &str, ids: &[i64]| {
        ids.iter()
            .filter(|id| text.contains(&format!("href=\"/loops/{id}\"")))
            .count()
    };
    let (mut rita, _) = WebClient::signed_in(&app, &org.recruiter.email);

    // Ten open loops: all of them, and nothing more to say.
    let cancel = app.post(
        &format!("/api/v1/loops/{}/cancel", ids[10]),
        &org.recruiter.token,
        json!({"reason": "Withdrew"}),
    );
    assert_eq!(cancel.status, 200, "{}", cancel.body);
    let home = rita.get("/");
    home.assert_contains("Your open loops");
    assert_eq!(shown(&home.text, &ids[..10]), 10);
    assert!(!home.text.contains("The first 10 are shown"));

    // Eleven: the first ten (by id), and a link to the loops list.
    let body = org.loop_body_for(&app, "Draft Candidate 11");
    let last = org.create_loop_with(&app, body)["id"].as_i64().unwrap();
    let home = rita.get("/");
    assert_eq!(shown(&home.text, &ids[..10]), 10);
    assert_eq!(
        shown(&home.text, &[last]),
        0,
        "the eleventh waits on the list"
    );
    home.assert_contains("The first 10 are shown.");
    home.assert_contains("href=\"/loops\">The loops list</a>");
}

#[test]
fn home_puts_each_loop_under_the_part_the_person_holds_in_it() {
    let app = spawn_app();
    let org = Org::new(&app);
    let deciding = crate::debrief::awaiting_decision(&app, &org);
    let leading = org
        .a_loop()
        .for_new_candidate(&app, "Lena Leading")
        .schedule(&app);
    let section = |text: &str, heading: &str| -> String {
        let from = text
            .find(heading)
            .unwrap_or_else(|| panic!("{heading} missing"));
        let rest = &text[from..];
        rest[..rest.find("</section>").unwrap()].to_owned()
    };
    let room = |lp: &serde_json::Value| format!("href=\"/loops/{}/debrief\"", lp["id"]);

    // The bar raiser leads the scheduled loop's debrief (the closed one is
    // the hiring manager's to decide now).
    let (mut br, _) = WebClient::signed_in(&app, &org.br.email);
    let home = br.get("/");
    let lead = section(&home.text, "Debriefs you lead");
    assert!(lead.contains(&room(&leading)), "{lead}");
    assert!(!lead.contains(&room(&deciding)), "{lead}");
    assert!(!home.text.contains("Decisions awaiting you"));

    // The hiring manager decides the closed one.
    let (mut hm, _) = WebClient::signed_in(&app, &org.hm.email);
    let home = hm.get("/");
    let decide = section(&home.text, "Decisions awaiting you");
    assert!(decide.contains(&room(&deciding)), "{decide}");
    assert!(!decide.contains(&room(&leading)), "{decide}");
    assert!(!home.text.contains("Debriefs you lead"));

    // The recruiter has both among their open loops; an interviewer on the
    // panel has neither part.
    let (mut rita, _) = WebClient::signed_in(&app, &org.recruiter.email);
    let own = section(&rita.get("/").text, "Your open loops");
    for lp in [&deciding, &leading] {
        assert!(
            own.contains(&format!("href=\"/loops/{}\"", lp["id"])),
            "{own}"
        );
    }
    let (mut kim, _) = WebClient::signed_in(&app, &org.kim.email);
    let home = kim.get("/");
    for part in [
        "Debriefs you lead",
        "Decisions awaiting you",
        "Your open loops",
    ] {
        assert!(!home.text.contains(part), "{part}");
    }
}

#[test]
fn home_shows_the_next_ten_interviews_and_says_more_follow() {
    let app = spawn_app();
    let org = Org::new(&app);
    for i in 0..10 {
        let body = org.loop_body_for(&app, &format!("Upcoming Candidate {i}"));
        org.scheduled_loop_with(&app, body);
    }
    let (mut kim, _) = WebClient::signed_in(&app, &org.kim.email);
    let upcoming = |text: &str| -> String {
        let from = text.find("Upcoming interviews").unwrap();
        let rest = &text[from..];
        rest[..rest.find("</section>").unwrap()].to_owned()
    };
    let part = upcoming(&kim.get("/").text);
    assert_eq!(part.matches("<li>").count(), 10, "{part}");
    assert!(!part.contains("more follow"), "{part}");

    let body = org.loop_body_for(&app, "Upcoming Candidate 10");
    org.scheduled_loop_with(&app, body);
    let part = upcoming(&kim.get("/").text);
    assert_eq!(part.matches("<li>").count(), 10, "{part}");
    assert!(
        part.contains("The next 10 are shown; more follow them."),
        "{part}"
    );
}
