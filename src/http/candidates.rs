use actix_web::{HttpResponse, web};

use super::json::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::utc;
use crate::auth::CurrentUser;
use crate::db::candidates::{self, Candidate, NewCandidate};
use crate::db::users::User;
use crate::db::{DbConn, now, users};
use crate::domain::{Email, PersonName, Role};
use crate::error::{AllValid, ApiError};
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
    referred_by_id: Option<i64>,
}

/// `POST /candidates` (recruiter, admin).
pub async fn create_candidate(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateCandidateRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require_recruiting()?;
    let body = body.into_inner();
    let (name, email) = (
        PersonName::parse("name", &body.name),
        Email::parse("email", &body.email),
    )
        .all_valid()?;
    let me = user.0.id;
    let created = state
        .db
        .write(move |c| {
            if let Some(referrer) = body.referred_by_id
                && users::find(c, referrer)?.is_none()
            {
                return Err(ApiError::field("referred_by_id", "no user has this id"));
            }
            let at = now();
            Ok(candidates::insert(
                c,
                &NewCandidate {
                    name: name.as_ref(),
                    email: email.as_ref(),
                    referred_by_id: body.referred_by_id,
                    created_by_id: me,
                    created_at: at,
                    updated_at: at,
                },
            )?)
        })
        .await?;
    tracing::info!(candidate.id = created.id, by = me, "candidate created");
    Ok(HttpResponse::Created().json(CandidateView::from(created)))
}

/// The candidate, if `user` may see it: admins, the recruiter who added them,
/// and the people of their loops. Anyone else gets 404.
fn visible(c: &mut DbConn, id: i64, user: &User) -> Result<Candidate, ApiError> {
    let candidate = candidates::find(c, id)?.ok_or(ApiError::NotFound)?;
    if user.role == Role::Admin
        || candidate.created_by_id == user.id
        || candidates::is_participant(c, id, user.id)?
    {
        Ok(candidate)
    } else {
        Err(ApiError::NotFound)
    }
}

/// `GET /candidates/{id}`
pub async fn get_candidate(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let candidate = state.db.run(move |c| visible(c, id, &user.0)).await?;
    Ok(HttpResponse::Ok().json(CandidateView::from(candidate)))
}

/// `DELETE /candidates/{id}`: erases personal data (admin, the recruiter who
/// added them, or the recruiter of one of their loops). Loops stay.
pub async fn erase_candidate(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let me = user.0;
    let erased = state
        .db
        .write(move |c| {
            let candidate = visible(c, id, &me)?;
            let may = me.role == Role::Admin
                || (me.role == Role::Recruiter
                    && (candidate.created_by_id == me.id
                        || candidates::is_loop_recruiter(c, id, me.id)?));
            if !may {
                return Err(ApiError::forbidden(
                    "recruiter_only",
                    "Only the candidate's recruiter or an admin may erase them.",
                ));
            }
            Ok(candidates::erase(c, id)?)
        })
        .await?;
    tracing::info!(candidate.id = id, "candidate erased");
    Ok(HttpResponse::Ok().json(CandidateView::from(erased)))
}
