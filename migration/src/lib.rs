//! Clientele's schema migrations: one source for SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod common;
mod m20261129_000001_create_teams_and_users;
mod m20261129_000002_create_customers_and_contacts;
mod m20261129_000003_create_activity_tables;
mod m20261129_000004_create_marketing_tables;
mod m20261129_000005_create_system_tables;
mod m20261129_000006_create_idempotency_keys;
mod m20261129_000007_create_credential_tables;
mod m20261129_000008_add_owner_list_indexes;
mod m20261204_000009_add_customer_duplicate_guard;
mod m20261205_000010_create_classification_tables;
mod m20261205_000011_create_segments_and_reviews;
mod m20261205_000012_add_customer_match_keys;
mod m20261205_000013_create_customer_merges;
mod m20261205_000014_create_custom_field_definitions;
mod m20261205_000015_add_custom_fields_to_contacts_deals_tickets;
mod m20261205_000016_create_service_levels;
mod m20261205_000017_create_survey_invitations;
mod m20261205_000018_create_report_summaries;
mod m20261205_000019_add_audit_changes;
mod m20261205_000020_create_correction_requests;
mod m20261205_000021_create_consent_ledger;
mod m20261205_000022_create_erasures;
mod m20261205_000023_add_audit_api_key;
mod m20261205_000024_create_personal_data_access;

/// Refills the dashboard summaries from the records (see the migration that made them).
pub use m20261205_000018_create_report_summaries::rebuild as rebuild_summaries;
/// Gives customers marked as consenting to marketing their MARKETING grant in the ledger.
pub use m20261205_000021_create_consent_ledger::backfill as backfill_consents;

/// The ordered list of migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_create_teams_and_users::Migration),
            Box::new(m20261129_000002_create_customers_and_contacts::Migration),
            Box::new(m20261129_000003_create_activity_tables::Migration),
            Box::new(m20261129_000004_create_marketing_tables::Migration),
            Box::new(m20261129_000005_create_system_tables::Migration),
            Box::new(m20261129_000006_create_idempotency_keys::Migration),
            Box::new(m20261129_000007_create_credential_tables::Migration),
            Box::new(m20261129_000008_add_owner_list_indexes::Migration),
            Box::new(m20261204_000009_add_customer_duplicate_guard::Migration),
            Box::new(m20261205_000010_create_classification_tables::Migration),
            Box::new(m20261205_000011_create_segments_and_reviews::Migration),
            Box::new(m20261205_000012_add_customer_match_keys::Migration),
            Box::new(m20261205_000013_create_customer_merges::Migration),
            Box::new(m20261205_000014_create_custom_field_definitions::Migration),
            Box::new(m20261205_000015_add_custom_fields_to_contacts_deals_tickets::Migration),
            Box::new(m20261205_000016_create_service_levels::Migration),
            Box::new(m20261205_000017_create_survey_invitations::Migration),
            Box::new(m20261205_000018_create_report_summaries::Migration),
            Box::new(m20261205_000019_add_audit_changes::Migration),
            Box::new(m20261205_000020_create_correction_requests::Migration),
            Box::new(m20261205_000021_create_consent_ledger::Migration),
            Box::new(m20261205_000022_create_erasures::Migration),
            Box::new(m20261205_000023_add_audit_api_key::Migration),
            Box::new(m20261205_000024_create_personal_data_access::Migration),
        ]
    }
}
