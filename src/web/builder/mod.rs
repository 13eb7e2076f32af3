//! `/loops/new` and `/loops/{id}/edit`: the loop builder. One form holds the
//! requisition, the candidate (on file or new), the bar raiser and the panel
//! rows; the independence report, the bar raiser suggestions and the warnings
//! are re-evaluated as the form changes (htmx posts it to the preview and swaps
//! the answer in). Every button also works as a plain form submission.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::form::Form;
use super::page::{PageError, fragment, redirect_with, render_status};
use super::picker::{problem as picker_problem, settle};
use super::session::{FlashKind, Viewer};
use crate::domain::{FieldProblem, LoopId, UserId};
use crate::error::ServiceError;
use crate::services::hiring::builder::{self, Start};
use crate::services::hiring::loops::{self, LoopEdit};
use crate::state::AppState;
use crate::urls;

mod parse;
mod view;

use parse::*;
use view::*;

/// The loop builder, on a new loop or an existing one, and its live previews.
pub fn routes(cfg: &mut crate::web::Routes) {
    cfg.route(urls::NEW_LOOP, web::get().to(new_form))
        .route(urls::NEW_LOOP, web::post().to(create))
        .route(urls::NEW_LOOP_PREVIEW, web::post().to(preview_new))
        .route(urls::LOOP_EDIT, web::get().to(edit_form))
        .route(urls::LOOP_EDIT, web::post().to(update))
        .route(urls::LOOP_EDIT_PREVIEW, web::post().to(preview_edit));
}

#[derive(serde::Deserialize)]
pub struct NewLoopQuery {
    requisition: Option<i64>,
    candidate: Option<i64>,
}

/// `GET /loops/new`, with the requisition or the candidate already chosen
/// when the link comes from their page.
pub async fn new_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<NewLoopQuery>,
) -> Result<HttpResponse, PageError> {
    let positive = |v: Option<i64>| v.filter(|v| *v > 0);
    let start = match (positive(query.requisition), positive(query.candidate)) {
        (None, None) => Start::Fresh,
        (requisition, candidate) => Start::Sketch(builder::Sketch {
            requisition_id: requisition.map(crate::domain::RequisitionId),
            candidate: candidate
                .map(|c| builder::CandidateChoice::Existing(crate::domain::CandidateId(c))),
            ..builder::Sketch::default()
        }),
    };
    let wb = builder::workbench(&state.db, &state.links, &viewer.user, start).await?;
    let rows = vec![Row::default(); 4];
    let submitted = Submitted::default();
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        title(&wb),
        page_body(
            &wb,
            &rows,
            &submitted,
            &[],
            &wb.preview,
            &viewer,
            &Open::new(),
        ),
    ))
}

/// `GET /loops/{id}/edit` (its recruiter, admins).
pub async fn edit_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, PageError> {
    let wb = builder::workbench(
        &state.db,
        &state.links,
        &viewer.user,
        Start::Existing(id.into_inner()),
    )
    .await?;
    let zone = viewer.user.zone();
    let rows = rows_of_sketch(&wb.sketch, zone);
    Ok(render_status(
        &viewer.web,
        &viewer,
        StatusCode::OK,
        title(&wb),
        page_body(
            &wb,
            &rows,
            &Submitted::default(),
            &[],
            &wb.preview,
            &viewer,
            &Open::new(),
        ),
    ))
}

