//! Merging duplicate customers into one, and undoing it exactly.
//!
//! A merge keeps the survivor's values (except the fields the caller takes from a merged
//! record), moves every child record of the merged customers to it, and leaves the merged
//! customers as tombstones (`merged_into`, soft-deleted). What it takes to undo — every
//! customer's before-image and the ids of the records moved from each — is kept in
//! `customer_merges`; an undo restores the rows and moves those records back by id.

pub mod children;
pub mod fields;
mod undo;

pub use undo::unmerge;

use self::children::{Count, Move};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::classification::{DIMENSIONS, one::reevaluate};
use crate::service::record::Checked;
use crate::service::report::summary;
use crate::service::validate::{Checker, ErrorCode};
use crate::service::{audit, duplicate, permission};
use chrono::{DateTime, Utc};
use entity::customer::{self, Column};
use entity::customer_merge;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter,
};
use uuid::Uuid;

/// Most customers one merge folds into a survivor.
pub const MAX_MERGED: usize = 10;

/// A merge as asked.
#[derive(Clone, Debug)]
pub struct Request {
    pub survivor: Uuid,
    pub merged: Vec<Uuid>,
    /// `(field, from)`: take the field's value from that merged customer.
    pub choices: Vec<(String, Uuid)>,
    pub dry_run: bool,
}

/// What a merge did (or, dry, would do); what an undo restored.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The kept merge (`None` on a dry run).
    pub merge: Option<customer_merge::Model>,
    /// The survivor as it is (or would be) afterwards.
    pub survivor: customer::Model,
    /// The merged customers as they are afterwards (tombstones, or restored by an undo).
    pub merged: Vec<customer::Model>,
    /// Child records moved and kept, per type.
    pub counts: Vec<Count>,
}

/// Merges `req.merged` into `req.survivor` at `at`, or with `dry_run` reports what that
/// would do and writes nothing.
pub async fn merge(
    db: &DatabaseConnection,
    viewer: &Viewer,
    req: Request,
    at: DateTime<Utc>,
) -> AppResult<Checked<Outcome>> {
    permission::require_write(viewer, "Customer")?;
    let txn = crate::engine::rows::begin(db).await?;
    let (survivor, merged) = match load(&txn, viewer, &req).await? {
        Ok(found) => found,
        Err(errors) => return rollback(txn, errors).await,
    };
    let mut preview = survivor.clone();
    let mut row = <customer::ActiveModel as Default>::default();
    let mut c = Checker::default();
    for (i, (field, from)) in req.choices.iter().enumerate() {
        match merged.iter().chain([&survivor]).find(|m| m.id == *from) {
            Some(source) if fields::take(&mut row, &mut preview, field, source) => {}
            Some(_) => c.push(
                &format!("fieldChoices.{i}.field"),
                ErrorCode::Invalid,
                format!("`{field}` is not a field a merge chooses"),
            ),
            None => c.push(&format!("fieldChoices.{i}.from"), ErrorCode::Invalid, "not one of the customers merged"),
        }
    }
    if let Err(errors) = c.finish(()) {
        return rollback(txn, errors).await;
    }
    let ids: Vec<Uuid> = merged.iter().map(|m| m.id).collect();
    let (moves, counts) = children::plan(&txn, survivor.id, &ids).await?;
    preview.last_interaction_at =
        merged.iter().map(|m| m.last_interaction_at).chain([survivor.last_interaction_at]).max().flatten();
    if req.dry_run {
        txn.rollback().await?;
        return Ok(Ok(Outcome { merge: None, survivor: preview, merged, counts }));
    }
    let mut touched = ids.clone();
    touched.push(survivor.id);
    let watch = summary::Watch::start(&txn, &touched).await?;
    if !tombstone(&txn, &merged, survivor.id, at).await? {
        let message = "a customer changed while merging; reload and try again";
        return rollback(
            txn,
            vec![crate::service::validate::FieldError::new("mergedIds", ErrorCode::StaleVersion, message)],
        )
        .await;
    }
    children::apply(&txn, &moves, |_| survivor.id).await?;
    let saved = write_survivor(&txn, &survivor, row, &preview, at).await?;
    watch.finish(&txn).await?;
    let record = keep(&txn, viewer, &saved, &survivor, &merged, &moves, at).await?;
    audit::record(&txn, viewer, "merge", "CustomerMerge", record.id, &["survivor", "merged"]).await?;
    reevaluate(&txn, saved.id, &DIMENSIONS, at).await?;
    let survivor = customer::Entity::find_by_id(saved.id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let merged = customer::Entity::find().filter(Column::Id.is_in(ids)).all(&txn).await?;
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(Outcome { merge: Some(record), survivor, merged, counts }))
}

pub(super) async fn rollback<T>(
    txn: DatabaseTransaction,
    errors: Vec<crate::service::validate::FieldError>,
) -> AppResult<Checked<T>> {
    txn.rollback().await?;
    Ok(Err(errors))
}

