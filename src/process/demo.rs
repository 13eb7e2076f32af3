//! `barraiser demo`: a realistic organisation to explore — 33 people in four
//! departments with reporting chains, five certified bar raisers and one in
//! training, two recruiters, three requisitions, and loops in every state
//! with feedback written as interviewers write it. Everything goes through
//! the same services as the API, so the demo obeys every rule. Seeding twice
//! changes nothing: the second run finds the demo's people and stops.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, TimeDelta, Utc};

use crate::auth::{Caller, hash_now};
use crate::db::users::{self, User};
use crate::db::{Db, competencies};
use crate::domain::debrief::Verdict;
use crate::domain::feedback::{Draft, Rating, RatingEntry, Vote};
use crate::domain::panel::ProposedInterview;
use crate::domain::{
    BarRaiserStatus, CandidateId, Email, InterviewId, LongText, LoopId, OneLine, PersonName,
    RequisitionId, Role, UserId,
};
use crate::links::Links;
use crate::services::debrief;
use crate::services::feedback;
use crate::services::hiring::candidates::{self, NewPerson};
use crate::services::hiring::loops::{self, NewLoop};
use crate::services::hiring::read::LoopRead;
use crate::services::hiring::requisitions::{self, NewRole};
use crate::services::people::{self, NewAccount, UserEdit};

/// Every demo person signs in with this password.
pub const PASSWORD: &str = "demo-password-1";
const DOMAIN: &str = "demo.barraiser.test";

/// `(handle, name, role, manager handle, department)`.
type Person = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

/// The organisation, managers before their reports.
const PEOPLE: &[Person] = &[
    ("helena", "Helena Vogt", "member", None, None),
    (
        "samira",
        "Samira Haddad",
        "member",
        Some("helena"),
        Some("Payments"),
    ),
    (
        "kwame",
        "Kwame Mensah",
        "member",
        Some("helena"),
        Some("Logistics"),
    ),
    (
        "hiroshi",
        "Hiroshi Tanaka",
        "member",
        Some("helena"),
        Some("Platform"),
    ),
    (
        "grace",
        "Grace Kim",
        "member",
        Some("helena"),
        Some("Growth"),
    ),
    (
        "tom",
        "Tom Becker",
        "member",
        Some("samira"),
        Some("Payments"),
    ),
    (
        "ingrid",
        "Ingrid Larsen",
        "member",
        Some("kwame"),
        Some("Logistics"),
    ),
    (
        "fatima",
        "Fatima Zahra",
        "member",
        Some("hiroshi"),
        Some("Platform"),
    ),
    (
        "daniel",
        "Daniel Okoro",
        "member",
        Some("grace"),
        Some("Growth"),
    ),
    (
        "priya",
        "Priya Nair",
        "member",
        Some("tom"),
        Some("Payments"),
    ),
    (
        "jonas",
        "Jonas Weber",
        "member",
        Some("tom"),
        Some("Payments"),
    ),
    ("mei", "Mei Lin", "member", Some("samira"), Some("Payments")),
    (
        "carlos",
        "Carlos Mendes",
        "member",
        Some("tom"),
        Some("Payments"),
    ),
    ("aiko", "Aiko Sato", "member", Some("tom"), Some("Payments")),
    (
        "yusuf",
        "Yusuf Demir",
        "member",
        Some("ingrid"),
        Some("Logistics"),
    ),
    (
        "chloe",
        "Chloé Martin",
        "member",
        Some("ingrid"),
        Some("Logistics"),
    ),
    (
        "arjun",
        "Arjun Rao",
        "member",
        Some("kwame"),
        Some("Logistics"),
    ),
    (
        "elena",
        "Elena Petrova",
        "member",
        Some("ingrid"),
        Some("Logistics"),
    ),
    (
        "tariq",
        "Tariq Aziz",
        "member",
        Some("ingrid"),
        Some("Logistics"),
    ),
    (
        "lucas",
        "Lucas Silva",
        "member",
        Some("fatima"),
        Some("Platform"),
    ),
    (
        "nora",
        "Nora Fischer",
        "member",
        Some("hiroshi"),
        Some("Platform"),
    ),
    (
        "sofia",
        "Sofia Rossi",
        "member",
        Some("fatima"),
        Some("Platform"),
    ),
    (
        "ravi",
        "Ravi Menon",
        "member",
        Some("fatima"),
        Some("Platform"),
    ),
    (
        "hannah",
        "Hannah Schulz",
        "member",
        Some("fatima"),
        Some("Platform"),
    ),
    (
        "isabel",
        "Isabel Cruz",
        "member",
        Some("daniel"),
        Some("Growth"),
    ),
    (
        "mateo",
        "Mateo García",
        "member",
        Some("daniel"),
        Some("Growth"),
    ),
    (
        "zara",
        "Zara Ahmed",
        "member",
        Some("daniel"),
        Some("Growth"),
    ),
    (
        "ben",
        "Ben Carter",
        "member",
        Some("daniel"),
        Some("Growth"),
    ),
    (
        "lina",
        "Lina Haddad",
        "member",
        Some("grace"),
        Some("Growth"),
    ),
    ("rita", "Rita Cole", "recruiter", None, Some("Talent")),
    ("leo", "Leo Brandt", "recruiter", None, Some("Talent")),
    ("ola", "Ola Berg", "admin", None, None),
];

