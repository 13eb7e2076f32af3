//! Every page path, spelled once. Each route's pattern is a constant here
//! (the router registers it), and each page's address is built from typed ids
//! by a function beside it: pages, mail links (`Links` puts the public URL in
//! front) and tests use these, so a path is never written twice. The JSON
//! API's addresses are in [`api`], built the same way (its patterns are also
//! in the OpenAPI document, and a test holds the two together).

use crate::domain::{InterviewId, LoopId};

/// Where people sign in (`?next=` brings them back).
pub const LOGIN: &str = "/login";
pub const LOGIN_OIDC: &str = "/login/oidc";
pub const LOGIN_OIDC_CALLBACK: &str = "/login/oidc/callback";
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
pub const PEOPLE_SEARCH: &str = "/people/search";
pub const REQUISITIONS: &str = "/requisitions";
pub const NEW_REQUISITION: &str = "/requisitions/new";
pub const REQUISITION: &str = "/requisitions/{id}";
pub const REQUISITION_STATUS: &str = "/requisitions/{id}/status";
pub const CANDIDATES: &str = "/candidates";
pub const CANDIDATE: &str = "/candidates/{id}";
pub const CANDIDATE_ERASE: &str = "/candidates/{id}/erase";
pub const NEW_LOOP: &str = "/loops/new";
pub const NEW_LOOP_PREVIEW: &str = "/loops/new/preview";
pub const LOOP: &str = "/loops/{id}";
pub const LOOP_EDIT: &str = "/loops/{id}/edit";
pub const LOOP_EDIT_PREVIEW: &str = "/loops/{id}/edit/preview";
pub const LOOP_SCHEDULE: &str = "/loops/{id}/schedule";
pub const LOOP_CANCEL: &str = "/loops/{id}/cancel";
pub const LOOP_OUTCOMES: &str = "/loops/{id}/outcomes";
pub const INTERVIEW_REMIND: &str = "/interviews/{id}/remind";
pub const INSIGHTS: &str = "/insights";
pub const INSIGHTS_EXPORT: &str = "/insights/export";
pub const INSIGHTS_CALIBRATION: &str = "/insights/calibration";
pub const INSIGHTS_CALIBRATION_EXPORT: &str = "/insights/calibration/export";
pub const INSIGHTS_ME: &str = "/insights/me";
pub const INSIGHTS_VALIDITY: &str = "/insights/validity";
pub const INSIGHTS_ME_EXPORT: &str = "/insights/me/export";
pub const ADMIN: &str = "/admin";
pub const ADMIN_PEOPLE: &str = "/admin/people";
pub const ADMIN_PEOPLE_IMPORT: &str = "/admin/people/import";
pub const ADMIN_PERSON: &str = "/admin/people/{id}";
pub const ADMIN_PERSON_BAR_RAISER: &str = "/admin/people/{id}/bar-raiser";
pub const ADMIN_PERSON_ACTIVE: &str = "/admin/people/{id}/active";
pub const ADMIN_ORG: &str = "/admin/org";
pub const ADMIN_COMPETENCIES: &str = "/admin/competencies";
pub const ADMIN_COMPETENCY: &str = "/admin/competencies/{id}";
pub const ADMIN_AUDIT: &str = "/admin/audit";
pub const ADMIN_AUDIT_EXPORT: &str = "/admin/audit/export";
pub const ADMIN_OUTBOX: &str = "/admin/outbox";
pub const ADMIN_API_KEYS: &str = "/admin/api-keys";
pub const ADMIN_API_KEY_REVOKE: &str = "/admin/api-keys/{id}/revoke";
pub const ADMIN_WEBHOOKS: &str = "/admin/webhooks";
pub const ADMIN_WEBHOOK_ACTIVE: &str = "/admin/webhooks/{id}/active";
pub const ADMIN_WEBHOOK_SECRET: &str = "/admin/webhooks/{id}/secret";
pub const ADMIN_WEBHOOK_DELETE: &str = "/admin/webhooks/{id}/delete";
pub const ADMIN_OUTBOX_RETRY: &str = "/admin/outbox/{id}/retry";
pub const DEBRIEF_ROOM: &str = "/loops/{id}/debrief";
pub const DEBRIEF_ROOM_LIVE: &str = "/loops/{id}/debrief/live";
pub const DEBRIEF_ROOM_OPEN: &str = "/loops/{id}/debrief/open";
pub const DEBRIEF_ROOM_READ: &str = "/loops/{id}/debrief/read";
pub const DEBRIEF_ROOM_VOTE: &str = "/loops/{id}/debrief/vote";
pub const DEBRIEF_ROOM_NOTES: &str = "/loops/{id}/debrief/notes";
pub const DEBRIEF_ROOM_CLOSE: &str = "/loops/{id}/debrief/close";
pub const DEBRIEF_ROOM_DECISION: &str = "/loops/{id}/debrief/decision";
pub const DEBRIEF_ROOM_COMMITMENT: &str = "/loops/{id}/debrief/commitment";

