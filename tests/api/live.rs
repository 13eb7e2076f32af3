//! The debrief room's event stream for integrations
//! (`GET /api/v1/loops/{id}/debrief/stream`): events as they happen, sealed
//! votes, a reveal at the last vote, an exact replay after `Last-Event-ID`,
//! the 404 for outsiders and the cap per person.

use std::time::Duration;

use barraiser::domain::LoopId;
use barraiser::urls::api;
use serde_json::{Value, json};

use crate::client::LoopRef;
use crate::debrief::{all_submitted, started};
use crate::fixtures::Org;
use crate::helpers::{TestUser, spawn_app};
use crate::sse_client::{self, Event};

fn bearer(who: &TestUser) -> String {
    format!("Bearer {}", who.token)
}

fn names(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.name.as_str()).collect()
}

#[test]
fn the_stream_tells_each_step_as_it_happens_with_votes_sealed_until_the_reveal() {
    let app = spawn_app();
    let org = Org::new(&app);
    let [own, dive] = org.competencies;
    let lp = started(&app, &org);
    let id: LoopId = lp.loop_id();
    for (who, ratings, vote) in [
        (&org.br, vec![(own, 3)], "hire"),
        (&org.kim, vec![(dive, 2)], "no_hire"),
        (&org.lee, vec![(own, 3)], "hire"),
        (&org.ana, vec![(own, 3), (dive, 3)], "hire"),
    ] {
        app.write_and_submit(&lp, who, &ratings, vote);
    }
    let path = api::debrief_stream(id);
    let hm = sse_client::open(&app, &path, &[("Authorization", &bearer(&org.hm))]).stream();
    assert!(hm.content_type.starts_with("text/event-stream"));
    let kim = sse_client::open(&app, &path, &[("Authorization", &bearer(&org.kim))]).stream();
    assert!(
        hm.quiet_for(Duration::from_millis(300)).is_ok(),
        "nothing of the feedback phase is a room event"
    );

    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);
    let opened = hm.next();
    assert_eq!(opened.name, "opened");
    assert_eq!(opened.json()["override"], false);
    assert_eq!(kim.next().name, "opened");

    assert_eq!(d.read(&org.kim).status, 200);
    let changed = d.vote(
        &org.kim,
        json!({"vote": "hire", "reason": "Lee's story answered my doubt."}),
    );
    assert_eq!(changed.status, 200, "{}", changed.body);
    let seen = hm.take(2);
    assert_eq!(names(&seen), ["read", "vote"]);
    assert_eq!(seen[0].json()["user_id"], org.kim.id);
    assert_eq!(
        seen[1].json(),
        json!({"user_id": org.kim.id, "has_final_vote": true, "final": null}),
        "sealed for the hiring manager"
    );
    let own_view = kim.take(2);
    assert_eq!(
        own_view[1].json()["final"],
        "hire",
        "one's own vote is shown to oneself"
    );
    assert!(seen[0].seq() < seen[1].seq(), "ids follow the audit chain");

    d.read_and_vote(&[(&org.br, "hire"), (&org.lee, "hire")]);
    let more = hm.take(4);
    assert_eq!(names(&more), ["read", "vote", "read", "vote"]);
    assert!(more.iter().all(|e| e.json()["final"] == Value::Null));
    d.read_and_vote(&[(&org.ana, "hire")]);
    let last = hm.take(3);
    assert_eq!(names(&last), ["read", "vote", "reveal"]);
    let votes = last[2].json()["votes"].as_array().unwrap().clone();
    assert_eq!(votes.len(), 4);
    assert!(votes.iter().all(|v| v["final"] == "hire"), "{votes:?}");
    assert_eq!(
        last[1].json()["final"],
        "hire",
        "after the reveal votes are open"
    );

    let note = d.note(
        &org.br,
        json!({"competency_id": dive, "text": "Ask Kim about the on-call story."}),
    );
    assert_eq!(note.status, 201);
    let note = hm.next();
    assert_eq!(note.name, "note");
    assert_eq!(note.json()["text"], "Ask Kim about the on-call story.");
    let closed = d.close(
        &org.br,
        json!({"recommendation": "hire", "rationale": "Strong."}),
    );
    assert_eq!(closed.status, 200);
    assert_eq!(
        hm.next().json(),
        json!({"recommendation": "hire", "veto": false})
    );
    let decided = d.decide(&org.hm, json!({"decision": "hire", "rationale": "Yes."}));
    assert_eq!(decided.status, 200);
    let decided = hm.next();
    assert_eq!(decided.name, "decided");
    assert_eq!(decided.json()["decision"], "hire");
    assert_eq!(
        d.commit(&org.lee, Some(json!({"dissent": "Wanted one more round."})))
            .status,
        201
    );
    let commitment = hm.next();
    assert_eq!(commitment.name, "commitment");
    assert_eq!(
        commitment.json(),
        json!({"user_id": org.lee.id, "dissent": true})
    );
}

