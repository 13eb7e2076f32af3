//! The debrief's pure parts: the mechanical composite that stands beside the
//! discussion, divergence of ratings, and the vote tally.

use std::collections::BTreeMap;

use serde::Serialize;

use super::feedback::{Rating, Vote};

/// `hire` or `no_hire`: a recommendation, a decision, or the composite's band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Hire,
    NoHire,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Hire => "hire",
            Verdict::NoHire => "no_hire",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, super::DomainError> {
        match raw {
            "hire" => Ok(Verdict::Hire),
            "no_hire" => Ok(Verdict::NoHire),
            _ => Err(super::DomainError::invalid(
                field,
                "must be hire or no_hire",
            )),
        }
    }
}

/// What a debrief's close or a decision concludes: a verdict, or more signal
/// on the named competencies (SPEC §11) — the loop goes back for a follow-up
/// interview and the debrief reopens on its feedback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conclusion {
    Verdict(Verdict),
    /// The competencies that lack evidence: distinct, at least one.
    MoreSignal(Vec<i64>),
}

/// The most competencies one request for more signal may name.
pub const MORE_SIGNAL_MAX: usize = 20;

impl Conclusion {
    /// `raw` is `hire`, `no_hire` or `more_signal`; `competency_ids` go with
    /// `more_signal` only, and it needs at least one.
    pub fn parse(
        field: &str,
        raw: &str,
        competency_ids: &[i64],
    ) -> Result<Self, super::DomainError> {
        if raw == "more_signal" {
            let mut ids = competency_ids.to_vec();
            ids.sort_unstable();
            ids.dedup();
            return match ids.len() {
                0 => Err(super::DomainError::invalid(
                    "competency_ids",
                    "name the competencies that lack evidence",
                )),
                n if n > MORE_SIGNAL_MAX => Err(super::DomainError::invalid(
                    "competency_ids",
                    format!("at most {MORE_SIGNAL_MAX} competencies"),
                )),
                _ => Ok(Conclusion::MoreSignal(ids)),
            };
        }
        let verdict = Verdict::parse(field, raw).map_err(|_| {
            super::DomainError::invalid(field, "must be hire, no_hire or more_signal")
        })?;
        if !competency_ids.is_empty() {
            return Err(super::DomainError::invalid(
                "competency_ids",
                "go only with more_signal",
            ));
        }
        Ok(Conclusion::Verdict(verdict))
    }
}

/// The most characters of a debrief's free text: rationales, reasons, notes, dissents.
pub const TEXT_MAX: usize = 10_000;

/// Optional free text of the debrief: empty or blank is none.
pub fn optional_text(
    field: &str,
    raw: Option<&str>,
) -> Result<Option<super::LongText>, super::DomainError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => super::LongText::parse(field, text, TEXT_MAX).map(Some),
    }
}

/// Required free text of the debrief.
pub fn text(field: &str, raw: &str) -> Result<super::LongText, super::DomainError> {
    super::LongText::parse(field, raw, TEXT_MAX)
}

/// One submitted feedback, as the composite reads it.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub vote: Vote,
    /// `(competency_id, rating)`
    pub ratings: Vec<(i64, Rating)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CompetencyMean {
    pub competency_id: i64,
    /// To three decimals.
    pub mean: f64,
    pub n: usize,
}

/// The mechanical composite (SPEC §4).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Composite {
    pub competency_means: Vec<CompetencyMean>,
    /// The mean of the initial votes (strong_no_hire = 1 … strong_hire = 4), to
    /// three decimals; `null` without feedback.
    pub vote_score: Option<f64>,
    pub band: String,
}

/// The band's thresholds.
pub const HIRE_VOTE_SCORE: f64 = 2.5;
pub const LOWEST_COMPETENCY_MEAN: f64 = 2.0;

