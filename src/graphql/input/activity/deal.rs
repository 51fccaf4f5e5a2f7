//! Inputs of deals and the pipeline action.

use super::*;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateFilter, DateTimeFilter, IdFilter, IntFilter, MoneyFilter, StringFilter};
use crate::graphql::input::patch;
use crate::graphql::relay::Date;
use crate::graphql::types::enums::DealStage;
use crate::service::now;
use crate::service::record::{Change, Checked, check_ref};
use crate::service::validate::{Checker, ErrorCode};
use crate::{enum_filter, lifecycle_inputs, record_filter, record_order, set_field};
use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::enums::Role;
use entity::{customer, deal, user};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, DatabaseConnection};

enum_filter!(DealStageFilter, DealStage, entity::enums::DealStage);

record_filter! {
    /// Conditions on deals.
    DealFilter for deal as "Deal" {
        id: IdFilter => Id("Deal"),
        customer_id: IdFilter => CustomerId("Customer"),
        owner_id: IdFilter => OwnerId("User"),
        title: StringFilter => Title,
        stage: DealStageFilter => Stage,
        amount: MoneyFilter => AmountE4,
        currency: StringFilter => Currency,
        probability: IntFilter => Probability,
        expected_close_date: DateFilter => ExpectedCloseDate,
        closed_at: DateTimeFilter => ClosedAt,
        created_at: DateTimeFilter => CreatedAt,
        updated_at: DateTimeFilter => UpdatedAt,
    }
    related {
        customer: CustomerFilter => (deal::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
}

record_order!(DealOrder, DealOrderField for deal as "Deal", default CreatedAt Desc {
    CreatedAt => CreatedAt,
    UpdatedAt => UpdatedAt,
    Title => Title,
    Amount => AmountE4,
    Probability => Probability,
});

lifecycle_inputs!(DeleteDealInput, RestoreDealInput);

/// The default win probability of a stage, in percent.
pub fn stage_probability(stage: entity::enums::DealStage) -> i32 {
    use entity::enums::DealStage as S;
    match stage {
        S::Lead => 10,
        S::Qualified => 25,
        S::Proposal => 50,
        S::Negotiation => 75,
        S::Won => 100,
        S::Lost => 0,
    }
}

/// A deal to open.
#[derive(InputObject, Debug, Clone)]
pub struct CreateDealInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub title: String,
    /// LEAD when left out; close a deal with `moveDealStage`.
    pub stage: Option<DealStage>,
    pub amount: Decimal,
    /// ISO 4217 code; CNY when left out.
    pub currency: Option<String>,
    /// Percent; the stage's default when left out.
    pub probability: Option<i32>,
    pub expected_close_date: Option<Date>,
    /// Owner (admins and managers only); the caller when left out.
    pub owner_id: Option<ID>,
}

impl CreateDealInput {
    /// The row to insert, or the field errors.
    pub async fn into_row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<deal::ActiveModel>> {
        let mut c = Checker::default();
        let customer = check_ref::<customer::Entity>(
            db,
            viewer,
            &mut c,
            "customerId",
            opt_id(Some(&self.customer_id), "Customer"),
        )
        .await?;
        let owner = opt_id(self.owner_id.as_ref(), "User");
        if owner.is_some_and(|o| o != viewer.user_id) && !matches!(viewer.role, Role::Admin | Role::Manager) {
            c.push("ownerId", ErrorCode::Forbidden, "only admins and managers give deals to others");
        }
        let owner =
            check_ref::<user::Entity>(db, viewer, &mut c, "ownerId", owner).await?.map_or(viewer.user_id, |u| u.id);
        let stage: entity::enums::DealStage = self.stage.map_or(entity::enums::DealStage::Lead, Into::into);
        if matches!(stage, entity::enums::DealStage::Won | entity::enums::DealStage::Lost) {
            c.push("stage", ErrorCode::Invalid, "open a deal in an open stage; close it with moveDealStage");
        }
        let ts = now();
        let row = deal::ActiveModel {
            customer_id: Set(customer.map(|m| m.id).unwrap_or_default()),
            owner_id: Set(owner),
            title: Set(c.name("title", &self.title, 200)),
            stage: Set(stage),
            amount_e4: Set(c.money("amount", self.amount)),
            currency: Set(c.currency("currency", self.currency.as_deref(), "CNY")),
            probability: Set(c.int_range("probability", self.probability.unwrap_or(stage_probability(stage)), 0, 100)),
            expected_close_date: Set(self.expected_close_date.map(|d| d.0)),
            closed_at: Set(None),
            lost_reason: Set(None),
            ..entity::record::new_row::<entity::deal::Entity>(ts)
        };
        Ok(c.finish(row))
    }
}

/// Changes to a deal (its stage moves with `moveDealStage`).
#[derive(InputObject, Debug, Clone)]
pub struct UpdateDealInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub title: Option<String>,
    pub amount: Option<Decimal>,
    pub currency: Option<String>,
    pub probability: Option<i32>,
    pub expected_close_date: MaybeUndefined<Date>,
    /// Reassign (admins and managers only).
    pub owner_id: Option<ID>,
}

