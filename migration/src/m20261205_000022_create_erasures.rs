//! Erasure (PIPL art. 47, GDPR art. 17): `customers.erased_at` marks a customer whose
//! personal data was anonymised (the record stays, for the non-personal facts reports
//! count), and `erasures` logs each erasure — who, when, why, never what — so that a
//! restore from an older backup can apply them again.

use crate::common::{create, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let add = Table::alter().table("customers").add_column(timestamp_with_time_zone_null("erased_at")).to_owned();
        manager.alter_table(add).await?;
        let table = Table::create()
            .table("erasures")
            .col(pk_uuid("id"))
            .col(uuid("customer_id"))
            .col(string_len("customer_code", 32))
            .col(string_len("reason", 500))
            .col(uuid_null("erased_by"))
            .col(timestamp_with_time_zone("erased_at"))
            .to_owned();
        create(manager, table, vec![], vec![index("erasures", &["customer_id"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("erasures").if_exists().to_owned()).await?;
        manager.alter_table(Table::alter().table("customers").drop_column("erased_at").to_owned()).await
    }
}
