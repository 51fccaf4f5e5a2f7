//! Undoing a merge: every customer back as the before-image kept with it, every moved
//! record back to the customer it came from, by id.

use super::children::{self, Move};
use super::{Outcome, rollback};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::classification::{DIMENSIONS, one::reevaluate};
use crate::service::record::Checked;
use crate::service::validate::ErrorCode;
use crate::service::{audit, permission};
use chrono::{DateTime, Utc};
use entity::customer::{self, Column};
use entity::customer_merge;
use entity::enums::Role;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

/// Undoes merge `id`: the survivor and the merged customers as they were, their records
/// moved back. Refused once the survivor has changed since the merge.
pub async fn unmerge(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    at: DateTime<Utc>,
) -> AppResult<Checked<Outcome>> {
    permission::require_write(viewer, "Customer")?;
    let txn = crate::engine::rows::begin(db).await?;
    let record = customer_merge::Entity::find_by_id(id).one(&txn).await?.filter(|m| m.undone_at.is_none());
    let survivor = match &record {
        Some(m) => crate::service::record::find::<customer::Entity>(db, viewer, m.survivor_id).await?,
        None => None,
    };
    let (Some(record), Some(survivor)) = (record, survivor) else {
        let errors =
            vec![crate::service::validate::FieldError::new("mergeId", ErrorCode::NotFound, "no such merge to undo")];
        return rollback(txn, errors).await;
    };
    if record.created_by != viewer.user_id && !matches!(viewer.role, Role::Admin | Role::Manager) {
        txn.rollback().await?;
        return Err(AppError::Forbidden("only who merged, admins and managers may undo a merge".into()));
    }
    if survivor.version != record.survivor_version {
        let message = format!(
            "{} has changed since the merge (version {}, not {}); undo by hand",
            survivor.code, survivor.version, record.survivor_version
        );
        let errors = vec![crate::service::validate::FieldError::new("mergeId", ErrorCode::StaleVersion, message)];
        return rollback(txn, errors).await;
    }
    let parse = |e: serde_json::Error| AppError::internal(format!("merge {id} cannot be read back: {e}"));
    let before: Vec<customer::Model> = serde_json::from_str(&record.before_image).map_err(parse)?;
    let moves: Vec<Move> = serde_json::from_str(&record.moves).map_err(parse)?;
    let touched: Vec<Uuid> = before.iter().map(|m| m.id).collect();
    let watch = crate::service::report::summary::Watch::start(&txn, &touched).await?;
    children::apply(&txn, &moves, |m| m.from).await?;
    // The survivor first: it gives back a phone or email a merged record had.
    for row in &before {
        row.clone().into_active_model().reset_all().update(&txn).await?;
    }
    watch.finish(&txn).await?;
    let mut done = record.clone().into_active_model();
    done.undone_at = Set(Some(at));
    done.undone_by = Set(Some(viewer.user_id));
    let record = done.update(&txn).await?;
    audit::record(&txn, viewer, "unmerge", "CustomerMerge", record.id, &["survivor", "merged"]).await?;
    for row in &before {
        reevaluate(&txn, row.id, &DIMENSIONS, at).await?;
    }
    let ids: Vec<Uuid> = before.iter().map(|m| m.id).collect();
    let mut rows = customer::Entity::find().filter(Column::Id.is_in(ids)).all(&txn).await?;
    crate::engine::rows::commit(txn).await?;
    let survivor_at = rows.iter().position(|m| m.id == record.survivor_id).ok_or(AppError::NotFound)?;
    let survivor = rows.remove(survivor_at);
    Ok(Ok(Outcome { merge: Some(record), survivor, merged: rows, counts: Vec::new() }))
}