#[test]
fn a_reconnect_with_last_event_id_receives_exactly_what_it_missed() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = all_submitted(&app, &org);
    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);
    d.read_and_vote(&[(&org.br, "hire"), (&org.kim, "hire")]);
    let path = api::debrief_stream(lp.loop_id());
    let auth = bearer(&org.recruiter);

    // From the start: everything so far, in order.
    let all = sse_client::open(&app, &path, &[("Authorization", &auth)]).stream();
    let history = all.take(5);
    assert_eq!(names(&history), ["opened", "read", "vote", "read", "vote"]);
    drop(all);

    // Gone after the first read receipt; meanwhile two more things happen.
    let last_seen = history[1].id.clone().unwrap();
    d.read_and_vote(&[(&org.lee, "hire")]);
    let back = sse_client::open(
        &app,
        &path,
        &[("Authorization", &auth), ("Last-Event-ID", &last_seen)],
    )
    .stream();
    let replayed = back.take(5);
    assert_eq!(
        replayed
            .iter()
            .map(|e| e.id.clone().unwrap())
            .collect::<Vec<_>>()[..3],
        history[2..]
            .iter()
            .map(|e| e.id.clone().unwrap())
            .collect::<Vec<_>>()[..],
        "the same events with the same ids"
    );
    assert_eq!(names(&replayed), ["vote", "read", "vote", "read", "vote"]);
    assert!(
        back.quiet_for(Duration::from_millis(300)).is_ok(),
        "and nothing twice"
    );
    // `?after=` does the same for a client that cannot send the header.
    let after = sse_client::open(
        &app,
        &format!("{path}?after={}", replayed[3].seq()),
        &[("Authorization", &auth)],
    )
    .stream();
    assert_eq!(after.next().id, replayed[4].id);
}

#[test]
fn outsiders_get_a_404_and_nobody_holds_more_than_eight_streams() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = started(&app, &org);
    let path = api::debrief_stream(lp.loop_id());
    let (status, body) =
        sse_client::open(&app, &path, &[("Authorization", &bearer(&org.outsider))]).refused();
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let (status, _) = sse_client::open(&app, &path, &[]).refused();
    assert_eq!(status, 401);
    let (status, _) = sse_client::open(
        &app,
        &api::debrief_stream(LoopId(999_999)),
        &[("Authorization", &bearer(&org.recruiter))],
    )
    .refused();
    assert_eq!(status, 404);

    let auth = bearer(&org.recruiter);
    let held: Vec<_> = (0..8)
        .map(|_| sse_client::open(&app, &path, &[("Authorization", &auth)]).stream())
        .collect();
    let (status, body) = sse_client::open(&app, &path, &[("Authorization", &auth)]).refused();
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("too_many_streams"))
    );
    // Others are not held to the recruiter's count.
    sse_client::open(&app, &path, &[("Authorization", &bearer(&org.hm))]).stream();
    drop(held);
}

#[test]
fn two_instances_on_one_database_deliver_each_others_events() {
    // PostgreSQL: LISTEN/NOTIFY between the instances, as behind a load
    // balancer. SQLite (one process): the instances share the file's wake-ups.
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = all_submitted(&app, &org);
    let second = crate::helpers::TestApp::start(app.db.clone(), app.settings.clone());
    let path = api::debrief_stream(lp.loop_id());
    let on_second =
        sse_client::open(&second, &path, &[("Authorization", &bearer(&org.hm))]).stream();
    let on_first = sse_client::open(&app, &path, &[("Authorization", &bearer(&org.hm))]).stream();

    // Written through the first instance, heard on both.
    assert_eq!(app.debrief(&lp).open(&org.br, None).status, 200);
    assert_eq!(on_second.next().name, "opened");
    assert_eq!(on_first.next().name, "opened");
    // And the other way.
    assert_eq!(second.debrief(&lp).read(&org.kim).status, 200);
    assert_eq!(on_first.next().name, "read");
    assert_eq!(on_second.next().name, "read");
    drop((on_first, on_second));
    second.stop_sharing_db();
}

#[test]
fn a_stopping_service_ends_its_streams_at_once_instead_of_waiting_for_them() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = started(&app, &org);
    let path = api::debrief_stream(lp.loop_id());
    let stream = sse_client::open(&app, &path, &[("Authorization", &bearer(&org.hm))]).stream();
    let started = std::time::Instant::now();
    let app = app.restart();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the graceful stop did not wait out its 30 s for the open stream: {:?}",
        started.elapsed()
    );
    assert!(
        stream.ends_within(Duration::from_secs(5)),
        "the stream ended cleanly"
    );
    // The page reconnects to the instance that is up.
    sse_client::open(&app, &path, &[("Authorization", &bearer(&org.hm))]).stream();
}

#[test]
fn a_deactivated_person_s_stream_ends_at_the_next_event() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = all_submitted(&app, &org);
    let path = api::debrief_stream(lp.loop_id());
    let d = app.debrief(&lp);
    assert_eq!(d.open(&org.br, None).status, 200);
    let lee = sse_client::open(&app, &path, &[("Authorization", &bearer(&org.lee))]).stream();
    assert_eq!(lee.next().name, "opened");
    let res = app.update_user(org.lee.id, json!({"active": false}));
    assert_eq!(res.status, 200, "{}", res.body);
    // Nothing is cached: the next event is read as Lee, who is no longer anyone.
    assert_eq!(d.read(&org.kim).status, 200);
    assert!(
        lee.ends_within(Duration::from_secs(5)),
        "the stream ended, carrying nothing"
    );
}
