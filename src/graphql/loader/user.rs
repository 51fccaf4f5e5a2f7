//! Users by id.

use crate::error::AppError;
use async_graphql::dataloader::Loader;
use entity::user;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// Loads users by id in one statement per batch.
pub struct UserLoader(pub DatabaseConnection);

impl Loader<Uuid> for UserLoader {
    type Value = user::Model;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, user::Model>, AppError> {
        let users = crate::service::user::find_many(&self.0, keys).await?;
        Ok(users.into_iter().map(|u| (u.id, u)).collect())
    }
}
