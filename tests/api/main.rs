//! One integration-test binary: the real service, a real database per test.

mod auth;
mod competencies;
mod errors;
mod health;
mod helpers;
mod mail;
mod process;
mod schema;
mod smtp;
mod users;
