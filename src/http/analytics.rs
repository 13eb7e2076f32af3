use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;

use super::CurrentUser;
use crate::http::problem::{ApiError, Problem};
use crate::services::analytics::{self, Calibration, Process, parse_period};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /metrics/process?from=&to=` (recruiters and admins).
#[utoipa::path(
    get,
    path = "/api/v1/metrics/process",
    tag = "analytics",
    summary = "The hiring process's input metrics for a period (recruiters, admins)",
    params(
        ("from" = Option<String>, Query, description = "RFC 3339; default 90 days before `to`; a submission at `from` counts"),
        ("to" = Option<String>, Query, description = "RFC 3339; default now; one at `to` does not")
    ),
    responses(
        (status = 200, description = "OK", body = Process),
        (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem),
        (status = 403, description = "`recruiter_only`", body = Problem),
        (status = 422, description = "`validation_failed`: an unparsable or reversed period", body = Problem),
        (status = 503, description = "`unavailable`", body = Problem)
    ),
)]
pub async fn process(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let (from, to) = parse_period(query.from.as_deref(), query.to.as_deref(), Utc::now())?;
    let figures = analytics::process(&state.db, state.analytics, &user.0, from, to).await?;
    Ok(HttpResponse::Ok().json(figures))
}

/// `GET /metrics/calibration?from=&to=` (admins and certified bar raisers).
#[utoipa::path(
    get,
    path = "/api/v1/metrics/calibration",
    tag = "analytics",
    summary = "Interviewer calibration: Krippendorff's alpha and each interviewer's ratings (admins, certified bar raisers)",
    params(
        ("from" = Option<String>, Query, description = "RFC 3339; default 90 days before `to`"),
        ("to" = Option<String>, Query, description = "RFC 3339; default now")
    ),
    responses(
        (status = 200, description = "OK", body = Calibration),
        (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem),
        (status = 403, description = "`calibration_restricted`", body = Problem),
        (status = 422, description = "`validation_failed`: an unparsable or reversed period", body = Problem),
        (status = 503, description = "`unavailable`", body = Problem)
    ),
)]
pub async fn calibration(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let (from, to) = parse_period(query.from.as_deref(), query.to.as_deref(), Utc::now())?;
    let figures = analytics::calibration(&state.db, state.analytics, &user.0, from, to).await?;
    Ok(HttpResponse::Ok().json(figures))
}

/// `GET /metrics/validity?from=&to=` (admins).
#[utoipa::path(
    get,
    path = "/api/v1/metrics/validity",
    tag = "analytics",
    summary = "Predictive validity: how the interviews' figures relate to hires' later performance ratings (admins)",
    description = "For the hires decided in the period that have a `performance_rating` outcome (their latest): Pearson's r with its 95 % interval (Fisher z) and Spearman's rho between that rating and the composite's vote score, each competency's mean rating, and each interviewer's ratings (interviewers with ten such hires or more). Below 20 pairs a predictor says `insufficient_data` and gives no figure. `range_restricted` is always true: only hires have outcomes, and the figures are not corrected for it.",
    params(
        ("from" = Option<String>, Query, description = "RFC 3339; default 365 days before `to`; a decision at `from` counts"),
        ("to" = Option<String>, Query, description = "RFC 3339; default now; one at `to` does not")
    ),
    responses(
        (status = 200, description = "OK", body = crate::services::analytics::validity::Validity),
        (status = 401, description = "`unauthenticated` (no Bearer token) or `invalid_token`", body = Problem),
        (status = 403, description = "`admin_only`", body = Problem),
        (status = 422, description = "`validation_failed`: an unparsable or reversed period", body = Problem),
        (status = 503, description = "`unavailable`", body = Problem)
    ),
)]
pub async fn validity(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    use crate::services::analytics::validity::{self, DEFAULT_DAYS};
    let (from, to) = analytics::parse_period_of(
        query.from.as_deref(),
        query.to.as_deref(),
        Utc::now(),
        DEFAULT_DAYS,
    )?;
    let report = validity::validity(&state.db, &user.0, from, to).await?;
    Ok(HttpResponse::Ok().json(report))
}
