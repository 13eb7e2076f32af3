//! The admin workspace's pages in a real browser: axe-clean, and no sideways
//! scrolling at 390 px. (Their behaviour is tested over HTTP in `admin_pages.rs`.)

use barraiser::domain::UserId;
use barraiser::urls;
use fantoccini::Locator;

use crate::browser::{browser_in, capture, click, driver, run, sign_in, type_into, wait_text};
use crate::fixtures::Org;
use crate::helpers::{PASSWORD, spawn_app};

/// The issue's flow: an admin adds a person (the invitation's link sets a
/// password), imports a CSV with a bad row (nothing written, the line named),
/// fixes it, previews a reorganisation that turns a loop red (nothing saved),
/// saves it, and finds each change in the audit trail; every page visited is
/// captured at 1280 and 390 px with axe.
#[test]
fn an_admin_adds_imports_reorganises_and_finds_it_all_in_the_audit_trail() {
    let Some(driver) = driver() else { return };
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let ada = app.user("admin", "Ada Admin");
    let receiver = crate::webhooks::Receiver::answering(&[204]);
    run(async {
        let c = browser_in(&driver, "admin").await;
        c.goto(&app.url(&urls::login_then(urls::ADMIN)))
            .await
            .unwrap();
        sign_in(&c, &ada.email, PASSWORD).await;
        wait_text(&c, "h1", "Admin").await;
        capture(&c, "admin-home").await;

        // Add a person; the invitation's link sets their password.
        c.goto(&app.url(urls::ADMIN_PEOPLE)).await.unwrap();
        wait_text(&c, "h1", "People").await;
        capture(&c, "admin-people").await;
        type_into(&c, Locator::Id("a-name"), "Noor Newcomer").await;
        type_into(&c, Locator::Id("a-email"), "noor@example.com").await;
        c.find(Locator::Id("a-manager"))
            .await
            .unwrap()
            .select_by_value(&org.hm.id.to_string())
            .await
            .unwrap();
        click(&c, Locator::Id("add-person")).await;
        wait_text(&c, "main", "Noor Newcomer is added and invited by mail.").await;
        let link = crate::accounts::link_in_mail(&app, "noor@example.com", "You are invited");
        let noor = browser_in(&driver, "noor").await;
        noor.goto(&app.url(&link)).await.unwrap();
        type_into(&noor, Locator::Id("new_password"), "a long new password 1").await;
        click(&noor, Locator::Id("set-password")).await;
        wait_text(&noor, "main", "Your password is set. Welcome.").await;
        noor.close().await.unwrap();

        // Import a file with a bad row: nothing is written, the line is named.
        c.goto(&app.url(urls::ADMIN_PEOPLE_IMPORT)).await.unwrap();
        wait_text(&c, "h1", "Import people").await;
        let bad = "name,email,role,manager_email,department\n\
                   Ana Import,ana.import@example.com,member,,Payments\n\
                   Ben Import,ben.import@example.com,owner,ana.import@example.com,Payments\n";
        type_into(&c, Locator::Id("import-csv"), bad).await;
        click(&c, Locator::Id("import-apply")).await;
        wait_text(&c, "main", "Nothing was imported").await;
        wait_text(&c, "#import-problems", "must be one of").await;
        capture(&c, "admin-import-problems").await;
        let fixed = bad.replace(",owner,", ",member,");
        let area = c.find(Locator::Id("import-csv")).await.unwrap();
        area.clear().await.unwrap();
        area.send_keys(&fixed).await.unwrap();
        click(&c, Locator::Id("import-check")).await;
        wait_text(&c, "main", "The file is ready").await;
        capture(&c, "admin-import-ready").await;
        click(&c, Locator::Id("import-apply")).await;
        wait_text(&c, "main", "Imported 2 rows: 2 people added and invited").await;

        // Preview a reorganisation that turns the loop red; then save it.
        c.goto(&app.url(&urls::admin_person(UserId(org.br.id))))
            .await
            .unwrap();
        wait_text(&c, "h1", "Dana Lee").await;
        c.find(Locator::Id("p-manager"))
            .await
            .unwrap()
            .select_by_value(&org.hm.id.to_string())
            .await
            .unwrap();
        click(&c, Locator::Id("preview")).await;
        wait_text(&c, "#preview-result", "1 open loop would turn red").await;
        wait_text(&c, "#preview-result", "Casey Candidate").await;
        capture(&c, "admin-person-preview").await;
        assert_eq!(
            app.get_loop(&org.recruiter, &lp["id"]).body["independence"]["ok"],
            true,
            "nothing is saved by a preview"
        );
        click(&c, Locator::Id("save")).await;
        wait_text(&c, "main", "1 open loop turned red").await;
        assert_eq!(
            app.get_loop(&org.recruiter, &lp["id"]).body["independence"]["ok"],
            false
        );

        // The organisation, the library and every change on the trail.
        c.goto(&app.url(&urls::admin_org(Some(UserId(org.br.id)))))
            .await
            .unwrap();
        wait_text(&c, "h1", "Organisation").await;
        capture(&c, "admin-org-focus").await;
        c.goto(&app.url(urls::ADMIN_ORG)).await.unwrap();
        wait_text(&c, "#org-tree", "Dana Lee").await;
        capture(&c, "admin-org").await;
        c.goto(&app.url(urls::ADMIN_COMPETENCIES)).await.unwrap();
        wait_text(&c, "h1", "Competencies").await;
        capture(&c, "admin-competencies").await;
        c.goto(&app.url(urls::ADMIN_AUDIT)).await.unwrap();
        wait_text(&c, "#chain-state", "chain verified").await;
        for change in [
            "Noor Newcomer",
            "people imported",
            "Ana Import",
            "Dana Lee",
            "manager id:",
        ] {
            wait_text(&c, "#audit-events", change).await;
        }
        capture(&c, "admin-audit").await;
        c.goto(&app.url(urls::ADMIN_OUTBOX)).await.unwrap();
        wait_text(&c, "h1", "Outbox").await;
        capture(&c, "admin-outbox").await;
        // An endpoint for the ATS: registered, its secret shown once, and
        // its first delivery (the person added next) listed with its attempt.
        c.goto(&app.url(urls::ADMIN_WEBHOOKS)).await.unwrap();
        wait_text(&c, "h1", "Webhooks").await;
        type_into(&c, Locator::Id("url"), &receiver.url()).await;
        type_into(&c, Locator::Id("description"), "ATS sync").await;
        click(&c, Locator::Css(r#"input[value="person.created"]"#)).await;
        click(&c, Locator::Id("create-webhook")).await;
        wait_text(&c, "#new-secret", "whsec_").await;
        capture(&c, "admin-webhooks-secret").await;
        app.user("member", "Hook Person");
        receiver.wait_for(1);
        c.goto(&app.url(urls::ADMIN_WEBHOOKS)).await.unwrap();
        wait_text(&c, "main", "answered 204").await;
        capture(&c, "admin-webhooks").await;
        c.close().await.unwrap();
    });
}
