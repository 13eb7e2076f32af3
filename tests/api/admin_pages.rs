//! The admin workspace's pages (`/admin/…`): one guarded area (the 404 page
//! for anyone but an admin), and the outbox page.

use std::time::Duration;

use barraiser::urls;

use crate::helpers::{TestApp, TestDb, smtp_settings, spawn_app};
use crate::smtp::{SmtpServer, wait_until};
use crate::web_client::WebClient;

#[test]
fn admin_pages_are_the_404_page_for_everyone_but_admins() {
    use barraiser::domain::{CompetencyId, MessageId, UserId};
    let app = spawn_app();
    let someone = app.user("member", "Some One");
    let pages = [
        urls::ADMIN.to_owned(),
        urls::ADMIN_PEOPLE.to_owned(),
        urls::ADMIN_PEOPLE_IMPORT.to_owned(),
        urls::admin_person(UserId(someone.id)),
        urls::ADMIN_ORG.to_owned(),
        urls::admin_org(Some(UserId(someone.id))),
        urls::ADMIN_COMPETENCIES.to_owned(),
        urls::admin_competency(CompetencyId(1)),
        urls::ADMIN_OUTBOX.to_owned(),
        urls::ADMIN_AUDIT.to_owned(),
        urls::ADMIN_AUDIT_EXPORT.to_owned(),
        urls::ADMIN_API_KEYS.to_owned(),
        urls::ADMIN_WEBHOOKS.to_owned(),
    ];
    let forms = [
        urls::ADMIN_PEOPLE.to_owned(),
        urls::ADMIN_PEOPLE_IMPORT.to_owned(),
        urls::admin_person(UserId(someone.id)),
        urls::admin_person_bar_raiser(UserId(someone.id)),
        urls::admin_person_active(UserId(someone.id)),
        urls::ADMIN_COMPETENCIES.to_owned(),
        urls::admin_competency(CompetencyId(1)),
        urls::admin_outbox_retry(MessageId(1)),
        urls::ADMIN_API_KEYS.to_owned(),
        urls::admin_api_key_revoke(1),
        urls::ADMIN_WEBHOOKS.to_owned(),
        urls::admin_webhook_active(1),
        urls::admin_webhook_secret(1),
        urls::admin_webhook_delete(1),
    ];
    for role in ["member", "recruiter"] {
        let who = app.user(role, "Not An Admin");
        let (mut web, csrf) = WebClient::signed_in(&app, &who.email);
        for path in &pages {
            let page = web.get(path);
            assert_eq!(page.status, 404, "{role} GET {path}");
            page.assert_contains("Page not found");
        }
        let home = web.get(urls::HOME).text;
        assert!(
            !home.contains("href=\"/admin"),
            "no admin link for a {role}"
        );
        assert!(!home.contains("Needs an admin"), "{role}");
        for path in &forms {
            let res = web.post(
                path,
                &[
                    ("csrf_token", &csrf),
                    ("intent", "save"),
                    ("active", "false"),
                    ("status", "certified"),
                ],
            );
            assert_eq!(res.status, 404, "{role} POST {path}");
        }
    }
    // Nothing was changed by any of those posts.
    let after = app.get_user(&app.admin_token, someone.id).body;
    assert_eq!(
        (after["active"].as_bool(), after["bar_raiser"].as_str()),
        (Some(true), Some("none"))
    );
}

#[test]
fn an_admin_sees_failed_mail_with_masked_recipients_and_queues_it_again() {
    let smtp = SmtpServer::refusing(550);
    let db = TestDb::fresh();
    let app = TestApp::start(db.clone(), smtp_settings(&db, &smtp.url()));
    let ada = app.user("admin", "Ada Admin");
    let outbox_failed = |app: &TestApp| {
        app.outbox()
            .into_iter()
            .filter(|m| m["status"] == "failed")
            .collect::<Vec<_>>()
    };
    wait_until(Duration::from_secs(20), || !outbox_failed(&app).is_empty());
    let failed = outbox_failed(&app)[0].clone();
    let to = failed["to"][0].as_str().unwrap().to_owned();
    let subject = failed["subject"].as_str().unwrap().to_owned();

    let (mut web, csrf) = WebClient::signed_in(&app, &ada.email);
    let page = web.get(urls::ADMIN_OUTBOX);
    assert_eq!(page.status, 200, "{}", page.text);
    page.assert_contains(&subject);
    page.assert_contains("550");
    let masked = format!("{}***@example.com", &to[..1]);
    page.assert_contains(&masked);
    assert!(!page.text.contains(&to), "the address is masked: {to}");
    page.assert_contains(">Retry</button>");

    let id = failed["id"].as_i64().unwrap();
    let retry_path = urls::admin_outbox_retry(barraiser::domain::MessageId(id));
    let retried = web.post(&retry_path, &[("csrf_token", &csrf)]);
    assert_eq!(retried.status, 303, "{}", retried.text);
    web.get(retried.location())
        .assert_contains("The message is queued again.");
}

