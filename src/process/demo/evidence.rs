//! What the demo's interviewers write, competency by competency: one
//! behavioural story per rating (situation, action, result), so that the
//! debrief room shows Dive Deep evidence under Dive Deep and a diverged
//! competency reads as two people who saw different things.

/// `(competency key, [rating 1, rating 2, rating 3, rating 4])`.
const BANK: &[(&str, [&str; 4])] = &[
    (
        "ownership",
        [
            "Asked about a launch that slipped, he described the team missing the date but could not say what he did himself; every answer was \"we\". He called the deadline unrealistic and left it there.",
            "Owned her part of the data migration and delivered it on time, but saw the partner billing export break and left it to the other team without following up; it was fixed two weeks later.",
            "When the card-settlement job failed silently she wrote the alert that caught it, traced it to a time-zone bug, fixed it and back-filled 4,200 settlements; no merchant was paid late.",
            "Refunds over 10,000 EUR needed an approval nobody owned. She took it on outside her team, built a queue with a four-hour target and measured it: approvals went from 3 days to 5 hours, then handed it over with a runbook.",
        ],
    ),
    (
        "dive_deep",
        [
            "Pushed on the numbers behind his caching change, he had none: no hit rate, no latency before or after. He said it \"felt faster\" and moved on.",
            "Explained the batch-size choice in the reconciliation rewrite, but it came from a colleague and she had not checked it against the volumes; asked about peak load, she guessed.",
            "Found that 3% of route updates arrived out of order by reading the consumer's offsets by hand, then reproduced it with a replay script before touching any code.",
            "When the warehouse vendor doubled prices he profiled the calls, found two endpoints made up 80% of the spend, and showed me the query plans that proved the rest could stay. The replacement saved 240k a year.",
        ],
    ),
    (
        "customer_obsession",
        [
            "Could not name a customer of the service he ran. Asked how he knew a change helped anyone, he pointed to the ticket being closed.",
            "Talked to support before the checkout redesign, but shipped the version the team preferred although the two largest merchants had asked for the opposite; no follow-up with them afterwards.",
            "Sat in on ten support calls before designing the refund flow, and cut the steps from seven to three; refund complaints fell by a third the next quarter.",
            "Noticed from the logs that blind users abandoned the booking form at the date picker. She recruited five of them, rebuilt the picker with them, and completion for screen-reader users went from 40% to 91%.",
        ],
    ),
    (
        "invent_and_simplify",
        [
            "Asked for something he had simplified, he described adding a fourth configuration layer \"for flexibility\"; nobody uses it yet.",
            "Proposed a new ranking service, but it copied the old one's design closely; when asked what was new, the answer was the programming language.",
            "Replaced three nightly export scripts with one declarative pipeline; the on-call pages for exports went from weekly to none in two months.",
            "Killed her own six-month project when research showed it would not move retention, reused its ranking model for search instead, and shipped that; search conversion rose 9%.",
        ],
    ),
    (
        "bias_for_action",
        [
            "Waited three weeks for a design review before fixing a data leak in logs that a one-line change would have stopped.",
            "Shipped the pricing experiment quickly, but without a way to roll it back; it took a day to undo when it misfired.",
            "During the outage she shipped a feature flag to shed the expensive endpoint within 20 minutes, then took the proper fix through review the next morning.",
            "Took a reversible decision to move the mobile release to weekly on his own authority, measured crash rates for a month and wrote up the result; the company adopted it.",
        ],
    ),
    (
        "hire_and_develop_the_best",
        [
            "Described his last hire as \"whoever was available\"; he had not interviewed anyone himself or set a bar for the role.",
            "Mentors one junior engineer, but the plan is informal and she could not say what the engineer has learned in six months.",
            "Restructured onboarding for three new engineers: a written plan, a first-week bug each, weekly pairing. Two shipped to production in their second week.",
            "Turned down two candidates the team liked because neither raised the bar, kept the role open a month longer, and the hire she made now leads the payments team.",
        ],
    ),
    (
        "earn_trust",
        [
            "Blamed the QA team for an incident his change caused and did not correct the record when asked later.",
            "Told his manager about a missed deadline, but only on the day it was due; the stakeholders heard it from someone else.",
            "Published the post-mortem of her own mistake to the whole department, named what she had got wrong and what she changed, and asked for comments.",
            "Disagreed with the director's plan in the open review, brought the data, lost the argument, then delivered the plan fully and said so to the team.",
        ],
    ),
    (
        "deliver_results",
        [
            "Of the three projects he listed, none shipped; each was \"nearly done\" when priorities changed.",
            "Shipped the API on the agreed date but with two of the five endpoints; the rest came a quarter later.",
            "Delivered the fraud model a week early by cutting the scope she could defend cutting; chargebacks fell 18% in the first month.",
            "Took over a project six weeks late, re-planned it in a day, cut two features with the product lead's agreement, and shipped on the original date with the error budget intact.",
        ],
    ),
];

/// The story an interviewer writes for `competency` at `rating`, or one of
/// the general stories (by `seed`) for a competency the bank does not know.
pub(super) fn evidence_for(competency: &str, rating: u8, seed: usize) -> String {
    let r = usize::from(rating.clamp(1, 4)) - 1;
    match BANK.iter().find(|(key, _)| *key == competency) {
        Some((_, stories)) => stories[r].to_owned(),
        None => super::data::evidence(rating, seed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_competency_of_the_demo_has_its_own_story_at_every_rating() {
        for key in [
            "ownership",
            "dive_deep",
            "customer_obsession",
            "invent_and_simplify",
            "bias_for_action",
            "hire_and_develop_the_best",
            "earn_trust",
            "deliver_results",
        ] {
            let stories: Vec<String> = (1..=4).map(|r| evidence_for(key, r, 0)).collect();
            let mut distinct = stories.clone();
            distinct.dedup();
            assert_eq!(distinct.len(), 4, "{key}");
            assert!(
                stories
                    .iter()
                    .all(|s| s.chars().count() >= crate::domain::feedback::MIN_EVIDENCE_CHARS),
                "{key}: long enough to submit"
            );
        }
    }
}
