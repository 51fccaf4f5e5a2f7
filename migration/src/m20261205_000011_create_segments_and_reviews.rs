//! Saved segments (a stored customer filter, evaluated live) and customer reviews (the
//! periodic check that a record is still current), with the customer's last review time.

use crate::common::{create, fk, index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut segments = record_table("segments");
        segments.col(string_len("name", 100)).col(text_null("description")).col(text("filter")).col(uuid("created_by"));
        create(
            manager,
            segments,
            vec![fk("segments", "created_by", "users", ForeignKeyAction::Restrict)],
            vec![index("segments", &["name"])],
        )
        .await?;

        let reviews = Table::create()
            .table("customer_reviews")
            .col(pk_uuid("id"))
            .col(uuid("customer_id"))
            .col(uuid("reviewer_id"))
            .col(text_null("note"))
            .col(timestamp_with_time_zone("reviewed_at"))
            .to_owned();
        create(
            manager,
            reviews,
            vec![
                fk("customer_reviews", "customer_id", "customers", ForeignKeyAction::Cascade),
                fk("customer_reviews", "reviewer_id", "users", ForeignKeyAction::Restrict),
            ],
            vec![index("customer_reviews", &["customer_id", "reviewed_at"])],
        )
        .await?;

        let mut column = timestamp_with_time_zone_null("last_reviewed_at");
        manager.alter_table(Table::alter().table("customers").add_column(&mut column).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("customers").drop_column("last_reviewed_at").to_owned()).await?;
        for table in ["customer_reviews", "segments"] {
            manager.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
