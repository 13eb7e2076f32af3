//! Predictive validity (SPEC §11): did the people we hired turn out as the
//! interviews predicted? For the hires decided in a period that have a
//! performance rating (their latest), the correlation of that rating with the
//! composite's vote score, with each competency's mean rating, and with each
//! interviewer's ratings (interviewers with ten such hires or more). Only
//! hires have outcomes, so the range is restricted: the answer says so rather
//! than correcting for it.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::auth::require_admin;
use crate::db::analytics::{self as queries, Period, RatingFigures};
use crate::db::users::User;
use crate::db::{Db, DbConn};
use crate::domain::correlation::Predictor;
use crate::error::ServiceError;

/// The default period: the last 365 days.
pub const DEFAULT_DAYS: i64 = 365;
/// How many rated hires an interviewer needs to appear.
pub const MIN_HIRES_PER_INTERVIEWER: usize = 10;

#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct CompetencyValidity {
    pub competency_id: i64,
    #[serde(flatten)]
    pub predictor: Predictor,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct InterviewerValidity {
    pub user_id: i64,
    #[serde(flatten)]
    pub predictor: Predictor,
}

/// `GET /metrics/validity`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Validity {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Always true: only hires have outcomes, so every figure is computed on
    /// a restricted range (and tends to understate the true relation).
    pub range_restricted: bool,
    /// How many hires of the period have a performance rating.
    pub rated_hires: usize,
    /// The mean of the panel's initial votes (1 = strong no hire … 4 = strong hire).
    pub vote_score: Predictor,
    pub competencies: Vec<CompetencyValidity>,
    pub interviewers: Vec<InterviewerValidity>,
}

#[derive(Default)]
struct Mean {
    sum: f64,
    n: u32,
}

impl Mean {
    fn add(&mut self, v: f64) {
        self.sum += v;
        self.n += 1;
    }
    fn get(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / f64::from(self.n))
    }
}

/// The report from each rated hire's rating and the ratings of its feedback
/// (in any order), in one pass over them.
pub fn compute(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    rated: &[(i64, f64)],
    rows: &[RatingFigures],
) -> Validity {
    let outcome: HashMap<i64, f64> = rated.iter().copied().collect();
    let mut votes: BTreeMap<i64, Mean> = BTreeMap::new();
    let mut competencies: BTreeMap<(i64, i64), Mean> = BTreeMap::new();
    let mut interviewers: BTreeMap<(i64, i64), Mean> = BTreeMap::new();
    let mut seen_feedback: HashSet<i64> = HashSet::with_capacity(rows.len());
    for &(feedback_id, loop_id, competency_id, interviewer_id, rating, vote) in rows {
        if !outcome.contains_key(&loop_id) {
            continue;
        }
        // A feedback has a row per rating: its vote counts once.
        if let (true, Some(v)) = (seen_feedback.insert(feedback_id), vote) {
            votes.entry(loop_id).or_default().add(v as f64);
        }
        if let Some(r) = rating {
            competencies
                .entry((competency_id, loop_id))
                .or_default()
                .add(r as f64);
            interviewers
                .entry((interviewer_id, loop_id))
                .or_default()
                .add(r as f64);
        }
    }
    let pairs_of = |means: &BTreeMap<(i64, i64), Mean>| {
        let mut by: BTreeMap<i64, Vec<(f64, f64)>> = BTreeMap::new();
        for (&(who, loop_id), mean) in means {
            if let (Some(m), Some(&y)) = (mean.get(), outcome.get(&loop_id)) {
                by.entry(who).or_default().push((m, y));
            }
        }
        by
    };
    let vote_pairs: Vec<(f64, f64)> = votes
        .iter()
        .filter_map(|(loop_id, m)| Some((m.get()?, *outcome.get(loop_id)?)))
        .collect();
    Validity {
        from,
        to,
        range_restricted: true,
        rated_hires: rated.len(),
        vote_score: Predictor::of(&vote_pairs),
        competencies: pairs_of(&competencies)
            .into_iter()
            .map(|(competency_id, pairs)| CompetencyValidity {
                competency_id,
                predictor: Predictor::of(&pairs),
            })
            .collect(),
        interviewers: pairs_of(&interviewers)
            .into_iter()
            .filter(|(_, pairs)| pairs.len() >= MIN_HIRES_PER_INTERVIEWER)
            .map(|(user_id, pairs)| InterviewerValidity {
                user_id,
                predictor: Predictor::of(&pairs),
            })
            .collect(),
    }
}

/// The report of `[from, to)` on one connection, in two queries.
pub fn validity_in(
    c: &mut DbConn,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Validity, ServiceError> {
    let p = Period {
        from: from.naive_utc(),
        to: to.naive_utc(),
    };
    let rated = queries::rated_hires(c, p)?;
    let rows = if rated.is_empty() {
        Vec::new()
    } else {
        queries::ratings_of_rated_hires(c, p)?
    };
    Ok(compute(from, to, &rated, &rows))
}

/// `GET /metrics/validity` (admins).
pub async fn validity(
    db: &Db,
    actor: &User,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Validity, ServiceError> {
    require_admin(actor)?;
    db.run_analysis(move |c| validity_in(c, from, to)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_hire_counts_once_per_predictor_and_interviewers_need_ten_hires() {
        let now = Utc::now();
        // 25 hires rated 1..5; loop i has two feedbacks: interviewer 7 on
        // every loop, interviewer 8 on the first 9 only.
        let rated: Vec<(i64, f64)> = (1..=25)
            .map(|i| (i, f64::from((i % 5 + 1) as u8)))
            .collect();
        let mut rows = Vec::new();
        for i in 1..=25i64 {
            let r = i % 4 + 1;
            rows.push((i * 10, i, 100, 7, Some(r), Some(r)));
            rows.push((i * 10, i, 101, 7, Some(4 - r + 1), Some(r)));
            if i <= 9 {
                rows.push((i * 10 + 1, i, 100, 8, Some(2), Some(2)));
            }
        }
        // A loop without a rating is ignored.
        rows.push((999, 99, 100, 7, Some(4), Some(4)));
        // The order of the rows does not matter.
        rows.reverse();
        let v = compute(now, now, &rated, &rows);
        assert!(v.range_restricted);
        assert_eq!(v.rated_hires, 25);
        assert_eq!(v.vote_score.n, 25);
        assert_eq!(
            v.competencies
                .iter()
                .map(|c| (c.competency_id, c.predictor.n))
                .collect::<Vec<_>>(),
            [(100, 25), (101, 25)]
        );
        assert_eq!(
            v.interviewers.iter().map(|i| i.user_id).collect::<Vec<_>>(),
            [7],
            "8 has nine hires"
        );
        // Interviewer 7's mean rating per loop is (r + 5 - r) / 2 = 2.5: no variation, no figure.
        assert_eq!(v.interviewers[0].predictor.pearson, None);
    }
}
