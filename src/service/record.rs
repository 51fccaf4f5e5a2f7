//! Reads and writes shared by every record type: row-scoped look-ups and lists,
//! versioned updates, soft delete and restore, each write with its audit row.

use super::page::{Page, PageArgs, SortSpec, paginate};
use super::validate::{ErrorCode, FieldError};
use super::{audit, now};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use entity::record::Record;
use sea_orm::sea_query::{Expr, ExprTrait, SelectStatement};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, FromQueryResult,
    IntoActiveModel, ModelTrait, QueryFilter, QuerySelect, QueryTrait, Value,
};
use uuid::Uuid;

/// The result of a write: the record, or the input errors (and nothing written).
pub type Checked<T> = Result<T, Vec<FieldError>>;

/// The rows of `E` the viewer may see; soft-deleted ones only when `include_deleted`.
pub fn visible<E: Record>(viewer: &Viewer, include_deleted: bool) -> Condition {
    let mut cond = Condition::all().add(scope::<E>(viewer));
    if !include_deleted {
        cond = cond.add(E::deleted_column().is_null());
    }
    cond
}

/// The rows of `E` an aggregate counts for `viewer` (reports, survey results): those it
/// may see, except that an ANALYST — who reads aggregates only, never a personal record —
/// counts every row.
pub fn counted<E: Record>(viewer: &Viewer, include_deleted: bool) -> Condition {
    if viewer.role != entity::enums::Role::Analyst {
        return visible::<E>(viewer, include_deleted);
    }
    let mut cond = Condition::all().add(E::visible_to(entity::enums::Role::Admin, viewer.user_id, viewer.team_id));
    if !include_deleted {
        cond = cond.add(E::deleted_column().is_null());
    }
    cond
}

/// True for the personal records — customers and the records under them — that an
/// ANALYST never reads one by one (DOMAIN.md: reports and aggregates only).
fn aggregate_only<E: Record>(viewer: &Viewer) -> bool {
    viewer.role == entity::enums::Role::Analyst && (E::NAME == "Customer" || E::customer_column().is_some())
}

/// The row scope of `E` for `viewer`. A partner key sees a record family only with its
/// `<family>:read` scope, and then the whole family (the key is the grant) — of customers
/// and the records under them, only those whose customer has a live PARTNER_SHARING
/// consent (`service::consent`).
fn scope<E: Record>(viewer: &Viewer) -> Condition {
    if aggregate_only::<E>(viewer) {
        return Condition::all().add(sea_orm::sea_query::Expr::val(1).eq(0));
    }
    if viewer.role == entity::enums::Role::Partner {
        let family = super::api_key::family(E::NAME);
        if family.is_empty() || !viewer.has_scope(&format!("{family}:read")) {
            return Condition::all().add(sea_orm::sea_query::Expr::val(1).eq(0));
        }
        let personal = E::NAME == "Customer" || E::customer_column().is_some();
        let role = if personal { entity::enums::Role::Partner } else { entity::enums::Role::Admin };
        return E::visible_to(role, viewer.user_id, viewer.team_id);
    }
    E::visible_to(viewer.role, viewer.user_id, viewer.team_id)
}

/// One record the viewer may see (admins also see soft-deleted ones), or `None`.
pub async fn find<E: Record>(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<Option<E::Model>>
where
    E::Model: FromQueryResult + Send + Sync,
{
    let select = E::find().filter(E::id_column().eq(id)).filter(visible::<E>(viewer, viewer.is_admin()));
    crate::engine::rows::one(db, select).await
}

/// Records by id that the viewer may see (admins also soft-deleted ones), for loaders.
pub async fn by_ids_visible<E: Record>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> AppResult<Vec<E::Model>>
where
    E::Model: FromQueryResult + Send + Sync,
{
    let select =
        E::find().filter(E::id_column().is_in(ids.iter().copied())).filter(visible::<E>(viewer, viewer.is_admin()));
    crate::engine::rows::all(db, select).await
}

/// A page of the records the viewer may see, and the statement counting them all.
pub async fn list<E: Record>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: Option<Condition>,
    order: &SortSpec<E::Column>,
    args: &PageArgs,
    include_deleted: bool,
) -> AppResult<(Page<E::Model>, SelectStatement)>
where
    E::Model: FromQueryResult + Send + Sync,
{
    let select = E::find().filter(list_condition::<E>(viewer, filter, include_deleted)?);
    let count = select.clone().select_only().column_as(Expr::col(E::id_column()).count(), "count").into_query();
    let page = paginate(db, select, order, E::id_column(), args).await?;
    Ok((page, count))
}

