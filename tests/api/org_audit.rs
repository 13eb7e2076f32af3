//! The organisation's audit trail: every admin change, one verifiable chain.

use barraiser::db::Db;
use barraiser::db::schema::org_events;
use barraiser::urls::api;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

fn trail(app: &TestApp, query: &str) -> Vec<Value> {
    let res = app.get(&format!("{}{query}", api::AUDIT), &app.admin_token);
    assert_eq!(res.status, 200, "{}", res.body);
    res.body["items"].as_array().unwrap().clone()
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["kind"].as_str().unwrap()).collect()
}

fn new_competency() -> Value {
    json!({
        "key": "plays_well",
        "name": "Plays well with others",
        "description": "Works across teams.",
        "anchors": {"1": "Blames", "2": "Tolerates", "3": "Helps", "4": "Lifts others"},
        "questions": ["Tell me about a time you unblocked another team."]
    })
}

#[test]
fn every_admin_change_is_on_the_org_trail_newest_first_in_a_chain_that_verifies() {
    let app = spawn_app();
    let lee = app.user("member", "Lee Chan");
    let created = app.post(
        api::USERS,
        &app.admin_token,
        json!({"email": "kim@example.com", "name": "Kim Park", "role": "member", "department": "Payments"}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let kim = created.body["id"].as_i64().unwrap();
    let res = app.update_user(kim, json!({"role": "recruiter", "manager_id": lee.id}));
    assert_eq!(res.status, 200, "{}", res.body);
    app.certify(kim);
    let comp = app.post(api::COMPETENCIES, &app.admin_token, new_competency());
    assert_eq!(comp.status, 201, "{}", comp.body);
    let comp_id = comp.body["id"].as_i64().unwrap();
    let res = app.patch(
        &api::competency(barraiser::domain::CompetencyId(comp_id)),
        &app.admin_token,
        json!({"active": false}),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    // A change that changes nothing is not an event.
    app.update_user(kim, json!({"role": "recruiter"}));

    let events = trail(&app, "");
    assert_eq!(
        kinds(&events)[..5],
        [
            "competency_changed",
            "competency_added",
            "bar_raiser_set",
            "person_changed",
            "person_added"
        ]
    );
    let admin_id = app.me(&app.admin_token).body["id"].clone();
    assert!(events[..5].iter().all(|e| e["actor_id"] == admin_id));
    assert_eq!(
        events[0]["data"]["changes"]["active"],
        json!({"from": true, "to": false})
    );
    assert_eq!(events[2]["data"]["from"], "none");
    assert_eq!(events[2]["data"]["to"], "certified");
    assert_eq!(events[3]["subject_type"], "user");
    assert_eq!(events[3]["subject_id"], kim);
    assert_eq!(
        events[3]["data"]["changes"],
        json!({"role": {"from": "member", "to": "recruiter"}, "manager_id": {"from": null, "to": lee.id}})
    );
    assert_eq!(
        events[3]["data"]["sessions_ended"], true,
        "a role change ends API access"
    );
    assert_eq!(events[4]["data"]["invited"], true);
    assert_eq!(events[4]["data"]["department"], "Payments");
    for pair in events.windows(2) {
        assert_eq!(pair[0]["prev_hash"], pair[1]["hash"]);
        assert_eq!(
            pair[0]["seq"].as_i64().unwrap(),
            pair[1]["seq"].as_i64().unwrap() + 1
        );
    }

    let verify = app.get(api::AUDIT_VERIFY, &app.admin_token).body;
    assert_eq!(verify["ok"], true, "{verify}");
    assert_eq!(verify["events"].as_u64().unwrap() as usize, events.len());

    // Filters and seek pages.
    let about_kim = trail(&app, &format!("?subject_type=user&subject_id={kim}"));
    assert_eq!(
        kinds(&about_kim),
        ["bar_raiser_set", "person_changed", "person_added"]
    );
    let first = app.get(
        &format!("{}?subject_id={kim}&limit=2", api::AUDIT),
        &app.admin_token,
    );
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = trail(
        &app,
        &format!("?subject_id={kim}&subject_type=user&cursor={cursor}"),
    );
    assert_eq!(kinds(&rest), ["person_added"]);
    assert_eq!(
        kinds(&trail(&app, "?kind=bar_raiser_set")),
        ["bar_raiser_set"]
    );
    let future = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    assert!(trail(&app, &format!("?from={}", future.replace('+', "%2B"))).is_empty());

    // The export: a header and one line per event, newest first.
    let csv = app.get(
        &format!("{}?subject_type=user&subject_id={kim}", api::AUDIT_EXPORT),
        &app.admin_token,
    );
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .contains("audit.csv")
    );
    let text = csv.body.as_str().unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "seq",
            "at",
            "actor_id",
            "kind",
            "subject_type",
            "subject_id",
            "data",
            "prev_hash",
            "hash"
        ]
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][3], "bar_raiser_set");
    assert_eq!(&rows[2][6], about_kim[2]["data"].to_string());
}

