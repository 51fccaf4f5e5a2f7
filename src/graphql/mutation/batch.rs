//! Batch creates for bulk entry and imports: customers, contacts, interactions and
//! purchases, up to 100 per call, all or nothing.

use crate::graphql::crud::create_many;
use crate::graphql::input::activity::{CreateInteractionInput, CreatePurchaseInput};
use crate::graphql::input::contact::CreateContactInput;
use crate::graphql::input::customer::CreateCustomerInput;
use crate::graphql::types::all::{Contact, Customer, Interaction, Purchase};
use crate::payload;
use async_graphql::{Context, InputObject, Object, Result};

/// Declares the input of a batch create.
macro_rules! batch_input {
    ($name:ident, $item:ty) => {
        #[doc = concat!("Up to 100 items, created together or not at all.")]
        #[derive(InputObject, Debug)]
        pub struct $name {
            /// Idempotency key for the whole batch (the items' own keys are ignored).
            pub client_mutation_id: Option<String>,
            pub items: Vec<$item>,
        }
    };
}

batch_input!(CreateCustomersInput, CreateCustomerInput);
batch_input!(CreateContactsInput, CreateContactInput);
batch_input!(CreateInteractionsInput, CreateInteractionInput);
batch_input!(CreatePurchasesInput, CreatePurchaseInput);

payload!(/// The result of `createCustomers`.
    CreateCustomersPayload { customers: Vec<Customer> });
payload!(/// The result of `createContacts`.
    CreateContactsPayload { contacts: Vec<Contact> });
payload!(/// The result of `createInteractions`.
    CreateInteractionsPayload { interactions: Vec<Interaction> });
payload!(/// The result of `createPurchases`.
    CreatePurchasesPayload { purchases: Vec<Purchase> });

#[derive(Default)]
pub struct BatchMutation;

#[Object]
impl BatchMutation {
    /// Creates up to 100 customers; any invalid item writes none of them.
    async fn create_customers(&self, ctx: &Context<'_>, input: CreateCustomersInput) -> Result<CreateCustomersPayload> {
        create_many(ctx, input.client_mutation_id, input.items, Customer).await
    }

    /// Creates up to 100 contacts; any invalid item writes none of them.
    async fn create_contacts(&self, ctx: &Context<'_>, input: CreateContactsInput) -> Result<CreateContactsPayload> {
        create_many(ctx, input.client_mutation_id, input.items, Contact).await
    }

    /// Logs up to 100 communication records; any invalid item writes none of them.
    async fn create_interactions(
        &self,
        ctx: &Context<'_>,
        input: CreateInteractionsInput,
    ) -> Result<CreateInteractionsPayload> {
        create_many(ctx, input.client_mutation_id, input.items, Interaction).await
    }

    /// Records up to 100 purchases; any invalid item writes none of them.
    async fn create_purchases(&self, ctx: &Context<'_>, input: CreatePurchasesInput) -> Result<CreatePurchasesPayload> {
        create_many(ctx, input.client_mutation_id, input.items, Purchase).await
    }
}