const CERTIFIED: &[&str] = &["mei", "arjun", "nora", "zara", "ingrid"];
const IN_TRAINING: &str = "lucas";

/// Evidence as interviewers write it: situation, action, result, by how
/// strong the signal was (index 0 = rating 1 … 3 = rating 4).
const EVIDENCE: [&[&str]; 4] = [
    &[
        "Asked about a time a launch slipped, he described the team missing the date but could not say what he did himself; every answer was \"we\". When I asked what he would change, he said the deadline was unrealistic and left it there.",
        "Her example of a production incident stopped at filing a ticket for the platform team. She did not know whether it was fixed or whether customers were affected, and saw no problem with that.",
        "When I pushed on the numbers behind his caching decision he could not give any: no hit rate, no latency before or after. He said it \"felt faster\" and moved on.",
    ],
    &[
        "Walked me through the reconciliation job rewrite. Clear on what changed, but the choice of batch size came from a colleague and she had not checked it against the volumes; when asked, she guessed at the peak load.",
        "Owned her part of the migration well and on time, but noticed the billing export breaking for a partner and left it for the other team without following up. It was fixed two weeks later.",
        "Gave a reasonable account of a disagreement with his manager about test coverage, but the resolution was simply deferring to the manager; no data was brought to the discussion.",
    ],
    &[
        "Situation: the card-settlement job failed silently for two days. Action: she wrote the alert that caught it, traced the root cause to a timezone bug, fixed it and back-filled 4,200 settlements. Result: no merchant was paid late; she added a contract test so it cannot recur.",
        "Led the switch from nightly batches to streaming for route updates. He measured the old pipeline first (p95 6 h staleness), ran both in parallel for a week, and cut staleness to under 5 minutes. Knew the cost: 18% more compute, which he had agreed with finance.",
        "Asked about hiring, she described restructuring the onboarding of three new engineers: a written plan, a first-week bug each, weekly pairing. Two of them shipped to production in their second week; she keeps the plan up to date.",
    ],
    &[
        "Noticed that refunds over 10,000 EUR needed a manual approval nobody owned. She took it on outside her team, interviewed the finance ops lead, built a queue with a four-hour SLA and measured it: approvals went from 3 days to 5 hours, and she handed the queue to finance with a runbook.",
        "When the warehouse API vendor doubled prices he benchmarked three alternatives, found that two endpoints made up 80% of the spend, and replaced them with an in-house service in six weeks, saving 240k a year. He showed me the decision document, including the risks he accepted.",
        "Described killing her own project: six months in, user research showed the feature would not move retention. She presented the data to her director, proposed reusing the ranking model for search, and shipped that instead; search conversion rose 9%.",
    ],
];

fn evidence(rating: u8, seed: usize) -> String {
    let bank = EVIDENCE[usize::from(rating.clamp(1, 4)) - 1];
    bank[seed % bank.len()].to_owned()
}

/// Who was seeded, for printing the personas.
pub struct Seeded {
    pub loops: usize,
}

struct Org {
    db: Db,
    links: Links,
    people: HashMap<&'static str, User>,
    competency: HashMap<String, i64>,
}

impl Org {
    fn user(&self, handle: &str) -> &User {
        &self.people[handle]
    }

    fn id(&self, handle: &str) -> UserId {
        UserId(self.people[handle].id)
    }

    fn comp(&self, key: &str) -> i64 {
        self.competency[key]
    }

