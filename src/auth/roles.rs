//! What a global role allows, checked by the services before anything else.

use crate::db::users::User;
use crate::error::ServiceError;

/// Only admins manage people, the roster, the competency library and the outbox.
pub fn require_admin(actor: &User) -> Result<(), ServiceError> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(ServiceError::forbidden(
            "admin_only",
            "Only an admin may do this.",
        ))
    }
}

/// Requisitions, candidates and loops are assembled by recruiters and admins.
pub fn require_recruiting(actor: &User) -> Result<(), ServiceError> {
    if actor.role.recruits() {
        Ok(())
    } else {
        Err(ServiceError::forbidden(
            "recruiter_only",
            "Only recruiters and admins may do this.",
        ))
    }
}
