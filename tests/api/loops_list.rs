//! `/loops` as people work from it: every column sorts, the filters (status,
//! requisition, "needs me") narrow it, each row says the feedback in, the
//! next interview or how late the feedback is, whether the debrief can begin
//! and why a loop is red, and pages follow one another by seek.

use chrono::{TimeDelta, Utc};
use serde_json::json;

use crate::fixtures::Org;
use crate::helpers::{TestApp, spawn_app};
use crate::web_client::{Page, WebClient};

/// The candidates' names in the order the list shows them.
fn candidates(page: &Page) -> Vec<String> {
    let body = page.text.split("<tbody>").nth(1).unwrap_or_default();
    body.split("<tr>")
        .skip(1)
        .filter_map(|row| {
            let link = row.split("<a href=\"/loops/").nth(1)?;
            Some(link.split('>').nth(1)?.split('<').next()?.to_owned())
        })
        .collect()
}

/// The row of `name` (its cells' markup).
fn row_of<'p>(page: &'p Page, name: &str) -> &'p str {
    page.text
        .split("<tr>")
        .find(|r| r.contains(&format!(">{name}</a>")))
        .unwrap_or_else(|| panic!("no row for {name}: {}", page.text))
}

/// Three loops: "Bea Ready" scheduled with all feedback in, "Cal Late" whose
/// interviews ended five days ago with no feedback, "Ada Draft" a red draft
/// (Kim, under the hiring manager, as its bar raiser).
fn three_loops(app: &TestApp, org: &Org) {
    let [own, dive] = org.competencies;
    let ready = org
        .a_loop()
        .at(Utc::now() - TimeDelta::hours(6))
        .for_new_candidate(app, "Bea Ready")
        .schedule(app);
    app.write_and_submit(&ready, &org.br, &[(own, 3)], "hire");
    app.write_and_submit(&ready, &org.kim, &[(dive, 3)], "hire");
    app.write_and_submit(&ready, &org.lee, &[(own, 3)], "hire");
    app.write_and_submit(&ready, &org.ana, &[(own, 3), (dive, 3)], "hire");
    org.a_loop()
        .at(Utc::now() - TimeDelta::days(5))
        .for_new_candidate(app, "Cal Late")
        .schedule(app);
    let mut body = org
        .a_loop()
        .at(Utc::now() + TimeDelta::days(3))
        .for_new_candidate(app, "Ada Draft")
        .body();
    body["bar_raiser_id"] = json!(org.kim.id);
    org.create_loop_with(app, body);
}

#[test]
fn the_loops_list_says_progress_lateness_readiness_and_why_a_loop_is_red() {
    let app = spawn_app();
    let org = Org::new(&app);
    three_loops(&app, &org);
    let (mut rita, _) = WebClient::signed_in(&app, &org.recruiter.email);
    let list = rita.get("/loops");
    assert_eq!(list.status, 200);
    // Newest first by default.
    assert_eq!(candidates(&list), ["Ada Draft", "Cal Late", "Bea Ready"]);
    let ready = row_of(&list, "Bea Ready");
    assert!(
        ready.contains("Ready for debrief") && ready.contains("4/4"),
        "{ready}"
    );
    assert!(ready.contains("4 of 4 submitted"), "{ready}");
    let late = row_of(&list, "Cal Late");
    assert!(
        late.contains("0/4") && late.contains("Feedback 3 days"),
        "{late}"
    );
    assert!(late.contains(" late"), "{late}");
    let draft = row_of(&list, "Ada Draft");
    assert!(draft.contains("Draft") && draft.contains("Red"), "{draft}");
    assert!(
        draft.contains("bar raiser is certified"),
        "the failing rule by name: {draft}"
    );
    assert!(draft.contains("<time"), "the next interview: {draft}");
    // Words, not codes.
    assert!(!list.text.contains(">in_debrief<") && !list.text.contains(">scheduled<"));
}

