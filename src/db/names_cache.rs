//! The names a loop's pages show, with its trail, kept between reads.
//!
//! The loop page and the debrief room show the names of the loop's people,
//! candidate, role and competencies, and the loop's audit trail. Read afresh,
//! they are a statement of their own (`loops::names_and_trail`), and on
//! PostgreSQL the largest part of the page's database work. They change
//! rarely, and only in two ways the database can say cheaply:
//!
//! * a name or a title changes: triggers move the one-row `names_version`
//!   with every such change (and every deletion), whatever code wrote it;
//! * the trail grows: it is append-only, so its last sequence number moves.
//!
//! A decided loop's page also shows what became of the hire: the debrief's
//! decision and the outcomes recorded since. Both are written with an event
//! of the trail in the same transaction (and outcomes are never changed or
//! removed), so the same stamp keeps them too.
//!
//! The debrief room also shows the loop's competency library: the role's
//! competencies and the panel's, with their anchors. The same triggers move
//! the version with every change of a competency and of a role's
//! competencies, so it is kept with the names.
//!
//! The session's statement that reads the loop and its panel reads both
//! values too ([`Stamp`]). A kept read is used only when both are unchanged,
//! when it was read for the same candidate, requisition and people of the
//! loop's row, and when it names everyone on the live panel; otherwise the
//! names are read afresh and kept. The stamp is read before the names, so a
//! kept read is never newer-labelled than what it holds: a change between
//! the two is seen by the next read as a moved stamp.
//!
//! Every instance checks the database on every read, so a change made
//! through another instance is seen at once. A kept read is also dropped
//! after [`KEPT_FOR`]: the trail's verification on the page then reads the
//! rows again, so a trail altered in the database behind the service's back
//! shows as broken within that time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::DbConn;
use super::competencies::{self, Competency};
use super::events::LoopEvent;
pub use super::loops::Stamp;
use super::loops::{self, InterviewLoop, LoopNames, PanelEntry};
use super::outcomes::{self, Outcome};

/// How long a kept read may serve (see the module's note on the trail).
pub const KEPT_FOR: Duration = Duration::from_secs(60);

/// How many loops' reads are kept at most (a loop's is a few kilobytes: its
/// names and its trail of tens of events, and for a room its competencies
/// with their anchors and questions: with the seeded library under 10 KB,
/// some 20 MB when full); beyond it, one is dropped for each new one. Only
/// loops viewed again within [`KEPT_FOR`] gain from it.
const CAPACITY: usize = 2048;

/// The loop's row as far as its names depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Named {
    candidate_id: i64,
    requisition_id: i64,
    hiring_manager_id: i64,
    recruiter_id: i64,
    bar_raiser_id: i64,
}

impl Named {
    fn of(lp: &InterviewLoop) -> Named {
        Named {
            candidate_id: lp.candidate_id,
            requisition_id: lp.requisition_id,
            hiring_manager_id: lp.hiring_manager_id,
            recruiter_id: lp.recruiter_id,
            bar_raiser_id: lp.bar_raiser_id,
        }
    }
}

/// What a loop page reads beside the loop and its panel.
#[derive(Debug, Clone, Default)]
pub struct LoopFacts {
    pub names: LoopNames,
    /// The trail, oldest first.
    pub trail: Vec<LoopEvent>,
    /// When asked for (a decided loop): the outcomes recorded for it if it
    /// ended in a hire (`outcomes::of_hire`).
    pub hire: Option<Vec<Outcome>>,
    /// When asked for: the loop's competencies, each marked whether its role
    /// requires it (`competencies::of_loop`).
    pub library: Option<Vec<(Competency, bool)>>,
}

/// What a page wants read beside the names and the trail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wanted {
    /// What became of the hire ([`LoopFacts::hire`]).
    pub hire: bool,
    /// The competency library ([`LoopFacts::library`]).
    pub library: bool,
}

impl Wanted {
    /// Whether a read with `self` holds everything `other` asks for.
    fn covers(self, other: Wanted) -> bool {
        (self.hire || !other.hire) && (self.library || !other.library)
    }
}

struct Entry {
    stamp: Stamp,
    named: Named,
    read_at: Instant,
    /// What was read beside the names and the trail.
    with: Wanted,
    facts: Arc<LoopFacts>,
}

