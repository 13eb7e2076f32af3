//! Who may see and change a loop. Decided per object: admins; the loop's
//! recruiter (changes only while holding the recruiter role); its hiring
//! manager, bar raiser and interviewers (read). Anyone else gets the same 404
//! as for a loop that does not exist.

use crate::db::DbConn;
use crate::db::loops::{self, InterviewLoop};
use crate::db::users::User;
use crate::domain::Role;
use crate::error::ApiError;

/// What a user is to a loop.
#[derive(Debug, Clone, Copy, Default)]
pub struct Access {
    pub admin: bool,
    pub recruiter: bool,
    pub hiring_manager: bool,
    pub bar_raiser: bool,
    pub interviewer: bool,
}

impl Access {
    pub fn of(conn: &mut DbConn, lp: &InterviewLoop, user: &User) -> Result<Self, ApiError> {
        Ok(Self {
            admin: user.role == Role::Admin,
            recruiter: lp.recruiter_id == user.id,
            hiring_manager: lp.hiring_manager_id == user.id,
            bar_raiser: lp.bar_raiser_id == user.id,
            interviewer: loops::is_interviewer(conn, lp.id, user.id)?,
        })
    }

    /// Admins and participants see the loop; everyone else gets 404.
    pub fn visible(&self) -> bool {
        self.admin || self.recruiter || self.hiring_manager || self.bar_raiser || self.interviewer
    }

    pub fn can_see_independence(&self) -> bool {
        self.admin || self.recruiter || self.bar_raiser || self.hiring_manager
    }
}

fn forbidden() -> ApiError {
    ApiError::forbidden("not_allowed", "Your part in this loop does not allow this.")
}

/// The loop, if `user` may see it (404 otherwise: its existence is not revealed).
pub fn load_visible(
    conn: &mut DbConn,
    id: i64,
    user: &User,
) -> Result<(InterviewLoop, Access), ApiError> {
    let lp = loops::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let access = Access::of(conn, &lp, user)?;
    if access.visible() {
        Ok((lp, access))
    } else {
        Err(ApiError::NotFound)
    }
}

/// The loop, locked, if `user` may change it: an admin, or its recruiter while
/// they hold the recruiter role.
pub fn load_for_change(conn: &mut DbConn, id: i64, user: &User) -> Result<InterviewLoop, ApiError> {
    loops::lock(conn, id)?;
    let (lp, access) = load_visible(conn, id, user)?;
    if access.admin || (access.recruiter && user.role == Role::Recruiter) {
        Ok(lp)
    } else {
        Err(forbidden())
    }
}
