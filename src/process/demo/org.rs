//! The demo organisation as it is seeded: its people by handle, and the
//! steps a loop goes through, each through the same services as the API.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, TimeDelta, Utc};

use crate::auth::Caller;
use crate::db::Db;
use crate::db::users::User;
use crate::domain::FeedbackWindow;
use crate::domain::debrief::{Conclusion, Verdict};
use crate::domain::feedback::{Draft, Rating, RatingEntry, Vote};
use crate::domain::panel::ProposedInterview;
use crate::domain::{
    CandidateId, Email, InterviewId, LongText, LoopId, PersonName, RequisitionId, UserId,
};
use crate::links::Links;
use crate::services::debrief;
use crate::services::feedback;
use crate::services::hiring::candidates::{self, NewPerson};
use crate::services::hiring::loops::{self, NewLoop};
use crate::services::hiring::read::LoopRead;

use super::DOMAIN;
use super::data::*;
use super::evidence::evidence_for;

pub(super) struct Org {
    pub(super) db: Db,
    pub(super) links: Links,
    pub(super) people: HashMap<&'static str, User>,
    pub(super) competency: HashMap<String, i64>,
}

impl Org {
    pub(super) fn user(&self, handle: &str) -> &User {
        &self.people[handle]
    }

    pub(super) fn id(&self, handle: &str) -> UserId {
        UserId(self.people[handle].id)
    }

    pub(super) fn comp(&self, key: &str) -> i64 {
        self.competency[key]
    }

    pub(super) async fn candidate(&self, recruiter: &str, name: &str) -> anyhow::Result<i64> {
        let local: String = name
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                'á' | 'à' | 'ä' => Some('a'),
                'é' | 'è' => Some('e'),
                'í' => Some('i'),
                'ó' | 'ö' => Some('o'),
                'ú' | 'ü' => Some('u'),
                'ñ' => Some('n'),
                ' ' => Some('.'),
                c if c.is_ascii_alphanumeric() => Some(c),
                _ => None,
            })
            .collect();
        let email = format!("{local}@candidates.{DOMAIN}");
        let created = candidates::create(
            &self.db,
            self.user(recruiter),
            NewPerson {
                name: PersonName::parse("name", name)?,
                email: Email::parse("email", &email)?,
                referred_by_id: None,
            },
        )
        .await?;
        Ok(created.id)
    }

    /// A loop whose interviews start at `start`, one an hour, each 45 minutes.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn create_loop(
        &self,
        recruiter: &str,
        requisition: i64,
        candidate: i64,
        bar_raiser: &str,
        panel: &[(&str, &[&str])],
        start: DateTime<Utc>,
    ) -> anyhow::Result<LoopRead> {
        let panel = panel
            .iter()
            .enumerate()
            .map(|(i, (who, keys))| {
                let starts = start + TimeDelta::hours(i as i64);
                ProposedInterview {
                    id: None,
                    interviewer_id: self.id(who).get(),
                    competency_ids: keys.iter().map(|k| self.comp(k)).collect(),
                    starts_at: starts,
                    ends_at: starts + TimeDelta::minutes(45),
                }
            })
            .collect();
        let input = NewLoop {
            requisition_id: RequisitionId(requisition),
            candidate_id: CandidateId(candidate),
            bar_raiser_id: self.id(bar_raiser),
            hiring_manager_id: None,
            recruiter_id: None,
            feedback_window: FeedbackWindow::DEFAULT,
            panel,
        };
        Ok(loops::create(&self.db, self.user(recruiter), input).await?)
    }

    pub(super) async fn schedule(&self, recruiter: &str, lp: &LoopRead) -> anyhow::Result<()> {
        loops::schedule(
            &self.db,
            &self.links,
            self.user(recruiter),
            LoopId(lp.lp.id),
        )
        .await?;
        Ok(())
    }

    /// `who` writes feedback on their interview of `lp` (one rating for every
    /// assigned competency), and submits it unless `draft_only`.
    pub(super) async fn write(
        &self,
        lp: &LoopRead,
        who: &str,
        ratings: &[u8],
        vote: Vote,
        submit: bool,
    ) -> anyhow::Result<()> {
        let user = self.user(who);
        let entry = lp
            .panel
            .iter()
            .find(|e| e.interview.interviewer_id == user.id)
            .context("the demo interviewer is on the panel")?;
        let draft = Draft {
            ratings: entry
                .competency_ids
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let r = ratings[i % ratings.len()];
                    RatingEntry {
                        competency_id: *c,
                        rating: Rating::new(i64::from(r)),
                        evidence: evidence_for(
                            self.competency
                                .iter()
                                .find(|(_, id)| **id == *c)
                                .map_or("", |(key, _)| key.as_str()),
                            r,
                            (lp.lp.id as usize) + i + user.id as usize,
                        ),
                    }
                })
                .collect(),
            vote: Some(vote),
            summary: Some(summary(vote).to_owned()),
        };
        let id = InterviewId(entry.interview.id);
        feedback::save_draft(&self.db, Caller::of_user(user), id, draft).await?;
        if submit {
            feedback::submit(&self.db, &self.links, user, id, true).await?;
        }
        Ok(())
    }

    pub(super) async fn open_and_vote(
        &self,
        lp: &LoopRead,
        bar_raiser: &str,
        final_votes: &[(&str, Vote, Option<&str>)],
    ) -> anyhow::Result<()> {
        let id = LoopId(lp.lp.id);
        debrief::open(&self.db, &self.links, self.user(bar_raiser), id, None).await?;
        for (who, vote, reason) in final_votes {
            debrief::mark_read(&self.db, self.user(who), id).await?;
            let reason = reason
                .map(|r| LongText::parse("reason", r, 10_000))
                .transpose()?;
            debrief::vote(&self.db, self.user(who), id, *vote, reason).await?;
        }
        Ok(())
    }

    pub(super) async fn close(
        &self,
        lp: &LoopRead,
        bar_raiser: &str,
        recommendation: Verdict,
        veto: bool,
        rationale: &str,
    ) -> anyhow::Result<()> {
        debrief::close(
            &self.db,
            &self.links,
            self.user(bar_raiser),
            LoopId(lp.lp.id),
            Conclusion::Verdict(recommendation),
            veto,
            LongText::parse("rationale", rationale, 10_000)?,
        )
        .await?;
        Ok(())
    }

    pub(super) async fn decide(
        &self,
        lp: &LoopRead,
        hiring_manager: &str,
        decision: Verdict,
        rationale: &str,
    ) -> anyhow::Result<()> {
        debrief::decide(
            &self.db,
            &self.links,
            self.user(hiring_manager),
            LoopId(lp.lp.id),
            Conclusion::Verdict(decision),
            LongText::parse("rationale", rationale, 10_000)?,
        )
        .await?;
        Ok(())
    }
}
