//! The loop read model: a loop with its panel (each interview's competencies)
//! and a fresh independence report, for one loop or a
//! whole page, in a fixed number of queries whatever the panel size and the
//! page size: two for the panels, six for the facts of every report.

use crate::db::DbConn;
use crate::db::loops::{self, InterviewLoop, PanelEntry};
use crate::domain::independence::Report;
use crate::error::ServiceError;

use super::independence;

/// One loop as its participants read it.
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
    let ids: Vec<i64> = loops.iter().map(|lp| lp.id).collect();
    let mut panels = loops::panels(conn, &ids)?;
    let with_panels: Vec<(InterviewLoop, Vec<PanelEntry>)> = loops
        .into_iter()
        .map(|lp| {
            let panel = panels.remove(&lp.id).unwrap_or_default();
            (lp, panel)
        })
        .collect();
    let pairs: Vec<(&InterviewLoop, &[PanelEntry])> = with_panels
        .iter()
        .map(|(lp, panel)| (lp, panel.as_slice()))
        .collect();
    let reports = independence::reports(conn, &pairs)?;
    Ok(with_panels
        .into_iter()
        .zip(reports)
        .map(|((lp, panel), report)| LoopRead { lp, panel, report })
        .collect())
}

/// The read model of one loop.
pub fn read_one(conn: &mut DbConn, lp: InterviewLoop) -> Result<LoopRead, ServiceError> {
    read_many(conn, vec![lp])?
        .pop()
        .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("a loop read went missing")))
}
