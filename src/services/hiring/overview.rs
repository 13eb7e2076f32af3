//! Loops as the web workspace reads them: lines for lists (with the
//! candidate's name and the role's title), and one loop's whole page (its
//! panel with feedback status, the report, the people's names, and the audit
//! trail with its verification). Fixed numbers of queries.

use std::collections::HashMap;
use std::sync::Arc;

use super::access::{Access, visible_with_panel};
use super::audit::{self, LoopEvent, Verification};
use super::board::{LoopLine, lines};
use super::loops::{LoopFilter, list_in};
use super::read::{self, LoopRead};
use crate::auth::Caller;
use crate::db::loops::{self, InterviewLoop};
use crate::db::names_cache::{LoopFacts, NamesReader, Wanted};
use crate::db::users::User;
use crate::db::{Db, DbConn};
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
    /// The names, the trail and what became of the hire, shared with the
    /// kept read they came from (see the accessors).
    facts: Arc<LoopFacts>,
    /// Whether the viewer may see what became of the hire.
    show_hire: bool,
    pub verification: Verification,
    /// Whether the viewer may record an outcome now: they may, and the loop
    /// ended in a hire.
    pub can_record_outcome: bool,
}

impl Overview {
    pub fn candidate_name(&self) -> &str {
        &self.facts.names.candidate
    }

    pub fn role_title(&self) -> &str {
        &self.facts.names.role
    }

    /// Names of everyone the page mentions: the loop's people, its panel, the
    /// actors of its events.
    pub fn people(&self) -> &HashMap<i64, String> {
        &self.facts.names.people
    }

    pub fn competencies(&self) -> &HashMap<i64, String> {
        &self.facts.names.competencies
    }

    /// The trail, oldest first.
    pub fn events(&self) -> &[LoopEvent] {
        &self.facts.trail
    }

    /// What became of the hire, for those who may see it (else empty).
    pub fn outcomes(&self) -> &[crate::db::outcomes::Outcome] {
        match &self.facts.hire {
            Some(outcomes) if self.show_hire => outcomes,
            _ => &[],
        }
    }
}

pub async fn overview(db: &Db, actor: &User, id: LoopId) -> Result<Overview, ServiceError> {
    let actor = actor.clone();
    db.run(move |c| overview_in(c, &actor, id)).await
}

/// [`overview`] on `conn`: a fixed number of queries whatever the size of the
/// loop's panel and trail.
pub fn overview_in(c: &mut DbConn, actor: &User, id: LoopId) -> Result<Overview, ServiceError> {
    let found = loops::with_panel(c, id.get())?;
    overview_of(c, actor, found, NamesReader::fresh())
}

/// The loop page for the caller behind a request, with their account: the
/// session's check and the loop's read in one statement, the rest in the
/// same trip.
pub async fn overview_with_user(
    db: &Db,
    caller: Caller,
    id: LoopId,
) -> Result<(User, Overview), ServiceError> {
    caller
        .run_on_loop_page(db, id, move |c, actor, found, names| {
            Ok((actor.clone(), overview_of(c, actor, found, names)?))
        })
        .await
}

/// [`overview_in`] from the loop and its panel as read already.
fn overview_of(
    c: &mut DbConn,
    actor: &User,
    found: Option<loops::LoopWithPanel>,
    names: NamesReader,
) -> Result<Overview, ServiceError> {
    let (lp, panel) = visible_with_panel(found, actor)?;
    let access = Access::with_panel(&lp, &panel, actor);
    let read = read::read_one_with_panel(c, lp, panel)?;
    let lp = &read.lp;
    // What became of the hire, for a decided loop and those who may see it:
    // kept with the names, since it moves only with the trail. A kept read
    // may carry it for another viewer, hence the filter.
    let show_hire = lp.status == crate::domain::LoopStatus::Decided && access.can_see_outcomes();
    let facts = names.facts(
        c,
        lp,
        &read.panel,
        Wanted {
            hire: show_hire,
            library: false,
        },
    )?;
    let verification = audit::verify(&facts.trail);
    let hired = show_hire && facts.hire.is_some();
    let can_record_outcome = hired && access.can_record_outcomes();
    Ok(Overview {
        read,
        access,
        facts,
        show_hire,
        verification,
        can_record_outcome,
    })
}
