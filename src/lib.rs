//! barraiser: hiring interview loops run the bar raiser way.
//!
//! The top of the crate reads as its architecture, from the ground up:
//! `domain` (pure types and rules), `db` (storage on two backends),
//! `auth` (sign-in, sessions, tokens), `mail` (messages and their delivery),
//! `webhooks` (signed deliveries to checked addresses),
//! `services` (every rule of the product, one module per capability), `http`
//! (the JSON API) and `web` (the pages), and `process` (configuration,
//! start-up, the command line). `error`, `links`, `metrics` and `state` are
//! shared by several of those layers. See `docs/architecture.md`.

pub mod auth;
pub mod db;
pub mod domain;
pub mod error;
pub mod http;
pub mod links;
pub mod mail;
pub mod metrics;
pub mod process;
pub mod services;
pub mod state;
pub mod urls;
pub mod web;
pub mod webhooks;
