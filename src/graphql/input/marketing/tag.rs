//! Inputs of tags and tagging.

use crate::lifecycle_inputs;
use crate::service::tag::{NewTag, TagPatch};
use async_graphql::{ID, InputObject};

lifecycle_inputs!(DeleteTagInput, RestoreTagInput);

crate::service::tag::tag_inputs!();

/// Tags to put on or take off a customer.
#[derive(InputObject, Debug, Clone)]
pub struct CustomerTagsInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub tag_ids: Vec<ID>,
}
