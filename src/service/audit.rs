//! The audit trail: one row per write, inside the write's transaction. It names the
//! fields written, never their values, so the trail itself holds no personal data.

use crate::auth::Viewer;
use crate::auth::gate::Gate;
use crate::error::{AppError, AppResult};
use entity::audit_event;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, Iterable};
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
    let row = event(viewer, action, entity, id, fields);
    // Nothing is read back: the row is written and never returned to the caller.
    audit_event::Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}

/// [`record`] for a write done as a guessed viewer: the row is written only if the
/// gate's credential still names `viewer` (the same statement checks it), and the gate
/// passes. Otherwise the gate closes and the answer is `UNAUTHENTICATED`, so the write's
/// transaction rolls back (see [`crate::auth::gate`]).
pub async fn record_gated<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    gate: &Gate,
    action: &str,
    entity: &str,
    id: Uuid,
    fields: &[&str],
) -> AppResult<()> {
    let row = event(viewer, action, entity, id, fields);
    let mut values = Query::select();
    let mut columns = Vec::new();
    for column in audit_event::Column::iter() {
        if let Some(value) = row.get(column).into_value() {
            values.expr(Expr::val(value));
            columns.push(column);
        }
    }
    values.cond_where(gate.credential.names(viewer));
    let mut insert = Query::insert();
    insert.into_table(audit_event::Entity).columns(columns).select_from(values).map_err(AppError::internal)?;
    let written = db.execute(&insert).await?.rows_affected();
    if written == 1 {
        gate.pass();
        Ok(())
    } else {
        gate.close();
        Err(AppError::Unauthenticated)
    }
}

fn event(viewer: &Viewer, action: &str, entity: &str, id: Uuid, fields: &[&str]) -> audit_event::ActiveModel {
    let now = super::now();
    audit_event::ActiveModel {
        id: Set(entity::new_id()),
        actor_id: Set(Some(viewer.user_id)),
        action: Set(action.to_string()),
        entity: Set(entity.to_string()),
        entity_id: Set(id),
        fields: Set(serde_json::json!(fields)),
        request_id: Set(crate::http::request_id::current()),
        created_at: Set(now),
        updated_at: Set(now),
    }
}
