use crate::helpers::spawn_app;

#[test]
fn healthz_answers_without_authentication() {
    let app = spawn_app();
    let res = app.request("GET", "/healthz", None, None);
    assert_eq!(res.status, 200);
    assert_eq!(res.body["status"], "ok");
}

#[test]
fn readyz_reports_a_reachable_database() {
    let app = spawn_app();
    let res = app.request("GET", "/readyz", None, None);
    assert_eq!(res.status, 200);
    assert_eq!(res.body["status"], "ready");
}
