//! An after-sales service request and its resolution.

use crate::enums::{TicketCategory, TicketPriority, TicketStatus};
use sea_orm::entity::prelude::*;

/// A row of `tickets`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Human-readable number: `T` + date + sequence.
    #[sea_orm(unique)]
    pub code: String,
    pub customer_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub subject: String,
    pub description: Option<String>,
    pub category: TicketCategory,
    pub priority: TicketPriority,
    pub status: TicketStatus,
    pub opened_at: DateTimeUtc,
    pub first_response_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub due_at: Option<DateTimeUtc>,
    pub resolution: Option<String>,
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
