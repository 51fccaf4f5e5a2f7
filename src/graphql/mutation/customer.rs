//! Customer mutations: create, update, delete (soft), restore; create and update list the
//! likely duplicates of what they wrote (`duplicatePolicy`).

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::input::customer::*;
use crate::graphql::relay::expect_id;
use crate::graphql::types::customer::Customer;
use crate::graphql::types::duplicate::DuplicateMatch;
use crate::graphql::{context, crud};
use crate::service::customer;
use crate::service::customer::{CustomerPatch, likeness};
use crate::service::duplicate::{self, Profile};
use crate::service::record;
use crate::service::record::{Change, Checked};
use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

#[async_trait::async_trait]
impl crate::graphql::crud::CreateInput for CreateCustomerInput {
    type Entity = entity::customer::Entity;
    type Row = entity::customer::ActiveModel;
    fn key(&self) -> Option<String> {
        self.client_mutation_id.clone()
    }
    async fn row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<Self::Row>> {
        customer::prepare(db, viewer, self.into()).await
    }
    fn hooks() -> crate::service::insert::Hooks<'static, Self::Row, entity::customer::Model> {
        crate::service::insert::Hooks {
            before: None,
            after: Some(Box::new(|txn, viewer, model| Box::pin(customer::after_create(txn, viewer, model)))),
        }
    }
}

#[async_trait::async_trait]
impl crate::graphql::crud::ChangeInput for UpdateCustomerInput {
    type Entity = entity::customer::Entity;
    type Row = entity::customer::ActiveModel;
    fn key(&self) -> Option<String> {
        self.client_mutation_id.clone()
    }
    fn id(&self) -> &ID {
        &self.id
    }
    fn expected_version(&self) -> i32 {
        self.expected_version
    }
    async fn change(
        self,
        db: &DatabaseConnection,
        viewer: &Viewer,
        current: &entity::customer::Model,
    ) -> AppResult<Change<Self::Row>> {
        customer::change(db, viewer, current, self.into()).await
    }
}

crate::payload!(/// The result of `createCustomer`.
    CreateCustomerPayload { customer: Customer;
        /// Customers the caller may see that look like this one, best first (refused or not).
        duplicates: Vec<DuplicateMatch> });
crate::payload!(/// The result of `updateCustomer`.
    UpdateCustomerPayload { customer: Customer;
        /// Customers the caller may see that look like this one, best first (refused or not).
        duplicates: Vec<DuplicateMatch> });
crate::payload!(/// The result of `deleteCustomer`.
    DeleteCustomerPayload { customer: Customer });
crate::payload!(/// The result of `restoreCustomer`.
    RestoreCustomerPayload { customer: Customer });

/// Create, update, delete and restore of `Customer`.
#[derive(Default)]
pub struct CustomerMutation;

impl CustomerMutation {
    /// The create mutation's resolver name: it runs through [`crud::create`], which may
    /// act as a guessed viewer (see `auth::gate`).
    pub const CREATE: &'static str = "create_customer";
}

#[Object]
impl CustomerMutation {
    /// Creates a Customer; invalid fields are `userErrors` and write nothing. Likely
    /// duplicates are refused or listed as `duplicatePolicy` says.
    async fn create_customer(&self, ctx: &Context<'_>, input: CreateCustomerInput) -> Result<CreateCustomerPayload> {
        let probe = likeness::probe_new(&input.clone().into());
        let mut payload: CreateCustomerPayload = crud::create(ctx, input, Customer).await?;
        let except = payload.customer.as_ref().map(|c| c.0.id);
        payload.duplicates = duplicates(ctx, &probe, except).await?;
        Ok(payload)
    }

    /// Changes a Customer at `expectedVersion`; a new name, company, phone or email is
    /// checked for likely duplicates as `duplicatePolicy` says.
    async fn update_customer(&self, ctx: &Context<'_>, input: UpdateCustomerInput) -> Result<UpdateCustomerPayload> {
        let id = input.id.clone();
        let patch: CustomerPatch = input.clone().into();
        let identity = patch.name.is_some()
            || patch.kind.is_some()
            || patch.company_name.is_some()
            || patch.phone.is_some()
            || patch.email.is_some();
        let mut payload: UpdateCustomerPayload = crud::change(ctx, input, Customer).await?;
        if identity {
            let viewer = context::viewer(ctx)?;
            let probe = match &payload.customer {
                Some(saved) => Some(duplicate::profile(&saved.0)),
                None => match expect_id(&id, "Customer").ok() {
                    Some(id) => record::find::<entity::customer::Entity>(context::db(ctx)?, viewer, id)
                        .await?
                        .map(|current| likeness::probe_change(&current, &patch)),
                    None => None,
                },
            };
            if let Some(probe) = probe {
                payload.duplicates = duplicates(ctx, &probe, expect_id(&id, "Customer").ok()).await?;
            }
        }
        Ok(payload)
    }

    /// Soft-deletes a Customer.
    async fn delete_customer(&self, ctx: &Context<'_>, input: DeleteCustomerInput) -> Result<DeleteCustomerPayload> {
        crud::delete::<entity::customer::Entity, entity::customer::ActiveModel, _>(
            ctx,
            &input.id,
            input.expected_version,
            input.client_mutation_id.clone(),
            Customer,
        )
        .await
    }

    /// Restores a soft-deleted Customer (admins and managers).
    async fn restore_customer(&self, ctx: &Context<'_>, input: RestoreCustomerInput) -> Result<RestoreCustomerPayload> {
        crud::restore::<entity::customer::Entity, entity::customer::ActiveModel, _>(
            ctx,
            &input.id,
            input.client_mutation_id.clone(),
            Customer,
        )
        .await
    }
}

/// The customers the caller may see that look like `probe`, except the record itself.
async fn duplicates(ctx: &Context<'_>, probe: &Profile, except: Option<Uuid>) -> Result<Vec<DuplicateMatch>> {
    let viewer = context::viewer(ctx)?;
    let found = duplicate::matches(context::db(ctx)?, viewer, probe, except, duplicate::DEFAULT_MIN_SCORE).await?;
    Ok(found.into_iter().map(DuplicateMatch::from).collect())
}
