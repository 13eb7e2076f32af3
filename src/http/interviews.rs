use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::competencies::CompetencyView;
use super::{CurrentUser, utc};
use crate::domain::{InterviewId, LoopStatus};
use crate::http::problem::{ApiError, Problem};
use crate::services::hiring::kit::{self, Kit};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KitView {
    interview_id: i64,
    loop_id: i64,
    loop_status: LoopStatus,
    candidate_name: String,
    role_title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    feedback_due_at: DateTime<Utc>,
    /// The assigned competencies with their rating anchors and questions.
    competencies: Vec<CompetencyView>,
}

impl From<Kit> for KitView {
    fn from(k: Kit) -> Self {
        Self {
            interview_id: k.interview.id,
            loop_id: k.lp.id,
            loop_status: k.lp.status,
            candidate_name: k.candidate_name,
            role_title: k.role_title,
            starts_at: utc(k.interview.starts_at),
            ends_at: utc(k.interview.ends_at),
            feedback_due_at: utc(k.interview.feedback_due_at),
            competencies: k
                .competencies
                .into_iter()
                .map(CompetencyView::from)
                .collect(),
        }
    }
}

/// `GET /api/v1/interviews/{id}/kit`: for the interview's interviewer only
/// (the web page at `/interviews/{id}` shows the same kit).
#[utoipa::path(
    get,
    path = "/api/v1/interviews/{id}/kit",
    tag = "feedback",
    summary = "The interview kit (its interviewer)",
    params(("id" = i64, Path, description = "interview id")),
    responses((status = 200, description = "OK", body = KitView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn get_kit(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<InterviewId>,
) -> Result<HttpResponse, ApiError> {
    let kit = kit::kit(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(KitView::from(kit)))
}

/// A reminder sent by hand.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReminderView {
    interview_id: i64,
    /// The interviewer it was mailed to.
    interviewer_name: String,
}

/// `POST /api/v1/interviews/{id}/reminder`: the loop's recruiter or an admin
/// reminds the interviewer of feedback not yet submitted (one an hour).
#[utoipa::path(
    post,
    path = "/api/v1/interviews/{id}/reminder",
    tag = "feedback",
    summary = "Remind an interviewer of their feedback (its loop's recruiter, admin)",
    params(("id" = i64, Path, description = "interview id")),
    responses((status = 200, description = "Mailed, and recorded in the loop's audit log", body = ReminderView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`not_allowed`: a participant who does not run the loop", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`not_collecting_feedback`, `feedback_submitted`, `interview_not_over`, `reminded_recently` (one an hour)", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn remind(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<InterviewId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let name = crate::services::feedback::reminders::remind(
        &state.db,
        &state.links,
        &user.0,
        id,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(ReminderView {
        interview_id: id.get(),
        interviewer_name: name,
    }))
}
