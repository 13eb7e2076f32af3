//! Loop reads do not grow with the data: one loop costs the same number of
//! queries whatever the size of its panel, and a page of loops the same
//! whatever its length. Counted with diesel's instrumentation on the very
//! functions the handlers call.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use barraiser::db::candidates::{self, NewCandidate};
use barraiser::db::users::{self, User};
use barraiser::db::{DbConn, now};
use barraiser::domain::panel::ProposedInterview;
use barraiser::domain::{CandidateId, LoopId, Page, RequisitionId, UserId};
use barraiser::services::hiring::loops::{self, LoopFilter, NewLoop};
use chrono::{TimeDelta, TimeZone, Utc};
use diesel::connection::{Connection, InstrumentationEvent};

use crate::fixtures::Org;
use crate::helpers::{TestUser, spawn_app};

/// Runs `f` on `conn` and counts the SQL statements it sends.
fn count_queries<T>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> T) -> (T, usize) {
    let counter = Arc::new(AtomicUsize::new(0));
    let seen = counter.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { .. } = event {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    let out = f(conn);
    conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    (out, counter.load(Ordering::SeqCst))
}

fn panel(people: &[&TestUser], competencies: [i64; 2]) -> Vec<ProposedInterview> {
    let start = Utc.from_utc_datetime(&crate::fixtures::day().and_hms_opt(8, 0, 0).unwrap());
    people
        .iter()
        .enumerate()
        .map(|(i, p)| ProposedInterview {
            id: None,
            interviewer_id: p.id,
            competency_ids: vec![competencies[i % 2]],
            starts_at: start + TimeDelta::hours(i as i64),
            ends_at: start + TimeDelta::hours(i as i64) + TimeDelta::minutes(45),
        })
        .collect()
}

#[test]
fn a_loop_read_and_a_page_of_loops_cost_the_same_queries_whatever_their_size() {
    let app = spawn_app();
    let org = Org::new(&app);
    let extra: Vec<TestUser> = (0..8)
        .map(|i| app.user_with(serde_json::json!({ "name": format!("Panelist {i}") })))
        .collect();
    let four = [&org.br, &org.kim, &org.lee, &org.ana];
    let mut twelve: Vec<&TestUser> = four.to_vec();
    twelve.extend(extra.iter());

    let store = app.store();
    let mut conn = store.conn().unwrap();
    let find = |c: &mut DbConn, id: i64| -> User { users::find(c, id).unwrap().unwrap() };
    let admin = users::credentials(&mut conn, crate::helpers::ADMIN_EMAIL)
        .unwrap()
        .unwrap()
        .id;
    let admin = find(&mut conn, admin);
    let recruiter = find(&mut conn, org.recruiter.id);
    let new_loop = |candidate: i64, panel: Vec<ProposedInterview>| NewLoop {
        requisition_id: RequisitionId(org.requisition_id),
        candidate_id: CandidateId(candidate),
        bar_raiser_id: UserId(org.br.id),
        hiring_manager_id: None,
        recruiter_id: None,
        feedback_window: barraiser::domain::FeedbackWindow::DEFAULT,
        panel,
    };
    // 200 loops of four interviews and one of twelve, one candidate each.
    let (small, large) = store
        .transaction(&mut conn, |c| {
            let mut ids = Vec::new();
            for i in 0..201 {
                let at = now();
                let candidate = candidates::insert(
                    c,
                    &NewCandidate {
                        name: "Query Candidate",
                        email: &format!("q{i}@example.net"),
                        referred_by_id: None,
                        created_by_id: recruiter.id,
                        created_at: at,
                        updated_at: at,
                    },
                )?;
                let people: &[&TestUser] = if i == 200 { &twelve } else { &four };
                let read = loops::create_in(
                    c,
                    &recruiter,
                    &new_loop(candidate.id, panel(people, org.competencies)),
                )?;
                ids.push(read.lp.id);
            }
            Ok((ids[0], ids[200]))
        })
        .unwrap();

    let (read4, q4) = count_queries(&mut conn, |c| loops::get_in(c, &admin, LoopId(small)));
    let (read12, q12) = count_queries(&mut conn, |c| loops::get_in(c, &admin, LoopId(large)));
    assert_eq!(read4.unwrap().panel.len(), 4);
    let read12 = read12.unwrap();
    assert_eq!(read12.panel.len(), 12);
    assert!(read12.report.checks.len() >= 10);
    assert_eq!(
        q4, q12,
        "a loop of 12 interviews costs what a loop of 4 costs"
    );
    // The report is kept with the loop: reading it costs no evaluation.
    assert_eq!(
        q12, 1,
        "one query reads a loop: the loop with its panel and the panel's feedback statuses (which also say whether the reader is on it)"
    );

    // Behind a request, the session's check is the same statement.
    use barraiser::auth::{Caller, SessionKind, session};
    let key = session::start(&mut conn, admin.id, SessionKind::Browser, now()).unwrap();
    let caller = Caller::of_session_cookie(key.expose()).unwrap();
    let (found, q) = count_queries(&mut conn, |c| caller.user_and_loop_in(c, large, true));
    let (user, found, stamp) = found.unwrap();
    assert_eq!(user.id, admin.id);
    assert_eq!(found.expect("the loop").1.len(), 12);
    assert!(
        stamp.is_some(),
        "the stamp the loop's kept names are checked against comes with the loop"
    );
    assert_eq!(
        q, 1,
        "the session's user, the loop and its panel: one statement"
    );
    // What the loop's pages keep of its names: read once, then used while
    // the names and the trail stand still; a rename is seen at once.
    use barraiser::db::names_cache::{NamesCache, Wanted};
    let cache = NamesCache::default();
    let read_with = |conn: &mut DbConn, want: Wanted| {
        let (_, found, stamp) = caller.user_and_loop_in(conn, large, true).unwrap();
        let (lp, panel) = found.unwrap();
        count_queries(conn, |c| {
            cache.facts(c, &lp, &panel, stamp.unwrap(), want).unwrap()
        })
    };
    let read = |conn: &mut DbConn| read_with(conn, Wanted::default());
    let (facts, first) = read(&mut conn);
    assert_eq!(first, 1, "the names with the trail, read once");
    let (kept, again) = read(&mut conn);
    assert_eq!(again, 0, "then kept");
    assert_eq!(kept.names.people, facts.names.people);
    assert_eq!(kept.trail.len(), facts.trail.len());
    users::update(
        &mut conn,
        extra[0].id,
        users::UserChanges {
            name: Some("Renamed Panelist".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let (renamed, after) = read(&mut conn);
    assert_eq!(after, 1, "a rename moves the names' version: read again");
    assert_eq!(renamed.names.people[&extra[0].id], "Renamed Panelist");
    // The room keeps the competency library with the names; a change of a
    // competency, or of the role's competencies, is seen at once.
    let room = Wanted {
        hire: false,
        library: true,
    };
    let (_, first) = read_with(&mut conn, room);
    assert_eq!(first, 2, "the names with the trail, and the library");
    let (library, again) = read_with(&mut conn, room);
    assert_eq!(again, 0, "then kept");
    let library = library.library.clone().expect("the library, asked for");
    assert!(!library.is_empty());
    let (_, names_only) = read(&mut conn);
    assert_eq!(names_only, 0, "a read with the library serves one without");
    let anchored = library[0].0.id;
    barraiser::db::competencies::update(
        &mut conn,
        anchored,
        barraiser::db::competencies::CompetencyChanges {
            anchor_2: Some("Rewritten anchor".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let (edited, after) = read_with(&mut conn, room);
    assert_eq!(
        after, 2,
        "a competency's edit moves the version: read again"
    );
    let edited = edited.library.clone().unwrap();
    let competency = edited.iter().find(|(x, _)| x.id == anchored).unwrap();
    assert_eq!(competency.0.anchor_2, "Rewritten anchor");
    let role = barraiser::db::requisitions::competency_ids(&mut conn, org.requisition_id).unwrap();
    barraiser::db::requisitions::set_competencies(&mut conn, org.requisition_id, &role[..1])
        .unwrap();
    let (narrowed, after) = read_with(&mut conn, room);
    assert_eq!(after, 2, "the role's competencies changed: read again");
    let of_role = |l: &[(barraiser::db::competencies::Competency, bool)]| {
        l.iter().filter(|(_, r)| *r).count()
    };
    assert_eq!(of_role(narrowed.library.as_deref().unwrap()), 1);
    assert!(of_role(&edited) > 1, "the role had more before");
    let (api_read, q) = count_queries(&mut conn, |c| caller.user_and_loop_in(c, large, false));
    let (_, found, stamp) = api_read.unwrap();
    assert!(
        found.is_some() && stamp.is_none(),
        "the API's read goes without the stamp"
    );
    assert_eq!(q, 1);
    let (found, q) = count_queries(&mut conn, |c| {
        caller.user_and_loop_in(c, large + 1000, false)
    });
    assert!(
        found.unwrap().1.is_none(),
        "no such loop, the user all the same"
    );
    assert_eq!(q, 1);

    let page = |limit| Page { limit, after: None };
    let (ten, p10) = count_queries(&mut conn, |c| {
        loops::list_in(c, &admin, LoopFilter::default(), page(10))
    });
    let (all, p200) = count_queries(&mut conn, |c| {
        loops::list_in(c, &admin, LoopFilter::default(), page(200))
    });
    assert_eq!(ten.unwrap().items.len(), 10);
    let all = all.unwrap();
    assert_eq!(all.items.len(), 200);
    assert!(all.next.is_some(), "a 201st loop follows");
    assert_eq!(
        p10, p200,
        "a page of 200 loops costs what a page of 10 costs"
    );
    assert_eq!(
        p200, 2,
        "queries for a page: the loops, their panels with their feedback statuses"
    );

    // The same for a participant, whose list is filtered by their part.
    let interviewer = find(&mut conn, org.kim.id);
    let (_, mine10) = count_queries(&mut conn, |c| {
        loops::list_in(c, &interviewer, LoopFilter::default(), page(10))
    });
    let (mine, mine200) = count_queries(&mut conn, |c| {
        loops::list_in(c, &interviewer, LoopFilter::default(), page(200))
    });
    assert_eq!(mine.unwrap().items.len(), 200);
    assert_eq!(mine10, mine200);

    // The web list (`/loops`): sorted by a derived column, "needs me".
    use barraiser::db::loop_board::SortKey;
    use barraiser::services::hiring::board::{BoardFilter, board_in};
    for (who, needs_me) in [(&admin, false), (&recruiter, true), (&interviewer, false)] {
        let filter = BoardFilter {
            sort: SortKey::Progress,
            needs_me,
            ..BoardFilter::default()
        };
        let (ten, b10) = count_queries(&mut conn, |c| board_in(c, who, &filter, 10, now()));
        let (all, b200) = count_queries(&mut conn, |c| board_in(c, who, &filter, 200, now()));
        assert_eq!(ten.unwrap().lines.len(), 10);
        assert_eq!(all.unwrap().lines.len(), 200);
        assert_eq!(
            b10, b200,
            "the list's page of 200 costs what one of 10 costs"
        );
        assert_eq!(
            b10, 4,
            "the ordered ids, the loops, their panels, the candidates' names with the roles' titles"
        );
    }

    // The loop page: the same for a panel of 4 and of 12, and few.
    use barraiser::services::hiring::overview::overview_in;
    let (o4, page4) = count_queries(&mut conn, |c| overview_in(c, &admin, LoopId(small)));
    let (o12, page12) = count_queries(&mut conn, |c| overview_in(c, &admin, LoopId(large)));
    let o12 = o12.unwrap();
    assert_eq!(o4.unwrap().read.panel.len(), 4);
    assert_eq!(
        o12.people().len(),
        12 + 2,
        "the panel, the recruiter, the hiring manager"
    );
    assert_eq!(o12.competencies().len(), 2);
    assert_eq!(
        page4, page12,
        "a loop page of 12 interviews costs what one of 4 costs"
    );
    assert_eq!(
        page12, 2,
        "the loop with its panel (and when each interview was last reminded), the \
         names (the candidate's, the role's, the people's and the competencies') \
         with the trail"
    );
    let trail: Vec<i64> = o12.events().iter().map(|e| e.seq).collect();
    assert!(!trail.is_empty(), "the trail comes with the names");
    assert!(
        trail.windows(2).all(|w| w[0] < w[1]),
        "oldest first: {trail:?}"
    );
    assert!(o12.verification.ok, "and it verifies");
    assert!(!o12.candidate_name().is_empty() && !o12.role_title().is_empty());

    // The home page of a bar raiser of 201 loops: a fixed number of queries.
    use barraiser::services::agenda::agenda_in;
    let bar_raiser = find(&mut conn, org.br.id);
    // The newest of them scheduled, behind 200 drafts: a debrief to lead all
    // the same (each part reads only the statuses it shows).
    barraiser::db::loops::update(
        &mut conn,
        large,
        &barraiser::db::loops::LoopChanges {
            status: Some("scheduled".into()),
            ..Default::default()
        },
    )
    .unwrap();
    // Two queries, the names joined: one's interviews (feedback due and
    // upcoming) as one union, and the loops (debriefs to lead, decisions, a
    // recruiter's own loops) as another, whoever the person is.
    for (who, expected) in [(&bar_raiser, 2), (&recruiter, 2), (&interviewer, 2)] {
        let (agenda, q) = count_queries(&mut conn, |c| agenda_in(c, who, now().and_utc()));
        let agenda = agenda.unwrap();
        assert_eq!(q, expected, "queries for {}'s home page", who.name);
        if who.id == recruiter.id {
            assert_eq!(
                agenda.recruiting.items.len(),
                10,
                "the recruiter's 201 loops, limited"
            );
            assert!(agenda.recruiting.more, "and the page says more follow");
        }
        if who.id == bar_raiser.id {
            let to_lead: Vec<i64> = agenda.to_lead.items.iter().map(|l| l.id).collect();
            assert!(!agenda.to_lead.more);
            assert_eq!(to_lead, [large], "the one scheduled loop of 201");
        }
    }
}

#[test]
fn the_debrief_packet_costs_the_same_queries_for_a_panel_of_4_and_of_12() {
    use barraiser::db::feedback::{self, DraftValues};
    let app = spawn_app();
    let org = Org::new(&app);
    let extra: Vec<TestUser> = (0..8)
        .map(|i| app.user_with(serde_json::json!({ "name": format!("Panelist {i}") })))
        .collect();
    let four = [&org.br, &org.kim, &org.lee, &org.ana];
    let mut twelve: Vec<&TestUser> = four.to_vec();
    twelve.extend(extra.iter());
    let store = app.store();
    let mut conn = store.conn().unwrap();
    let recruiter = users::find(&mut conn, org.recruiter.id).unwrap().unwrap();
    let kim = users::find(&mut conn, org.kim.id).unwrap().unwrap();
    let evidence = "e".repeat(120);
    let (small, large) = store
        .transaction(&mut conn, |c| {
            let mut ids = Vec::new();
            for (i, people) in [&four[..], &twelve[..]].into_iter().enumerate() {
                let at = now();
                let candidate = candidates::insert(
                    c,
                    &NewCandidate {
                        name: "Packet Candidate",
                        email: &format!("p{i}@example.net"),
                        referred_by_id: None,
                        created_by_id: recruiter.id,
                        created_at: at,
                        updated_at: at,
                    },
                )?;
                let read = loops::create_in(
                    c,
                    &recruiter,
                    &NewLoop {
                        requisition_id: RequisitionId(org.requisition_id),
                        candidate_id: CandidateId(candidate.id),
                        bar_raiser_id: UserId(org.br.id),
                        hiring_manager_id: None,
                        recruiter_id: None,
                        feedback_window: barraiser::domain::FeedbackWindow::DEFAULT,
                        panel: panel(people, org.competencies),
                    },
                )?;
                // Everyone's feedback, submitted: the packet has all of it to show.
                for entry in &read.panel {
                    let values = DraftValues {
                        vote: Some("hire"),
                        summary: Some("Summary."),
                        ratings: entry
                            .competency_ids
                            .iter()
                            .map(|c| (*c, Some(3), evidence.as_str()))
                            .collect(),
                    };
                    feedback::save_draft(c, entry.interview.id, &values, at)?;
                    let stored = feedback::find_by_interview(c, entry.interview.id)?.unwrap();
                    feedback::submit(c, stored.row.id, at, "on_time")?;
                }
                ids.push(read.lp.id);
            }
            Ok((ids[0], ids[1]))
        })
        .unwrap();
    let (p4, q4) = count_queries(&mut conn, |c| {
        barraiser::services::debrief::packet_in(c, &kim, LoopId(small))
    });
    let (p12, q12) = count_queries(&mut conn, |c| {
        barraiser::services::debrief::packet_in(c, &kim, LoopId(large))
    });
    assert_eq!(p4.unwrap().votes.len(), 4);
    let p12 = p12.unwrap();
    assert_eq!(p12.votes.len(), 12);
    assert_eq!(p12.composite.vote_score, Some(3.0));
    assert_eq!(q4, q12, "a packet of 12 costs what a packet of 4 costs");

    // The debrief room page in debrief: the packet is built from what the
    // room has read already, so the feedback, the debrief's record and the
    // requests for more signal are read once.
    use diesel::RunQueryDsl;
    diesel::sql_query(format!(
        "UPDATE interview_loops SET status = 'in_debrief' WHERE id IN ({small}, {large})"
    ))
    .execute(&mut conn)
    .unwrap();
    let room = barraiser::services::debrief::room_in;
    let (r4, q4) = count_queries(&mut conn, |c| room(c, &kim, LoopId(small)));
    let (r12, q12) = count_queries(&mut conn, |c| room(c, &kim, LoopId(large)));
    assert_eq!(r4.unwrap().members.len(), 4);
    let r12 = r12.unwrap();
    assert_eq!(r12.packet.expect("the packet, in debrief").votes.len(), 12);
    assert_eq!(q4, q12, "a room of 12 costs what a room of 4 costs");
    assert_eq!(
        q12, 4,
        "the loop with its panel, the debrief's record (its row, its reads, votes, notes \
         and commitments, the requests for more signal, and the submitted feedback with \
         its ratings), the names (the candidate's, the role's, the people's) with the \
         trail, the competencies of the role and the panel"
    );
    assert!(!r12.candidate_name.is_empty() && !r12.role_title.is_empty());
    let last = barraiser::db::events::last(&mut conn, large).unwrap();
    assert_eq!(
        Some(r12.seq),
        last.map(|(seq, _)| seq),
        "the room's live updates follow on from the trail's last event"
    );
}

#[test]
fn saving_the_same_draft_again_reads_the_loop_and_the_feedback_once_each() {
    use barraiser::domain::InterviewId;
    use barraiser::domain::feedback::{Draft, Rating, RatingEntry, Vote};
    use barraiser::services::feedback::save_draft_in;
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.scheduled_loop(&app);
    let interview = InterviewId(crate::fixtures::interview_of(&lp, &org.kim));
    let competency = crate::fixtures::interview_entry(&lp, &org.kim)["competency_ids"][0]
        .as_i64()
        .unwrap();
    let store = app.store();
    let mut conn = store.conn().unwrap();
    let kim = users::find(&mut conn, org.kim.id).unwrap().unwrap();
    let draft = Draft {
        ratings: vec![RatingEntry {
            competency_id: competency,
            rating: Rating::new(3),
            evidence: "Walked through the rollback and what the team changed after it.".into(),
        }],
        vote: Some(Vote::Hire),
        summary: Some("Specific answers.".into()),
    };
    let (first, _) = count_queries(&mut conn, |c| save_draft_in(c, &kim, interview, &draft));
    let first = first.unwrap();
    let (again, q) = count_queries(&mut conn, |c| save_draft_in(c, &kim, interview, &draft));
    let again = again.unwrap();
    assert_eq!(
        again.draft, first.draft,
        "the same draft reads back the same"
    );
    assert_eq!(again.draft.ratings.len(), 1);
    assert_eq!(
        again.updated_at, first.updated_at,
        "and was not written again"
    );
    // PostgreSQL locks the loop and the interview first (one statement);
    // SQLite's one writer needs no lock.
    let lock = usize::from(matches!(*conn, DbConn::Pg(_)));
    assert_eq!(
        q,
        lock + 2,
        "the loop with its panel (and so the interview), the feedback with its ratings"
    );
    // Someone else's interview is not found, at the same cost.
    let lee = users::find(&mut conn, org.lee.id).unwrap().unwrap();
    let refused = save_draft_in(&mut conn, &lee, interview, &draft);
    assert!(matches!(
        refused,
        Err(barraiser::error::ServiceError::NotFound)
    ));
}

#[test]
fn a_list_of_ids_is_one_statement_kept_prepared_whatever_its_length() {
    // diesel writes a list bound into `IN (?, ?, …)` as a statement per
    // length, which SQLite parsed afresh on every call; the independence
    // report reads its facts by such lists.
    let app = spawn_app();
    let org = Org::new(&app);
    let mut conn = DbConn::establish(&app.db.url).unwrap();
    let prepared = Arc::new(AtomicUsize::new(0));
    let seen = prepared.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::CacheQuery { .. } = event {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    let ids = [org.br.id, org.kim.id, org.lee.id, org.ana.id];
    for n in 1..=ids.len() {
        let mut found: Vec<i64> = users::find_many(&mut conn, &ids[..n])
            .unwrap()
            .into_iter()
            .map(|u| u.id)
            .collect();
        found.sort_unstable();
        let mut asked = ids[..n].to_vec();
        asked.sort_unstable();
        assert_eq!(found, asked);
    }
    assert!(users::find_many(&mut conn, &[]).unwrap().is_empty());
    assert_eq!(
        prepared.load(Ordering::SeqCst),
        1,
        "one statement prepared and kept for lists of 0 to 4 ids"
    );
    // The management chains, one recursive statement whatever the number of
    // people asked about: kept on SQLite; planned for its ids on PostgreSQL,
    // whose generic plan of the recursion scans every account at each level.
    let chains = users::management_chains(&mut conn, &ids[..2]).unwrap();
    assert_eq!(chains.len(), 2);
    users::management_chains(&mut conn, &ids).unwrap();
    let kept = if matches!(conn, DbConn::Pg(_)) { 1 } else { 2 };
    assert_eq!(prepared.load(Ordering::SeqCst), kept);
}
