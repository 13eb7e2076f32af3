//! The audit log of a loop: `GET /loops/{id}/events` and its verification.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{CurrentUser, List, utc};
use crate::domain::{LoopId, Page};
use crate::http::problem::{ApiError, Problem};
use crate::services::hiring::audit::{self, LoopEvent, Verification};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    id: i64,
    seq: i64,
    actor_id: Option<i64>,
    kind: String,
    data: Value,
    at: DateTime<Utc>,
    prev_hash: String,
    hash: String,
}

impl From<LoopEvent> for EventView {
    fn from(e: LoopEvent) -> Self {
        Self {
            id: e.id,
            seq: e.seq,
            actor_id: e.actor_id,
            kind: e.kind,
            data: serde_json::from_str(&e.data).unwrap_or(Value::String(e.data)),
            at: utc(e.at),
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /loops/{id}/events` (participants, admin): the audit log, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/loops/{id}/events",
    tag = "loops",
    summary = "The loop's audit log, oldest first",
    params(("id" = i64, Path, description = "loop id"), ("limit" = Option<i64>, Query, description = "1 to 200, default 50"), ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, description = "OK", body = List<EventView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_events(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    query: web::Query<EventsQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = Page::parse(query.limit.as_deref(), query.cursor.as_deref())?;
    let listing = audit::events(&state.db, &user.0, id.into_inner(), page).await?;
    Ok(HttpResponse::Ok().json(List::of(listing, EventView::from)))
}

/// `GET /loops/{id}/events/verify` (participants, admin): the hash chain recomputed.
#[utoipa::path(
    get,
    path = "/api/v1/loops/{id}/events/verify",
    tag = "loops",
    summary = "Recompute the log's hash chain",
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = Verification), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn verify_events(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let verification = audit::verify_chain(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(verification))
}
