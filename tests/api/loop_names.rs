//! The loop page keeps the names it shows between views (`db::names_cache`),
//! and shows every change of them at the next view: a person's name, a
//! role's title, a competency's name, an erased candidate, a new interviewer
//! and a new event of the trail.

use barraiser::domain::LoopId;
use barraiser::urls;
use serde_json::json;

use crate::fixtures::Org;
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

#[test]
fn the_loop_page_shows_each_name_changed_since_it_was_last_shown() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    let id = lp["id"].as_i64().unwrap();
    let page = urls::loop_page(LoopId(id));
    let (mut web, _) = WebClient::signed_in(&app, &org.recruiter.email);
    let shown = web.get(&page);
    for name in [
        "Kim Park",
        "Senior Engineer",
        "Casey Candidate",
        "Ownership",
    ] {
        shown.assert_contains(name);
    }
    // Shown twice: the second view comes from what the first one kept.
    web.get(&page).assert_contains("Kim Park");

    let res = app.patch(
        &format!("/api/v1/users/{}", org.kim.id),
        &app.admin_token,
        json!({ "name": "Kim Park-Olsen" }),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    web.get(&page).assert_contains("Kim Park-Olsen");

    let res = app.patch(
        &format!("/api/v1/requisitions/{}", org.requisition_id),
        &org.recruiter.token,
        json!({ "title": "Principal Engineer" }),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let shown = web.get(&page);
    shown.assert_contains("Principal Engineer");
    assert!(
        !shown.text.contains("Senior Engineer"),
        "the old title is gone"
    );

    let res = app.patch(
        &format!("/api/v1/competencies/{}", org.competencies[0]),
        &app.admin_token,
        json!({ "name": "Owning It" }),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    web.get(&page).assert_contains("Owning It");

    let res = app.request(
        "DELETE",
        &format!("/api/v1/candidates/{}", org.candidate_id),
        Some(&org.recruiter.token),
        None,
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let shown = web.get(&page);
    shown.assert_contains("Erased candidate");
    assert!(!shown.text.contains("Casey Candidate"));

    // A new interviewer on the panel, and the trail's new event.
    let newcomer = app.user_with(json!({ "name": "Noor Haddad", "manager_id": org.ceo.id }));
    let mut interviews: Vec<serde_json::Value> = lp["interviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            json!({
                "id": i["id"],
                "interviewer_id": i["interviewer_id"],
                "competency_ids": i["competency_ids"],
                "starts_at": i["starts_at"],
                "ends_at": i["ends_at"],
            })
        })
        .collect();
    // The first interview given to them: removed, and added anew.
    interviews[0] = json!({
        "interviewer_id": newcomer.id,
        "competency_ids": interviews[0]["competency_ids"],
        "starts_at": interviews[0]["starts_at"],
        "ends_at": interviews[0]["ends_at"],
    });
    let res = app.patch(
        &format!("/api/v1/loops/{id}"),
        &org.recruiter.token,
        json!({ "interviews": interviews }),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let events = app.get(&format!("/api/v1/loops/{id}/events"), &org.recruiter.token);
    let items = events.body["items"].as_array().expect("the trail's events");
    let last = items.last().unwrap()["kind"]
        .as_str()
        .unwrap()
        .replace('_', " ");
    let shown = web.get(&page);
    shown.assert_contains("Noor Haddad");
    shown.assert_contains(&format!("The chain of {} events is intact.", items.len()));
    shown.assert_contains(&format!("<strong>{last}</strong> by"));
}

/// A transaction that renames someone and, later, someone else commits
/// beside one that renames that someone else in between: the names' version
/// moves as each transaction commits (deferred triggers on PostgreSQL), so
/// neither holds it while waiting for the other's row (no deadlock).
#[test]
fn renames_in_crossing_transactions_both_commit() {
    use barraiser::db::DbConn;
    use barraiser::db::users::{self, UserChanges};
    use diesel::Connection;
    use std::sync::Barrier;
    use std::time::Duration;

    let app = spawn_app();
    let org = Org::new(&app);
    let store = app.store();
    let rename = |c: &mut DbConn, id: i64, name: &str| {
        let changes = UserChanges {
            name: Some(name.to_owned()),
            ..Default::default()
        };
        users::update(c, id, changes).map(|_| ())
    };
    let first_renamed = Barrier::new(2);
    std::thread::scope(|s| {
        let first = s.spawn(|| {
            let mut conn = store.conn().unwrap();
            conn.transaction(|c| {
                rename(c, org.kim.id, "Kim One")?;
                first_renamed.wait();
                // The other transaction renames Lee meanwhile.
                std::thread::sleep(Duration::from_millis(300));
                rename(c, org.lee.id, "Lee One")
            })
        });
        let second = s.spawn(|| {
            first_renamed.wait();
            let mut conn = store.conn().unwrap();
            conn.transaction(|c| rename(c, org.lee.id, "Lee Two"))
        });
        second
            .join()
            .unwrap()
            .expect("the second transaction commits");
        first
            .join()
            .unwrap()
            .expect("the first transaction commits");
    });
    let name = |id: i64| {
        app.get(&format!("/api/v1/users/{id}"), &app.admin_token)
            .body["name"]
            .clone()
    };
    assert_eq!(name(org.kim.id), "Kim One");
    // Whichever committed last (the order differs between the backends:
    // SQLite has the second wait for the first's write lock).
    assert!(["Lee One", "Lee Two"].contains(&name(org.lee.id).as_str().unwrap()));
}

/// The debrief room keeps the loop's competency library (names and anchors)
/// with the names, and shows at the next view a competency's rewritten
/// anchors and a competency the role came to require.
#[test]
fn the_debrief_room_shows_the_competencies_changed_since_it_was_last_shown() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = crate::debrief::all_submitted(&app, &org);
    let id = lp["id"].as_i64().unwrap();
    assert_eq!(app.debrief(&lp).open(&org.br, None).status, 200);
    let own = org.competencies[0];
    let anchors = |third: &str| {
        let res = app.patch(
            &format!("/api/v1/competencies/{own}"),
            &app.admin_token,
            json!({ "anchors": {"1": "None seen.", "2": "Some seen.", "3": third, "4": "Far beyond."} }),
        );
        assert_eq!(res.status, 200, "{}", res.body);
    };
    anchors("Owned the outcome end to end");
    let room = urls::debrief_room(LoopId(id));
    let (mut web, _) = WebClient::signed_in(&app, &org.br.email);
    web.get(&room)
        .assert_contains("Owned the outcome end to end");
    // Shown twice: the second view comes from what the first one kept.
    web.get(&room)
        .assert_contains("Owned the outcome end to end");

    anchors("Took the whole problem on");
    let shown = web.get(&room);
    shown.assert_contains("Took the whole problem on");
    assert!(!shown.text.contains("Owned the outcome end to end"));

    let library = app.get("/api/v1/competencies?limit=200", &app.admin_token);
    let added = library.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| !org.competencies.contains(&c["id"].as_i64().unwrap()))
        .expect("a competency the role does not require")
        .clone();
    let name = added["name"].as_str().unwrap();
    assert!(!shown.text.contains(name), "not the role's yet");
    let res = app.patch(
        &format!("/api/v1/requisitions/{}", org.requisition_id),
        &org.recruiter.token,
        json!({ "competency_ids": [org.competencies[0], org.competencies[1], added["id"]] }),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    web.get(&room).assert_contains(name);
}
