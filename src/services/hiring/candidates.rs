//! Candidates: added by recruiters, seen by the people of their loops, erased
//! on request (personal data replaced; loops and decisions stay).

use crate::auth::require_recruiting;
pub use crate::db::candidates::Candidate;
use crate::db::candidates::{self, NewCandidate};
use crate::db::users::{self, User};
use crate::db::{Db, DbConn, now};
use crate::domain::{CandidateId, Email, Listing, OneLine, Page, PersonName, Role, UserId};
use crate::error::ServiceError;

/// A parsed `POST /candidates`.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: PersonName,
    pub email: Email,
    pub referred_by_id: Option<UserId>,
}

/// The candidate, if `user` may see it: admins, the recruiter who added them,
/// and the people of their loops. Anyone else gets `NotFound`.
fn visible(c: &mut DbConn, id: CandidateId, user: &User) -> Result<Candidate, ServiceError> {
    let candidate = candidates::find(c, id.get())?.ok_or(ServiceError::NotFound)?;
    if user.role == Role::Admin
        || candidate.created_by_id == user.id
        || candidates::is_participant(c, id.get(), user.id)?
    {
        Ok(candidate)
    } else {
        Err(ServiceError::NotFound)
    }
}

pub async fn create(db: &Db, actor: &User, new: NewPerson) -> Result<Candidate, ServiceError> {
    let actor = actor.clone();
    db.write(move |c| create_in(c, &actor, &new)).await
}

/// Adds a candidate inside the caller's transaction (recruiters, admins).
pub fn create_in(c: &mut DbConn, actor: &User, new: &NewPerson) -> Result<Candidate, ServiceError> {
    require_recruiting(actor)?;
    if let Some(referrer) = new.referred_by_id
        && users::find(c, referrer.get())?.is_none()
    {
        return Err(ServiceError::field("referred_by_id", "no user has this id"));
    }
    let at = now();
    let created = candidates::insert(
        c,
        &NewCandidate {
            name: new.name.as_ref(),
            email: new.email.as_ref(),
            referred_by_id: new.referred_by_id.map(UserId::get),
            created_by_id: actor.id,
            created_at: at,
            updated_at: at,
        },
    )?;
    tracing::info!(
        candidate.id = created.id,
        by = actor.id,
        "candidate created"
    );
    Ok(created)
}

pub async fn get(db: &Db, actor: &User, id: CandidateId) -> Result<Candidate, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| visible(c, id, &actor)).await
}

/// A page of candidates matching `q` (name or email): a recruiter's own, or
/// all of them for an admin.
pub async fn list(
    db: &Db,
    actor: &User,
    q: Option<OneLine>,
    page: Page,
) -> Result<Listing<Candidate>, ServiceError> {
    require_recruiting(actor)?;
    let only = (actor.role != Role::Admin).then_some(actor.id);
    db.run(move |c| {
        let rows = candidates::list(
            c,
            only,
            q.as_ref().map(AsRef::as_ref),
            page.after,
            page.fetch(),
        )?;
        Ok(page.cut(rows, |r| r.id))
    })
    .await
}

/// Erases personal data (admin, the recruiter who added them, or the recruiter
/// of one of their loops). Loops stay.
pub async fn erase(db: &Db, actor: &User, id: CandidateId) -> Result<Candidate, ServiceError> {
    let me = actor.clone();
    let erased = db
        .write(move |c| {
            let candidate = visible(c, id, &me)?;
            if !may_erase(c, &me, &candidate)? {
                return Err(ServiceError::forbidden(
                    "recruiter_only",
                    "Only the candidate's recruiter or an admin may erase them.",
                ));
            }
            Ok(candidates::erase(c, id.get())?)
        })
        .await?;
    tracing::info!(candidate.id = id.get(), "candidate erased");
    Ok(erased)
}

/// Whether `actor` may erase the candidate: an admin, the recruiter who added
/// them, or the recruiter of one of their loops.
fn may_erase(c: &mut DbConn, actor: &User, candidate: &Candidate) -> Result<bool, ServiceError> {
    Ok(actor.role == Role::Admin
        || (actor.role == Role::Recruiter
            && (candidate.created_by_id == actor.id
                || candidates::is_loop_recruiter(c, candidate.id, actor.id)?)))
}

/// One candidate's page: who they are, who referred them, their loops, and
/// whether the reader may erase them.
#[derive(Debug)]
pub struct CandidatePage {
    pub candidate: Candidate,
    pub referred_by: Option<String>,
    pub may_erase: bool,
    pub loops: super::board::Board,
}

/// [`CandidatePage`] for those who may see the candidate (anyone else: not found).
pub async fn page(
    db: &Db,
    actor: &User,
    id: CandidateId,
    now: chrono::NaiveDateTime,
) -> Result<CandidatePage, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        let candidate = visible(c, id, &actor)?;
        let may_erase = candidate.erased_at.is_none() && may_erase(c, &actor, &candidate)?;
        let referred_by = match candidate.referred_by_id {
            Some(r) => users::find(c, r)?.map(|u| u.name),
            None => None,
        };
        let filter = super::board::BoardFilter {
            candidate_id: Some(id),
            ..Default::default()
        };
        let loops = super::board::board_in(c, &actor, &filter, 200, now)?;
        Ok(CandidatePage {
            candidate,
            referred_by,
            may_erase,
            loops,
        })
    })
    .await
}
