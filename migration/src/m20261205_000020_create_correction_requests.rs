//! Correction requests (纠错): a customer asks for their record to be corrected; the request
//! waits in the owner's follow-up queue until an update of the named fields (or an explicit
//! close) settles it.

use crate::common::{create, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("correction_requests")
            .col(pk_uuid("id"))
            .col(uuid("customer_id"))
            .col(json("fields"))
            .col(text_null("note"))
            .col(uuid("requested_by"))
            .col(timestamp_with_time_zone("requested_at"))
            .col(timestamp_with_time_zone_null("closed_at"))
            .col(uuid_null("closed_by"))
            .col(text_null("closing_note"))
            .to_owned();
        create(
            manager,
            table,
            vec![
                fk("correction_requests", "customer_id", "customers", ForeignKeyAction::Cascade),
                fk("correction_requests", "requested_by", "users", ForeignKeyAction::Restrict),
            ],
            vec![index("correction_requests", &["customer_id", "closed_at"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("correction_requests").if_exists().to_owned()).await
    }
}
