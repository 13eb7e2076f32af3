//! `barraiser demo`: a realistic organisation to explore — 33 people in four
//! departments with reporting chains, five certified bar raisers and one in
//! training, two recruiters, three requisitions, and loops in every state
//! with feedback written as interviewers write it. Everything goes through
//! the same services as the API, so the demo obeys every rule. Seeding twice
//! changes nothing: the second run finds the demo's people and stops.

use std::collections::HashMap;

use chrono::{TimeDelta, Utc};

use crate::auth::hash_now;
use crate::db::users::{self, User};
use crate::db::{Db, competencies};
use crate::domain::debrief::Verdict;
use crate::domain::feedback::Vote;
use crate::domain::{BarRaiserStatus, Email, LoopId, OneLine, PersonName, Role, UserId};
use crate::services::debrief;
use crate::services::hiring::loops::{self};
use crate::services::hiring::requisitions::{self, NewRole};
use crate::services::people::{self, NewAccount, UserEdit};

mod data;
mod org;

use data::*;
use org::Org;

/// Every demo person signs in with this password.
pub const PASSWORD: &str = "demo-password-1";
const DOMAIN: &str = "demo.barraiser.test";

/// Who was seeded, for printing the personas.
pub struct Seeded {
    pub loops: usize,
}

/// Seeds the demo organisation unless it is already there.
pub async fn seed(db: &Db, public_url: &str) -> anyhow::Result<Option<Seeded>> {
    let first = format!("{}@{DOMAIN}", PEOPLE[0].0);
    let exists = db
        .run(move |c| Ok(users::credentials(c, &first)?.is_some()))
        .await?;
    if exists {
        return Ok(None);
    }
    let url = public_url.to_owned();
    let links = db
        .run(move |c| Ok(crate::process::bootstrap::links(c, &url)?))
        .await?;
    let hash = hash_now(PASSWORD)?;
    let mut people: HashMap<&'static str, User> = HashMap::new();
    for (handle, name, role, manager, department) in PEOPLE {
        let account = NewAccount {
            email: Email::parse("email", &format!("{handle}@{DOMAIN}"))?,
            name: PersonName::parse("name", name)?,
            role: role.parse::<Role>()?,
            manager_id: manager.map(|m| UserId(people[m].id)),
            department: OneLine::parse_optional("department", *department, 200)?,
        };
        let (hash, links) = (hash.clone(), links.clone());
        let user = db
            .write(move |c| people::create_account(c, &account, &hash, &links))
            .await?;
        people.insert(handle, user);
    }
    let admin = people["ola"].clone();
    for handle in CERTIFIED {
        let user = people::set_bar_raiser(
            db,
            &links,
            &admin,
            UserId(people[handle].id),
            BarRaiserStatus::Certified,
        )
        .await?;
        people.insert(handle, user);
    }
    people::set_bar_raiser(
        db,
        &links,
        &admin,
        UserId(people[IN_TRAINING].id),
        BarRaiserStatus::InTraining,
    )
    .await?;
    let competency: HashMap<String, i64> = db
        .run(|c| Ok(competencies::list(c, Some(true), None, 200)?))
        .await?
        .into_iter()
        .map(|c| (c.key, c.id))
        .collect();
    let org = Org {
        db: db.clone(),
        links: links.clone(),
        people,
        competency,
    };

    // Three requisitions.
    let role = |title: &str, hm: &str, keys: &[&str]| NewRole {
        title: OneLine::parse("title", title, 200).expect("a valid demo title"),
        hiring_manager_id: org.id(hm),
        recruiter_id: None,
        competency_ids: keys.iter().map(|k| org.comp(k)).collect(),
        min_panel_size: 4,
    };
    let backend = requisitions::create(
        db,
        org.user("rita"),
        role(
            "Senior Backend Engineer, Payments",
            "tom",
            &["ownership", "dive_deep", "customer_obsession"],
        ),
    )
    .await?
    .requisition
    .id;
    let manager = requisitions::create(
        db,
        org.user("leo"),
        role(
            "Engineering Manager, Logistics",
            "kwame",
            &["hire_and_develop_the_best", "earn_trust", "deliver_results"],
        ),
    )
    .await?
    .requisition
    .id;
    let product = requisitions::create(
        db,
        org.user("rita"),
        role(
            "Product Engineer, Growth",
            "daniel",
            &[
                "customer_obsession",
                "invent_and_simplify",
                "bias_for_action",
            ],
        ),
    )
    .await?
    .requisition
    .id;

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

    // 4. An open debrief with divergent ratings on Dive Deep.
    let c = org.candidate("rita", "Fatou Diallo").await?;
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
                ("isabel", &b[..]),
            ],
            days(-5),
        )
        .await?;
    org.schedule("rita", &lp).await?;
    org.write(&lp, "arjun", &[3], Vote::Hire, true).await?;
    org.write(&lp, "jonas", &[1], Vote::NoHire, true).await?;
    org.write(&lp, "hannah", &[3], Vote::Hire, true).await?;
    org.write(&lp, "isabel", &[3, 4, 3], Vote::Hire, true)
        .await?;
    debrief::open(
        &org.db,
        &org.links,
        org.user("arjun"),
        LoopId(lp.lp.id),
        None,
    )
    .await?;
    debrief::mark_read(&org.db, org.user("jonas"), LoopId(lp.lp.id)).await?;
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
        &admin,
        org.id("zara"),
        UserEdit {
            manager_id: Some(Some(org.id("tom"))),
            department: Some(Some(OneLine::parse("department", "Payments", 200)?)),
            ..Default::default()
        },
    )
    .await?;
    count += 1;

    Ok(Some(Seeded { loops: count }))
}

/// The personas: who they are in the demo, and their handle.
const PERSONAS: &[(&str, &str)] = &[
    ("admin (people, roster, library, outbox)", "ola"),
    ("recruiter (loops, candidates, requisitions)", "rita"),
    ("recruiter", "leo"),
    ("bar raiser with a debrief open", "arjun"),
    ("bar raiser, red report after a reorg", "zara"),
    ("hiring manager awaiting a decision", "kwame"),
    ("hiring manager who decided against the composite", "daniel"),
    ("interviewer whose feedback is overdue (draft)", "chloe"),
    ("interviewer with nothing written yet", "ravi"),
    ("interviewer with an upcoming interview", "tariq"),
];

/// How to sign in as each persona, for people.
pub fn personas(public_url: &str) -> String {
    let mut out = format!(
        "\nbarraiser demo: every person's password is {PASSWORD}\n\
         Sign in at {public_url}/login in a browser; the API signs in with POST {public_url}/api/v1/auth/login {{\"email\", \"password\"}} (reference: {public_url}/docs)\n\n"
    );
    for (who, handle) in PERSONAS {
        out.push_str(&format!("  {who:<50} {handle}@{DOMAIN}\n"));
    }
    out
}

/// The same as one JSON line, for `LOG_FORMAT=json`.
pub fn personas_json(public_url: &str) -> String {
    let personas: Vec<serde_json::Value> = PERSONAS
        .iter()
        .map(|(who, handle)| serde_json::json!({ "who": who, "email": format!("{handle}@{DOMAIN}") }))
        .collect();
    serde_json::json!({
        "level": "INFO",
        "message": "barraiser demo personas",
        "password": PASSWORD,
        "sign_in": format!("{public_url}/login"),
        "api_sign_in": format!("{public_url}/api/v1/auth/login"),
        "personas": personas,
    })
    .to_string()
}