/// `POST /loops/new` and `POST /loops/{id}/edit`: the form's buttons (add or
/// remove a row, use a suggested bar raiser, refresh) re-render it; `save`
/// creates or changes the loop.
async fn submit(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<LoopId>,
    body: &web::Bytes,
) -> Result<HttpResponse, PageError> {
    let mut form = Form::parse(body);
    let typed = typed_picks(&mut form);
    let open = settle(state, viewer, &mut form, typed).await?;
    let zone = viewer.user.zone();
    let mut parsed = parse(&form, zone, editing);
    // A picker's own words replace "is required" for its field.
    for (field, u) in &open {
        parsed.problems.retain(|p| &p.field != field);
        parsed.problems.push(picker_problem(field, u));
    }
    let action = parsed.submitted.action.clone();
    let mut rows = std::mem::take(&mut parsed.rows);
    if action == "save" && parsed.problems.is_empty() {
        let outcome = match editing {
            None => builder::create(&state.db, &viewer.user, parsed.sketch.clone()).await,
            Some(id) => {
                let edit = LoopEdit {
                    bar_raiser_id: parsed.sketch.bar_raiser_id,
                    panel: Some(parsed.sketch.panel.clone()),
                };
                loops::edit(&state.db, &state.links, &viewer.user, id, edit).await
            }
        };
        match outcome {
            Ok(read) => {
                let text = if editing.is_some() {
                    "The loop was saved."
                } else if read.report.ok {
                    "The loop was created as a draft. Every rule passes: you can schedule it."
                } else {
                    "The loop was created as a draft. Some rules fail: fix them before scheduling."
                };
                return Ok(redirect_with(
                    &viewer.web,
                    &urls::loop_page(LoopId(read.lp.id)),
                    FlashKind::Done,
                    text,
                ));
            }
            Err(ServiceError::Invalid(problems)) => parsed
                .problems
                .extend(problems.into_iter().map(|p| remap(p, &parsed.row_of))),
            Err(ServiceError::Conflict { detail, .. } | ServiceError::Rule { detail, .. }) => {
                parsed.problems.push(FieldProblem {
                    field: "loop".into(),
                    message: detail,
                })
            }
            // The preview below says it once, beside the report for the edit.
            Err(ServiceError::IndependenceFailed { .. }) => {}
            Err(other) => return Err(other.into()),
        }
    } else if action == "add" {
        rows.push(Row::default());
    } else if let Some(i) = action
        .strip_prefix("remove:")
        .and_then(|i| i.parse::<usize>().ok())
    {
        if i < rows.len() {
            rows.remove(i);
        }
        // Re-read without the removed row, so the preview matches the form.
        parsed = parse(&form.renumbered_without(i), zone, editing);
    } else if let Some(id) = action
        .strip_prefix("bar_raiser:")
        .and_then(|i| i.parse::<i64>().ok())
    {
        // The suggestion takes the replaced bar raiser's panel row (a new
        // interview: an interview keeps its interviewer).
        let interviewers: Vec<Option<i64>> = rows.iter().map(|r| r.interviewer_id).collect();
        if let Some(i) =
            builder::seat_for_suggested(parsed.sketch.bar_raiser_id, UserId(id), &interviewers)
        {
            rows[i].interviewer_id = Some(id);
            rows[i].id = None;
            // The sketch holds the rows that parsed (none while a row is
            // incomplete): the one for row `i`, if it is there.
            let k = parsed.row_of.iter().position(|r| *r == i);
            if let Some(entry) = k.and_then(|k| parsed.sketch.panel.get_mut(k)) {
                entry.interviewer_id = id;
                entry.id = None;
            }
        }
        parsed.sketch.bar_raiser_id = Some(UserId(id));
        parsed.sketch.also_named.push(id);
    }
    let row_of = parsed.row_of.clone();
    let status = if action == "save" {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let problems = if action == "save" {
        parsed.problems.clone()
    } else {
        Vec::new()
    };
    let submitted = parsed.submitted;
    let mut wb = builder::workbench(
        &state.db,
        &state.links,
        &viewer.user,
        Start::Sketch(parsed.sketch),
    )
    .await?;
    let preview = remap_preview(std::mem::take(&mut wb.preview), &row_of);
    Ok(render_status(
        &viewer.web,
        viewer,
        status,
        title(&wb),
        page_body(&wb, &rows, &submitted, &problems, &preview, viewer, &open),
    ))
}

pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    submit(&state, &viewer, None, &body).await
}

pub async fn update(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    submit(&state, &viewer, Some(id.into_inner()), &body).await
}

/// `POST /loops/new/preview` and `POST /loops/{id}/edit/preview` (htmx): the
/// live part of the builder for the form as it stands.
async fn preview(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<LoopId>,
    body: &web::Bytes,
) -> Result<HttpResponse, PageError> {
    let mut form = Form::parse(body);
    let typed = typed_picks(&mut form);
    settle(state, viewer, &mut form, typed).await?;
    let parsed = parse(&form, viewer.user.zone(), editing);
    let url = urls::loop_builder(editing);
    // Only the live part: no need for the form's lists of people and candidates.
    let chosen = parsed.sketch.bar_raiser_id;
    let preview = builder::preview(&state.db, &state.links, &viewer.user, parsed.sketch).await?;
    let mut preview = remap_preview(preview, &parsed.row_of);
    preview.problems.extend(parsed.problems);
    Ok(fragment(StatusCode::OK, live(chosen, &preview, &url)))
}

pub async fn preview_new(
    state: web::Data<AppState>,
    viewer: Viewer,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    preview(&state, &viewer, None, &body).await
}

pub async fn preview_edit(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<LoopId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    preview(&state, &viewer, Some(id.into_inner()), &body).await
}
