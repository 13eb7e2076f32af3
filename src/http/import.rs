//! `POST /users/import` (admin): people from a CSV file, all or none.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::CurrentUser;
use super::csv_body::CsvBody;
use crate::domain::parse_flag;
use crate::http::problem::{ApiError, Problem};
use crate::services::hiring::independence::TurnedRed;
use crate::services::people::{self, ImportOutcome};
use crate::state::AppState;

/// A rule an open loop would fail, or fails, after the import.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FailingRule {
    rule: &'static str,
    detail: String,
}

/// An open loop the import turns red, by candidate and role.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TurnedRedView {
    loop_id: i64,
    candidate: String,
    role: String,
    failing: Vec<FailingRule>,
}

impl From<TurnedRed> for TurnedRedView {
    fn from(t: TurnedRed) -> Self {
        Self {
            loop_id: t.loop_id,
            candidate: t.candidate,
            role: t.role,
            failing: t
                .failing
                .into_iter()
                .map(|(rule, detail)| FailingRule { rule, detail })
                .collect(),
        }
    }
}

/// What an import did (or, with `dry_run`, would do: nothing is written).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportView {
    dry_run: bool,
    rows: usize,
    /// New people, each mailed an invitation.
    created: usize,
    /// Existing people (by email) whose name, role, manager or department changed.
    updated: usize,
    unchanged: usize,
    loops_turned_red: Vec<TurnedRedView>,
}

impl From<ImportOutcome> for ImportView {
    fn from(o: ImportOutcome) -> Self {
        Self {
            dry_run: o.dry_run,
            rows: o.rows,
            created: o.created,
            updated: o.updated,
            unchanged: o.unchanged,
            loops_turned_red: o.turned_red.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    dry_run: Option<String>,
}

/// `POST /users/import?dry_run=` (admin).
#[utoipa::path(
    post,
    path = "/api/v1/users/import",
    tag = "people",
    summary = "Import people from CSV, all rows or none (admin)",
    description = "A `text/csv` body with the header line `name,email,role,manager_email,department` (in any order; `manager_email` and `department` may be empty). Every row is checked before anything is written; a file with problems gets 422 `import_invalid` with every problem and its line in `problems`. Otherwise every row is applied in one transaction: new people are mailed an invitation, existing people (by email) are updated, and managers may appear after their reports. With `dry_run=true` nothing is written and the answer says what would happen, the open loops the file would turn red included.",
    params(("dry_run" = Option<bool>, Query, description = "true: check and rehearse, write nothing")),
    request_body(content = String, content_type = "text/csv", description = "name,email,role,manager_email,department"),
    responses((status = 200, description = "Imported (or rehearsed)", body = ImportView), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 422, description = "`import_invalid`: `problems` lists each `{line, column, message}`; `validation_failed` for a bad `dry_run`", body = Problem), (status = 400, description = "`malformed_request`: the body could not be read", body = Problem), (status = 413, description = "`payload_too_large`: a body over 4 MiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `text/csv`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn import_users(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ImportQuery>,
    body: CsvBody,
) -> Result<HttpResponse, ApiError> {
    let dry_run = parse_flag("dry_run", query.dry_run.as_deref())?.unwrap_or(false);
    let outcome = people::import(
        &state.db,
        &state.passwords,
        &state.links,
        &user.0,
        body.0,
        dry_run,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ImportView::from(outcome)))
}
