//! Hiring-quality analytics (SPEC §7): the input metrics of the process, for
//! recruiters and admins, and interviewer calibration, for admins and
//! certified bar raisers. Every period is `[from, to)` and defaults to the
//! last 90 days.

pub mod anchoring;
pub mod kept;
pub mod validity;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::require_recruiting;
use crate::db::analytics::{self as q, Period};
use crate::db::users::User;
use crate::db::{Db, DbConn};
use crate::domain::calibration::{Agreement, Rated, RaterStats, calibrate};
use crate::domain::debrief::vote_value;
use crate::domain::feedback::{Rating, Vote, vote_contradicts};
use crate::domain::{BarRaiserStatus, DomainError, Role};
use crate::error::ServiceError;

/// The default period: the last 90 days.
pub const DEFAULT_DAYS: i64 = 90;

/// The default of `ANALYTICS_MIN_LOOPS`: a person's own figures (an
/// interviewer's ratings and timeliness, a bar raiser's debriefs) are shown
/// only when at least this many loops stand behind them. Below it, a narrow
/// period would single out one candidate's loop and what one person said of
/// them, and a figure of two or three loops says nothing about a person
/// anyway. Five is the smallest cell size that reporting on people commonly
/// publishes.
pub const DEFAULT_MIN_LOOPS_PER_PERSON: usize = 5;

/// Who may read which analytics, and how much stands behind a person's figures.
#[derive(Debug, Clone, Copy)]
pub struct Privacy {
    /// Figures about one person need at least this many distinct loops.
    pub min_loops_per_person: usize,
}

impl Default for Privacy {
    fn default() -> Self {
        Self {
            min_loops_per_person: DEFAULT_MIN_LOOPS_PER_PERSON,
        }
    }
}

/// Parses `from` and `to` (RFC 3339, optional): `to` defaults to now, `from`
/// to 90 days before `to`; `from` must come before `to`.
pub fn parse_period(
    from: Option<&str>,
    to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), DomainError> {
    parse_period_of(from, to, now, DEFAULT_DAYS)
}

/// [`parse_period`] with `from` defaulting to `days` before `to`.
pub fn parse_period_of(
    from: Option<&str>,
    to: Option<&str>,
    now: DateTime<Utc>,
    days: i64,
) -> Result<(DateTime<Utc>, DateTime<Utc>), DomainError> {
    let parse = |field: &str, raw: &str| {
        DateTime::parse_from_rfc3339(raw.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                DomainError::invalid(
                    field,
                    "must be an RFC 3339 timestamp, e.g. 2026-10-01T00:00:00Z",
                )
            })
    };
    let to = to.map(|t| parse("to", t)).transpose();
    let from = from.map(|f| parse("from", f)).transpose();
    let (from, to) = match (from, to) {
        (Ok(f), Ok(t)) => (f, t),
        (f, t) => {
            return Err(crate::domain::merge(
                [f.err(), t.err()].into_iter().flatten(),
            ));
        }
    };
    let to = to.unwrap_or(now);
    let from = from.unwrap_or(to - TimeDelta::days(days));
    if from >= to {
        return Err(DomainError::invalid("to", "must come after from"));
    }
    Ok((from, to))
}

/// How many distinct loops stand behind each person, from `(person, loop)`
/// pairs (repeated pairs count once).
fn loops_per_person(pairs: impl Iterator<Item = (i64, i64)>) -> HashMap<i64, usize> {
    let distinct: HashSet<(i64, i64)> = pairs.collect();
    let mut counts = HashMap::new();
    for (who, _) in distinct {
        *counts.entry(who).or_default() += 1;
    }
    counts
}

fn rate((matching, total): (i64, i64)) -> Option<f64> {
    (total > 0).then(|| round3(matching as f64 / total as f64))
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The median of `values`, to three decimals.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let m = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    Some(round3(m))
}

