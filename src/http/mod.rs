//! The HTTP edge: one route table, the extractor configurations that turn bad
//! input into problem+json, security headers, and one file per resource.

mod analytics;
mod api_keys;
mod audit;
mod auth;
mod candidates;
mod competencies;
mod csv_body;
mod current_user;
mod debrief;
mod feedback;
mod health;
mod import;
mod interviews;
mod json;
mod loop_events;
mod loops;
mod me;
pub mod openapi;
mod outbox;
mod outcomes;
mod pagination;
pub mod problem;
mod requisitions;
pub(crate) mod scopes;
mod users;
mod webhooks;

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{FromRequest, Handler, HttpResponse, Resource, Responder, Route, web};
use serde::{Deserialize, Deserializer};

pub use auth::RESET_ANSWER;
pub use current_user::CurrentUser;
pub use pagination::List;
use problem::ApiError;
pub use users::UserView;

/// Request bodies larger than this get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every route of the service with its handlers (documented one by one in
/// `openapi.rs`; a test holds the two together).
fn endpoints() -> Vec<Endpoint> {
    use self::{
        audit, auth, candidates as cand, competencies as comp, loop_events as events, loops, me,
        outbox, requisitions as req, users,
    };
    let api = [
        endpoint("/auth/login").post(auth::login),
        endpoint("/auth/logout").post(auth::logout),
        endpoint("/auth/password-reset").post(auth::request_reset),
        endpoint("/auth/password").post(auth::set_password),
        endpoint("/me").get(me::get_me),
        endpoint("/me/password").post(me::change_password),
        endpoint("/me/sessions").delete(me::end_sessions),
        endpoint("/me/interviews").get(feedback::my_interviews),
        endpoint("/users")
            .get(users::list_users)
            .post(users::create_user),
        endpoint("/users/import").post(import::import_users),
        endpoint("/users/{id}")
            .get(users::get_user)
            .patch(users::update_user),
        endpoint("/users/{id}/bar-raiser").put(users::set_bar_raiser),
        endpoint("/competencies")
            .get(comp::list_competencies)
            .post(comp::create_competency),
        endpoint("/competencies/{id}")
            .get(comp::get_competency)
            .patch(comp::update_competency),
        endpoint("/requisitions")
            .get(req::list_requisitions)
            .post(req::create_requisition),
        endpoint("/requisitions/{id}")
            .get(req::get_requisition)
            .patch(req::update_requisition),
        endpoint("/candidates")
            .get(cand::list_candidates)
            .post(cand::create_candidate),
        endpoint("/candidates/{id}")
            .get(cand::get_candidate)
            .delete(cand::erase_candidate),
        endpoint("/loops")
            .get(loops::list_loops)
            .post(loops::create_loop),
        endpoint("/loops/{id}")
            .get(loops::get_loop)
            .patch(loops::update_loop),
        endpoint("/loops/{id}/schedule").post(loops::schedule_loop),
        endpoint("/loops/{id}/cancel").post(loops::cancel_loop),
        endpoint("/loops/{id}/independence").get(loops::get_independence),
        endpoint("/loops/{id}/bar-raiser-suggestions").get(loops::get_bar_raiser_suggestions),
        endpoint("/loops/{id}/events").get(events::list_events),
        endpoint("/loops/{id}/events/verify").get(events::verify_events),
        endpoint("/interviews/{id}/kit").get(interviews::get_kit),
        endpoint("/interviews/{id}/reminder").post(interviews::remind),
        endpoint("/interviews/{id}/feedback")
            .get(feedback::get_own)
            .put(feedback::save_draft),
        endpoint("/interviews/{id}/feedback/submit").post(feedback::submit),
        endpoint("/loops/{id}/feedback").get(feedback::for_loop),
        endpoint("/loops/{id}/debrief")
            .get(debrief::packet)
            .post(debrief::open),
        endpoint("/loops/{id}/debrief/read").post(debrief::mark_read),
        endpoint("/loops/{id}/debrief/stream").get(debrief::stream),
        endpoint("/loops/{id}/debrief/vote").put(debrief::vote),
        endpoint("/loops/{id}/debrief/notes").post(debrief::add_note),
        endpoint("/loops/{id}/debrief/close").post(debrief::close),
        endpoint("/loops/{id}/decision").post(debrief::decide),
        endpoint("/loops/{id}/signal-requests").get(debrief::signal_requests),
        endpoint("/loops/{id}/debrief-proposal").get(debrief::proposal),
        endpoint("/loops/{id}/commitment").post(debrief::commit),
        endpoint("/loops/{id}/outcomes")
            .get(outcomes::list_outcomes)
            .post(outcomes::record_outcome),
        endpoint("/outcomes/import").post(outcomes::import_outcomes),
        endpoint("/metrics/process").get(analytics::process),
        endpoint("/metrics/calibration").get(analytics::calibration),
        endpoint("/metrics/validity").get(analytics::validity),
        endpoint("/api-keys")
            .get(api_keys::list_keys)
            .post(api_keys::create_key),
        endpoint("/api-keys/{id}").delete(api_keys::revoke_key),
        endpoint("/webhooks")
            .get(webhooks::list_webhooks)
            .post(webhooks::create_webhook),
        endpoint("/webhooks/{id}")
            .patch(webhooks::change_webhook)
            .delete(webhooks::delete_webhook),
        endpoint("/webhooks/{id}/deliveries").get(webhooks::list_deliveries),
        endpoint("/admin/outbox").get(outbox::list_outbox),
        endpoint("/admin/outbox/{id}/retry").post(outbox::retry_message),
        endpoint("/admin/audit").get(audit::list_audit),
        endpoint("/admin/audit/verify").get(audit::verify_audit),
        endpoint("/admin/audit/export").get(audit::export_audit),
    ];
    let mut all: Vec<Endpoint> = api.into_iter().map(|e| e.under("/api/v1")).collect();
    all.extend([
        endpoint("/healthz").get(health::healthz),
        endpoint("/readyz").get(health::readyz),
        endpoint("/metrics").get(health::metrics),
    ]);
    all
}

