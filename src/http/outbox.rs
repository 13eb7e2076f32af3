use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{List, Page, utc};
use crate::auth::CurrentUser;
use crate::db::now;
use crate::db::outbox::{self, OutboxEntry};
use crate::error::{AllValid, ApiError};
use crate::mail::GIVE_UP_AFTER;
use crate::state::AppState;

#[derive(Debug, Serialize)]
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
pub async fn list_outbox(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListOutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    let query = query.into_inner();
    let status = match query.status.as_deref() {
        None => Ok(None),
        Some(s @ (outbox::PENDING | outbox::SENT | outbox::FAILED)) => Ok(Some(s.to_owned())),
        Some(_) => Err(ApiError::field("status", "must be pending, sent or failed")),
    };
    let (page, status) = (
        Page::parse(query.limit.as_deref(), query.cursor.as_deref()),
        status,
    )
        .all_valid()?;
    let rows = state
        .db
        .run(move |c| {
            Ok(outbox::list(
                c,
                status.as_deref(),
                page.after,
                page.fetch(),
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(List::from_rows(rows, page, |r| r.id, OutboxView::from)))
}

/// `POST /admin/outbox/{id}/retry` (admin): a failed message goes back in the queue.
pub async fn retry_message(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    user.require_admin()?;
    let id = id.into_inner();
    let entry = state
        .db
        .write(move |c| {
            let entry = outbox::find(c, id)?.ok_or(ApiError::NotFound)?;
            if !outbox::retry_failed(c, id, now() + GIVE_UP_AFTER)? {
                return Err(ApiError::conflict(
                    "not_failed",
                    format!(
                        "Only failed messages can be retried; this one is {}.",
                        entry.status
                    ),
                ));
            }
            outbox::find(c, id)?.ok_or(ApiError::NotFound)
        })
        .await?;
    tracing::info!(outbox.id = id, by = user.0.id, "failed mail queued again");
    Ok(HttpResponse::Ok().json(OutboxView::from(entry)))
}
