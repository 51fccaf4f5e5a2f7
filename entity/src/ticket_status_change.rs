//! One move of a ticket from a status to another: who, when.

use crate::enums::TicketStatus;
use sea_orm::entity::prelude::*;

/// A row of `ticket_status_changes`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "ticket_status_changes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub ticket_id: Uuid,
    /// `None` when the ticket was opened.
    pub from_status: Option<TicketStatus>,
    pub to_status: TicketStatus,
    /// The user who moved it (`None`: the server, e.g. an automatic close).
    pub actor_id: Option<Uuid>,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
