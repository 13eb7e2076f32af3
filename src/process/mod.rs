//! The process: configuration from the environment, start-up (database,
//! first admin, HTTP server, mail worker), logs, the command line, and the
//! demo, seed and benchmark data it can write.

pub mod bootstrap;
pub mod cli;
pub mod config;
pub mod dataset;
pub mod demo;
pub mod seed;
pub mod startup;
pub mod telemetry;
