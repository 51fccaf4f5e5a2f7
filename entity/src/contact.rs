//! A contact person at a (usually company) customer.

use crate::enums::DecisionRole;
use sea_orm::entity::prelude::*;

/// A row of `contacts`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub customer_id: Uuid,
    pub name: String,
    pub title: Option<String>,
    pub decision_role: Option<DecisionRole>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub is_primary: bool,
    pub notes: Option<String>,
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
