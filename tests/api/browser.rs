//! The web workspaces in a real browser: Debian's chromium driven through
//! chromedriver (WebDriver) by fantoccini, with axe-core checking WCAG 2 A/AA
//! on every page visited. Few and broad: one flow per page family. Detailed
//! cases are HTTP tests (`web.rs`).
//!
//! Without `/usr/bin/chromedriver` these tests say so and pass, unless
//! `E2E_REQUIRED=1` (CI sets it after installing chromium), which makes a
//! missing browser a failure. Screenshots of every page, at 1280 and 390 px,
//! go to `target/tmp/screenshots`, or to `$SCREENSHOTS_DIR` when it is set.

use barraiser::urls::api;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::fixtures::{Org, local_time};
use crate::helpers::{PASSWORD, spawn_app};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const AXE: &str = include_str!("../assets/axe.min.js");
pub const WAIT: Duration = Duration::from_secs(10);

/// chromedriver and the browsers it starts, in one process group that is
/// killed as a whole (never by name), and the browser's profile directory.
pub struct Driver {
    child: Child,
    profile: PathBuf,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver on a free port, or `None` (with a note) when it is not
/// installed and not required.
pub fn driver() -> Option<Driver> {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var("E2E_REQUIRED").as_deref() != Ok("1"),
            "E2E_REQUIRED=1 but {CHROMEDRIVER} is missing: install chromium and chromium-driver"
        );
        eprintln!(
            "browser test skipped: {CHROMEDRIVER} is not installed (set E2E_REQUIRED=1 to require it)"
        );
        return None;
    }
    let port = free_port();
    let profile =
        std::env::temp_dir().join(format!("barraiser-chromium-{port}-{}", std::process::id()));
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        // The browser proposes this zone at sign-in; pages then show it.
        .env("TZ", "Europe/Berlin")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < WAIT,
            "chromedriver did not open its port"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    Some(Driver {
        child,
        profile,
        url: format!("http://127.0.0.1:{port}"),
    })
}

pub async fn browser(driver: &Driver) -> Client {
    browser_in(driver, "").await
}

/// A browser with a profile of its own (`name`), beside others on the same driver.
pub async fn browser_in(driver: &Driver, name: &str) -> Client {
    let profile = driver.profile.join(name);
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        &format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": CHROMIUM, "args": args }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

/// axe-core's WCAG 2 A/AA rules on the current page: no violation.
pub async fn assert_accessible(c: &Client, page: &str) {
    let loaded = c
        .execute(&format!("{AXE}\n;return typeof window.axe;"), vec![])
        .await
        .expect("axe loads");
    assert_eq!(loaded, json!("object"), "axe on {page}");
    let violations = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}})
                 .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5), why: v.nodes.length ? v.nodes[0].failureSummary : ''}))))
                 .catch(e => done([{error: String(e)}]));"#,
            vec![],
        )
        .await
        .expect("axe runs");
    assert_eq!(violations, json!([]), "accessibility violations on {page}");
}

