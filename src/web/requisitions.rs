//! `/requisitions`: the roles being hired for — the list with each one's open
//! loops, a new one, and one requisition's page with its loops, where its
//! recruiter (or an admin) edits, closes and reopens it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::form::Form;
use super::page::{PageError, field_errors, redirect_with, render_status};
use super::picker::{Unsettled, chosen_in, picker, problem as picker_problem, settle, typed};
use super::session::{FlashKind, Viewer};
use crate::db::competencies::Competency;
use crate::domain::{DomainError, FieldProblem, OneLine, Page, RequisitionId, UserId};
use crate::error::ServiceError;
use crate::services::hiring::requisitions::{
    self, NewRole, RequisitionPage, RoleEdit, TITLE_MAX, parse_competency_ids,
    parse_min_panel_size, parse_status, parse_title,
};
use crate::services::people::picker::PickKind;
use crate::state::AppState;
use crate::urls;

pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::REQUISITIONS, web::get().to(list))
        .route(urls::NEW_REQUISITION, web::get().to(new_form))
        .route(urls::NEW_REQUISITION, web::post().to(create))
        .route(urls::REQUISITION, web::get().to(show))
        .route(urls::REQUISITION, web::post().to(update))
        .route(urls::REQUISITION_STATUS, web::post().to(set_status));
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    cursor: Option<String>,
}

/// `GET /requisitions`: those the viewer recruits or hires for (admins: all).
async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let page = Page::parse(Some("50"), query.cursor.as_deref()).unwrap_or_default();
    let listing = requisitions::lines(&state.db, &viewer.user, page).await?;
    let body = html! {
        h1 { "Requisitions" }
        @if viewer.user.role.recruits() {
            p { a.button href=(urls::NEW_REQUISITION) { "New requisition" } }
        }
        @if listing.items.is_empty() {
            p.muted { "No requisitions yet." }
        } @else {
            div.table-wrap {
                table {
                    caption.muted { "The roles you recruit or hire for" }
                    thead { tr {
                        th scope="col" { "Role" } th scope="col" { "Hiring manager" } th scope="col" { "Status" }
                        th scope="col" { "Open loops" } th scope="col" { "Smallest panel" }
                    } }
                    tbody {
                        @for line in &listing.items {
                            @let r = &line.read.requisition;
                            tr {
                                td { a href=(urls::requisition(RequisitionId(r.id))) { (r.title) } }
                                td { (line.hiring_manager) }
                                td { (status_badge(&r.status)) }
                                td { (line.open_loops) }
                                td { (r.min_panel_size) " interviews" }
                            }
                        }
                    }
                }
            }
            @if let Some(next) = listing.next {
                p { a href=(format!("{}?cursor={next}", urls::REQUISITIONS)) { "More requisitions" } }
            }
        }
    };
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        "Requisitions",
        body,
    ))
}

fn status_badge(status: &str) -> Markup {
    html! {
        @if status == "open" { span.badge.ok { "Open" } } @else { span.badge { "Closed" } }
    }
}

/// What the requisition form holds, as typed.
#[derive(Default)]
struct Typed {
    title: String,
    competency_ids: Vec<i64>,
    min_panel_size: String,
}

impl Typed {
    fn of(form: &Form) -> Self {
        Typed {
            title: form.raw("title").to_owned(),
            competency_ids: form
                .all("competency_ids")
                .iter()
                .filter_map(|v| v.parse().ok())
                .collect(),
            min_panel_size: form.raw("min_panel_size").trim().to_owned(),
        }
    }

    /// The title, competencies and smallest panel, or every problem at once.
    fn parse(&self) -> Result<RoleFields, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut keep =
            |e: DomainError| problems.extend(e.into_field_problems().unwrap_or_default());
        let title = parse_title(&self.title).map_err(&mut keep).ok();
        let competencies = parse_competency_ids(&self.competency_ids)
            .map_err(&mut keep)
            .ok();
        let size = match self.min_panel_size.parse::<i64>() {
            Ok(n) => parse_min_panel_size(Some(n)).map_err(&mut keep).ok(),
            Err(_) => {
                keep(DomainError::invalid(
                    "min_panel_size",
                    "must be a number from 1 to 20",
                ));
                None
            }
        };
        match (title, competencies, size) {
            (Some(title), Some(competency_ids), Some(min_panel_size)) => Ok(RoleFields {
                title,
                competency_ids,
                min_panel_size,
            }),
            _ => Err(problems),
        }
    }
}

/// The requisition form's fields, parsed.
struct RoleFields {
    title: OneLine,
    competency_ids: Vec<i64>,
    min_panel_size: i64,
}

