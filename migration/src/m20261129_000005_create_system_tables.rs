//! Settings, number sequences and the audit trail.

use crate::common::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000005_create_system_tables"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let settings = Table::create()
            .table("settings")
            .col(string_len("key", 100).primary_key())
            .col(text("value"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .to_owned();
        create(manager, settings, vec![], vec![]).await?;

        // Counters behind human-readable numbers (`C20261129001`): one row per prefix,
        // bumped with a single atomic upsert.
        let sequences = Table::create()
            .table("sequences")
            .col(string_len("name", 64).primary_key())
            .col(big_integer("value"))
            .to_owned();
        create(manager, sequences, vec![], vec![]).await?;

        let mut audit = link_table("audit_events");
        audit
            .col(uuid_null("actor_id"))
            .col(string_len("action", 32))
            .col(string_len("entity", 64))
            .col(uuid("entity_id"))
            .col(json("fields"))
            .col(string_len_null("request_id", 64));
        create(
            manager,
            audit,
            vec![],
            vec![index("audit_events", &["entity", "entity_id"]), index("audit_events", &["actor_id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["audit_events", "sequences", "settings"]).await
    }
}
