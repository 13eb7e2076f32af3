//! Who may see and change a loop. Decided per object: admins; the loop's
//! recruiter (changes only while holding the recruiter role); its hiring
//! manager, bar raiser and interviewers (read). Anyone else gets the same
//! `NotFound` as for a loop that does not exist.

use crate::db::DbConn;
use crate::db::loops::{self, InterviewLoop, PanelEntry};
use crate::db::users::User;
use crate::domain::{LoopId, Role};
use crate::error::ServiceError;

/// What a user is to a loop.
#[derive(Debug, Clone, Copy, Default)]
pub struct Access {
    pub admin: bool,
    pub recruiter: bool,
    pub hiring_manager: bool,
    pub bar_raiser: bool,
    pub interviewer: bool,
    /// The user holds the recruiter role (a loop's recruiter who was moved
    /// to another role keeps seeing the loop, but no longer changes it).
    holds_recruiter_role: bool,
}

impl Access {
    fn new(lp: &InterviewLoop, user: &User, interviewer: bool) -> Self {
        Self {
            admin: user.role == Role::Admin,
            recruiter: lp.recruiter_id == user.id,
            hiring_manager: lp.hiring_manager_id == user.id,
            bar_raiser: lp.bar_raiser_id == user.id,
            interviewer,
            holds_recruiter_role: user.role == Role::Recruiter,
        }
    }

    pub fn of(conn: &mut DbConn, lp: &InterviewLoop, user: &User) -> Result<Self, ServiceError> {
        Ok(Self::new(
            lp,
            user,
            loops::is_interviewer(conn, lp.id, user.id)?,
        ))
    }

    /// What `user` is to `lp`, whose panel is at hand (no query).
    pub fn with_panel(lp: &InterviewLoop, panel: &[PanelEntry], user: &User) -> Self {
        let interviewer = panel.iter().any(|e| e.interview.interviewer_id == user.id);
        Self::new(lp, user, interviewer)
    }

    /// Admins and participants see the loop; everyone else gets 404.
    pub fn visible(&self) -> bool {
        self.admin || self.recruiter || self.hiring_manager || self.bar_raiser || self.interviewer
    }

    pub fn can_see_independence(&self) -> bool {
        self.admin || self.recruiter || self.bar_raiser || self.hiring_manager
    }

    /// Admins, and the loop's recruiter while they hold the recruiter role,
    /// edit, schedule and cancel it and see its bar raiser suggestions. Pages
    /// offer those actions only when this says so.
    pub fn can_change(&self) -> bool {
        self.admin || (self.recruiter && self.holds_recruiter_role)
    }

    /// What became of a hire is seen by those who hired and admins, never the panel.
    pub fn can_see_outcomes(&self) -> bool {
        self.admin || self.recruiter || self.hiring_manager
    }

    /// Outcomes are recorded by those who change the loop.
    pub fn can_record_outcomes(&self) -> bool {
        self.can_change()
    }
}

pub fn not_allowed() -> ServiceError {
    ServiceError::forbidden("not_allowed", "Your part in this loop does not allow this.")
}

/// The loop, if `user` may see it (`NotFound` otherwise: its existence is not revealed).
pub fn load_visible(
    conn: &mut DbConn,
    id: LoopId,
    user: &User,
) -> Result<(InterviewLoop, Access), ServiceError> {
    let lp = loops::find(conn, id.get())?.ok_or(ServiceError::NotFound)?;
    let access = Access::of(conn, &lp, user)?;
    if access.visible() {
        Ok((lp, access))
    } else {
        Err(ServiceError::NotFound)
    }
}

/// The loop and its panel, if `user` may see the loop (`NotFound` otherwise):
/// the panel says whether they are on it, so no query of its own does.
pub fn load_visible_with_panel(
    conn: &mut DbConn,
    id: LoopId,
    user: &User,
) -> Result<(InterviewLoop, Vec<PanelEntry>), ServiceError> {
    visible_with_panel(loops::with_panel(conn, id.get())?, user)
}

/// The loop and its panel as read already (with the caller's session, see
/// `Caller::run_on_loop`), if there is one and `user` may see it
/// (`NotFound` otherwise).
pub fn visible_with_panel(
    found: Option<(InterviewLoop, Vec<PanelEntry>)>,
    user: &User,
) -> Result<(InterviewLoop, Vec<PanelEntry>), ServiceError> {
    let (lp, panel) = found.ok_or(ServiceError::NotFound)?;
    if Access::with_panel(&lp, &panel, user).visible() {
        Ok((lp, panel))
    } else {
        Err(ServiceError::NotFound)
    }
}

/// The loop if `user` may see it and `allowed` says their part permits this
/// (403 otherwise).
pub fn load_for(
    conn: &mut DbConn,
    id: LoopId,
    user: &User,
    allowed: impl Fn(&Access) -> bool,
) -> Result<InterviewLoop, ServiceError> {
    let (lp, access) = load_visible(conn, id, user)?;
    if allowed(&access) {
        Ok(lp)
    } else {
        Err(not_allowed())
    }
}

/// The loop, locked, if `user` may change it: an admin, or its recruiter while
/// they hold the recruiter role.
pub fn load_for_change(
    conn: &mut DbConn,
    id: LoopId,
    user: &User,
) -> Result<InterviewLoop, ServiceError> {
    loops::lock(conn, id.get())?;
    let (lp, access) = load_visible(conn, id, user)?;
    if access.can_change() {
        Ok(lp)
    } else {
        Err(not_allowed())
    }
}
