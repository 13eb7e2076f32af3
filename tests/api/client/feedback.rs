//! Feedback: drafts, submission, the kit.

use barraiser::urls::api;
use serde_json::{Value, json};

use super::interview;
use crate::fixtures::interview_of;
use crate::helpers::{TestApp, TestResponse, TestUser};

/// Evidence long enough to submit and not thin (250 characters).
pub fn evidence(tag: &str) -> String {
    let base = format!(
        "{tag}: when the nightly import failed she traced it to a schema change, rolled back within the hour, wrote the postmortem and added a contract test so it cannot recur. "
    );
    base.repeat(3).chars().take(250).collect()
}

/// A complete draft: `rating` 1–4 with evidence for each `(competency, rating)`,
/// the vote and a summary.
pub fn complete_feedback(ratings: &[(i64, i64)], vote: &str) -> Value {
    json!({
        "ratings": ratings.iter().map(|(c, r)| json!({"competency_id": c, "rating": r, "evidence": evidence("ok")})).collect::<Vec<_>>(),
        "vote": vote,
        "summary": "Specific, behavioural answers; owned the outcome end to end.",
    })
}

impl TestApp {
    /// `GET /interviews/{id}/feedback` with `token`.
    pub fn feedback(&self, token: &str, interview_id: i64) -> TestResponse {
        self.get(&api::interview_feedback(interview(interview_id)), token)
    }

    /// `PUT /interviews/{id}/feedback` (a draft) as `who`.
    pub fn save_feedback(&self, who: &TestUser, interview_id: i64, body: Value) -> TestResponse {
        self.put(
            &api::interview_feedback(interview(interview_id)),
            &who.token,
            body,
        )
    }

    /// `POST /interviews/{id}/feedback/submit` as `who`, attesting no discussion.
    pub fn submit_feedback(&self, who: &TestUser, interview_id: i64) -> TestResponse {
        self.post(
            &api::interview_feedback_submit(interview(interview_id)),
            &who.token,
            json!({"attest_no_discussion": true}),
        )
    }

    /// `GET /interviews/{id}/kit` with `token`.
    pub fn kit(&self, token: &str, interview_id: i64) -> TestResponse {
        self.get(&api::interview_kit(interview(interview_id)), token)
    }

    /// `who` saves complete feedback on their interview in `lp` with
    /// `ratings` and `vote`, and submits it; asserts both and answers the
    /// submitted feedback.
    #[track_caller]
    pub fn write_and_submit(
        &self,
        lp: &Value,
        who: &TestUser,
        ratings: &[(i64, i64)],
        vote: &str,
    ) -> Value {
        let id = interview_of(lp, who);
        let saved = self.save_feedback(who, id, complete_feedback(ratings, vote));
        assert_eq!(saved.status, 200, "{}", saved.body);
        let res = self.submit_feedback(who, id);
        assert_eq!(res.status, 200, "{}", res.body);
        res.body
    }
}
