//! The debrief room in real browsers: the bar raiser and two panel members,
//! each in a browser of their own (and the hiring manager in a fourth), run a
//! debrief from opening to the decision and the commitments. Read receipts,
//! sealed votes, the reveal at the last vote, the close, the decision and the
//! commitments reach every open room without a reload, Lee's through a second
//! instance of the service on the same database (as behind a load balancer).
//! axe on every state, and no sideways scrolling at 390 px.

use barraiser::domain::LoopId;
use barraiser::urls;
use fantoccini::{Client, Locator};

use crate::browser::{browser_in, capture, click, driver, run, sign_in, type_into, wait_text};
use crate::client::LoopRef;
use crate::debrief::started;
use crate::fixtures::Org;
use crate::helpers::{PASSWORD, TestApp, TestUser, spawn_app};

async fn signed_in(app: &TestApp, c: &Client, who: &TestUser, room: &str) {
    c.goto(&app.url(&urls::login_then(room))).await.unwrap();
    sign_in(c, &who.email, PASSWORD).await;
    wait_text(c, "h1", "Debrief").await;
}

/// Whether the page was not reloaded since `mark` was set on it.
async fn same_page(c: &Client) -> bool {
    c.execute("return window.__unreloaded === true;", vec![])
        .await
        .unwrap()
        .as_bool()
        .unwrap_or(false)
}

async fn mark(c: &Client) {
    c.execute("window.__unreloaded = true;", vec![])
        .await
        .unwrap();
}

#[test]
fn a_bar_raiser_and_two_panel_members_run_a_debrief_live_in_three_browsers() {
    let Some(driver) = driver() else { return };
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = started(&app, &org);
    app.write_and_submit(&lp, &org.br, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.kim, &[(dive, 1)], "no_hire");
    app.write_and_submit(&lp, &org.lee, &[(own, 1)], "hire");
    app.write_and_submit(&lp, &org.ana, &[(own, 3), (dive, 3)], "hire");
    let id: LoopId = lp.loop_id();
    let room = urls::debrief_room(id);
    let (kim_id, ana_id) = (org.kim.id, org.ana.id);
    let second = TestApp::start(app.db.clone(), app.settings.clone());
    run(async {
        let br = browser_in(&driver, "br").await;
        let kim = browser_in(&driver, "kim").await;
        let lee = browser_in(&driver, "lee").await;
        signed_in(&app, &br, &org.br, &room).await;
        signed_in(&app, &kim, &org.kim, &room).await;
        signed_in(&second, &lee, &org.lee, &room).await;
        capture(&br, "debrief-before").await;

        // The bar raiser opens it; the others' rooms open without a reload.
        mark(&kim).await;
        mark(&lee).await;
        click(&br, Locator::Id("open-debrief")).await;
        wait_text(&br, "main", "The debrief is open.").await;
        wait_text(&kim, "#act-read", "I have read the packet").await;
        wait_text(&lee, "#act-read", "I have read the packet").await;
        assert!(
            same_page(&kim).await && same_page(&lee).await,
            "live, not reloaded"
        );
        capture(&kim, "debrief-open").await;

        // Kim reads: the bar raiser's room says so; her vote stays sealed.
        mark(&br).await;
        click(&kim, Locator::Id("mark-read")).await;
        wait_text(&br, &format!("#state-{kim_id}"), "read").await;
        kim.find(Locator::Id("f-vote"))
            .await
            .unwrap()
            .select_by_value("hire")
            .await
            .unwrap();
        type_into(
            &kim,
            Locator::Id("f-reason"),
            "Ana's account of the outage answers my doubt.",
        )
        .await;
        click(&kim, Locator::Id("cast-vote")).await;
        wait_text(&kim, "main", "Your final vote is cast.").await;
        wait_text(&br, &format!("#state-{kim_id}"), "voted").await;
        wait_text(&kim, &format!("#final-{kim_id}"), "hire").await;
        assert!(
            same_page(&br).await,
            "the bar raiser's room was not reloaded"
        );

        // Lee and the bar raiser vote in their browsers, Ana over the API: the
        // last vote reveals every final vote in every room at once.
        for c in [&lee, &br] {
            click(c, Locator::Id("mark-read")).await;
            wait_text(c, "#act-vote", "Cast my final vote").await;
            click(c, Locator::Id("cast-vote")).await;
            wait_text(c, "main", "Your final vote is cast.").await;
            // Kim's vote is sealed to the others until the last one is cast.
            wait_text(c, &format!("#final-{kim_id}"), "voted (sealed)").await;
        }
        mark(&kim).await;
        app.debrief(&lp).read_and_vote(&[(&org.ana, "hire")]);
        wait_text(&kim, &format!("#final-{ana_id}"), "hire").await;
        wait_text(&lee, &format!("#final-{kim_id}"), "hire").await;
        wait_text(&br, "#act-close", "Close the debrief").await;
        assert!(same_page(&kim).await);
        capture(&br, "debrief-revealed").await;

        // The bar raiser closes; the hiring manager decides in a browser of
        // their own; the panel's rooms follow; Kim disagrees and commits.
        br.find(Locator::Id("f-recommendation"))
            .await
            .unwrap()
            .select_by_value("hire")
            .await
            .unwrap();
        type_into(
            &br,
            Locator::Id("f-rationale"),
            "Strong ownership across the panel; coach on depth.",
        )
        .await;
        click(&br, Locator::Id("close-debrief")).await;
        wait_text(&br, "main", "The debrief is closed").await;
        wait_text(&kim, "#room-board", "The bar raiser's recommendation").await;
        let hm = browser_in(&driver, "hm").await;
        signed_in(&app, &hm, &org.hm, &room).await;
        capture(&hm, "debrief-decide").await;
        type_into(
            &hm,
            Locator::Id("f-rationale"),
            "The team needs her ownership now.",
        )
        .await;
        click(&hm, Locator::Id("record-decision")).await;
        wait_text(&hm, "main", "The decision is recorded.").await;
        wait_text(&kim, "#act-commit", "Commit").await;
        type_into(
            &kim,
            Locator::Id("f-dissent"),
            "I would have asked for one more system design round.",
        )
        .await;
        click(&kim, Locator::Id("commit")).await;
        wait_text(&kim, "main", "Your commitment is recorded.").await;
        wait_text(&br, "#room-board", "Kim Park disagrees and commits").await;
        wait_text(&hm, "#room-board", "Kim Park disagrees and commits").await;
        capture(&hm, "debrief-decided").await;
        for c in [br, kim, lee, hm] {
            c.close().await.unwrap();
        }
    });
    second.stop_sharing_db();
}

