//! Inputs of feedback.

use super::opt_id;
use crate::graphql::input::patch;
use crate::graphql::types::enums::{FeedbackKind, Sentiment};
use crate::service::feedback::{FeedbackPatch, NewFeedback};
use crate::{enum_filter, lifecycle_inputs};
use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};

enum_filter!(FeedbackKindFilter, FeedbackKind, entity::enums::FeedbackKind);
enum_filter!(SentimentFilter, Sentiment, entity::enums::Sentiment);

pub use crate::graphql::types::activity::{FeedbackFilter, FeedbackOrder, FeedbackOrderField};

lifecycle_inputs!(DeleteFeedbackInput, RestoreFeedbackInput);

/// Praise, a suggestion or a complaint to record.
#[derive(InputObject, Debug, Clone)]
pub struct CreateFeedbackInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub ticket_id: Option<ID>,
    pub kind: FeedbackKind,
    /// From the kind when left out (praise positive, complaint negative).
    pub sentiment: Option<Sentiment>,
    pub content: String,
    pub source: Option<String>,
    /// Now when left out.
    pub received_at: Option<DateTime<Utc>>,
}

/// Changes to a piece of feedback.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateFeedbackInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub kind: Option<FeedbackKind>,
    pub sentiment: Option<Sentiment>,
    pub content: Option<String>,
    pub source: MaybeUndefined<String>,
}

impl From<CreateFeedbackInput> for NewFeedback {
    fn from(input: CreateFeedbackInput) -> Self {
        Self {
            customer_id: opt_id(Some(&input.customer_id), "Customer"),
            ticket_id: opt_id(input.ticket_id.as_ref(), "Ticket"),
            kind: input.kind.into(),
            sentiment: input.sentiment.map(Into::into),
            content: input.content,
            source: input.source,
            received_at: input.received_at,
        }
    }
}

impl From<UpdateFeedbackInput> for FeedbackPatch {
    fn from(input: UpdateFeedbackInput) -> Self {
        Self {
            kind: input.kind.map(Into::into),
            sentiment: input.sentiment.map(Into::into),
            content: input.content,
            source: patch(input.source, |v| v),
        }
    }
}
