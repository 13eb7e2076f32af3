//! Every page path, spelled once. Each route's pattern is a constant here
//! (the router registers it), and each page's address is built from typed ids
//! by a function beside it: pages, mail links (`Links` puts the public URL in
//! front) and tests use these, so a path is never written twice.

use crate::domain::{InterviewId, LoopId, LoopStatus};

/// Where people sign in (`?next=` brings them back).
pub const LOGIN: &str = "/login";
pub const LOGOUT: &str = "/logout";
pub const FORGOT_PASSWORD: &str = "/password/forgot";
pub const SET_PASSWORD: &str = "/password/set";
pub const HOME: &str = "/";
pub const ACCOUNT: &str = "/account";
pub const ACCOUNT_TIME_ZONE: &str = "/account/time-zone";
pub const ACCOUNT_PASSWORD: &str = "/account/password";
pub const ACCOUNT_SESSIONS_END: &str = "/account/sessions/end";
pub const INTERVIEW: &str = "/interviews/{id}";
pub const INTERVIEW_DRAFT: &str = "/interviews/{id}/draft";
pub const INTERVIEW_SUBMIT: &str = "/interviews/{id}/submit";
pub const LOOPS: &str = "/loops";
pub const NEW_LOOP: &str = "/loops/new";
pub const NEW_LOOP_PREVIEW: &str = "/loops/new/preview";
pub const LOOP: &str = "/loops/{id}";
pub const LOOP_EDIT: &str = "/loops/{id}/edit";
pub const LOOP_EDIT_PREVIEW: &str = "/loops/{id}/edit/preview";
pub const LOOP_SCHEDULE: &str = "/loops/{id}/schedule";
pub const LOOP_CANCEL: &str = "/loops/{id}/cancel";

fn with_id(pattern: &str, id: impl std::fmt::Display) -> String {
    pattern.replacen("{id}", &id.to_string(), 1)
}

/// The sign-in page, coming back to `next` (a path on this site) afterwards.
pub fn login_then(next: &str) -> String {
    let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    format!("{LOGIN}?next={next}")
}

/// The sign-in page after a password was set from a link.
pub fn login_after_password_set() -> String {
    format!("{LOGIN}?password_set=1")
}

/// The page of an invitation or reset link.
pub fn set_password(token: &str) -> String {
    format!("{SET_PASSWORD}?token={token}")
}

/// The account page asking for a new password (the first admin's generated one).
pub fn account_choose_password() -> String {
    format!("{ACCOUNT}?change_password=1")
}

/// The interviewer's page for one interview (its kit and feedback form).
pub fn interview(id: InterviewId) -> String {
    with_id(INTERVIEW, id)
}

pub fn interview_draft(id: InterviewId) -> String {
    with_id(INTERVIEW_DRAFT, id)
}

pub fn interview_submit(id: InterviewId) -> String {
    with_id(INTERVIEW_SUBMIT, id)
}

/// The next page of the loops list, filtered by status.
pub fn loops_page(cursor: &str, status: Option<LoopStatus>) -> String {
    match status {
        Some(s) => format!("{LOOPS}?cursor={cursor}&status={}", s.as_str()),
        None => format!("{LOOPS}?cursor={cursor}"),
    }
}

/// A loop's page, for its participants.
pub fn loop_page(id: LoopId) -> String {
    with_id(LOOP, id)
}

/// The loop builder on an existing loop, or on a new one.
pub fn loop_builder(id: Option<LoopId>) -> String {
    id.map_or_else(|| NEW_LOOP.to_owned(), |id| with_id(LOOP_EDIT, id))
}

pub fn loop_schedule(id: LoopId) -> String {
    with_id(LOOP_SCHEDULE, id)
}

pub fn loop_cancel(id: LoopId) -> String {
    with_id(LOOP_CANCEL, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_fill_the_patterns_the_router_registers() {
        assert_eq!(loop_page(LoopId(7)), "/loops/7");
        assert_eq!(loop_builder(Some(LoopId(7))), "/loops/7/edit");
        assert_eq!(loop_builder(None), "/loops/new");
        assert_eq!(interview_submit(InterviewId(3)), "/interviews/3/submit");
        assert_eq!(
            login_then("/loops?status=draft"),
            "/login?next=%2Floops%3Fstatus%3Ddraft"
        );
        assert_eq!(
            loops_page("12", Some(LoopStatus::Draft)),
            "/loops?cursor=12&status=draft"
        );
    }
}