/// The title, competencies and smallest panel of the form.
fn role_fields(t: &Typed, library: &[Competency], problems: &[FieldProblem]) -> Markup {
    let errors = |f: &str| field_errors(problems, f);
    html! {
        label for="title" { "Role" }
        input #title type="text" name="title" value=(t.title) maxlength=(TITLE_MAX) required aria-describedby="title-error";
        (errors("title"))
        fieldset {
            legend { "Competencies it requires" }
            @for c in library {
                label.inline {
                    input type="checkbox" name="competency_ids" value=(c.id) checked[t.competency_ids.contains(&c.id)];
                    (c.name)
                    @if !c.active { " " span.muted { "(retired)" } }
                }
            }
            (errors("competency_ids"))
        }
        label for="min_panel_size" { "Smallest panel (interviews)" }
        input #min_panel_size type="number" name="min_panel_size" min="1" max="20" value=(t.min_panel_size) required aria-describedby="min_panel_size-error";
        (errors("min_panel_size"))
    }
}

fn new_page(
    viewer: &Viewer,
    t: &Typed,
    manager: Option<(i64, String)>,
    open: Option<&Unsettled>,
    library: &[Competency],
    problems: &[FieldProblem],
) -> Markup {
    html! {
        h1 { "New requisition" }
        @if !problems.is_empty() {
            p.flash.error role="alert" { "Some fields need attention: see the notes beside them." }
        }
        form method="post" action=(urls::NEW_REQUISITION) {
            input type="hidden" name="csrf_token" value=(viewer.csrf);
            (picker("hiring_manager_id", "Hiring manager", PickKind::Anyone, manager, open,
                "The person who decides: type part of a name, an email or a department."))
            (field_errors(problems, "hiring_manager_id"))
            (role_fields(t, library, problems))
            div.actions { button #create-requisition type="submit" { "Open the requisition" } }
        }
    }
}

/// The active competencies, by name.
async fn library(state: &AppState) -> Result<Vec<Competency>, PageError> {
    let page = Page::parse(Some("200"), None).unwrap_or_default();
    let mut all = crate::services::competencies::list(&state.db, Some(true), page)
        .await?
        .items;
    all.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(all)
}

/// `GET /requisitions/new` (recruiters, admins).
async fn new_form(state: web::Data<AppState>, viewer: Viewer) -> Result<HttpResponse, PageError> {
    crate::auth::require_recruiting(&viewer.user)?;
    let library = library(&state).await?;
    let t = Typed {
        min_panel_size: "4".into(),
        ..Typed::default()
    };
    let body = new_page(&viewer, &t, None, None, &library, &[]);
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        "New requisition",
        body,
    ))
}

/// `POST /requisitions/new`: opens it and goes to its page.
async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let mut form = Form::parse(&body);
    let pending: Vec<_> = typed(&mut form, "hiring_manager_id", PickKind::Anyone)
        .into_iter()
        .collect();
    let open = settle(&state, &viewer, &mut form, pending).await?;
    let t = Typed::of(&form);
    let (parsed, mut problems) = match t.parse() {
        Ok(fields) => (Some(fields), Vec::new()),
        Err(problems) => (None, problems),
    };
    let manager = match form.id("hiring_manager_id") {
        Ok(Some(id)) => Some(UserId(id)),
        Ok(None) => {
            if let Some(u) = open.get("hiring_manager_id") {
                problems.push(picker_problem("hiring_manager_id", u));
            } else {
                problems.push(FieldProblem {
                    field: "hiring_manager_id".into(),
                    message: "choose the hiring manager".into(),
                });
            }
            None
        }
        Err(p) => {
            problems.push(p);
            None
        }
    };
    if let (Some(fields), Some(hiring_manager_id)) = (parsed, manager) {
        let new = NewRole {
            title: fields.title,
            hiring_manager_id,
            recruiter_id: None,
            competency_ids: fields.competency_ids,
            min_panel_size: fields.min_panel_size,
        };
        match requisitions::create(&state.db, &viewer.user, new).await {
            Ok(read) => {
                return Ok(redirect_with(
                    &viewer.web,
                    &urls::requisition(RequisitionId(read.requisition.id)),
                    FlashKind::Done,
                    "The requisition is open: loops can be built for it.",
                ));
            }
            Err(ServiceError::Invalid(more)) => problems.extend(more),
            Err(e) => return Err(e.into()),
        }
    }
    let library = library(&state).await?;
    let chosen = chosen_in(&form, "hiring_manager_id");
    let body = new_page(
        &viewer,
        &t,
        chosen,
        open.get("hiring_manager_id"),
        &library,
        &problems,
    );
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "New requisition",
        body,
    ))
}