/// The rows of `E` a list shows `viewer`: its row scope, the list's filter and (for admins
/// only) soft-deleted rows.
pub fn list_condition<E: Record>(
    viewer: &Viewer,
    filter: Option<Condition>,
    include_deleted: bool,
) -> AppResult<Condition> {
    if include_deleted && !viewer.is_admin() {
        return Err(AppError::Forbidden("only admins may list deleted records".into()));
    }
    if aggregate_only::<E>(viewer) {
        return Err(AppError::Forbidden(format!("ANALYST reads reports and aggregates only, not {} records", E::NAME)));
    }
    let mut cond = visible::<E>(viewer, include_deleted);
    if let Some(filter) = filter {
        cond = cond.add(filter);
    }
    Ok(cond)
}

/// True when the viewer may see the live customer `id` (records are written under it).
pub async fn customer_visible(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<bool> {
    let found = entity::customer::Entity::find()
        .select_only()
        .column(entity::customer::Column::Id)
        .filter(entity::customer::Column::Id.eq(id))
        .filter(visible::<entity::customer::Entity>(viewer, false))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// The UUID primary key of a model.
pub fn model_id<E: Record>(model: &E::Model) -> AppResult<Uuid> {
    match model.get(E::id_column()) {
        Value::Uuid(Some(id)) => Ok(id),
        other => Err(AppError::internal(format!("{} id is not a uuid: {other:?}", E::NAME))),
    }
}

fn model_version<E: Record>(model: &E::Model) -> i32 {
    match model.get(E::version_column()) {
        Value::Int(Some(v)) => v,
        _ => 0,
    }
}

fn model_deleted<E: Record>(model: &E::Model) -> bool {
    !matches!(model.get(E::deleted_column()), Value::ChronoDateTimeUtc(None))
}

/// The `STALE_VERSION` error.
pub fn stale(expected: i32, current: i32) -> Vec<FieldError> {
    vec![FieldError::new(
        "expectedVersion",
        ErrorCode::StaleVersion,
        format!("the record is at version {current}, not {expected}; reload and retry"),
    )]
}

/// Loads a live record the viewer may see and change, for a write.
pub async fn load_for_write<E: Record>(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<E::Model>
where
    E::Model: FromQueryResult + Send + Sync,
{
    super::permission::require_write(viewer, E::NAME)?;
    let select = E::find().filter(E::id_column().eq(id)).filter(visible::<E>(viewer, true));
    crate::engine::rows::one(db, select).await?.ok_or(AppError::NotFound)
}

/// Writes the `Set` fields of `row` if the record is still at `current`'s version
/// (`UPDATE … WHERE id = ? AND version = ?`, rows affected checked), bumping the version,
/// with an audit row naming `fields`, in one transaction.
pub async fn write_versioned<E, A>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    current: &E::Model,
    mut row: A,
    action: &str,
    fields: &[&str],
) -> AppResult<Checked<E::Model>>
where
    E: Record,
    A: ActiveModelTrait<Entity = E> + Send,
    E::Model: FromQueryResult + Send + Sync,
{
    let id = model_id::<E>(current)?;
    let version = model_version::<E>(current);
    row.set(E::version_column(), (version + 1).into());
    row.set(E::updated_column(), now().into());
    // The steps below are boxed: each one's future lives on the heap, not in this one's
    // frame, so a write nests shallow enough for a debug build's stack.
    let txn = crate::engine::rows::begin(db).await?;
    let watch = match summed_customer::<E>(current, fields) {
        Some(customer) => Some(Box::pin(super::report::summary::Watch::start(&txn, &[customer])).await?),
        None => None,
    };
    let result = E::update_many()
        .set(row)
        .filter(E::id_column().eq(id))
        .filter(E::version_column().eq(version))
        .exec(&txn)
        .await;
    let result = match result {
        Ok(result) => result,
        Err(err) => {
            let refused = unique_violation(&err).ok_or(err)?;
            txn.rollback().await?;
            return Ok(Err(vec![refused]));
        }
    };
    if result.rows_affected != 1 {
        txn.rollback().await?;
        let latest = E::find().filter(E::id_column().eq(id)).one(db).await?;
        return Ok(Err(stale(version, latest.as_ref().map_or(version, model_version::<E>))));
    }
    // A change that can move its customer's classes re-evaluates them before it commits.
    let touched = super::classification::touched_by(E::NAME, fields);
    if let Some(Value::Uuid(Some(customer))) = E::customer_column().map(|c| current.get(c))
        && !touched.is_empty()
    {
        if E::NAME == "Interaction" {
            super::interaction::refresh_last(&txn, customer).await?;
        }
        Box::pin(super::classification::one::reevaluate(&txn, customer, touched, now())).await?;
    }
    let saved =
        crate::engine::rows::one(&txn, E::find().filter(E::id_column().eq(id))).await?.ok_or(AppError::NotFound)?;
    // An update that writes every field a correction request names settles it.
    if E::NAME == "Customer" && action == "update" {
        Box::pin(super::correction::settle_by_update(&txn, viewer, id, fields)).await?;
        // `marketingConsent` written directly is a grant or a withdrawal in the ledger.
        if fields.contains(&"marketingConsent")
            && let Value::Bool(Some(consent)) = saved.get(
                <E::Column as std::str::FromStr>::from_str("marketing_consent")
                    .map_err(|_| AppError::internal("customers.marketing_consent"))?,
            )
        {
            Box::pin(super::consent::follow_marketing_field(&txn, viewer, id, consent, "updateCustomer")).await?;
        }
    }
    let changes = audit::changes(current, &saved, fields);
    audit::record_changes(&txn, viewer, action, (E::NAME, id), fields, changes).await?;
    // A ticket's status move goes into its history, in the same transaction.
    if E::NAME == "Ticket"
        && let Ok(status) = <E::Column as std::str::FromStr>::from_str("status")
    {
        let ticket = entity::ticket::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
        Box::pin(super::sla::tickets::after_write(&txn, viewer.user_id, &ticket, current.get(status))).await?;
    }
    if let Some(watch) = watch {
        Box::pin(watch.finish(&txn)).await?;
    }
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(saved))
}

/// The customer whose dashboard summaries a write of `fields` of this record may move
/// (`report::summary`): any write of a deal or purchase; a customer's new owner, deletion
/// or restore.
fn summed_customer<E: Record>(current: &E::Model, fields: &[&str]) -> Option<Uuid> {
    let id = match E::NAME {
        "Deal" | "Purchase" => current.get(E::customer_column()?),
        "Customer" if fields.iter().any(|f| matches!(*f, "ownerId" | "deletedAt" | "*")) => current.get(E::id_column()),
        _ => return None,
    };
    match id {
        Value::Uuid(Some(id)) => Some(id),
        _ => None,
    }
}

/// A unique rule the database refused, as the field error the caller can act on; `None`
/// for any other error. The live phone/email indexes of customers are the duplicate
/// check's guarantee under concurrency (see `customer::write::check_duplicate`).
pub fn unique_violation(err: &sea_orm::DbErr) -> Option<FieldError> {
    let Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) = err.sql_err() else { return None };
    // PostgreSQL names the index, SQLite the table and column.
    for field in ["phone", "email"] {
        if message.contains(&format!("customers_live_{field}")) || message.contains(&format!("customers.{field}")) {
            let text = format!("another live customer has the same {field}");
            return Some(FieldError::new(field, ErrorCode::DuplicateSuspected, text));
        }
    }
    Some(FieldError::new("id", ErrorCode::AlreadyExists, "such a record exists already"))
}

