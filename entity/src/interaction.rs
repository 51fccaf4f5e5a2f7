//! A communication record (沟通记录): a call, mail, meeting, chat or visit.

use crate::enums::Channel;
use sea_orm::entity::prelude::*;

/// A row of `interactions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "interactions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub customer_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub deal_id: Option<Uuid>,
    /// The service ticket this communication answers.
    pub ticket_id: Option<Uuid>,
    /// Who talked to the customer.
    pub user_id: Uuid,
    pub channel: Channel,
    pub occurred_at: DateTimeUtc,
    pub summary: String,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
    pub next_follow_up_at: Option<DateTimeUtc>,
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
