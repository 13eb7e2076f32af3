use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::json::Json;
use super::{CurrentUser, utc};
use crate::domain::{OneLine, Role};
use crate::error::AllValid;
use crate::http::problem::{ApiError, Problem};
use crate::services::api_keys::{self, KeyView, NewKey};
use crate::state::AppState;

/// An API key as it is listed: never the key itself.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiKeyView {
    id: i64,
    name: String,
    role: Role,
    /// The key's first characters, to recognise it (`brk_1a2b3c4d`).
    prefix: String,
    created_at: DateTime<Utc>,
    created_by: String,
    /// The last use, written down at most once a minute.
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    /// The key's own account: who the audit trails name when it acts.
    user_id: i64,
}

impl From<KeyView> for ApiKeyView {
    fn from(k: KeyView) -> Self {
        Self {
            id: k.id,
            name: k.name,
            role: k.role,
            prefix: k.prefix,
            created_at: utc(k.created_at),
            created_by: k.created_by,
            last_used_at: k.last_used_at.map(utc),
            revoked_at: k.revoked_at.map(utc),
            user_id: k.user_id,
        }
    }
}

/// A new key, with the key itself: shown this once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    key: ApiKeyView,
    /// `Authorization: Bearer <token>`; only its hash is kept.
    token: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateApiKeyRequest {
    #[schema(min_length = 1, max_length = 100)]
    name: String,
    #[schema(value_type = Role)]
    role: String,
}

/// `POST /api-keys` (admin).
#[utoipa::path(
    post,
    path = "/api/v1/api-keys",
    tag = "admin",
    summary = "Create an API key (admin): the key is in this answer only",
    request_body = CreateApiKeyRequest,
    responses((status = 201, description = "Created", body = CreatedApiKey), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 422, description = "`validation_failed`: every field problem, in `errors`", body = Problem), (status = 400, description = "`malformed_request`: the body is not JSON or a value has the wrong type", body = Problem), (status = 413, description = "`payload_too_large`: a body over 64 KiB", body = Problem), (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn create_key(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (name, role) = (
        OneLine::parse("name", &body.name, 100),
        body.role.parse::<Role>(),
    )
        .all_valid()?;
    let (key, token) = api_keys::create(&state.db, &user.0, NewKey { name, role }).await?;
    Ok(HttpResponse::Created().json(CreatedApiKey {
        key: key.into(),
        token,
    }))
}

/// `GET /api-keys` (admin): every key, newest first, without the keys.
#[utoipa::path(
    get,
    path = "/api/v1/api-keys",
    tag = "admin",
    summary = "The API keys (admin), newest first, never the keys themselves",
    responses((status = 200, description = "OK", body = Vec<ApiKeyView>), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn list_keys(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let keys = api_keys::list(&state.db, &user.0).await?;
    Ok(HttpResponse::Ok().json(keys.into_iter().map(ApiKeyView::from).collect::<Vec<_>>()))
}

/// `DELETE /api-keys/{id}` (admin): the key stops working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/api-keys/{id}",
    tag = "admin",
    summary = "Revoke an API key (admin): it stops working at once",
    params(("id" = i64, Path, description = "key id")),
    responses((status = 204, description = "Revoked (also when it already was)"), (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem), (status = 403, description = "`admin_only`", body = Problem), (status = 404, description = "`not_found`: no such object, or one the caller may not see", body = Problem), (status = 503, description = "`unavailable`: the database is unreachable or busy; retry after `Retry-After`", body = Problem)),
)]
pub async fn revoke_key(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    api_keys::revoke(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