    async fn candidate(&self, recruiter: &str, name: &str) -> anyhow::Result<i64> {
        let local: String = name
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                'á' | 'à' | 'ä' => Some('a'),
                'é' | 'è' => Some('e'),
                'í' => Some('i'),
                'ó' | 'ö' => Some('o'),
                'ú' | 'ü' => Some('u'),
                'ñ' => Some('n'),
                ' ' => Some('.'),
                c if c.is_ascii_alphanumeric() => Some(c),
                _ => None,
            })
            .collect();
        let email = format!("{local}@candidates.{DOMAIN}");
        let created = candidates::create(
            &self.db,
            self.user(recruiter),
            NewPerson {
                name: PersonName::parse("name", name)?,
                email: Email::parse("email", &email)?,
                referred_by_id: None,
            },
        )
        .await?;
        Ok(created.id)
    }

    /// A loop whose interviews start at `start`, one an hour, each 45 minutes.
    #[allow(clippy::too_many_arguments)]
    async fn create_loop(
        &self,
        recruiter: &str,
        requisition: i64,
        candidate: i64,
        bar_raiser: &str,
        panel: &[(&str, &[&str])],
        start: DateTime<Utc>,
    ) -> anyhow::Result<LoopRead> {
        let panel = panel
            .iter()
            .enumerate()
            .map(|(i, (who, keys))| {
                let starts = start + TimeDelta::hours(i as i64);
                ProposedInterview {
                    id: None,
                    interviewer_id: self.id(who).get(),
                    competency_ids: keys.iter().map(|k| self.comp(k)).collect(),
                    starts_at: starts,
                    ends_at: starts + TimeDelta::minutes(45),
                }
            })
            .collect();
        let input = NewLoop {
            requisition_id: RequisitionId(requisition),
            candidate_id: CandidateId(candidate),
            bar_raiser_id: self.id(bar_raiser),
            hiring_manager_id: None,
            recruiter_id: None,
            feedback_window_hours: 24,
            panel,
        };
        Ok(loops::create(&self.db, self.user(recruiter), input).await?)
    }

    async fn schedule(&self, recruiter: &str, lp: &LoopRead) -> anyhow::Result<()> {
        loops::schedule(
            &self.db,
            &self.links,
            self.user(recruiter),
            LoopId(lp.lp.id),
        )
        .await?;
        Ok(())
    }

    /// `who` writes feedback on their interview of `lp` (one rating for every
    /// assigned competency), and submits it unless `draft_only`.
    async fn write(
        &self,
        lp: &LoopRead,
        who: &str,
        ratings: &[u8],
        vote: Vote,
        submit: bool,
    ) -> anyhow::Result<()> {
        let user = self.user(who);
        let entry = lp
            .panel
            .iter()
            .find(|e| e.interview.interviewer_id == user.id)
            .context("the demo interviewer is on the panel")?;
        let draft = Draft {
            ratings: entry
                .competency_ids
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let r = ratings[i % ratings.len()];
                    RatingEntry {
                        competency_id: *c,
                        rating: Rating::new(i64::from(r)),
                        evidence: evidence(r, (lp.lp.id as usize) + i + user.id as usize),
                    }
                })
                .collect(),
            vote: Some(vote),
            summary: Some(summary(vote).to_owned()),
        };
        let id = InterviewId(entry.interview.id);
        feedback::save_draft(&self.db, Caller::of_user(user), id, draft).await?;
        if submit {
            feedback::submit(&self.db, user, id, true).await?;
        }
        Ok(())
    }

    async fn open_and_vote(
        &self,
        lp: &LoopRead,
        bar_raiser: &str,
        final_votes: &[(&str, Vote, Option<&str>)],
    ) -> anyhow::Result<()> {
        let id = LoopId(lp.lp.id);
        debrief::open(&self.db, &self.links, self.user(bar_raiser), id, None).await?;
        for (who, vote, reason) in final_votes {
            debrief::mark_read(&self.db, self.user(who), id).await?;
            let reason = reason
                .map(|r| LongText::parse("reason", r, 10_000))
                .transpose()?;
            debrief::vote(&self.db, self.user(who), id, *vote, reason).await?;
        }
        Ok(())
    }

    async fn close(
        &self,
        lp: &LoopRead,
        bar_raiser: &str,
        recommendation: Verdict,
        veto: bool,
        rationale: &str,
    ) -> anyhow::Result<()> {
        debrief::close(
            &self.db,
            self.user(bar_raiser),
            LoopId(lp.lp.id),
            recommendation,
            veto,
            LongText::parse("rationale", rationale, 10_000)?,
        )
        .await?;
        Ok(())
    }

    async fn decide(
        &self,
        lp: &LoopRead,
        hiring_manager: &str,
        decision: Verdict,
        rationale: &str,
    ) -> anyhow::Result<()> {
        debrief::decide(
            &self.db,
            &self.links,
            self.user(hiring_manager),
            LoopId(lp.lp.id),
            decision,
            LongText::parse("rationale", rationale, 10_000)?,
        )
        .await?;
        Ok(())
    }
}

fn summary(vote: Vote) -> &'static str {
    match vote {
        Vote::StrongHire => {
            "Consistently specific, owned outcomes end to end and measured them. Would raise the bar on this team."
        }
        Vote::Hire => {
            "Solid, specific examples with measured results; some answers leaned on the team's work more than her own."
        }
        Vote::NoHire => {
            "Answers stayed general; when pressed for her own actions and the results, the examples thinned out."
        }
        Vote::StrongNoHire => {
            "Could not give a single example with his own action and a result; deflected responsibility twice."
        }
    }
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
