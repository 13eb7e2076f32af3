use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::csv_body::CsvBody;
use super::json::Json;
use super::{CurrentUser, utc};
use crate::domain::outcome::{GivenValue, Outcome, OutcomeKind};
use crate::domain::{LoopId, parse_flag};
use crate::http::problem::{ApiError, Problem};
use crate::services::outcomes::{self, OutcomeView as Recorded};
use crate::state::AppState;

/// An outcome of a hire.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutcomeView {
    id: i64,
    loop_id: i64,
    kind: OutcomeKind,
    /// A performance rating from 1 to 5; for the others `true` or `false`.
    #[schema(value_type = Object)]
    value: Value,
    observed_at: NaiveDate,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

impl From<Recorded> for OutcomeView {
    fn from(o: Recorded) -> Self {
        Self {
            value: match o.kind {
                OutcomeKind::PerformanceRating => serde_json::json!(o.value),
                _ => Value::Bool(o.value != 0.0),
            },
            id: o.id,
            loop_id: o.loop_id,
            kind: o.kind,
            observed_at: o.observed_at,
            recorded_by: o.recorded_by,
            recorded_at: utc(o.recorded_at),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RecordOutcomeRequest {
    #[schema(value_type = OutcomeKind)]
    kind: String,
    /// A number from 1 to 5 for `performance_rating`; `true` or `false` for the others.
    #[schema(value_type = Object)]
    value: Value,
    /// `YYYY-MM-DD`, not in the future nor before the decision.
    #[schema(value_type = String, format = Date)]
    observed_at: String,
}

fn given(value: &Value) -> GivenValue<'_> {
    match value {
        Value::Number(n) => n.as_f64().map_or(GivenValue::Text(""), GivenValue::Number),
        Value::Bool(b) => GivenValue::Flag(*b),
        // Text is not taken for a number or a flag in JSON.
        _ => GivenValue::Text(""),
    }
}

/// `POST /loops/{id}/outcomes`.
#[utoipa::path(
    post,
    path = "/api/v1/loops/{id}/outcomes",
    tag = "outcomes",
    summary = "Record an outcome of a hire (the loop's recruiter, admins)",
    params(("id" = i64, Path, description = "loop id")),
    request_body = RecordOutcomeRequest,
    responses((status = 201, description = "Recorded", body = OutcomeView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`not_allowed`: the caller sees the loop but does not record its outcomes", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 409, description = "`not_hired`: the loop did not end in a hire", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn record_outcome(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
    body: Json<RecordOutcomeRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let today = crate::db::now().date();
    let outcome = match OutcomeKind::parse("kind", &body.kind) {
        Ok(kind) => Outcome::parse(kind, given(&body.value), &body.observed_at, today)?,
        Err(kind) => {
            // The date is checked too, so every problem is named at once.
            let date = Outcome::parse(
                OutcomeKind::StillEmployed,
                GivenValue::Flag(true),
                &body.observed_at,
                today,
            )
            .err();
            return Err(crate::domain::merge(std::iter::once(kind).chain(date)).into());
        }
    };
    let recorded = outcomes::record(&state.db, &user.0, id.into_inner(), outcome).await?;
    Ok(HttpResponse::Created().json(OutcomeView::from(recorded)))
}

/// `GET /loops/{id}/outcomes`.
#[utoipa::path(
    get,
    path = "/api/v1/loops/{id}/outcomes",
    tag = "outcomes",
    summary = "A hire's outcomes, as observed (the recruiter, the hiring manager, admins)",
    params(("id" = i64, Path, description = "loop id")),
    responses((status = 200, description = "OK", body = Vec<OutcomeView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`not_allowed`: the caller sees the loop but not its outcomes (the panel)", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_outcomes(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<LoopId>,
) -> Result<HttpResponse, ApiError> {
    let list = outcomes::list(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(OutcomeView::from).collect::<Vec<_>>()))
}

#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    dry_run: Option<String>,
}

/// What an outcomes import did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutcomesImported {
    dry_run: bool,
    /// The outcomes recorded (or, rehearsed, that would be).
    rows: usize,
}

/// `POST /outcomes/import`.
#[utoipa::path(
    post,
    path = "/api/v1/outcomes/import",
    tag = "outcomes",
    summary = "Import outcomes from CSV, all rows or none (recruiters for their loops, admins)",
    description = "A `text/csv` body with the header line `loop_id,kind,value,observed_at` (in any order). `value` is a number from 1 to 5 for `performance_rating` and yes/no (or true/false, 1/0) for the others. Every row is checked first, its loop included (one whose outcomes the caller records, ended in a hire, observed on or after the decision); a file with problems gets 422 `import_invalid` with each `{line, column, message}` in `problems`, and nothing is written.",
    params(("dry_run" = Option<bool>, Query, description = "true: check, write nothing")),
    request_body(content = String, content_type = "text/csv", description = "loop_id,kind,value,observed_at"),
    responses((status = 200, description = "Imported (or checked)", body = OutcomesImported), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`recruiter_only`", body = Problem), (status = 422, description = "`import_invalid`: `problems` lists each `{line, column, message}`; `validation_failed` for a bad `dry_run`", body = Problem), (status = 400, description = "`malformed_request`: the body could not be read", body = Problem), (status = 413, description = "`payload_too_large`: a body over 4 MiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `text/csv`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn import_outcomes(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ImportQuery>,
    body: CsvBody,
) -> Result<HttpResponse, ApiError> {
    let dry_run = parse_flag("dry_run", query.dry_run.as_deref())?.unwrap_or(false);
    let done = outcomes::import(&state.db, &user.0, body.0, dry_run).await?;
    Ok(HttpResponse::Ok().json(OutcomesImported {
        dry_run: done.dry_run,
        rows: done.rows,
    }))
}
