//! Correction requests (纠错, PIPL's right to correction): staff record that a customer asked
//! for fields of their record to be corrected; the request puts the customer in the owner's
//! follow-up queue (`CORRECTION_REQUESTED`) and is settled by an update that writes every
//! field it names (in that update's transaction), or closed by hand with a note (e.g. the
//! record was right).

use super::record::{Checked, customer_visible};
use super::validate::{Checker, ErrorCode};
use super::{audit, now};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use entity::correction_request::{self, Column, Model};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

/// Fields of the customer record that are the business's own, not the person's data: a
/// merge chooses them, a correction request may not name them.
const NOT_THE_PERSONS: [&str; 5] = ["kind", "needPriority", "needExpectedDate", "ownerId", "nextFollowUpAt"];

/// The customer fields a request may name (as the API names them): the record's fields a
/// merge chooses between (`merge::fields::CHOOSABLE`), less the business's own.
pub fn correctable() -> impl Iterator<Item = &'static str> {
    super::merge::fields::CHOOSABLE.into_iter().filter(|f| !NOT_THE_PERSONS.contains(f))
}

/// Records a request to correct `fields` of customer `customer` (staff who record
/// communication with customers; the customer must be one they see).
pub async fn request(
    db: &DatabaseConnection,
    viewer: &Viewer,
    customer: Uuid,
    fields: &[String],
    note: Option<&str>,
) -> AppResult<Checked<Model>> {
    super::permission::require_write(viewer, "Interaction")?;
    let mut c = Checker::default();
    let note = c.long_text("note", note, 2000);
    if fields.is_empty() {
        c.push("fields", ErrorCode::Required, "name at least one field to correct");
    }
    let mut named: Vec<&str> = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        match correctable().find(|f| *f == field.as_str()) {
            Some(f) if !named.contains(&f) => named.push(f),
            Some(_) => {}
            None => c.push(
                &format!("fields.{i}"),
                ErrorCode::Invalid,
                format!(
                    "`{field}` is not a field a customer may ask to correct ({})",
                    correctable().collect::<Vec<_>>().join(", ")
                ),
            ),
        }
    }
    if !customer_visible(db, viewer, customer).await? {
        c.push("customerId", ErrorCode::NotFound, "no such Customer");
    }
    if let Err(errors) = c.finish(()) {
        return Ok(Err(errors));
    }
    let txn = crate::engine::rows::begin(db).await?;
    let row = correction_request::ActiveModel {
        id: Set(entity::new_id()),
        customer_id: Set(customer),
        fields: Set(serde_json::json!(named)),
        note: Set(note),
        requested_by: Set(viewer.user_id),
        requested_at: Set(now()),
        closed_at: Set(None),
        closed_by: Set(None),
        closing_note: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, viewer, "create", "CorrectionRequest", row.id, &["*"]).await?;
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(row))
}

/// Closes open request `id` by hand, with a note saying how it was settled.
pub async fn close(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    note: Option<&str>,
) -> AppResult<Checked<Model>> {
    super::permission::require_write(viewer, "Customer")?;
    let mut c = Checker::default();
    let note = c.long_text("note", note, 2000);
    let found = correction_request::Entity::find_by_id(id).one(db).await?;
    let open = match &found {
        Some(r) if customer_visible(db, viewer, r.customer_id).await? => {
            if r.closed_at.is_some() {
                c.push("id", ErrorCode::InvalidState, "the request is closed already");
            }
            found
        }
        _ => {
            c.push("id", ErrorCode::NotFound, "no such CorrectionRequest");
            None
        }
    };
    let open = match c.finish(open) {
        Ok(Some(open)) => open,
        Ok(None) => return Err(AppError::NotFound),
        Err(errors) => return Ok(Err(errors)),
    };
    let txn = crate::engine::rows::begin(db).await?;
    let mut row: correction_request::ActiveModel = open.into();
    row.closed_at = Set(Some(now()));
    row.closed_by = Set(Some(viewer.user_id));
    row.closing_note = Set(note);
    let saved = row.update(&txn).await?;
    audit::record(&txn, viewer, "close", "CorrectionRequest", id, &["closedAt", "closingNote"]).await?;
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(saved))
}

/// Settles the customer's open requests whose every field `written` holds (in the
/// update's transaction); returns how many.
pub async fn settle_by_update<C: ConnectionTrait>(
    txn: &C,
    viewer: &Viewer,
    customer: Uuid,
    written: &[&str],
) -> AppResult<u64> {
    let open = correction_request::Entity::find()
        .filter(Column::CustomerId.eq(customer))
        .filter(Column::ClosedAt.is_null())
        .all(txn)
        .await?;
    let mut settled = 0;
    for request in open {
        let fields: Vec<String> = serde_json::from_value(request.fields.clone()).unwrap_or_default();
        if !fields.iter().all(|f| written.contains(&f.as_str())) {
            continue;
        }
        let id = request.id;
        let mut row: correction_request::ActiveModel = request.into();
        row.closed_at = Set(Some(now()));
        row.closed_by = Set(Some(viewer.user_id));
        row.closing_note = Set(Some("corrected by an update".into()));
        row.update(txn).await?;
        audit::record(txn, viewer, "close", "CorrectionRequest", id, &["closedAt"]).await?;
        settled += 1;
    }
    Ok(settled)
}

/// The customers among `ids` with an open request.
pub async fn open_among<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> AppResult<Vec<Uuid>> {
    use sea_orm::QuerySelect;
    Ok(correction_request::Entity::find()
        .select_only()
        .column(Column::CustomerId)
        .filter(Column::CustomerId.is_in(ids.iter().copied()))
        .filter(Column::ClosedAt.is_null())
        .distinct()
        .into_tuple()
        .all(db)
        .await?)
}

/// A customer's requests, newest first (open ones only when `open`).
pub async fn of_customer<C: ConnectionTrait>(db: &C, customer: Uuid, open: bool) -> AppResult<Vec<Model>> {
    let mut select = correction_request::Entity::find().filter(Column::CustomerId.eq(customer));
    if open {
        select = select.filter(Column::ClosedAt.is_null());
    }
    Ok(select.order_by_desc(Column::RequestedAt).all(db).await?)
}
