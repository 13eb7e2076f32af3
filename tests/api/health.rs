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

/// The value of the sample `name{labels}` in an exposition, if present.
fn sample(text: &str, name_and_labels: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name_and_labels)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

#[test]
fn metrics_are_prometheus_text_and_move_with_requests() {
    let app = spawn_app();
    let me = app.user("member", "Kim Park");
    let scrape = || {
        let res = app.request("GET", "/metrics", None, None);
        assert_eq!(res.status, 200);
        assert!(
            res.header("content-type")
                .is_some_and(|ct| ct.starts_with("application/openmetrics-text"))
        );
        res.body.as_str().unwrap().to_owned()
    };
    let before = scrape();
    // Every line is a comment or a sample `name{labels} value`; the exposition ends with EOF.
    assert_eq!(before.lines().last(), Some("# EOF"));
    for line in before.lines().filter(|l| !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
        assert!(value.parse::<f64>().is_ok(), "{line}");
        let name = series.split('{').next().unwrap();
        assert!(
            name.starts_with("barraiser_")
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
    }
    let users =
        "barraiser_http_requests_total{method=\"GET\",route=\"/api/v1/users/{id}\",status=\"200\"}";
    let n0 = sample(&before, users).unwrap_or(0.0);
    for _ in 0..3 {
        assert_eq!(
            app.get(&format!("/api/v1/users/{}", me.id), &me.token)
                .status,
            200
        );
    }
    let after = scrape();
    assert_eq!(
        sample(&after, users),
        Some(n0 + 3.0),
        "counted by route pattern"
    );
    assert!(
        !after.contains(&format!("/api/v1/users/{}\"", me.id)),
        "never by raw path"
    );
    assert!(after.contains("barraiser_http_request_duration_seconds_bucket{"));
    assert!(
        sample(&after, "barraiser_outbox_messages{status=\"pending\"}").is_some()
            || sample(&after, "barraiser_outbox_messages{status=\"sent\"}").is_some()
    );
    assert!(sample(&after, "barraiser_db_pool_connections{state=\"idle\"}").is_some());
    assert!(after.contains("barraiser_build_info{version="));
    assert!(after.contains("barraiser_feedback_reminders_sent_total"));
}