#[test]
fn retrying_a_message_that_did_not_fail_is_refused_with_the_reason() {
    let app = spawn_app();
    let ada = app.user("admin", "Ada Admin");
    wait_until(Duration::from_secs(20), || {
        app.outbox().iter().any(|m| m["status"] == "sent")
    });
    let sent = app
        .outbox()
        .into_iter()
        .find(|m| m["status"] == "sent")
        .unwrap();
    let (mut web, csrf) = WebClient::signed_in(&app, &ada.email);
    let page = web.post_with(
        &urls::admin_outbox_retry(barraiser::domain::MessageId(sent["id"].as_i64().unwrap())),
        &[("csrf_token", &csrf)],
        &[("Referer", &app.url(urls::ADMIN_OUTBOX))],
    );
    assert_eq!(page.status, 303, "{}", page.text);
    web.get(page.location())
        .assert_contains("Only failed messages can be retried; this one is sent.");
}

#[test]
fn an_admin_finds_people_by_department_or_role_and_adds_one_who_is_invited() {
    let app = spawn_app();
    let org = crate::fixtures::Org::new(&app);
    let ada = app.user("admin", "Ada Admin");
    let (mut web, csrf) = WebClient::signed_in(&app, &ada.email);

    let logistics = web.get(&urls::admin_people(&[("q", "logist")], None));
    assert_eq!(logistics.status, 200, "{}", logistics.text);
    logistics.assert_contains(">Dana Lee</a></td>");
    logistics.assert_contains(">Ola Berg</a></td>");
    assert!(
        !logistics
            .text
            .contains(&format!("<td>{}</td>", org.kim.email)),
        "by department"
    );
    let recruiters = web.get(&urls::admin_people(&[("role", "recruiter")], None));
    recruiters.assert_contains(">Rita Cole</a></td>");
    recruiters.assert_contains(">Rob Hale</a></td>");
    assert!(
        !recruiters
            .text
            .contains(&format!("<td>{}</td>", org.kim.email)),
        "by role"
    );
    let certified = web.get(&urls::admin_people(&[("bar_raiser", "certified")], None));
    certified.assert_contains(">Dana Lee</a></td>");
    assert!(
        !certified
            .text
            .contains(&format!("<td>{}</td>", org.ola.email))
    );

    // A bad address comes back beside its field, and nobody is added.
    let bad = web.post(
        urls::ADMIN_PEOPLE,
        &[
            ("csrf_token", &csrf),
            ("name", "Noor Newcomer"),
            ("email", "not-an-address"),
            ("role", "member"),
            ("manager_id", &org.hm.id.to_string()),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    bad.assert_contains(r#"id="email-error""#);
    assert!(
        !web.get(&urls::admin_people(&[("q", "noor")], None))
            .text
            .contains("Noor Newcomer")
    );

    let added = web.post(
        urls::ADMIN_PEOPLE,
        &[
            ("csrf_token", &csrf),
            ("name", "Noor Newcomer"),
            ("email", "noor@example.com"),
            ("role", "member"),
            ("manager_id", &org.hm.id.to_string()),
            ("department", "Payments"),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.text);
    let listed = web.get(added.location());
    listed.assert_contains("Noor Newcomer is added and invited by mail.");
    listed.assert_contains("<td>Sam Ortiz</td>");
    // The invitation's link sets a password.
    let link = crate::accounts::link_in_mail(&app, "noor@example.com", "You are invited");
    assert!(link.starts_with("/password/set?token="), "{link}");
    let taken = web.post(
        urls::ADMIN_PEOPLE,
        &[
            ("csrf_token", &csrf),
            ("name", "Noor Again"),
            ("email", "noor@example.com"),
            ("role", "member"),
        ],
    );
    assert!(taken.status < 500, "{}", taken.status);
    assert_ne!(taken.status, 303, "an address is taken once");
}
