//! The organisation as an admin reads it: the directory, one person's profile
//! (their chain up, their reports, their bar raiser history) and the
//! reporting lines as a tree.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::User;
use crate::auth::require_admin;
use crate::db::Db;
use crate::db::users::{self, ChainLink, OrgRow, UserFilter};
use crate::domain::{BarRaiserStatus, Listing, Page, UserId};
use crate::error::ServiceError;
use crate::services::org_audit::{self, OrgEventKind, Subject};

/// A page of the directory as the admin reads it, with the names of the
/// people's managers (two queries).
pub struct Directory {
    pub listing: Listing<User>,
    pub managers: HashMap<i64, String>,
}

/// The admin's directory: searchable by name, email or department, filtered
/// by role, bar raiser status and whether active, a page at a time.
pub async fn directory(
    db: &Db,
    actor: &User,
    filter: UserFilter,
    page: Page,
) -> Result<Directory, ServiceError> {
    require_admin(actor)?;
    db.run(move |c| {
        let rows = users::list(c, &filter, page.after, page.fetch())?;
        let listing = page.cut(rows, |u| u.id);
        let mut ids: Vec<i64> = listing.items.iter().filter_map(|u| u.manager_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let managers = users::find_many(c, &ids)?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        Ok(Directory { listing, managers })
    })
    .await
}

/// The names of `ids` (admins only): who acted, on the audit trail's page.
pub async fn names(
    db: &Db,
    actor: &User,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>, ServiceError> {
    require_admin(actor)?;
    db.run(move |c| Ok(users::names(c, &ids)?.into_iter().collect()))
        .await
}

/// The names of `ids`, for any signed-in person (the directory is open to
/// everyone inside): who the rows of a figure's table are.
pub async fn display_names(db: &Db, ids: Vec<i64>) -> Result<HashMap<i64, String>, ServiceError> {
    db.run(move |c| Ok(users::names(c, &ids)?.into_iter().collect()))
        .await
}

/// The most people a manager picker lists (by name); a larger organisation
/// finds the rest by search.
pub const MANAGER_CHOICES: i64 = 2_000;

/// Active people to choose a manager from, by name (admins only).
pub async fn manager_choices(db: &Db, actor: &User) -> Result<Vec<User>, ServiceError> {
    require_admin(actor)?;
    db.run(|c| {
        let filter = UserFilter {
            active: Some(true),
            ..Default::default()
        };
        let mut people = users::list(c, &filter, None, MANAGER_CHOICES)?;
        people.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(people)
    })
    .await
}

/// One bar raiser standing and since when (`since` is None for a standing
/// older than the audit trail, or the first one a person had).
#[derive(Debug, Clone)]
pub struct Standing {
    pub status: BarRaiserStatus,
    pub since: Option<NaiveDateTime>,
    /// Who set it (None: the service, or before the trail).
    pub by: Option<i64>,
}

/// What an admin may do to the person on their profile, by the same rules
/// the changes themselves check.
#[derive(Debug, Clone, Copy)]
pub struct ProfileActions {
    pub deactivate: bool,
    pub reactivate: bool,
    /// An admin cannot demote themselves.
    pub change_role: bool,
}

/// One person as an admin edits them.
pub struct Profile {
    pub user: User,
    /// Above them, their manager first.
    pub chain: Vec<ChainLink>,
    pub reports: Vec<User>,
    /// Newest first; the first is the current standing.
    pub standings: Vec<Standing>,
    /// The names of the admins who set the standings.
    pub names: HashMap<i64, String>,
    pub actions: ProfileActions,
}

/// A person's profile (admins only): five queries.
pub async fn profile(db: &Db, actor: &User, id: UserId) -> Result<Profile, ServiceError> {
    require_admin(actor)?;
    let actor_id = actor.id;
    db.run(move |c| {
        let user = users::find(c, id.get())?.ok_or(ServiceError::NotFound)?;
        let mut chain = users::management_chain(c, id.get())?;
        chain.retain(|l| l.id != user.id);
        let reports = users::direct_reports(c, id.get())?;
        let events =
            org_audit::history(c, Subject::User(user.id), Some(OrgEventKind::BarRaiserSet))?;
        let mut standings: Vec<Standing> = events
            .iter()
            .filter_map(|e| {
                let data: serde_json::Value = serde_json::from_str(&e.data).ok()?;
                let status = data["to"].as_str()?.parse().ok()?;
                Some(Standing {
                    status,
                    since: Some(e.at),
                    by: e.actor_id,
                })
            })
            .collect();
        // The standing before the first change: every account starts as none.
        let first_from = events.first().and_then(|e| {
            let data: serde_json::Value = serde_json::from_str(&e.data).ok()?;
            data["from"].as_str()?.parse::<BarRaiserStatus>().ok()
        });
        if let Some(from) = first_from {
            let since = (from == BarRaiserStatus::None).then_some(user.created_at);
            standings.insert(
                0,
                Standing {
                    status: from,
                    since,
                    by: None,
                },
            );
        }
        standings.reverse();
        if standings
            .first()
            .is_none_or(|s| s.status != user.bar_raiser)
        {
            standings.insert(
                0,
                Standing {
                    status: user.bar_raiser,
                    since: None,
                    by: None,
                },
            );
        }
        let mut by: Vec<i64> = standings.iter().filter_map(|s| s.by).collect();
        by.sort_unstable();
        by.dedup();
        let names = users::find_many(c, &by)?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let itself = user.id == actor_id;
        let actions = ProfileActions {
            deactivate: user.active && !itself,
            reactivate: !user.active,
            change_role: !itself,
        };
        Ok(Profile {
            user,
            chain,
            reports,
            standings,
            names,
            actions,
        })
    })
    .await
}

/// The reporting lines: everyone, each under their manager.
pub struct OrgChart {
    pub people: Vec<OrgRow>,
    /// Positions in `people` of each person's direct reports, by name.
    pub reports: HashMap<i64, Vec<usize>>,
    /// Positions of the people nobody manages (the roots), by name.
    pub roots: Vec<usize>,
    /// With a person in focus: their chain up, positions, their manager first.
    pub chain: Vec<usize>,
    pub focus: Option<usize>,
}

impl OrgChart {
    pub fn reports_of(&self, id: i64) -> &[usize] {
        self.reports.get(&id).map_or(&[], Vec::as_slice)
    }

    /// Everyone below `id`, at any depth.
    pub fn team_size(&self, id: i64) -> usize {
        let mut stack = vec![id];
        let mut n = 0;
        while let Some(next) = stack.pop() {
            for &i in self.reports_of(next) {
                n += 1;
                stack.push(self.people[i].id);
            }
        }
        n
    }
}

/// The organisation chart (admins only), from one query; with `focus`, that
/// person's chain up as well.
pub async fn org_chart(
    db: &Db,
    actor: &User,
    focus: Option<UserId>,
) -> Result<OrgChart, ServiceError> {
    require_admin(actor)?;
    let mut people = db.run(|c| Ok(users::org_rows(c)?)).await?;
    people.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let at: HashMap<i64, usize> = people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut reports: HashMap<i64, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for (i, p) in people.iter().enumerate() {
        match p.manager_id.filter(|m| at.contains_key(m)) {
            Some(m) => reports.entry(m).or_default().push(i),
            None => roots.push(i),
        }
    }
    let focus = match focus {
        Some(id) => Some(*at.get(&id.get()).ok_or(ServiceError::NotFound)?),
        None => None,
    };
    let mut chain = Vec::new();
    if let Some(f) = focus {
        let mut next = people[f].manager_id;
        // Reporting lines are a forest; the bound only guards corrupt data.
        while let Some(m) = next.and_then(|m| at.get(&m).copied()) {
            if chain.contains(&m) || chain.len() > people.len() {
                break;
            }
            chain.push(m);
            next = people[m].manager_id;
        }
    }
    Ok(OrgChart {
        people,
        reports,
        roots,
        chain,
        focus,
    })
}
