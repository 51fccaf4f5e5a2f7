//! Deals: opening one, changing it, moving it through the pipeline.

use super::now;
use super::record::{Change, Checked, check_ref};
use super::validate::{Checker, ErrorCode};
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::custom_field;
use crate::set_field;
use entity::enums::CustomRecordType;
use entity::enums::{DealStage, Role};
use entity::{customer, deal, user};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

crate::writes! {
    inputs deal_inputs;
    /// A deal to open.
    create NewDeal as CreateDealInput;
    /// Changes to a deal (its stage moves with `moveDealStage`).
    update DealPatch as UpdateDealInput;
    fields {
        customer_id: Id(Customer) [create required];
        title: Text [create required] [update set];
        stage: Enum(DealStage) [create optional "LEAD when left out; close a deal with `moveDealStage`."];
        amount: Money [create required] [update set];
        currency: Text [create optional "ISO 4217 code; CNY when left out."] [update set];
        probability: Int [create optional "Percent; the stage's default when left out."] [update set];
        expected_close_date: Date [create optional] [update clear];
        owner_id: Id(User) [create optional "Owner (admins and managers only); the caller when left out."]
            [update set "Reassign (admins and managers only)."];
        /// Values of custom fields (`customFieldDefinitions`); on update, the given keys
        /// change (`null` clears), the rest stay.
        custom_fields: Each(crate::graphql::types::custom_field::CustomFieldValueInput, crate::service::custom_field::values::FieldValue)
            [create default] [update set];
    }
}

/// A move through the pipeline; WON and LOST close the deal.
#[derive(Debug, Clone)]
pub struct StageMove {
    pub stage: DealStage,
    pub lost_reason: Option<String>,
    pub probability: Option<i32>,
}

/// The default win probability of a stage, in percent.
pub fn stage_probability(stage: DealStage) -> i32 {
    match stage {
        DealStage::Lead => 10,
        DealStage::Qualified => 25,
        DealStage::Proposal => 50,
        DealStage::Negotiation => 75,
        DealStage::Won => 100,
        DealStage::Lost => 0,
    }
}

/// The row of a new deal, owned by the viewer unless an admin or manager names another
/// owner, or the field errors.
pub async fn prepare(db: &DatabaseConnection, viewer: &Viewer, new: NewDeal) -> AppResult<Checked<deal::ActiveModel>> {
    let mut c = Checker::default();
    let customer = check_ref::<customer::Entity>(db, viewer, &mut c, "customerId", new.customer_id).await?;
    if new.owner_id.is_some_and(|o| o != viewer.user_id) && !matches!(viewer.role, Role::Admin | Role::Manager) {
        c.push("ownerId", ErrorCode::Forbidden, "only admins and managers give deals to others");
    }
    let owner =
        check_ref::<user::Entity>(db, viewer, &mut c, "ownerId", new.owner_id).await?.map_or(viewer.user_id, |u| u.id);
    let stage = new.stage.unwrap_or(DealStage::Lead);
    if matches!(stage, DealStage::Won | DealStage::Lost) {
        c.push("stage", ErrorCode::Invalid, "open a deal in an open stage; close it with moveDealStage");
    }
    let custom = custom_field::for_new(db, &mut c, CustomRecordType::Deal, &new.custom_fields).await?;
    let row = deal::ActiveModel {
        custom_fields: Set(custom),
        customer_id: Set(customer.map(|m| m.id).unwrap_or_default()),
        owner_id: Set(owner),
        title: Set(c.name("title", &new.title, 200)),
        stage: Set(stage),
        amount_e4: Set(c.money("amount", new.amount)),
        currency: Set(c.currency("currency", new.currency.as_deref(), "CNY")),
        probability: Set(c.int_range("probability", new.probability.unwrap_or(stage_probability(stage)), 0, 100)),
        expected_close_date: Set(new.expected_close_date),
        closed_at: Set(None),
        lost_reason: Set(None),
        ..entity::record::new_row::<deal::Entity>(now())
    };
    Ok(c.finish(row))
}

/// The change `patch` makes to `current` (its stage moves with [`move_stage`]).
pub async fn change(
    db: &DatabaseConnection,
    viewer: &Viewer,
    current: &deal::Model,
    patch: DealPatch,
) -> AppResult<Change<deal::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = deal::ActiveModel::default();
    let mut fields = Vec::new();
    if let Some(v) = &patch.title {
        set_field!(row, fields, title, "title", c.name("title", v, 200));
    }
    if let Some(v) = patch.amount {
        set_field!(row, fields, amount_e4, "amount", c.money("amount", v));
    }
    if let Some(v) = &patch.currency {
        set_field!(row, fields, currency, "currency", c.currency("currency", Some(v), "CNY"));
    }
    if let Some(v) = patch.probability {
        set_field!(row, fields, probability, "probability", c.int_range("probability", v, 0, 100));
    }
    if let Some(v) = patch.expected_close_date {
        set_field!(row, fields, expected_close_date, "expectedCloseDate", v);
    }
    if let Some(given) = &patch.custom_fields {
        let v = custom_field::for_change(db, &mut c, CustomRecordType::Deal, &current.custom_fields, given).await?;
        set_field!(row, fields, custom_fields, "customFields", v);
    }
    if let Some(owner) = patch.owner_id.filter(|o| *o != current.owner_id) {
        if !matches!(viewer.role, Role::Admin | Role::Manager) {
            c.push("ownerId", ErrorCode::Forbidden, "only admins and managers reassign deals");
        } else if let Some(u) = check_ref::<user::Entity>(db, viewer, &mut c, "ownerId", Some(owner)).await? {
            set_field!(row, fields, owner_id, "ownerId", u.id);
        }
    }
    Ok(c.finish((row, fields)))
}

/// Moves `current` to another stage; a lost deal needs its reason.
pub async fn move_stage(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    current: &deal::Model,
    to: StageMove,
) -> AppResult<Change<deal::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = deal::ActiveModel::default();
    let mut fields = Vec::new();
    let stage = to.stage;
    if matches!(current.stage, DealStage::Won | DealStage::Lost) && stage == current.stage {
        c.push("stage", ErrorCode::InvalidState, "the deal is already in this stage");
    }
    let reason = c.long_text("lostReason", to.lost_reason.as_deref(), 2_000);
    if stage == DealStage::Lost && reason.is_none() {
        c.push("lostReason", ErrorCode::Required, "a lost deal needs a lostReason");
    }
    set_field!(row, fields, stage, "stage", stage);
    let probability = c.int_range("probability", to.probability.unwrap_or(stage_probability(stage)), 0, 100);
    set_field!(row, fields, probability, "probability", probability);
    let closed = matches!(stage, DealStage::Won | DealStage::Lost);
    set_field!(row, fields, closed_at, "closedAt", closed.then(now));
    set_field!(row, fields, lost_reason, "lostReason", if stage == DealStage::Lost { reason } else { None });
    Ok(c.finish((row, fields)))
}
