//! The admin workspace's organisation pages: a person's profile with the
//! rehearsed reorganisation, the import page, the chart, the library, the
//! audit trail and the admin's home.

use barraiser::domain::{CompetencyId, UserId};
use barraiser::urls;
use serde_json::json;

use crate::fixtures::Org;
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

#[test]
fn a_reorganisation_is_previewed_without_saving_then_saved_naming_the_loop_it_turns_red() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let ada = app.user("admin", "Ada Admin");
    let (mut web, csrf) = WebClient::signed_in(&app, &ada.email);
    let profile = urls::admin_person(UserId(org.br.id));
    let page = web.get(&profile);
    assert_eq!(page.status, 200, "{}", page.text);
    page.assert_contains("Reports to ");
    page.assert_contains(">Ola Berg</a>");

    // The bar raiser would move under the hiring manager.
    let hm = org.hm.id.to_string();
    let fields = |intent: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("name", "Dana Lee".to_owned()),
            ("role", "member".to_owned()),
            ("manager_id", hm.clone()),
            ("department", "Logistics".to_owned()),
            ("intent", intent.to_owned()),
        ]
    };
    let preview_fields = fields("preview");
    let pairs: Vec<(&str, &str)> = preview_fields
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    let preview = web.post(&profile, &pairs);
    assert_eq!(preview.status, 200, "{}", preview.text);
    preview.assert_contains("If you save");
    preview.assert_contains("Manager: Ola Berg → Sam Ortiz");
    preview.assert_contains("1 open loop would turn red");
    preview.assert_contains("Casey Candidate");
    preview.assert_contains("Senior Engineer");
    preview.assert_contains("bar_raiser_outside_hiring_manager_chain");
    preview.assert_contains("Nothing is saved yet.");
    assert_eq!(
        app.get_user(&app.admin_token, org.br.id).body["manager_id"],
        org.ola.id,
        "a preview saves nothing"
    );
    assert_eq!(
        app.get_loop(&org.recruiter, &lp["id"]).body["independence"]["ok"],
        true
    );

    let save_fields = fields("save");
    let pairs: Vec<(&str, &str)> = save_fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = web.post(&profile, &pairs);
    assert_eq!(saved.status, 303, "{}", saved.text);
    web.get(saved.location())
        .assert_contains("Dana Lee is saved. 1 open loop turned red; their recruiters are told.");
    assert_eq!(
        app.get_user(&app.admin_token, org.br.id).body["manager_id"],
        org.hm.id
    );
    assert_eq!(
        app.get_loop(&org.recruiter, &lp["id"]).body["independence"]["ok"],
        false
    );
}

