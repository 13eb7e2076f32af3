//! Pure domain types and rules: no actix, no diesel. Values from outside are
//! parsed into these types at the HTTP boundary; nothing past it sees raw input.

mod competency;
mod error;
pub mod independence;
mod interview_loop;
pub mod panel;
mod user;

pub use competency::{Anchors, CompetencyKey, Questions};
pub use error::DomainError;
pub use interview_loop::LoopStatus;
pub use user::{BarRaiserStatus, Email, NewPassword, PersonName, Role, optional_text};
