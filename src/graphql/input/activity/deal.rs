//! Inputs of deals and the pipeline action.

use crate::graphql::types::enums::DealStage;
use crate::service::deal::{DealPatch, NewDeal, StageMove};
use crate::{enum_filter, lifecycle_inputs};
use async_graphql::{ID, InputObject};

enum_filter!(DealStageFilter, DealStage, entity::enums::DealStage);

pub use crate::graphql::types::activity::{DealFilter, DealOrder, DealOrderField};

lifecycle_inputs!(DeleteDealInput, RestoreDealInput);

crate::service::deal::deal_inputs!();

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

impl From<MoveDealStageInput> for StageMove {
    fn from(input: MoveDealStageInput) -> Self {
        Self { stage: input.stage.into(), lost_reason: input.lost_reason, probability: input.probability }
    }
}
