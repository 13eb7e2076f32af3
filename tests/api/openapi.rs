//! The OpenAPI document: every route in it, valid OpenAPI 3.1, and real
//! responses that match the schemas it declares.

use barraiser::urls::api;

use crate::client::LoopRef;

use serde_json::{Value, json};

use crate::fixtures::{Org, interview_of};
use crate::helpers::{TestApp, spawn_app};

fn document(app: &TestApp) -> Value {
    let res = app.request("GET", "/api/openapi.json", None, None);
    assert_eq!(res.status, 200);
    res.body
}

#[test]
fn every_route_of_the_router_is_in_the_openapi_document_and_nothing_else() {
    let app = spawn_app();
    let doc = document(&app);
    let paths = doc["paths"].as_object().unwrap();
    let mut routed = Vec::new();
    for (path, methods) in barraiser::http::route_table() {
        for method in methods {
            let op = &paths
                .get(&path)
                .unwrap_or_else(|| panic!("{path} is not in the document"))[method.to_lowercase()];
            assert!(op.is_object(), "{method} {path} is not in the document");
            assert!(
                op["responses"]
                    .as_object()
                    .is_some_and(|r| r.len() >= 2 || path == "/healthz"),
                "{method} {path} documents its problems"
            );
            routed.push(format!("{method} {path}"));
        }
    }
    let mut documented = Vec::new();
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                documented.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    routed.sort();
    documented.sort();
    assert_eq!(routed, documented);
    // And `urls::api`, which pages' tests and integrations' tests build their
    // paths with, spells exactly these.
    let mut built = api::ALL.to_vec();
    built.sort_unstable();
    let mut api_paths: Vec<&str> = paths
        .keys()
        .map(String::as_str)
        .filter(|p| p.starts_with("/api/v1/"))
        .collect();
    api_paths.sort_unstable();
    assert_eq!(built, api_paths, "urls::api builds every path of the API");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[test]
fn the_openapi_document_is_valid_openapi_3_1() {
    let app = spawn_app();
    let doc = document(&app);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let schema: Value =
        serde_json::from_str(include_str!("../support/openapi-3.1.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the OpenAPI 3.1 schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The problems of `body` against the schema the document declares for the
/// response `status` of `method path`.
fn problems(doc: &Value, method: &str, path: &str, status: u16, body: &Value) -> Vec<String> {
    let op = &doc["paths"][path][method];
    let response = &op["responses"][status.to_string()];
    let content = response["content"]
        .as_object()
        .unwrap_or_else(|| panic!("{method} {path} declares no {status} body"));
    let schema = content
        .get("application/json")
        .or_else(|| content.get("application/problem+json"))
        .unwrap_or_else(|| panic!("{method} {path} {status}: {content:?}"))["schema"]
        .clone();
    let root = json!({ "components": doc["components"], "allOf": [schema] });
    let validator = jsonschema::validator_for(&root).expect("the response schema compiles");
    validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Asserts that `body` matches its declared schema.
#[track_caller]
fn check(doc: &Value, method: &str, path: &str, status: u16, body: &Value) {
    let errors = problems(doc, method, path, status, body);
    assert!(
        errors.is_empty(),
        "{method} {path} {status} does not match its schema: {errors:#?}\n{body}"
    );
}

#[test]
fn real_responses_match_the_schemas_the_document_declares() {
    let app = spawn_app();
    let doc = document(&app);
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    let id = lp["id"].clone();
    let login = app.try_login(&org.kim.email, crate::helpers::PASSWORD);
    check(&doc, "post", api::LOGIN, 200, &login.body);
    let me = app.me(&org.kim.token).body;
    check(&doc, "get", api::ME, 200, &me);
    // The schemas have teeth: a user without an email, or with a wrong role, does not match.
    let mut broken = me.clone();
    broken.as_object_mut().unwrap().remove("email");
    assert!(!problems(&doc, "get", api::ME, 200, &broken).is_empty());
    broken = me.clone();
    broken["role"] = json!("owner");
    assert!(!problems(&doc, "get", api::ME, 200, &broken).is_empty());
    check(
        &doc,
        "get",
        api::USERS,
        200,
        &app.get(api::USERS, &org.kim.token).body,
    );
    check(
        &doc,
        "get",
        "/api/v1/competencies/{id}",
        200,
        &app.get(
            &format!("/api/v1/competencies/{}", org.competencies[0]),
            &org.kim.token,
        )
        .body,
    );
    check(&doc, "post", api::LOOPS, 201, &lp);
    check(
        &doc,
        "get",
        api::LOOPS,
        200,
        &app.get(api::LOOPS, &org.recruiter.token).body,
    );
    check(
        &doc,
        "get",
        "/api/v1/loops/{id}/events",
        200,
        &app.loop_events(&org.recruiter.token, &id).body,
    );
    check(
        &doc,
        "get",
        "/api/v1/loops/{id}/bar-raiser-suggestions",
        200,
        &app.suggestions(&org.recruiter.token, &id).body,
    );
    let scheduled = app.schedule(&org.recruiter, &id);
    check(
        &doc,
        "post",
        "/api/v1/loops/{id}/schedule",
        200,
        &scheduled.body,
    );
    let kim_interview = interview_of(&scheduled.body, &org.kim);
    check(
        &doc,
        "get",
        "/api/v1/interviews/{id}/kit",
        200,
        &app.kit(&org.kim.token, kim_interview).body,
    );
    let draft = app.save_feedback(&org.kim, kim_interview, json!({"ratings": [{"competency_id": org.competencies[1], "rating": 2, "evidence": "short"}], "vote": "strong_hire"}),
    );
    check(
        &doc,
        "put",
        "/api/v1/interviews/{id}/feedback",
        200,
        &draft.body,
    );
    check(
        &doc,
        "get",
        api::ME_INTERVIEWS,
        200,
        &app.get(api::ME_INTERVIEWS, &org.kim.token).body,
    );
    // Problems too.
    let forbidden = app.loop_feedback(&org.kim.token, &id);
    check(
        &doc,
        "get",
        "/api/v1/loops/{id}/feedback",
        403,
        &forbidden.body,
    );
    let invalid = app.post(
        api::USERS,
        &app.admin_token,
        json!({"email": "x", "name": "", "password": "p", "role": "r"}),
    );
    check(&doc, "post", api::USERS, 422, &invalid.body);
    let red = app.post(&api::debrief(id.loop_id()), &org.kim.token, json!({}));
    check(&doc, "post", "/api/v1/loops/{id}/debrief", 403, &red.body);
}

#[test]
fn the_api_reference_is_served_from_the_binary() {
    let app = spawn_app();
    let page = app.request("GET", "/docs/", None, None);
    assert_eq!(page.status, 200);
    let html = page.body.as_str().unwrap().to_owned();
    assert!(html.contains("swagger-ui-bundle.js"));
    // Every asset the page loads comes from this server, none from the network.
    for asset in [
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "swagger-initializer.js",
    ] {
        let res = app.request("GET", &format!("/docs/{asset}"), None, None);
        assert_eq!(res.status, 200, "{asset}");
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );
    let init = app.request("GET", "/docs/swagger-initializer.js", None, None);
    assert!(init.body.as_str().unwrap().contains("/api/openapi.json"));
}
