//! `Contact`: a contact person at a customer.

use super::enums::DecisionRole;
use crate::graphql::relay::global_id;
use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use entity::contact::Model;

/// A contact person at a (usually company) customer.
#[derive(Clone)]
pub struct Contact(pub Model);

#[Object]
impl Contact {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("Contact", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    async fn decision_role(&self) -> Option<DecisionRole> {
        self.0.decision_role.map(Into::into)
    }
    /// E.164 phone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// The customer's main contact.
    async fn is_primary(&self) -> bool {
        self.0.is_primary
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// Global ID of the customer this contact belongs to.
    async fn customer_id(&self) -> ID {
        global_id("Customer", self.0.customer_id)
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}
