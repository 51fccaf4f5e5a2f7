//! Root mutations, merged from one object per domain noun.

mod contact;
mod customer;

use async_graphql::MergedObject;

/// The mutation root.
#[derive(MergedObject, Default)]
pub struct MutationRoot(customer::CustomerMutation, contact::ContactMutation);
