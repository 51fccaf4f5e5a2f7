//! `ApiKey` and the token payloads of the built-in issuer.

use super::people::User;
use crate::graphql::relay::{One, global_id, one};
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

/// An integration partner's API key (the secret is shown once, at creation).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct ApiKey(pub entity::api_key::Model);

#[Object]
impl ApiKey {
    /// Opaque global identifier.
    async fn id(&self) -> ID {
        global_id("ApiKey", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What the key may do: `<records>:read`, `<records>:write`, `pii:read`.
    async fn scopes(&self) -> Vec<String> {
        serde_json::from_value(self.0.scopes.clone()).unwrap_or_default()
    }
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    /// Last use, to the minute.
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
    /// The partner user the key acts as.
    async fn owner(&self, ctx: &Context<'_>) -> Result<One<User>> {
        one::<entity::user::Entity, _>(ctx, Some(self.0.user_id), User).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// An access token and the refresh token to renew it.
#[derive(SimpleObject)]
pub struct TokenPayload {
    /// Send as `Authorization: Bearer <accessToken>`; short-lived.
    pub access_token: String,
    /// Exchange with `refreshToken` for a new pair; single use.
    pub refresh_token: String,
    /// When the access token expires.
    pub expires_at: DateTime<Utc>,
    /// The signed-in user (query `viewer` with the token for more).
    pub user: SignedInUser,
}

/// Who just signed in.
#[derive(SimpleObject)]
pub struct SignedInUser {
    pub id: ID,
    pub name: String,
    pub email: String,
    pub role: super::enums::Role,
}
