//! Inputs of campaigns and participations.

use crate::graphql::types::enums::{CampaignKind, ParticipationStatus};
use crate::service::campaign::{CampaignPatch, NewCampaign, NewParticipation};
use crate::{enum_filter, lifecycle_inputs};
use async_graphql::{ID, InputObject};

enum_filter!(CampaignKindFilter, CampaignKind, entity::enums::CampaignKind);
enum_filter!(ParticipationStatusFilter, ParticipationStatus, entity::enums::ParticipationStatus);

lifecycle_inputs!(DeleteCampaignInput, RestoreCampaignInput);

crate::service::campaign::campaign_inputs!();

lifecycle_inputs!(DeleteCampaignParticipationInput, RestoreCampaignParticipationInput);

crate::service::campaign::participation_inputs!();

/// Changes a participation's status.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateCampaignParticipationInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub status: ParticipationStatus,
}

/// The status a participation moves to.
impl From<UpdateCampaignParticipationInput> for entity::enums::ParticipationStatus {
    fn from(input: UpdateCampaignParticipationInput) -> Self {
        input.status.into()
    }
}
