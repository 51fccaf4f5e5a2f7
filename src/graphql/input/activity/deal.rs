//! Inputs of deals and the pipeline action.

use super::opt_id;
use crate::graphql::input::patch;
use crate::graphql::relay::Date;
use crate::graphql::types::enums::DealStage;
use crate::service::deal::{DealPatch, NewDeal, StageMove};
use crate::{enum_filter, lifecycle_inputs};
use async_graphql::{ID, InputObject, MaybeUndefined};
use rust_decimal::Decimal;

enum_filter!(DealStageFilter, DealStage, entity::enums::DealStage);

pub use crate::graphql::types::activity::{DealFilter, DealOrder, DealOrderField};

lifecycle_inputs!(DeleteDealInput, RestoreDealInput);

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

impl From<CreateDealInput> for NewDeal {
    fn from(input: CreateDealInput) -> Self {
        Self {
            customer_id: opt_id(Some(&input.customer_id), "Customer"),
            title: input.title,
            stage: input.stage.map(Into::into),
            amount: input.amount,
            currency: input.currency,
            probability: input.probability,
            expected_close_date: input.expected_close_date.map(|d| d.0),
            owner_id: opt_id(input.owner_id.as_ref(), "User"),
        }
    }
}

impl From<UpdateDealInput> for DealPatch {
    fn from(input: UpdateDealInput) -> Self {
        Self {
            title: input.title,
            amount: input.amount,
            currency: input.currency,
            probability: input.probability,
            expected_close_date: patch(input.expected_close_date, |d| d.0),
            owner_id: opt_id(input.owner_id.as_ref(), "User"),
        }
    }
}

impl From<MoveDealStageInput> for StageMove {
    fn from(input: MoveDealStageInput) -> Self {
        Self { stage: input.stage.into(), lost_reason: input.lost_reason, probability: input.probability }
    }
}
