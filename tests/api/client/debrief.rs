//! The debrief of one loop: open, read, vote, notes, close, decide, commit.

use barraiser::domain::LoopId;
use barraiser::urls::api;
use serde_json::{Value, json};

use super::LoopRef;
use crate::helpers::{TestApp, TestResponse, TestUser};

/// One loop's debrief, as the people in it drive it.
pub struct Debrief<'a> {
    pub app: &'a TestApp,
    pub id: LoopId,
}

impl TestApp {
    /// The debrief of `lp`.
    pub fn debrief(&self, lp: &impl LoopRef) -> Debrief<'_> {
        Debrief {
            app: self,
            id: lp.loop_id(),
        }
    }
}

impl Debrief<'_> {
    /// `POST /loops/{id}/debrief`, with `body` (an override) or none.
    pub fn open(&self, who: &TestUser, body: Option<Value>) -> TestResponse {
        let path = api::debrief(self.id);
        match body {
            Some(b) => self.app.post(&path, &who.token, b),
            None => self.app.request("POST", &path, Some(&who.token), None),
        }
    }
    /// `POST …/debrief/read`: `who`'s read receipt.
    pub fn read(&self, who: &TestUser) -> TestResponse {
        self.app
            .request("POST", &api::debrief_read(self.id), Some(&who.token), None)
    }
    /// `PUT …/debrief/vote`.
    pub fn vote(&self, who: &TestUser, body: Value) -> TestResponse {
        self.app.put(&api::debrief_vote(self.id), &who.token, body)
    }
    /// `POST …/debrief/notes`.
    pub fn note(&self, who: &TestUser, body: Value) -> TestResponse {
        self.app
            .post(&api::debrief_notes(self.id), &who.token, body)
    }
    /// `POST …/debrief/close`.
    pub fn close(&self, who: &TestUser, body: Value) -> TestResponse {
        self.app
            .post(&api::debrief_close(self.id), &who.token, body)
    }
    /// `POST …/decision` with `token`.
    pub fn decide_with(&self, token: &str, body: Value) -> TestResponse {
        self.app.post(&api::decision(self.id), token, body)
    }
    /// `POST …/decision` as `who`.
    pub fn decide(&self, who: &TestUser, body: Value) -> TestResponse {
        self.decide_with(&who.token, body)
    }
    /// `POST …/commitment` as `who`: commit, or disagree and commit with `body`.
    pub fn commit(&self, who: &TestUser, body: Option<Value>) -> TestResponse {
        let path = api::commitment(self.id);
        match body {
            Some(b) => self.app.post(&path, &who.token, b),
            None => self.app.request("POST", &path, Some(&who.token), None),
        }
    }
    /// `GET …/debrief` with `token`: the packet.
    pub fn packet(&self, token: &str) -> TestResponse {
        self.app.get(&api::debrief(self.id), token)
    }
    /// Each of `people` reads the packet and confirms their initial vote.
    #[track_caller]
    pub fn read_and_vote(&self, people: &[(&TestUser, &str)]) {
        for (who, vote) in people {
            assert_eq!(self.read(who).status, 200);
            let res = self.vote(who, json!({ "vote": vote }));
            assert_eq!(res.status, 200, "{}", res.body);
        }
    }
}
