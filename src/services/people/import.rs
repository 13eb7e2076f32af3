//! The people import: a CSV file of `name,email,role,manager_email,department`.
//! Every row is checked before anything is written, and every problem is
//! given with its line: a bad field, a duplicate email, an unknown or
//! deactivated manager, a cycle in the reporting lines the file would make.
//! Then every row is applied in one transaction, or none: new people are
//! invited by mail, existing people (by email) are updated, managers may come
//! after their reports, and the open loops the change turns red are re-
//! evaluated and named. A dry run rehearses all of it and rolls it back.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::User;
use crate::auth::{Passwords, require_admin};
use crate::db::users::{self, NewUser, OrgRow, UserChanges};
use crate::db::{Db, DbConn, loops, now};
use crate::domain::{
    BarRaiserStatus, DEPARTMENT_MAX, Email, LineProblem, OneLine, PersonName, Role,
};
use crate::error::ServiceError;
use crate::links::Links;
use crate::services::csv_file::{self, Opened, csv_message, problem};
use crate::services::hiring::independence::{self, TurnedRed};
use crate::services::org_audit::{self, OrgEventKind, Subject};

/// The columns of the file, in any order.
pub const COLUMNS: [&str; 5] = ["name", "email", "role", "manager_email", "department"];
/// The most rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

/// One row of the file, parsed.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub name: PersonName,
    pub email: Email,
    pub role: Role,
    pub manager: Option<Email>,
    pub department: Option<OneLine>,
}

