//! Hiring: requisitions, candidates and loops, the independence engine that
//! guards them, their audit chain and the invitations they send.

pub mod access;
pub mod audit;
pub mod independence;
pub mod invitations;
pub mod loops;
pub mod suggestions;
