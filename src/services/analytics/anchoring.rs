//! The anchoring index: of the panel's final votes that changed in the
//! debrief, the share that moved toward the bar raiser's initial vote, the
//! share that moved toward the panel's majority, and the share that moved
//! away from both. A bar raiser whose panels always converge on their own
//! vote is steering the debrief, not leading it.
//!
//! Votes are read on their scale (strong no hire 1 … strong hire 4). A vote
//! moved *toward* a point when it ended nearer to it than it began. The
//! majority is the median of the panel's initial votes (the bar raiser's
//! included); the bar raiser's own changes are left out, since a bar raiser
//! cannot anchor on themselves. A change may move toward both the bar
//! raiser and the majority (when they agree), so the first two shares may
//! add up to more than one.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::db::analytics::DebriefVotes;
use crate::domain::debrief::vote_value;
use crate::domain::feedback::Vote;

/// The index over some debriefs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Anchoring {
    /// Final votes of panel members (bar raisers left out) that differ from
    /// their initial vote.
    pub changed_votes: usize,
    pub toward_bar_raiser: Option<f64>,
    pub toward_majority: Option<f64>,
    pub away_from_both: Option<f64>,
    /// Per bar raiser, for the debriefs they led.
    #[serde(default)]
    pub bar_raisers: Vec<BarRaiserAnchoring>,
}

/// Where the changed votes of one bar raiser's debriefs moved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BarRaiserAnchoring {
    pub user_id: i64,
    pub changed_votes: usize,
    pub toward_bar_raiser: Option<f64>,
}

#[derive(Default)]
struct Count {
    changed: usize,
    toward_bar_raiser: usize,
    toward_majority: usize,
    away: usize,
}

impl Count {
    fn share(&self, n: usize) -> Option<f64> {
        (self.changed > 0).then(|| n as f64 / self.changed as f64)
    }
}

fn value(raw: &str) -> Option<f64> {
    Vote::parse("vote", raw)
        .ok()
        .map(|v| f64::from(vote_value(v)))
}

fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    })
}

/// The index over every debrief of `votes`, and per bar raiser (every one
/// with a changed vote in their debriefs).
pub fn anchoring(votes: &DebriefVotes) -> Anchoring {
    let mut all = Count::default();
    let mut by_bar_raiser: BTreeMap<i64, Count> = BTreeMap::new();
    // Each loop's initial votes and final votes, in one pass over each (a
    // year holds hundreds of thousands of votes).
    let mut panels: HashMap<i64, Vec<f64>> = HashMap::new();
    for ((lp, _), v) in &votes.initial {
        if let Some(x) = v.as_deref().and_then(value) {
            panels.entry(*lp).or_default().push(x);
        }
    }
    let mut finals: BTreeMap<i64, Vec<(i64, &str)>> = BTreeMap::new();
    for ((lp, member), last) in &votes.finals {
        finals.entry(*lp).or_default().push((*member, last));
    }
    for (lp, mut members) in finals {
        let Some(&bar_raiser) = votes.bar_raisers.get(&lp) else {
            continue;
        };
        let initial_of = |member: i64| {
            votes
                .initial
                .get(&(lp, member))
                .and_then(|v| v.as_deref())
                .and_then(value)
        };
        let majority = median(panels.remove(&lp).unwrap_or_default());
        let anchor = initial_of(bar_raiser);
        members.sort_unstable();
        for (member, last) in members {
            if member == bar_raiser {
                continue;
            }
            let (Some(before), Some(after)) = (initial_of(member), value(last)) else {
                continue;
            };
            if before == after {
                continue;
            }
            let toward =
                |point: Option<f64>| point.is_some_and(|p| (after - p).abs() < (before - p).abs());
            let (to_br, to_majority) = (toward(anchor), toward(majority));
            for c in [&mut all, by_bar_raiser.entry(bar_raiser).or_default()] {
                c.changed += 1;
                c.toward_bar_raiser += usize::from(to_br);
                c.toward_majority += usize::from(to_majority);
                c.away += usize::from(!to_br && !to_majority);
            }
        }
    }
    Anchoring {
        changed_votes: all.changed,
        toward_bar_raiser: all.share(all.toward_bar_raiser),
        toward_majority: all.share(all.toward_majority),
        away_from_both: all.share(all.away),
        bar_raisers: by_bar_raiser
            .into_iter()
            .map(|(user_id, c)| BarRaiserAnchoring {
                user_id,
                changed_votes: c.changed,
                toward_bar_raiser: c.share(c.toward_bar_raiser),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One loop (id 1) whose bar raiser is 10: `(member, initial, final)`.
    fn debrief(votes: &[(i64, &str, &str)]) -> DebriefVotes {
        let mut d = DebriefVotes::default();
        d.bar_raisers.insert(1, 10);
        for (member, initial, last) in votes {
            d.initial.insert((1, *member), Some((*initial).to_owned()));
            d.finals.insert((1, *member), (*last).to_owned());
        }
        d
    }

    #[test]
    fn changes_toward_the_bar_raiser_toward_the_majority_and_away_from_both() {
        // Bar raiser: strong no hire (1). Initial votes 1, 3, 3, 3, 4: the
        // majority (median) is hire (3).
        let d = debrief(&[
            (10, "strong_no_hire", "strong_no_hire"),
            // 3 → 2: toward the bar raiser (1), away from the majority (3).
            (11, "hire", "no_hire"),
            // 4 → 3: toward both.
            (12, "strong_hire", "hire"),
            // 3 → 4: away from both.
            (13, "hire", "strong_hire"),
            // unchanged: not counted.
            (14, "hire", "hire"),
        ]);
        let all = anchoring(&d);
        assert_eq!(all.changed_votes, 3);
        assert_eq!(all.toward_bar_raiser, Some(2.0 / 3.0));
        assert_eq!(all.toward_majority, Some(1.0 / 3.0));
        assert_eq!(all.away_from_both, Some(1.0 / 3.0));
        assert_eq!(
            all.bar_raisers,
            [BarRaiserAnchoring {
                user_id: 10,
                changed_votes: 3,
                toward_bar_raiser: Some(2.0 / 3.0)
            }]
        );
    }

    #[test]
    fn the_bar_raisers_own_change_and_unchanged_votes_do_not_count() {
        let d = debrief(&[(10, "hire", "no_hire"), (11, "hire", "hire")]);
        let all = anchoring(&d);
        assert_eq!(all.changed_votes, 0);
        assert_eq!(all.toward_bar_raiser, None);
        assert!(all.bar_raisers.is_empty());
    }
}
