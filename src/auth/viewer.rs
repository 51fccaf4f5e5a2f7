//! The authenticated caller of a request.

use super::external::ExternalKeys;
use super::jwt::JwtKeys;
use crate::error::{AppError, AppResult};
use entity::enums::Role;
use entity::user;
use sea_orm::{DatabaseConnection, EntityTrait};
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
}

impl Viewer {
    /// A viewer from a user record.
    pub fn from_user(user: &user::Model) -> Self {
        Self { user_id: user.id, role: user.role, team_id: user.team_id, scopes: None }
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
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AppError::Unauthenticated)?;
    if let Some(external) = external
        && super::external::peek_issuer(token).as_deref() == Some(external.issuer())
    {
        return external.authenticate(db, token).await.map(Some);
    }
    let subject = keys.verify_subject(token)?;
    let user_id = subject.user_id;
    if let Some(session) = subject.session
        && !crate::service::session::session_live(db, session).await?
    {
        tracing::info!(%user_id, "token refused: session ended");
        return Err(AppError::Unauthenticated);
    }
    let user = crate::service::rows::one(db, user::Entity::find_by_id(user_id)).await?;
    match user {
        Some(user) if user.active && user.deleted_at.is_none() => Ok(Some(Viewer::from_user(&user))),
        _ => {
            tracing::info!(%user_id, "token refused: user missing or inactive");
            Err(AppError::Unauthenticated)
        }
    }
}
