//! Gathers the facts of loops and evaluates the rules. The facts of any number
//! of loops are loaded in a fixed number of queries (one recursive query for
//! every management chain involved, whatever the depth of the organisation);
//! re-evaluates the open loops an organisational change can affect.

use std::collections::HashMap;

use serde_json::json;

use crate::db::candidates::{self, Candidate};
use crate::db::competencies::{self, Competency};
use crate::db::loops::{self, InterviewLoop, LoopChanges, PanelEntry};
use crate::db::requisitions::{self, Requisition};
use crate::db::users::{self, ChainLink, User};
use crate::db::{DbConn, now};
use crate::domain::independence::{self, Facts, Named, PanelSlot, Person, Report};
use crate::domain::{LoopId, LoopStatus};
use crate::error::ServiceError;
use crate::links::Links;
use crate::mail::{self, Outgoing, templates};
use crate::services::hiring::audit;

/// Everything the rules of a set of loops look at, loaded together.
struct Batch {
    requisitions: HashMap<i64, Requisition>,
    required: HashMap<i64, Vec<i64>>,
    competencies: HashMap<i64, Competency>,
    candidates: HashMap<i64, Candidate>,
    people: HashMap<i64, User>,
    chains: HashMap<i64, Vec<ChainLink>>,
}

fn missing(what: &str, id: i64) -> ServiceError {
    ServiceError::Internal(anyhow::anyhow!("{what} {id} of a loop is missing"))
}

