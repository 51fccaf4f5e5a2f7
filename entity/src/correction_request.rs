//! A customer's request to correct their record (纠错), open until settled.

use sea_orm::entity::prelude::*;

/// A row of `correction_requests`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "correction_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub customer_id: Uuid,
    /// The customer fields to correct, as the API names them.
    pub fields: Json,
    /// What the customer says is wrong.
    pub note: Option<String>,
    /// The staff member who recorded the request.
    pub requested_by: Uuid,
    pub requested_at: DateTimeUtc,
    /// Settled: by an update of the fields, or closed by hand.
    pub closed_at: Option<DateTimeUtc>,
    pub closed_by: Option<Uuid>,
    pub closing_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
