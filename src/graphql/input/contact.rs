//! Inputs of contact mutations.

use crate::graphql::types::enums::DecisionRole;
use async_graphql::{ID, InputObject};

/// A contact person to add to a customer.
#[derive(InputObject, Debug)]
pub struct CreateContactInput {
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
