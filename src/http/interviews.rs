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