fn show_page(viewer: &Viewer, p: &RequisitionPage, t: &Typed, problems: &[FieldProblem]) -> Markup {
    let r = &p.read.requisition;
    let id = RequisitionId(r.id);
    html! {
        h1 { (r.title) }
        p { (status_badge(&r.status)) }
        @if !problems.is_empty() {
            p.flash.error role="alert" { "Not saved: see the notes beside the fields." }
        }
        div.two {
            div {
                section.card aria-labelledby="about-h" {
                    h2 #about-h { "The role" }
                    dl {
                        dt { "Hiring manager" } dd { (p.hiring_manager) }
                        dt { "Recruiter" } dd { (p.recruiter) }
                        dt { "Smallest panel" } dd { (r.min_panel_size) " interviews" }
                        dt { "Competencies" } dd { (p.competencies.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")) }
                    }
                    @if r.status == "open" && p.may_change {
                        p { a.button href=(format!("{}?requisition={}", urls::NEW_LOOP, r.id)) { "Build a loop for it" } }
                    }
                }
                @if p.may_change {
                    section.card aria-labelledby="edit-h" {
                        h2 #edit-h { "Change it" }
                        p.hint { "A change of competencies or of the smallest panel re-checks its open loops; a loop it turns red is flagged and you are told." }
                        form method="post" action=(urls::requisition(id)) {
                            input type="hidden" name="csrf_token" value=(viewer.csrf);
                            (role_fields(t, &p.library, problems))
                            div.actions { button #save-requisition type="submit" { "Save" } }
                        }
                    }
                    section.card aria-labelledby="status-h" {
                        h2 #status-h { @if r.status == "open" { "Close it" } @else { "Reopen it" } }
                        form method="post" action=(urls::requisition_status(id)) {
                            input type="hidden" name="csrf_token" value=(viewer.csrf);
                            @if r.status == "open" {
                                input type="hidden" name="status" value="closed";
                                p.hint { "A closed requisition takes no new loops; its loops go on." }
                                button.secondary #close-requisition type="submit" { "Close the requisition" }
                            } @else {
                                input type="hidden" name="status" value="open";
                                button.secondary #reopen-requisition type="submit" { "Reopen the requisition" }
                            }
                        }
                    }
                }
            }
            div {
                section.card aria-labelledby="loops-h" {
                    h2 #loops-h { "Its loops" }
                    (super::loops::board_table(&p.loops.lines, viewer, "Loops for this role that you may see"))
                }
            }
        }
    }
}

fn typed_of(p: &RequisitionPage) -> Typed {
    Typed {
        title: p.read.requisition.title.clone(),
        competency_ids: p.read.competency_ids.clone(),
        min_panel_size: p.read.requisition.min_panel_size.to_string(),
    }
}

/// `GET /requisitions/{id}` (its recruiter, its hiring manager, admins).
async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<RequisitionId>,
) -> Result<HttpResponse, PageError> {
    let now = chrono::Utc::now().naive_utc();
    let p = requisitions::page(&state.db, &viewer.user, id.into_inner(), now).await?;
    let title = p.read.requisition.title.clone();
    let body = show_page(&viewer, &p, &typed_of(&p), &[]);
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        &title,
        body,
    ))
}

async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: RequisitionId,
    t: &Typed,
    problems: &[FieldProblem],
) -> Result<HttpResponse, PageError> {
    let now = chrono::Utc::now().naive_utc();
    let p = requisitions::page(&state.db, &viewer.user, id, now).await?;
    let title = p.read.requisition.title.clone();
    let body = show_page(viewer, &p, t, problems);
    Ok(render_status(
        &viewer.web,
        viewer,
        StatusCode::UNPROCESSABLE_ENTITY,
        &title,
        body,
    ))
}

/// `POST /requisitions/{id}`: the title, competencies and smallest panel.
async fn update(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<RequisitionId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    let t = Typed::of(&form);
    let fields = match t.parse() {
        Ok(fields) => fields,
        Err(problems) => return refused(&state, &viewer, id, &t, &problems).await,
    };
    let edit = RoleEdit {
        title: Some(fields.title),
        competency_ids: Some(fields.competency_ids),
        min_panel_size: Some(fields.min_panel_size),
        open: None,
    };
    match requisitions::update(&state.db, &state.links, &viewer.user, id, edit).await {
        Ok(_) => Ok(redirect_with(
            &viewer.web,
            &urls::requisition(id),
            FlashKind::Done,
            "The requisition was saved.",
        )),
        Err(ServiceError::Invalid(problems)) => refused(&state, &viewer, id, &t, &problems).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /requisitions/{id}/status`: close or reopen.
async fn set_status(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<RequisitionId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    // A form always sends its status: none is no choice either.
    let open = match parse_status(Some(form.get("status").unwrap_or(""))) {
        Ok(open) => open == Some(true),
        Err(e) => return Err(ServiceError::from(e).into()),
    };
    let edit = RoleEdit {
        open: Some(open),
        ..RoleEdit::default()
    };
    requisitions::update(&state.db, &state.links, &viewer.user, id, edit).await?;
    Ok(redirect_with(
        &viewer.web,
        &urls::requisition(id),
        FlashKind::Done,
        if open {
            "The requisition is open again."
        } else {
            "The requisition is closed: it takes no new loops."
        },
    ))
}