fn hours(from: NaiveDateTime, to: NaiveDateTime) -> f64 {
    (to - from).num_seconds() as f64 / 3600.0
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FeedbackFigures {
    pub submitted: usize,
    pub on_time_rate: Option<f64>,
    pub median_hours_to_submit: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Violations {
    /// Loops created with a red report.
    pub at_assembly: i64,
    /// Scheduled loops that turned red.
    pub after_scheduling: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BarRaiserFigures {
    pub user_id: i64,
    pub debriefs_led: usize,
    pub vetoes: usize,
    pub median_debrief_hours: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InterviewerFigures {
    pub user_id: i64,
    pub feedback: usize,
    pub on_time_rate: Option<f64>,
    /// Their submissions whose loop was decided.
    pub decided: usize,
    /// Of those, the share whose initial vote matched the decision.
    pub vote_matched_decision_rate: Option<f64>,
}

/// One week of the period (weeks start on Monday, UTC; the first and last
/// may be cut by the period's bounds).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Week {
    pub starts: chrono::NaiveDate,
    pub scheduled: i64,
    pub decided: i64,
}

/// How many decided loops took this long from schedule to decision.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DurationBucket {
    /// `under 1 day`, `1–2 days`, … `4 weeks or more`.
    pub label: String,
    pub loops: i64,
}

/// The buckets of the schedule-to-decision distribution: `(label, up to
/// this many days, exclusive)`.
pub const DURATION_BUCKETS: [(&str, f64); 7] = [
    ("under 1 day", 1.0),
    ("1–2 days", 2.0),
    ("2–4 days", 4.0),
    ("4–7 days", 7.0),
    ("1–2 weeks", 14.0),
    ("2–4 weeks", 28.0),
    ("4 weeks or more", f64::INFINITY),
];

/// Counts `hours` into [`DURATION_BUCKETS`].
pub fn duration_buckets(hours: &[f64]) -> Vec<DurationBucket> {
    let mut counts = [0i64; DURATION_BUCKETS.len()];
    for h in hours {
        let days = h / 24.0;
        let i = DURATION_BUCKETS
            .iter()
            .position(|(_, upto)| days < *upto)
            .unwrap_or(DURATION_BUCKETS.len() - 1);
        counts[i] += 1;
    }
    DURATION_BUCKETS
        .iter()
        .zip(counts)
        .map(|((label, _), loops)| DurationBucket {
            label: (*label).to_owned(),
            loops,
        })
        .collect()
}

/// The Monday of `at`'s week.
fn monday(at: NaiveDateTime) -> chrono::NaiveDate {
    use chrono::Datelike;
    let d = at.date();
    d - TimeDelta::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Loops scheduled and decided per week, every week of `[from, to)` listed.
pub fn weeks(
    from: NaiveDateTime,
    to: NaiveDateTime,
    scheduled: &[NaiveDateTime],
    decided: &[NaiveDateTime],
) -> Vec<Week> {
    let first = monday(from);
    let mut out: Vec<Week> = Vec::new();
    let mut start = first;
    while start.and_hms_opt(0, 0, 0).is_some_and(|s| s < to) {
        out.push(Week {
            starts: start,
            scheduled: 0,
            decided: 0,
        });
        start += TimeDelta::days(7);
    }
    let index = |at: &NaiveDateTime| ((monday(*at) - first).num_days() / 7) as usize;
    for at in scheduled {
        if let Some(w) = out.get_mut(index(at)) {
            w.scheduled += 1;
        }
    }
    for at in decided {
        if let Some(w) = out.get_mut(index(at)) {
            w.decided += 1;
        }
    }
    out
}

/// `GET /metrics/process`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Process {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub loops_scheduled: i64,
    pub loops_decided: i64,
    /// Every week of the period, Monday first.
    pub weeks: Vec<Week>,
    pub median_hours_schedule_to_decision: Option<f64>,
    /// From the end of a loop's last interview to its decision (the practice
    /// aims at a debrief the same or the next day).
    #[serde(default)]
    pub median_hours_last_interview_to_decision: Option<f64>,
    /// The loops decided in the period by how long they took from schedule.
    pub schedule_to_decision: Vec<DurationBucket>,
    pub feedback: FeedbackFigures,
    pub override_rate: Option<f64>,
    pub vote_change_rate: Option<f64>,
    /// Of the final votes that changed, where they moved (see `anchoring`).
    #[serde(default)]
    pub anchoring: anchoring::Anchoring,
    pub veto_rate: Option<f64>,
    pub hire_rate: Option<f64>,
    pub decisions_against_composite: i64,
    pub independence_violations: Violations,
    /// Bar raisers with at least `min_loops_per_person` debriefs in the period.
    pub bar_raisers: Vec<BarRaiserFigures>,
    /// Interviewers with submissions on at least `min_loops_per_person` loops.
    pub interviewers: Vec<InterviewerFigures>,
    /// How many loops stand behind any one person's figures, at least.
    pub min_loops_per_person: usize,
    /// Bar raisers left out of `bar_raisers` for having fewer (their
    /// debriefs still count in every figure of the whole process).
    pub withheld_bar_raisers: usize,
    /// Interviewers left out of `interviewers` for having fewer.
    pub withheld_interviewers: usize,
}

/// The input metrics of the period (recruiters and admins).
pub async fn process(
    db: &Db,
    privacy: Privacy,
    actor: &User,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Process, ServiceError> {
    require_recruiting(actor)?;
    db.run_analysis(move |c| process_in(c, privacy, from, to))
        .await
}

/// The input metrics of `[from, to)`, on one connection, for whoever may
/// read them (the caller checks).
pub fn process_in(
    c: &mut DbConn,
    privacy: Privacy,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Process, ServiceError> {
    let min_loops = privacy.min_loops_per_person;
    let p = Period {
        from: from.naive_utc(),
        to: to.naive_utc(),
    };
    let loops_scheduled = q::loops_scheduled(c, p)?;
    let debriefs = q::debrief_counts(c, p)?;
    let (at_assembly, after_scheduling) = q::violations(c, p)?;
    // Per interviewer: (submitted, on time, decided, matched the decision).
    let mut by_interviewer: BTreeMap<i64, [i64; 4]> = BTreeMap::new();
    let mut loops_of: Vec<(i64, i64)> = Vec::new();
    let mut hours_to_submit = Vec::new();
    for (interviewer, loop_id, on_time, decided, matched, hours) in q::submission_figures(c, p)? {
        let e = by_interviewer.entry(interviewer).or_default();
        e[0] += 1;
        e[1] += on_time;
        e[2] += decided;
        e[3] += matched;
        hours_to_submit.extend(hours);
        loops_of.push((interviewer, loop_id));
    }
    let submitted: i64 = by_interviewer.values().map(|e| e[0]).sum();
    let on_time: i64 = by_interviewer.values().map(|e| e[1]).sum();
    let mut by_bar_raiser: BTreeMap<i64, (usize, usize, Vec<f64>)> = BTreeMap::new();
    for (who, opened, closed, veto) in q::debriefs_led(c, p)? {
        let e = by_bar_raiser.entry(who).or_default();
        e.0 += 1;
        e.1 += usize::from(veto);
        if let Some(closed) = closed {
            e.2.push(hours(opened, closed));
        }
    }
    let interviewer_loops = loops_per_person(loops_of.into_iter());
    let votes = q::debrief_votes(c, p)?;
    let mut anchored = anchoring::anchoring(&votes);
    let vote_changes = {
        let total = votes.finals.len() as i64;
        let changed = votes
            .finals
            .iter()
            .filter(|(key, vote)| {
                votes
                    .initial
                    .get(key)
                    .is_some_and(|i| i.as_deref() != Some(vote.as_str()))
            })
            .count() as i64;
        (changed, total)
    };
    let decisions = q::schedule_to_decision(c, p)?;
    let durations: Vec<f64> = decisions.iter().map(|(s, d)| hours(*s, *d)).collect();
    let decided_at: Vec<NaiveDateTime> = decisions.iter().map(|(_, d)| *d).collect();
    let weekly = weeks(p.from, p.to, &q::scheduled_times(c, p)?, &decided_at);
    let (bar_raisers, interviewers) = (by_bar_raiser.len(), by_interviewer.len());
    // One debrief is one loop.
    by_bar_raiser.retain(|_, (led, _, _)| *led >= min_loops);
    // Per bar raiser under the same minimum as their other figures.
    anchored
        .bar_raisers
        .retain(|b| by_bar_raiser.contains_key(&b.user_id));
    by_interviewer.retain(|who, _| interviewer_loops.get(who).copied().unwrap_or(0) >= min_loops);
    Ok(Process {
        from,
        to,
        min_loops_per_person: min_loops,
        withheld_bar_raisers: bar_raisers - by_bar_raiser.len(),
        withheld_interviewers: interviewers - by_interviewer.len(),
        loops_scheduled,
        loops_decided: debriefs.decided,
        weeks: weekly,
        schedule_to_decision: duration_buckets(&durations),
        median_hours_schedule_to_decision: median(durations),
        median_hours_last_interview_to_decision: median(
            q::last_interview_to_decision(c, p)?
                .into_iter()
                .map(|(last, decided)| hours(last, decided))
                .collect(),
        ),
        feedback: FeedbackFigures {
            submitted: submitted as usize,
            on_time_rate: rate((on_time, submitted)),
            median_hours_to_submit: median(hours_to_submit),
        },
        override_rate: rate((debriefs.overridden, debriefs.opened)),
        vote_change_rate: rate(vote_changes),
        anchoring: anchored,
        veto_rate: rate((debriefs.vetoed, debriefs.closed)),
        hire_rate: rate((debriefs.hired, debriefs.decided)),
        decisions_against_composite: debriefs.against_composite,
        independence_violations: Violations {
            at_assembly,
            after_scheduling,
        },
        bar_raisers: by_bar_raiser
            .into_iter()
            .map(|(user_id, (led, vetoes, lengths))| BarRaiserFigures {
                user_id,
                debriefs_led: led,
                vetoes,
                median_debrief_hours: median(lengths),
            })
            .collect(),
        interviewers: by_interviewer
            .into_iter()
            .map(
                |(user_id, [n, on_time, decided, matched])| InterviewerFigures {
                    user_id,
                    feedback: n as usize,
                    on_time_rate: rate((on_time, n)),
                    decided: decided as usize,
                    vote_matched_decision_rate: rate((matched, decided)),
                },
            )
            .collect(),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CompetencyAgreement {
    pub competency_id: i64,
    #[serde(flatten)]
    pub agreement: Agreement,
}

/// `GET /metrics/calibration`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Calibration {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub pooled: Agreement,
    pub competencies: Vec<CompetencyAgreement>,
    /// Interviewers who rated on at least `min_loops_per_person` loops.
    pub interviewers: Vec<RaterStats>,
    /// How many loops stand behind any one interviewer's figures, at least.
    pub min_loops_per_person: usize,
    /// Interviewers left out of `interviewers` for having fewer (their
    /// ratings still count in every alpha).
    pub withheld_interviewers: usize,
}

/// The ratings as the calibration reads them, and per rater how many of
/// their submissions had a vote that contradicts their ratings — the same
/// rule that warned its author, which depends only on the lowest rating. One
/// pass over rows grouped by feedback.
fn read_ratings(rows: Vec<q::RatingFigures>) -> (Vec<Rated>, HashMap<i64, usize>) {
    let mut rated = Vec::with_capacity(rows.len());
    let mut contradictions: HashMap<i64, usize> = HashMap::new();
    // (rater, vote, lowest rating) of the feedback being read.
    type Feedback = (i64, Option<Vote>, Option<Rating>);
    let mut settle = |feedback: Option<Feedback>| {
        if let Some((rater, Some(vote), Some(lowest))) = feedback
            && vote_contradicts(vote, &[lowest])
        {
            *contradictions.entry(rater).or_default() += 1;
        }
    };
    let mut current: Option<(i64, Feedback)> = None;
    for (feedback_id, loop_id, competency_id, rater, rating, vote) in rows {
        let rating = rating.and_then(Rating::new);
        match &mut current {
            Some((id, (_, _, lowest))) if *id == feedback_id => {
                *lowest = match (*lowest, rating) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            _ => {
                settle(current.take().map(|(_, f)| f));
                let vote = vote.and_then(|n| {
                    Vote::ALL
                        .into_iter()
                        .find(|v| i64::from(vote_value(*v)) == n)
                });
                current = Some((feedback_id, (rater, vote, rating)));
            }
        }
        if let Some(rating) = rating {
            rated.push(Rated {
                loop_id,
                competency_id,
                rater,
                rating: rating.get(),
            });
        }
    }
    settle(current.take().map(|(_, f)| f));
    (rated, contradictions)
}

/// Calibration of the feedback submitted in the period on loops the blind
/// rule no longer protects (admins and certified bar raisers): the ratings in
/// one query and one pass over them, each interviewer's figures only when
/// enough loops stand behind them.
pub async fn calibration(
    db: &Db,
    privacy: Privacy,
    actor: &User,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Calibration, ServiceError> {
    may_calibrate(actor)?;
    db.run_analysis(move |c| calibration_in(c, privacy, from, to))
        .await
}

/// Calibration is for admins and certified bar raisers.
pub fn may_calibrate(actor: &User) -> Result<(), ServiceError> {
    if actor.role != Role::Admin
        && !(actor.bar_raiser == BarRaiserStatus::Certified && actor.active)
    {
        return Err(ServiceError::forbidden(
            "calibration_restricted",
            "Calibration is for admins and certified bar raisers.",
        ));
    }
    Ok(())
}

/// Calibration of `[from, to)` on one connection (the caller checks who).
pub fn calibration_in(
    c: &mut DbConn,
    privacy: Privacy,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Calibration, ServiceError> {
    let p = Period {
        from: from.naive_utc(),
        to: to.naive_utc(),
    };
    let (rated, contradictions) = read_ratings(q::ratings(c, p)?);
    let (pooled, per_competency, mut interviewers) = calibrate(&rated, &contradictions);
    let loops_per_rater = loops_per_person(rated.iter().map(|r| (r.rater, r.loop_id)));
    let min_loops = privacy.min_loops_per_person;
    let everyone = interviewers.len();
    interviewers.retain(|s| loops_per_rater.get(&s.user_id).copied().unwrap_or(0) >= min_loops);
    Ok(Calibration {
        from,
        to,
        min_loops_per_person: min_loops,
        withheld_interviewers: everyone - interviewers.len(),
        pooled,
        competencies: per_competency
            .into_iter()
            .map(|(competency_id, agreement)| CompetencyAgreement {
                competency_id,
                agreement,
            })
            .collect(),
        interviewers,
    })
}

/// One interviewer's own figures beside their co-raters' (`/insights/me`):
/// private to the person.
#[derive(Debug, Clone, Serialize)]
pub struct Mirror {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The loops they submitted feedback on in the period, past the blind rule.
    pub loops: usize,
    pub min_loops_per_person: usize,
    /// Their ratings and leniency against their co-raters on the same
    /// candidates and competencies; `None` below the minimum of loops.
    pub mine: Option<RaterStats>,
    /// The co-raters' ratings on the same loops: counts of 1 to 4.
    pub co_raters_distribution: BTreeMap<String, usize>,
    pub co_raters_mean: Option<f64>,
    /// Their submissions whose loop was decided, and of those how many had an
    /// initial vote that matched the decision.
    pub decided: usize,
    pub vote_matched_decision_rate: Option<f64>,
}

/// The person's own mirror (everyone, for themselves only): their ratings on
/// the loops they rated in the period beside everyone else's on those loops.
/// Four queries, over their loops only.
pub async fn mirror(
    db: &Db,
    privacy: Privacy,
    actor: &User,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Mirror, ServiceError> {
    let p = Period {
        from: from.naive_utc(),
        to: to.naive_utc(),
    };
    let me = actor.id;
    let min_loops = privacy.min_loops_per_person;
    db.run_analysis(move |c| {
        let submissions = q::submissions_of(c, p, me)?;
        let loop_ids: Vec<i64> = {
            let mut ids: Vec<i64> = submissions.iter().map(|s| s.1).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let (rated, contradictions) = read_ratings(q::ratings_on_loops(c, &loop_ids)?);
        let (_, _, stats) = calibrate(&rated, &contradictions);
        let mut co = BTreeMap::new();
        let (mut sum, mut n) = (0u64, 0u64);
        for r in rated.iter().filter(|r| r.rater != me) {
            *co.entry(r.rating.to_string()).or_insert(0usize) += 1;
            sum += u64::from(r.rating);
            n += 1;
        }
        let decided: i64 = submissions.iter().map(|s| s.3).sum();
        let matched: i64 = submissions.iter().map(|s| s.4).sum();
        let enough = loop_ids.len() >= min_loops;
        Ok(Mirror {
            from,
            to,
            loops: loop_ids.len(),
            min_loops_per_person: min_loops,
            mine: if enough {
                stats.into_iter().find(|s| s.user_id == me)
            } else {
                None
            },
            co_raters_distribution: if enough { co } else { BTreeMap::new() },
            co_raters_mean: (enough && n > 0).then(|| round3(sum as f64 / n as f64)),
            decided: if enough { decided as usize } else { 0 },
            vote_matched_decision_rate: if enough {
                rate((matched, decided))
            } else {
                None
            },
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_defaults_to_90_days_and_must_run_forward() {
        let now = Utc::now();
        let (from, to) = parse_period(None, None, now).unwrap();
        assert_eq!((to, to - from), (now, TimeDelta::days(90)));
        assert!(
            parse_period(
                Some("2026-10-01T00:00:00Z"),
                Some("2026-09-01T00:00:00Z"),
                now
            )
            .is_err()
        );
        let err = parse_period(Some("yesterday"), Some("soon"), now).unwrap_err();
        assert_eq!(err.into_field_problems().unwrap().len(), 2);
    }

    #[test]
    fn weeks_start_on_monday_and_cover_the_period() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().naive_utc();
        // Wednesday 2 December to Wednesday 16 December 2026: three weeks.
        let w = weeks(
            at("2026-12-02T00:00:00Z"),
            at("2026-12-16T00:00:00Z"),
            &[
                at("2026-12-02T09:00:00Z"),
                at("2026-12-13T23:59:00Z"),
                at("2026-12-14T00:00:00Z"),
            ],
            &[at("2026-12-15T10:00:00Z")],
        );
        let starts: Vec<String> = w.iter().map(|w| w.starts.to_string()).collect();
        assert_eq!(starts, ["2026-11-30", "2026-12-07", "2026-12-14"]);
        let counts: Vec<(i64, i64)> = w.iter().map(|w| (w.scheduled, w.decided)).collect();
        assert_eq!(counts, [(1, 0), (1, 0), (1, 1)]);
    }

    #[test]
    fn durations_fall_in_their_buckets() {
        let b = duration_buckets(&[1.0, 23.9, 24.0, 100.0, 24.0 * 30.0]);
        let counts: Vec<i64> = b.iter().map(|b| b.loops).collect();
        assert_eq!(counts, [2, 1, 0, 1, 0, 0, 1]);
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
    }
}
