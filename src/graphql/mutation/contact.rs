//! Contact mutations.

use crate::graphql::context;
use crate::graphql::input::contact::CreateContactInput;
use crate::graphql::relay::expect_id;
use crate::graphql::types::contact::Contact;
use crate::graphql::types::user_error::{UserError, user_errors};
use crate::service::contact::{self, NewContact};
use async_graphql::{Context, Object, Result, SimpleObject};

/// The result of `createContact`.
#[derive(SimpleObject)]
pub struct CreateContactPayload {
    /// The contact as stored; `null` when nothing was written.
    pub contact: Option<Contact>,
    /// Expected business outcomes that stopped the write.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct ContactMutation;

#[Object]
impl ContactMutation {
    /// Adds a contact person to a customer.
    async fn create_contact(&self, ctx: &Context<'_>, input: CreateContactInput) -> Result<CreateContactPayload> {
        let viewer = context::viewer(ctx)?;
        let new = NewContact {
            customer_id: expect_id(&input.customer_id, "Customer").unwrap_or_default(),
            name: input.name,
            title: input.title,
            decision_role: input.decision_role.map(Into::into),
            phone: input.phone,
            email: input.email,
            is_primary: input.is_primary,
            notes: input.notes,
        };
        Ok(match contact::create(context::db(ctx)?, viewer, new).await? {
            Ok(m) => CreateContactPayload { contact: Some(Contact(m)), user_errors: vec![] },
            Err(errors) => CreateContactPayload { contact: None, user_errors: user_errors(errors) },
        })
    }
}
