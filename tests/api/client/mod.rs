//! Typed helpers per capability on the test app, in the manner of crates.io's
//! `RequestHelper`: a test says what it does (`app.debrief(&lp).open(&br, None)`,
//! `app.submit_feedback(&kim, interview)`), never which path it sends to.
//! Every path comes from `barraiser::urls::api`, built from typed ids, so a
//! change to the API is made in one place. Helpers answer the raw
//! [`TestResponse`](crate::helpers::TestResponse) so that refusals stay
//! assertable; the `…_ok` forms assert success and answer the body.

mod debrief;
mod feedback;
mod loops;
mod people;

pub use debrief::Debrief;
pub use feedback::{complete_feedback, evidence};

use barraiser::domain::{InterviewId, LoopId};
use serde_json::Value;

/// Anything a test holds that names a loop: the loop's JSON, its `id` value,
/// a bare number, or the number as a page wrote it.
pub trait LoopRef {
    fn loop_id(&self) -> LoopId;
}

impl LoopRef for Value {
    #[track_caller]
    fn loop_id(&self) -> LoopId {
        let id = self.get("id").unwrap_or(self);
        LoopId(
            id.as_i64()
                .unwrap_or_else(|| panic!("not a loop or its id: {self}")),
        )
    }
}

impl LoopRef for str {
    #[track_caller]
    fn loop_id(&self) -> LoopId {
        LoopId(
            self.parse()
                .unwrap_or_else(|_| panic!("not a loop id: {self}")),
        )
    }
}

impl LoopRef for i64 {
    fn loop_id(&self) -> LoopId {
        LoopId(*self)
    }
}

impl LoopRef for LoopId {
    fn loop_id(&self) -> LoopId {
        *self
    }
}

/// An interview's id as tests hold it (a number from the loop's JSON).
pub fn interview(id: i64) -> InterviewId {
    InterviewId(id)
}
