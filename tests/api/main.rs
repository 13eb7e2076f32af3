//! One integration-test binary: the real service, a real database per test.

mod analytics;
mod audit;
mod auth;
mod candidates;
mod competencies;
mod debrief;
mod demo;
mod errors;
mod feedback;
mod fixtures;
mod hardening;
mod health;
mod helpers;
mod independence;
mod interviews;
mod loop_access;
mod loops;
mod mail;
mod openapi;
mod process;
mod queries;
mod recruiting;
mod schema;
mod smtp;
mod storage;
mod users;
