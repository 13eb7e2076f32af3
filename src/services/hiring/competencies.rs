//! Changes to the competency library that reach into loops: a renamed
//! competency is named in the reports of the open loops whose requisitions
//! require it, so those reports are rewritten in the same transaction.

use super::independence;
use crate::db::competencies::Competency;
use crate::db::users::User;
use crate::db::{Db, loops};
use crate::domain::CompetencyId;
use crate::error::ServiceError;
use crate::links::Links;
use crate::services::competencies::{self, RubricEdit};

/// `PATCH /competencies/{id}` (admins): edits, retires or restores a competency.
pub async fn update_competency(
    db: &Db,
    links: &Links,
    actor: &User,
    id: CompetencyId,
    edit: RubricEdit,
) -> Result<Competency, ServiceError> {
    let (actor, links) = (actor.clone(), links.clone());
    db.write(move |c| {
        let renamed = edit.name.is_some();
        let before = crate::db::competencies::find(c, id.get())?;
        let updated = competencies::update_in(c, &actor, id, edit)?;
        if renamed {
            let open = loops::open_loops_requiring(c, id.get())?;
            independence::reevaluate_loops(c, &open, Some(actor.id), &links)?;
        }
        // Last in the transaction: the trail's head is held until the commit.
        competencies::record_change(c, actor.id, &before, &updated)?;
        Ok(updated)
    })
    .await
}
