//! The loop read model: a loop with its panel (each interview's competencies
//! and feedback status) and its independence report as kept with the loop
//! (rewritten by every change that can affect it), for one loop or a whole
//! page, in a fixed number of queries whatever the panel size and the page
//! size: two for the panels and one for the feedback statuses.

use std::collections::HashMap;

use crate::db::DbConn;
use crate::db::loops::{self, InterviewLoop, PanelEntry};
use crate::domain::feedback::FeedbackStatus;
use crate::domain::independence::Report;
use crate::error::ServiceError;

use super::independence;

/// One loop as its participants read it.
#[derive(Debug, Clone)]
pub struct LoopRead {
    pub lp: InterviewLoop,
    pub panel: Vec<PanelEntry>,
    pub report: Report,
    /// The feedback status of each interview of the panel that has feedback.
    pub feedback: HashMap<i64, FeedbackStatus>,
}

impl LoopRead {
    /// A loop read from parts a change already holds (the panel carries the
    /// feedback statuses).
    pub fn assemble(lp: InterviewLoop, panel: Vec<PanelEntry>, report: Report) -> Self {
        Self {
            feedback: statuses(&panel),
            lp,
            panel,
            report,
        }
    }

    /// Where the feedback of one interview of the panel stands.
    pub fn feedback_status(&self, interview_id: i64) -> FeedbackStatus {
        self.feedback
            .get(&interview_id)
            .copied()
            .unwrap_or(FeedbackStatus::Pending)
    }
}

/// The feedback status of each interview of `panel` that has feedback.
fn statuses(panel: &[PanelEntry]) -> HashMap<i64, FeedbackStatus> {
    panel
        .iter()
        .filter_map(|e| {
            let status = e.feedback_status.as_deref()?;
            Some((e.interview.id, FeedbackStatus::of(Some(status))))
        })
        .collect()
}

/// The read model of `loops`, in their order.
pub fn read_many(
    conn: &mut DbConn,
    loops: Vec<InterviewLoop>,
) -> Result<Vec<LoopRead>, ServiceError> {
    let ids: Vec<i64> = loops.iter().map(|lp| lp.id).collect();
    let mut panels = loops::panels(conn, &ids)?;
    let with_panels: Vec<(InterviewLoop, Vec<PanelEntry>)> = loops
        .into_iter()
        .map(|lp| {
            let panel = panels.remove(&lp.id).unwrap_or_default();
            (lp, panel)
        })
        .collect();
    read_with_panels(conn, with_panels)
}

/// The read model of loops whose panels are already loaded, in their order.
pub fn read_with_panels(
    conn: &mut DbConn,
    with_panels: Vec<(InterviewLoop, Vec<PanelEntry>)>,
) -> Result<Vec<LoopRead>, ServiceError> {
    let pairs: Vec<(&InterviewLoop, &[PanelEntry])> = with_panels
        .iter()
        .map(|(lp, panel)| (lp, panel.as_slice()))
        .collect();
    // The report kept with each loop; only loops without one (written before
    // reports were kept) are evaluated here.
    let kept: Vec<Option<Report>> = with_panels
        .iter()
        .map(|(lp, _)| {
            lp.independence_report
                .as_deref()
                .and_then(Report::from_stored)
        })
        .collect();
    let missing: Vec<(&InterviewLoop, &[PanelEntry])> = pairs
        .iter()
        .zip(&kept)
        .filter(|(_, k)| k.is_none())
        .map(|(p, _)| *p)
        .collect();
    let mut fresh = independence::reports(conn, &missing)?.into_iter();
    let reports: Vec<Report> = kept
        .into_iter()
        .map(|k| match k {
            Some(report) => Ok(report),
            None => fresh
                .next()
                .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("a report went missing"))),
        })
        .collect::<Result<_, ServiceError>>()?;
    Ok(with_panels
        .into_iter()
        .zip(reports)
        .map(|((lp, panel), report)| LoopRead::assemble(lp, panel, report))
        .collect())
}

/// The read model of one loop.
pub fn read_one(conn: &mut DbConn, lp: InterviewLoop) -> Result<LoopRead, ServiceError> {
    read_many(conn, vec![lp])?
        .pop()
        .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("a loop read went missing")))
}
