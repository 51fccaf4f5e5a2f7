//! API keys and refresh tokens.

use crate::common::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000007_create_credential_tables"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut keys = link_table("api_keys");
        keys.col(uuid("user_id"))
            .col(string_len("name", 200))
            .col(string_len("secret_hash", 64))
            .col(json("scopes"))
            .col(timestamp_with_time_zone_null("expires_at"))
            .col(timestamp_with_time_zone_null("revoked_at"))
            .col(timestamp_with_time_zone_null("last_used_at"))
            .col(uuid("created_by"));
        create(
            manager,
            keys,
            vec![
                fk("api_keys", "user_id", "users", ForeignKeyAction::Cascade),
                fk("api_keys", "created_by", "users", ForeignKeyAction::Restrict),
            ],
            vec![index("api_keys", &["user_id"])],
        )
        .await?;

        let mut tokens = link_table("refresh_tokens");
        tokens
            .col(uuid("user_id"))
            .col(uuid("family_id"))
            .col(string_len_uniq("token_hash", 64))
            .col(timestamp_with_time_zone("expires_at"))
            .col(timestamp_with_time_zone_null("used_at"))
            .col(timestamp_with_time_zone_null("revoked_at"));
        create(
            manager,
            tokens,
            vec![fk("refresh_tokens", "user_id", "users", ForeignKeyAction::Cascade)],
            vec![index("refresh_tokens", &["family_id"]), index("refresh_tokens", &["user_id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["refresh_tokens", "api_keys"]).await
    }
}
