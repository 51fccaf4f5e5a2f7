//! End-to-end tests: the real server on 127.0.0.1:0 with a fresh database (a temp SQLite
//! file, or a new PostgreSQL database when CLIENTELE_TEST_DATABASE_URL is set).
#![expect(clippy::unwrap_used, reason = "a test that cannot go on should fail loudly")]

mod access;
mod access_log;
mod actions;
mod audit_trail;
mod auth;
mod classification;
mod cli;
mod consents;
mod corrections;
mod custom_field_sort;
mod custom_fields;
mod customers;
mod direct;
mod duplicates;
mod engine;
mod follow_ups;
mod gate;
mod habits;
mod health;
mod helpers;
mod interactions;
mod lists;
mod loaders;
mod merges;
mod oidc;
mod pagination;
mod records;
mod report_demo;
mod reports;
mod retention;
mod robustness;
mod rows;
mod satisfaction;
mod segments;
mod service_levels;
mod sessions;
mod subjects;
mod summaries;
mod ticket_volume;
mod tls;
