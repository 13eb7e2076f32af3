//! The demo's loops, one in every state a loop can be in, each told as it
//! happens: assembled, scheduled, interviewed, debriefed and decided through
//! the same services as the API.

use chrono::{TimeDelta, Utc};

use crate::db::Db;
use crate::domain::debrief::Verdict;
use crate::domain::feedback::Vote;
use crate::domain::{LoopId, OneLine};
use crate::services::debrief;
use crate::services::hiring::loops::{self};
use crate::services::people::{self, UserEdit};

use super::org::Org;

/// Seeds the eleven loops of the demo for the three requisitions
/// (backend, manager, product); answers how many.
pub(super) async fn seed_loops(
    _db: &Db,
    org: &Org,
    [backend, manager, product]: [i64; 3],
) -> anyhow::Result<usize> {
    let now = Utc::now();
    let days = |d: i64| now + TimeDelta::days(d);
    let b = ["ownership", "dive_deep", "customer_obsession"];
    let m = ["hire_and_develop_the_best", "earn_trust", "deliver_results"];
    let p = [
        "customer_obsession",
        "invent_and_simplify",
        "bias_for_action",
    ];
    let mut count = 0;

    // 1. A draft whose report is red: Lucas is still in training.
    let c = org.candidate("rita", "Noah Williams").await?;
    org.create_loop(
        "rita",
        product,
        c,
        "lucas",
        &[
            ("lucas", &p[..1]),
            ("isabel", &p[1..2]),
            ("sofia", &p[2..3]),
            ("yusuf", &p[..]),
        ],
        days(6),
    )
    .await?;
    count += 1;

    // 2. Scheduled: interviews three days ago, two in, two overdue (one a draft).
    let c = org.candidate("rita", "Amelia Johansson").await?;
    let lp = org
        .create_loop(
            "rita",
            backend,
            c,
            "nora",
            &[
                ("nora", &b[..1]),
                ("priya", &b[1..2]),
                ("chloe", &b[2..3]),
                ("ravi", &b[..]),
            ],
            days(-3),
        )
        .await?;
    org.schedule("rita", &lp).await?;
    org.write(&lp, "nora", &[3], Vote::Hire, true).await?;
    org.write(&lp, "priya", &[4], Vote::StrongHire, true)
        .await?;
    org.write(&lp, "chloe", &[2], Vote::NoHire, false).await?;
    count += 1;

    // 3. Scheduled, upcoming.
    let c = org.candidate("leo", "Kenji Watanabe").await?;
    let lp = org
        .create_loop(
            "leo",
            manager,
            c,
            "mei",
            &[
                ("mei", &m[..1]),
                ("fatima", &m[1..2]),
                ("daniel", &m[2..3]),
                ("tariq", &m[..]),
            ],
            days(4),
        )
        .await?;
    org.schedule("leo", &lp).await?;
    count += 1;

    // 4. An open debrief, votes mid-way: Customer Obsession diverged (Hannah
    //    saw a 1, Isabel a 4), Dive Deep seen by Jonas alone (a lone witness).
    let c = org.candidate("rita", "Fatou Diallo").await?;
    let isabel = [b[0], b[2]];
    let lp = org
        .create_loop(
            "rita",
            backend,
            c,
            "arjun",
            &[
                ("arjun", &b[..1]),
                ("jonas", &b[1..2]),
                ("hannah", &b[2..3]),
                ("isabel", &isabel[..]),
            ],
            days(-5),
        )
        .await?;
    org.schedule("rita", &lp).await?;
    org.write(&lp, "arjun", &[3], Vote::Hire, true).await?;
    org.write(&lp, "jonas", &[2], Vote::NoHire, true).await?;
    org.write(&lp, "hannah", &[1], Vote::NoHire, true).await?;
    org.write(&lp, "isabel", &[3, 4], Vote::Hire, true).await?;
    let id = LoopId(lp.lp.id);
    debrief::open(&org.db, &org.links, org.user("arjun"), id, None).await?;
    for who in ["jonas", "isabel", "arjun"] {
        debrief::mark_read(&org.db, org.user(who), id).await?;
    }
    debrief::vote(&org.db, org.user("jonas"), id, Vote::NoHire, None).await?;
    debrief::vote(&org.db, org.user("isabel"), id, Vote::Hire, None).await?;
    count += 1;

    // 5. Decided: hire, with the composite.
    let c = org.candidate("rita", "Lucía Fernández").await?;
    let lp = org
        .create_loop(
            "rita",
            product,
            c,
            "ingrid",
            &[
                ("ingrid", &p[..1]),
                ("mateo", &p[1..2]),
                ("lucas", &p[2..3]),
                ("aiko", &p[..]),
            ],
            days(-10),
        )
        .await?;
    org.schedule("rita", &lp).await?;
    for (who, r, v) in [
        ("ingrid", [4], Vote::StrongHire),
        ("mateo", [3], Vote::Hire),
        ("lucas", [3], Vote::Hire),
    ] {
        org.write(&lp, who, &r, v, true).await?;
    }
    org.write(&lp, "aiko", &[3, 4, 3], Vote::Hire, true).await?;
    org.open_and_vote(
        &lp,
        "ingrid",
        &[
            ("ingrid", Vote::StrongHire, None),
            ("mateo", Vote::Hire, None),
            ("lucas", Vote::Hire, None),
            ("aiko", Vote::Hire, None),
        ],
    )
    .await?;
    org.close(
        &lp,
        "ingrid",
        Verdict::Hire,
        false,
        "Raises the bar on customer obsession; every interviewer saw specific, measured results.",
    )
    .await?;
    org.decide(
        &lp,
        "daniel",
        Verdict::Hire,
        "Strong across the panel and the composite agrees.",
    )
    .await?;
    count += 1;

    // 6. Decided: no hire.
    let c = org.candidate("leo", "Marcus Brown").await?;
    let lp = org
        .create_loop(
            "leo",
            manager,
            c,
            "nora",
            &[
                ("nora", &m[..1]),
                ("carlos", &m[1..2]),
                ("elena", &m[2..3]),
                ("ben", &m[..]),
            ],
            days(-12),
        )
        .await?;
    org.schedule("leo", &lp).await?;
    org.write(&lp, "nora", &[2], Vote::NoHire, true).await?;
    org.write(&lp, "carlos", &[2], Vote::NoHire, true).await?;
    org.write(&lp, "elena", &[3], Vote::Hire, true).await?;
    org.write(&lp, "ben", &[2, 2, 3], Vote::NoHire, true)
        .await?;
    org.open_and_vote(
        &lp,
        "nora",
        &[
            ("nora", Vote::NoHire, None),
            ("carlos", Vote::NoHire, None),
            (
                "elena",
                Vote::NoHire,
                Some("The others' evidence on hiring decisions convinced me."),
            ),
            ("ben", Vote::NoHire, None),
        ],
    )
    .await?;
    org.close(
        &lp,
        "nora",
        Verdict::NoHire,
        false,
        "No evidence of developing people; earned trust only by deferring.",
    )
    .await?;
    org.decide(&lp, "kwame", Verdict::NoHire, "Agree with the panel.")
        .await?;
    count += 1;

    // 7. A veto.
    let c = org.candidate("rita", "Oliver Smith").await?;
    let lp = org
        .create_loop(
            "rita",
            backend,
            c,
            "ingrid",
            &[
                ("ingrid", &b[..1]),
                ("aiko", &b[1..2]),
                ("sofia", &b[2..3]),
                ("lina", &b[..]),
            ],
            days(-8),
        )
        .await?;
    org.schedule("rita", &lp).await?;
    org.write(&lp, "ingrid", &[1], Vote::StrongNoHire, true)
        .await?;
    org.write(&lp, "aiko", &[3], Vote::Hire, true).await?;
    org.write(&lp, "sofia", &[3], Vote::Hire, true).await?;
    org.write(&lp, "lina", &[3, 2, 3], Vote::Hire, true).await?;
    org.open_and_vote(
        &lp,
        "ingrid",
        &[
            ("ingrid", Vote::StrongNoHire, None),
            ("aiko", Vote::Hire, None),
            ("sofia", Vote::Hire, None),
            (
                "lina",
                Vote::NoHire,
                Some("Ingrid's account of the incident blame changed my view."),
            ),
        ],
    )
    .await?;
    org.close(&lp, "ingrid", Verdict::NoHire, true, "Blamed two former colleagues for an outage he owned; a risk to the team's trust I will not accept.").await?;
    org.decide(&lp, "tom", Verdict::NoHire, "The veto stands.")
        .await?;
    count += 1;

    // 8. A decision against the composite.
    let c = org.candidate("rita", "Chen Wei").await?;
    let lp = org
        .create_loop(
            "rita",
            product,
            c,
            "mei",
            &[
                ("mei", &p[..1]),
                ("ben", &p[1..2]),
                ("hannah", &p[2..3]),
                ("jonas", &p[..]),
            ],
            days(-7),
        )
        .await?;
    org.schedule("rita", &lp).await?;
    org.write(&lp, "mei", &[2], Vote::NoHire, true).await?;
    org.write(&lp, "ben", &[1], Vote::NoHire, true).await?;
    org.write(&lp, "hannah", &[3], Vote::Hire, true).await?;
    org.write(&lp, "jonas", &[2, 2, 3], Vote::Hire, true)
        .await?;
    org.open_and_vote(
        &lp,
        "mei",
        &[
            ("mei", Vote::NoHire, None),
            ("ben", Vote::NoHire, None),
            ("hannah", Vote::Hire, None),
            ("jonas", Vote::Hire, None),
        ],
    )
    .await?;
    org.close(
        &lp,
        "mei",
        Verdict::NoHire,
        false,
        "Split panel; invention signal was weak.",
    )
    .await?;
    org.decide(&lp, "daniel", Verdict::Hire, "We need her bias for action this quarter; I accept the risk on invention and will pair her with Isabel.").await?;
    count += 1;

    // 9. Awaiting the decision.
    let c = org.candidate("leo", "Sara Lindqvist").await?;
    let lp = org
        .create_loop(
            "leo",
            manager,
            c,
            "zara",
            &[
                ("zara", &m[..1]),
                ("hiroshi", &m[1..2]),
                ("mateo", &m[2..3]),
                ("priya", &m[..]),
            ],
            days(-6),
        )
        .await?;
    org.schedule("leo", &lp).await?;
    for who in ["zara", "hiroshi", "mateo"] {
        org.write(&lp, who, &[3], Vote::Hire, true).await?;
    }
    org.write(&lp, "priya", &[3, 4, 3], Vote::StrongHire, true)
        .await?;
    org.open_and_vote(
        &lp,
        "zara",
        &[
            ("zara", Vote::Hire, None),
            ("hiroshi", Vote::Hire, None),
            ("mateo", Vote::Hire, None),
            ("priya", Vote::StrongHire, None),
        ],
    )
    .await?;
    org.close(
        &lp,
        "zara",
        Verdict::Hire,
        false,
        "Grew two leads at her last company; specific, measured examples.",
    )
    .await?;
    count += 1;

    // 10. Cancelled.
    let c = org.candidate("leo", "Ahmed Khan").await?;
    let lp = org
        .create_loop(
            "leo",
            manager,
            c,
            "nora",
            &[
                ("nora", &m[..1]),
                ("sofia", &m[1..2]),
                ("isabel", &m[2..3]),
                ("carlos", &m[..]),
            ],
            days(3),
        )
        .await?;
    org.schedule("leo", &lp).await?;
    loops::cancel(
        &org.db,
        &org.links,
        org.user("leo"),
        LoopId(lp.lp.id),
        OneLine::parse("reason", "The candidate accepted another offer.", 1000)?,
    )
    .await?;
    count += 1;

    // 11. Flagged after a reorg: Zara moves to Payments under Tom, the hiring manager.
    let c = org.candidate("rita", "Grace Liu").await?;
    let lp = org
        .create_loop(
            "rita",
            backend,
            c,
            "zara",
            &[
                ("zara", &b[..1]),
                ("carlos", &b[1..2]),
                ("elena", &b[2..3]),
                ("lina", &b[..]),
            ],
            days(5),
        )
        .await?;
    org.schedule("rita", &lp).await?;
    people::update(
        &org.db,
        &org.links,
        org.user("ola"),
        org.id("zara"),
        UserEdit {
            manager_id: Some(Some(org.id("tom"))),
            department: Some(Some(OneLine::parse("department", "Payments", 200)?)),
            ..Default::default()
        },
    )
    .await?;
    count += 1;

    Ok(count)
}
