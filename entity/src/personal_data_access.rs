//! One audited read of personal data: a response that carried governed fields unmasked.

use sea_orm::entity::prelude::*;

/// A row of `personal_data_access`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "personal_data_access")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The user (an API key's partner user).
    pub actor_id: Option<Uuid>,
    pub api_key_id: Option<Uuid>,
    pub request_id: Option<String>,
    pub at: DateTimeUtc,
    /// `[{type, id, fields}]`: the records read and their governed fields.
    pub records: Json,
    /// The records' ids, space-separated, for look-ups by record.
    pub record_ids: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