fn screenshot_dir() -> PathBuf {
    let dir = std::env::var_os("SCREENSHOTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The page at 1280 and at 390 px wide, and an accessibility check at each.
pub async fn capture(c: &Client, name: &str) {
    for (width, height) in [(1280u32, 900u32), (390, 844)] {
        c.set_window_size(width, height).await.unwrap();
        c.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
        // No horizontal scrolling at either width.
        let overflow = c
            .execute(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            overflow,
            json!(false),
            "{name} scrolls sideways at {width} px"
        );
        let png = c.screenshot().await.unwrap();
        std::fs::write(screenshot_dir().join(format!("{name}-{width}.png")), png).unwrap();
    }
    c.set_window_size(1280, 900).await.unwrap();
    assert_accessible(c, name).await;
}

pub async fn text_of(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Waits until the element's text contains `needle` (htmx swaps, navigations).
pub async fn wait_text(c: &Client, css: &str, needle: &str) {
    let started = Instant::now();
    loop {
        let text = text_of(c, css).await;
        if text.contains(needle) {
            return;
        }
        assert!(
            started.elapsed() < WAIT,
            "{needle:?} did not appear in {css}; it reads {text:?}; page: {}",
            c.source().await.unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

pub async fn type_into(c: &Client, at: Locator<'_>, text: &str) {
    c.find(at).await.unwrap().send_keys(text).await.unwrap();
}

pub async fn click(c: &Client, at: Locator<'_>) {
    c.find(at).await.unwrap().click().await.unwrap();
}

pub async fn sign_in(c: &Client, email: &str, password: &str) {
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Id("email"))
        .await
        .unwrap();
    type_into(c, Locator::Id("email"), email).await;
    type_into(c, Locator::Id("password"), password).await;
    click(c, Locator::Id("sign-in")).await;
}

pub fn run(test: impl std::future::Future<Output = ()>) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(test);
}

#[test]
fn an_interviewer_follows_the_invitation_drafts_reloads_and_submits_in_a_browser() {
    let Some(driver) = driver() else { return };
    let app = spawn_app();
    let org = Org::new(&app);
    org.a_loop()
        .at(Utc::now() - TimeDelta::hours(6))
        .schedule(&app);
    let dive = org.competencies[1];
    // The link in Kim's invitation.
    let path = app.mail_link(&org.kim.email, "Interview with", "/interviews/");
    assert!(path.starts_with("/interviews/"), "{path}");
    run(async {
        let c = browser(&driver).await;
        c.goto(&app.url(&path)).await.unwrap();
        wait_text(&c, "h1", "Sign in").await;
        capture(&c, "sign-in").await;
        sign_in(&c, &org.kim.email, PASSWORD).await;
        wait_text(&c, "h1", "Interview with Casey Candidate").await;
        assert!(
            text_of(&c, "main").await.contains("Europe/Berlin"),
            "the zone the browser proposed"
        );

        // Drafting: a short evidence gets a warning beside it, and is saved.
        let evidence = format!("ratings-{dive}-evidence");
        click(
            &c,
            Locator::Css(&format!("input[name='ratings.{dive}.rating'][value='3']")),
        )
        .await;
        type_into(&c, Locator::Id(&evidence), "Walked me through the outage.").await;
        // The warning counts what was typed: it comes from the save of the text.
        let typed = "Walked me through the outage.".chars().count();
        wait_text(
            &c,
            &format!("#warnings-{dive}"),
            &format!("has {typed} characters"),
        )
        .await;
        wait_text(&c, "#save-state", "Draft saved at").await;
        capture(&c, "interview").await;

        // Reloading finds the draft.
        c.refresh().await.unwrap();
        wait_text(&c, "h1", "Interview with").await;
        let kept = c
            .find(Locator::Id(&evidence))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(kept.as_deref(), Some("Walked me through the outage."));
        let rated = c
            .find(Locator::Css(&format!(
                "input[name='ratings.{dive}.rating'][value='3']"
            )))
            .await
            .unwrap()
            .is_selected()
            .await
            .unwrap();
        assert!(rated, "the rating was kept");

        // Submitting: completeness first, then the attestation.
        click(&c, Locator::Id("submit-feedback")).await;
        wait_text(&c, "main", "not complete yet").await;
        assert!(text_of(&c, "#vote-error").await.contains("must be"));
        let field = c.find(Locator::Id(&evidence)).await.unwrap();
        field.clear().await.unwrap();
        field
            .send_keys("She traced the outage to a retry storm, wrote the fix, then changed the alerting so on-call saw it sooner.")
            .await
            .unwrap();
        click(&c, Locator::Css("input[name='vote'][value='hire']")).await;
        type_into(&c, Locator::Id("summary"), "Dives deep where it matters.").await;
        click(&c, Locator::Id("attest_no_discussion")).await;
        click(&c, Locator::Id("submit-feedback")).await;
        wait_text(&c, "main", "Your feedback was submitted.").await;
        wait_text(&c, "#panel-h", "submitted feedback").await;
        assert!(text_of(&c, "main").await.contains("retry storm"));
        capture(&c, "interview-submitted").await;
        c.close().await.unwrap();
    });
    let own = app.get(
        &format!(
            "{}/feedback",
            path.replace("/interviews/", "/api/v1/interviews/")
        ),
        &org.kim.token,
    );
    assert_eq!(own.body["status"], "submitted", "{}", own.body);
}

pub async fn set_time(c: &Client, id: &str, value: &str) {
    c.execute(
        "const el = document.getElementById(arguments[0]); el.value = arguments[1]; \
         el.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![json!(id), json!(value)],
    )
    .await
    .unwrap();
}

/// Chooses a person in the picker `id` with the keyboard only: types `text`,
/// waits for the list, moves to the first person found and presses Enter.
pub async fn pick(c: &Client, id: &str, text: &str, expect: i64) {
    use fantoccini::key::Key;
    let input = c.find(Locator::Id(id)).await.unwrap();
    input.send_keys(text).await.unwrap();
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&format!(
            "#{id}-list [role=option][data-id='{expect}']"
        )))
        .await
        .unwrap();
    input.send_keys(&Key::Down.to_string()).await.unwrap();
    input.send_keys(&Key::Enter.to_string()).await.unwrap();
    let chosen = c
        .execute(
            "return document.getElementById(arguments[0]).closest('[data-picker]').querySelector('[data-pick-id]').value;",
            vec![json!(id)],
        )
        .await
        .unwrap();
    assert_eq!(chosen, json!(expect.to_string()), "{id}");
}

async fn choose(c: &Client, id: &str, value: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

#[test]
fn a_recruiter_finds_the_role_and_the_candidate_builds_a_loop_by_keyboard_fixes_it_schedules_and_reminds()
 {
    let Some(driver) = driver() else { return };
    let app = spawn_app();
    let org = Org::new(&app);
    app.certify(org.kim.id);
    let [own, dive] = org.competencies;
    // The interviews were held yesterday (Berlin): their feedback is due, so
    // the recruiter can send a reminder once the loop is scheduled.
    let yesterday = |hh_mm: &str| local_time("Europe/Berlin", -29, hh_mm);
    run(async {
        let c = browser(&driver).await;
        c.goto(&app.url("/")).await.unwrap();
        sign_in(&c, &org.recruiter.email, PASSWORD).await;
        wait_text(&c, "h1", "What to do now").await;
        assert_accessible(&c, "home (empty)").await;

        // The requisition, from the navigation.
        click(&c, Locator::LinkText("Requisitions")).await;
        wait_text(&c, "h1", "Requisitions").await;
        capture(&c, "requisitions").await;
        click(&c, Locator::LinkText("Senior Engineer")).await;
        wait_text(&c, "h1", "Senior Engineer").await;
        capture(&c, "requisition").await;

        // The candidate, by search.
        click(&c, Locator::LinkText("Candidates")).await;
        wait_text(&c, "h1", "Candidates").await;
        type_into(&c, Locator::Id("q"), "casey\n").await;
        wait_text(&c, "#candidates caption", "matching “casey”").await;
        capture(&c, "candidates").await;
        click(&c, Locator::LinkText("Casey Candidate")).await;
        wait_text(&c, "h1", "Casey Candidate").await;
        capture(&c, "candidate").await;
        click(&c, Locator::LinkText("Build a loop for them")).await;
        wait_text(&c, "h1", "New loop").await;

        choose(&c, "requisition_id", &org.requisition_id.to_string()).await;
        // htmx re-renders the form with the requisition's competencies.
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&format!(
                "input[name='interviews[3].competency_ids'][value='{dive}']"
            )))
            .await
            .unwrap();
        let chosen = c
            .execute(
                "return document.getElementById('candidate_id').value;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            chosen,
            json!(org.candidate_id.to_string()),
            "the candidate came along"
        );
        // The pickers, with the keyboard only. Kim is certified but reports
        // to the hiring manager: red.
        pick(&c, "bar_raiser_id", "kim", org.kim.id).await;
        let panel = [
            (org.kim.id, "kim", own),
            (org.lee.id, "lee c", dive),
            (org.ana.id, "ana r", own),
            (org.outsider.id, "otto", dive),
        ];
        for (i, (who, typed, competency)) in panel.iter().enumerate() {
            pick(&c, &format!("interviews-{i}-interviewer_id"), typed, *who).await;
            click(
                &c,
                Locator::Css(&format!(
                    "input[name='interviews[{i}].competency_ids'][value='{competency}']"
                )),
            )
            .await;
            // A start only: the default length fills the end.
            set_time(
                &c,
                &format!("interviews-{i}-starts_at"),
                &yesterday(&format!("{}:00", 10 + i)).0,
            )
            .await;
        }
        wait_text(&c, "#report", "failing").await;
        assert!(
            text_of(&c, "#report").await.contains("Kim Park"),
            "the detail names the people"
        );
        capture(&c, "builder-red").await;

        // One suggestion click: Dana raises the bar in Kim's row.
        click(
            &c,
            Locator::Css(&format!("button[value='bar_raiser:{}']", org.br.id)),
        )
        .await;
        wait_text(&c, "#report", "All rules pass").await;
        capture(&c, "builder-green").await;
        click(&c, Locator::Id("create-loop")).await;
        wait_text(
            &c,
            "main",
            "The loop was created as a draft. Every rule passes",
        )
        .await;
        click(&c, Locator::Id("schedule")).await;
        wait_text(
            &c,
            "main",
            "The loop is scheduled and the panel is invited.",
        )
        .await;
        capture(&c, "loop").await;

        // Lee's feedback is due: a reminder.
        click(
            &c,
            Locator::XPath(
                "//button[contains(., 'Send a reminder') and contains(., 'to Lee Chan')]",
            ),
        )
        .await;
        wait_text(&c, "main", "A reminder is on its way to Lee Chan.").await;
        assert_accessible(&c, "loop (reminded)").await;

        c.goto(&app.url("/")).await.unwrap();
        wait_text(&c, "#recruiting-h", "Your open loops").await;
        capture(&c, "home").await;
        c.goto(&app.url("/loops")).await.unwrap();
        wait_text(&c, "h1", "Loops").await;
        click(&c, Locator::LinkText("Candidate")).await;
        wait_text(&c, "th[aria-sort='ascending']", "Candidate").await;
        capture(&c, "loops").await;
        c.goto(&app.url("/account")).await.unwrap();
        wait_text(&c, "h1", "Your account").await;
        capture(&c, "account").await;
        c.close().await.unwrap();
    });
    let loops = app.get("/api/v1/loops?status=scheduled", &org.recruiter.token);
    let items: &Vec<Value> = loops.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", loops.body);
    assert_eq!(items[0]["bar_raiser_id"], org.br.id);
    assert_eq!(items[0]["interviews"][0]["interviewer_id"], org.br.id);
    assert_eq!(items[0]["interviews"][0]["starts_at"], yesterday("10:00").1);
    assert_eq!(items[0]["interviews"][0]["ends_at"], yesterday("11:00").1);
    let reminded = app.outbox_of("feedback_requested");
    assert_eq!(reminded.len(), 1, "{reminded:?}");
}

#[test]
fn an_invited_person_chooses_a_password_and_later_resets_it_in_a_browser() {
    let Some(driver) = driver() else { return };
    let app = spawn_app();
    let res = app.post(
        api::USERS,
        &app.admin_token,
        json!({"email": "nia@example.com", "name": "Nia New", "role": "member"}),
    );
    assert_eq!(res.status, 201, "{}", res.body);
    let invitation = crate::accounts::link_in_mail(&app, "nia@example.com", "You are invited");
    run(async {
        let c = browser(&driver).await;
        c.goto(&app.url(&invitation)).await.unwrap();
        wait_text(&c, "h1", "Choose your password").await;
        capture(&c, "set-password").await;
        type_into(&c, Locator::Id("new_password"), "nia-chose-this-password").await;
        click(&c, Locator::Id("set-password")).await;
        // Signed in at once, at home.
        wait_text(&c, "main", "Your password is set. Welcome.").await;
        wait_text(&c, "h1", "What to do now").await;

        // The link works once.
        c.goto(&app.url(&invitation)).await.unwrap();
        wait_text(&c, "h1", "This link no longer works").await;
        assert_accessible(&c, "dead link").await;

        // Signed out, she forgot it: a reset link by mail.
        c.goto(&app.url("/account")).await.unwrap();
        wait_text(&c, "h1", "Your account").await;
        click(&c, Locator::Css("header form button")).await;
        wait_text(&c, "h1", "Sign in").await;
        click(&c, Locator::Id("forgot")).await;
        wait_text(&c, "h1", "Forgot your password?").await;
        capture(&c, "forgot-password").await;
        type_into(&c, Locator::Id("email"), "nia@example.com").await;
        click(&c, Locator::Id("send-link")).await;
        wait_text(&c, "main", "If an account exists for this address").await;
        let reset =
            crate::accounts::link_in_mail(&app, "nia@example.com", "Reset your barraiser password");
        c.goto(&app.url(&reset)).await.unwrap();
        wait_text(&c, "h1", "Choose your password").await;
        type_into(&c, Locator::Id("new_password"), "nia-has-a-better-one").await;
        click(&c, Locator::Id("set-password")).await;
        wait_text(&c, "main", "Your password is set.").await;
        c.close().await.unwrap();
    });
    app.login("nia@example.com", "nia-has-a-better-one");
    app.try_login("nia@example.com", "nia-chose-this-password")
        .assert_problem(401, "invalid_credentials");
}
