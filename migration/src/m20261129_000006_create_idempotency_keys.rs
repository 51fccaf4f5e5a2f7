//! Idempotency keys of mutations.

use crate::common::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000006_create_idempotency_keys"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut keys = link_table("idempotency_keys");
        keys.col(uuid("user_id"))
            .col(string_len("key", 255))
            .col(string_len("operation", 64))
            .col(text("request"))
            .col(json_null("response"));
        create(
            manager,
            keys,
            vec![fk("idempotency_keys", "user_id", "users", ForeignKeyAction::Cascade)],
            vec![
                index("idempotency_keys", &["user_id", "key"]).unique().to_owned(),
                index("idempotency_keys", &["created_at"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["idempotency_keys"]).await
    }
}
