//! `/insights/me`: an interviewer's private mirror — their ratings beside
//! their co-raters' on the same candidates, their leniency with its n, how
//! often their initial vote matched the decision, and their contradictions —
//! so they can calibrate themselves without being ranked in public. It shows
//! only the signed-in person's own figures: there is no way to ask for
//! someone else's.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use maud::{Markup, html};

use super::super::chart::{self, Frame, Series};
use super::super::page::{PageError, render};
use super::super::session::Viewer;
use super::{PeriodQuery, csv_response, hidden, opt, pct, period_form};
use crate::services::analytics::{self, Mirror};
use crate::state::AppState;
use crate::urls;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::INSIGHTS_ME, web::get().to(show))
        .route(urls::INSIGHTS_ME_EXPORT, web::get().to(export));
}

const RATINGS: [(&str, &str); 4] = [
    ("1", "1 strong concern"),
    ("2", "2 concern"),
    ("3", "3 evidence"),
    ("4", "4 strong evidence"),
];

fn rows(m: &Mirror) -> Vec<Vec<String>> {
    let mine = |k: &str| {
        m.mine
            .as_ref()
            .and_then(|s| s.rating_distribution.get(k).copied())
            .unwrap_or(0)
            .to_string()
    };
    let theirs = |k: &str| {
        m.co_raters_distribution
            .get(k)
            .copied()
            .unwrap_or(0)
            .to_string()
    };
    std::iter::once(vec![
        "rating".to_owned(),
        "yours".to_owned(),
        "your co-raters'".to_owned(),
    ])
    .chain(
        RATINGS
            .iter()
            .map(|(k, label)| vec![(*label).to_owned(), mine(k), theirs(k)]),
    )
    .collect()
}

fn page(q: &PeriodQuery, m: &Mirror) -> Markup {
    let csv = format!("{}?{}", urls::INSIGHTS_ME_EXPORT, q.query(&[]));
    let labels: Vec<String> = RATINGS.iter().map(|(_, l)| (*l).to_owned()).collect();
    let share = |counts: Vec<usize>| -> Vec<f64> {
        let total: usize = counts.iter().sum();
        counts
            .into_iter()
            .map(|c| {
                if total == 0 {
                    0.0
                } else {
                    (c as f64 / total as f64 * 100.0).round()
                }
            })
            .collect()
    };
    let mine = share(
        RATINGS
            .iter()
            .map(|(k, _)| {
                m.mine
                    .as_ref()
                    .and_then(|s| s.rating_distribution.get(*k).copied())
                    .unwrap_or(0)
            })
            .collect(),
    );
    let theirs = share(
        RATINGS
            .iter()
            .map(|(k, _)| m.co_raters_distribution.get(*k).copied().unwrap_or(0))
            .collect(),
    );
    html! {
        h1 { "Your own mirror" }
        p { "Only you see this page. It sets your ratings beside those of the people who interviewed the same candidates, so you can calibrate yourself; nobody is ranked." }
        (period_form(urls::INSIGHTS_ME, q, m.from, m.to))
        @match &m.mine {
            None => {
                section.card #mirror-empty {
                    h2 { "Not enough yet" }
                    p {
                        "You gave feedback on " (m.loops) " loop" @if m.loops != 1 { "s" } " past the blind rule in this period. "
                        "The mirror needs at least " (m.min_loops_per_person) ": fewer would say more about one candidate than about how you rate."
                    }
                }
            }
            Some(s) => {
                section.card aria-labelledby="you-h" {
                    h2 #you-h { "How you rate" }
                    dl.figures {
                        div { dt { "Loops" } dd { (m.loops) } }
                        div { dt { "Your ratings" } dd { (s.ratings) } }
                        div { dt { "Your mean" } dd { (opt(s.mean_rating)) } }
                        div { dt { "Your co-raters' mean" } dd { (opt(m.co_raters_mean)) } }
                        div { dt { "Leniency" } dd #leniency { (opt(s.leniency)) " (n " (s.n_shared) ")" } }
                        div { dt { "Initial vote matched the decision" } dd { (pct(m.vote_matched_decision_rate)) " of " (m.decided) " decided" } }
                        div { dt { "Votes that contradicted your ratings" } dd { (s.contradictions) } }
                    }
                    p.hint {
                        "Leniency is the mean of your rating minus your co-raters' mean rating of the same candidate and competency, over the n you share: "
                        "above 0 you rate higher than they do, below 0 lower. A vote contradicts your ratings when, for example, you vote hire beside a strong concern."
                    }
                }
                section.card aria-labelledby="dist-h" {
                    h2 #dist-h { "Your ratings and theirs" }
                    (chart::figure(
                        "The share of each rating, yours and your co-raters', on the same candidates.",
                        chart::lines(
                            &Frame { id: "mirror-chart", title: "Your ratings beside your co-raters'", desc: &format!("Percent of ratings at each level: yours over {} ratings, your co-raters' on the same loops.", s.ratings) },
                            &labels,
                            &[Series { name: "Yours (%)", class: "one", values: &mine }, Series { name: "Co-raters' (%)", class: "two", values: &theirs }],
                        ),
                        html! { table {
                            thead { tr { @for h in &rows(m)[0] { th scope="col" { (h) } } } }
                            tbody { @for r in &rows(m)[1..] { tr { th scope="row" { (r[0]) } td { (r[1]) } td { (r[2]) } } } }
                        } },
                        &csv,
                    ))
                }
            }
        }
    }
}

async fn figures(state: &AppState, viewer: &Viewer, q: &PeriodQuery) -> Result<Mirror, PageError> {
    let (from, to) = q.period(Utc::now())?;
    analytics::mirror(&state.db, state.analytics, &viewer.user, from, to)
        .await
        .map_err(hidden)
}

/// `GET /insights/me?days=|from=&to=`
async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, PageError> {
    let m = figures(&state, &viewer, &q).await?;
    Ok(render(
        &viewer.web,
        &viewer,
        "Your own mirror",
        page(&q, &m),
    ))
}

/// `GET /insights/me/export?…`: your ratings and your co-raters' as CSV.
async fn export(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, PageError> {
    let m = figures(&state, &viewer, &q).await?;
    csv_response("my-ratings", rows(&m))
}
