//! The audit of personal-data reads: one row per response that carried governed fields
//! unmasked to a caller who does not own the records — who, when, the request, and which
//! records' which fields (`records`, JSON; `record_ids`, the ids as text for look-ups).

use crate::common::{create, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("personal_data_access")
            .col(pk_uuid("id"))
            .col(uuid_null("actor_id"))
            .col(uuid_null("api_key_id"))
            .col(string_len_null("request_id", 64))
            .col(timestamp_with_time_zone("at"))
            .col(json("records"))
            .col(text("record_ids"))
            .to_owned();
        create(manager, table, vec![], vec![index("personal_data_access", &["at"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("personal_data_access").if_exists().to_owned()).await
    }
}
