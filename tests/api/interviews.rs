//! The interview an invitation links to: its kit, for its interviewer only.

use serde_json::Value;

use crate::fixtures::{Org, interview_of};
use crate::helpers::spawn_app;
use crate::smtp::wait_until;

#[test]
fn the_invitation_links_to_the_interview_whose_kit_only_its_interviewer_sees() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let kim_interview = interview_of(&lp, &org.kim);

    // The link in Kim's invitation, as she would follow it.
    let link = || {
        app.mail_files(1).into_iter().find_map(|raw| {
            let m = mail_parser::MessageParser::default().parse(&raw)?;
            let to = m.to()?.first()?.address()?.to_owned();
            let text = m.body_text(0)?.into_owned();
            let invitation = m.subject()?.starts_with("Interview");
            (to == org.kim.email && invitation && m.attachments().next().is_some()).then_some(text)
        })
    };
    wait_until(std::time::Duration::from_secs(30), || link().is_some());
    let text = link().unwrap();
    let url = format!("http://barraiser.test/interviews/{kim_interview}");
    assert!(text.contains(&url), "{url} in {text}");

    // The link is the interviewer's web page: without a session it sends the
    // browser to sign in and come back (the page itself is tested in `web`).
    let page = app.raw(
        "GET",
        &format!("/interviews/{kim_interview}"),
        None,
        None,
        None,
    );
    assert_eq!(page.status, 303);
    assert_eq!(
        page.header("location"),
        Some(format!("/login?next=%2Finterviews%2F{kim_interview}").as_str())
    );

    let path = format!("/api/v1/interviews/{kim_interview}/kit");
    let kit = app.get(&path, &org.kim.token);
    assert_eq!(kit.status, 200, "{}", kit.body);
    assert_eq!(kit.body["interview_id"], kim_interview);
    assert_eq!(kit.body["loop_id"], lp["id"]);
    assert_eq!(kit.body["candidate_name"], "Casey Candidate");
    assert_eq!(kit.body["role_title"], "Senior Engineer");
    assert!(kit.body["feedback_due_at"].is_string());
    let competencies = kit.body["competencies"].as_array().unwrap();
    assert_eq!(competencies.len(), 1);
    let c: &Value = &competencies[0];
    assert_eq!(c["id"], org.competencies[1], "Kim assesses Dive Deep");
    for rating in ["1", "2", "3", "4"] {
        assert!(c["anchors"][rating].as_str().is_some_and(|a| !a.is_empty()));
    }
    assert!(!c["questions"].as_array().unwrap().is_empty());

    // Nobody else sees it, not even the loop's other people or an admin.
    for token in [
        &org.lee.token,
        &org.br.token,
        &org.hm.token,
        &org.recruiter.token,
        &org.outsider.token,
        &app.admin_token,
    ] {
        app.get(&path, token).assert_problem(404, "not_found");
    }
    app.request("GET", &path, None, None)
        .assert_problem(401, "unauthenticated");
    app.get("/api/v1/interviews/999999/kit", &org.kim.token)
        .assert_problem(404, "not_found");
}
