//! Who changed what: one row per write, in the write's transaction.

use sea_orm::entity::prelude::*;

/// A row of `audit_events`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    /// The API key the request came with (a partner user may hold several).
    pub api_key_id: Option<Uuid>,
    /// `create`, `update`, `delete`, `restore` …
    pub action: String,
    pub entity: String,
    pub entity_id: Uuid,
    /// Names of the fields written (API names; `*`: a whole new record).
    pub fields: Json,
    /// For an update: `[{field, old, new}]` of the fields it changed. Personal values are
    /// among them: they are shown through the field policy and an erasure removes them.
    pub changes: Option<Json>,
    pub request_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
