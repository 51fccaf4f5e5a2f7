//! The audit trail: one row per write, inside the write's transaction. It names the
//! fields written, never their values, so the trail itself holds no personal data.

use crate::auth::Viewer;
use crate::auth::gate::{Credential, Gate};
use crate::error::{AppError, AppResult};
use entity::audit_event;
use sea_orm::sea_query::{Expr, InsertStatement, Query, Value, Values};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, Iterable, Statement};
use std::sync::OnceLock;
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
    let row = event(Some(viewer), action, entity, id, fields);
    // Nothing is read back: the row is written and never returned to the caller.
    audit_event::Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}

/// [`record`] for a change of a stored record, with the old → new values of the fields it
/// changed (`[{field, old, new}]`, see [`changes`]).
pub async fn record_changes<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    action: &str,
    (entity, id): (&str, Uuid),
    fields: &[&str],
    changes: serde_json::Value,
) -> AppResult<()> {
    let mut row = event(Some(viewer), action, entity, id, fields);
    row.changes = Set(Some(changes));
    audit_event::Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}

/// `[{field, old, new}]` of the named API `fields` whose values differ between `before`
/// and `after` (a money field's column is `<field>_e4`, shown as its decimal amount).
pub fn changes<M: sea_orm::ModelTrait>(before: &M, after: &M, fields: &[&str]) -> serde_json::Value {
    use std::str::FromStr;
    let mut out = Vec::new();
    for field in fields {
        let snake = snake(field);
        type Col<M> = <<M as sea_orm::ModelTrait>::Entity as EntityTrait>::Column;
        let (column, money) = match Col::<M>::from_str(&snake) {
            Ok(column) => (column, false),
            Err(_) => match Col::<M>::from_str(&format!("{snake}_e4")) {
                Ok(column) => (column, true),
                Err(_) => continue,
            },
        };
        let (old, new) = (before.get(column), after.get(column));
        if old != new {
            let shown = |v: &Value| match (money, v) {
                (true, Value::BigInt(Some(units))) => serde_json::json!(entity::money::from_e4(*units).to_string()),
                (_, Value::Bytes(_)) => serde_json::Value::Null,
                (_, v) => sea_orm::sea_query::sea_value_to_json_value(v),
            };
            out.push(serde_json::json!({ "field": field, "old": shown(&old), "new": shown(&new) }));
        }
    }
    serde_json::Value::Array(out)
}

/// `ownerId` → `owner_id`.
fn snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// [`record`] for a write made without a user: a customer answering with a one-time token,
/// the server's own jobs. The event has no actor.
pub async fn record_unattended<C: ConnectionTrait>(
    db: &C,
    action: &str,
    entity: &str,
    id: Uuid,
    fields: &[&str],
) -> AppResult<()> {
    let row = event(None, action, entity, id, fields);
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
    let row = event(Some(viewer), action, entity, id, fields);
    let backend = db.get_database_backend();
    let statement = match gated_text(backend, viewer, &gate.credential) {
        Some(sql) => {
            Statement { sql, values: Some(Values(gated_values(&row, viewer, &gate.credential))), db_backend: backend }
        }
        None => backend.build(&gated_insert(&row, viewer, &gate.credential)?),
    };
    let written = db.execute_raw(statement).await?.rows_affected();
    if written == 1 {
        gate.pass();
        Ok(())
    } else {
        gate.close();
        Err(AppError::Unauthenticated)
    }
}

/// The gated audit insert: `INSERT INTO audit_events (…) SELECT <row> WHERE <the credential
/// still names the viewer>`. The definition; [`gated_text`] and [`gated_values`] are its
/// text and values without building it each time (a test compares them).
fn gated_insert(
    row: &audit_event::ActiveModel,
    viewer: &Viewer,
    credential: &Credential,
) -> AppResult<InsertStatement> {
    let mut values = Query::select();
    let mut columns = Vec::new();
    for column in audit_event::Column::iter() {
        if let Some(value) = row.get(column).into_value() {
            values.expr(Expr::val(value));
            columns.push(column);
        }
    }
    values.cond_where(credential.names(viewer));
    let mut insert = Query::insert();
    insert.into_table(audit_event::Entity).columns(columns).select_from(values).map_err(AppError::internal)?;
    Ok(insert)
}

/// The text of [`gated_insert`], built once per backend and shape (a team or none, a
/// session or none); `None` for a backend other than PostgreSQL and SQLite.
fn gated_text(backend: DbBackend, viewer: &Viewer, credential: &Credential) -> Option<String> {
    static TEXTS: [OnceLock<Option<String>>; 8] = [const { OnceLock::new() }; 8];
    let base = match backend {
        DbBackend::Postgres => 0,
        DbBackend::Sqlite => 4,
        _ => return None,
    };
    let shape = base + 2 * usize::from(viewer.team_id.is_some()) + usize::from(credential.session.is_some());
    let text = TEXTS.get(shape)?.get_or_init(|| {
        let row = event(Some(viewer), "", "", Uuid::nil(), &[]);
        gated_insert(&row, viewer, credential).ok().map(|insert| backend.build(&insert).sql)
    });
    text.clone()
}

/// The values [`gated_insert`] binds, in its order: the row's, then the user check's
/// (`SELECT 1 … id, active`, the session check's `SELECT 1 … family` inside it, then role
/// and team; see `Credential::names`).
fn gated_values(row: &audit_event::ActiveModel, viewer: &Viewer, credential: &Credential) -> Vec<Value> {
    let mut values: Vec<Value> = audit_event::Column::iter().filter_map(|c| row.get(c).into_value()).collect();
    values.extend([Value::from(1), credential.user_id.into(), true.into()]);
    if let Some(family) = credential.session {
        values.extend([Value::from(1), family.into()]);
    }
    values.push(viewer.role.into());
    values.extend(viewer.team_id.map(Value::from));
    values
}

fn event(actor: Option<&Viewer>, action: &str, entity: &str, id: Uuid, fields: &[&str]) -> audit_event::ActiveModel {
    let now = super::now();
    audit_event::ActiveModel {
        id: Set(entity::new_id()),
        actor_id: Set(actor.map(|v| v.user_id)),
        api_key_id: Set(actor.and_then(|v| v.api_key_id)),
        action: Set(action.to_string()),
        entity: Set(entity.to_string()),
        entity_id: Set(id),
        fields: Set(serde_json::json!(fields)),
        changes: Set(None),
        request_id: Set(crate::http::request_id::current()),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entity::enums::Role;

    #[test]
    fn the_kept_text_and_values_are_the_gated_insert_built() {
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            for team in [None, Some(Uuid::now_v7())] {
                for session in [None, Some(Uuid::now_v7())] {
                    let viewer = Viewer {
                        user_id: Uuid::now_v7(),
                        role: Role::Sales,
                        team_id: team,
                        scopes: None,
                        api_key_id: None,
                    };
                    let credential = Credential { user_id: viewer.user_id, session };
                    let row = event(Some(&viewer), "create", "Interaction", Uuid::now_v7(), &["*"]);
                    let built = backend.build(&gated_insert(&row, &viewer, &credential).unwrap());
                    assert_eq!(gated_text(backend, &viewer, &credential), Some(built.sql));
                    assert_eq!(Some(Values(gated_values(&row, &viewer, &credential))), built.values);
                }
            }
        }
    }
}
