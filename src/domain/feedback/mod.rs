//! Feedback as the rules see it: the vote scale, ratings, what a complete
//! submission needs, and the quality warnings that help before submitting
//! (they never block). Pure functions, unit-tested here.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use serde_json::Value;

use super::{DomainError, FieldProblem};

mod warnings;
pub use warnings::{NON_JOB_RELATED, Warning, non_job_related_terms, vote_contradicts, warnings};

/// The overall vote. There is no neutral vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    StrongHire,
    Hire,
    NoHire,
    StrongNoHire,
}

impl Vote {
    pub const ALL: [Vote; 4] = [
        Vote::StrongHire,
        Vote::Hire,
        Vote::NoHire,
        Vote::StrongNoHire,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Vote::StrongHire => "strong_hire",
            Vote::Hire => "hire",
            Vote::NoHire => "no_hire",
            Vote::StrongNoHire => "strong_no_hire",
        }
    }

    /// The vote as people say it (`strong hire`), for pages and messages.
    pub fn words(self) -> &'static str {
        match self {
            Vote::StrongHire => "strong hire",
            Vote::Hire => "hire",
            Vote::NoHire => "no hire",
            Vote::StrongNoHire => "strong no hire",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, DomainError> {
        raw.parse().map_err(|_: ()| {
            DomainError::invalid(
                field,
                "must be strong_hire, hire, no_hire or strong_no_hire",
            )
        })
    }
}

impl FromStr for Vote {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Vote::ALL.into_iter().find(|v| v.as_str() == s).ok_or(())
    }
}

impl fmt::Display for Vote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an interview's feedback stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackStatus {
    /// Nothing written yet.
    Pending,
    Draft,
    Submitted,
}

impl FeedbackStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Draft => "draft",
            Self::Submitted => "submitted",
        }
    }

    /// The status in words, for people.
    pub fn words(self) -> &'static str {
        match self {
            Self::Pending => "Not started",
            Self::Draft => "Draft saved",
            Self::Submitted => "Submitted",
        }
    }

    /// From the stored status of a feedback row (`None`: no row).
    pub fn of(stored: Option<&str>) -> Self {
        match stored {
            None => Self::Pending,
            Some("submitted") => Self::Submitted,
            Some(_) => Self::Draft,
        }
    }
}

/// When feedback was submitted, against its deadline and the debrief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    OnTime,
    Late,
    /// Submitted after the debrief opened.
    LateAfterDebrief,
}

impl Timing {
    pub fn as_str(self) -> &'static str {
        match self {
            Timing::OnTime => "on_time",
            Timing::Late => "late",
            Timing::LateAfterDebrief => "late_after_debrief",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Timing::OnTime, Timing::Late, Timing::LateAfterDebrief]
            .into_iter()
            .find(|t| t.as_str() == raw)
    }
}

/// A rating: 1 = strong concern, 2 = concern, 3 = evidence, 4 = strong evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct Rating(u8);

impl Rating {
    pub fn new(value: i64) -> Option<Self> {
        u8::try_from(value)
            .ok()
            .filter(|v| (1..=4).contains(v))
            .map(Rating)
    }

    /// A JSON value that must be a whole number from 1 to 4 (`null` is no rating yet).
    pub fn from_json(field: &str, raw: &Value) -> Result<Option<Self>, DomainError> {
        if raw.is_null() {
            return Ok(None);
        }
        raw.as_i64()
            .and_then(Rating::new)
            .map(Some)
            .ok_or_else(|| DomainError::invalid(field, "must be a whole number from 1 to 4"))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// The longest evidence or summary accepted, in characters.
pub const TEXT_MAX: usize = 10_000;

/// Evidence shorter than this cannot be submitted.
pub const MIN_EVIDENCE_CHARS: usize = 50;
/// Evidence shorter than this gets an `evidence_thin` warning.
pub const THIN_EVIDENCE_CHARS: usize = 200;

/// One competency's part of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingEntry {
    pub competency_id: i64,
    pub rating: Option<Rating>,
    pub evidence: String,
}

/// Feedback as written so far (a draft, or what was submitted).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    pub ratings: Vec<RatingEntry>,
    pub vote: Option<Vote>,
    pub summary: Option<String>,
}

