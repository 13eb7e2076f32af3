//! Bar raisers who would pass every rule about the person for a loop, least
//! loaded first. Three queries whatever the size of the organisation: the
//! hiring manager's chain, the certified people outside the hiring manager's
//! reporting tree, and their loads.

use std::collections::HashSet;

use serde::Serialize;

use crate::db::loops::{self, InterviewLoop};
use crate::db::users::{self, User};
use crate::db::{DbConn, candidates};
use crate::domain::Role;
use crate::error::ServiceError;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub user_id: i64,
    pub name: String,
    pub department: Option<String>,
    /// Open loops (not decided or cancelled) in which they are the bar raiser.
    pub load: i64,
}

pub fn suggest(conn: &mut DbConn, lp: &InterviewLoop) -> Result<Vec<Suggestion>, ServiceError> {
    suggest_for(
        conn,
        lp.hiring_manager_id,
        lp.recruiter_id,
        Some(lp.candidate_id),
    )
}

/// Suggestions for a loop that may not exist yet: its hiring manager, its
/// recruiter and, when chosen, its candidate (whose referrer is excluded).
pub fn suggest_for(
    conn: &mut DbConn,
    hiring_manager_id: i64,
    recruiter_id: i64,
    candidate_id: Option<i64>,
) -> Result<Vec<Suggestion>, ServiceError> {
    // bar_raiser_certified + bar_raiser_outside_hiring_manager_chain (and ≠ hiring manager):
    let eligible = loops::certified_outside_chain_of(conn, hiring_manager_id)?;
    // hiring_manager_not_under_bar_raiser: not one of the hiring manager's managers.
    let above_hm: HashSet<i64> = users::management_chain(conn, hiring_manager_id)?
        .into_iter()
        .map(|l| l.id)
        .collect();
    let referrer = match candidate_id {
        Some(id) => candidates::find(conn, id)?.and_then(|c| c.referred_by_id),
        None => None,
    };
    let people: Vec<User> = users::find_many(conn, &eligible)?
        .into_iter()
        .filter(|u| !above_hm.contains(&u.id))
        // bar_raiser_independent_of_recruiting:
        .filter(|u| u.id != recruiter_id && u.role != Role::Recruiter)
        // bar_raiser_no_candidate_conflict:
        .filter(|u| Some(u.id) != referrer)
        .collect();
    let ids: Vec<i64> = people.iter().map(|u| u.id).collect();
    let loads = loops::bar_raiser_loads(conn, &ids)?;
    let mut out: Vec<Suggestion> = people
        .into_iter()
        .map(|u| Suggestion {
            load: loads.get(&u.id).copied().unwrap_or(0),
            user_id: u.id,
            name: u.name,
            department: u.department,
        })
        .collect();
    out.sort_by(|a, b| {
        a.load
            .cmp(&b.load)
            .then_with(|| a.name.cmp(&b.name))
            .then(a.user_id.cmp(&b.user_id))
    });
    Ok(out)
}
