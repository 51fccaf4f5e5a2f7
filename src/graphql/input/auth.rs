//! Inputs of sign-in, API key, user and team mutations.

use crate::graphql::types::enums::Role;
use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};

/// Email and password.
#[derive(InputObject)]
pub struct LoginInput {
    pub email: String,
    #[graphql(secret)]
    pub password: String,
}

/// A refresh token to exchange or end.
#[derive(InputObject)]
pub struct RefreshTokenInput {
    #[graphql(secret)]
    pub refresh_token: String,
}

/// A new API key for a PARTNER user.
#[derive(InputObject)]
pub struct CreateApiKeyInput {
    pub name: String,
    /// `<records>:read` / `<records>:write` for customers, contacts, interactions,
    /// purchases, deals, tickets, feedback, campaigns, surveys, tags; and `pii:read`.
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// The PARTNER user the key acts as.
    pub owner_id: ID,
}

/// A key to revoke.
#[derive(InputObject)]
pub struct RevokeApiKeyInput {
    pub id: ID,
}

/// A new user.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub team_id: Option<ID>,
    /// At least 12 characters; users without one sign in through an identity provider.
    #[graphql(secret)]
    pub password: Option<String>,
}

/// Changes to a user.
#[derive(InputObject)]
pub struct UpdateUserInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<String>,
    pub role: Option<Role>,
    pub team_id: MaybeUndefined<ID>,
    /// `false` stops the user's tokens and keys at once.
    pub active: Option<bool>,
    /// Senior service staff: URGENT tickets of HIGH-value customers are routed to them.
    pub senior: Option<bool>,
}

/// A new team.
#[derive(InputObject)]
pub struct CreateTeamInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub name: String,
    pub description: Option<String>,
}