impl Entry {
    /// Whether this read still holds for `lp` with `panel` under `stamp`.
    fn holds(&self, lp: &InterviewLoop, panel: &[PanelEntry], stamp: Stamp, want: Wanted) -> bool {
        self.stamp == stamp
            && self.with.covers(want)
            && self.named == Named::of(lp)
            && self.read_at.elapsed() < KEPT_FOR
            && panel.iter().all(|e| {
                self.facts
                    .names
                    .people
                    .contains_key(&e.interview.interviewer_id)
                    && e.competency_ids.iter().all(|c| {
                        self.facts.names.competencies.contains_key(c)
                            && self
                                .facts
                                .library
                                .as_ref()
                                .is_none_or(|l| l.iter().any(|(x, _)| x.id == *c))
                    })
            })
    }
}

/// The kept reads of one database (each `Db` has its own).
#[derive(Default)]
pub struct NamesCache {
    entries: Mutex<HashMap<i64, Arc<Entry>>>,
}

impl std::fmt::Debug for NamesCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NamesCache").finish_non_exhaustive()
    }
}

impl NamesCache {
    /// Loop `lp`'s names and trail, and what `want` asks for: kept ones
    /// when `stamp` (read with `lp` and `panel`) says they still hold, else
    /// read afresh and kept.
    pub fn facts(
        &self,
        conn: &mut DbConn,
        lp: &InterviewLoop,
        panel: &[PanelEntry],
        stamp: Stamp,
        want: Wanted,
    ) -> diesel::QueryResult<Arc<LoopFacts>> {
        let kept = self.lock().get(&lp.id).cloned();
        if let Some(entry) = kept
            && entry.holds(lp, panel, stamp, want)
        {
            // Shared, not copied: a page borrows what it shows.
            return Ok(entry.facts.clone());
        }
        let facts = Arc::new(read(conn, lp, want)?);
        let entry = Arc::new(Entry {
            stamp,
            named: Named::of(lp),
            read_at: Instant::now(),
            with: want,
            facts: facts.clone(),
        });
        let mut entries = self.lock();
        if entries.len() >= CAPACITY
            && !entries.contains_key(&lp.id)
            && let Some(&any) = entries.keys().next()
        {
            entries.remove(&any);
        }
        entries.insert(lp.id, entry);
        Ok(facts)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<Entry>>> {
        // A panic elsewhere while holding the lock leaves only kept reads,
        // each whole: they stay usable.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// How a loop's page reads its names and trail: through its database's kept
/// reads when the loop was read with a [`Stamp`], else afresh.
#[derive(Clone)]
pub struct NamesReader {
    kept: Option<(Arc<NamesCache>, Stamp)>,
}

impl NamesReader {
    /// A reader that always reads afresh.
    pub fn fresh() -> NamesReader {
        NamesReader { kept: None }
    }

    /// A reader through `cache`, for a loop read with `stamp`.
    pub fn kept(cache: Arc<NamesCache>, stamp: Option<Stamp>) -> NamesReader {
        NamesReader {
            kept: stamp.map(|s| (cache, s)),
        }
    }

    /// Loop `lp`'s names and trail, and what `want` asks for.
    pub fn facts(
        &self,
        conn: &mut DbConn,
        lp: &InterviewLoop,
        panel: &[PanelEntry],
        want: Wanted,
    ) -> diesel::QueryResult<Arc<LoopFacts>> {
        match &self.kept {
            Some((cache, stamp)) => cache.facts(conn, lp, panel, *stamp, want),
            None => read(conn, lp, want).map(Arc::new),
        }
    }
}

/// Loop `lp`'s facts read afresh: the names with the trail in one statement,
/// and each wanted part in one more.
fn read(conn: &mut DbConn, lp: &InterviewLoop, want: Wanted) -> diesel::QueryResult<LoopFacts> {
    let (names, trail) = loops::names_and_trail(conn, lp)?;
    let hire = if want.hire {
        outcomes::of_hire(conn, lp.id)?
    } else {
        None
    };
    let library = if want.library {
        Some(competencies::of_loop(conn, lp.id, lp.requisition_id)?)
    } else {
        None
    };
    Ok(LoopFacts {
        names,
        trail,
        hire,
        library,
    })
}