fn with_id(pattern: &str, id: impl std::fmt::Display) -> String {
    pattern.replacen("{id}", &id.to_string(), 1)
}

/// The sign-in page, coming back to `next` (a path on this site) afterwards.
pub fn login_then(next: &str) -> String {
    let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    format!("{LOGIN}?next={next}")
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

/// Revoking an API key (the admin page).
pub fn admin_api_key_revoke(id: i64) -> String {
    with_id(ADMIN_API_KEY_REVOKE, id)
}

/// Pausing or resuming a webhook endpoint (the admin page).
pub fn admin_webhook_active(id: i64) -> String {
    with_id(ADMIN_WEBHOOK_ACTIVE, id)
}

/// Rotating a webhook endpoint's secret (the admin page).
pub fn admin_webhook_secret(id: i64) -> String {
    with_id(ADMIN_WEBHOOK_SECRET, id)
}

/// Removing a webhook endpoint (the admin page).
pub fn admin_webhook_delete(id: i64) -> String {
    with_id(ADMIN_WEBHOOK_DELETE, id)
}

/// Single sign-on, then on to `next`.
pub fn login_oidc(next: &str) -> String {
    let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    format!("{LOGIN_OIDC}?next={next}")
}

/// A requisition's page.
pub fn requisition(id: crate::domain::RequisitionId) -> String {
    with_id(REQUISITION, id)
}

/// Opening or closing a requisition.
pub fn requisition_status(id: crate::domain::RequisitionId) -> String {
    with_id(REQUISITION_STATUS, id)
}

/// A candidate's page.
pub fn candidate(id: crate::domain::CandidateId) -> String {
    with_id(CANDIDATE, id)
}

/// Erasing a candidate.
pub fn candidate_erase(id: crate::domain::CandidateId) -> String {
    with_id(CANDIDATE_ERASE, id)
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

/// Recording an outcome of a hire (the loop's page).
pub fn loop_outcomes(id: LoopId) -> String {
    with_id(LOOP_OUTCOMES, id)
}

/// The loop page's "Send a reminder" for one interview.
pub fn interview_remind(id: InterviewId) -> String {
    with_id(INTERVIEW_REMIND, id)
}

/// The admin's directory with its search and filters (`(name, value)` pairs
/// as the form sends them), from `cursor`.
pub fn admin_people(filters: &[(&str, &str)], cursor: Option<&str>) -> String {
    with_query(ADMIN_PEOPLE, filters, cursor)
}

/// `pattern` (a page route) with `filters` as its query string, empty ones
/// left out, and `cursor`.
fn with_query(pattern: &str, filters: &[(&str, &str)], cursor: Option<&str>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in filters.iter().filter(|(_, v)| !v.is_empty()) {
        query.append_pair(k, v);
    }
    if let Some(c) = cursor {
        query.append_pair("cursor", c);
    }
    let query = query.finish();
    if query.is_empty() {
        pattern.to_owned()
    } else {
        format!("{pattern}?{query}")
    }
}

/// One person as an admin edits them.
pub fn admin_person(id: crate::domain::UserId) -> String {
    with_id(ADMIN_PERSON, id)
}

pub fn admin_person_bar_raiser(id: crate::domain::UserId) -> String {
    with_id(ADMIN_PERSON_BAR_RAISER, id)
}

pub fn admin_person_active(id: crate::domain::UserId) -> String {
    with_id(ADMIN_PERSON_ACTIVE, id)
}

/// The organisation chart, with `person` in focus (their chain up and their team).
pub fn admin_org(person: Option<crate::domain::UserId>) -> String {
    match person {
        Some(id) => format!("{ADMIN_ORG}?person={id}"),
        None => ADMIN_ORG.to_owned(),
    }
}

/// One competency of the library, as an admin edits it.
pub fn admin_competency(id: crate::domain::CompetencyId) -> String {
    with_id(ADMIN_COMPETENCY, id)
}

/// The organisation's audit trail with its filters, from `cursor`.
pub fn admin_audit(filters: &[(&str, &str)], cursor: Option<&str>) -> String {
    with_query(ADMIN_AUDIT, filters, cursor)
}

/// The trail's CSV export with the same filters.
pub fn admin_audit_export(filters: &[(&str, &str)]) -> String {
    with_query(ADMIN_AUDIT_EXPORT, filters, None)
}

/// The admin's view of the mail outbox, by status, from `cursor`.
pub fn admin_outbox(status: Option<&str>, cursor: Option<&str>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(s) = status {
        query.append_pair("status", s);
    }
    if let Some(c) = cursor {
        query.append_pair("cursor", c);
    }
    let query = query.finish();
    if query.is_empty() {
        ADMIN_OUTBOX.to_owned()
    } else {
        format!("{ADMIN_OUTBOX}?{query}")
    }
}

pub fn admin_outbox_retry(id: crate::domain::MessageId) -> String {
    with_id(ADMIN_OUTBOX_RETRY, id)
}

/// The debrief room of a loop, where the bar raiser leads and the hiring manager decides.
pub fn debrief_room(id: LoopId) -> String {
    with_id(DEBRIEF_ROOM, id)
}

/// The room's live stream, resuming after event `after`.
pub fn debrief_room_live(id: LoopId, after: i64) -> String {
    format!("{}?after={after}", with_id(DEBRIEF_ROOM_LIVE, id))
}

/// Where one of the room's forms posts (`pattern` is one of the `DEBRIEF_ROOM_*` actions).
pub fn debrief_room_action(pattern: &str, id: LoopId) -> String {
    with_id(pattern, id)
}

/// The JSON API's paths under `/api/v1`, from typed ids. The handlers declare
/// the same patterns for the OpenAPI document (`utoipa` needs literals there);
/// `tests/api/openapi.rs` checks that every pattern here is one of them.
pub mod api {
    use crate::domain::{
        CandidateId, CompetencyId, InterviewId, LoopId, MessageId, RequisitionId, UserId,
    };

    use super::with_id;

    pub const LOGIN: &str = "/api/v1/auth/login";
    pub const LOGOUT: &str = "/api/v1/auth/logout";
    pub const PASSWORD_RESET: &str = "/api/v1/auth/password-reset";
    pub const PASSWORD_SET: &str = "/api/v1/auth/password";
    pub const ME: &str = "/api/v1/me";
    pub const ME_PASSWORD: &str = "/api/v1/me/password";
    pub const ME_SESSIONS: &str = "/api/v1/me/sessions";
    pub const ME_INTERVIEWS: &str = "/api/v1/me/interviews";
    pub const USERS: &str = "/api/v1/users";
    pub const USER: &str = "/api/v1/users/{id}";
    pub const USER_BAR_RAISER: &str = "/api/v1/users/{id}/bar-raiser";
    pub const COMPETENCIES: &str = "/api/v1/competencies";
    pub const COMPETENCY: &str = "/api/v1/competencies/{id}";
    pub const REQUISITIONS: &str = "/api/v1/requisitions";
    pub const REQUISITION: &str = "/api/v1/requisitions/{id}";
    pub const CANDIDATES: &str = "/api/v1/candidates";
    pub const CANDIDATE: &str = "/api/v1/candidates/{id}";
    pub const LOOPS: &str = "/api/v1/loops";
    pub const LOOP: &str = "/api/v1/loops/{id}";
    pub const LOOP_SCHEDULE: &str = "/api/v1/loops/{id}/schedule";
    pub const LOOP_CANCEL: &str = "/api/v1/loops/{id}/cancel";
    pub const LOOP_INDEPENDENCE: &str = "/api/v1/loops/{id}/independence";
    pub const LOOP_SUGGESTIONS: &str = "/api/v1/loops/{id}/bar-raiser-suggestions";
    pub const LOOP_EVENTS: &str = "/api/v1/loops/{id}/events";
    pub const LOOP_EVENTS_VERIFY: &str = "/api/v1/loops/{id}/events/verify";
    pub const LOOP_FEEDBACK: &str = "/api/v1/loops/{id}/feedback";
    pub const DEBRIEF: &str = "/api/v1/loops/{id}/debrief";
    pub const DEBRIEF_READ: &str = "/api/v1/loops/{id}/debrief/read";
    pub const DEBRIEF_VOTE: &str = "/api/v1/loops/{id}/debrief/vote";
    pub const DEBRIEF_NOTES: &str = "/api/v1/loops/{id}/debrief/notes";
    pub const DEBRIEF_CLOSE: &str = "/api/v1/loops/{id}/debrief/close";
    pub const DECISION: &str = "/api/v1/loops/{id}/decision";
    pub const SIGNAL_REQUESTS: &str = "/api/v1/loops/{id}/signal-requests";
    pub const DEBRIEF_PROPOSAL: &str = "/api/v1/loops/{id}/debrief-proposal";
    pub const COMMITMENT: &str = "/api/v1/loops/{id}/commitment";
    pub const DEBRIEF_STREAM: &str = "/api/v1/loops/{id}/debrief/stream";
    pub const INTERVIEW_KIT: &str = "/api/v1/interviews/{id}/kit";
    pub const INTERVIEW_REMINDER: &str = "/api/v1/interviews/{id}/reminder";
    pub const INTERVIEW_FEEDBACK: &str = "/api/v1/interviews/{id}/feedback";
    pub const INTERVIEW_FEEDBACK_SUBMIT: &str = "/api/v1/interviews/{id}/feedback/submit";
    pub const METRICS_PROCESS: &str = "/api/v1/metrics/process";
    pub const METRICS_CALIBRATION: &str = "/api/v1/metrics/calibration";
    pub const METRICS_VALIDITY: &str = "/api/v1/metrics/validity";
    pub const OUTBOX: &str = "/api/v1/admin/outbox";
    pub const OUTBOX_RETRY: &str = "/api/v1/admin/outbox/{id}/retry";
    pub const API_KEYS: &str = "/api/v1/api-keys";
    pub const API_KEY: &str = "/api/v1/api-keys/{id}";
    pub const LOOP_OUTCOMES: &str = "/api/v1/loops/{id}/outcomes";
    pub const OUTCOMES_IMPORT: &str = "/api/v1/outcomes/import";
    pub const WEBHOOKS: &str = "/api/v1/webhooks";
    pub const WEBHOOK: &str = "/api/v1/webhooks/{id}";
    pub const WEBHOOK_DELIVERIES: &str = "/api/v1/webhooks/{id}/deliveries";
    pub const USERS_IMPORT: &str = "/api/v1/users/import";
    pub const AUDIT: &str = "/api/v1/admin/audit";
    pub const AUDIT_VERIFY: &str = "/api/v1/admin/audit/verify";
    pub const AUDIT_EXPORT: &str = "/api/v1/admin/audit/export";

    /// Every pattern above, for the test that holds them to the OpenAPI document.
    pub const ALL: &[&str] = &[
        LOGIN,
        LOGOUT,
        PASSWORD_RESET,
        PASSWORD_SET,
        ME,
        ME_PASSWORD,
        ME_SESSIONS,
        ME_INTERVIEWS,
        USERS,
        USER,
        USER_BAR_RAISER,
        COMPETENCIES,
        COMPETENCY,
        REQUISITIONS,
        REQUISITION,
        CANDIDATES,
        CANDIDATE,
        LOOPS,
        LOOP,
        LOOP_SCHEDULE,
        LOOP_CANCEL,
        LOOP_INDEPENDENCE,
        LOOP_SUGGESTIONS,
        LOOP_EVENTS,
        LOOP_EVENTS_VERIFY,
        LOOP_FEEDBACK,
        DEBRIEF,
        DEBRIEF_READ,
        DEBRIEF_VOTE,
        DEBRIEF_NOTES,
        DEBRIEF_CLOSE,
        DECISION,
        SIGNAL_REQUESTS,
        DEBRIEF_PROPOSAL,
        COMMITMENT,
        DEBRIEF_STREAM,
        INTERVIEW_KIT,
        INTERVIEW_REMINDER,
        INTERVIEW_FEEDBACK,
        INTERVIEW_FEEDBACK_SUBMIT,
        METRICS_PROCESS,
        METRICS_CALIBRATION,
        METRICS_VALIDITY,
        OUTBOX,
        OUTBOX_RETRY,
        API_KEYS,
        API_KEY,
        LOOP_OUTCOMES,
        OUTCOMES_IMPORT,
        WEBHOOKS,
        WEBHOOK,
        WEBHOOK_DELIVERIES,
        AUDIT,
        USERS_IMPORT,
        AUDIT_VERIFY,
        AUDIT_EXPORT,
    ];

    pub fn user(id: UserId) -> String {
        with_id(USER, id)
    }
    pub fn user_bar_raiser(id: UserId) -> String {
        with_id(USER_BAR_RAISER, id)
    }
    pub fn competency(id: CompetencyId) -> String {
        with_id(COMPETENCY, id)
    }
    pub fn requisition(id: RequisitionId) -> String {
        with_id(REQUISITION, id)
    }
    pub fn candidate(id: CandidateId) -> String {
        with_id(CANDIDATE, id)
    }
    pub fn loop_(id: LoopId) -> String {
        with_id(LOOP, id)
    }
    pub fn loop_schedule(id: LoopId) -> String {
        with_id(LOOP_SCHEDULE, id)
    }
    pub fn loop_cancel(id: LoopId) -> String {
        with_id(LOOP_CANCEL, id)
    }
    pub fn loop_independence(id: LoopId) -> String {
        with_id(LOOP_INDEPENDENCE, id)
    }
    pub fn loop_suggestions(id: LoopId) -> String {
        with_id(LOOP_SUGGESTIONS, id)
    }
    pub fn loop_events(id: LoopId) -> String {
        with_id(LOOP_EVENTS, id)
    }
    pub fn loop_events_verify(id: LoopId) -> String {
        with_id(LOOP_EVENTS_VERIFY, id)
    }
    pub fn loop_feedback(id: LoopId) -> String {
        with_id(LOOP_FEEDBACK, id)
    }
    pub fn debrief(id: LoopId) -> String {
        with_id(DEBRIEF, id)
    }
    pub fn debrief_read(id: LoopId) -> String {
        with_id(DEBRIEF_READ, id)
    }
    pub fn debrief_vote(id: LoopId) -> String {
        with_id(DEBRIEF_VOTE, id)
    }
    pub fn debrief_notes(id: LoopId) -> String {
        with_id(DEBRIEF_NOTES, id)
    }
    pub fn debrief_close(id: LoopId) -> String {
        with_id(DEBRIEF_CLOSE, id)
    }
    pub fn decision(id: LoopId) -> String {
        with_id(DECISION, id)
    }
    pub fn signal_requests(id: LoopId) -> String {
        with_id(SIGNAL_REQUESTS, id)
    }
    pub fn debrief_proposal(id: LoopId) -> String {
        with_id(DEBRIEF_PROPOSAL, id)
    }
    pub fn commitment(id: LoopId) -> String {
        with_id(COMMITMENT, id)
    }
    pub fn debrief_stream(id: LoopId) -> String {
        with_id(DEBRIEF_STREAM, id)
    }
    pub fn interview_kit(id: InterviewId) -> String {
        with_id(INTERVIEW_KIT, id)
    }

    pub fn interview_reminder(id: InterviewId) -> String {
        with_id(INTERVIEW_REMINDER, id)
    }
    pub fn interview_feedback(id: InterviewId) -> String {
        with_id(INTERVIEW_FEEDBACK, id)
    }
    pub fn interview_feedback_submit(id: InterviewId) -> String {
        with_id(INTERVIEW_FEEDBACK_SUBMIT, id)
    }
    pub fn outbox_retry(id: MessageId) -> String {
        with_id(OUTBOX_RETRY, id)
    }
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
        assert_eq!(api::debrief_vote(LoopId(7)), "/api/v1/loops/7/debrief/vote");
        assert_eq!(
            login_then("/loops?status=draft"),
            "/login?next=%2Floops%3Fstatus%3Ddraft"
        );
    }
}
