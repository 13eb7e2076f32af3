//! `POST /users/import`: people from a CSV file, checked whole, then all or none.

use barraiser::db::Db;
use barraiser::urls::api;
use diesel::RunQueryDsl;
use serde_json::{Value, json};

use crate::fixtures::Org;
use crate::helpers::{TestApp, spawn_app};

const HEADER: &str = "name,email,role,manager_email,department\n";

/// How many people, messages and trail events there are (what an import writes).
fn written(app: &TestApp) -> (usize, usize, u64) {
    let people = app
        .get(&format!("{}?limit=200", api::USERS), &app.admin_token)
        .body["items"]
        .as_array()
        .unwrap()
        .len();
    let trail = app.get(api::AUDIT_VERIFY, &app.admin_token).body["events"]
        .as_u64()
        .unwrap();
    (people, app.outbox().len(), trail)
}

fn user_by_email(app: &TestApp, email: &str) -> Value {
    let res = app.get(&format!("{}?q={email}", api::USERS), &app.admin_token);
    res.body["items"][0].clone()
}

#[test]
fn a_file_with_a_bad_line_writes_nothing_and_names_every_problem_with_its_line() {
    let app = spawn_app();
    let before = written(&app);
    let file = format!(
        "{HEADER}Ana Ruiz,ana@example.com,member,,Payments\n\
         Ben Cho,ben@example.com,owner,ana@example.com,\n\
         Cy Diaz,not-an-email,member,,\n\
         Di Fox,di@example.com,member,nobody@example.com,\n\
         Ana Again,ANA@example.com,member,,\n\
         Ed Gray,ed@example.com,member,fay@example.com,\n\
         Fay Hu,fay@example.com,member,ed@example.com,\n"
    );
    let res = app.import_people(&file, false);
    res.assert_problem(422, "import_invalid");
    let problems: Vec<(u64, String)> = res.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (3, "role".to_owned()),
            (4, "email".to_owned()),
            (6, "email".to_owned()),
        ],
        "the lines' own problems come first; {}",
        res.body
    );
    assert_eq!(written(&app), before, "nothing is written");

    // Fixed line by line, the same file's references are checked next.
    let file = format!(
        "{HEADER}Ana Ruiz,ana@example.com,member,,Payments\n\
         Di Fox,di@example.com,member,nobody@example.com,\n\
         Ed Gray,ed@example.com,member,fay@example.com,\n\
         Fay Hu,fay@example.com,member,ed@example.com,\n"
    );
    let res = app.import_people(&file, false);
    res.assert_problem(422, "import_invalid");
    let problems = res.body["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{}", res.body);
    assert_eq!(problems[0]["line"], 3);
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown manager")
    );
    assert_eq!(problems[1]["line"], 4);
    assert!(
        problems[1]["message"]
            .as_str()
            .unwrap()
            .contains("ed@example.com → fay@example.com → ed@example.com")
    );
    assert_eq!(written(&app), before);
}

#[test]
fn an_import_creates_and_invites_new_people_updates_existing_ones_and_takes_managers_in_any_order()
{
    let app = spawn_app();
    let kim = app.user_with(json!({"name": "Kim Park", "department": "Payments"}));
    let file = format!(
        "{HEADER}Ben Cho,ben@example.com,member,ana@example.com,Payments\n\
         \"Ruiz, Ana\",ana@example.com,recruiter,{kim},Payments\n\
         Kim Park,{kim},member,,Risk\n",
        kim = kim.email
    );
    let dry = app.import_people(&file, true);
    assert_eq!(dry.status, 200, "{}", dry.body);
    assert_eq!(
        dry.body,
        json!({"dry_run": true, "rows": 3, "created": 2, "updated": 1, "unchanged": 0, "loops_turned_red": []})
    );
    assert!(
        user_by_email(&app, "ben@example.com").is_null(),
        "a dry run writes nothing"
    );

    let res = app.import_people(&file, false);
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["dry_run"], false);
    assert_eq!(
        (res.body["created"].as_u64(), res.body["updated"].as_u64()),
        (Some(2), Some(1))
    );
    let ana = user_by_email(&app, "ana@example.com");
    let ben = user_by_email(&app, "ben@example.com");
    assert_eq!(ana["name"], "Ruiz, Ana");
    assert_eq!(ana["role"], "recruiter");
    assert_eq!(ana["manager_id"], kim.id);
    assert_eq!(ben["manager_id"], ana["id"]);
    assert_eq!(user_by_email(&app, &kim.email)["department"], "Risk");
    let invited: Vec<Value> = app.outbox_of("account_invitation");
    let to: Vec<&str> = invited
        .iter()
        .map(|m| m["to"][0].as_str().unwrap())
        .collect();
    assert_eq!(to.len(), 2);
    assert!(to.contains(&"ana@example.com") && to.contains(&"ben@example.com"));

    // On the trail: each person, then the import itself.
    let trail = app
        .get(&format!("{}?limit=4", api::AUDIT), &app.admin_token)
        .body;
    let kinds: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "people_imported",
            "person_changed",
            "person_added",
            "person_added"
        ]
    );
    assert_eq!(trail["items"][0]["data"]["created"], 2);
    assert_eq!(
        trail["items"][1]["data"]["changes"]["department"],
        json!({"from": "Payments", "to": "Risk"})
    );
    // Written together, one after another in the chain, which verifies.
    let seqs: Vec<i64> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] == w[1] + 1), "{seqs:?}");
    let verify = app.get(api::AUDIT_VERIFY, &app.admin_token).body;
    assert_eq!(verify["ok"], true, "{verify}");
    // Each invitation's link is the person's own: Ben's sets Ben's password.
    let path = crate::accounts::link_in_mail(&app, "ben@example.com", "You are invited");
    let token = path.split("token=").nth(1).unwrap();
    let set = app.request(
        "POST",
        api::PASSWORD_SET,
        None,
        Some(&json!({"token": token, "new_password": "ben-chose-this-one"})),
    );
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.body["email"], "ben@example.com");
    app.login("ben@example.com", "ben-chose-this-one");

    // The same file again changes nothing.
    let again = app.import_people(&file, false);
    assert_eq!(
        (
            again.body["created"].as_u64(),
            again.body["unchanged"].as_u64()
        ),
        (Some(0), Some(3))
    );
    assert_eq!(app.outbox_of("account_invitation").len(), 2);
}