impl Batch {
    /// Six queries, whatever the number of loops and the size of their panels.
    fn load(
        conn: &mut DbConn,
        loops: &[(&InterviewLoop, &[PanelEntry])],
    ) -> Result<Self, ServiceError> {
        let ids = |f: &dyn Fn(&InterviewLoop) -> i64| -> Vec<i64> {
            let mut v: Vec<i64> = loops.iter().map(|(lp, _)| f(lp)).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let requisitions: HashMap<i64, Requisition> =
            requisitions::find_many(conn, &ids(&|lp| lp.requisition_id))?
                .into_iter()
                .map(|r| (r.id, r))
                .collect();
        let required = requisitions::competency_ids_of_many(
            conn,
            &requisitions.keys().copied().collect::<Vec<_>>(),
        )?;
        let mut competency_ids: Vec<i64> = required.values().flatten().copied().collect();
        competency_ids.sort_unstable();
        competency_ids.dedup();
        let competencies = competencies::find_many(conn, &competency_ids)?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let candidates: HashMap<i64, Candidate> =
            candidates::find_many(conn, &ids(&|lp| lp.candidate_id))?
                .into_iter()
                .map(|c| (c.id, c))
                .collect();
        let mut people_ids: Vec<i64> = Vec::new();
        let mut chain_ids: Vec<i64> = Vec::new();
        for (lp, panel) in loops {
            chain_ids.extend([lp.hiring_manager_id, lp.bar_raiser_id]);
            people_ids.extend([lp.hiring_manager_id, lp.bar_raiser_id, lp.recruiter_id]);
            people_ids.extend(panel.iter().map(|p| p.interview.interviewer_id));
        }
        people_ids.extend(candidates.values().filter_map(|c| c.referred_by_id));
        for v in [&mut people_ids, &mut chain_ids] {
            v.sort_unstable();
            v.dedup();
        }
        let people = users::find_many(conn, &people_ids)?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let chains = users::management_chains(conn, &chain_ids)?;
        Ok(Self {
            requisitions,
            required,
            competencies,
            candidates,
            people,
            chains,
        })
    }

    fn user(&self, id: i64) -> Result<&User, ServiceError> {
        self.people.get(&id).ok_or_else(|| missing("person", id))
    }

    fn named(&self, id: i64) -> Result<Named, ServiceError> {
        self.user(id).map(|u| Named {
            id,
            name: u.name.clone(),
        })
    }

    fn person(&self, id: i64) -> Result<Person, ServiceError> {
        let user = self.user(id)?;
        let chain = self.chains.get(&id).map(Vec::as_slice).unwrap_or(&[]);
        Ok(Person {
            id: user.id,
            name: user.name.clone(),
            role: user.role,
            active: user.active,
            bar_raiser: user.bar_raiser,
            managers: chain
                .iter()
                .skip(1)
                .map(|l| Named {
                    id: l.id,
                    name: l.name.clone(),
                })
                .collect(),
        })
    }

    fn facts(&self, lp: &InterviewLoop, panel: &[PanelEntry]) -> Result<Facts, ServiceError> {
        let requisition = self
            .requisitions
            .get(&lp.requisition_id)
            .ok_or_else(|| missing("requisition", lp.requisition_id))?;
        let candidate = self
            .candidates
            .get(&lp.candidate_id)
            .ok_or_else(|| missing("candidate", lp.candidate_id))?;
        let slots = panel
            .iter()
            .map(|p| {
                Ok(PanelSlot {
                    interviewer: self.named(p.interview.interviewer_id)?,
                    interviewer_active: self.user(p.interview.interviewer_id)?.active,
                    competency_ids: p.competency_ids.clone(),
                    starts_at: p.interview.starts_at.and_utc(),
                    ends_at: p.interview.ends_at.and_utc(),
                })
            })
            .collect::<Result<Vec<_>, ServiceError>>()?;
        let required = self
            .required
            .get(&requisition.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        Ok(Facts {
            hiring_manager: self.person(lp.hiring_manager_id)?,
            bar_raiser: self.person(lp.bar_raiser_id)?,
            recruiter: self.named(lp.recruiter_id)?,
            referred_by: candidate
                .referred_by_id
                .map(|id| self.named(id))
                .transpose()?,
            required_competencies: required
                .iter()
                .filter_map(|id| self.competencies.get(id))
                .map(|c| Named {
                    id: c.id,
                    name: c.name.clone(),
                })
                .collect(),
            min_panel_size: requisition.min_panel_size,
            panel: slots,
        })
    }
}

/// Fresh reports for several loops with their panels, in a fixed number of queries.
pub fn reports(
    conn: &mut DbConn,
    loops: &[(&InterviewLoop, &[PanelEntry])],
) -> Result<Vec<Report>, ServiceError> {
    if loops.is_empty() {
        return Ok(Vec::new());
    }
    let batch = Batch::load(conn, loops)?;
    loops
        .iter()
        .map(|(lp, panel)| Ok(independence::evaluate(&batch.facts(lp, panel)?)))
        .collect()
}

/// A fresh report for one loop with its panel (inside the caller's transaction).
pub fn evaluate_with_panel(
    conn: &mut DbConn,
    lp: &InterviewLoop,
    panel: &[PanelEntry],
) -> Result<Report, ServiceError> {
    reports(conn, &[(lp, panel)])?
        .pop()
        .ok_or_else(|| missing("report of loop", lp.id))
}

/// A fresh report for the loop as it stands.
pub fn evaluate_loop(conn: &mut DbConn, lp: &InterviewLoop) -> Result<Report, ServiceError> {
    let panel = loops::panel(conn, lp.id)?;
    evaluate_with_panel(conn, lp, &panel)
}

fn failing_details(report: &Report) -> Vec<String> {
    report
        .failing()
        // The details are sentences naming the people (the rule codes are for machines).
        .map(|c| format!("{}.", c.detail.trim_end_matches('.')))
        .collect()
}

/// Keeps a loop's report (the JSON every read shows) and its result: the cached flag, `flagged_at` (set when a
/// scheduled loop turns red, cleared when it is green again), an
/// `independence_changed` event and, when it turned red after scheduling, a mail
/// to its recruiter (and an all-clear when a flagged loop is green again).
/// Does nothing when the result did not change.
pub fn store_result(
    conn: &mut DbConn,
    lp: &InterviewLoop,
    report: &Report,
    actor_id: Option<i64>,
    links: &Links,
) -> Result<InterviewLoop, ServiceError> {
    let stored = report.to_stored();
    if lp.independence_ok == report.ok {
        // Same result; the details (names, counts) may still have changed.
        if lp.independence_report.as_deref() == Some(stored.as_str()) {
            return Ok(lp.clone());
        }
        return Ok(loops::update(
            conn,
            lp.id,
            &LoopChanges {
                independence_report: Some(Some(stored)),
                ..Default::default()
            },
        )?);
    }
    let after_scheduling = lp.status != LoopStatus::Draft;
    let flagged_at = match (report.ok, after_scheduling) {
        (true, _) => Some(None),
        (false, true) => Some(Some(now())),
        (false, false) => None,
    };
    let updated = loops::update(
        conn,
        lp.id,
        &LoopChanges {
            independence_ok: Some(report.ok),
            independence_report: Some(Some(stored)),
            flagged_at,
            updated_at: Some(now()),
            ..Default::default()
        },
    )?;
    let failing: Vec<&str> = report.failing().map(|c| c.rule).collect();
    audit::record(
        conn,
        lp.id,
        actor_id,
        "independence_changed",
        &json!({
            "before": { "ok": lp.independence_ok },
            "after": { "ok": report.ok, "failing": failing },
            "after_scheduling": after_scheduling,
            "turned_red": !report.ok,
        }),
    )?;
    let was_flagged = lp.flagged_at.is_some();
    if after_scheduling && (!report.ok || was_flagged) {
        let recruiter = users::find(conn, lp.recruiter_id)?.ok_or(ServiceError::NotFound)?;
        let requisition =
            requisitions::find(conn, lp.requisition_id)?.ok_or(ServiceError::NotFound)?;
        let candidate = candidates::find(conn, lp.candidate_id)?.ok_or(ServiceError::NotFound)?;
        let about = templates::LoopAbout {
            recipient_name: &recruiter.name,
            candidate_name: &candidate.name,
            role_title: &requisition.title,
        };
        let (kind, content) = if report.ok {
            (
                "independence_restored",
                templates::independence_restored(&about, &links.loop_page(LoopId(lp.id))),
            )
        } else {
            (
                "independence_turned_red",
                templates::independence_turned_red(
                    &about,
                    &failing_details(report),
                    // The builder while the panel can change; the loop's page after.
                    &if lp.status.is_editable() {
                        links.edit_loop(LoopId(lp.id))
                    } else {
                        links.loop_page(LoopId(lp.id))
                    },
                ),
            )
        };
        mail::enqueue(
            conn,
            &Outgoing {
                kind,
                to: vec![recruiter.email.clone()],
                cc: Vec::new(),
                content,
                invite: None,
            },
        )?;
    }
    Ok(updated)
}

/// Re-evaluates the open loops that a change to `user_id` can affect (with
/// `manager_changed`, also those of everyone below them), inside the caller's
/// transaction. Returns the loops it turned red.
pub fn reevaluate_after_change(
    conn: &mut DbConn,
    user_id: i64,
    manager_changed: bool,
    actor_id: Option<i64>,
    links: &Links,
) -> Result<Vec<TurnedRed>, ServiceError> {
    let ids = loops::open_loops_touching(conn, user_id, manager_changed)?;
    reevaluate_loops(conn, &ids, actor_id, links)
}

/// Evaluates and keeps the report of every loop that has none (loops written
/// before reports were kept, or seeded by `barraiser dataset`), `batch` loops
/// per set of queries, inside the caller's transaction. Returns how many.
pub fn keep_missing_reports(conn: &mut DbConn, batch: i64) -> Result<usize, ServiceError> {
    let mut kept = 0;
    let mut after = 0;
    loop {
        let found = loops::without_report(conn, after, batch)?;
        let Some(last) = found.last() else {
            return Ok(kept);
        };
        after = last.id;
        let with_panels = loops::with_panels(conn, found)?;
        let pairs: Vec<(&InterviewLoop, &[PanelEntry])> = with_panels
            .iter()
            .map(|(lp, panel)| (lp, panel.as_slice()))
            .collect();
        let fresh: Vec<(i64, bool, String)> = pairs
            .iter()
            .zip(reports(conn, &pairs)?)
            .map(|((lp, _), report)| (lp.id, report.ok, report.to_stored()))
            .collect();
        kept += loops::keep_reports(conn, &fresh)?;
    }
}

/// An open loop that a change turned red: who it is for, the role, and the
/// rules it now fails (what an admin's preview of a reorganisation lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnedRed {
    pub loop_id: i64,
    pub candidate: String,
    pub role: String,
    pub failing: Vec<(&'static str, String)>,
}

/// Re-evaluates the loops `ids` (each locked first) and stores every result
/// that changed, inside the caller's transaction. Returns the loops that were
/// green and are red now.
pub fn reevaluate_loops(
    conn: &mut DbConn,
    ids: &[i64],
    actor_id: Option<i64>,
    links: &Links,
) -> Result<Vec<TurnedRed>, ServiceError> {
    let mut red = Vec::new();
    for &loop_id in ids {
        loops::lock(conn, loop_id)?;
        let Some(lp) = loops::find(conn, loop_id)? else {
            continue;
        };
        let report = evaluate_loop(conn, &lp)?;
        if lp.independence_ok && !report.ok {
            red.push((lp.clone(), report.clone()));
        }
        // Kept in any case: a rename changes the details, not the result.
        store_result(conn, &lp, &report, actor_id, links)?;
    }
    name_loops(conn, red)
}

/// The candidates and roles of loops turned red (two queries).
fn name_loops(
    conn: &mut DbConn,
    red: Vec<(InterviewLoop, Report)>,
) -> Result<Vec<TurnedRed>, ServiceError> {
    if red.is_empty() {
        return Ok(Vec::new());
    }
    let ids = |f: fn(&InterviewLoop) -> i64| red.iter().map(|(lp, _)| f(lp)).collect::<Vec<_>>();
    let candidates: HashMap<i64, String> = candidates::find_many(conn, &ids(|l| l.candidate_id))?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let roles: HashMap<i64, String> = requisitions::find_many(conn, &ids(|l| l.requisition_id))?
        .into_iter()
        .map(|r| (r.id, r.title))
        .collect();
    Ok(red
        .into_iter()
        .map(|(lp, report)| TurnedRed {
            loop_id: lp.id,
            candidate: candidates
                .get(&lp.candidate_id)
                .cloned()
                .unwrap_or_default(),
            role: roles.get(&lp.requisition_id).cloned().unwrap_or_default(),
            failing: report
                .failing()
                .map(|c| (c.rule, c.detail.clone()))
                .collect(),
        })
        .collect())
}
