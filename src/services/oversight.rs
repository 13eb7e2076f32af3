//! What needs an admin, for their home page: failed mail, active people
//! without a manager, open loops flagged red, and bar raisers whose load is
//! far above the others'. Seven queries, whatever the size of the data.

use crate::auth::require_admin;
use crate::db::users::{self, User};
use crate::db::{Db, loops, outbox};
use crate::error::ServiceError;
use crate::services::hiring::board::{self, LoopLine};

/// How many of each list a home page shows.
pub const SHOWN: i64 = 10;

pub struct Oversight {
    pub failed_mail: i64,
    pub without_manager: i64,
    /// The first [`SHOWN`] of them, by name.
    pub without_manager_shown: Vec<User>,
    pub flagged: i64,
    /// The [`SHOWN`] flagged longest ago.
    pub flagged_shown: Vec<LoopLine>,
    /// Certified bar raisers and their open loops, the most loaded first,
    /// only those [`far_above`] the median.
    pub overloaded: Vec<(User, i64)>,
    pub median_load: i64,
}

/// A load far above the others': at least twice the median and three loops
/// more than it (a median of 0 makes 3 loops the bar).
pub fn far_above(load: i64, median: i64) -> bool {
    load >= (2 * median).max(median + 3)
}

/// The median of `loads` (the lower middle of an even count).
pub fn median(loads: &mut [i64]) -> i64 {
    if loads.is_empty() {
        return 0;
    }
    loads.sort_unstable();
    loads[(loads.len() - 1) / 2]
}

pub async fn oversight(db: &Db, actor: &User) -> Result<Oversight, ServiceError> {
    require_admin(actor)?;
    db.run(|c| {
        let failed_mail = outbox::counts(c)?.get("failed").copied().unwrap_or(0);
        let (without_manager, without_manager_shown) = users::without_manager(c, SHOWN)?;
        let (flagged, flagged_loops) = loops::flagged_open(c, SHOWN)?;
        let flagged_shown = board::lines(c, flagged_loops)?;
        let roster = users::certified(c)?;
        let ids: Vec<i64> = roster.iter().map(|u| u.id).collect();
        let loads = loops::bar_raiser_loads(c, &ids)?;
        let mut all: Vec<i64> = ids
            .iter()
            .map(|id| loads.get(id).copied().unwrap_or(0))
            .collect();
        let median_load = median(&mut all);
        let mut overloaded: Vec<(User, i64)> = roster
            .into_iter()
            .map(|u| {
                let load = loads.get(&u.id).copied().unwrap_or(0);
                (u, load)
            })
            .filter(|(_, load)| far_above(*load, median_load))
            .collect();
        overloaded.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.name.cmp(&b.0.name)));
        Ok(Oversight {
            failed_mail,
            without_manager,
            without_manager_shown,
            flagged,
            flagged_shown,
            overloaded,
            median_load,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_load_is_far_above_at_twice_the_median_and_three_more() {
        assert!(!far_above(2, 0));
        assert!(far_above(3, 0));
        assert!(!far_above(4, 2), "twice, but only two more");
        assert!(far_above(5, 2));
        assert!(!far_above(9, 5), "four more, but not twice");
        assert!(far_above(10, 5));
    }

    #[test]
    fn the_median_is_the_lower_middle() {
        assert_eq!(median(&mut []), 0);
        assert_eq!(median(&mut [5, 1, 3]), 3);
        assert_eq!(median(&mut [4, 1, 3, 2]), 2);
    }
}
