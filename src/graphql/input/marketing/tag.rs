//! Inputs of tags and tagging.

use crate::graphql::input::patch;
use crate::lifecycle_inputs;
use crate::service::tag::{NewTag, TagPatch};
use async_graphql::{ID, InputObject, MaybeUndefined};

lifecycle_inputs!(DeleteTagInput, RestoreTagInput);

/// A classification tag.
#[derive(InputObject, Debug, Clone)]
pub struct CreateTagInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub name: String,
    /// e.g. `value`, `lifecycle`, `industry`, `needs`, `behaviour`.
    pub dimension: String,
    /// `#rrggbb`.
    pub color: Option<String>,
}

/// Changes to a tag.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateTagInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<String>,
    pub color: MaybeUndefined<String>,
}

/// Tags to put on or take off a customer.
#[derive(InputObject, Debug, Clone)]
pub struct CustomerTagsInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub tag_ids: Vec<ID>,
}

impl From<CreateTagInput> for NewTag {
    fn from(input: CreateTagInput) -> Self {
        Self { name: input.name, dimension: input.dimension, color: input.color }
    }
}

impl From<UpdateTagInput> for TagPatch {
    fn from(input: UpdateTagInput) -> Self {
        Self { name: input.name, color: patch(input.color, |v| v) }
    }
}
