use actix_web::{HttpResponse, web};

use super::json::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{List, Page, utc};
use crate::auth::CurrentUser;
use crate::db::DbConn;
use crate::db::loops::{self, InterviewLoop, Participation};
use crate::db::users::User;
use crate::domain::independence::Report;
use crate::domain::panel::{ProposedInterview, RawInterview, parse_panel};
use crate::domain::{DomainError, LoopStatus, OneLine};
use crate::error::{AllValid, ApiError};
use crate::hiring::access::{Access, load_visible};
use crate::hiring::loops::{self as ops, LoopEdit, NewLoop};
use crate::hiring::{independence, suggestions};
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct InterviewView {
    id: i64,
    interviewer_id: i64,
    competency_ids: Vec<i64>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    feedback_due_at: DateTime<Utc>,
    /// `pending` until feedback can be written (a later capability).
    feedback_status: &'static str,
}

#[derive(Debug, Serialize)]
pub struct LoopView {
    id: i64,
    status: LoopStatus,
    requisition_id: i64,
    candidate_id: i64,
    hiring_manager_id: i64,
    recruiter_id: i64,
    bar_raiser_id: i64,
    feedback_window_hours: i64,
    interviews: Vec<InterviewView>,
    independence: Report,
    /// The report turned red after scheduling; the debrief cannot open until it is green.
    flagged: bool,
    flagged_at: Option<DateTime<Utc>>,
    cancel_reason: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// Reads the loop back after a change, as JSON.
fn reload(c: &mut DbConn, id: i64) -> Result<LoopView, ApiError> {
    let lp = loops::find(c, id)?.ok_or(ApiError::NotFound)?;
    view(c, lp)
}

/// The loop as JSON, with a fresh independence report.
fn view(c: &mut DbConn, lp: InterviewLoop) -> Result<LoopView, ApiError> {
    let panel = loops::panel(c, lp.id)?;
    let report = independence::evaluate_with_panel(c, &lp, &panel)?;
    Ok(LoopView {
        id: lp.id,
        status: lp.status,
        requisition_id: lp.requisition_id,
        candidate_id: lp.candidate_id,
        hiring_manager_id: lp.hiring_manager_id,
        recruiter_id: lp.recruiter_id,
        bar_raiser_id: lp.bar_raiser_id,
        feedback_window_hours: lp.feedback_window_hours,
        interviews: panel
            .into_iter()
            .map(|p| InterviewView {
                id: p.interview.id,
                interviewer_id: p.interview.interviewer_id,
                competency_ids: p.competency_ids,
                starts_at: utc(p.interview.starts_at),
                ends_at: utc(p.interview.ends_at),
                feedback_due_at: utc(p.interview.feedback_due_at),
                feedback_status: "pending",
            })
            .collect(),
        independence: report,
        flagged: lp.flagged_at.is_some(),
        flagged_at: lp.flagged_at.map(utc),
        cancel_reason: lp.cancel_reason,
        created_at: utc(lp.created_at),
        updated_at: utc(lp.updated_at),
    })
}

#[derive(Debug, Deserialize)]
pub struct InterviewInput {
    id: Option<i64>,
    interviewer_id: i64,
    competency_ids: Vec<i64>,
    starts_at: String,
    ends_at: String,
}

fn panel(input: &[InterviewInput]) -> Result<Vec<ProposedInterview>, DomainError> {
    let raw: Vec<RawInterview> = input
        .iter()
        .map(|i| RawInterview {
            id: i.id,
            interviewer_id: i.interviewer_id,
            competency_ids: &i.competency_ids,
            starts_at: &i.starts_at,
            ends_at: &i.ends_at,
        })
        .collect();
    parse_panel(&raw)
}

#[derive(Debug, Deserialize)]
pub struct CreateLoopRequest {
    requisition_id: i64,
    candidate_id: i64,
    bar_raiser_id: i64,
    hiring_manager_id: Option<i64>,
    recruiter_id: Option<i64>,
    feedback_window_hours: Option<i64>,
    #[serde(default)]
    interviews: Vec<InterviewInput>,
}

/// `POST /loops` (recruiter, admin): a draft with its report, even when red.
pub async fn create_loop(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateLoopRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require_recruiting()?;
    let body = body.into_inner();
    let window = match body.feedback_window_hours.unwrap_or(24) {
        w @ 1..=336 => Ok(w),
        _ => Err(DomainError::invalid(
            "feedback_window_hours",
            "must be from 1 to 336",
        )),
    };
    let no_ids = match body.interviews.iter().position(|i| i.id.is_some()) {
        Some(i) => Err(DomainError::invalid(
            format!("interviews[{i}].id"),
            "a new loop has no existing interviews",
        )),
        None => Ok(()),
    };
    let (window, (), panel) = (window, no_ids, panel(&body.interviews)).all_valid()?;
    let input = NewLoop {
        requisition_id: body.requisition_id,
        candidate_id: body.candidate_id,
        bar_raiser_id: body.bar_raiser_id,
        hiring_manager_id: body.hiring_manager_id,
        recruiter_id: body.recruiter_id,
        feedback_window_hours: window,
        panel,
    };
    let me = user.0;
    let created = state
        .db
        .write(move |c| {
            let id = ops::create(c, &me, &input)?;
            reload(c, id)
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

#[derive(Debug, Deserialize)]
pub struct ListLoopsQuery {
    status: Option<String>,
    role: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /loops?status=&role=`: the loops the caller may see.
pub async fn list_loops(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListLoopsQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let role = match query.role.as_deref() {
        None => Ok(None),
        Some("recruiter") => Ok(Some(Participation::Recruiter)),
        Some("hiring_manager") => Ok(Some(Participation::HiringManager)),
        Some("bar_raiser") => Ok(Some(Participation::BarRaiser)),
        Some("interviewer") => Ok(Some(Participation::Interviewer)),
        Some(_) => Err(DomainError::invalid(
            "role",
            "must be recruiter, hiring_manager, bar_raiser or interviewer",
        )),
    };
    let (page, status, role) = (
        Page::parse(query.limit.as_deref(), query.cursor.as_deref()),
        query
            .status
            .as_deref()
            .map(str::parse::<LoopStatus>)
            .transpose(),
        role,
    )
        .all_valid()?;
    let me = user.0;
    let list = state
        .db
        .run(move |c| {
            let rows = loops::list_visible(
                c,
                me.id,
                me.is_admin(),
                role,
                status,
                page.after,
                page.fetch(),
            )?;
            let mut views = Vec::with_capacity(rows.len());
            for lp in rows {
                views.push((lp.id, view(c, lp)?));
            }
            Ok(List::from_rows(views, page, |(id, _)| *id, |(_, v)| v))
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// `GET /loops/{id}` (participants, admin).
pub async fn get_loop(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = state
        .db
        .run(move |c| {
            let (lp, _) = load_visible(c, id, &user.0)?;
            view(c, lp)
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

#[derive(Debug, Deserialize)]
pub struct UpdateLoopRequest {
    bar_raiser_id: Option<i64>,
    interviews: Option<Vec<InterviewInput>>,
}

/// `PATCH /loops/{id}` (its recruiter, admin): bar raiser and panel.
pub async fn update_loop(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: Json<UpdateLoopRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let edit = LoopEdit {
        bar_raiser_id: body.bar_raiser_id,
        panel: body.interviews.as_deref().map(panel).transpose()?,
    };
    let public_url = state.public_url.clone();
    let updated = state
        .db
        .write(move |c| {
            ops::edit(c, &user.0, id, &edit, &public_url)?;
            reload(c, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}

/// `POST /loops/{id}/schedule` (its recruiter, admin).
pub async fn schedule_loop(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let public_url = state.public_url.clone();
    let updated = state
        .db
        .write(move |c| {
            ops::schedule(c, &user.0, id, &public_url)?;
            reload(c, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[derive(Debug, Deserialize)]
pub struct CancelRequest {
    reason: String,
}

/// `POST /loops/{id}/cancel` (its recruiter, admin).
pub async fn cancel_loop(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: Json<CancelRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let reason = OneLine::parse("reason", &body.reason, 1000)?.into_string();
    let public_url = state.public_url.clone();
    let updated = state
        .db
        .write(move |c| {
            ops::cancel(c, &user.0, id, &reason, &public_url)?;
            reload(c, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}

fn loop_for(
    c: &mut DbConn,
    id: i64,
    user: &User,
    allowed: impl Fn(&Access) -> bool,
) -> Result<InterviewLoop, ApiError> {
    let (lp, access) = load_visible(c, id, user)?;
    if allowed(&access) {
        Ok(lp)
    } else {
        Err(ApiError::forbidden(
            "not_allowed",
            "Your part in this loop does not allow this.",
        ))
    }
}

/// `GET /loops/{id}/independence` (its recruiter, bar raiser, hiring manager; admin).
pub async fn get_independence(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let report = state
        .db
        .run(move |c| {
            let lp = loop_for(c, id, &user.0, Access::can_see_independence)?;
            independence::evaluate_loop(c, &lp)
        })
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// `GET /loops/{id}/bar-raiser-suggestions` (its recruiter, admin).
pub async fn get_bar_raiser_suggestions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let items = state
        .db
        .run(move |c| {
            let lp = loop_for(c, id, &user.0, |a| a.admin || a.recruiter)?;
            suggestions::suggest(c, &lp)
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items })))
}
