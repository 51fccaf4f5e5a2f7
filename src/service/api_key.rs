//! API keys for integration partners: `ck_<id>_<secret>`, shown once, stored as a
//! SHA-256 hash (the secret is 256 random bits, so a slow hash buys nothing and would
//! cost every request), acting as a PARTNER user with explicit scopes.

use super::page::{Page, PageArgs, paginate};
use super::record::Checked;
use super::validate::{Checker, ErrorCode};
use super::{audit, now};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::api_key::{self, Column};
use entity::enums::Role;
use entity::user;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, Order, QueryFilter};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

/// Record families a scope can name (`<family>:read`, `<family>:write`).
pub const FAMILIES: &[&str] = &[
    "customers",
    "contacts",
    "interactions",
    "purchases",
    "deals",
    "tickets",
    "feedback",
    "campaigns",
    "surveys",
    "tags",
];

/// The scope family of a record type.
pub fn family(record: &str) -> &'static str {
    match record {
        "Customer" => "customers",
        "Contact" => "contacts",
        "Interaction" => "interactions",
        "Purchase" => "purchases",
        "Deal" => "deals",
        "Ticket" => "tickets",
        "Feedback" => "feedback",
        "Campaign" | "CampaignParticipation" => "campaigns",
        "Survey" | "SurveyResponse" => "surveys",
        "Tag" => "tags",
        _ => "",
    }
}

/// True when `scope` is one Clientele knows.
pub fn valid_scope(scope: &str) -> bool {
    scope == "pii:read"
        || scope.split_once(':').is_some_and(|(f, a)| FAMILIES.contains(&f) && matches!(a, "read" | "write"))
}

/// 32 random bytes, base64url.
pub fn random_secret() -> AppResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Hex SHA-256.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates a key for the PARTNER user `owner` (admins only); returns it with the secret,
/// which is never shown again.
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    name: &str,
    scopes: &[String],
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    owner: Uuid,
) -> AppResult<Checked<(api_key::Model, String)>> {
    if !viewer.is_admin() {
        return Err(AppError::Forbidden("only admins manage API keys".into()));
    }
    let mut c = Checker::default();
    let name = c.name("name", name, 200);
    let mut clean: Vec<String> = Vec::new();
    for scope in scopes {
        let scope = scope.trim().to_string();
        if !valid_scope(&scope) {
            c.push("scopes", ErrorCode::Invalid, format!("unknown scope `{scope}`"));
        } else if !clean.contains(&scope) {
            clean.push(scope);
        }
    }
    if clean.is_empty() {
        c.push("scopes", ErrorCode::Required, "a key needs at least one scope");
    }
    if expires_at.is_some_and(|e| e <= now()) {
        c.push("expiresAt", ErrorCode::Invalid, "expiresAt must be in the future");
    }
    match user::Entity::find_by_id(owner).one(db).await? {
        Some(u) if u.role == Role::Partner && u.active => {}
        Some(_) => c.push("ownerId", ErrorCode::Invalid, "API keys belong to active PARTNER users"),
        None => c.push("ownerId", ErrorCode::NotFound, "no such User"),
    }
    if let Err(errors) = c.finish(()) {
        return Ok(Err(errors));
    }
    let id = entity::new_id();
    let secret = random_secret()?;
    let token = format!("ck_{}_{secret}", id.simple());
    let ts = now();
    let model = api_key::ActiveModel {
        id: Set(id),
        user_id: Set(owner),
        name: Set(name),
        secret_hash: Set(sha256_hex(&secret)),
        scopes: Set(serde_json::json!(clean)),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
        created_by: Set(viewer.user_id),
        created_at: Set(ts),
        updated_at: Set(ts),
    }
    .insert(db)
    .await?;
    Ok(Ok((model, token)))
}

/// Revokes a key at once (admins only).
pub async fn revoke(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<Checked<api_key::Model>> {
    if !viewer.is_admin() {
        return Err(AppError::Forbidden("only admins manage API keys".into()));
    }
    let key = api_key::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if key.revoked_at.is_some() {
        return Ok(Err(vec![super::validate::FieldError::new(
            "id",
            ErrorCode::InvalidState,
            "the key is already revoked",
        )]));
    }
    let mut row: api_key::ActiveModel = key.into();
    row.revoked_at = Set(Some(now()));
    row.updated_at = Set(now());
    let saved = row.update(db).await?;
    audit::record(db, viewer, "revoke", "ApiKey", id, &["revokedAt"]).await?;
    Ok(Ok(saved))
}

/// Every key, newest first, without secrets (admins only).
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    args: &PageArgs,
) -> AppResult<(Page<api_key::Model>, sea_orm::sea_query::SelectStatement)> {
    use sea_orm::sea_query::ExprTrait;
    use sea_orm::{QuerySelect, QueryTrait};
    if !viewer.is_admin() {
        return Err(AppError::Forbidden("only admins manage API keys".into()));
    }
    let count = api_key::Entity::find()
        .select_only()
        .column_as(sea_orm::sea_query::Expr::col(Column::Id).count(), "count")
        .into_query();
    let page =
        paginate(db, api_key::Entity::find(), &super::page::by(&[(Column::CreatedAt, Order::Desc)]), Column::Id, args)
            .await?;
    Ok((page, count))
}

/// The viewer an `ApiKey` header stands for; any failure is `UNAUTHENTICATED`.
pub async fn authenticate(db: &DatabaseConnection, token: &str) -> AppResult<Viewer> {
    let refuse = |why: &str| {
        tracing::info!(reason = why, "API key refused");
        AppError::Unauthenticated
    };
    let rest = token.strip_prefix("ck_").ok_or_else(|| refuse("malformed"))?;
    let (id, secret) = rest.split_once('_').ok_or_else(|| refuse("malformed"))?;
    let id = Uuid::try_parse(id).map_err(|_| refuse("malformed"))?;
    let key = api_key::Entity::find_by_id(id).one(db).await?.ok_or_else(|| refuse("unknown key"))?;
    let matches: bool = sha256_hex(secret).as_bytes().ct_eq(key.secret_hash.as_bytes()).into();
    if !matches {
        return Err(refuse("wrong secret"));
    }
    if key.revoked_at.is_some() {
        return Err(refuse("revoked"));
    }
    if key.expires_at.is_some_and(|e| e <= now()) {
        return Err(refuse("expired"));
    }
    let owner = user::Entity::find_by_id(key.user_id)
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| refuse("owner inactive"))?;
    if key.last_used_at.is_none_or(|t| now() - t > chrono::Duration::minutes(1)) {
        // Touched at most once a minute: a key used by a busy integration does not turn
        // every read into a write.
        api_key::Entity::update_many()
            .col_expr(Column::LastUsedAt, sea_orm::sea_query::Expr::val(now()))
            .filter(Column::Id.eq(key.id))
            .exec(db)
            .await?;
    }
    let scopes: Vec<String> = serde_json::from_value(key.scopes).unwrap_or_default();
    Ok(Viewer { user_id: owner.id, role: Role::Partner, team_id: None, scopes: Some(scopes), api_key_id: Some(key.id) })
}
