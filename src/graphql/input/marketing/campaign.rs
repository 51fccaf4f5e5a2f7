//! Inputs of campaigns and participations.

use super::*;
use crate::graphql::input::patch;
use crate::graphql::relay::Date;
use crate::graphql::types::enums::{CampaignKind, ParticipationStatus};
use crate::service::campaign::{CampaignPatch, NewCampaign, NewParticipation};
use crate::{enum_filter, lifecycle_inputs};
use async_graphql::{ID, InputObject, MaybeUndefined};

enum_filter!(CampaignKindFilter, CampaignKind, entity::enums::CampaignKind);
enum_filter!(ParticipationStatusFilter, ParticipationStatus, entity::enums::ParticipationStatus);

lifecycle_inputs!(DeleteCampaignInput, RestoreCampaignInput);

/// A marketing activity to plan.
#[derive(InputObject, Debug, Clone)]
pub struct CreateCampaignInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub name: String,
    pub kind: CampaignKind,
    pub description: Option<String>,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
}

/// Changes to a campaign.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateCampaignInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<String>,
    pub kind: Option<CampaignKind>,
    pub description: MaybeUndefined<String>,
    pub starts_on: Option<Date>,
    pub ends_on: MaybeUndefined<Date>,
}

lifecycle_inputs!(DeleteCampaignParticipationInput, RestoreCampaignParticipationInput);

/// Invites or registers a customer for a campaign.
#[derive(InputObject, Debug, Clone)]
pub struct CreateCampaignParticipationInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub campaign_id: ID,
    pub customer_id: ID,
    /// INVITED when left out.
    pub status: Option<ParticipationStatus>,
}

/// Changes a participation's status.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateCampaignParticipationInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub status: ParticipationStatus,
}

impl From<CreateCampaignInput> for NewCampaign {
    fn from(input: CreateCampaignInput) -> Self {
        Self {
            name: input.name,
            kind: input.kind.into(),
            description: input.description,
            starts_on: input.starts_on.0,
            ends_on: input.ends_on.map(|d| d.0),
        }
    }
}

impl From<UpdateCampaignInput> for CampaignPatch {
    fn from(input: UpdateCampaignInput) -> Self {
        Self {
            name: input.name,
            kind: input.kind.map(Into::into),
            description: patch(input.description, |v| v),
            starts_on: input.starts_on.map(|d| d.0),
            ends_on: patch(input.ends_on, |d| d.0),
        }
    }
}

impl From<CreateCampaignParticipationInput> for NewParticipation {
    fn from(input: CreateCampaignParticipationInput) -> Self {
        Self {
            campaign_id: opt_id(Some(&input.campaign_id), "Campaign"),
            customer_id: opt_id(Some(&input.customer_id), "Customer"),
            status: input.status.map(Into::into),
        }
    }
}

/// The status a participation moves to.
impl From<UpdateCampaignParticipationInput> for entity::enums::ParticipationStatus {
    fn from(input: UpdateCampaignParticipationInput) -> Self {
        input.status.into()
    }
}
