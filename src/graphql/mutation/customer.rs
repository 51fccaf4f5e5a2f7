//! Customer mutations: create, update, delete (soft), restore.

use crate::auth::Viewer;
use crate::crud_mutations;
use crate::error::AppResult;
use crate::graphql::input::customer::*;
use crate::graphql::types::customer::Customer;
use crate::service::customer;
use crate::service::record::{Change, Checked};
use async_graphql::ID;
use sea_orm::DatabaseConnection;

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

crud_mutations! {
    CustomerMutation for customer as Customer in customer {
        create_customer(CreateCustomerInput) -> CreateCustomerPayload,
        update_customer(UpdateCustomerInput) -> UpdateCustomerPayload,
        delete_customer(DeleteCustomerInput) -> DeleteCustomerPayload,
        restore_customer(RestoreCustomerInput) -> RestoreCustomerPayload,
    }
}
