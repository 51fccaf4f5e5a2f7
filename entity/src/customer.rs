//! A customer record (客户档案): a person or a company, owned by one user.

use crate::enums::{
    Channel, CustomerKind, CustomerSource, Gender, Industry, LifecycleStage, NeedPriority, NeedUrgency, ValueTier,
};
use sea_orm::entity::prelude::*;

/// A row of `customers`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Human-readable number: `C` + date + sequence, e.g. `C20261129001`.
    #[sea_orm(unique)]
    pub code: String,
    pub kind: CustomerKind,
    pub name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<Date>,
    pub occupation: Option<String>,
    pub company_name: Option<String>,
    pub industry: Option<Industry>,
    pub region: Option<String>,
    pub company_size: Option<i32>,
    pub address: Option<String>,
    /// E.164, e.g. `+8613812345678`.
    pub phone: Option<String>,
    /// Lower-cased.
    pub email: Option<String>,
    pub preferred_channel: Option<Channel>,
    /// A JSON array of strings (brands, colours, features …).
    pub preferences: Json,
    pub potential_needs: Option<String>,
    /// How soon the potential need matters (with [`Model::need_expected_date`], it makes
    /// the need urgent or routine).
    pub need_priority: Option<NeedPriority>,
    /// When the customer expects to act on the potential need.
    pub need_expected_date: Option<Date>,
    /// Computed by the classification (URGENT / ROUTINE), `None` without a need.
    pub need_urgency: Option<NeedUrgency>,
    pub notes: Option<String>,
    pub source: CustomerSource,
    pub owner_id: Uuid,
    /// Derived from the consent ledger: a live MARKETING grant.
    pub marketing_consent: bool,
    /// When the live MARKETING grant was given.
    pub consent_at: Option<DateTimeUtc>,
    /// Derived from the consent ledger: a live PARTNER_SHARING grant.
    pub partner_sharing_consent: bool,
    /// Derived from the consent ledger: ANALYTICS not withdrawn.
    pub analytics_allowed: bool,
    /// Derived from the consent ledger: PROFILING not withdrawn.
    pub profiling_allowed: bool,
    pub lifecycle_stage: LifecycleStage,
    pub value_tier: Option<ValueTier>,
    pub next_follow_up_at: Option<DateTimeUtc>,
    pub last_interaction_at: Option<DateTimeUtc>,
    /// When the record was last reviewed (`markReviewed`); reviews fall due from it.
    pub last_reviewed_at: Option<DateTimeUtc>,
    /// Room for fields a team adds without a schema change: a JSON object.
    pub custom_fields: Json,
    /// The folded name, its pinyin and the company without its legal suffix, for finding
    /// duplicates (`service::duplicate::keys`); `None` until filled.
    pub match_name: Option<String>,
    pub match_pinyin: Option<String>,
    pub match_company: Option<String>,
    /// Merged into this customer (`mergeCustomers`): the record is a tombstone.
    pub merged_into: Option<Uuid>,
    /// Its personal data was erased (`eraseCustomer`): an anonymous record kept for the
    /// non-personal facts under it.
    pub erased_at: Option<DateTimeUtc>,
    /// Created with `allowDuplicate`: exempt from the live phone/email uniqueness.
    pub duplicate_allowed: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::user::Entity", from = "Column::OwnerId", to = "super::user::Column::Id")]
    Owner,
    #[sea_orm(has_many = "super::contact::Entity")]
    Contacts,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Owner.def()
    }
}

impl Related<super::contact::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Contacts.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// Row scope: the customers a user with `role` may see.
///
/// ADMIN, SERVICE and ANALYST: all; MANAGER: those owned by a member of their team;
/// SALES: their own; MARKETING: only those with a live MARKETING consent; PARTNER (an API
/// key, whose scopes decide the record families): only those with a live PARTNER_SHARING
/// consent.
pub fn visible_to(role: crate::enums::Role, user_id: Uuid, team_id: Option<Uuid>) -> sea_orm::Condition {
    use crate::enums::Role;
    use sea_orm::Condition;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    match role {
        Role::Admin | Role::Service | Role::Analyst => Condition::all(),
        Role::Sales => Condition::all().add(Column::OwnerId.eq(user_id)),
        Role::Manager => {
            let Some(team_id) = team_id else {
                return Condition::all().add(Column::OwnerId.eq(user_id));
            };
            let members = Query::select()
                .column(super::user::Column::Id)
                .from(super::user::Entity)
                .and_where(Expr::col(super::user::Column::TeamId).eq(team_id))
                .to_owned();
            Condition::any().add(Column::OwnerId.eq(user_id)).add(Column::OwnerId.in_subquery(members))
        }
        Role::Marketing => Condition::all().add(Column::MarketingConsent.eq(true)),
        Role::Partner => Condition::all().add(Column::PartnerSharingConsent.eq(true)),
    }
}
