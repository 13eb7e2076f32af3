//! Loops: create, schedule, edit, cancel, read, and what hangs off a loop.

use barraiser::urls::api;
use serde_json::{Value, json};

use super::LoopRef;
use crate::helpers::{TestApp, TestResponse, TestUser};

impl TestApp {
    /// `POST /loops` as `who`; asserts 201 and answers the loop.
    #[track_caller]
    pub fn create_loop(&self, who: &TestUser, body: Value) -> Value {
        let res = self.post(api::LOOPS, &who.token, body);
        assert_eq!(res.status, 201, "creating a loop failed: {}", res.body);
        res.body
    }

    /// `POST /loops/{id}/schedule` as `who`.
    pub fn schedule(&self, who: &TestUser, lp: &impl LoopRef) -> TestResponse {
        self.post(&api::loop_schedule(lp.loop_id()), &who.token, json!({}))
    }

    /// `PATCH /loops/{id}` as `who`.
    pub fn edit_loop(&self, who: &TestUser, lp: &impl LoopRef, body: Value) -> TestResponse {
        self.patch(&api::loop_(lp.loop_id()), &who.token, body)
    }

    /// `GET /loops/{id}` as `who`.
    pub fn get_loop(&self, who: &TestUser, lp: &impl LoopRef) -> TestResponse {
        self.get(&api::loop_(lp.loop_id()), &who.token)
    }

    /// `POST /loops/{id}/cancel` as `who`.
    pub fn cancel_loop(&self, who: &TestUser, lp: &impl LoopRef, reason: &str) -> TestResponse {
        self.post(
            &api::loop_cancel(lp.loop_id()),
            &who.token,
            json!({ "reason": reason }),
        )
    }

    /// `GET /loops/{id}/independence` with `token`.
    pub fn independence(&self, token: &str, lp: &impl LoopRef) -> TestResponse {
        self.get(&api::loop_independence(lp.loop_id()), token)
    }

    /// `GET /loops/{id}/bar-raiser-suggestions` with `token`.
    pub fn suggestions(&self, token: &str, lp: &impl LoopRef) -> TestResponse {
        self.get(&api::loop_suggestions(lp.loop_id()), token)
    }

    /// `GET /loops/{id}/events` with `token`.
    pub fn loop_events(&self, token: &str, lp: &impl LoopRef) -> TestResponse {
        self.get(&api::loop_events(lp.loop_id()), token)
    }

    /// `GET /loops/{id}/events/verify` with `token`.
    pub fn verify_events(&self, token: &str, lp: &impl LoopRef) -> TestResponse {
        self.get(&api::loop_events_verify(lp.loop_id()), token)
    }

    /// `GET /loops/{id}/feedback` with `token`: the loop's submitted feedback.
    pub fn loop_feedback(&self, token: &str, lp: &impl LoopRef) -> TestResponse {
        self.get(&api::loop_feedback(lp.loop_id()), token)
    }
}
