//! Typed ids for the service boundary: a function that takes a `LoopId` cannot
//! be handed an interview's id by mistake. In JSON and in the database they are
//! plain integers.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
            #[serde(transparent)]
            pub struct $name(pub i64);

            impl $name {
                pub fn get(self) -> i64 {
                    self.0
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    self.0.fmt(f)
                }
            }

            impl From<$name> for i64 {
                fn from(id: $name) -> i64 {
                    id.0
                }
            }
        )+
    };
}

ids!(
    /// A person's account.
    UserId,
    /// A loop: one candidate for one requisition.
    LoopId,
    /// One interview of a loop.
    InterviewId,
    /// A competency (leadership principle) of the library.
    CompetencyId,
    RequisitionId,
    CandidateId,
    /// A message of the mail outbox.
    MessageId,
);
