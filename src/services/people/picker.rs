//! The people pickers of the recruiter's forms: search as you type over the
//! whole organisation (name, email or department), and the same search
//! resolving what was typed when the form is sent without JavaScript.

use crate::auth::require_recruiting;
use crate::db::users::{self, User};
use crate::db::{Db, DbConn, loops};
use crate::error::ServiceError;

/// What a picker offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKind {
    /// Any active person (an interviewer).
    Anyone,
    /// Certified bar raisers, with their load.
    BarRaiser,
}

impl PickKind {
    pub fn parse(raw: Option<&str>) -> Self {
        match raw {
            Some("bar_raiser") => Self::BarRaiser,
            _ => Self::Anyone,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anyone => "anyone",
            Self::BarRaiser => "bar_raiser",
        }
    }
}

/// A person a picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub department: Option<String>,
    /// For bar raisers: the open loops they raise the bar in.
    pub load: Option<i64>,
}

impl Pick {
    /// What the picker's text box shows once the person is chosen.
    pub fn label(&self) -> String {
        label_of(&self.name, &self.email)
    }
}

/// `Kim Park <kim@example.com>`: a person as a picker's text shows them.
pub fn label_of(name: &str, email: &str) -> String {
    format!("{name} <{email}>")
}

/// How many people a picker lists at once.
pub const PICK_LIMIT: i64 = 8;

fn picks(c: &mut DbConn, kind: PickKind, people: Vec<User>) -> Result<Vec<Pick>, ServiceError> {
    let loads = match kind {
        PickKind::BarRaiser => {
            let ids: Vec<i64> = people.iter().map(|u| u.id).collect();
            Some(loops::bar_raiser_loads(c, &ids)?)
        }
        PickKind::Anyone => None,
    };
    Ok(people
        .into_iter()
        .map(|u| Pick {
            load: loads.as_ref().map(|l| l.get(&u.id).copied().unwrap_or(0)),
            id: u.id,
            name: u.name,
            email: u.email,
            department: u.department,
        })
        .collect())
}

/// The email in `Name <email>`, or the text itself when it is one.
fn email_in(q: &str) -> Option<String> {
    let inner = match (q.rfind('<'), q.rfind('>')) {
        (Some(a), Some(b)) if a < b => &q[a + 1..b],
        _ => q,
    };
    let inner = inner.trim();
    (inner.contains('@') && !inner.contains(' ')).then(|| inner.to_lowercase())
}

fn search_in(c: &mut DbConn, kind: PickKind, q: &str) -> Result<Vec<Pick>, ServiceError> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let certified = kind == PickKind::BarRaiser;
    // A chosen person's label (or an email) names one person exactly.
    let email = email_in(q);
    let people = users::search(c, q, email.as_deref(), certified, PICK_LIMIT)?;
    picks(c, kind, people)
}

/// Up to [`PICK_LIMIT`] people matching `q`, names starting with it first
/// (recruiters and admins, who assemble loops).
pub async fn search(
    db: &Db,
    actor: &User,
    kind: PickKind,
    q: String,
) -> Result<Vec<Pick>, ServiceError> {
    require_recruiting(actor)?;
    db.run(move |c| search_in(c, kind, &q)).await
}

/// What a picker's typed text named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// One person: chosen.
    One(Pick),
    /// Several: the picker lists them to choose from.
    Many(Vec<Pick>),
    /// Nobody.
    Nobody,
}

/// Resolves texts typed into pickers (a form sent without JavaScript): the
/// person a text names exactly (their label, email or whole name), or the
/// only one it matches; otherwise the matches to choose from.
pub async fn resolve(
    db: &Db,
    actor: &User,
    typed: Vec<(PickKind, String)>,
) -> Result<Vec<Found>, ServiceError> {
    require_recruiting(actor)?;
    db.run(move |c| {
        typed
            .iter()
            .map(|(kind, q)| {
                let mut found = search_in(c, *kind, q)?;
                let exact: Vec<usize> = found
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| {
                        let q = q.trim();
                        p.label().eq_ignore_ascii_case(q) || p.name.eq_ignore_ascii_case(q)
                    })
                    .map(|(i, _)| i)
                    .collect();
                Ok(match (found.len(), exact.as_slice()) {
                    (0, _) => Found::Nobody,
                    (1, _) => Found::One(found.remove(0)),
                    (_, [i]) => Found::One(found.swap_remove(*i)),
                    _ => Found::Many(found),
                })
            })
            .collect()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_email_of_a_label_or_a_bare_email_names_one_person() {
        assert_eq!(
            email_in("Kim Park <Kim@Example.com>").as_deref(),
            Some("kim@example.com")
        );
        assert_eq!(
            email_in(" kim@example.com ").as_deref(),
            Some("kim@example.com")
        );
        assert_eq!(email_in("kim"), None);
        assert_eq!(email_in("Kim Park"), None);
        assert_eq!(
            label_of("Kim Park", "kim@example.com"),
            "Kim Park <kim@example.com>"
        );
    }
}
