//! Survey invitations: one-time respondent tokens (stored as SHA-256 hashes) that let a
//! customer answer a survey without an account, expiring, used once.

use crate::common::{code, create, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let invitations = Table::create()
            .table("survey_invitations")
            .col(pk_uuid("id"))
            .col(uuid("survey_id"))
            .col(uuid("customer_id"))
            .col(code("channel"))
            .col(string_len_uniq("token_hash", 64))
            .col(timestamp_with_time_zone("expires_at"))
            .col(timestamp_with_time_zone_null("responded_at"))
            .col(uuid_null("response_id"))
            .col(uuid("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .to_owned();
        create(
            manager,
            invitations,
            vec![
                fk("survey_invitations", "survey_id", "surveys", ForeignKeyAction::Cascade),
                fk("survey_invitations", "customer_id", "customers", ForeignKeyAction::Cascade),
                fk("survey_invitations", "created_by", "users", ForeignKeyAction::Restrict),
            ],
            vec![index("survey_invitations", &["survey_id", "customer_id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("survey_invitations").if_exists().to_owned()).await
    }
}
