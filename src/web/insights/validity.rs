//! `/insights/validity` (admins): did the people we hired turn out as the
//! interviews predicted? Each predictor's correlation with the hires' later
//! performance ratings, with its interval and its n, and what limits it.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use chrono::{TimeDelta, Utc};
use maud::{Markup, html};

use super::super::page::{PageError, render};
use super::super::session::Viewer;
use super::{PeriodQuery, hidden, opt, period_form};
use crate::domain::Page;
use crate::domain::correlation::{MIN_PAIRS, Predictor};
use crate::services::analytics::validity::{
    self, DEFAULT_DAYS, MIN_HIRES_PER_INTERVIEWER, Validity,
};
use crate::services::{competencies, people};
use crate::state::AppState;
use crate::urls;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::INSIGHTS_VALIDITY, web::get().to(show));
}

fn row(label: &str, p: &Predictor) -> Markup {
    html! {
        tr {
            th scope="row" { (label) }
            td { (p.n) }
            @if p.insufficient_data {
                td colspan="3" { span.muted { "insufficient data: at least " (MIN_PAIRS) " hires are needed" } }
            } @else {
                td { (opt(p.pearson)) }
                td { @match p.pearson_ci { Some([l, h]) => { (opt(Some(l))) " to " (opt(Some(h))) }, None => { "—" } } }
                td { (opt(p.spearman)) }
            }
        }
    }
}

fn table(id: &str, caption: &str, rows: Markup) -> Markup {
    html! {
        div.table-wrap {
            table id=(id) {
                caption { (caption) }
                thead { tr {
                    th scope="col" { "Predictor" } th scope="col" { "Hires (n)" } th scope="col" { "Pearson r" }
                    th scope="col" { "95 % interval" } th scope="col" { "Spearman rho" }
                } }
                tbody { (rows) }
            }
        }
    }
}

fn page(
    q: &PeriodQuery,
    v: &Validity,
    people: &HashMap<i64, String>,
    names: &HashMap<i64, String>,
) -> Markup {
    html! {
        h1 { "Predictive validity" }
        (period_form(urls::INSIGHTS_VALIDITY, q, v.from, v.to))
        p { "For the " strong { (v.rated_hires) } " hires decided in the period that have a performance rating (their latest): how each of the interviews' figures relates to it. r near 0 means the figure does not predict later performance; the interval says how sure the figure is." }
        section.card aria-labelledby="limits-h" {
            h2 #limits-h { "Read these with their limits" }
            ul {
                li { strong { "Range restriction." } " Only hires have outcomes: the people the interviews turned down are missing, so every correlation here understates the true one. It is not corrected." }
                li { "Performance ratings are one manager's judgement and carry their own noise." }
                li { "Below " (MIN_PAIRS) " hires a figure is not shown; interviewers appear from " (MIN_HIRES_PER_INTERVIEWER) " rated hires." }
            }
        }
        (table("validity-overall", "The composite", row("Vote score (the panel's initial votes)", &v.vote_score)))
        @if v.competencies.is_empty() {
            p.muted { "No rated hire in the period has competency ratings." }
        } @else {
            (table("validity-competencies", "Each competency's mean rating", html! {
                @for c in &v.competencies {
                    (row(names.get(&c.competency_id).map_or("a competency", String::as_str), &c.predictor))
                }
            }))
        }
        @if v.interviewers.is_empty() {
            p.muted { "No interviewer has " (MIN_HIRES_PER_INTERVIEWER) " rated hires in the period." }
        } @else {
            (table("validity-interviewers", "Each interviewer's ratings", html! {
                @for i in &v.interviewers {
                    (row(people.get(&i.user_id).map_or("someone", String::as_str), &i.predictor))
                }
            }))
        }
    }
}

/// `GET /insights/validity` (admins; anyone else: the 404 page).
async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, PageError> {
    let now = Utc::now();
    let nothing_given = [&q.days, &q.from, &q.to]
        .iter()
        .all(|v| v.as_deref().is_none_or(|v| v.trim().is_empty()));
    let (from, to) = if nothing_given {
        (now - TimeDelta::days(DEFAULT_DAYS), now)
    } else {
        q.period(now)?
    };
    let v = validity::validity(&state.db, &viewer.user, from, to)
        .await
        .map_err(hidden)?;
    let ids: Vec<i64> = v.interviewers.iter().map(|i| i.user_id).collect();
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
    let names = library.items.into_iter().map(|c| (c.id, c.name)).collect();
    Ok(render(
        &viewer.web,
        &viewer,
        "Predictive validity",
        page(&q, &v, &people, &names),
    ))
}
