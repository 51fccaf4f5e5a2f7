//! One entry of the consent ledger: a grant of consent for a purpose (and its withdrawal),
//! or an objection to a purpose that holds until withdrawn.

use crate::enums::{Channel, ConsentPurpose};
use sea_orm::entity::prelude::*;

/// A row of `consents`. Rows are only added; a grant's withdrawal is set once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "consents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub customer_id: Uuid,
    pub purpose: ConsentPurpose,
    /// How the consent was given.
    pub channel: Option<Channel>,
    /// The privacy notice version the customer was shown.
    pub notice_version: Option<i32>,
    /// `None`: an objection to a purpose that holds without a grant.
    pub granted_at: Option<DateTimeUtc>,
    pub withdrawn_at: Option<DateTimeUtc>,
    /// Where the consent came from (a form, a call, an import …).
    pub source: String,
    /// What proves it (a form id, a recording's reference …).
    pub evidence: Option<String>,
    pub granted_by: Option<Uuid>,
    pub withdrawn_by: Option<Uuid>,
    pub withdrawal_source: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
