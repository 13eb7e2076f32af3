//! The demo's people, their reporting lines and bar raiser roster, and the
//! evidence and summaries its interviewers write.

use crate::domain::feedback::Vote;

/// `(handle, name, role, manager handle, department)`.
pub(super) type Person = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

/// The organisation, managers before their reports.
pub(super) const PEOPLE: &[Person] = &[
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

pub(super) const CERTIFIED: &[&str] = &["mei", "arjun", "nora", "zara", "ingrid"];
pub(super) const IN_TRAINING: &str = "lucas";

/// Evidence as interviewers write it: situation, action, result, by how
/// strong the signal was (index 0 = rating 1 … 3 = rating 4).
pub(super) const EVIDENCE: [&[&str]; 4] = [
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

pub(super) fn evidence(rating: u8, seed: usize) -> String {
    let bank = EVIDENCE[usize::from(rating.clamp(1, 4)) - 1];
    bank[seed % bank.len()].to_owned()
}

pub(super) fn summary(vote: Vote) -> &'static str {
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
