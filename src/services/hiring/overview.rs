//! Loops as the web workspace reads them: lines for lists (with the
//! candidate's name and the role's title), and one loop's whole page (its
//! panel with feedback status, the report, the people's names, and the audit
//! trail with its verification). Fixed numbers of queries.

use std::collections::HashMap;

use super::access::{Access, load_visible};
use super::audit::{self, LoopEvent, Verification};
use super::board::{LoopLine, lines};
use super::loops::{LoopFilter, list_in};
use super::read::{self, LoopRead};
use crate::db::loops::InterviewLoop;
use crate::db::users::{self, User};
use crate::db::{Db, candidates, competencies, events, requisitions};
use crate::domain::{Listing, LoopId, Page};
use crate::error::ServiceError;

/// A page of the loops the actor may see, as lines (with their reports).
pub async fn listing(
    db: &Db,
    actor: &User,
    filter: LoopFilter,
    page: Page,
) -> Result<Listing<(LoopLine, LoopRead)>, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        let listing = list_in(c, &actor, filter, page)?;
        let loops: Vec<InterviewLoop> = listing.items.iter().map(|r| r.lp.clone()).collect();
        let lines = lines(c, loops)?;
        Ok(Listing {
            items: lines.into_iter().zip(listing.items).collect(),
            next: listing.next,
        })
    })
    .await
}

/// One loop's page.
#[derive(Debug)]
pub struct Overview {
    pub read: LoopRead,
    pub access: Access,
    pub candidate_name: String,
    pub role_title: String,
    /// Names of everyone the page mentions: the loop's people, its panel, the
    /// actors of its events.
    pub people: HashMap<i64, String>,
    pub competencies: HashMap<i64, String>,
    pub events: Vec<LoopEvent>,
    pub verification: Verification,
    /// When each interview's last reminder went out (those with one).
    pub last_reminders: HashMap<i64, chrono::NaiveDateTime>,
    /// What became of the hire, for those who may see it (else empty).
    pub outcomes: Vec<crate::db::outcomes::Outcome>,
    /// Whether the viewer may record an outcome now: they may, and the loop
    /// ended in a hire.
    pub can_record_outcome: bool,
}

pub async fn overview(db: &Db, actor: &User, id: LoopId) -> Result<Overview, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| {
        let (lp, access) = load_visible(c, id, &actor)?;
        let read = read::read_one(c, lp)?;
        let lp = &read.lp;
        let candidate_name = candidates::find(c, lp.candidate_id)?
            .map(|x| x.name)
            .unwrap_or_default();
        let role_title = requisitions::find(c, lp.requisition_id)?
            .map(|x| x.title)
            .unwrap_or_default();
        let events = events::list(c, lp.id, None, None)?;
        let verification = audit::verify(&events);
        let hired = lp.status == crate::domain::LoopStatus::Decided
            && access.can_see_outcomes()
            && crate::db::debrief::decision_of(c, lp.id)?.is_some_and(|(d, _)| d == "hire");
        let outcomes = if hired {
            crate::db::outcomes::of_loop(c, lp.id)?
        } else {
            Vec::new()
        };
        let can_record_outcome = hired && access.can_record_outcomes();
        let mut ids = vec![lp.hiring_manager_id, lp.recruiter_id, lp.bar_raiser_id];
        ids.extend(outcomes.iter().map(|o| o.recorded_by_id));
        ids.extend(read.panel.iter().map(|e| e.interview.interviewer_id));
        ids.extend(events.iter().filter_map(|e| e.actor_id));
        ids.sort_unstable();
        ids.dedup();
        let people = users::find_many(c, &ids)?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let mut comp_ids: Vec<i64> = read
            .panel
            .iter()
            .flat_map(|e| e.competency_ids.clone())
            .collect();
        comp_ids.sort_unstable();
        comp_ids.dedup();
        let competencies = competencies::find_many(c, &comp_ids)?
            .into_iter()
            .map(|x| (x.id, x.name))
            .collect();
        let interview_ids: Vec<i64> = read.panel.iter().map(|e| e.interview.id).collect();
        let last_reminders = crate::db::interviews::last_reminders(c, &interview_ids)?;
        Ok(Overview {
            outcomes,
            can_record_outcome,
            last_reminders,
            read,
            access,
            candidate_name,
            role_title,
            people,
            competencies,
            events,
            verification,
        })
    })
    .await
}
