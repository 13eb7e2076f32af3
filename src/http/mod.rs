//! The HTTP edge: one route table, the extractor configurations that turn bad
//! input into problem+json, security headers, and one file per resource.

mod auth;
mod candidates;
mod competencies;
mod health;
mod loop_events;
mod loops;
mod me;
mod outbox;
mod pagination;
mod requisitions;
mod users;

use actix_web::error::JsonPayloadError;
use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpResponse, Resource, web};
use serde::{Deserialize, Deserializer};

use crate::error::ApiError;

pub use pagination::{List, Page, parse_flag};
pub use users::UserView;

/// Request bodies larger than this get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/healthz").route(web::get().to(health::healthz)))
        .service(resource("/readyz").route(web::get().to(health::readyz)))
        .service(
            web::scope("/api/v1")
                .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store")))
                .service(resource("/auth/login").route(web::post().to(auth::login)))
                .service(resource("/me").route(web::get().to(me::get_me)))
                .service(resource("/me/password").route(web::post().to(me::change_password)))
                .service(
                    resource("/users")
                        .route(web::get().to(users::list_users))
                        .route(web::post().to(users::create_user)),
                )
                .service(
                    resource("/users/{id}")
                        .route(web::get().to(users::get_user))
                        .route(web::patch().to(users::update_user)),
                )
                .service(
                    resource("/users/{id}/bar-raiser").route(web::put().to(users::set_bar_raiser)),
                )
                .service(
                    resource("/competencies")
                        .route(web::get().to(competencies::list_competencies))
                        .route(web::post().to(competencies::create_competency)),
                )
                .service(
                    resource("/competencies/{id}")
                        .route(web::get().to(competencies::get_competency))
                        .route(web::patch().to(competencies::update_competency)),
                )
                .service(
                    resource("/requisitions")
                        .route(web::get().to(requisitions::list_requisitions))
                        .route(web::post().to(requisitions::create_requisition)),
                )
                .service(
                    resource("/requisitions/{id}")
                        .route(web::get().to(requisitions::get_requisition)),
                )
                .service(
                    resource("/candidates").route(web::post().to(candidates::create_candidate)),
                )
                .service(
                    resource("/candidates/{id}")
                        .route(web::get().to(candidates::get_candidate))
                        .route(web::delete().to(candidates::erase_candidate)),
                )
                .service(
                    resource("/loops")
                        .route(web::get().to(loops::list_loops))
                        .route(web::post().to(loops::create_loop)),
                )
                .service(
                    resource("/loops/{id}")
                        .route(web::get().to(loops::get_loop))
                        .route(web::patch().to(loops::update_loop)),
                )
                .service(
                    resource("/loops/{id}/schedule").route(web::post().to(loops::schedule_loop)),
                )
                .service(resource("/loops/{id}/cancel").route(web::post().to(loops::cancel_loop)))
                .service(
                    resource("/loops/{id}/independence")
                        .route(web::get().to(loops::get_independence)),
                )
                .service(
                    resource("/loops/{id}/bar-raiser-suggestions")
                        .route(web::get().to(loops::get_bar_raiser_suggestions)),
                )
                .service(
                    resource("/loops/{id}/events").route(web::get().to(loop_events::list_events)),
                )
                .service(
                    resource("/loops/{id}/events/verify")
                        .route(web::get().to(loop_events::verify_events)),
                )
                .service(resource("/admin/outbox").route(web::get().to(outbox::list_outbox)))
                .service(
                    resource("/admin/outbox/{id}/retry")
                        .route(web::post().to(outbox::retry_message)),
                ),
        )
        .default_service(web::to(not_found));
}

/// A resource whose unsupported methods get a 405 problem.
fn resource(path: &str) -> Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

async fn method_not_allowed() -> Result<HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed)
}

/// `X-Content-Type-Options`, `Content-Security-Policy` on every response.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"))
        .add((header::REFERRER_POLICY, "no-referrer"))
}

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_BODY_BYTES)
        .error_handler(|err, _req| {
            match err {
                JsonPayloadError::OverflowKnownLength { .. }
                | JsonPayloadError::Overflow { .. } => ApiError::PayloadTooLarge,
                JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
                JsonPayloadError::Deserialize(e) => {
                    ApiError::BadRequest(format!("The JSON body is not valid: {e}."))
                }
                _ => ApiError::BadRequest("The request body could not be read.".into()),
            }
            .into()
        })
}

/// A path that does not parse (e.g. `/users/abc`) names nothing: 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into())
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| {
        ApiError::BadRequest(format!("The query string is not valid: {err}.")).into()
    })
}

/// For PATCH bodies: a missing field is `None`, an explicit `null` is `Some(None)`.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Timestamps leave the service as RFC 3339 in UTC.
pub fn utc(at: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    at.and_utc()
}
