use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{CurrentUser, List, utc};
use crate::domain::{MessageId, Page};
use crate::error::AllValid;
use crate::http::problem::{ApiError, Problem};
use crate::services::outbox::{self as outbox, OutboxEntry};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutboxView {
    id: i64,
    kind: String,
    to: Vec<String>,
    cc: Vec<String>,
    subject: String,
    status: String,
    attempts: i64,
    next_attempt_at: DateTime<Utc>,
    last_error: Option<String>,
    give_up_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

impl From<OutboxEntry> for OutboxView {
    fn from(e: OutboxEntry) -> Self {
        let list = |json: &str| serde_json::from_str(json).unwrap_or_default();
        Self {
            id: e.id,
            kind: e.kind,
            to: list(&e.recipients),
            cc: list(&e.cc),
            subject: e.subject,
            status: e.status,
            attempts: e.attempts,
            next_attempt_at: utc(e.next_attempt_at),
            last_error: e.last_error,
            give_up_at: utc(e.give_up_at),
            created_at: utc(e.created_at),
            sent_at: e.sent_at.map(utc),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ListOutboxQuery {
    status: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /admin/outbox?status=pending|sent|failed` (admin).
#[utoipa::path(
    get,
    path = "/api/v1/admin/outbox",
    tag = "admin",
    summary = "The mail outbox (admin)",
    params(("status" = inline(Option<OutboxStatus>), Query, description = "pending, sent or failed"), ("limit" = Option<i64>, Query, description = "1 to 200, default 50"), ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, description = "OK", body = List<OutboxView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_outbox(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListOutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    let (page, status) = (
        Page::parse(query.limit.as_deref(), query.cursor.as_deref()),
        outbox::parse_status(query.status.as_deref()),
    )
        .all_valid()?;
    let listing = outbox::list(&state.db, &user.0, status, page).await?;
    Ok(HttpResponse::Ok().json(List::of(listing, OutboxView::from)))
}

/// `POST /admin/outbox/{id}/retry` (admin): a failed message goes back in the queue.
#[utoipa::path(
    post,
    path = "/api/v1/admin/outbox/{id}/retry",
    tag = "admin",
    summary = "Queue a failed message again (admin)",
    params(("id" = i64, Path, description = "message id")),
    responses((status = 200, description = "OK", body = OutboxView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`not_failed`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn retry_message(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<MessageId>,
) -> Result<HttpResponse, ApiError> {
    let entry = outbox::retry(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(OutboxView::from(entry)))
}

/// A message's state in the outbox (the strings `parse_status` reads).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // named in the document only
pub enum OutboxStatus {
    Pending,
    Sent,
    Failed,
}
