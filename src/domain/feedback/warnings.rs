//! The quality warnings that help an interviewer before submitting (they
//! never block): a vote that contradicts the ratings, language a structured
//! interview must not weigh, thin evidence.

use serde::Serialize;

use super::{Draft, Rating, THIN_EVIDENCE_CHARS, Vote};

/// A hint about the quality of feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Warning {
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub competency_id: Option<i64>,
    pub message: String,
}

/// What a structured interview must not weigh: the one list behind the
/// `non_job_related_language` warning. Matched case-insensitively on whole
/// words (a phrase matches its words in a row), so "manage" is not "age".
///
/// Its categories follow the protected characteristics of the UK Equality
/// Act 2010 (section 4: age, disability, gender reassignment, marriage and
/// civil partnership, pregnancy and maternity, race, religion or belief, sex,
/// sexual orientation) and the bases the US EEOC enforces (race, colour,
/// religion, sex, national origin, age, disability, genetic information),
/// plus "culture fit", the usual stand-in for "like us". Words that are as
/// often job-related ("old system", "black box", "partner") are left out or
/// listed only in phrases that point at the person.
pub const NON_JOB_RELATED: &[&str] = &[
    // culture fit stands in for "like us"
    "culture fit",
    "cultural fit",
    "fit the culture",
    "fits the culture",
    "beer test",
    // age
    "age",
    "aged",
    "too old",
    "too young",
    "years old",
    "elderly",
    "boomer",
    "millennial",
    "gen z",
    "retirement",
    "is young",
    "so young",
    "very young",
    "young for",
    "is old",
    "older candidate",
    "younger candidate",
    "his age",
    "her age",
    "their age",
    // marital and family status, pregnancy
    "married",
    "marital",
    "unmarried",
    "divorced",
    "single mother",
    "single father",
    "single parent",
    "wife",
    "husband",
    "spouse",
    "fiance",
    "fiancee",
    "girlfriend",
    "boyfriend",
    "kids",
    "children",
    "childcare",
    "family plans",
    "start a family",
    "starting a family",
    "pregnant",
    "pregnancy",
    "maternity",
    "paternity",
    "family comes first",
    "his family",
    "her family",
    "their family",
    "has kids",
    "has children",
    "mother of",
    "father of",
    "caregiver",
    "caring responsibilities",
    "civil partnership",
    // disability and health
    "disability",
    "disabled",
    "wheelchair",
    "handicapped",
    "illness",
    "medical condition",
    "mental health",
    "depression",
    "autism",
    "autistic",
    "adhd",
    // sex, gender reassignment, sexual orientation
    "gender",
    "for a woman",
    "for a man",
    "feminine",
    "masculine",
    "sexual orientation",
    "gay",
    "lesbian",
    "bisexual",
    "transgender",
    "trans woman",
    "trans man",
    // race and colour ("race" alone is also a race condition)
    "his race",
    "her race",
    "their race",
    "racial",
    "skin colour",
    "skin color",
    "asian",
    "hispanic",
    "latino",
    "latina",
    // genetic information
    "genetic",
    "family history",
    // religion
    "religion",
    "religious",
    "church",
    "mosque",
    "synagogue",
    "temple",
    "muslim",
    "jewish",
    "hindu",
    "buddhist",
    "atheist",
    "prays",
    // nationality, origin, accent
    "nationality",
    "national origin",
    "citizenship",
    "foreigner",
    "foreign born",
    "immigrant",
    "ethnicity",
    "accent",
    "native speaker",
    "non native",
    "where he is from",
    "where she is from",
    "where they are from",
];

/// The words of `text`, lower-cased, split on anything that is not a letter or digit.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The listed terms `text` mentions, in list order.
pub fn non_job_related_terms(text: &str) -> Vec<&'static str> {
    let words = words(text);
    NON_JOB_RELATED
        .iter()
        .copied()
        .filter(|term| {
            let term_words: Vec<&str> = term.split(' ').collect();
            words
                .windows(term_words.len())
                .any(|w| w.iter().zip(&term_words).all(|(a, b)| a == b))
        })
        .collect()
}

/// Whether `vote` is at odds with `ratings` (the `vote_contradicts_ratings` rule).
pub fn vote_contradicts(vote: Vote, ratings: &[Rating]) -> bool {
    if ratings.is_empty() {
        return false;
    }
    let r = |n: u8| Rating(n);
    match vote {
        Vote::StrongHire => ratings.iter().any(|x| *x <= r(2)),
        Vote::Hire => ratings.contains(&r(1)),
        Vote::NoHire => ratings.iter().all(|x| *x == r(4)),
        Vote::StrongNoHire => ratings.iter().all(|x| *x >= r(3)),
    }
}

/// The quality warnings of a draft (SPEC §3): a vote at odds with the
/// ratings, language a structured interview must not weigh, thin evidence.
pub fn warnings(draft: &Draft) -> Vec<Warning> {
    let mut out = Vec::new();
    let ratings: Vec<Rating> = draft.ratings.iter().filter_map(|r| r.rating).collect();
    if let Some(vote) = draft.vote
        && vote_contradicts(vote, &ratings)
    {
        out.push(Warning {
            code: "vote_contradicts_ratings",
            competency_id: None,
            message: format!(
                "A {} vote does not match the ratings given ({}).",
                vote.words(),
                ratings
                    .iter()
                    .map(|r| r.get().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    for entry in &draft.ratings {
        let terms = non_job_related_terms(&entry.evidence);
        if !terms.is_empty() {
            out.push(Warning {
                code: "non_job_related_language",
                competency_id: Some(entry.competency_id),
                message: format!(
                    "The evidence mentions what a structured interview must not weigh: {}.",
                    terms.join(", ")
                ),
            });
        }
    }
    if let Some(summary) = &draft.summary {
        let terms = non_job_related_terms(summary);
        if !terms.is_empty() {
            out.push(Warning {
                code: "non_job_related_language",
                competency_id: None,
                message: format!(
                    "The summary mentions what a structured interview must not weigh: {}.",
                    terms.join(", ")
                ),
            });
        }
    }
    for entry in &draft.ratings {
        let n = entry.evidence.chars().count();
        if n < THIN_EVIDENCE_CHARS {
            out.push(Warning {
                code: "evidence_thin",
                competency_id: Some(entry.competency_id),
                message: format!(
                    "The evidence has {n} characters; {THIN_EVIDENCE_CHARS} or more are advised (50 are required): say what the candidate said and did — situation, action, result."
                ),
            });
        }
    }
    out
}
