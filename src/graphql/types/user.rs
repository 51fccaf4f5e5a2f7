//! `User`: a person who works with customer records.

use super::enums::Role;
use crate::graphql::relay::global_id;
use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use entity::user::Model;

/// A Clientele user.
#[derive(Clone)]
pub struct User(pub Model);

#[Object]
impl User {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("User", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    async fn active(&self) -> bool {
        self.0.active
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