/// Soft-deletes a record (at `expected_version`, when given).
pub async fn soft_delete<E, A>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    expected_version: Option<i32>,
) -> AppResult<Checked<E::Model>>
where
    E: Record,
    A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: FromQueryResult + IntoActiveModel<A> + Send + Sync,
{
    let current = load_for_write::<E>(db, viewer, id).await?;
    if model_deleted::<E>(&current) {
        return Err(AppError::NotFound);
    }
    if let Some(expected) = expected_version.filter(|v| *v != model_version::<E>(&current)) {
        return Ok(Err(stale(expected, model_version::<E>(&current))));
    }
    let mut row = A::default();
    row.set(E::deleted_column(), Some(now()).into());
    write_versioned::<E, A>(db, viewer, &current, row, "delete", &["deletedAt"]).await
}

/// Restores a soft-deleted record (admins and managers).
pub async fn restore<E, A>(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<Checked<E::Model>>
where
    E: Record,
    A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: FromQueryResult + IntoActiveModel<A> + Send + Sync,
{
    super::permission::require_manager(viewer, "restore records")?;
    let current = load_for_write::<E>(db, viewer, id).await?;
    if !model_deleted::<E>(&current) {
        return Ok(Err(vec![FieldError::new("id", ErrorCode::InvalidState, "the record is not deleted")]));
    }
    let mut row = A::default();
    row.set(E::deleted_column(), Option::<chrono::DateTime<chrono::Utc>>::None.into());
    write_versioned::<E, A>(db, viewer, &current, row, "restore", &["deletedAt"]).await
}

/// Looks up a record an input refers to; a missing or invisible one is a `NOT_FOUND`
/// field error (nothing is written), not a top-level error.
pub async fn check_ref<E: Record>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    c: &mut super::validate::Checker,
    field: &str,
    id: Option<Uuid>,
) -> AppResult<Option<E::Model>>
where
    E::Model: FromQueryResult + Send + Sync,
{
    let Some(id) = id else { return Ok(None) };
    let mut select = E::find().filter(E::id_column().eq(id)).filter(visible::<E>(viewer, false));
    if E::NAME == "Customer" {
        // Nothing new is written under an erased customer (`service::subject`).
        select = select.filter(Expr::col(sea_orm::sea_query::Alias::new("erased_at")).is_null());
    }
    let found = crate::engine::rows::one(db, select).await?;
    if found.is_none() {
        c.push(field, ErrorCode::NotFound, format!("no such {}", E::NAME));
    }
    Ok(found)
}

/// A change computed from the current record: the fields to set and their names.
pub type Change<A> = Checked<(A, Vec<&'static str>)>;

/// Loads record `id` for an update at `expected_version`: the current row, or
/// `STALE_VERSION`; deleted rows are `NOT_FOUND`.
pub async fn begin_update<E: Record>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    expected_version: i32,
) -> AppResult<Checked<E::Model>>
where
    E::Model: FromQueryResult + Send + Sync,
{
    let current = load_for_write::<E>(db, viewer, id).await?;
    if model_deleted::<E>(&current) {
        return Err(AppError::NotFound);
    }
    if model_version::<E>(&current) != expected_version {
        return Ok(Err(stale(expected_version, model_version::<E>(&current))));
    }
    Ok(Ok(current))
}