/// Reads the file into rows, or every problem of its lines.
pub fn parse_rows(bytes: &[u8]) -> Result<Vec<Row>, Vec<LineProblem>> {
    let Opened {
        mut reader,
        at,
        width,
    } = csv_file::open(bytes, &COLUMNS, "import")?;
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(problem(line, None, csv_message(&e)));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if rows.len() + problems.len() >= MAX_ROWS {
            problems.push(problem(
                line,
                None,
                format!("the file has more than {MAX_ROWS} rows"),
            ));
            break;
        }
        if record.len() != width {
            problems.push(problem(
                line,
                None,
                format!("has {} fields; the header line has {}", record.len(), width),
            ));
            continue;
        }
        let cell = |c: &str| record.get(at[c]).unwrap_or("");
        let mut row_problems = Vec::new();
        let mut note = |column: &str, e: crate::domain::DomainError| {
            for p in e.into_field_problems().unwrap_or_default() {
                row_problems.push(problem(line, Some(column), p.message));
            }
        };
        let name = PersonName::parse("name", cell("name"))
            .map_err(|e| note("name", e))
            .ok();
        let email = Email::parse("email", cell("email"))
            .map_err(|e| note("email", e))
            .ok();
        let role = cell("role")
            .to_lowercase()
            .parse::<Role>()
            .map_err(|e| note("role", e))
            .ok();
        let manager = match cell("manager_email") {
            "" => Some(None),
            raw => Email::parse("manager_email", raw)
                .map(Some)
                .map_err(|e| note("manager_email", e))
                .ok(),
        };
        let department =
            OneLine::parse_optional("department", Some(cell("department")), DEPARTMENT_MAX)
                .map_err(|e| note("department", e))
                .ok();
        if let Some(email) = &email {
            if let Some(first) = seen.get(email.as_ref()) {
                row_problems.push(problem(
                    line,
                    Some("email"),
                    format!(
                        "{} is also on line {first}: each person once",
                        email.as_ref()
                    ),
                ));
            } else {
                seen.insert(email.as_ref().to_owned(), line);
            }
        }
        match (name, email, role, manager, department) {
            (Some(name), Some(email), Some(role), Some(manager), Some(department))
                if row_problems.is_empty() =>
            {
                rows.push(Row {
                    line,
                    name,
                    email,
                    role,
                    manager,
                    department,
                })
            }
            _ => problems.extend(row_problems),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(
            1,
            None,
            "the file has no people in it, only a header line",
        ));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// What the file would do to one row's person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Create,
    /// An existing person (their id) with the fields that change.
    Update(i64, Vec<&'static str>),
    Unchanged(i64),
}

/// Checks the rows against the organisation as it stands (`people`), as
/// the import would leave it: managers known and active, no cycle in the
/// reporting lines, the acting admin not demoted. Every problem, or what each
/// row changes.
pub fn plan(
    rows: &[Row],
    people: &[OrgRow],
    actor_id: i64,
) -> Result<Vec<Change>, Vec<LineProblem>> {
    let by_email: HashMap<&str, &OrgRow> = people.iter().map(|p| (p.email.as_str(), p)).collect();
    let email_of: HashMap<i64, &str> = people.iter().map(|p| (p.id, p.email.as_str())).collect();
    let in_file: HashMap<&str, &Row> = rows.iter().map(|r| (r.email.as_ref(), r)).collect();
    let mut problems = Vec::new();
    for row in rows {
        let Some(manager) = &row.manager else {
            continue;
        };
        if in_file.contains_key(manager.as_ref()) {
            continue;
        }
        match by_email.get(manager.as_ref()) {
            None => problems.push(problem(
                row.line,
                Some("manager_email"),
                format!(
                    "unknown manager: nobody has the email {}, here or in the file",
                    manager.as_ref()
                ),
            )),
            Some(m) if !m.active => problems.push(problem(
                row.line,
                Some("manager_email"),
                format!(
                    "{} ({}) is deactivated and cannot be a manager",
                    m.name,
                    manager.as_ref()
                ),
            )),
            Some(_) => {}
        }
    }
    for row in rows {
        if let Some(existing) = by_email.get(row.email.as_ref())
            && existing.id == actor_id
            && row.role != Role::Admin
        {
            problems.push(problem(
                row.line,
                Some("role"),
                "you cannot demote yourself; ask another admin",
            ));
        }
    }
    // The reporting lines as the import would leave them: a row's manager is
    // the file's; anyone else keeps theirs.
    let manager_of = |email: &str| -> Option<String> {
        match in_file.get(email) {
            Some(row) => row.manager.as_ref().map(|m| m.as_ref().to_owned()),
            None => by_email
                .get(email)
                .and_then(|p| p.manager_id)
                .and_then(|m| email_of.get(&m))
                .map(|e| (*e).to_owned()),
        }
    };
    let mut state: HashMap<String, u8> = HashMap::new();
    for row in rows {
        let mut path: Vec<String> = Vec::new();
        let mut next = Some(row.email.as_ref().to_owned());
        while let Some(email) = next {
            match state.get(&email) {
                Some(2) => break,
                Some(_) => {
                    let start = path.iter().position(|p| *p == email).unwrap_or(0);
                    let mut cycle: Vec<&str> = path[start..].iter().map(String::as_str).collect();
                    cycle.push(&email);
                    let line = path[start..]
                        .iter()
                        .filter_map(|e| in_file.get(e.as_str()).map(|r| r.line))
                        .min()
                        .unwrap_or(row.line);
                    problems.push(problem(
                        line,
                        Some("manager_email"),
                        format!("a cycle in reporting lines: {}", cycle.join(" → ")),
                    ));
                    break;
                }
                None => {}
            }
            state.insert(email.clone(), 1);
            next = manager_of(&email);
            path.push(email);
        }
        for email in path {
            state.insert(email, 2);
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        problems.dedup();
        return Err(problems);
    }
    Ok(rows
        .iter()
        .map(|row| match by_email.get(row.email.as_ref()) {
            None => Change::Create,
            Some(p) => {
                let manager = p.manager_id.and_then(|m| email_of.get(&m).copied());
                let mut fields = Vec::new();
                if p.name != row.name.as_ref() {
                    fields.push("name");
                }
                if p.role != row.role.as_str() {
                    fields.push("role");
                }
                if manager != row.manager.as_ref().map(AsRef::as_ref) {
                    fields.push("manager_id");
                }
                if p.department.as_deref() != row.department.as_ref().map(AsRef::as_ref) {
                    fields.push("department");
                }
                if fields.is_empty() {
                    Change::Unchanged(p.id)
                } else {
                    Change::Update(p.id, fields)
                }
            }
        })
        .collect())
}

/// What an import did, or would do (`dry_run`).
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    pub dry_run: bool,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// The open loops the import turns red.
    pub turned_red: Vec<TurnedRed>,
}

/// Imports the file (admins only): checked whole first, then applied in one
/// transaction, or rehearsed and rolled back with `dry_run`.
pub async fn import(
    db: &Db,
    passwords: &Passwords,
    links: &Links,
    actor: &User,
    file: Vec<u8>,
    dry_run: bool,
) -> Result<ImportOutcome, ServiceError> {
    require_admin(actor)?;
    let rows = parse_rows(&file).map_err(ServiceError::FileRejected)?;
    // One unusable hash for everyone the file invites (the hash of a secret
    // nobody knows): argon2 once, not once per person.
    let unusable = passwords.hash(crate::auth::random_hex(32)).await?;
    let (links, actor_id) = (links.clone(), actor.id);
    let work = move |c: &mut DbConn| apply(c, &rows, actor_id, &unusable, &links, dry_run);
    let outcome = if dry_run {
        db.rehearse(work).await?
    } else {
        db.write(work).await?
    };
    tracing::info!(
        by = actor.id,
        dry_run,
        rows = outcome.rows,
        created = outcome.created,
        updated = outcome.updated,
        "people imported"
    );
    Ok(outcome)
}

fn apply(
    c: &mut DbConn,
    rows: &[Row],
    actor_id: i64,
    unusable_hash: &str,
    links: &Links,
    dry_run: bool,
) -> Result<ImportOutcome, ServiceError> {
    let people = users::org_rows(c)?;
    let changes = plan(rows, &people, actor_id).map_err(ServiceError::FileRejected)?;
    let before: HashMap<i64, &OrgRow> = people.iter().map(|p| (p.id, p)).collect();
    let mut ids: HashMap<String, i64> = people.iter().map(|p| (p.email.clone(), p.id)).collect();
    let at = now();
    let mut events: Vec<(OrgEventKind, Subject, Value)> = Vec::new();
    // The new people, each inserted after their manager when the manager is
    // new too (a manager may be further down the file), so that each row is
    // written once, with its manager: level by level down the new chains,
    // each level in multi-row statements.
    let mut inserted: Vec<Option<User>> = vec![None; rows.len()];
    for level in creation_levels(rows, &creation_order(rows, &changes)) {
        let new: Vec<NewUser<'_>> = level
            .iter()
            .map(|&i| {
                let row = &rows[i];
                NewUser {
                    email: row.email.as_ref(),
                    name: row.name.as_ref(),
                    password_hash: unusable_hash,
                    role: row.role.as_str(),
                    manager_id: row
                        .manager
                        .as_ref()
                        .and_then(|m| ids.get(m.as_ref()).copied()),
                    department: row.department.as_ref().map(AsRef::as_ref),
                    bar_raiser: BarRaiserStatus::None.as_str(),
                    active: true,
                    token_version: 0,
                    created_at: at,
                    updated_at: at,
                }
            })
            .collect();
        let by_email: HashMap<&str, usize> =
            level.iter().map(|&i| (rows[i].email.as_ref(), i)).collect();
        for user in users::insert_many(c, &new)? {
            if let Some(&i) = by_email.get(user.email.as_str()) {
                ids.insert(user.email.clone(), user.id);
                inserted[i] = Some(user);
            }
        }
    }
    // Invited and on the trail in the file's order.
    let created: Vec<(&Row, User)> = rows
        .iter()
        .zip(inserted)
        .filter_map(|(row, user)| Some((row, user?)))
        .collect();
    let invited: Vec<&User> = created.iter().map(|(_, user)| user).collect();
    crate::services::accounts::invite_many_in(c, &invited, links, at)?;
    for (_, user) in &created {
        events.push((
            OrgEventKind::PersonAdded,
            Subject::User(user.id),
            json!({
                "name": user.name,
                "email": user.email,
                "role": user.role.as_str(),
                "manager_id": user.manager_id,
                "department": user.department,
                "invited": true,
                "import": true,
            }),
        ));
    }
    let manager_id = |row: &Row| {
        row.manager
            .as_ref()
            .and_then(|m| ids.get(m.as_ref()).copied())
    };
    let mut touched: Vec<i64> = Vec::new();
    for (row, change) in rows.iter().zip(&changes) {
        let Change::Update(id, fields) = change else {
            continue;
        };
        let was = before[id];
        let manager = manager_id(row);
        let role_changed = fields.contains(&"role");
        let update = UserChanges {
            name: fields
                .contains(&"name")
                .then(|| row.name.as_ref().to_owned()),
            role: role_changed.then(|| row.role.as_str().to_owned()),
            manager_id: fields.contains(&"manager_id").then_some(manager),
            department: fields
                .contains(&"department")
                .then(|| row.department.as_ref().map(|d| d.as_ref().to_owned())),
            ..Default::default()
        };
        let updated = users::update(c, *id, update)?;
        if role_changed {
            // As a change by hand: the tokens of the old role are revoked and
            // every session ends.
            users::update(
                c,
                *id,
                UserChanges {
                    token_version: Some(updated.token_version + 1),
                    ..Default::default()
                },
            )?;
            crate::auth::session::end_all(c, *id)?;
        }
        let reaches_below = fields.contains(&"manager_id") || fields.contains(&"name");
        touched.extend(loops::open_loops_touching(c, *id, reaches_below)?);
        let mut diff = serde_json::Map::new();
        let mut note = |field: &str, from: Value, to: Value| {
            if from != to {
                diff.insert(field.to_owned(), json!({ "from": from, "to": to }));
            }
        };
        note("name", json!(was.name), json!(updated.name));
        note("role", json!(was.role), json!(updated.role.as_str()));
        note(
            "manager_id",
            json!(was.manager_id),
            json!(updated.manager_id),
        );
        note(
            "department",
            json!(was.department),
            json!(updated.department),
        );
        events.push((
            OrgEventKind::PersonChanged,
            Subject::User(*id),
            json!({
                "name": updated.name,
                "changes": diff,
                "sessions_ended": role_changed,
                "import": true,
            }),
        ));
    }
    touched.sort_unstable();
    touched.dedup();
    let turned_red = independence::reevaluate_loops(c, &touched, Some(actor_id), links)?;
    let count = |f: fn(&Change) -> bool| changes.iter().filter(|c| f(c)).count();
    let outcome = ImportOutcome {
        dry_run,
        rows: rows.len(),
        created: created.len(),
        updated: count(|c| matches!(c, Change::Update(..))),
        unchanged: count(|c| matches!(c, Change::Unchanged(_))),
        turned_red,
    };
    events.push((
        OrgEventKind::PeopleImported,
        Subject::Organisation,
        json!({
            "rows": outcome.rows,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            "loops_turned_red": outcome.turned_red.iter().map(|l| l.loop_id).collect::<Vec<_>>(),
        }),
    ));
    org_audit::record_many(c, Some(actor_id), &events)?;
    Ok(outcome)
}

/// The indices of the rows to create, each after the row of its manager when
/// that manager is created by the file too (the plan has refused cycles; a
/// chain that met one would simply stop there).
fn creation_order(rows: &[Row], changes: &[Change]) -> Vec<usize> {
    let new: HashMap<&str, usize> = rows
        .iter()
        .zip(changes)
        .enumerate()
        .filter(|(_, (_, change))| **change == Change::Create)
        .map(|(i, (row, _))| (row.email.as_ref(), i))
        .collect();
    let mut placed = vec![false; rows.len()];
    let mut order = Vec::with_capacity(new.len());
    for (i, change) in changes.iter().enumerate() {
        if *change != Change::Create {
            continue;
        }
        // The row and its new managers above it not placed yet, bottom up
        // (marked placed as they are met, so a chain is walked once).
        let mut chain = Vec::new();
        let mut at = Some(i);
        while let Some(j) = at.filter(|&j| !placed[j]) {
            placed[j] = true;
            chain.push(j);
            at = rows[j]
                .manager
                .as_ref()
                .and_then(|m| new.get(m.as_ref()).copied());
        }
        order.extend(chain.iter().rev());
    }
    order
}

/// The rows of `order` (managers before their reports) in levels: first
/// those whose manager is not new, then those whose manager is in the level
/// before, and so on; each level in `order`'s order.
fn creation_levels(rows: &[Row], order: &[usize]) -> Vec<Vec<usize>> {
    let mut level_of: HashMap<&str, usize> = HashMap::new();
    let mut levels: Vec<Vec<usize>> = Vec::new();
    for &i in order {
        let level = rows[i]
            .manager
            .as_ref()
            .and_then(|m| level_of.get(m.as_ref()))
            .map_or(0, |l| l + 1);
        level_of.insert(rows[i].email.as_ref(), level);
        if levels.len() <= level {
            levels.resize_with(level + 1, Vec::new);
        }
        levels[level].push(i);
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(csv: &str) -> Vec<Row> {
        parse_rows(csv.as_bytes()).unwrap_or_else(|p| panic!("{p:?}"))
    }

    fn problems(csv: &str) -> Vec<(u64, Option<String>, String)> {
        parse_rows(csv.as_bytes())
            .unwrap_err()
            .into_iter()
            .map(|p| (p.line, p.column, p.message))
            .collect()
    }

    fn person(id: i64, email: &str, manager_id: Option<i64>) -> OrgRow {
        OrgRow {
            id,
            email: email.into(),
            name: email.split('@').next().unwrap_or("").into(),
            role: "member".into(),
            manager_id,
            department: None,
            bar_raiser: "none".into(),
            active: true,
        }
    }

    #[test]
    fn a_file_reads_in_any_column_order_with_quotes_a_bom_and_blank_optionals() {
        let file = "\u{feff}email,name,role,department,manager_email\n\
                    ana@x.com,\"Ana, the lead\",admin,,\n\
                    BEN@x.com,Ben,Member,\"Payments\",ana@x.com\n";
        let read = rows(file);
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].name.as_ref(), "Ana, the lead");
        assert_eq!(read[0].manager, None);
        assert_eq!(read[1].email.as_ref(), "ben@x.com");
        assert_eq!(read[1].role, Role::Member);
        assert_eq!(read[1].line, 3);
        assert_eq!(
            read[1].department.as_ref().map(AsRef::as_ref),
            Some("Payments")
        );
    }

    #[test]
    fn every_bad_line_is_named_with_its_column() {
        let file = "name,email,role,manager_email,department\n\
                    Ana,not-an-email,member,,\n\
                    ,ben@x.com,owner,,\n\
                    Cy,cy@x.com,member,,\n\
                    Cy again,CY@x.com,member,,\n\
                    Di,di@x.com,member\n";
        let found = problems(file);
        let at: Vec<(u64, Option<&str>)> = found.iter().map(|p| (p.0, p.1.as_deref())).collect();
        assert_eq!(
            at,
            [
                (2, Some("email")),
                (3, Some("name")),
                (3, Some("role")),
                (5, Some("email")),
                (6, None)
            ]
        );
        assert!(found[3].2.contains("also on line 4"), "{}", found[3].2);
    }

    #[test]
    fn a_header_without_a_column_or_with_an_unknown_one_is_refused_on_line_one() {
        let found = problems("name,email,role,manager,department\nA,a@x.com,member,,\n");
        let columns: Vec<Option<&str>> = found.iter().map(|p| p.1.as_deref()).collect();
        assert_eq!(columns, [Some("manager"), Some("manager_email")]);
        assert!(found.iter().all(|p| p.0 == 1));
        assert_eq!(
            problems("name,email,role,manager_email,department\n")[0].0,
            1
        );
    }

    #[test]
    fn managers_may_come_after_their_reports_or_already_exist() {
        let file = "name,email,role,manager_email,department\n\
                    Ben,ben@x.com,member,ana@x.com,\n\
                    Ana,ana@x.com,member,boss@x.com,\n";
        let people = [person(1, "boss@x.com", None)];
        let changes = plan(&rows(file), &people, 99).unwrap();
        assert_eq!(changes, [Change::Create, Change::Create]);
    }

    #[test]
    fn new_people_are_created_after_their_new_managers_whatever_the_file_order() {
        let file = "name,email,role,manager_email,department\n\
                    Cy,cy@x.com,member,ben@x.com,\n\
                    Ben,ben@x.com,member,ana@x.com,\n\
                    old,old@x.com,member,boss@x.com,\n\
                    Dee,dee@x.com,member,old@x.com,\n\
                    Ana,ana@x.com,member,boss@x.com,\n\
                    Eve,eve@x.com,member,ana@x.com,\n";
        let rows = rows(file);
        let people = [
            person(1, "boss@x.com", None),
            person(2, "old@x.com", Some(1)),
        ];
        let changes = plan(&rows, &people, 99).unwrap();
        assert_eq!(changes[2], Change::Unchanged(2));
        // Ana before Ben before Cy; Dee under someone who exists; each once.
        let order = creation_order(&rows, &changes);
        assert_eq!(order, [4, 1, 0, 3, 5]);
        // Written level by level: Ana and Dee (managers exist), then Ben and
        // Eve (under Ana), then Cy.
        assert_eq!(
            creation_levels(&rows, &order),
            [vec![4, 3], vec![1, 5], vec![0]]
        );
    }

    #[test]
    fn an_unknown_manager_and_a_deactivated_one_are_named_on_their_lines() {
        let file = "name,email,role,manager_email,department\n\
                    Ben,ben@x.com,member,nobody@x.com,\n\
                    Ana,ana@x.com,member,gone@x.com,\n";
        let mut gone = person(1, "gone@x.com", None);
        gone.active = false;
        let found = plan(&rows(file), &[gone], 99).unwrap_err();
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].line, found[1].line), (2, 3));
        assert!(found[0].message.contains("unknown manager"));
        assert!(found[1].message.contains("deactivated"));
    }

    #[test]
    fn a_cycle_through_the_file_and_the_organisation_is_named_once() {
        // boss reports to cy (already); the file makes cy report to ana and
        // ana to boss: boss → cy → ana → boss.
        let file = "name,email,role,manager_email,department\n\
                    Ana,ana@x.com,member,boss@x.com,\n\
                    Cy,cy@x.com,member,ana@x.com,\n";
        let people = [
            person(1, "boss@x.com", Some(2)),
            person(2, "cy@x.com", None),
        ];
        let found = plan(&rows(file), &people, 99).unwrap_err();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 2);
        assert!(
            found[0]
                .message
                .contains("ana@x.com → boss@x.com → cy@x.com → ana@x.com"),
            "{}",
            found[0].message
        );
        let own = plan(
            &rows("name,email,role,manager_email,department\nA,a@x.com,member,a@x.com,\n"),
            &[],
            99,
        )
        .unwrap_err();
        assert!(own[0].message.contains("a@x.com → a@x.com"));
    }

    #[test]
    fn existing_people_are_updated_only_in_what_differs() {
        let file = "name,email,role,manager_email,department\n\
                    boss,boss@x.com,member,,\n\
                    Cy Moved,cy@x.com,recruiter,boss@x.com,Sales\n";
        let people = [person(1, "boss@x.com", None), person(2, "cy@x.com", None)];
        let changes = plan(&rows(file), &people, 99).unwrap();
        assert_eq!(
            changes,
            [
                Change::Unchanged(1),
                Change::Update(2, vec!["name", "role", "manager_id", "department"])
            ]
        );
    }

    #[test]
    fn an_admin_cannot_demote_themselves_by_file() {
        let mut me = person(7, "me@x.com", None);
        me.role = "admin".into();
        let file = "name,email,role,manager_email,department\nme,me@x.com,member,,\n";
        let found = plan(&rows(file), &[me], 7).unwrap_err();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].column.as_deref(), Some("role"));
    }
}