impl UpdateDealInput {
    /// The change to write.
    pub async fn change(
        self,
        db: &DatabaseConnection,
        viewer: &Viewer,
        current: &deal::Model,
    ) -> AppResult<Change<deal::ActiveModel>> {
        let mut c = Checker::default();
        let mut row = deal::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = &self.title {
            set_field!(row, fields, title, "title", c.name("title", v, 200));
        }
        if let Some(v) = self.amount {
            set_field!(row, fields, amount_e4, "amount", c.money("amount", v));
        }
        if let Some(v) = &self.currency {
            set_field!(row, fields, currency, "currency", c.currency("currency", Some(v), "CNY"));
        }
        if let Some(v) = self.probability {
            set_field!(row, fields, probability, "probability", c.int_range("probability", v, 0, 100));
        }
        if let Some(v) = patch(self.expected_close_date, |d| d.0) {
            set_field!(row, fields, expected_close_date, "expectedCloseDate", v);
        }
        if let Some(owner) = opt_id(self.owner_id.as_ref(), "User").filter(|o| *o != current.owner_id) {
            if !matches!(viewer.role, Role::Admin | Role::Manager) {
                c.push("ownerId", ErrorCode::Forbidden, "only admins and managers reassign deals");
            } else if let Some(u) = check_ref::<user::Entity>(db, viewer, &mut c, "ownerId", Some(owner)).await? {
                set_field!(row, fields, owner_id, "ownerId", u.id);
            }
        }
        Ok(c.finish((row, fields)))
    }
}

/// Moves a deal through the pipeline; WON and LOST close it.
#[derive(InputObject, Debug, Clone)]
pub struct MoveDealStageInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub stage: DealStage,
    /// Required when the stage is LOST.
    pub lost_reason: Option<String>,
    /// The stage's default when left out.
    pub probability: Option<i32>,
}

impl MoveDealStageInput {
    /// The change to write.
    pub fn change(self, current: &deal::Model) -> Change<deal::ActiveModel> {
        use entity::enums::DealStage as S;
        let mut c = Checker::default();
        let mut row = deal::ActiveModel::default();
        let mut fields = Vec::new();
        let stage: S = self.stage.into();
        if matches!(current.stage, S::Won | S::Lost) && stage == current.stage {
            c.push("stage", ErrorCode::InvalidState, "the deal is already in this stage");
        }
        let reason = c.long_text("lostReason", self.lost_reason.as_deref(), 2_000);
        if stage == S::Lost && reason.is_none() {
            c.push("lostReason", ErrorCode::Required, "a lost deal needs a lostReason");
        }
        set_field!(row, fields, stage, "stage", stage);
        set_field!(
            row,
            fields,
            probability,
            "probability",
            c.int_range("probability", self.probability.unwrap_or(stage_probability(stage)), 0, 100)
        );
        let closed = matches!(stage, S::Won | S::Lost);
        set_field!(row, fields, closed_at, "closedAt", closed.then(now));
        set_field!(row, fields, lost_reason, "lostReason", if stage == S::Lost { reason } else { None });
        c.finish((row, fields))
    }
}
