//! The insights pages in a real browser: the charts draw, every page is
//! axe-clean and fits 390 px. (Their figures are tested over HTTP in
//! `insights.rs`.)

use barraiser::urls;

use crate::analytics::{seed, spawn_app_showing_everyone};
use crate::browser::{browser_in, capture, driver, run, sign_in, wait_text};
use crate::fixtures::Org;
use crate::helpers::PASSWORD;

#[test]
fn a_recruiter_a_bar_raiser_and_an_interviewer_read_their_insights_in_a_browser() {
    let Some(driver) = driver() else { return };
    let app = spawn_app_showing_everyone();
    let org = Org::new(&app);
    seed(&app, &org);
    let admin = app.user("admin", "Ada Admin");
    run(async {
        let rita = browser_in(&driver, "recruiter").await;
        rita.goto(&app.url(&urls::login_then(urls::INSIGHTS)))
            .await
            .unwrap();
        sign_in(&rita, &org.recruiter.email, PASSWORD).await;
        wait_text(&rita, "h1", "Insights").await;
        wait_text(&rita, "#weeks-h", "Loops per week").await;
        rita.find(fantoccini::Locator::Css("svg.chart polyline"))
            .await
            .expect("the weekly chart draws");
        wait_text(&rita, "#interviewers", "Kim Park").await;
        capture(&rita, "insights").await;
        rita.close().await.unwrap();

        let dana = browser_in(&driver, "bar-raiser").await;
        dana.goto(&app.url(&urls::login_then(urls::INSIGHTS_CALIBRATION)))
            .await
            .unwrap();
        sign_in(&dana, &org.br.email, PASSWORD).await;
        wait_text(&dana, "h1", "Calibration").await;
        wait_text(&dana, "#pooled-alpha", "All competencies").await;
        capture(&dana, "insights-calibration").await;
        dana.close().await.unwrap();

        let kim = browser_in(&driver, "interviewer").await;
        kim.goto(&app.url(&urls::login_then(urls::INSIGHTS_ME)))
            .await
            .unwrap();
        sign_in(&kim, &org.kim.email, PASSWORD).await;
        wait_text(&kim, "h1", "Your own mirror").await;
        wait_text(&kim, "main", "How you rate").await;
        capture(&kim, "insights-me").await;
        kim.close().await.unwrap();

        // An admin reads the predictive validity and its limits.
        let ada = browser_in(&driver, "admin").await;
        ada.goto(&app.url(&urls::login_then(urls::INSIGHTS_VALIDITY)))
            .await
            .unwrap();
        sign_in(&ada, &admin.email, PASSWORD).await;
        wait_text(&ada, "h1", "Predictive validity").await;
        wait_text(&ada, "#limits-h", "limits").await;
        capture(&ada, "insights-validity").await;
        ada.close().await.unwrap();
    });
}
