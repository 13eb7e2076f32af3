//! The services: every rule of the product, one module per capability. JSON
//! handlers and pages extract, parse, call one function here and render; the
//! functions check who may act, run their work in one transaction and answer
//! a typed [`ServiceError`](crate::error::ServiceError) for every refusal.

pub mod accounts;
pub mod agenda;
pub mod analytics;
pub mod api_keys;
pub mod chain;
pub mod competencies;
pub mod csv_file;
pub mod debrief;
pub mod feedback;
pub mod hiring;
pub mod org;
pub mod org_audit;
pub mod outbox;
pub mod outcomes;
pub mod oversight;
pub mod people;
pub mod webhook_events;
pub mod webhooks;
