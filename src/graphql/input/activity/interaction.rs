//! Inputs of communication records.

use crate::graphql::types::enums::Channel;
use crate::service::interaction::{InteractionPatch, NewInteraction};
use crate::{enum_filter, lifecycle_inputs};

enum_filter!(InteractionChannelFilter, Channel, entity::enums::Channel);

pub use crate::graphql::types::activity::{InteractionFilter, InteractionOrder, InteractionOrderField};

lifecycle_inputs!(DeleteInteractionInput, RestoreInteractionInput);

crate::service::interaction::interaction_inputs!();