#[test]
fn a_change_that_closes_a_reporting_cycle_is_refused_naming_it_and_saves_nothing() {
    let app = spawn_app();
    let org = Org::new(&app);
    let ada = app.user("admin", "Ada Admin");
    let (mut web, csrf) = WebClient::signed_in(&app, &ada.email);
    let kim = org.kim.id.to_string();
    for intent in ["preview", "save"] {
        let page = web.post(
            &urls::admin_person(UserId(org.ceo.id)),
            &[
                ("csrf_token", &csrf),
                ("name", "Ceo Vance"),
                ("role", "member"),
                ("manager_id", &kim),
                ("department", ""),
                ("intent", intent),
            ],
        );
        assert_eq!(page.status, 422, "{intent}: {}", page.text);
        page.assert_contains(
            "Ceo Vance cannot report to Kim Park: Kim Park already reports to Ceo Vance through Sam Ortiz.",
        );
    }
    assert_eq!(
        app.get_user(&app.admin_token, org.ceo.id).body["manager_id"],
        json!(null)
    );
    // A blank name comes back beside its field.
    let page = web.post(
        &urls::admin_person(UserId(org.kim.id)),
        &[
            ("csrf_token", &csrf),
            ("name", " "),
            ("role", "member"),
            ("manager_id", ""),
            ("intent", "save"),
        ],
    );
    assert_eq!(page.status, 422);
    page.assert_contains(r#"id="name-error""#);
}

#[test]
fn the_profile_sets_a_bar_raiser_standing_with_its_history_and_deactivates_and_reactivates() {
    let app = spawn_app();
    let kim = app.user("member", "Kim Park");
    let ada = app.user("admin", "Ada Admin");
    let (mut web, csrf) = WebClient::signed_in(&app, &ada.email);
    let profile = urls::admin_person(UserId(kim.id));
    for status in ["in_training", "certified"] {
        let res = web.post(
            &urls::admin_person_bar_raiser(UserId(kim.id)),
            &[("csrf_token", &csrf), ("status", status)],
        );
        assert_eq!(res.status, 303, "{}", res.text);
    }
    let page = web.get(&profile);
    page.assert_contains("Kim Park is now certified.");
    let history = &page.text[page.text.find("History").unwrap()..];
    let certified = history.find("<strong>certified</strong> since").unwrap();
    let training = history.find("<strong>in training</strong> since").unwrap();
    let none = history.find("<strong>none</strong>").unwrap();
    assert!(certified < training && training < none, "newest first");
    page.assert_contains("(set by Ada Admin)");

    let off = web.post(
        &urls::admin_person_active(UserId(kim.id)),
        &[("csrf_token", &csrf), ("active", "false")],
    );
    assert_eq!(off.status, 303);
    let page = web.get(off.location());
    page.assert_contains("Kim Park is deactivated; their sessions have ended.");
    page.assert_contains("Reactivate Kim Park");
    app.get(barraiser::urls::api::ME, &kim.token)
        .assert_problem(401, "invalid_token");
    let on = web.post(
        &urls::admin_person_active(UserId(kim.id)),
        &[("csrf_token", &csrf), ("active", "true")],
    );
    assert_eq!(on.status, 303);
    web.get(on.location())
        .assert_contains("Deactivate Kim Park");

    // On one's own profile: no deactivation, no role change.
    let own = web.get(&urls::admin_person(UserId(ada.id)));
    assert!(!own.text.contains("Deactivate Ada Admin"));
    own.assert_contains("You cannot change your own role");
    let refused = web.post(
        &urls::admin_person_active(UserId(ada.id)),
        &[("csrf_token", &csrf), ("active", "false")],
    );
    assert!(
        refused.status == 303 || refused.status == 409,
        "{}",
        refused.status
    );
    assert_eq!(app.get_user(&app.admin_token, ada.id).body["active"], true);
}

#[test]
fn the_import_page_names_each_bad_line_then_checks_and_imports_the_fixed_file() {
    let app = spawn_app();
    let ada = app.user("admin", "Ada Admin");
    let (mut web, csrf) = WebClient::signed_in(&app, &ada.email);
    let bad = "name,email,role,manager_email,department\n\
               Ana Ruiz,ana@example.com,member,,Payments\n\
               Ben Cho,ben@example.com,member,nobody@example.com,\n";
    let page = web.post(
        urls::ADMIN_PEOPLE_IMPORT,
        &[("csrf_token", &csrf), ("csv", bad), ("intent", "import")],
    );
    assert_eq!(page.status, 422, "{}", page.text);
    page.assert_contains("Nothing was imported");
    page.assert_contains("<td>3</td><td>manager_email</td>");
    page.assert_contains("unknown manager");
    page.assert_contains("Ben Cho,ben@example.com");
    assert!(
        app.get(
            &format!("{}?q=ana@example.com", barraiser::urls::api::USERS),
            &app.admin_token
        )
        .body["items"][0]
            .is_null()
    );

    let fixed = bad.replace("nobody@example.com", "ana@example.com");
    let check = web.post(
        urls::ADMIN_PEOPLE_IMPORT,
        &[("csrf_token", &csrf), ("csv", &fixed), ("intent", "check")],
    );
    assert_eq!(check.status, 200, "{}", check.text);
    check.assert_contains("The file is ready");
    check.assert_contains("<strong>2</strong> people to add and invite");
    // A chosen file, sent as it is by the page's script.
    let sent = web.post_body(
        &format!("{}?intent=import", urls::ADMIN_PEOPLE_IMPORT),
        "text/csv",
        fixed.as_bytes(),
        &csrf,
    );
    assert_eq!(sent.status, 303, "{}", sent.text);
    web.get(sent.location())
        .assert_contains("Imported 2 rows: 2 people added and invited, 0 updated, 0 unchanged.");
    assert_eq!(app.outbox_of("account_invitation").len(), 2);
}

#[test]
fn the_chart_puts_each_person_under_their_manager_and_focuses_on_one() {
    let app = spawn_app();
    let org = Org::new(&app);
    let ada = app.user("admin", "Ada Admin");
    let (mut web, _) = WebClient::signed_in(&app, &ada.email);
    let chart = web.get(urls::ADMIN_ORG);
    assert_eq!(chart.status, 200, "{}", chart.text);
    let at = |name: &str| {
        chart
            .text
            .find(&format!(">{name}</a>"))
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert!(at("Ceo Vance") < at("Ola Berg") && at("Ola Berg") < at("Dana Lee"));
    chart.assert_contains("bar raiser</span>");
    let focus = web.get(&urls::admin_org(Some(UserId(org.br.id))));
    focus.assert_contains(">Ceo Vance</a> → <a");
    focus.assert_contains("<strong>Dana Lee</strong>");
    focus.assert_contains("Nobody reports to Dana Lee.");
    assert_eq!(
        web.get(&format!("{}?person=999999", urls::ADMIN_ORG))
            .status,
        404
    );
}

#[test]
fn competencies_are_added_with_their_anchors_edited_and_retired_from_their_page() {
    let app = spawn_app();
    let ada = app.user("admin", "Ada Admin");
    let (mut web, csrf) = WebClient::signed_in(&app, &ada.email);
    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("key", "plays_well"),
        ("name", "Plays well with others"),
        ("description", "Works across teams."),
        ("anchor_1", "Blames"),
        ("anchor_2", "Tolerates"),
        ("anchor_3", ""),
        ("anchor_4", "Lifts others"),
        (
            "questions",
            "Tell me about a team you unblocked.\n\nAnd one you could not.",
        ),
    ];
    let missing = web.post(urls::ADMIN_COMPETENCIES, &fields);
    assert_eq!(missing.status, 422, "{}", missing.text);
    missing.assert_contains(r#"id="anchors-3-error""#);
    fields[6].1 = "Helps";
    let added = web.post(urls::ADMIN_COMPETENCIES, &fields);
    assert_eq!(added.status, 303, "{}", added.text);
    let page = web.get(added.location());
    page.assert_contains("Plays well with others is in the library.");
    let id: i64 = added
        .location()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let api = app
        .get(
            &barraiser::urls::api::competency(CompetencyId(id)),
            &app.admin_token,
        )
        .body;
    assert_eq!(
        api["questions"],
        json!([
            "Tell me about a team you unblocked.",
            "And one you could not."
        ])
    );
    assert_eq!(api["anchors"]["3"], "Helps");

    let retired = web.post(
        &urls::admin_competency(CompetencyId(id)),
        &[("csrf_token", &csrf), ("intent", "retire")],
    );
    assert_eq!(retired.status, 303);
    web.get(retired.location())
        .assert_contains("Plays well with others is retired");
    let list = web.get(urls::ADMIN_COMPETENCIES);
    list.assert_contains("retired</span>");
    assert_eq!(
        app.get(
            &barraiser::urls::api::competency(CompetencyId(id)),
            &app.admin_token
        )
        .body["active"],
        false
    );
    let duplicate = web.post(urls::ADMIN_COMPETENCIES, &fields);
    assert_eq!(duplicate.status, 422);
    duplicate.assert_contains(r#"id="key-error""#);
}

#[test]
fn the_audit_page_lists_admin_changes_shows_the_chain_verified_and_exports_csv() {
    let app = spawn_app();
    let kim = app.user("member", "Kim Park");
    let ada = app.user("admin", "Ada Admin");
    let (mut web, csrf) = WebClient::signed_in(&app, &ada.email);
    web.post(
        &urls::admin_person_bar_raiser(UserId(kim.id)),
        &[("csrf_token", &csrf), ("status", "certified")],
    );
    let page = web.get(urls::ADMIN_AUDIT);
    assert_eq!(page.status, 200, "{}", page.text);
    page.assert_contains("chain verified");
    page.assert_contains("<td>Ada Admin</td><td>bar raiser set</td>");
    page.assert_contains("none → certified");
    let filtered = web.get(&urls::admin_audit(
        &[("kind", "bar_raiser_set"), ("subject_id", "")],
        None,
    ));
    assert_eq!(filtered.status, 200);
    assert!(!filtered.text.contains("<td>person added</td>"));
    filtered.assert_contains("<td>bar raiser set</td>");
    let bad = web.get(&urls::admin_audit(&[("actor_id", "someone")], None));
    assert_eq!(bad.status, 422);
    bad.assert_contains("actor_id: must be a positive whole number");
    let csv = web.get(&urls::admin_audit_export(&[("kind", "bar_raiser_set")]));
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(csv.text.lines().count(), 2, "{}", csv.text);
}

#[test]
fn the_admin_home_shows_flagged_loops_and_a_bar_raiser_far_above_the_others() {
    let app = spawn_app();
    let org = Org::new(&app);
    for name in ["Pat One", "Pat Two", "Pat Three"] {
        org.a_loop().for_new_candidate(&app, name).schedule(&app);
    }
    // Two more certified bar raisers, with no loops: Dana carries three.
    app.certify(org.ana.id);
    app.certify(org.ola.id);
    // One loop turns red: Dana moves under the hiring manager.
    app.update_user(org.br.id, json!({"manager_id": org.hm.id}));
    let ada = app.user("admin", "Ada Admin");
    let (mut web, _) = WebClient::signed_in(&app, &ada.email);
    let page = web.get(urls::ADMIN);
    assert_eq!(page.status, 200, "{}", page.text);
    page.assert_contains("3 flagged</span>");
    page.assert_contains("Pat One — Senior Engineer");
    page.assert_contains("far above the median of 0 open loops");
    page.assert_contains(">Dana Lee</a> — 3 open loops");
    page.assert_contains("No failed mail.");
    let home = web.get(urls::HOME);
    home.assert_contains("Needs an admin");
    home.assert_contains("3 flagged</span>");
}
