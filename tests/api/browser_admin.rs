//! The admin workspace's pages in a real browser: axe-clean, and no sideways
//! scrolling at 390 px. (Their behaviour is tested over HTTP in `admin_pages.rs`.)

use barraiser::urls;
use fantoccini::Locator;

use crate::browser::{browser_in, capture, click, driver, run, sign_in, type_into, wait_text};
use crate::fixtures::Org;
use crate::helpers::{PASSWORD, spawn_app};

#[test]
fn an_admin_adds_a_person_and_reads_the_outbox_in_a_browser() {
    let Some(driver) = driver() else { return };
    let app = spawn_app();
    let org = Org::new(&app);
    let ada = app.user("admin", "Ada Admin");
    run(async {
        let c = browser_in(&driver, "admin").await;
        c.goto(&app.url(&urls::login_then(urls::ADMIN_PEOPLE)))
            .await
            .unwrap();
        sign_in(&c, &ada.email, PASSWORD).await;
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
        c.goto(&app.url(urls::ADMIN_OUTBOX)).await.unwrap();
        wait_text(&c, "h1", "Outbox").await;
        capture(&c, "admin-outbox").await;
        c.close().await.unwrap();
    });
}
