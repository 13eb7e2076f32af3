use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection;
use serde_json::json;

use crate::error::ApiError;
use crate::state::AppState;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The database answers.
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state
        .db
        .run(|c| {
            c.batch_execute("SELECT 1")
                .map_err(|e| ApiError::Unavailable(anyhow::Error::new(e)))
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "status": "ready" })))
}
