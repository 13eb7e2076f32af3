//! The loop read model: a loop with its panel (each interview's competencies
//! and feedback status) and its independence report as kept with the loop
//! (rewritten by every change that can affect it), for one loop or a whole
//! page, in a fixed number of queries whatever the panel size and the page
//! size: one for the panels, with their feedback statuses.

use crate::db::DbConn;
use crate::db::loops::{self, InterviewLoop, PanelEntry};
use crate::domain::independence::Report;
use crate::error::ServiceError;

use super::independence;

/// One loop as its participants read it; each panel entry carries where its
/// feedback stands (`PanelEntry::feedback`).
#[derive(Debug, Clone)]
pub struct LoopRead {
    pub lp: InterviewLoop,
    pub panel: Vec<PanelEntry>,
    pub report: Report,
}

/// The read model of `loops`, in their order.
pub fn read_many(
    conn: &mut DbConn,
    loops: Vec<InterviewLoop>,
) -> Result<Vec<LoopRead>, ServiceError> {
    let with_panels = loops::with_panels(conn, loops)?;
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
        .map(|((lp, panel), report)| LoopRead { lp, panel, report })
        .collect())
}

/// The read model of one loop.
pub fn read_one(conn: &mut DbConn, lp: InterviewLoop) -> Result<LoopRead, ServiceError> {
    let panel = loops::panel(conn, lp.id)?;
    read_one_with_panel(conn, lp, panel)
}

/// The read model of one loop whose panel is already loaded.
pub fn read_one_with_panel(
    conn: &mut DbConn,
    lp: InterviewLoop,
    panel: Vec<PanelEntry>,
) -> Result<LoopRead, ServiceError> {
    read_with_panels(conn, vec![(lp, panel)])?
        .pop()
        .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("a loop read went missing")))
}
