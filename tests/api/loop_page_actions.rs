//! The loop page's actions follow the service's rules: Schedule is disabled,
//! with its reason, while the report is red.

use barraiser::domain::LoopId;
use barraiser::urls;
use serde_json::json;

use crate::fixtures::Org;
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

#[test]
fn schedule_is_disabled_with_its_reason_while_the_report_is_red() {
    let app = spawn_app();
    let org = Org::new(&app);
    let mut body = org.a_loop().for_new_candidate(&app, "Rex Red").body();
    body["bar_raiser_id"] = json!(org.kim.id);
    let red = app.create_loop(&org.recruiter, body);
    let green = org.create_loop(&app);
    let (mut web, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let path = |lp: &serde_json::Value| urls::loop_page(LoopId(lp["id"].as_i64().unwrap()));
    let page = web.get(&path(&red));
    page.assert_contains(
        r#"<button id="schedule" type="submit" disabled aria-describedby="schedule-why">"#,
    );
    page.assert_contains("rules fail (see Independence)");
    let page = web.get(&path(&green));
    page.assert_contains(r#"<button id="schedule" type="submit">Schedule</button>"#);
    // A forced post is still refused by the service, with its reason.
    let forced = web.post(
        &urls::loop_schedule(LoopId(red["id"].as_i64().unwrap())),
        &[("csrf_token", &csrf)],
    );
    assert_eq!(forced.status, 422, "{}", forced.text);
    forced.assert_contains("Not scheduled");
}
