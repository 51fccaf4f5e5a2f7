//! A sales opportunity (商机) moving through the pipeline.

use crate::enums::DealStage;
use sea_orm::entity::prelude::*;

/// A row of `deals`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "deals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub customer_id: Uuid,
    pub owner_id: Uuid,
    pub title: String,
    pub stage: DealStage,
    /// Ten-thousandths of `currency`; see [`crate::money`].
    pub amount_e4: i64,
    pub currency: String,
    /// Percent, 0 to 100.
    pub probability: i32,
    pub expected_close_date: Option<Date>,
    pub closed_at: Option<DateTimeUtc>,
    pub lost_reason: Option<String>,
    /// Values of the team's custom fields, a JSON object (`service::custom_field`).
    pub custom_fields: Json,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::customer::Entity", from = "Column::CustomerId", to = "super::customer::Column::Id")]
    Customer,
}

impl Related<super::customer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
