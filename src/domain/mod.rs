//! Pure domain types and rules: no actix, no diesel. Values from outside are
//! parsed into these types at the HTTP boundary; nothing past it sees raw input.

pub mod calibration;
mod competency;
pub mod correlation;
pub mod debrief;
mod error;
pub mod feedback;
mod ids;
pub mod independence;
mod interview_loop;
pub mod outcome;
mod page;
pub mod panel;
pub mod text;
mod time_zone;
mod user;

pub use competency::{Anchors, CompetencyKey, Questions};
pub use error::{DomainError, FieldProblem, LineProblem, all_ok, merge};
pub use ids::{CandidateId, CompetencyId, InterviewId, LoopId, MessageId, RequisitionId, UserId};
pub use interview_loop::{CANCEL_REASON_MAX, FeedbackWindow, LoopStatus, parse_cancel_reason};
pub use page::{Listing, Page, parse_flag};
pub use text::{LongText, OneLine};
pub use time_zone::TimeZone;
pub use user::{BarRaiserStatus, DEPARTMENT_MAX, Email, NewPassword, PersonName, Role};