/// `(path, methods)` of every route the service answers (besides `/docs` and
/// the OpenAPI document itself).
pub fn route_table() -> Vec<(String, Vec<&'static str>)> {
    endpoints().into_iter().map(|e| (e.path, e.allow)).collect()
}

/// Every route, registered as scopes by their first three segments
/// (`/api/v1/loops`…, see `scopes`), with the documentation.
pub fn routes(cfg: &mut web::ServiceConfig) {
    let entries = endpoints()
        .into_iter()
        .map(|e| scopes::Entry::new(e.path.clone(), move |within| e.done(within)))
        .collect();
    scopes::register(cfg, 3, entries);
    cfg.service(
        utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
            .external_url_unchecked("/api/openapi.json", openapi::document()),
    )
    .service(web::redirect("/docs", "/docs/"));
}

/// The problem for a path no route answers.
pub fn no_route() -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::NoRoute)
}

/// A resource and the methods it answers; any other method gets a 405
/// problem whose `Allow` header lists them.
struct Endpoint {
    path: String,
    routes: Vec<(&'static str, Route)>,
    allow: Vec<&'static str>,
}

fn endpoint(path: &str) -> Endpoint {
    Endpoint {
        path: path.to_owned(),
        routes: Vec::new(),
        allow: Vec::new(),
    }
}

macro_rules! endpoint_methods {
    ($($name:ident => $method:literal),+) => {
        impl Endpoint {
            $(
                fn $name<F, Args>(mut self, handler: F) -> Self
                where
                    F: Handler<Args>,
                    Args: FromRequest + 'static,
                    F::Output: Responder + 'static,
                {
                    self.allow.push($method);
                    self.routes.push(($method, web::$name().to(handler)));
                    self
                }
            )+
        }
    };
}
endpoint_methods!(get => "GET", post => "POST", put => "PUT", patch => "PATCH", delete => "DELETE");

impl Endpoint {
    /// The same endpoint below `prefix`.
    fn under(mut self, prefix: &str) -> Self {
        self.path = format!("{prefix}{}", self.path);
        self
    }

    /// The endpoint's resource at `path` (its own, or what is left of it
    /// within a scope).
    fn done(self, path: &str) -> Resource {
        let allow = self.allow.join(", ");
        let mut resource = web::resource(path);
        for (_, route) in self.routes {
            resource = resource.route(route);
        }
        resource.default_service(web::to(move || {
            let allow = allow.clone();
            async move { Err::<HttpResponse, _>(ApiError::MethodNotAllowed { allow }) }
        }))
    }
}

/// `X-Content-Type-Options`, `Content-Security-Policy`, `Referrer-Policy` and
/// `Cache-Control: no-store` on every response (every response is dynamic);
/// and `Strict-Transport-Security` (two years) when the service is reached
/// over https (`PUBLIC_URL`), so a browser never again tries plain http,
/// where a session cookie could be taken.
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::CACHE_CONTROL, "no-store"))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"))
        .add((header::REFERRER_POLICY, "no-referrer"));
    if https {
        headers.add((header::STRICT_TRANSPORT_SECURITY, "max-age=63072000"))
    } else {
        headers
    }
}

/// A path that does not parse (e.g. `/users/abc`) names nothing: 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, _| ApiError::NoRoute.into())
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| {
        ApiError::BadRequest(format!("The query string is not valid: {err}.")).into()
    })
}

/// For PATCH bodies: a missing field is `None`, an explicit `null` is `Some(None)`.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Timestamps leave the service as RFC 3339 in UTC.
pub fn utc(at: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    at.and_utc()
}
