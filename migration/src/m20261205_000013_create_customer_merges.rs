//! Merges of duplicate customers, kept so they can be undone exactly: who merged what into
//! which survivor, the before-image of every customer involved, and which child records
//! moved from which customer. Merged customers become tombstones pointing at the survivor.

use crate::common::{create, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let merges = Table::create()
            .table("customer_merges")
            .col(pk_uuid("id"))
            .col(uuid("survivor_id"))
            .col(text("merged_ids"))
            .col(text("before_image"))
            .col(text("moves"))
            .col(integer("survivor_version"))
            .col(uuid("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("undone_at"))
            .col(uuid_null("undone_by"))
            .to_owned();
        create(
            manager,
            merges,
            vec![fk("customer_merges", "survivor_id", "customers", ForeignKeyAction::Cascade)],
            vec![index("customer_merges", &["survivor_id"])],
        )
        .await?;
        let mut column = uuid_null("merged_into");
        manager.alter_table(Table::alter().table("customers").add_column(&mut column).to_owned()).await?;
        manager.create_index(index("customers", &["merged_into"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_customers_merged_into").table("customers").if_exists().to_owned())
            .await?;
        manager.alter_table(Table::alter().table("customers").drop_column("merged_into").to_owned()).await?;
        manager.drop_table(Table::drop().table("customer_merges").if_exists().to_owned()).await?;
        Ok(())
    }
}