/// Whether `draft` can be submitted for an interview assessing `assigned`:
/// every assigned competency rated with evidence of at least 50 characters,
/// no other competency, a vote, a summary and the attestation. Every missing
/// or wrong field is named (`ratings.<competency id>.rating`, …).
pub fn check_complete(draft: &Draft, assigned: &[i64], attested: bool) -> Result<(), DomainError> {
    let mut problems = Vec::new();
    let mut problem = |field: String, message: &str| {
        problems.push(FieldProblem {
            field,
            message: message.into(),
        })
    };
    for id in assigned {
        let entry = draft.ratings.iter().find(|r| r.competency_id == *id);
        if entry.and_then(|e| e.rating).is_none() {
            problem(format!("ratings.{id}.rating"), "must be rated from 1 to 4");
        }
        let evidence = entry.map_or(0, |e| e.evidence.trim().chars().count());
        if evidence < MIN_EVIDENCE_CHARS {
            problem(
                format!("ratings.{id}.evidence"),
                "must describe what the candidate said and did in at least 50 characters",
            );
        }
    }
    for entry in &draft.ratings {
        if !assigned.contains(&entry.competency_id) {
            problem(
                format!("ratings.{}", entry.competency_id),
                "is not a competency assigned to this interview",
            );
        }
    }
    if draft.vote.is_none() {
        problem(
            "vote".into(),
            "must be strong_hire, hire, no_hire or strong_no_hire",
        );
    }
    if draft.summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
        problem("summary".into(), "must not be empty");
    }
    if !attested {
        problem(
            "attest_no_discussion".into(),
            "must be true: confirm you have not discussed the candidate with the panel",
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DomainError::InvalidFields(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, rating: u8, evidence: &str) -> RatingEntry {
        RatingEntry {
            competency_id: id,
            rating: Rating::new(rating as i64),
            evidence: evidence.into(),
        }
    }

    fn draft(vote: Vote, ratings: &[u8]) -> Draft {
        Draft {
            ratings: ratings
                .iter()
                .enumerate()
                .map(|(i, r)| entry(i as i64 + 1, *r, &"x".repeat(250)))
                .collect(),
            vote: Some(vote),
            summary: Some("Clear, specific examples throughout.".into()),
        }
    }

    fn codes(d: &Draft) -> Vec<&'static str> {
        warnings(d).into_iter().map(|w| w.code).collect()
    }

    #[test]
    fn vote_contradicts_ratings_fires_exactly_at_its_boundaries() {
        let fires = |vote, ratings: &[u8]| {
            codes(&draft(vote, ratings)).contains(&"vote_contradicts_ratings")
        };
        assert!(fires(Vote::StrongHire, &[4, 2]));
        assert!(!fires(Vote::StrongHire, &[4, 3]));
        assert!(fires(Vote::Hire, &[3, 1]));
        assert!(!fires(Vote::Hire, &[3, 2]));
        assert!(fires(Vote::NoHire, &[4, 4]));
        assert!(!fires(Vote::NoHire, &[4, 3]));
        assert!(fires(Vote::StrongNoHire, &[3, 4]));
        assert!(!fires(Vote::StrongNoHire, &[3, 2]));
        assert!(
            !fires(Vote::NoHire, &[]),
            "no ratings, nothing to contradict"
        );
    }

    #[test]
    fn a_contradicting_vote_is_named_in_words_not_its_code() {
        let w = warnings(&draft(Vote::StrongHire, &[1, 4]));
        let message = &w
            .iter()
            .find(|w| w.code == "vote_contradicts_ratings")
            .expect("the warning")
            .message;
        assert!(message.starts_with("A strong hire vote"), "{message}");
        assert!(!message.contains('_'), "{message}");
    }

    #[test]
    fn each_protected_characteristic_is_caught_and_job_talk_is_not() {
        let caught = [
            ("age", "She is young for a staff role."),
            ("family", "Her family comes first, so travel may be hard."),
            ("pregnancy", "She mentioned maternity leave next year."),
            ("marriage", "He is married with two kids."),
            ("disability", "He uses a wheelchair."),
            ("health", "She talked about her mental health."),
            ("sex", "Good answers for a woman."),
            ("gender reassignment", "He is transgender."),
            ("sexual orientation", "He is gay."),
            ("race", "Her race came up."),
            ("religion", "He goes to church on Sundays."),
            ("origin", "Strong accent, not a native speaker."),
            (
                "genetic information",
                "There is a family history of illness.",
            ),
            ("culture fit", "Not a culture fit."),
        ];
        for (category, text) in caught {
            assert!(
                !non_job_related_terms(text).is_empty(),
                "{category}: {text}"
            );
        }
        for job_talk in [
            "She manages an old system and a black box.",
            "He partnered with the platform team on a race condition.",
            "They mentored younger engineers and raised the bar.",
        ] {
            assert_eq!(
                non_job_related_terms(job_talk),
                Vec::<&str>::new(),
                "{job_talk}"
            );
        }
    }

    #[test]
    fn thin_evidence_is_flagged_under_200_characters() {
        let mut d = draft(Vote::Hire, &[3]);
        d.ratings[0].evidence = "é".repeat(199);
        assert_eq!(codes(&d), ["evidence_thin"]);
        d.ratings[0].evidence = "é".repeat(200);
        assert!(codes(&d).is_empty());
    }

    #[test]
    fn non_job_related_language_is_found_on_whole_words_in_evidence_and_summary() {
        assert_eq!(
            non_job_related_terms("Great CULTURE-fit; she is married with kids."),
            ["culture fit", "married", "kids"]
        );
        assert!(non_job_related_terms("She managed the average page load").is_empty());
        assert!(non_job_related_terms("He rebuilt the storage layer").is_empty());
        let mut d = draft(Vote::Hire, &[3]);
        d.ratings[0].evidence = format!("{} He has a strong accent.", "x".repeat(250));
        d.summary = Some("Too old for a startup.".into());
        let w = warnings(&d);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].competency_id, Some(1));
        assert_eq!(w[1].competency_id, None);
        assert!(w[1].message.contains("too old"));
    }

    #[test]
    fn ratings_are_whole_numbers_from_one_to_four() {
        use serde_json::json;
        assert_eq!(Rating::from_json("r", &json!(4)).unwrap(), Rating::new(4));
        assert_eq!(Rating::from_json("r", &json!(null)).unwrap(), None);
        for bad in [json!(0), json!(5), json!(2.5), json!("3"), json!(true)] {
            assert!(Rating::from_json("r", &bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_submission_names_every_missing_or_wrong_field() {
        let d = Draft {
            ratings: vec![entry(1, 3, "too short"), entry(9, 2, &"x".repeat(60))],
            vote: None,
            summary: Some("  ".into()),
        };
        let fields: Vec<String> = check_complete(&d, &[1, 2], false)
            .unwrap_err()
            .into_field_problems()
            .unwrap()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "ratings.1.evidence",
                "ratings.2.rating",
                "ratings.2.evidence",
                "ratings.9",
                "vote",
                "summary",
                "attest_no_discussion"
            ]
        );
        let complete = Draft {
            ratings: vec![entry(1, 3, &"e".repeat(50))],
            vote: Some(Vote::Hire),
            summary: Some("Solid.".into()),
        };
        assert!(check_complete(&complete, &[1], true).is_ok());
    }
}
