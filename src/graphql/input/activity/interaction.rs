//! Inputs of communication records.

use super::opt_id;
use crate::graphql::input::patch;
use crate::graphql::types::enums::Channel;
use crate::service::interaction::{InteractionPatch, NewInteraction};
use crate::{enum_filter, lifecycle_inputs};
use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};

enum_filter!(InteractionChannelFilter, Channel, entity::enums::Channel);

pub use crate::graphql::types::activity::{InteractionFilter, InteractionOrder, InteractionOrderField};

lifecycle_inputs!(DeleteInteractionInput, RestoreInteractionInput);

/// A communication record to log.
#[derive(InputObject, Debug, Clone)]
pub struct CreateInteractionInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub contact_id: Option<ID>,
    pub deal_id: Option<ID>,
    pub channel: Channel,
    /// When it happened; now when left out.
    pub occurred_at: Option<DateTime<Utc>>,
    pub summary: String,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
    pub next_follow_up_at: Option<DateTime<Utc>>,
}

/// Changes to a communication record.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateInteractionInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub channel: Option<Channel>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub summary: Option<String>,
    pub outcome: MaybeUndefined<String>,
    pub next_step: MaybeUndefined<String>,
    pub next_follow_up_at: MaybeUndefined<DateTime<Utc>>,
}

impl From<CreateInteractionInput> for NewInteraction {
    fn from(input: CreateInteractionInput) -> Self {
        Self {
            customer_id: opt_id(Some(&input.customer_id), "Customer"),
            contact_id: opt_id(input.contact_id.as_ref(), "Contact"),
            deal_id: opt_id(input.deal_id.as_ref(), "Deal"),
            channel: input.channel.into(),
            occurred_at: input.occurred_at,
            summary: input.summary,
            outcome: input.outcome,
            next_step: input.next_step,
            next_follow_up_at: input.next_follow_up_at,
        }
    }
}

impl From<UpdateInteractionInput> for InteractionPatch {
    fn from(input: UpdateInteractionInput) -> Self {
        Self {
            channel: input.channel.map(Into::into),
            occurred_at: input.occurred_at,
            summary: input.summary,
            outcome: patch(input.outcome, |v| v),
            next_step: patch(input.next_step, |v| v),
            next_follow_up_at: patch(input.next_follow_up_at, |v| v),
        }
    }
}