#[test]
fn every_column_sorts_both_ways() {
    let app = spawn_app();
    let org = Org::new(&app);
    three_loops(&app, &org);
    let (mut rita, _) = WebClient::signed_in(&app, &org.recruiter.email);
    let by = |rita: &mut WebClient, sort: &str, dir: &str| {
        let page = rita.get(&format!("/loops?sort={sort}&dir={dir}"));
        assert_eq!(page.status, 200, "{sort} {dir}: {}", page.text);
        page
    };
    let asc = by(&mut rita, "candidate", "asc");
    assert_eq!(candidates(&asc), ["Ada Draft", "Bea Ready", "Cal Late"]);
    assert!(
        asc.text
            .contains(r#"aria-sort="ascending"><a href="/loops?sort=candidate&amp;dir=desc""#),
        "{}",
        asc.text
    );
    assert_eq!(
        candidates(&by(&mut rita, "candidate", "desc")),
        ["Cal Late", "Bea Ready", "Ada Draft"]
    );
    // Draft, then the two scheduled ones by id.
    assert_eq!(candidates(&by(&mut rita, "status", "asc"))[0], "Ada Draft");
    assert_eq!(
        candidates(&by(&mut rita, "feedback", "desc"))[0],
        "Bea Ready"
    );
    // The next interview: only the draft has one to come; the others last.
    assert_eq!(candidates(&by(&mut rita, "next", "asc"))[0], "Ada Draft");
    assert_eq!(candidates(&by(&mut rita, "role", "asc")).len(), 3);
    assert_eq!(
        candidates(&by(&mut rita, "created", "asc")),
        ["Bea Ready", "Cal Late", "Ada Draft"]
    );
    // A sort nobody offers is the default order.
    assert_eq!(
        candidates(&by(&mut rita, "salary", "x")),
        ["Ada Draft", "Cal Late", "Bea Ready"]
    );
}

#[test]
fn needs_me_shows_each_person_what_waits_for_them() {
    let app = spawn_app();
    let org = Org::new(&app);
    three_loops(&app, &org);
    let needs = |who: &str| {
        let (mut client, _) = WebClient::signed_in(&app, who);
        candidates(&client.get("/loops?needs=me"))
    };
    // The recruiter: the red draft.
    assert_eq!(needs(&org.recruiter.email), ["Ada Draft"]);
    // The bar raiser: the loop whose feedback is all in (its debrief to
    // open), and the late one, where her own interview's feedback is due.
    assert_eq!(needs(&org.br.email), ["Cal Late", "Bea Ready"]);
    // Kim: the late loop's feedback (the draft takes none yet).
    assert_eq!(needs(&org.kim.email), ["Cal Late"]);
    // Otto takes part in nothing.
    let (mut otto, _) = WebClient::signed_in(&app, &org.outsider.email);
    let page = otto.get("/loops?needs=me");
    page.assert_contains("Nothing needs you now.");
}

#[test]
fn the_list_filters_by_status_and_requisition_and_pages_by_seek() {
    let app = spawn_app();
    let org = Org::new(&app);
    three_loops(&app, &org);
    let (mut rita, _) = WebClient::signed_in(&app, &org.recruiter.email);
    assert_eq!(candidates(&rita.get("/loops?status=draft")), ["Ada Draft"]);
    assert_eq!(
        candidates(&rita.get(&format!("/loops?requisition={}", org.requisition_id))).len(),
        3
    );
    assert!(candidates(&rita.get("/loops?requisition=999999")).is_empty());
    // 52 more drafts: the first page holds 50, the next the rest, none twice.
    for i in 0..52 {
        org.a_loop()
            .at(Utc::now() + TimeDelta::days(10 + i))
            .for_new_candidate(&app, &format!("Zed {i:02}"))
            .create(&app);
    }
    let first = rita.get("/loops?sort=candidate&dir=asc");
    let mut seen = candidates(&first);
    assert_eq!(seen.len(), 50);
    let more = first
        .text
        .split("<a href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.contains("cursor="))
        .expect("a link to the next page")
        .replace("&amp;", "&");
    let second = rita.get(&more);
    let rest = candidates(&second);
    assert_eq!(rest.len(), 5, "{}", second.text);
    seen.extend(rest);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "in order across the pages");
    sorted.dedup();
    assert_eq!(sorted.len(), 55, "none twice");
    assert!(!second.text.contains("cursor="), "the last page");
    // A cursor from elsewhere starts again from the top, without an error.
    assert_eq!(rita.get("/loops?cursor=x:y").status, 200);
}
