//! The OpenAPI 3.1 document, generated from the handlers' annotations and the
//! types they take and answer (utoipa), served at `/api/openapi.json` and
//! browsable at `/docs` (Swagger UI, embedded in the binary).

use serde_json::{Value, json};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    analytics, api_keys, audit, auth, candidates, competencies, debrief, feedback, health, import,
    interviews, loop_events, loops, me, outbox, outcomes, requisitions, users, webhooks,
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
        interviews::remind,
        feedback::get_own,
        feedback::save_draft,
        feedback::submit,
        feedback::for_loop,
        debrief::open,
        debrief::packet,
        debrief::mark_read,
        debrief::stream,
        debrief::vote,
        debrief::add_note,
        debrief::close,
        debrief::decide,
        debrief::signal_requests,
        debrief::proposal,
        debrief::commit,
        analytics::process,
        analytics::calibration,
        api_keys::create_key,
        api_keys::list_keys,
        api_keys::revoke_key,
        analytics::validity,
        outcomes::record_outcome,
        outcomes::list_outcomes,
        outcomes::import_outcomes,
        webhooks::create_webhook,
        webhooks::list_webhooks,
        webhooks::change_webhook,
        webhooks::delete_webhook,
        webhooks::list_deliveries,
        outbox::list_outbox,
        outbox::retry_message,
        audit::list_audit,
        import::import_users,
        audit::verify_audit,
        audit::export_audit,
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
        (name = "outcomes", description = "What became of hires: outcomes recorded after the decision, by hand or from CSV"),
        (name = "analytics", description = "Input metrics of the process, interviewer calibration, predictive validity"),
        (name = "admin", description = "API keys, webhooks, the mail outbox and the organisation's audit trail"),
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

/// The document: what the handlers' annotations say, and four rules that
/// hold for every route, written in once here instead of on each route:
/// errors are `application/problem+json`; `limit`, `from` and `to` mean the
/// same everywhere; a query string that does not parse (a repeated or
/// mistyped parameter) is a 400; a request body with a member it does not
/// define is refused (422).
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serializes");
    problems_as_problem_json(&mut doc);
    shared_query_parameters(&mut doc);
    malformed_queries(&mut doc);
    closed_request_bodies(&mut doc);
    doc
}

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// Every operation of the document.
fn operations(doc: &mut Value) -> impl Iterator<Item = &mut Value> {
    doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .flat_map(|item| {
            item.as_object_mut()
                .into_iter()
                .flat_map(|ops| ops.iter_mut())
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
                .map(|(_, op)| op)
        })
}

/// 4xx and 5xx answers are RFC 7807 problems, served as `application/problem+json`.
fn problems_as_problem_json(doc: &mut Value) {
    for op in operations(doc) {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            continue;
        };
        for (status, response) in responses.iter_mut() {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut)
                && let Some(json) = content.remove("application/json")
            {
                content.insert("application/problem+json".into(), json);
            }
        }
    }
}

/// The query parameters that mean the same on every route: a page's `limit`
/// (1 to 200) and a period's `from` and `to` (RFC 3339 timestamps).
fn shared_query_parameters(doc: &mut Value) {
    for op in operations(doc) {
        let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
            continue;
        };
        for p in params.iter_mut().filter(|p| p["in"] == "query") {
            match p["name"].as_str() {
                Some("limit") => {
                    p["schema"]["minimum"] = json!(1);
                    p["schema"]["maximum"] = json!(crate::domain::Page::MAX_LIMIT);
                }
                Some("from" | "to") => p["schema"]["format"] = json!("date-time"),
                _ => {}
            }
        }
    }
}

/// An operation with query parameters answers 400 `malformed_request` when
/// the query string does not parse.
fn malformed_queries(doc: &mut Value) {
    for op in operations(doc) {
        let has_query = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
        if !has_query || op["responses"].get("400").is_some() {
            continue;
        }
        op["responses"]["400"] = json!({
            "description": "`malformed_request`: the query string does not parse (a parameter given twice, or of the wrong type)",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        });
    }
}

/// The component schemas a request body uses, directly or nested, are closed:
/// `additionalProperties: false`, as the server refuses unknown members (422,
/// which every operation with a body may therefore answer).
fn closed_request_bodies(doc: &mut Value) {
    let mut pending: Vec<String> = Vec::new();
    for op in operations(doc) {
        let Some(content) = op
            .get("requestBody")
            .and_then(|b| b.get("content"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for media in content.values() {
            collect_refs(&media["schema"], &mut pending);
        }
        if op["responses"].get("422").is_none() {
            op["responses"]["422"] = json!({
                "description": "`validation_failed`: a member the body does not define, named in `errors`",
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
            });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let schema = &mut doc["components"]["schemas"][&name];
        if schema["type"] == "object" {
            schema["additionalProperties"] = json!(false);
        }
        let nested = schema.clone();
        collect_refs(&nested, &mut pending);
    }
}

/// The names of the component schemas `schema` refers to, anywhere inside it.
fn collect_refs(schema: &Value, into: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                into.push(name.to_owned());
            }
            for v in map.values() {
                collect_refs(v, into);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}
