//! The authenticated caller of a request.

use super::external::ExternalKeys;
use super::gate::Credential;
use super::jwt::JwtKeys;
use crate::error::{AppError, AppResult};
use entity::enums::Role;
use entity::user;
use sea_orm::{DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

/// Who is calling, as the user record says now (not as the token said at issue time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    /// The user's id.
    pub user_id: Uuid,
    /// The user's role.
    pub role: Role,
    /// The user's team, if any.
    pub team_id: Option<Uuid>,
    /// Scopes of the API key the request came with (`None` for people).
    pub scopes: Option<Vec<String>>,
    /// The API key the request came with (`None` for people), for the audit trail.
    pub api_key_id: Option<Uuid>,
}

impl Viewer {
    /// A viewer from a user record.
    pub fn from_user(user: &user::Model) -> Self {
        Self { user_id: user.id, role: user.role, team_id: user.team_id, scopes: None, api_key_id: None }
    }

    /// True when the request's API key grants `scope` (people have no scopes).
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.as_ref().is_some_and(|s| s.iter().any(|x| x == scope))
    }

    /// True for roles that see and change everything.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// Resolves the `Authorization` header. No header → `Ok(None)` (anonymous); a header
/// that is present but not valid → `UNAUTHENTICATED`, never a fall-back to anonymous.
pub async fn authenticate(
    header: Option<&str>,
    keys: &JwtKeys,
    external: Option<&ExternalKeys>,
    db: &DatabaseConnection,
) -> AppResult<Option<Viewer>> {
    let Some(header) = header else { return Ok(None) };
    if let Some(key) = header.strip_prefix("ApiKey ") {
        return crate::service::api_key::authenticate(db, key.trim()).await.map(Some);
    }
    let token = bearer(header).ok_or(AppError::Unauthenticated)?;
    if let Some(external) = external
        && super::external::peek_issuer(token).as_deref() == Some(external.issuer())
    {
        return external.authenticate(db, token).await.map(Some);
    }
    let subject = keys.verify_subject(token)?;
    let credential = Credential { user_id: subject.user_id, session: subject.session };
    let user = crate::engine::rows::one(db, user::Entity::find().filter(credential.standing())).await?;
    match user {
        Some(user) => Ok(Some(Viewer::from_user(&user))),
        None => {
            let user_id = credential.user_id;
            tracing::info!(%user_id, "token refused: user missing or inactive, or session ended");
            Err(AppError::Unauthenticated)
        }
    }
}

/// The credential of a bearer token of our own issuer whose signature and times check out
/// — what [`authenticate`] verifies before it reads the database — or `None`.
pub fn credential(header: Option<&str>, keys: &JwtKeys, external: Option<&ExternalKeys>) -> Option<Credential> {
    let token = bearer(header?)?;
    if let Some(external) = external
        && super::external::peek_issuer(token).as_deref() == Some(external.issuer())
    {
        return None;
    }
    let subject = keys.verify_subject(token).ok()?;
    Some(Credential { user_id: subject.user_id, session: subject.session })
}

/// The token of a `Bearer` header, if it holds one.
fn bearer(header: &str) -> Option<&str> {
    header.strip_prefix("Bearer ").or_else(|| header.strip_prefix("bearer ")).map(str::trim).filter(|t| !t.is_empty())
}
