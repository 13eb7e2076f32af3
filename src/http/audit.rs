//! The organisation's audit trail (admins): `GET /admin/audit`, its
//! verification and its CSV export.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{CurrentUser, List, utc};
use crate::domain::Page;
use crate::error::AllValid;
use crate::http::problem::{ApiError, Problem};
use crate::services::chain::Verification;
use crate::services::org_audit::{self, AuditQuery, OrgEvent};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrgEventView {
    id: i64,
    seq: i64,
    /// The admin who acted; null for the service itself (the first admin's creation).
    actor_id: Option<i64>,
    #[schema(value_type = OrgEventKindSchema)]
    kind: String,
    #[schema(value_type = SubjectTypeSchema)]
    subject_type: String,
    subject_id: Option<i64>,
    /// What changed: for people and competencies `changes` holds `{field: {from, to}}`.
    data: Value,
    at: DateTime<Utc>,
    prev_hash: String,
    hash: String,
}

impl From<OrgEvent> for OrgEventView {
    fn from(e: OrgEvent) -> Self {
        Self {
            id: e.id,
            seq: e.seq,
            actor_id: e.actor_id,
            kind: e.kind,
            subject_type: e.subject_type,
            subject_id: e.subject_id,
            data: serde_json::from_str(&e.data).unwrap_or(Value::String(e.data)),
            at: utc(e.at),
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

/// The kinds of event on the organisation's trail.
#[derive(utoipa::ToSchema)]
#[schema(as = OrgEventKind, rename_all = "snake_case")]
#[allow(dead_code)] // named in the document only
pub enum OrgEventKindSchema {
    PersonAdded,
    PersonChanged,
    BarRaiserSet,
    PeopleImported,
    CompetencyAdded,
    CompetencyChanged,
    MailRetried,
    ApiKeyCreated,
    ApiKeyRevoked,
    WebhookCreated,
    WebhookChanged,
    WebhookDeleted,
}

/// What an event of the organisation's trail is about.
#[derive(utoipa::ToSchema)]
#[schema(as = OrgSubjectType, rename_all = "snake_case")]
#[allow(dead_code)] // named in the document only
pub enum SubjectTypeSchema {
    User,
    Competency,
    Message,
    Webhook,
    Organisation,
}

#[derive(Debug, Deserialize)]
pub struct AuditListQuery {
    #[serde(flatten)]
    filters: AuditQuery,
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /admin/audit` (admin): the organisation's trail, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit",
    tag = "admin",
    summary = "The organisation's audit trail, newest first (admin)",
    params(
        ("kind" = inline(Option<OrgEventKindSchema>), Query, description = "one kind of event"),
        ("actor_id" = Option<i64>, Query, description = "events by this admin"),
        ("subject_type" = inline(Option<SubjectTypeSchema>), Query, description = "events about people, competencies, messages, webhooks or the organisation"),
        ("subject_id" = Option<i64>, Query, description = "events about this person, competency, message or webhook"),
        ("from" = Option<String>, Query, description = "RFC 3339: events at or after"),
        ("to" = Option<String>, Query, description = "RFC 3339: events before"),
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")
    ),
    responses((status = 200, description = "OK", body = List<OrgEventView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_audit(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<AuditListQuery>,
) -> Result<HttpResponse, ApiError> {
    let (page, filter) = (
        Page::parse(query.limit.as_deref(), query.cursor.as_deref()),
        query.filters.parse(),
    )
        .all_valid()?;
    let listing = org_audit::list(&state.db, &user.0, filter, page).await?;
    Ok(HttpResponse::Ok().json(List::of(listing, OrgEventView::from)))
}

/// `GET /admin/audit/verify` (admin): the organisation's chain recomputed.
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit/verify",
    tag = "admin",
    summary = "The organisation's audit chain recomputed (admin)",
    responses((status = 200, description = "OK: `ok` false names the first event that does not match", body = Verification), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn verify_audit(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let verification = org_audit::verify(&state.db, &user.0).await?;
    Ok(HttpResponse::Ok().json(verification))
}

/// `GET /admin/audit/export` (admin): the trail as CSV, with the same filters.
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit/export",
    tag = "admin",
    summary = "The organisation's audit trail as CSV, newest first (admin)",
    params(
        ("kind" = inline(Option<OrgEventKindSchema>), Query, description = "one kind of event"),
        ("actor_id" = Option<i64>, Query, description = "events by this admin"),
        ("subject_type" = inline(Option<SubjectTypeSchema>), Query, description = "events about people, competencies, messages, webhooks or the organisation"),
        ("subject_id" = Option<i64>, Query, description = "events about this person, competency, message or webhook"),
        ("from" = Option<String>, Query, description = "RFC 3339: events at or after"),
        ("to" = Option<String>, Query, description = "RFC 3339: events before")
    ),
    responses((status = 200, description = "RFC 4180 CSV: seq, at, actor_id, kind, subject_type, subject_id, data, prev_hash, hash", content_type = "text/csv", body = String), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn export_audit(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = query.parse()?;
    let events = org_audit::export(&state.db, &user.0, filter).await?;
    Ok(csv_download("audit.csv", org_audit::to_csv(&events)?))
}

/// A CSV body offered as a download named `name`.
pub fn csv_download(name: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;

    use super::OrgEventKindSchema;
    use crate::services::org_audit::OrgEventKind;

    #[test]
    fn the_documented_kinds_of_the_organisations_trail_are_the_kinds_it_records() {
        let schema = serde_json::to_value(OrgEventKindSchema::schema()).unwrap();
        let documented: Vec<&str> = schema["enum"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        let recorded: Vec<&str> = OrgEventKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(documented, recorded);
    }
}
