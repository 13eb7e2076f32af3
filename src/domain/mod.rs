//! Pure domain types and rules: no actix, no diesel. Values from outside are
//! parsed into these types at the HTTP boundary; nothing past it sees raw input.

mod competency;
mod error;
pub mod independence;
mod interview_loop;
pub mod panel;
pub mod text;
mod user;

pub use competency::{Anchors, CompetencyKey, Questions};
pub use error::{DomainError, FieldProblem, all_ok};
pub use interview_loop::LoopStatus;
pub use text::{LongText, OneLine};
pub use user::{BarRaiserStatus, Email, NewPassword, PersonName, Role};
