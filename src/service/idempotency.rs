//! Idempotency keys: a retried mutation with the same key replays the first result.
//!
//! The key is claimed before the write (a unique row per user and key), so two
//! concurrent retries cannot both write; the result is stored after it.

use super::now;
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use entity::idempotency_key::{self, Column};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// Longest key accepted.
pub const MAX_KEY_LEN: usize = 255;

/// What a key says about a request.
pub enum Claim {
    /// First use: run the mutation, then [`finish`] or [`release`].
    Fresh(uuid::Uuid),
    /// Seen with the same input: replay this result.
    Replay(serde_json::Value),
    /// Seen with another operation or input.
    Reused,
}

/// Claims `key` for `operation` with `request` (the canonical input).
pub async fn claim(
    db: &DatabaseConnection,
    viewer: &Viewer,
    key: &str,
    operation: &str,
    request: &str,
) -> AppResult<Claim> {
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return Err(AppError::BadUserInput(format!("clientMutationId must have 1 to {MAX_KEY_LEN} bytes")));
    }
    let ts = now();
    let id = entity::new_id();
    let row = idempotency_key::ActiveModel {
        id: Set(id),
        user_id: Set(viewer.user_id),
        key: Set(key.to_string()),
        operation: Set(operation.to_string()),
        request: Set(request.to_string()),
        response: Set(None),
        created_at: Set(ts),
        updated_at: Set(ts),
    };
    let inserted =
        idempotency_key::Entity::insert(row).on_conflict_do_nothing_on([Column::UserId, Column::Key]).exec(db).await?;
    if matches!(inserted, sea_orm::TryInsertResult::Inserted(_)) {
        return Ok(Claim::Fresh(id));
    }
    let existing = idempotency_key::Entity::find()
        .filter(Column::UserId.eq(viewer.user_id))
        .filter(Column::Key.eq(key))
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("idempotency key vanished"))?;
    if existing.operation != operation || existing.request != request {
        return Ok(Claim::Reused);
    }
    match existing.response {
        Some(response) => Ok(Claim::Replay(response)),
        None => {
            Err(AppError::BadUserInput("a request with this clientMutationId is still running; retry shortly".into()))
        }
    }
}

/// Stores the result of a claimed key.
pub async fn finish(db: &DatabaseConnection, id: uuid::Uuid, response: serde_json::Value) -> AppResult<()> {
    let row = idempotency_key::ActiveModel {
        id: Set(id),
        response: Set(Some(response)),
        updated_at: Set(now()),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

/// Frees a claimed key whose mutation failed with a top-level error (nothing was
/// written, so a retry may run again).
pub async fn release(db: &DatabaseConnection, id: uuid::Uuid) -> AppResult<()> {
    idempotency_key::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}
