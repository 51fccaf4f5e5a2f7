//! A person who signs in; the record (not the token) is the source of role and team.

use crate::enums::Role;
use sea_orm::entity::prelude::*;

/// A row of `users`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    pub role: Role,
    pub team_id: Option<Uuid>,
    /// Argon2id PHC string; `None` for users who only sign in through an identity provider.
    pub password_hash: Option<String>,
    pub active: bool,
    /// Senior service staff: urgent tickets of high-value customers are routed to them.
    pub senior: bool,
    /// The subject of this user at an outside identity provider.
    #[sea_orm(unique)]
    pub external_id: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::team::Entity", from = "Column::TeamId", to = "super::team::Column::Id")]
    Team,
}

impl Related<super::team::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Team.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
