use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::json::Json;
use super::{CurrentUser, utc};
use crate::domain::{CandidateId, Email, PersonName, UserId};
use crate::error::AllValid;
use crate::hiring::candidates::{self, Candidate, NewPerson};
use crate::http::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct CandidateView {
    id: i64,
    name: String,
    email: String,
    referred_by_id: Option<i64>,
    erased: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Candidate> for CandidateView {
    fn from(c: Candidate) -> Self {
        Self {
            id: c.id,
            name: c.name,
            email: c.email,
            referred_by_id: c.referred_by_id,
            erased: c.erased_at.is_some(),
            created_at: utc(c.created_at),
            updated_at: utc(c.updated_at),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CreateCandidateRequest {
    name: String,
    email: String,
    referred_by_id: Option<UserId>,
}

/// `POST /candidates` (recruiter, admin).
pub async fn create_candidate(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateCandidateRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (name, email) = (
        PersonName::parse("name", &body.name),
        Email::parse("email", &body.email),
    )
        .all_valid()?;
    let new = NewPerson {
        name,
        email,
        referred_by_id: body.referred_by_id,
    };
    let created = candidates::create(&state.db, &user.0, new).await?;
    Ok(HttpResponse::Created().json(CandidateView::from(created)))
}

/// `GET /candidates/{id}`
pub async fn get_candidate(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CandidateId>,
) -> Result<HttpResponse, ApiError> {
    let candidate = candidates::get(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(CandidateView::from(candidate)))
}

/// `DELETE /candidates/{id}`: erases personal data (admin, the recruiter who
/// added them, or the recruiter of one of their loops). Loops stay.
pub async fn erase_candidate(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<CandidateId>,
) -> Result<HttpResponse, ApiError> {
    let erased = candidates::erase(&state.db, &user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(CandidateView::from(erased)))
}