pub fn vote_value(vote: Vote) -> u8 {
    match vote {
        Vote::StrongNoHire => 1,
        Vote::NoHire => 2,
        Vote::Hire => 3,
        Vote::StrongHire => 4,
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The mean rating per competency, the vote score, and the band: `hire` when
/// the vote score is at least 2.5 and no competency mean is below 2.0.
pub fn composite(feedback: &[Submitted]) -> Composite {
    let mut sums: BTreeMap<i64, (u32, usize)> = BTreeMap::new();
    for f in feedback {
        for (competency, rating) in &f.ratings {
            let e = sums.entry(*competency).or_default();
            e.0 += u32::from(rating.get());
            e.1 += 1;
        }
    }
    let competency_means: Vec<CompetencyMean> = sums
        .into_iter()
        .map(|(competency_id, (sum, n))| CompetencyMean {
            competency_id,
            mean: round3(f64::from(sum) / n as f64),
            n,
        })
        .collect();
    let vote_score = (!feedback.is_empty()).then(|| {
        let sum: u32 = feedback.iter().map(|f| u32::from(vote_value(f.vote))).sum();
        round3(f64::from(sum) / feedback.len() as f64)
    });
    let hire = vote_score.is_some_and(|s| s >= HIRE_VOTE_SCORE)
        && competency_means
            .iter()
            .all(|c| c.mean >= LOWEST_COMPETENCY_MEAN);
    Composite {
        competency_means,
        vote_score,
        band: if hire { Verdict::Hire } else { Verdict::NoHire }
            .as_str()
            .to_owned(),
    }
}

/// Ratings two or more apart diverge: the discussion goes there first.
pub fn diverged(ratings: &[Rating]) -> bool {
    match (ratings.iter().min(), ratings.iter().max()) {
        (Some(lo), Some(hi)) => hi.get() - lo.get() >= 2,
        _ => false,
    }
}

/// How many of each vote.
pub fn tally(votes: impl IntoIterator<Item = Vote>) -> BTreeMap<&'static str, usize> {
    let mut out: BTreeMap<&'static str, usize> =
        Vote::ALL.iter().map(|v| (v.as_str(), 0)).collect();
    for v in votes {
        *out.entry(v.as_str()).or_default() += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64) -> Rating {
        Rating::new(n).unwrap()
    }

    fn fb(vote: Vote, ratings: &[(i64, i64)]) -> Submitted {
        Submitted {
            vote,
            ratings: ratings.iter().map(|(c, x)| (*c, r(*x))).collect(),
        }
    }

    #[test]
    fn the_composite_of_a_hand_computed_hire() {
        // Competency 1: 3, 4, 3 → 3.333; competency 2: 2, 3 → 2.5.
        // Votes: hire 3, strong_hire 4, hire 3 → 3.333 ≥ 2.5, no mean below 2.
        let c = composite(&[
            fb(Vote::Hire, &[(1, 3), (2, 2)]),
            fb(Vote::StrongHire, &[(1, 4)]),
            fb(Vote::Hire, &[(1, 3), (2, 3)]),
        ]);
        assert_eq!(
            c.competency_means,
            [
                CompetencyMean {
                    competency_id: 1,
                    mean: 3.333,
                    n: 3
                },
                CompetencyMean {
                    competency_id: 2,
                    mean: 2.5,
                    n: 2
                },
            ]
        );
        assert_eq!(c.vote_score, Some(3.333));
        assert_eq!(c.band, "hire");
    }

    #[test]
    fn one_competency_below_two_makes_the_band_no_hire_despite_a_high_vote_score() {
        // Votes 4, 3, 3 → 3.333; competency 7: 1, 2, 2 → 1.667 < 2.0.
        let c = composite(&[
            fb(Vote::StrongHire, &[(7, 1), (8, 4)]),
            fb(Vote::Hire, &[(7, 2), (8, 4)]),
            fb(Vote::Hire, &[(7, 2), (8, 3)]),
        ]);
        assert_eq!(c.vote_score, Some(3.333));
        assert_eq!(c.competency_means[0].mean, 1.667);
        assert_eq!(c.band, "no_hire");
    }

    #[test]
    fn the_band_thresholds_are_inclusive() {
        // Vote score exactly 2.5 (hire 3 + no_hire 2), means exactly 2.0.
        let c = composite(&[fb(Vote::Hire, &[(1, 2)]), fb(Vote::NoHire, &[(1, 2)])]);
        assert_eq!((c.vote_score, c.band.as_str()), (Some(2.5), "hire"));
        let c = composite(&[fb(Vote::NoHire, &[(1, 4)]), fb(Vote::NoHire, &[(1, 4)])]);
        assert_eq!((c.vote_score, c.band.as_str()), (Some(2.0), "no_hire"));
        let c = composite(&[]);
        assert_eq!((c.vote_score, c.band.as_str()), (None, "no_hire"));
    }

    #[test]
    fn more_signal_names_distinct_competencies_and_verdicts_name_none() {
        assert_eq!(
            Conclusion::parse("decision", "more_signal", &[3, 1, 3]),
            Ok(Conclusion::MoreSignal(vec![1, 3]))
        );
        assert!(Conclusion::parse("decision", "more_signal", &[]).is_err());
        let many: Vec<i64> = (1..=21).collect();
        assert!(Conclusion::parse("decision", "more_signal", &many).is_err());
        assert_eq!(
            Conclusion::parse("decision", "hire", &[]),
            Ok(Conclusion::Verdict(Verdict::Hire))
        );
        assert!(Conclusion::parse("decision", "hire", &[1]).is_err());
        assert!(Conclusion::parse("decision", "maybe", &[]).is_err());
    }

    #[test]
    fn ratings_two_apart_diverge() {
        assert!(diverged(&[r(1), r(3)]));
        assert!(!diverged(&[r(2), r(3), r(3)]));
        assert!(!diverged(&[]));
    }

    #[test]
    fn the_tally_counts_every_vote_of_the_scale() {
        let t = tally([Vote::Hire, Vote::Hire, Vote::NoHire]);
        assert_eq!(t["hire"], 2);
        assert_eq!(t["no_hire"], 1);
        assert_eq!(t["strong_hire"], 0);
    }
}
