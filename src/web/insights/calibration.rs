//! `/insights/calibration` (admins and certified bar raisers): how much the
//! interviewers agree — Krippendorff's alpha pooled and per competency, with
//! what stands behind it — and how each interviewer rates against their
//! co-raters (leniency, with its n) and how their ratings spread.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use chrono::Utc;
use maud::{Markup, html};

use super::super::chart::{self, Dot, Frame};
use super::super::page::{PageError, render};
use super::super::session::Viewer;
use super::{
    ExportQuery, PeriodQuery, as_of, csv_response, fresh_after, hidden, opt, period_form, plain,
};
use crate::domain::Page;
use crate::domain::calibration::Agreement;
use crate::services::analytics::{self, Calibration};
use crate::services::{competencies, people};
use crate::state::AppState;
use crate::urls;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::INSIGHTS_CALIBRATION, web::get().to(show))
        .route(urls::INSIGHTS_CALIBRATION_EXPORT, web::get().to(export));
}

/// Below this many pairable values, alpha is "insufficient data".
const ENOUGH: usize = 30;

struct Names {
    people: HashMap<i64, String>,
    competencies: HashMap<i64, String>,
}

fn agreement_words(a: &Agreement) -> String {
    match a.alpha {
        Some(alpha) if !a.insufficient_data && a.pairable_values >= ENOUGH => {
            let reading = if alpha >= 0.8 {
                "reliable agreement"
            } else if alpha >= 0.667 {
                "agreement good enough for tentative conclusions"
            } else if alpha > 0.0 {
                "weak agreement: the panel's ratings say less than they seem to"
            } else {
                "no agreement beyond chance"
            };
            format!("{} — {reading}", chart::number(alpha))
        }
        _ => format!(
            "insufficient data: {} pairable values, at least {ENOUGH} are needed",
            a.pairable_values
        ),
    }
}

fn table_rows(of: &str, c: &Calibration, names: &Names) -> Option<Vec<Vec<String>>> {
    let person = |id: i64| {
        names
            .people
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("person {id}"))
    };
    let competency = |id: i64| {
        names
            .competencies
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("competency {id}"))
    };
    let agreement = |label: String, a: &Agreement| {
        vec![
            label,
            opt(a.alpha),
            a.units.to_string(),
            a.pairable_values.to_string(),
            a.insufficient_data.to_string(),
        ]
    };
    Some(match of {
        "agreement" => std::iter::once(vec![
            "competency".into(),
            "alpha".into(),
            "units".into(),
            "pairable values".into(),
            "insufficient data".into(),
        ])
        .chain(std::iter::once(agreement(
            "all competencies (pooled)".into(),
            &c.pooled,
        )))
        .chain(
            c.competencies
                .iter()
                .map(|a| agreement(competency(a.competency_id), &a.agreement)),
        )
        .collect(),
        "interviewers" => std::iter::once(
            [
                "interviewer",
                "ratings",
                "1",
                "2",
                "3",
                "4",
                "mean",
                "leniency",
                "n shared",
                "contradictions",
            ]
            .map(String::from)
            .to_vec(),
        )
        .chain(c.interviewers.iter().map(|s| {
            let count = |k: &str| {
                s.rating_distribution
                    .get(k)
                    .copied()
                    .unwrap_or(0)
                    .to_string()
            };
            vec![
                person(s.user_id),
                s.ratings.to_string(),
                count("1"),
                count("2"),
                count("3"),
                count("4"),
                opt(s.mean_rating),
                opt(s.leniency),
                s.n_shared.to_string(),
                s.contradictions.to_string(),
            ]
        }))
        .collect(),
        _ => return None,
    })
}

