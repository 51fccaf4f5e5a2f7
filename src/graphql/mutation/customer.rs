//! Customer mutations: create, update, delete (soft), restore.

use crate::graphql::context;
use crate::graphql::input::customer::{
    CreateCustomerInput, DeleteCustomerInput, RestoreCustomerInput, UpdateCustomerInput,
};
use crate::graphql::relay::expect_id;
use crate::graphql::types::customer::Customer;
use crate::graphql::types::user_error::{UserError, user_errors};
use crate::service::customer;
use crate::service::record::{self, Checked};
use async_graphql::{Context, Object, Result, SimpleObject};
use entity::customer::Model;

/// Payload types share one shape; each mutation names its own.
macro_rules! payload {
    ($name:ident) => {
        #[doc = concat!("The result of `", stringify!($name), "`.")]
        #[derive(SimpleObject)]
        pub struct $name {
            /// The customer as stored after the write; `null` when nothing was written.
            pub customer: Option<Customer>,
            /// Expected business outcomes that stopped the write.
            pub user_errors: Vec<UserError>,
        }

        impl From<Checked<Model>> for $name {
            fn from(result: Checked<Model>) -> Self {
                match result {
                    Ok(m) => Self { customer: Some(Customer(m)), user_errors: vec![] },
                    Err(errors) => Self { customer: None, user_errors: user_errors(errors) },
                }
            }
        }
    };
}

payload!(CreateCustomerPayload);
payload!(UpdateCustomerPayload);
payload!(DeleteCustomerPayload);
payload!(RestoreCustomerPayload);

#[derive(Default)]
pub struct CustomerMutation;

#[Object]
impl CustomerMutation {
    /// Creates a customer. Invalid fields and suspected duplicates are `userErrors`.
    async fn create_customer(&self, ctx: &Context<'_>, input: CreateCustomerInput) -> Result<CreateCustomerPayload> {
        let viewer = context::viewer(ctx)?;
        let result = customer::create(context::db(ctx)?, viewer, input.into_new()?).await?;
        Ok(result.into())
    }

    /// Changes a customer at `expectedVersion`.
    async fn update_customer(&self, ctx: &Context<'_>, input: UpdateCustomerInput) -> Result<UpdateCustomerPayload> {
        let viewer = context::viewer(ctx)?;
        let id = expect_id(&input.id, "Customer")?;
        let expected = input.expected_version;
        let result = customer::update(context::db(ctx)?, viewer, id, expected, input.into_patch()?).await?;
        Ok(result.into())
    }

    /// Soft-deletes a customer: hidden everywhere, restorable by admins and managers.
    async fn delete_customer(&self, ctx: &Context<'_>, input: DeleteCustomerInput) -> Result<DeleteCustomerPayload> {
        let viewer = context::viewer(ctx)?;
        let id = expect_id(&input.id, "Customer")?;
        let result = record::soft_delete::<entity::customer::Entity, entity::customer::ActiveModel>(
            context::db(ctx)?,
            viewer,
            id,
            input.expected_version,
        )
        .await?;
        Ok(result.into())
    }

    /// Brings back a soft-deleted customer.
    async fn restore_customer(&self, ctx: &Context<'_>, input: RestoreCustomerInput) -> Result<RestoreCustomerPayload> {
        let viewer = context::viewer(ctx)?;
        let id = expect_id(&input.id, "Customer")?;
        let result =
            record::restore::<entity::customer::Entity, entity::customer::ActiveModel>(context::db(ctx)?, viewer, id)
                .await?;
        Ok(result.into())
    }
}
