//! barraiser: hiring interview loops run the bar raiser way.
//!
//! See `docs/architecture.md` for how the modules fit together.

pub mod accounts;
pub mod agenda;
pub mod analytics;
pub mod auth;
pub mod bootstrap;
pub mod cli;
pub mod config;
pub mod dataset;
pub mod db;
pub mod debrief;
pub mod demo;
pub mod domain;
pub mod error;
pub mod feedback;
pub mod hiring;
pub mod http;
pub mod links;
pub mod mail;
pub mod metrics;
pub mod org;
pub mod people;
pub mod rubrics;
pub mod seed;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;
