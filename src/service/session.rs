//! The built-in issuer: password login, refresh-token rotation with reuse detection,
//! logout. Access tokens are short-lived JWTs carrying the session (`sid`); refresh
//! tokens are opaque, stored hashed, and single-use.

use super::api_key::{random_secret, sha256_hex};
use super::now;
use crate::auth::jwt::JwtKeys;
use crate::error::{AppError, AppResult};
use entity::refresh_token::{self, Column};
use entity::user;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

/// Lifetime of an access token from `login` or `refreshToken`.
pub const ACCESS_TTL_MINUTES: i64 = 15;
/// Lifetime of a refresh token.
pub const REFRESH_TTL_DAYS: i64 = 30;

/// A pair of tokens.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// The JWT to send as `Authorization: Bearer`.
    pub access_token: String,
    /// The opaque token to exchange for a new pair.
    pub refresh_token: String,
    /// When the access token expires.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

async fn issue(db: &DatabaseConnection, keys: &JwtKeys, user: &user::Model, family: Uuid) -> AppResult<Tokens> {
    let secret = random_secret()?;
    let id = entity::new_id();
    let ts = now();
    refresh_token::ActiveModel {
        id: Set(id),
        user_id: Set(user.id),
        family_id: Set(family),
        token_hash: Set(sha256_hex(&secret)),
        expires_at: Set(ts + chrono::Duration::days(REFRESH_TTL_DAYS)),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(ts),
        updated_at: Set(ts),
    }
    .insert(db)
    .await?;
    let ttl = chrono::Duration::minutes(ACCESS_TTL_MINUTES);
    let access_token = keys.issue_session(user.id, user.role.as_str(), ttl, Some(family))?;
    Ok(Tokens { access_token, refresh_token: format!("rt_{}_{secret}", id.simple()), expires_at: ts + ttl })
}

/// Checks an email and password; `None` for any mismatch (which one is not told).
pub async fn login(db: &DatabaseConnection, keys: &JwtKeys, email: &str, password: &str) -> AppResult<Option<Tokens>> {
    let found = super::user::find_by_email(db, email).await?;
    let Some(user) = found.filter(|u| u.active && u.deleted_at.is_none()) else {
        // Hash anyway so a missing account costs the same time as a wrong password.
        let _ = crate::auth::password::hash(password.to_string()).await;
        return Ok(None);
    };
    let Some(stored) = user.password_hash.clone() else { return Ok(None) };
    if !crate::auth::password::verify(password.to_string(), stored).await? {
        return Ok(None);
    }
    Ok(Some(issue(db, keys, &user, entity::new_id()).await?))
}

fn parse(token: &str) -> Option<(Uuid, &str)> {
    let rest = token.trim().strip_prefix("rt_")?;
    let (id, secret) = rest.split_once('_')?;
    Some((Uuid::try_parse(id).ok()?, secret))
}

async fn revoke_family(db: &DatabaseConnection, family: Uuid) -> AppResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::val(now()))
        .filter(Column::FamilyId.eq(family))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Exchanges a refresh token for a new pair. A token presented twice revokes its whole
/// family: someone else holds a copy.
pub async fn refresh(db: &DatabaseConnection, keys: &JwtKeys, token: &str) -> AppResult<Tokens> {
    let (id, secret) = parse(token).ok_or(AppError::Unauthenticated)?;
    let row = refresh_token::Entity::find_by_id(id).one(db).await?.ok_or(AppError::Unauthenticated)?;
    let matches: bool = subtle::ConstantTimeEq::ct_eq(sha256_hex(secret).as_bytes(), row.token_hash.as_bytes()).into();
    if !matches || row.revoked_at.is_some() || row.expires_at <= now() {
        return Err(AppError::Unauthenticated);
    }
    // Claim the token atomically: of two concurrent uses, one wins and one is reuse.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(Column::UsedAt, Expr::val(now()))
        .filter(Column::Id.eq(id))
        .filter(Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        tracing::warn!(family = %row.family_id, "refresh token reused: revoking its family");
        revoke_family(db, row.family_id).await?;
        return Err(AppError::Unauthenticated);
    }
    let user = user::Entity::find_by_id(row.user_id).one(db).await?;
    let Some(user) = user.filter(|u| u.active && u.deleted_at.is_none()) else {
        revoke_family(db, row.family_id).await?;
        return Err(AppError::Unauthenticated);
    };
    issue(db, keys, &user, row.family_id).await
}

/// Ends the session of a refresh token (its access tokens stop working too).
pub async fn logout(db: &DatabaseConnection, token: &str) -> AppResult<bool> {
    let Some((id, secret)) = parse(token) else { return Ok(false) };
    let Some(row) = refresh_token::Entity::find_by_id(id).one(db).await? else { return Ok(false) };
    let matches: bool = subtle::ConstantTimeEq::ct_eq(sha256_hex(secret).as_bytes(), row.token_hash.as_bytes()).into();
    if !matches {
        return Ok(false);
    }
    revoke_family(db, row.family_id).await?;
    Ok(true)
}

/// True while the session `family` has not been revoked.
pub async fn session_live(db: &DatabaseConnection, family: Uuid) -> AppResult<bool> {
    let revoked = refresh_token::Entity::find()
        .filter(Column::FamilyId.eq(family))
        .filter(Column::RevokedAt.is_not_null())
        .one(db)
        .await?;
    Ok(revoked.is_none())
}

/// Ends every session of a user (deactivation).
pub async fn end_all(db: &DatabaseConnection, user_id: Uuid) -> AppResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::val(now()))
        .filter(Column::UserId.eq(user_id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
