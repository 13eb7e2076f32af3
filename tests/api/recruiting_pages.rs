//! The recruiter's requisitions and candidates pages: lists, a new
//! requisition with the hiring manager picked by name, edit, close and
//! reopen; candidate search, a candidate's loops and a confirmed erasure —
//! and the refusals to everyone else.

use crate::fixtures::Org;
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

#[test]
fn a_recruiter_lists_opens_edits_closes_and_reopens_requisitions() {
    let app = spawn_app();
    let org = Org::new(&app);
    org.create_loop(&app);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let list = rita.get("/requisitions");
    assert_eq!(list.status, 200);
    let row = list
        .text
        .split("<tr>")
        .find(|r| r.contains("Senior Engineer"))
        .unwrap();
    assert!(
        row.contains("Sam Ortiz") && row.contains("Open") && row.contains("<td>1</td>"),
        "{row}"
    );

    // A new one: the hiring manager typed, resolved without a script.
    let [own, dive] = org.competencies.map(|c| c.to_string());
    let incomplete = rita.post(
        "/requisitions/new",
        &[
            ("csrf_token", &csrf),
            ("hiring_manager_id.q", "sam"),
            ("title", ""),
            ("min_panel_size", "40"),
        ],
    );
    assert_eq!(incomplete.status, 422);
    incomplete.assert_contains("must list 1 to 30 competencies");
    incomplete.assert_contains("must be from 1 to 20");
    // What was resolved stays chosen.
    incomplete.assert_contains(&format!(
        r#"name="hiring_manager_id" value="{}""#,
        org.hm.id
    ));
    let created = rita.post(
        "/requisitions/new",
        &[
            ("csrf_token", &csrf),
            ("hiring_manager_id.q", "sam"),
            ("title", "Staff Engineer"),
            ("competency_ids", &own),
            ("competency_ids", &dive),
            ("min_panel_size", "3"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.text);
    let at = created.location().to_owned();
    let page = rita.get(&at);
    page.assert_contains("Staff Engineer");
    page.assert_contains("Sam Ortiz");
    page.assert_contains("3 interviews");

    // Edit, then close: a closed requisition takes no new loops.
    let saved = rita.post(
        &at,
        &[
            ("csrf_token", &csrf),
            ("title", "Staff Engineer, Payments"),
            ("competency_ids", &own),
            ("min_panel_size", "2"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text);
    rita.get(&at).assert_contains("Staff Engineer, Payments");
    let closed = rita.post(
        &format!("{at}/status"),
        &[("csrf_token", &csrf), ("status", "closed")],
    );
    assert_eq!(closed.status, 303);
    let page = rita.get(&at);
    page.assert_contains("Closed");
    page.assert_contains("Reopen the requisition");
    let id: i64 = at.rsplit('/').next().unwrap().parse().unwrap();
    let mut body = org.loop_body();
    body["requisition_id"] = serde_json::json!(id);
    let refused = app.post("/api/v1/loops", &org.recruiter.token, body);
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        refused.body["errors"][0]["message"],
        "the requisition is closed"
    );
    assert_eq!(
        rita.post(
            &format!("{at}/status"),
            &[("csrf_token", &csrf), ("status", "open")]
        )
        .status,
        303
    );
    rita.get(&at).assert_contains("Close the requisition");
    // A bad status is refused, not a 500.
    let bad = rita.post(
        &format!("{at}/status"),
        &[("csrf_token", &csrf), ("status", "maybe")],
    );
    assert_eq!(bad.status, 422);
}

#[test]
fn requisition_pages_are_read_only_for_the_hiring_manager_and_hidden_from_others() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    let at = format!("/requisitions/{}", org.requisition_id);
    let (mut sam, sam_csrf) = WebClient::signed_in(&app, &org.hm.email);
    let page = sam.get(&at);
    assert_eq!(page.status, 200);
    page.assert_contains("Casey Candidate");
    assert!(!page.text.contains("Save") && !page.text.contains("Close the requisition"));
    let edit = sam.post(
        &at,
        &[
            ("csrf_token", &sam_csrf),
            ("title", "Mine now"),
            ("competency_ids", &org.competencies[0].to_string()),
            ("min_panel_size", "2"),
        ],
    );
    assert!([403, 404].contains(&edit.status), "{}", edit.status);
    let (mut otto, otto_csrf) = WebClient::signed_in(&app, &org.outsider.email);
    assert_eq!(otto.get(&at).status, 404);
    assert_eq!(
        otto.post(
            &format!("{at}/status"),
            &[("csrf_token", &otto_csrf), ("status", "closed")]
        )
        .status,
        404
    );
    assert!([403, 404].contains(&otto.get("/requisitions/new").status));
    let (mut rob, _) = WebClient::signed_in(&app, &org.other_recruiter.email);
    assert_eq!(rob.get(&at).status, 404);
    assert!(!rob.get("/requisitions").text.contains("Senior Engineer"));
    let unchanged = app.get(
        &format!("/api/v1/requisitions/{}", org.requisition_id),
        &org.recruiter.token,
    );
    assert_eq!(unchanged.body["title"], "Senior Engineer");
    assert_eq!(unchanged.body["status"], "open");
    let _ = lp;
}

#[test]
fn a_recruiter_searches_candidates_sees_their_loops_and_erases_one_after_confirming() {
    let app = spawn_app();
    let org = Org::new(&app);
    org.create_loop(&app);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let found = rita.get("/candidates?q=CASEY");
    assert_eq!(found.status, 200);
    found.assert_contains("casey@example.net");
    let by_email = rita.get("/candidates?q=example.net");
    by_email.assert_contains("Casey Candidate");
    rita.get("/candidates?q=zzz")
        .assert_contains("No candidate matches “zzz”.");
    let at = format!("/candidates/{}", org.candidate_id);
    let page = rita.get(&at);
    page.assert_contains("Senior Engineer");
    page.assert_contains("Erase their personal data");
    // From their page, a loop for them starts with them chosen.
    let builder = rita.get(&format!(
        "/loops/new?candidate={}&requisition={}",
        org.candidate_id, org.requisition_id
    ));
    assert_eq!(builder.status, 200);
    builder.assert_contains(&format!(
        r#"<option value="{}" selected>Casey Candidate"#,
        org.candidate_id
    ));
    builder.assert_contains(&format!(
        r#"<option value="{}" selected>Senior Engineer"#,
        org.requisition_id
    ));

    // Not confirmed: nothing erased.
    let unconfirmed = rita.post(&format!("{at}/erase"), &[("csrf_token", &csrf)]);
    assert_eq!(unconfirmed.status, 422);
    unconfirmed.assert_contains("tick to confirm");
    assert_eq!(
        app.get(
            &format!("/api/v1/candidates/{}", org.candidate_id),
            &org.recruiter.token
        )
        .body["email"],
        "casey@example.net"
    );
    // Others may not see or erase them.
    let (mut rob, rob_csrf) = WebClient::signed_in(&app, &org.other_recruiter.email);
    assert_eq!(rob.get(&at).status, 404);
    assert_eq!(
        rob.post(
            &format!("{at}/erase"),
            &[("csrf_token", &rob_csrf), ("confirm", "yes")]
        )
        .status,
        404
    );
    assert!(!rob.get("/candidates?q=casey").text.contains("Casey"));
    let (mut kim, _) = WebClient::signed_in(&app, &org.kim.email);
    assert!([403, 404].contains(&kim.get("/candidates").status));

    let erased = rita.post(
        &format!("{at}/erase"),
        &[("csrf_token", &csrf), ("confirm", "yes")],
    );
    assert_eq!(erased.status, 303);
    let page = rita.get(&at);
    page.assert_contains("Erased");
    assert!(!page.text.contains("casey@example.net"));
    assert!(
        !page.text.contains("Erase their personal data"),
        "once is enough"
    );
}
