//! An invitation to answer a survey: a one-time token for one customer.

use crate::enums::Channel;
use sea_orm::entity::prelude::*;

/// A row of `survey_invitations`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_invitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub survey_id: Uuid,
    pub customer_id: Uuid,
    /// How the token is sent to the customer.
    pub channel: Channel,
    /// SHA-256 of the token, hex; the token itself is shown once.
    pub token_hash: String,
    pub expires_at: DateTimeUtc,
    pub responded_at: Option<DateTimeUtc>,
    pub response_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
