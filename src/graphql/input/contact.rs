//! Inputs of contact queries and mutations.

use crate::graphql::types::enums::DecisionRole;
use crate::service::contact::{ContactPatch, NewContact};
use crate::{enum_filter, lifecycle_inputs};

enum_filter!(DecisionRoleFilter, DecisionRole, entity::enums::DecisionRole);

pub use crate::graphql::types::contact::{ContactFilter, ContactOrder, ContactOrderField};

lifecycle_inputs!(DeleteContactInput, RestoreContactInput);

crate::service::contact::contact_inputs!();
