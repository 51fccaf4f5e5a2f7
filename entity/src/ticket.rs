//! An after-sales service request and its resolution.

use crate::enums::{ResolutionOutcome, TicketCategory, TicketPriority, TicketStatus};
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
    /// When the first response is due under the SLA policy.
    pub first_response_due_at: Option<DateTimeUtc>,
    /// When the resolution is due under the SLA policy.
    pub resolution_due_at: Option<DateTimeUtc>,
    /// The first response came (or has not come) after its due time.
    pub first_response_breached: bool,
    /// The resolution came (or has not come) after its due time.
    pub resolution_breached: bool,
    /// The customer's value tier the due times were computed for (`NONE`: unclassified).
    pub sla_tier: Option<String>,
    /// What became of the last resolution (`ResolutionOutcome`).
    pub resolution_outcome: Option<ResolutionOutcome>,
    /// Times the ticket was reopened after a resolution.
    pub reopen_count: i32,
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
