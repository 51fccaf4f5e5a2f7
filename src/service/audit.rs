//! The audit trail: one row per write, inside the write's transaction. It names the
//! fields written, never their values, so the trail itself holds no personal data.

use crate::auth::Viewer;
use crate::error::AppResult;
use entity::audit_event;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

/// Records that `viewer` did `action` to `entity`/`id`, touching `fields`.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    action: &str,
    entity: &str,
    id: Uuid,
    fields: &[&str],
) -> AppResult<()> {
    let now = super::now();
    let row = audit_event::ActiveModel {
        id: Set(entity::new_id()),
        actor_id: Set(Some(viewer.user_id)),
        action: Set(action.to_string()),
        entity: Set(entity.to_string()),
        entity_id: Set(id),
        fields: Set(serde_json::json!(fields)),
        request_id: Set(crate::http::request_id::current()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    // Nothing is read back: the row is written and never returned to the caller.
    audit_event::Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}
