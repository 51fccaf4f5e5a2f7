//! Old → new values in the audit trail: `audit_events.changes`, a JSON list of
//! `{field, old, new}` for the fields an update changed (personal values among them, which
//! an erasure removes).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let add = Table::alter().table("audit_events").add_column(json_null("changes")).to_owned();
        manager.alter_table(add).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("audit_events").drop_column("changes").to_owned()).await
    }
}
