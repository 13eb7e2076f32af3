//! Hiring: requisitions, candidates and loops, the independence engine that
//! guards them, the loop read model, interview kits, the audit chain and the
//! invitations they send.

pub mod access;
pub mod audit;
pub mod board;
pub mod builder;
pub mod candidates;
pub mod competencies;
pub mod debrief_proposal;
pub mod independence;
pub mod invitations;
pub mod kit;
mod loop_edits;
pub mod loop_mail;
pub mod loops;
pub mod more_signal;
pub mod overview;
pub mod read;
pub mod requisitions;
pub mod suggestions;