#[test]
fn a_dry_run_names_the_open_loops_the_file_would_turn_red_and_saving_flags_them() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let br = app.get_user(&app.admin_token, org.br.id).body;
    let hm = app.get_user(&app.admin_token, org.hm.id).body;
    // The bar raiser moves under the hiring manager.
    let file = format!(
        "{HEADER}{},{},member,{},Logistics\n",
        br["name"].as_str().unwrap(),
        org.br.email,
        org.hm.email
    );
    let dry = app.import_people(&file, true);
    assert_eq!(dry.status, 200, "{}", dry.body);
    let red = &dry.body["loops_turned_red"];
    assert_eq!(red.as_array().unwrap().len(), 1, "{}", dry.body);
    assert_eq!(red[0]["loop_id"], lp["id"]);
    assert_eq!(red[0]["candidate"], "Casey Candidate");
    assert_eq!(red[0]["role"], "Senior Engineer");
    assert!(
        red[0]["failing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "bar_raiser_outside_hiring_manager_chain"),
        "{red}"
    );
    let now = app.get_loop(&org.recruiter, &lp["id"]).body;
    assert_eq!(
        now["independence"]["ok"], true,
        "the dry run changed nothing"
    );
    assert_eq!(
        app.get_user(&app.admin_token, org.br.id).body["manager_id"],
        br["manager_id"]
    );

    let saved = app.import_people(&file, false);
    assert_eq!(saved.body["loops_turned_red"], dry.body["loops_turned_red"]);
    let now = app.get_loop(&org.recruiter, &lp["id"]).body;
    assert_eq!(now["independence"]["ok"], false);
    assert_eq!(
        app.get_user(&app.admin_token, org.br.id).body["manager_id"],
        hm["id"]
    );
}

#[test]
fn an_import_that_fails_while_writing_leaves_nothing_behind() {
    let app = spawn_app();
    let before = written(&app);
    // The database refuses the third person, after two were written.
    let db = Db::connect(&app.db.url, 1).unwrap();
    let mut conn = db.conn().unwrap();
    let statements: &[&str] = if app.db.url.starts_with("postgres") {
        &[
            "CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN \
             IF NEW.email = 'boom@example.com' THEN RAISE EXCEPTION 'refused'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_boom BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse_boom()",
        ]
    } else {
        &["CREATE TRIGGER refuse_boom BEFORE INSERT ON users \
           WHEN NEW.email = 'boom@example.com' BEGIN SELECT RAISE(ABORT, 'refused'); END"]
    };
    for sql in statements {
        diesel::sql_query(*sql).execute(&mut *conn).unwrap();
    }
    let file = format!(
        "{HEADER}Ana Ruiz,ana@example.com,member,,\n\
         Ben Cho,ben@example.com,member,ana@example.com,\n\
         Boom,boom@example.com,member,ana@example.com,\n"
    );
    let res = app.import_people(&file, false);
    assert_eq!(res.status, 500, "{}", res.body);
    assert_eq!(written(&app), before, "all rows or none");
    assert!(user_by_email(&app, "ana@example.com").is_null());
}

#[test]
fn only_admins_import_and_only_csv_is_read() {
    let app = spawn_app();
    let file = format!("{HEADER}Ana Ruiz,ana@example.com,member,,\n");
    for role in ["member", "recruiter"] {
        let who = app.user(role, "Not Admin");
        app.raw(
            "POST",
            api::USERS_IMPORT,
            Some(&who.token),
            Some(file.as_bytes()),
            Some("text/csv"),
        )
        .assert_problem(403, "admin_only");
    }
    app.raw(
        "POST",
        api::USERS_IMPORT,
        Some(&app.admin_token),
        Some(file.as_bytes()),
        Some("application/json"),
    )
    .assert_problem(415, "unsupported_media_type");
    let res = app.raw(
        "POST",
        &format!("{}?dry_run=maybe", api::USERS_IMPORT),
        Some(&app.admin_token),
        Some(file.as_bytes()),
        Some("text/csv; charset=utf-8"),
    );
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.fields(), ["dry_run"]);
    let big = "x".repeat(4 * 1024 * 1024 + 1);
    app.raw(
        "POST",
        api::USERS_IMPORT,
        Some(&app.admin_token),
        Some(big.as_bytes()),
        Some("text/csv"),
    )
    .assert_problem(413, "payload_too_large");
    let res = app.raw(
        "POST",
        api::USERS_IMPORT,
        Some(&app.admin_token),
        Some(b"name,email,role,manager_email,department\n\xff\xfe,a@x.com,member,,\n"),
        Some("text/csv"),
    );
    res.assert_problem(422, "import_invalid");
    assert_eq!(res.body["problems"][0]["line"], 2);
}
