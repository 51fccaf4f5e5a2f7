//! Contact mutations.

use crate::crud_mutations;
use crate::error::AppResult;
use crate::graphql::crud::CreateInput;
use crate::graphql::input::contact::*;
use crate::graphql::types::contact::Contact;
use crate::service::insert::Hooks;
use crate::service::record::Checked;
use crate::{auth::Viewer, change_input};
use entity::contact;
use sea_orm::DatabaseConnection;

#[async_trait::async_trait]
impl CreateInput for CreateContactInput {
    type Entity = contact::Entity;
    type Row = contact::ActiveModel;
    fn key(&self) -> Option<String> {
        self.client_mutation_id.clone()
    }
    async fn row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<Self::Row>> {
        crate::service::contact::prepare(db, viewer, self.into()).await
    }
    fn hooks() -> Hooks<'static, contact::ActiveModel, contact::Model> {
        Hooks {
            before: None,
            after: Some(Box::new(|txn, _viewer, model| {
                Box::pin(crate::service::contact::demote_other_primaries(txn, model))
            })),
        }
    }
}

change_input!(UpdateContactInput => contact via crate::service::contact::change);

crud_mutations! {
    ContactMutation for contact as Contact in contact {
        create_contact(CreateContactInput) -> CreateContactPayload,
        update_contact(UpdateContactInput) -> UpdateContactPayload,
        delete_contact(DeleteContactInput) -> DeleteContactPayload,
        restore_contact(RestoreContactInput) -> RestoreContactPayload,
    }
}
