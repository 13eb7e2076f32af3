//! `/admin/org`: the reporting lines as a tree, each person under their
//! manager, bar raisers marked, each team folded with `<details>` (no script
//! needed). `?person=` puts one person in focus: their chain up, then their
//! team. A large organisation is drawn a bounded number of people at a time;
//! deeper teams are a link away.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::Admin;
use crate::domain::UserId;
use crate::services::people::{self, OrgChart};
use crate::state::AppState;
use crate::urls;

use super::super::page::{PageError, render};

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::ADMIN_ORG, web::get().to(show));
}

/// The most people drawn on one page, and the levels drawn below the top.
const BUDGET: usize = 1_500;
const DEPTH: usize = 6;

#[derive(serde::Deserialize)]
struct OrgQuery {
    person: Option<String>,
}

fn badges(chart: &OrgChart, i: usize) -> Markup {
    let p = &chart.people[i];
    html! {
        @match p.bar_raiser.as_str() {
            "certified" => { " " span.badge.ok { "bar raiser" } }
            "in_training" => { " " span.badge { "bar raiser in training" } }
            _ => {}
        }
        @if !p.active { " " span.badge.warn { "deactivated" } }
    }
}

fn node(chart: &OrgChart, i: usize, depth: usize, budget: &mut usize) -> Markup {
    let p = &chart.people[i];
    let reports = chart.reports_of(p.id);
    let label = html! {
        a href=(urls::admin_person(UserId(p.id))) { (p.name) }
        (badges(chart, i))
        @if let Some(d) = &p.department { span.muted { " · " (d) } }
    };
    *budget = budget.saturating_sub(1);
    html! {
        li {
            @if reports.is_empty() {
                (label)
            } @else if depth >= DEPTH || *budget < reports.len() {
                (label) " · "
                a href=(urls::admin_org(Some(UserId(p.id)))) { "their team of " (chart.team_size(p.id)) }
            } @else {
                (label)
                // The summary holds only words: a link inside it would nest
                // one control in another.
                details open[depth < 2] {
                    summary { (reports.len()) " direct report" @if reports.len() != 1 { "s" } }
                    ul.tree { @for &r in reports { (node(chart, r, depth + 1, budget)) } }
                }
            }
        }
    }
}

/// `GET /admin/org?person=`
async fn show(
    state: web::Data<AppState>,
    Admin(viewer): Admin,
    query: web::Query<OrgQuery>,
) -> Result<HttpResponse, PageError> {
    let focus = match query
        .person
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => Some(UserId(raw.parse().map_err(|_| PageError::NotFound)?)),
    };
    let chart = people::org_chart(&state.db, &viewer.user, focus).await?;
    let mut budget = BUDGET;
    let body = html! {
        h1 { "Organisation" }
        p {
            (chart.people.len()) " people. "
            a href=(urls::ADMIN_PEOPLE) { "People" } " · "
            a href=(urls::ADMIN_PEOPLE_IMPORT) { "Import people" }
        }
        @match chart.focus {
            Some(f) => {
                nav aria-label="Chain up" {
                    p {
                        a href=(urls::ADMIN_ORG) { "Everyone" }
                        @for &m in chart.chain.iter().rev() {
                            " → " a href=(urls::admin_org(Some(UserId(chart.people[m].id)))) { (chart.people[m].name) }
                        }
                        " → " strong { (chart.people[f].name) }
                    }
                }
                section.card aria-labelledby="team-h" {
                    h2 #team-h { (chart.people[f].name) "’s team" }
                    @if chart.reports_of(chart.people[f].id).is_empty() {
                        p.muted { "Nobody reports to " (chart.people[f].name) "." }
                    }
                    ul.tree #org-tree { (node(&chart, f, 0, &mut budget)) }
                }
            }
            None => {
                section.card aria-labelledby="tree-h" {
                    h2 #tree-h { "Reporting lines" }
                    p.hint { "Each team folds and unfolds; a bar raiser is marked." }
                    ul.tree #org-tree { @for &r in &chart.roots { (node(&chart, r, 0, &mut budget)) } }
                }
            }
        }
    };
    Ok(render(&viewer.web, &viewer, "Organisation", body))
}
