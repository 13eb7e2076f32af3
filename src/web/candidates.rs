//! `/candidates`: search the candidates by name or email, and one candidate's
//! page with their loops, where their recruiter (or an admin) may erase their
//! personal data after confirming it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::form::Form;
use super::page::{PageError, field_errors, redirect_with, render_status};
use super::session::{FlashKind, Viewer};
use super::time::when;
use crate::domain::{CandidateId, FieldProblem, OneLine, Page};
use crate::services::hiring::candidates::{self, CandidatePage};
use crate::state::AppState;
use crate::urls;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::CANDIDATES, web::get().to(list))
        .route(urls::CANDIDATE, web::get().to(show))
        .route(urls::CANDIDATE_ERASE, web::post().to(erase));
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    cursor: Option<String>,
}

/// `GET /candidates?q=`: a recruiter's own candidates (an admin's: all),
/// those whose name or email holds `q`.
async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let typed = query.q.as_deref().unwrap_or("").trim().to_owned();
    let q = if typed.is_empty() {
        None
    } else {
        OneLine::parse("q", &typed, 200).ok()
    };
    let page = Page::parse(Some("50"), query.cursor.as_deref()).unwrap_or_default();
    let listing = candidates::list(&state.db, &viewer.user, q, page).await?;
    let zone = viewer.user.zone();
    let body = html! {
        h1 { "Candidates" }
        form.filters role="search" method="get" action=(urls::CANDIDATES) {
            div {
                label for="q" { "Name or email" }
                input #q type="search" name="q" value=(typed) maxlength="200";
            }
            div.actions { button.secondary type="submit" { "Search" } }
        }
        @if listing.items.is_empty() {
            p.muted { @if typed.is_empty() { "No candidates yet: they are added with a loop." } @else { "No candidate matches “" (typed) "”." } }
        } @else {
            div.table-wrap {
                table #candidates {
                    caption.muted {
                        @if typed.is_empty() { "Your candidates" } @else { "Your candidates matching “" (typed) "”" }
                        @if viewer.user.is_admin() { " (all, as an administrator)" }
                    }
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Added" } } }
                    tbody {
                        @for c in &listing.items {
                            tr {
                                td { a href=(urls::candidate(CandidateId(c.id))) { (c.name) } }
                                td { @if c.erased_at.is_some() { span.muted { "erased" } } @else { (c.email) } }
                                td { (when(zone, c.created_at.and_utc())) }
                            }
                        }
                    }
                }
            }
            @if let Some(next) = listing.next {
                @let mut more = url::form_urlencoded::Serializer::new(String::new());
                @let _ = more.append_pair("q", &typed).append_pair("cursor", &next.to_string());
                p { a href=(format!("{}?{}", urls::CANDIDATES, more.finish())) { "More candidates" } }
            }
        }
    };
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        "Candidates",
        body,
    ))
}

fn show_page(viewer: &Viewer, p: &CandidatePage, problems: &[FieldProblem]) -> Markup {
    let c = &p.candidate;
    let zone = viewer.user.zone();
    html! {
        h1 { (c.name) }
        @if c.erased_at.is_some() { p { span.badge { "Erased" } " Their personal data is gone; their loops and decisions stay." } }
        div.two {
            div {
                section.card aria-labelledby="about-h" {
                    h2 #about-h { "The candidate" }
                    dl {
                        dt { "Email" } dd { @if c.erased_at.is_some() { span.muted { "erased" } } @else { (c.email) } }
                        dt { "Referred by" } dd { (p.referred_by.as_deref().unwrap_or("nobody")) }
                        dt { "Added" } dd { (when(zone, c.created_at.and_utc())) }
                    }
                }
                @if c.erased_at.is_none() && viewer.user.role.recruits() {
                    p { a.button href=(format!("{}?candidate={}", urls::NEW_LOOP, c.id)) { "Build a loop for them" } }
                }
                @if p.may_erase {
                    section.card aria-labelledby="erase-h" {
                        h2 #erase-h { "Erase their personal data" }
                        p.hint { "Their name and email are replaced everywhere. Their loops, feedback and decisions stay, without them. This cannot be undone." }
                        form method="post" action=(urls::candidate_erase(CandidateId(c.id))) {
                            input type="hidden" name="csrf_token" value=(viewer.csrf);
                            label.inline for="confirm-erase" {
                                input #confirm-erase type="checkbox" name="confirm" value="yes" required aria-describedby="confirm-error";
                                "Yes, erase " (c.name) "'s personal data"
                            }
                            (field_errors(problems, "confirm"))
                            div.actions { button.danger #erase type="submit" { "Erase" } }
                        }
                    }
                }
            }
            div {
                section.card aria-labelledby="loops-h" {
                    h2 #loops-h { "Their loops" }
                    (super::loops::board_table(&p.loops.lines, viewer, "Loops of this candidate that you may see"))
                }
            }
        }
    }
}

/// `GET /candidates/{id}`: for those who may see the candidate.
async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<CandidateId>,
) -> Result<HttpResponse, PageError> {
    let now = chrono::Utc::now().naive_utc();
    let p = candidates::page(&state.db, &viewer.user, id.into_inner(), now).await?;
    let title = p.candidate.name.clone();
    let body = show_page(&viewer, &p, &[]);
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        &title,
        body,
    ))
}

/// `POST /candidates/{id}/erase`, confirmed.
async fn erase(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<CandidateId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    if form.get("confirm") != Some("yes") {
        let now = chrono::Utc::now().naive_utc();
        let p = candidates::page(&state.db, &viewer.user, id, now).await?;
        let problems = [FieldProblem {
            field: "confirm".into(),
            message: "tick to confirm: erasing cannot be undone".into(),
        }];
        let title = p.candidate.name.clone();
        let body = html! {
            p.flash.error role="alert" { "Nothing was erased: confirm it first." }
            (show_page(&viewer, &p, &problems))
        };
        return Ok(render_status(
            &viewer.web,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            &title,
            body,
        ));
    }
    candidates::erase(&state.db, &viewer.user, id).await?;
    Ok(redirect_with(
        &viewer.web,
        &urls::candidate(id),
        FlashKind::Done,
        "Their personal data is erased.",
    ))
}