#[test]
fn only_admins_read_verify_or_export_the_org_trail_and_bad_filters_are_named() {
    let app = spawn_app();
    for role in ["member", "recruiter"] {
        let who = app.user(role, "Not Admin");
        for path in [api::AUDIT, api::AUDIT_VERIFY, api::AUDIT_EXPORT] {
            app.get(path, &who.token).assert_problem(403, "admin_only");
        }
    }
    let res = app.get(
        &format!(
            "{}?kind=loop_created&actor_id=x&subject_type=loop&subject_id=-1&from=yesterday",
            api::AUDIT
        ),
        &app.admin_token,
    );
    res.assert_problem(422, "validation_failed");
    let mut fields = res.fields();
    fields.sort();
    assert_eq!(
        fields,
        ["actor_id", "from", "kind", "subject_id", "subject_type"]
    );
    let now = chrono::Utc::now();
    let reversed = format!(
        "{}?from={}&to={}",
        api::AUDIT_EXPORT,
        now.format("%Y-%m-%dT%H:%M:%SZ"),
        (now - chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M:%SZ")
    );
    let res = app.get(&reversed, &app.admin_token);
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.fields(), ["to"]);
}

#[test]
fn verification_names_the_org_event_that_was_rewritten() {
    let app = spawn_app();
    let kim = app.user("member", "Kim Park");
    app.update_user(kim.id, json!({"department": "Payments"}));
    app.update_user(kim.id, json!({"department": "Risk"}));
    app.certify(kim.id);
    let events = trail(&app, &format!("?subject_id={}", kim.id));
    let middle = &events[2];
    assert_eq!(middle["data"]["changes"]["department"]["to"], "Payments");

    // Someone with database access rewrites history behind the application's back.
    let db = Db::connect(&app.db.url, 1).unwrap();
    diesel::update(org_events::table.find(middle["id"].as_i64().unwrap()))
        .set(org_events::data.eq(r#"{"changes":{"department":{"from":null,"to":"Sales"}}}"#))
        .execute(&mut *db.conn().unwrap())
        .unwrap();
    let verify = app.get(api::AUDIT_VERIFY, &app.admin_token).body;
    assert_eq!(verify["ok"], false);
    assert_eq!(verify["first_mismatch"]["event_id"], middle["id"]);
    assert_eq!(verify["first_mismatch"]["seq"], middle["seq"]);
    assert_eq!(verify["first_mismatch"]["reason"], "content_hash_mismatch");
}

#[test]
fn concurrent_admin_edits_append_to_one_unbroken_chain() {
    let app = spawn_app();
    let people: Vec<i64> = (0..4)
        .map(|i| app.user("member", &format!("P {i}")).id)
        .collect();
    let before = app.get(api::AUDIT_VERIFY, &app.admin_token).body["events"]
        .as_u64()
        .unwrap();
    std::thread::scope(|s| {
        for (t, id) in people.iter().enumerate() {
            let app = &app;
            s.spawn(move || {
                for round in 0..5 {
                    let res =
                        app.update_user(*id, json!({"department": format!("Dept {t}-{round}")}));
                    assert_eq!(res.status, 200, "{}", res.body);
                }
            });
        }
    });
    let verify = app.get(api::AUDIT_VERIFY, &app.admin_token).body;
    assert_eq!(verify["ok"], true, "{verify}");
    assert_eq!(verify["events"].as_u64().unwrap(), before + 20);
}
