use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json::Json;
use super::pagination::List;
use super::{CurrentUser, utc};
use crate::domain::{DomainError, OneLine, Page};
use crate::error::AllValid;
use crate::http::problem::{ApiError, Problem};
use crate::services::webhooks::{
    self, DESCRIPTION_MAX, DeliveryView, EventType, NewWebhook, WebhookPatch, WebhookView,
};
use crate::state::AppState;

/// The events an endpoint may subscribe to.
#[derive(utoipa::ToSchema)]
#[schema(as = WebhookEvent)]
#[allow(dead_code)] // named in the document only
pub enum WebhookEventSchema {
    #[schema(rename = "loop.scheduled")]
    LoopScheduled,
    #[schema(rename = "loop.flagged")]
    LoopFlagged,
    #[schema(rename = "loop.cleared")]
    LoopCleared,
    #[schema(rename = "loop.cancelled")]
    LoopCancelled,
    #[schema(rename = "feedback.submitted")]
    FeedbackSubmitted,
    #[schema(rename = "debrief.opened")]
    DebriefOpened,
    #[schema(rename = "debrief.closed")]
    DebriefClosed,
    #[schema(rename = "decision.recorded")]
    DecisionRecorded,
    #[schema(rename = "person.created")]
    PersonCreated,
    #[schema(rename = "person.deactivated")]
    PersonDeactivated,
}

/// A webhook endpoint (never its secret).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookEndpointView {
    id: i64,
    url: String,
    description: Option<String>,
    #[schema(value_type = Vec<WebhookEventSchema>)]
    events: Vec<&'static str>,
    /// A paused endpoint is sent nothing, and no event is kept for it.
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<WebhookView> for WebhookEndpointView {
    fn from(w: WebhookView) -> Self {
        Self {
            id: w.id,
            url: w.url,
            description: w.description,
            events: w.events.into_iter().map(EventType::as_str).collect(),
            active: w.active,
            created_at: utc(w.created_at),
            updated_at: utc(w.updated_at),
        }
    }
}

/// An endpoint with its secret: shown when it is made and when it is rotated, never again.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    endpoint: WebhookEndpointView,
    /// `whsec_` and base64: verify `webhook-signature` with it (Standard Webhooks).
    secret: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateWebhookRequest {
    /// `https`, resolving to public addresses.
    #[schema(max_length = 2000)]
    url: String,
    #[schema(value_type = Vec<WebhookEventSchema>, min_items = 1)]
    events: Vec<String>,
    #[schema(max_length = 200)]
    description: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ChangeWebhookRequest {
    #[schema(value_type = Option<Vec<WebhookEventSchema>>, min_items = 1)]
    events: Option<Vec<String>>,
    /// false pauses the endpoint; true resumes it.
    active: Option<bool>,
    /// true gives the endpoint a new secret, in this answer only.
    rotate_secret: Option<bool>,
}

/// One attempt at a delivery.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookAttemptView {
    attempted_at: DateTime<Utc>,
    /// The receiver's status code; none on a timeout or a refused address.
    response_code: Option<i32>,
    duration_ms: i64,
    error: Option<String>,
}

/// One event for one endpoint, with every attempt at it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookDeliveryView {
    id: i64,
    /// `webhook-id`: the same on every retry.
    message_id: String,
    #[schema(value_type = WebhookEventSchema)]
    event_type: String,
    /// `pending`, `delivered` or `failed` (after the last retry).
    status: String,
    attempts: i64,
    /// When the next attempt is due (pending deliveries).
    next_attempt_at: Option<DateTime<Utc>>,
    last_response_code: Option<i32>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
    /// The body as sent: `{type, timestamp, data}`.
    payload: Value,
    attempt_log: Vec<WebhookAttemptView>,
}

