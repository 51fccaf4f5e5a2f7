//! The erasure log: which customer was erased, when, by whom and why — never what.

use sea_orm::entity::prelude::*;

/// A row of `erasures`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "erasures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub customer_id: Uuid,
    pub customer_code: String,
    pub reason: String,
    /// `None`: from the command line.
    pub erased_by: Option<Uuid>,
    pub erased_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
