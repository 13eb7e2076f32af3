//! The OpenAPI 3.1 document, generated from the handlers' annotations and the
//! types they take and answer (utoipa), served at `/api/openapi.json` and
//! browsable at `/docs` (Swagger UI, embedded in the binary).

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    analytics, auth, candidates, competencies, debrief, feedback, health, interviews, loop_events,
    loops, me, outbox, requisitions, users,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "barraiser",
        description = "Hiring interview loops run the bar raiser way. Errors are RFC 7807 \
            `application/problem+json` with a machine `code`; every route lists the codes it can answer. \
            Sign in with `POST /api/v1/auth/login` and send the token as `Authorization: Bearer …`."
    ),
    paths(
        auth::login,
        auth::logout,
        auth::request_reset,
        auth::set_password,
        me::get_me,
        me::change_password,
        me::end_sessions,
        feedback::my_interviews,
        users::list_users,
        users::create_user,
        users::get_user,
        users::update_user,
        users::set_bar_raiser,
        competencies::list_competencies,
        competencies::create_competency,
        competencies::get_competency,
        competencies::update_competency,
        requisitions::list_requisitions,
        requisitions::create_requisition,
        requisitions::get_requisition,
        requisitions::update_requisition,
        candidates::list_candidates,
        candidates::create_candidate,
        candidates::get_candidate,
        candidates::erase_candidate,
        loops::list_loops,
        loops::create_loop,
        loops::get_loop,
        loops::update_loop,
        loops::schedule_loop,
        loops::cancel_loop,
        loops::get_independence,
        loops::get_bar_raiser_suggestions,
        loop_events::list_events,
        loop_events::verify_events,
        interviews::get_kit,
        feedback::get_own,
        feedback::save_draft,
        feedback::submit,
        feedback::for_loop,
        debrief::open,
        debrief::packet,
        debrief::mark_read,
        debrief::vote,
        debrief::add_note,
        debrief::close,
        debrief::decide,
        debrief::commit,
        analytics::process,
        analytics::calibration,
        outbox::list_outbox,
        outbox::retry_message,
        health::healthz,
        health::readyz,
        health::metrics,
    ),
    modifiers(&BearerToken),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Signing in and the caller"),
        (name = "people", description = "The directory, reporting lines, the bar raiser roster"),
        (name = "competencies", description = "The leadership-principle library and its rubrics"),
        (name = "hiring", description = "Requisitions and candidates"),
        (name = "loops", description = "Loops, the independence report, the audit log"),
        (name = "feedback", description = "Interviews, kits, drafts, submission, the blind rule"),
        (name = "debrief", description = "The debrief, the composite, the decision"),
        (name = "analytics", description = "Input metrics of the process and interviewer calibration"),
        (name = "admin", description = "The mail outbox"),
        (name = "operations", description = "Health and metrics"),
    )
)]
struct ApiDoc;

/// The `bearer` security scheme: the access token of `POST /api/v1/auth/login`.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
    }
}

/// The document.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
