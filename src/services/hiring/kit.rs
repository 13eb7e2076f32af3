//! The interview kit: what an interviewer needs to prepare and run one
//! interview. Only the interview's interviewer sees it; for anyone else the
//! interview does not exist.

use crate::db::competencies::{self, Competency};
use crate::db::loops::{self, Interview, InterviewLoop};
use crate::db::users::User;
use crate::db::{Db, DbConn, candidates, requisitions};
use crate::domain::InterviewId;
use crate::error::ServiceError;

#[derive(Debug, Clone)]
pub struct Kit {
    pub interview: Interview,
    pub lp: InterviewLoop,
    pub candidate_name: String,
    pub role_title: String,
    /// The assigned competencies with their anchors and questions, by id.
    pub competencies: Vec<Competency>,
}

pub async fn kit(db: &Db, actor: &User, id: InterviewId) -> Result<Kit, ServiceError> {
    let actor_id = actor.id;
    db.run(move |c| kit_in(c, actor_id, id)).await
}

/// [`kit`] on `c`, for the interviewer `actor_id`.
pub fn kit_in(c: &mut DbConn, actor_id: i64, id: InterviewId) -> Result<Kit, ServiceError> {
    {
        let interview = loops::find_interview(c, id.get())?
            .filter(|i| i.interviewer_id == actor_id)
            .ok_or(ServiceError::NotFound)?;
        let lp = loops::find(c, interview.loop_id)?.ok_or(ServiceError::NotFound)?;
        let candidate = candidates::find(c, lp.candidate_id)?.ok_or(ServiceError::NotFound)?;
        let requisition =
            requisitions::find(c, lp.requisition_id)?.ok_or(ServiceError::NotFound)?;
        let panel = loops::panel(c, lp.id)?;
        let ids = panel
            .iter()
            .find(|e| e.interview.id == interview.id)
            .map(|e| e.competency_ids.clone())
            .unwrap_or_default();
        let mut competencies = competencies::find_many(c, &ids)?;
        competencies.sort_by_key(|c| c.id);
        Ok(Kit {
            interview,
            lp,
            candidate_name: candidate.name,
            role_title: requisition.title,
            competencies,
        })
    }
}