fn page(q: &PeriodQuery, c: &Calibration, names: &Names) -> Markup {
    let csv = |of: &str| {
        format!(
            "{}?{}",
            urls::INSIGHTS_CALIBRATION_EXPORT,
            q.query(&[("of", of)])
        )
    };
    let alphas: Vec<Dot> = c
        .competencies
        .iter()
        .filter_map(|a| {
            a.agreement
                .alpha
                .filter(|_| a.agreement.pairable_values >= ENOUGH)
                .map(|alpha| Dot {
                    label: names
                        .competencies
                        .get(&a.competency_id)
                        .cloned()
                        .unwrap_or_default(),
                    value: alpha,
                    n: a.agreement.pairable_values,
                })
        })
        .collect();
    let leniency: Vec<Dot> = c
        .interviewers
        .iter()
        .filter_map(|s| {
            s.leniency.map(|l| Dot {
                label: names.people.get(&s.user_id).cloned().unwrap_or_default(),
                value: l,
                n: s.n_shared,
            })
        })
        .collect();
    html! {
        h1 { "Calibration" }
        (period_form(urls::INSIGHTS_CALIBRATION, q, c.from, c.to))
        section.card aria-labelledby="alpha-h" {
            h2 #alpha-h { "Do interviewers agree?" }
            p.lead #pooled-alpha { "All competencies: " strong { (agreement_words(&c.pooled)) } "." }
            p {
                "Krippendorff's alpha measures how much interviewers agree, beyond chance, when they rate the same candidate on the same competency. "
                "1 is full agreement; 0 is what chance alone would give; below 0, they disagree systematically. "
                "0.8 and above is commonly read as reliable, 0.667 and above as enough for tentative conclusions. "
                "Each candidate's competency rated by two or more interviewers is a unit; each rating in such a unit is a pairable value. "
                "Only feedback past the blind rule counts."
            }
            @if alphas.is_empty() {
                p.muted { "No competency has " (ENOUGH) " pairable values in this period yet." }
            } @else {
                (chart::figure(
                    "Alpha per competency, with its pairable values (n); competencies with insufficient data are in the table only.",
                    chart::dots(&Frame { id: "alpha-chart", title: "Agreement per competency", desc: &format!("Krippendorff's alpha for {} competencies with enough data, on a scale from -1 to 1.", alphas.len()) }, &alphas, -1.0, 1.0),
                    plain(&table_rows("agreement", c, names).unwrap_or_default()),
                    &csv("agreement"),
                ))
            }
            @if alphas.is_empty() {
                div.table-wrap tabindex="0" role="region" aria-label="Agreement per competency" {
                    (plain(&table_rows("agreement", c, names).unwrap_or_default()))
                }
                p { a href=(csv("agreement")) download { "Download as CSV" } }
            }
        }
        section.card aria-labelledby="len-h" {
            h2 #len-h { "How each interviewer rates" }
            p {
                "Leniency is the mean of an interviewer's rating minus their co-raters' mean rating of the same candidate and competency, "
                "over the units they share (n): above 0 they rate higher than their co-raters, below 0 lower. A leniency on a small n says little."
            }
            @if c.withheld_interviewers > 0 {
                p.hint { (c.withheld_interviewers) " interviewers rated on fewer than " (c.min_loops_per_person) " loops and are not listed (their ratings count in every alpha)." }
            }
            @if leniency.is_empty() {
                p.muted { "No interviewer shares units with co-raters in this period yet." }
            } @else {
                (chart::figure(
                    "Leniency against co-raters, with n shared units.",
                    chart::dots(&Frame { id: "leniency-chart", title: "Leniency per interviewer", desc: &format!("{} interviewers on a scale from -1.5 (stricter) to 1.5 (more lenient).", leniency.len()) }, &leniency, -1.5, 1.5),
                    plain(&table_rows("interviewers", c, names).unwrap_or_default()),
                    &csv("interviewers"),
                ))
            }
            h3 { "Their ratings" }
            div.table-wrap tabindex="0" role="region" aria-label="Each interviewer's ratings" {
                (plain(&table_rows("interviewers", c, names).unwrap_or_default()))
            }
            p { a href=(csv("interviewers")) download { "Download as CSV" } }
        }
    }
}

/// The figures (kept ones for a fresh preset, as on `/insights`) and when
/// they were computed.
async fn figures(
    state: &AppState,
    viewer: &Viewer,
    q: &PeriodQuery,
) -> Result<(Calibration, Names, Option<chrono::NaiveDateTime>), PageError> {
    let (from, to) = q.period(Utc::now())?;
    let kept = match (q.preset(), state.insights_refresh) {
        (Some(days), Some(every)) => {
            analytics::kept::calibration(&state.db, &viewer.user, days, fresh_after(every))
                .await
                .map_err(hidden)?
        }
        _ => None,
    };
    let (c, at) = match kept {
        Some(k) => (k.figures, Some(k.computed_at)),
        None => (
            analytics::calibration(&state.db, state.analytics, &viewer.user, from, to)
                .await
                .map_err(hidden)?,
            None,
        ),
    };
    let ids: Vec<i64> = c.interviewers.iter().map(|s| s.user_id).collect();
    let people = people::display_names(&state.db, ids).await?;
    let library = competencies::list(
        &state.db,
        None,
        Page {
            limit: Page::MAX_LIMIT,
            after: None,
        },
    )
    .await?;
    let competencies = library.items.into_iter().map(|c| (c.id, c.name)).collect();
    Ok((
        c,
        Names {
            people,
            competencies,
        },
        at,
    ))
}

/// `GET /insights/calibration?days=|from=&to=`
async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, PageError> {
    let (c, names, at) = figures(&state, &viewer, &q).await?;
    let body = html! {
        (page(&q, &c, &names))
        (as_of(viewer.user.zone(), at, state.insights_refresh))
    };
    Ok(render(&viewer.web, &viewer, "Calibration", body))
}

/// `GET /insights/calibration/export?of=agreement|interviewers&…`
async fn export(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, PageError> {
    let (c, names, _) = figures(&state, &viewer, &q.period).await?;
    let of = q.of.as_deref().unwrap_or("agreement");
    let rows = table_rows(of, &c, &names).ok_or(PageError::NotFound)?;
    csv_response(&format!("calibration-{of}"), rows)
}
