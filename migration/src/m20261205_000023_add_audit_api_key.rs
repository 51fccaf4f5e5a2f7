//! The API key an audited write came with (`audit_events.api_key_id`): a partner user may
//! hold several keys, and the audit names the one used.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("audit_events").add_column(uuid_null("api_key_id")).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("audit_events").drop_column("api_key_id").to_owned()).await
    }
}
