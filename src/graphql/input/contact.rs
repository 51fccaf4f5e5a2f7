//! Inputs of contact queries and mutations.

use super::patch;
use crate::graphql::relay::expect_id;
use crate::graphql::types::enums::DecisionRole;
use crate::service::contact::{ContactPatch, NewContact};
use crate::{enum_filter, lifecycle_inputs};
use async_graphql::{ID, InputObject, MaybeUndefined};

enum_filter!(DecisionRoleFilter, DecisionRole, entity::enums::DecisionRole);

pub use crate::graphql::types::contact::{ContactFilter, ContactOrder, ContactOrderField};

lifecycle_inputs!(DeleteContactInput, RestoreContactInput);

/// A contact person to add to a customer.
#[derive(InputObject, Debug, Clone)]
pub struct CreateContactInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    /// The customer's global ID.
    pub customer_id: ID,
    pub name: String,
    pub title: Option<String>,
    pub decision_role: Option<DecisionRole>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Makes this the customer's main contact (the previous one is demoted).
    #[graphql(default)]
    pub is_primary: bool,
    pub notes: Option<String>,
}

/// Changes to a contact. Fields left out stay; an explicit `null` clears.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateContactInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    /// The `version` the change was made against; another version is `STALE_VERSION`.
    pub expected_version: i32,
    pub name: Option<String>,
    pub title: MaybeUndefined<String>,
    pub decision_role: MaybeUndefined<DecisionRole>,
    pub phone: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    pub is_primary: Option<bool>,
    pub notes: MaybeUndefined<String>,
}

impl From<CreateContactInput> for NewContact {
    fn from(input: CreateContactInput) -> Self {
        Self {
            customer_id: expect_id(&input.customer_id, "Customer").ok(),
            name: input.name,
            title: input.title,
            decision_role: input.decision_role.map(Into::into),
            phone: input.phone,
            email: input.email,
            is_primary: input.is_primary,
            notes: input.notes,
        }
    }
}

impl From<UpdateContactInput> for ContactPatch {
    fn from(input: UpdateContactInput) -> Self {
        Self {
            name: input.name,
            title: patch(input.title, |v| v),
            decision_role: patch(input.decision_role, Into::into),
            phone: patch(input.phone, |v| v),
            email: patch(input.email, |v| v),
            is_primary: input.is_primary,
            notes: patch(input.notes, |v| v),
        }
    }
}
