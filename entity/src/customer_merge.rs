//! A merge of duplicate customers into a survivor, with what it takes to undo it.

use sea_orm::entity::prelude::*;

/// A row of `customer_merges`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "customer_merges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub survivor_id: Uuid,
    /// The merged customers' ids, a JSON array.
    pub merged_ids: String,
    /// Every customer involved as it was before, a JSON array of rows.
    pub before_image: String,
    /// The child records moved, a JSON array of `{table, from, ids}`.
    pub moves: String,
    /// The survivor's version right after the merge: an undo needs it unchanged since.
    pub survivor_version: i32,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub undone_at: Option<DateTimeUtc>,
    pub undone_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
