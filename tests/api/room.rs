//! The debrief room's page (`/loops/{id}/debrief`) over plain HTTP: each
//! person sees only the actions the service allows them, forms come back with
//! the problem beside the field, every refused action is answered with its
//! reason (never a 500), and outsiders get the 404 page. The live updates in
//! a real browser are in `browser.rs`; the stream itself in `live.rs`.

use barraiser::domain::LoopId;
use barraiser::urls;

use crate::client::LoopRef;
use crate::debrief::{all_submitted, started};
use crate::fixtures::Org;
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

/// The text of a page with its tags removed, whitespace collapsed.
fn words(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_room_walks_from_opening_to_commitments_showing_each_person_only_their_actions() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = started(&app, &org);
    let id: LoopId = lp.loop_id();
    // Ownership diverges (3 against 1); only Kim assessed Dive Deep. Ana has
    // not submitted.
    app.write_and_submit(&lp, &org.br, &[(own, 3)], "hire");
    app.write_and_submit(&lp, &org.kim, &[(dive, 2)], "no_hire");
    app.write_and_submit(&lp, &org.lee, &[(own, 1)], "hire");
    let room = urls::debrief_room(id);
    let action = |pattern: &str| urls::debrief_room_action(pattern, id);

    let (mut outsider, _) = WebClient::signed_in(&app, &org.outsider.email);
    let page = outsider.get(&room);
    assert_eq!(page.status, 404);
    page.assert_contains("Page not found");

    // Before it opens: the statuses; only the bar raiser may open it, with a reason.
    let (mut br, br_csrf) = WebClient::signed_in(&app, &org.br.email);
    let (mut kim, kim_csrf) = WebClient::signed_in(&app, &org.kim.email);
    let (mut hm, hm_csrf) = WebClient::signed_in(&app, &org.hm.email);
    let before = br.get(&room);
    assert_eq!(before.status, 200, "{}", before.text);
    before.assert_contains("Open the debrief");
    before.assert_contains("Feedback is missing from Ana Ruiz");
    let kims = kim.get(&room);
    assert!(!kims.text.contains("Open the debrief"));
    kims.assert_contains("The packet opens with the debrief.");
    let no_reason = br.post(
        &action(urls::DEBRIEF_ROOM_OPEN),
        &[("csrf_token", &br_csrf), ("override_reason", "  ")],
    );
    assert_eq!(no_reason.status, 422, "{}", no_reason.text);
    no_reason.assert_contains(r#"id="override_reason-error""#);
    no_reason.assert_contains("say why the debrief opens without it");
    let opened = br.post(
        &action(urls::DEBRIEF_ROOM_OPEN),
        &[
            ("csrf_token", &br_csrf),
            ("override_reason", "Ana is on leave for two weeks."),
        ],
    );
    assert_eq!(opened.status, 303, "{}", opened.text);
    assert_eq!(opened.location(), room);
    br.get(&room).assert_contains("The debrief is open.");

    // Evidence first: Kim reads before she sees any vote; diverged first, the
    // lone witness flagged; Ana (no feedback) sees no packet at all.
    let kims = words(&kim.get(&room).text);
    assert!(kims.contains("I have read the packet"), "{kims}");
    assert!(kims.contains("The votes open once you mark the packet read"));
    let ownership = kims
        .find("Ownership Diverged")
        .expect("Ownership, diverged");
    let dive_deep = kims
        .find("Dive Deep One witness")
        .expect("Dive Deep, one witness");
    assert!(ownership < dive_deep, "diverged first: {kims}");
    assert!(kims.contains("Only Kim Park assessed this"));
    let (mut ana, _) = WebClient::signed_in(&app, &org.ana.email);
    let anas = ana.get(&room);
    anas.assert_contains("Submit your own feedback to see the panel");
    assert!(!anas.text.contains("Evidence by competency"));

    // Read, then a changed vote needs its reason beside the field.
    let read = kim.post(
        &action(urls::DEBRIEF_ROOM_READ),
        &[("csrf_token", &kim_csrf)],
    );
    assert_eq!(read.status, 303, "{}", read.text);
    let kims = kim.get(&room);
    kims.assert_contains("Cast my final vote");
    kims.assert_contains("Your initial vote was no hire");
    let unexplained = kim.post(
        &action(urls::DEBRIEF_ROOM_VOTE),
        &[("csrf_token", &kim_csrf), ("vote", "hire"), ("reason", "")],
    );
    assert_eq!(unexplained.status, 422, "{}", unexplained.text);
    unexplained.assert_contains(r#"id="reason-error""#);
    let voted = kim.post(
        &action(urls::DEBRIEF_ROOM_VOTE),
        &[
            ("csrf_token", &kim_csrf),
            ("vote", "hire"),
            ("reason", "Lee's account settled it."),
        ],
    );
    assert_eq!(voted.status, 303, "{}", voted.text);
    // Sealed for the hiring manager; the bar raiser's close waits for the rest.
    let hms = words(&hm.get(&room).text);
    assert!(hms.contains("Kim Park no hire voted (sealed)"), "{hms}");
    assert!(!hms.contains("Record the decision"));
    let brs = words(&br.get(&room).text);
    assert!(
        brs.contains("Closing waits for the final votes of Dana Lee, Lee Chan"),
        "{brs}"
    );
    assert!(!brs.contains("Close the debrief"));
    assert!(brs.contains("Add the note"));

    d_read_and_vote(&app, &lp, &[(&org.br, "hire"), (&org.lee, "hire")]);
    let brs = words(&br.get(&room).text);
    assert!(
        brs.contains("Kim Park no hire hire Lee's account settled it."),
        "revealed: {brs}"
    );
    assert!(brs.contains("Close the debrief"));
    let closed = br.post(
        &action(urls::DEBRIEF_ROOM_CLOSE),
        &[
            ("csrf_token", &br_csrf),
            ("recommendation", "no_hire"),
            ("veto", "true"),
            (
                "rationale",
                "Ownership rests on one story that did not hold up.",
            ),
        ],
    );
    assert_eq!(closed.status, 303, "{}", closed.text);

    // The hiring manager decides beside the recommendation; a veto rules out hire.
    let hms = hm.get(&room);
    hms.assert_contains("Record the decision");
    hms.assert_contains("Vetoed");
    assert!(
        !hms.text.contains(r#"<option value="hire">"#),
        "no hire on a vetoed loop"
    );
    let decided = hm.post(
        &action(urls::DEBRIEF_ROOM_DECISION),
        &[
            ("csrf_token", &hm_csrf),
            ("decision", "no_hire"),
            ("rationale", "Agreed with the veto."),
        ],
    );
    assert_eq!(decided.status, 303, "{}", decided.text);
    let after = words(&hm.get(&room).text);
    assert!(
        after.contains("It goes against the mechanical composite (band: hire)"),
        "{after}"
    );

    // The panel commits, or disagrees and commits.
    let committed = kim.post(
        &action(urls::DEBRIEF_ROOM_COMMITMENT),
        &[
            ("csrf_token", &kim_csrf),
            ("dissent", "I would have hired."),
        ],
    );
    assert_eq!(committed.status, 303, "{}", committed.text);
    let kims = words(&kim.get(&room).text);
    assert!(
        kims.contains("Kim Park disagrees and commits: I would have hired."),
        "{kims}"
    );
    assert!(!kims.contains("Disagree and commit: your dissent"), "once");
}

/// Each of `people` reads and votes over the API.
fn d_read_and_vote(
    app: &crate::helpers::TestApp,
    lp: &serde_json::Value,
    people: &[(&crate::helpers::TestUser, &str)],
) {
    app.debrief(lp).read_and_vote(people);
}

#[test]
fn every_refused_action_in_the_room_is_answered_with_its_reason_never_a_500() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = all_submitted(&app, &org);
    let id: LoopId = lp.loop_id();
    let room = urls::debrief_room(id);
    let referer = app.url(&room);
    let headers = [("Referer", referer.as_str())];
    let action = |pattern: &str| urls::debrief_room_action(pattern, id);
    let (mut kim, kim_csrf) = WebClient::signed_in(&app, &org.kim.email);
    let (mut br, br_csrf) = WebClient::signed_in(&app, &org.br.email);
    let (mut rita, rita_csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let (mut otto, otto_csrf) = WebClient::signed_in(&app, &org.outsider.email);

    // (who, what, path, fields, words of the reason)
    type Case<'a> = (&'a str, &'a str, String, Vec<(&'a str, &'a str)>, &'a str);
    let before: Vec<Case> = vec![
        (
            "kim",
            "open as a panel member",
            action(urls::DEBRIEF_ROOM_OPEN),
            vec![],
            "only the loop's bar raiser",
        ),
        (
            "kim",
            "read before it opens",
            action(urls::DEBRIEF_ROOM_READ),
            vec![],
            "not open",
        ),
        (
            "br",
            "close before it opens",
            action(urls::DEBRIEF_ROOM_CLOSE),
            vec![("recommendation", "hire"), ("rationale", "r")],
            "cannot be closed",
        ),
    ];
    let opened: Vec<Case> = vec![
        (
            "kim",
            "vote before reading",
            action(urls::DEBRIEF_ROOM_VOTE),
            vec![("vote", "hire")],
            "read the packet",
        ),
        (
            "kim",
            "a note by a panel member",
            action(urls::DEBRIEF_ROOM_NOTES),
            vec![("text", "x")],
            "only the loop's bar raiser",
        ),
        (
            "rita",
            "read as the recruiter",
            action(urls::DEBRIEF_ROOM_READ),
            vec![],
            "only the loop's panel members",
        ),
        (
            "br",
            "close with votes missing",
            action(urls::DEBRIEF_ROOM_CLOSE),
            vec![("recommendation", "hire"), ("rationale", "r")],
            "have not cast a final vote",
        ),
        (
            "kim",
            "decide as a panel member",
            action(urls::DEBRIEF_ROOM_DECISION),
            vec![("decision", "hire"), ("rationale", "r")],
            "only the loop's hiring manager",
        ),
        (
            "kim",
            "commit before the decision",
            action(urls::DEBRIEF_ROOM_COMMITMENT),
            vec![],
            "follow the decision",
        ),
        (
            "br",
            "open twice",
            action(urls::DEBRIEF_ROOM_OPEN),
            vec![],
            "cannot be taken into a debrief",
        ),
        (
            "otto",
            "read as an outsider",
            action(urls::DEBRIEF_ROOM_READ),
            vec![],
            "page not found",
        ),
    ];
    let mut run = |cases: Vec<Case>| {
        for (who, what, path, fields, says) in cases {
            let (client, csrf) = match who {
                "kim" => (&mut kim, &kim_csrf),
                "br" => (&mut br, &br_csrf),
                "rita" => (&mut rita, &rita_csrf),
                _ => (&mut otto, &otto_csrf),
            };
            let mut form = vec![("csrf_token", csrf.as_str())];
            form.extend(fields);
            let page = client.post_with(&path, &form, &headers);
            assert!(page.status < 500, "{what}: {} {}", page.status, page.text);
            assert!(
                page.status != 200 && page.status != 201,
                "{what}: refused, not done"
            );
            let shown = if page.status == 303 {
                client.get(page.location()).text
            } else {
                page.text.clone()
            };
            assert!(
                words(&shown).to_lowercase().contains(says),
                "{what} ({}): {says:?} in {}",
                page.status,
                words(&shown)
            );
        }
    };
    run(before);
    assert_eq!(app.debrief(&lp).open(&org.br, None).status, 200);
    run(opened);
}
