//! A mutation's idempotency key (`clientMutationId`) and the result it produced.

use sea_orm::entity::prelude::*;

/// A row of `idempotency_keys`; one per user and key.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub key: String,
    /// The mutation field name.
    pub operation: String,
    /// The canonical input the key was first used with.
    pub request: String,
    /// The payload to replay; `None` while the first request is still running.
    pub response: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