#[test]
fn a_bar_raiser_asks_for_more_signal_the_recruiter_adds_the_follow_up_and_the_room_reopens() {
    let Some(driver) = driver() else { return };
    let app = spawn_app();
    let org = Org::new(&app);
    let [_, dive] = org.competencies;
    let lp = crate::debrief::all_submitted(&app, &org);
    assert_eq!(app.debrief(&lp).open(&org.br, None).status, 200);
    let id: LoopId = lp.loop_id();
    let room = urls::debrief_room(id);
    // Five hours ago, as the recruiter (Berlin) types it: the follow-up was held.
    let held = (chrono::Utc::now() - chrono::TimeDelta::hours(5))
        .with_timezone(&chrono_tz::Europe::Berlin)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let ola = org.ola.id;
    run(async {
        let br = browser_in(&driver, "br").await;
        signed_in(&app, &br, &org.br, &room).await;

        // The bar raiser names the competency that lacks evidence.
        click(
            &br,
            Locator::Css(&format!(
                "#act-more-signal input[name='competency_ids'][value='{dive}']"
            )),
        )
        .await;
        type_into(
            &br,
            Locator::Id("f-more-signal-rationale"),
            "Nobody probed Dive Deep beyond one story.",
        )
        .await;
        click(&br, Locator::Id("ask-more-signal")).await;
        wait_text(&br, "main", "More signal is asked for").await;
        wait_text(&br, "#awaiting-signal", "Dive Deep").await;
        capture(&br, "debrief-more-signal").await;

        // The recruiter's builder says what the follow-up must cover.
        let rc = browser_in(&driver, "recruiter").await;
        rc.goto(&app.url(&urls::login_then(&urls::loop_builder(Some(id)))))
            .await
            .unwrap();
        sign_in(&rc, &org.recruiter.email, PASSWORD).await;
        wait_text(&rc, "#follow-up", "asked for more signal on Dive Deep").await;
        click(&rc, Locator::Id("add-interview")).await;
        rc.wait()
            .at_most(crate::browser::WAIT)
            .for_element(Locator::Id("interviews-4-interviewer_id"))
            .await
            .unwrap();
        crate::browser::pick(&rc, "interviews-4-interviewer_id", "ola", ola).await;
        click(
            &rc,
            Locator::Css(&format!(
                "input[name='interviews[4].competency_ids'][value='{dive}']"
            )),
        )
        .await;
        crate::browser::set_time(&rc, "interviews-4-starts_at", &held).await;
        capture(&rc, "builder-follow-up").await;
        click(&rc, Locator::Id("save-loop")).await;
        wait_text(&rc, "main", "The loop was saved.").await;
        rc.close().await.unwrap();

        // Ola's feedback comes in: the bar raiser's room reopens by itself.
        mark(&br).await;
        let now = app.get_loop(&org.recruiter, &id);
        app.write_and_submit(&now.body, &org.ola, &[(dive, 2)], "no_hire");
        wait_text(&br, "#room-board", "The debrief is open").await;
        wait_text(&br, "#room-board", "More signal asked for").await;
        assert!(same_page(&br).await, "reopened live, without a reload");
        capture(&br, "debrief-reopened").await;
        br.close().await.unwrap();
    });
}
