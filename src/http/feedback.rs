use crate::auth::Caller;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json::Json;
use super::{CurrentUser, List, utc};
use crate::domain::feedback::{Draft, FeedbackStatus, Rating, RatingEntry, Timing, Vote, Warning};
use crate::domain::text::check_long;
use crate::domain::{DomainError, InterviewId, LoopId, Page, all_ok, merge};
use crate::error::AllValid;
use crate::http::problem::{ApiError, Problem};
use crate::services::feedback::{self, FeedbackRead, MineCursor, MyInterview};
use crate::state::AppState;

/// Evidence and summaries: long text, kept exactly as written.
use crate::domain::feedback::TEXT_MAX;

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct RatingView {
    competency_id: i64,
    rating: Option<Rating>,
    evidence: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedbackView {
    interview_id: i64,
    interviewer_id: i64,
    status: FeedbackStatus,
    ratings: Vec<RatingView>,
    vote: Option<Vote>,
    summary: Option<String>,
    submitted_at: Option<DateTime<Utc>>,
    timing: Option<Timing>,
    updated_at: Option<DateTime<Utc>>,
    /// For the author only.
    #[serde(skip_serializing_if = "Option::is_none")]
    warnings: Option<Vec<Warning>>,
}

impl FeedbackView {
    fn new(f: FeedbackRead, own: bool) -> Self {
        Self {
            interview_id: f.interview_id,
            interviewer_id: f.interviewer_id,
            status: f.status,
            ratings: f
                .draft
                .ratings
                .into_iter()
                .map(|r| RatingView {
                    competency_id: r.competency_id,
                    rating: r.rating,
                    evidence: r.evidence,
                })
                .collect(),
            vote: f.draft.vote,
            summary: f.draft.summary,
            submitted_at: f.submitted_at.map(utc),
            timing: f.timing,
            updated_at: f.updated_at.map(utc),
            warnings: own.then_some(f.warnings),
        }
    }
}

/// `GET /interviews/{id}/feedback` (its interviewer): the draft or the submission.
#[utoipa::path(
    get,
    path = "/api/v1/interviews/{id}/feedback",
    tag = "feedback",
    summary = "One's own feedback on an interview",
    params(("id" = i64, Path, description = "interview id")),
    responses((status = 200, description = "OK", body = FeedbackView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn get_own(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<InterviewId>,
) -> Result<HttpResponse, ApiError> {
    let read = feedback::own(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(FeedbackView::new(read, true)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RatingInput {
    competency_id: i64,
    /// A whole number from 1 to 4, or null; read as JSON so that 2.5 is a 422.
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 4)]
    rating: Value,
    #[serde(default)]
    #[schema(max_length = 10000)]
    evidence: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DraftRequest {
    #[serde(default)]
    ratings: Vec<RatingInput>,
    #[schema(value_type = Option<Vote>)]
    vote: Option<String>,
    #[schema(max_length = 10000)]
    summary: Option<String>,
}

fn parse_draft(body: DraftRequest) -> Result<Draft, DomainError> {
    let ratings = all_ok(body.ratings.iter().enumerate().map(|(i, r)| {
        let field = |name: &str| format!("ratings[{i}].{name}");
        let twice = body.ratings[..i]
            .iter()
            .any(|earlier| earlier.competency_id == r.competency_id);
        let (rating, evidence, id) = (
            Rating::from_json(&field("rating"), &r.rating),
            check_long(&field("evidence"), &r.evidence, TEXT_MAX),
            if twice {
                Err(DomainError::invalid(
                    field("competency_id"),
                    "appears twice",
                ))
            } else {
                Ok(())
            },
        );
        match (rating, evidence, id) {
            (Ok(rating), Ok(()), Ok(())) => Ok(RatingEntry {
                competency_id: r.competency_id,
                rating,
                evidence: r.evidence.clone(),
            }),
            (rating, evidence, id) => Err(merge(
                [rating.err(), evidence.err(), id.err()]
                    .into_iter()
                    .flatten(),
            )),
        }
    }));
    let vote = body
        .vote
        .as_deref()
        .map(|v| Vote::parse("vote", v))
        .transpose();
    let summary = match body.summary {
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => check_long("summary", &s, TEXT_MAX).map(|()| Some(s)),
        None => Ok(None),
    };
    match (ratings, vote, summary) {
        (Ok(ratings), Ok(vote), Ok(summary)) => Ok(Draft {
            ratings,
            vote,
            summary,
        }),
        (r, v, s) => Err(merge([r.err(), v.err(), s.err()].into_iter().flatten())),
    }
}

/// `PUT /interviews/{id}/feedback` (its interviewer): saves the draft and
/// answers it with its quality warnings.
#[utoipa::path(
    put,
    path = "/api/v1/interviews/{id}/feedback",
    tag = "feedback",
    summary = "Save a draft; answers it with its quality warnings",
    request_body = DraftRequest,
    params(("id" = i64, Path, description = "interview id")),
    responses((status = 200, description = "OK", body = FeedbackView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`loop_not_scheduled`, `loop_closed`, `already_submitted`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn save_draft(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<InterviewId>,
    body: Json<DraftRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = parse_draft(body.into_inner())?;
    let read = feedback::save_draft(&state.db, caller, id.into_inner(), draft).await?;
    Ok(HttpResponse::Ok().json(FeedbackView::new(read, true)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SubmitRequest {
    #[serde(default)]
    attest_no_discussion: bool,
}

/// `POST /interviews/{id}/feedback/submit` (its interviewer).
#[utoipa::path(
    post,
    path = "/api/v1/interviews/{id}/feedback/submit",
    tag = "feedback",
    summary = "Submit one's feedback",
    request_body = SubmitRequest,
    params(("id" = i64, Path, description = "interview id")),
    responses((status = 200, description = "OK", body = FeedbackView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`interview_not_started`, `already_submitted`, `loop_not_scheduled`, `loop_closed`", body = Problem), (status = 422, description = "`validation_failed`: every missing field (`ratings.<competency_id>.rating`, …)", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<InterviewId>,
    body: Json<SubmitRequest>,
) -> Result<HttpResponse, ApiError> {
    let read = feedback::submit(
        &state.db,
        &state.links,
        &user.0,
        id.into_inner(),
        body.attest_no_discussion,
    )
    .await?;
    Ok(HttpResponse::Ok().json(FeedbackView::new(read, true)))
}

/// The submitted feedback of a loop.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedbackList {
    items: Vec<FeedbackView>,
}

/// `GET /loops/{id}/feedback`: the submitted feedback, behind the blind rule.
#[utoipa::path(
    get,
    path = "/api/v1/loops/{id}/feedback",
    tag = "feedback",
    summary = "The loop's submitted feedback (blind rule)",
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = FeedbackList), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`submit_own_feedback_first`, `debrief_not_open`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn for_loop(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let items: Vec<FeedbackView> = feedback::for_loop(&state.db, &user.0, id.into_inner())
        .await?
        .into_iter()
        .map(|f| FeedbackView::new(f, false))
        .collect();
    Ok(HttpResponse::Ok().json(FeedbackList { items }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyInterviewView {
    interview_id: i64,
    loop_id: i64,
    loop_status: String,
    candidate_name: String,
    role_title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    feedback_due_at: DateTime<Utc>,
    feedback_status: FeedbackStatus,
    overdue: bool,
}

impl From<MyInterview> for MyInterviewView {
    fn from(m: MyInterview) -> Self {
        Self {
            interview_id: m.row.interview_id,
            loop_id: m.row.loop_id,
            loop_status: m.row.loop_status,
            candidate_name: m.candidate_name,
            role_title: m.role_title,
            starts_at: utc(m.row.starts_at),
            ends_at: utc(m.row.ends_at),
            feedback_due_at: utc(m.row.feedback_due_at),
            feedback_status: m.feedback_status,
            overdue: m.overdue,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct MyInterviewsQuery {
    status: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /me/interviews?status=upcoming|feedback_due|done`: soonest first.
#[utoipa::path(
    get,
    path = "/api/v1/me/interviews",
    tag = "feedback",
    summary = "The caller's interviews, soonest first",
    params(("status" = inline(Option<MineStatus>), Query, description = "`upcoming`, `feedback_due` or `done`"), ("limit" = Option<i64>, Query, description = "1 to 200, default 50"), ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, description = "OK", body = List<MyInterviewView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn my_interviews(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<MyInterviewsQuery>,
) -> Result<HttpResponse, ApiError> {
    let (page, after, filter) = (
        Page::parse(query.limit.as_deref(), None),
        MineCursor::parse(query.cursor.as_deref()),
        feedback::parse_mine_filter(query.status.as_deref()),
    )
        .all_valid()?;
    let mine =
        feedback::my_interviews(&state.db, caller, filter, page.limit, after, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(List {
        items: mine.items.into_iter().map(MyInterviewView::from).collect(),
        next_cursor: mine.next.map(|c| c.encode()),
    }))
}

/// Which of one's interviews `GET /me/interviews` lists (the strings `parse_mine_filter` reads).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // named in the document only
pub enum MineStatus {
    Upcoming,
    FeedbackDue,
    Done,
}