/// The survivor and the merged customers, live, unmerged and visible to the viewer.
async fn load<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    req: &Request,
) -> AppResult<Checked<(customer::Model, Vec<customer::Model>)>> {
    let mut c = Checker::default();
    let mut unique = req.merged.clone();
    unique.sort();
    unique.dedup();
    if req.merged.is_empty() || req.merged.len() > MAX_MERGED || unique.len() != req.merged.len() {
        c.push("mergedIds", ErrorCode::Invalid, format!("pass 1 to {MAX_MERGED} distinct customers"));
    }
    if req.merged.contains(&req.survivor) {
        c.push("mergedIds", ErrorCode::Invalid, "the survivor cannot be merged into itself");
    }
    let visible = crate::service::record::visible::<customer::Entity>(viewer, false);
    let ids = req.merged.iter().copied().chain([req.survivor]);
    let found = customer::Entity::find().filter(Column::Id.is_in(ids)).filter(visible).all(db).await?;
    let get = |id: Uuid| found.iter().find(|m| m.id == id).cloned();
    // An erased customer is anonymous for good: nothing is merged into it or out of it.
    let erased = "the customer's personal data was erased; it is not merged";
    let survivor = get(req.survivor);
    match &survivor {
        None => c.push("survivorId", ErrorCode::NotFound, "no such Customer"),
        Some(s) if s.erased_at.is_some() => c.push("survivorId", ErrorCode::InvalidState, erased),
        Some(_) => {}
    }
    let mut merged = Vec::new();
    for (i, id) in req.merged.iter().enumerate() {
        match get(*id) {
            Some(m) if m.erased_at.is_some() => c.push(&format!("mergedIds.{i}"), ErrorCode::InvalidState, erased),
            Some(m) => merged.push(m),
            None => c.push(&format!("mergedIds.{i}"), ErrorCode::NotFound, "no such Customer"),
        }
    }
    Ok(c.finish(()).and_then(|()| survivor.map(|s| (s, merged)).ok_or_default()))
}

/// `Option` → `Checked` for a value whose absence was already reported.
trait OkOrDefault<T> {
    fn ok_or_default(self) -> Checked<T>;
}

impl<T> OkOrDefault<T> for Option<T> {
    fn ok_or_default(self) -> Checked<T> {
        self.ok_or_else(Vec::new)
    }
}

/// Soft-deletes the merged customers as tombstones of `survivor`; false when one changed
/// since it was read (the caller rolls back).
async fn tombstone<C: ConnectionTrait>(
    db: &C,
    merged: &[customer::Model],
    survivor: Uuid,
    at: DateTime<Utc>,
) -> AppResult<bool> {
    for m in merged {
        let done = customer::Entity::update_many()
            .col_expr(Column::MergedInto, Expr::val(survivor))
            .col_expr(Column::DeletedAt, Expr::val(at))
            .col_expr(Column::UpdatedAt, Expr::val(at))
            .col_expr(Column::Version, Expr::col(Column::Version).add(1))
            .filter(Column::Id.eq(m.id))
            .filter(Column::Version.eq(m.version))
            .exec(db)
            .await?;
        if done.rows_affected != 1 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Writes the survivor's chosen fields, latest interaction and match keys, bumping its version.
async fn write_survivor<C: ConnectionTrait>(
    db: &C,
    current: &customer::Model,
    mut row: customer::ActiveModel,
    preview: &customer::Model,
    at: DateTime<Utc>,
) -> AppResult<customer::Model> {
    row.id = sea_orm::ActiveValue::Unchanged(current.id);
    row.last_interaction_at = Set(preview.last_interaction_at);
    row.version = Set(current.version + 1);
    row.updated_at = Set(at);
    duplicate::set_keys(&mut row, duplicate::keys(preview.kind, &preview.name, preview.company_name.as_deref()));
    Ok(row.update(db).await?)
}

/// Keeps the merge with its before-image and moves.
async fn keep<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    saved: &customer::Model,
    survivor: &customer::Model,
    merged: &[customer::Model],
    moves: &[Move],
    at: DateTime<Utc>,
) -> AppResult<customer_merge::Model> {
    let json = |v: serde_json::Result<String>| v.map_err(|e| AppError::internal(format!("cannot keep a merge: {e}")));
    let before: Vec<&customer::Model> = [survivor].into_iter().chain(merged).collect();
    let record = customer_merge::ActiveModel {
        id: Set(entity::new_id()),
        survivor_id: Set(survivor.id),
        merged_ids: Set(json(serde_json::to_string(&merged.iter().map(|m| m.id).collect::<Vec<_>>()))?),
        before_image: Set(json(serde_json::to_string(&before))?),
        moves: Set(json(serde_json::to_string(moves))?),
        survivor_version: Set(saved.version),
        created_by: Set(viewer.user_id),
        created_at: Set(at),
        undone_at: Set(None),
        undone_by: Set(None),
    };
    Ok(record.insert(db).await?)
}

/// The customers that merged ids now live on, following merges of survivors (a few
/// hops), one statement per hop.
pub async fn survivors(db: &DatabaseConnection, ids: &[Uuid]) -> AppResult<Vec<(Uuid, Uuid)>> {
    use sea_orm::QuerySelect;
    let mut at: Vec<(Uuid, Uuid)> = ids.iter().map(|id| (*id, *id)).collect();
    for _ in 0..8 {
        let current: Vec<Uuid> = at.iter().map(|(_, now)| *now).collect();
        let next: Vec<(Uuid, Option<Uuid>)> = customer::Entity::find()
            .select_only()
            .columns([Column::Id, Column::MergedInto])
            .filter(Column::Id.is_in(current))
            .filter(Column::MergedInto.is_not_null())
            .into_tuple()
            .all(db)
            .await?;
        if next.is_empty() {
            break;
        }
        for (_, now) in &mut at {
            if let Some((_, Some(to))) = next.iter().find(|(id, _)| id == now) {
                *now = *to;
            }
        }
    }
    Ok(at.into_iter().filter(|(from, now)| from != now).collect())
}
