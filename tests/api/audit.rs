//! The loop's append-only, hash-chained event log.

use barraiser::urls::api;

use crate::client::LoopRef;

use barraiser::db::Db;
use barraiser::db::schema::loop_events;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use serde_json::json;

use crate::fixtures::Org;
use crate::helpers::spawn_app;

#[test]
fn every_change_is_an_event_in_a_verifiable_hash_chain() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    let id = lp["id"].as_i64().unwrap();
    app.patch(
        &api::loop_(id.loop_id()),
        &org.recruiter.token,
        json!({"bar_raiser_id": org.br.id}),
    );
    app.post(
        &api::loop_schedule(id.loop_id()),
        &org.recruiter.token,
        json!({}),
    );
    app.post(
        &api::loop_cancel(id.loop_id()),
        &org.recruiter.token,
        json!({"reason": "Position filled"}),
    );

    let events = app
        .get(&format!("/api/v1/loops/{id}/events"), &org.hm.token)
        .body;
    let items = events["items"].as_array().unwrap();
    let kinds: Vec<&str> = items.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "loop_created",
            "loop_edited",
            "loop_scheduled",
            "debrief_proposed",
            "loop_cancelled"
        ]
    );
    assert!(items.iter().all(|e| e["actor_id"] == org.recruiter.id));
    assert_eq!(items[0]["prev_hash"], "0".repeat(64));
    for pair in items.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }
    assert_eq!(
        items[0]["data"]["after"]["interviews"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(items[1]["data"]["before"]["bar_raiser_id"], org.br.id);
    assert_eq!(items[4]["data"]["reason"], "Position filled");
    assert_eq!(items[4]["data"]["before"]["status"], "scheduled");

    let verify = app
        .get(&format!("/api/v1/loops/{id}/events/verify"), &org.kim.token)
        .body;
    assert_eq!(
        verify,
        json!({"ok": true, "events": 5, "first_mismatch": null})
    );

    let page = app
        .get(&format!("/api/v1/loops/{id}/events?limit=3"), &org.hm.token)
        .body;
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let rest = app.get(
        &format!(
            "/api/v1/loops/{id}/events?cursor={}",
            page["next_cursor"].as_str().unwrap()
        ),
        &org.hm.token,
    );
    assert_eq!(rest.body["items"][0]["kind"], "debrief_proposed");
    assert_eq!(rest.body["items"][1]["kind"], "loop_cancelled");
}

#[test]
fn verification_names_the_first_event_that_was_tampered_with() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    let id = lp["id"].as_i64().unwrap();
    app.post(
        &api::loop_schedule(id.loop_id()),
        &org.recruiter.token,
        json!({}),
    );
    app.post(
        &api::loop_cancel(id.loop_id()),
        &org.recruiter.token,
        json!({"reason": "Position filled"}),
    );
    let events = app
        .get(&format!("/api/v1/loops/{id}/events"), &org.recruiter.token)
        .body;
    let second = events["items"][1]["id"].as_i64().unwrap();

    // Someone with database access rewrites history behind the application's back.
    let db = Db::connect(&app.db.url, 1).unwrap();
    diesel::update(loop_events::table.find(second))
        .set(loop_events::data.eq("{\"after\":{\"status\":\"scheduled\"},\"note\":\"rewritten\"}"))
        .execute(&mut *db.conn().unwrap())
        .unwrap();
    let verify = app
        .get(
            &format!("/api/v1/loops/{id}/events/verify"),
            &app.admin_token,
        )
        .body;
    assert_eq!(verify["ok"], false);
    assert_eq!(verify["first_mismatch"]["event_id"], second);
    assert_eq!(verify["first_mismatch"]["seq"], 2);
    assert_eq!(verify["first_mismatch"]["reason"], "content_hash_mismatch");
}
