//! The competency library (leadership principles with their rubrics): read by
//! everyone, changed by admins. A retired competency stays on the loops that
//! use it.

use std::collections::HashMap;

use crate::auth::require_admin;
pub use crate::db::competencies::Competency;
use crate::db::competencies::{self, CompetencyChanges, NewCompetency};
use crate::db::users::User;
use crate::db::{Db, DbConn, now};
use crate::domain::{
    Anchors, CompetencyId, CompetencyKey, Listing, LongText, OneLine, Page, Questions,
};
use crate::error::ServiceError;
use crate::services::org_audit::{self, OrgEventKind, Subject};
use serde_json::json;

pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 4000;

/// A parsed `POST /competencies`.
#[derive(Debug)]
pub struct NewRubric {
    pub key: CompetencyKey,
    pub name: OneLine,
    pub description: LongText,
    pub anchors: Anchors,
    pub questions: Questions,
}

/// A parsed `PATCH /competencies/{id}`; `active: false` retires, `true` restores.
#[derive(Debug, Default)]
pub struct RubricEdit {
    pub name: Option<OneLine>,
    pub description: Option<LongText>,
    pub anchors: Option<Anchors>,
    pub questions: Option<Questions>,
    pub active: Option<bool>,
}

/// Every competency of `ids` exists and may be assigned: active, or already
/// held (`held`), since a retired one stays where it was. Every problem is
/// reported, under `field`.
pub fn check_assignable(
    c: &mut DbConn,
    field: impl Fn(usize) -> String,
    requested: &[&[i64]],
    held: &[&[i64]],
) -> Result<(), ServiceError> {
    let mut ids: Vec<i64> = requested.iter().flat_map(|r| r.iter().copied()).collect();
    ids.sort_unstable();
    ids.dedup();
    let known: HashMap<i64, bool> = competencies::find_many(c, &ids)?
        .into_iter()
        .map(|c| (c.id, c.active))
        .collect();
    let mut problems = Vec::new();
    for (i, ids) in requested.iter().enumerate() {
        let had = held.get(i).copied().unwrap_or(&[]);
        for id in *ids {
            match known.get(id) {
                None => problems.push(crate::domain::FieldProblem {
                    field: field(i),
                    message: format!("competency {id} does not exist"),
                }),
                Some(false) if !had.contains(id) => problems.push(crate::domain::FieldProblem {
                    field: field(i),
                    message: format!("competency {id} is retired"),
                }),
                Some(_) => {}
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(problems))
    }
}

/// The library, active and retired alike unless `active` says which.
pub async fn list(
    db: &Db,
    active: Option<bool>,
    page: Page,
) -> Result<Listing<Competency>, ServiceError> {
    let rows = db
        .run(move |c| Ok(competencies::list(c, active, page.after, page.fetch())?))
        .await?;
    Ok(page.cut(rows, |r| r.id))
}

pub async fn get(db: &Db, id: CompetencyId) -> Result<Competency, ServiceError> {
    db.run(move |c| Ok(competencies::find(c, id.get())?)).await
}

/// Adds a competency (admins only); its key is unique.
pub async fn create(db: &Db, actor: &User, new: NewRubric) -> Result<Competency, ServiceError> {
    require_admin(actor)?;
    let actor_id = actor.id;
    db.write(move |c| {
        let [a1, a2, a3, a4] = new.anchors.texts();
        let at = now();
        let row = NewCompetency {
            key: new.key.as_ref(),
            name: new.name.as_ref(),
            description: new.description.as_ref(),
            anchor_1: a1,
            anchor_2: a2,
            anchor_3: a3,
            anchor_4: a4,
            questions: competencies::questions_json(new.questions.as_slice()),
            active: true,
            created_at: at,
            updated_at: at,
        };
        let created = competencies::insert(c, &row).map_err(|e| match ServiceError::from(e) {
            ServiceError::Conflict { .. } => {
                ServiceError::conflict("key_taken", "A competency with this key already exists.")
            }
            other => other,
        })?;
        org_audit::record(
            c,
            Some(actor_id),
            OrgEventKind::CompetencyAdded,
            Subject::Competency(created.id),
            &json!({ "key": created.key, "name": created.name }),
        )?;
        Ok(created)
    })
    .await
}

/// Writes a change of the library to the organisation's trail: the name and
/// whether active from and to, and which of the texts changed.
pub fn record_change(
    c: &mut DbConn,
    actor_id: i64,
    before: &Competency,
    after: &Competency,
) -> Result<(), ServiceError> {
    let mut changes = serde_json::Map::new();
    if before.name != after.name {
        changes.insert(
            "name".into(),
            json!({ "from": before.name, "to": after.name }),
        );
    }
    if before.active != after.active {
        changes.insert(
            "active".into(),
            json!({ "from": before.active, "to": after.active }),
        );
    }
    let texts = [
        ("description", before.description != after.description),
        (
            "anchors",
            [
                &before.anchor_1,
                &before.anchor_2,
                &before.anchor_3,
                &before.anchor_4,
            ] != [
                &after.anchor_1,
                &after.anchor_2,
                &after.anchor_3,
                &after.anchor_4,
            ],
        ),
        ("questions", before.questions != after.questions),
    ];
    let rewritten: Vec<&str> = texts.iter().filter(|t| t.1).map(|t| t.0).collect();
    if changes.is_empty() && rewritten.is_empty() {
        return Ok(());
    }
    org_audit::record(
        c,
        Some(actor_id),
        OrgEventKind::CompetencyChanged,
        Subject::Competency(after.id),
        &json!({ "key": after.key, "name": after.name, "changes": changes, "rewritten": rewritten }),
    )?;
    Ok(())
}

/// Edits, retires or restores a competency (admins only), inside the caller's
/// transaction (`hiring::library` re-evaluates the loops a rename touches).
pub fn update_in(
    c: &mut DbConn,
    actor: &User,
    id: CompetencyId,
    edit: RubricEdit,
) -> Result<Competency, ServiceError> {
    require_admin(actor)?;
    let [a1, a2, a3, a4] = match edit.anchors {
        Some(a) => a.texts().clone().map(Some),
        None => [None, None, None, None],
    };
    let changes = CompetencyChanges {
        name: edit.name.map(OneLine::into_string),
        description: edit.description.map(LongText::into_string),
        anchor_1: a1,
        anchor_2: a2,
        anchor_3: a3,
        anchor_4: a4,
        questions: edit
            .questions
            .map(|q| competencies::questions_json(q.as_slice())),
        active: edit.active,
        updated_at: None,
    };
    Ok(competencies::update(c, id.get(), changes)?)
}