impl From<DeliveryView> for WebhookDeliveryView {
    fn from(v: DeliveryView) -> Self {
        let d = v.delivery;
        Self {
            next_attempt_at: (d.status == crate::db::webhooks::PENDING)
                .then(|| utc(d.next_attempt_at)),
            payload: serde_json::from_str(&d.payload).unwrap_or(Value::Null),
            id: d.id,
            message_id: d.message_id,
            event_type: d.event_type,
            status: d.status,
            attempts: d.attempts,
            last_response_code: d.last_response_code,
            last_error: d.last_error,
            created_at: utc(d.created_at),
            delivered_at: d.delivered_at.map(utc),
            attempt_log: v
                .attempts
                .into_iter()
                .map(|a| WebhookAttemptView {
                    attempted_at: utc(a.attempted_at),
                    response_code: a.response_code,
                    duration_ms: a.duration_ms,
                    error: a.error,
                })
                .collect(),
        }
    }
}

fn description(raw: Option<&str>) -> Result<Option<OneLine>, DomainError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => OneLine::parse("description", text, DESCRIPTION_MAX).map(Some),
    }
}

/// `POST /webhooks` (admin).
#[utoipa::path(
    post,
    path = "/api/v1/webhooks",
    tag = "admin",
    summary = "Register a webhook endpoint (admin): its secret is in this answer only",
    request_body = CreateWebhookRequest,
    responses((status = 201, description = "Created", body = WebhookWithSecret), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`; `webhook_url_refused`: not https, or resolving to a private, loopback or link-local address", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn create_webhook(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (events, description) = (
        EventType::parse_list(&body.events),
        description(body.description.as_deref()),
    )
        .all_valid()?;
    let new = NewWebhook {
        url: body.url,
        events,
        description,
    };
    let (endpoint, secret) = webhooks::create(&state.db, state.webhooks, &user.0, new).await?;
    Ok(HttpResponse::Created().json(WebhookWithSecret {
        endpoint: endpoint.into(),
        secret,
    }))
}

/// `GET /webhooks` (admin).
#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    tag = "admin",
    summary = "The webhook endpoints (admin), oldest first, never their secrets",
    responses((status = 200, description = "OK", body = Vec<WebhookEndpointView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let list = webhooks::list(&state.db, &user.0).await?;
    Ok(HttpResponse::Ok().json(
        list.into_iter()
            .map(WebhookEndpointView::from)
            .collect::<Vec<_>>(),
    ))
}

/// `PATCH /webhooks/{id}` (admin).
#[utoipa::path(
    patch,
    path = "/api/v1/webhooks/{id}",
    tag = "admin",
    summary = "Change a webhook endpoint's events, pause or resume it, or rotate its secret (admin)",
    params(("id" = i64, Path, description = "endpoint id")),
    request_body = ChangeWebhookRequest,
    responses((status = 200, description = "OK: with `secret` when it was rotated", body = WebhookWithSecret), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn change_webhook(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: Json<ChangeWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let events = body
        .events
        .as_deref()
        .map(EventType::parse_list)
        .transpose()?;
    let patch = WebhookPatch {
        events,
        active: body.active,
        rotate_secret: body.rotate_secret.unwrap_or(false),
    };
    let (endpoint, secret) = webhooks::change(&state.db, &user.0, id.into_inner(), patch).await?;
    let endpoint = WebhookEndpointView::from(endpoint);
    Ok(match secret {
        Some(secret) => HttpResponse::Ok().json(WebhookWithSecret { endpoint, secret }),
        None => HttpResponse::Ok().json(endpoint),
    })
}

/// `DELETE /webhooks/{id}` (admin).
#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/{id}",
    tag = "admin",
    summary = "Remove a webhook endpoint with its deliveries (admin)",
    params(("id" = i64, Path, description = "endpoint id")),
    responses((status = 204, description = "Removed"), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    webhooks::delete(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize)]
pub struct DeliveriesQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /webhooks/{id}/deliveries` (admin).
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/{id}/deliveries",
    tag = "admin",
    summary = "A webhook endpoint's deliveries in the order they were created, each with its attempts (admin)",
    params(
        ("id" = i64, Path, description = "endpoint id"),
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")
    ),
    responses((status = 200, description = "OK", body = List<WebhookDeliveryView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    query: web::Query<DeliveriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = Page::parse(query.limit.as_deref(), query.cursor.as_deref())?;
    let listing = webhooks::deliveries(&state.db, &user.0, id.into_inner(), page).await?;
    Ok(HttpResponse::Ok().json(List::of(listing, WebhookDeliveryView::from)))
}
