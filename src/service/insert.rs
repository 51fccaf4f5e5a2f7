//! Inserting new records: in one transaction with the hooks of their type (work before
//! the row is stored, which may refuse it, and after) and an audit row each.

use super::audit;
use super::record::{Checked, model_id};
use super::validate::FieldError;
use crate::auth::Viewer;
use crate::auth::gate::Gate;
use crate::error::AppResult;
use entity::record::Record;
use futures::future::BoxFuture;
use sea_orm::{ActiveModelBehavior, ActiveModelTrait, DatabaseConnection, DatabaseTransaction, IntoActiveModel};

/// Work done inside the insert's transaction after the row is stored, by the viewer.
pub type After<'a, M> =
    Box<dyn for<'t> FnOnce(&'t DatabaseTransaction, &'t Viewer, &'t M) -> BoxFuture<'t, AppResult<()>> + Send + 'a>;

/// Work done inside the insert's transaction before the row is stored, which may refuse
/// the row with field errors (the transaction is then rolled back: nothing is written).
/// E.g. claiming the customer a record is logged under: one statement that checks the
/// customer is visible and live, and updates it.
pub type Before<'a, A> = Box<
    dyn for<'t> FnOnce(&'t DatabaseTransaction, &'t Viewer, &'t A) -> BoxFuture<'t, AppResult<Checked<()>>> + Send + 'a,
>;

/// The hooks of an insert: work before the row is stored and after.
pub struct Hooks<'a, A, M> {
    pub before: Option<Before<'a, A>>,
    pub after: Option<After<'a, M>>,
}

/// Inserts new records in one transaction (all or nothing; one record is a list of one),
/// each with a fresh set of `hooks` and its audit row. A refused row rolls everything back
/// and is named by its index with its field errors.
///
/// With a waiting `gate` (`viewer` is a guess), the first audit row also confirms the
/// credential; if it does not, nothing is written and the answer is `UNAUTHENTICATED`
/// (see [`crate::auth::gate`]).
pub async fn insert_all<E, A>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    gate: Option<&Gate>,
    rows: Vec<A>,
    hooks: impl Fn() -> Hooks<'static, A, E::Model>,
) -> AppResult<Result<Vec<E::Model>, (usize, Vec<FieldError>)>>
where
    E: Record,
    A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<A> + Send + Sync,
{
    let txn = crate::engine::rows::begin(db).await?;
    let mut saved = Vec::with_capacity(rows.len());
    for (index, row) in rows.into_iter().enumerate() {
        let Hooks { before, after } = hooks();
        if let Some(before) = before
            && let Err(errors) = before(&txn, viewer, &row).await?
        {
            txn.rollback().await?;
            return Ok(Err((index, errors)));
        }
        // A new deal or purchase moves its customer's dashboard summaries.
        let watch = match summed_customer::<E, A>(&row) {
            Some(customer) => Some(super::report::summary::Watch::start(&txn, &[customer]).await?),
            None => None,
        };
        let model = match row.insert(&txn).await {
            Ok(model) => model,
            Err(err) => {
                let refused = super::record::unique_violation(&err).ok_or(err)?;
                txn.rollback().await?;
                return Ok(Err((index, vec![refused])));
            }
        };
        if let Some(after) = after {
            after(&txn, viewer, &model).await?;
        }
        if let Some(watch) = watch {
            watch.finish(&txn).await?;
        }
        let id = model_id::<E>(&model)?;
        match gate.filter(|g| !g.passed()) {
            Some(gate) => audit::record_gated(&txn, viewer, gate, "create", E::NAME, id, &["*"]).await?,
            None => audit::record(&txn, viewer, "create", E::NAME, id, &["*"]).await?,
        }
        saved.push(model);
    }
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(saved))
}

/// The customer a new deal or purchase is logged under (see `report::summary`).
fn summed_customer<E: Record, A: ActiveModelTrait<Entity = E>>(row: &A) -> Option<uuid::Uuid> {
    if !matches!(E::NAME, "Deal" | "Purchase") {
        return None;
    }
    match row.get(E::customer_column()?) {
        sea_orm::ActiveValue::Set(sea_orm::Value::Uuid(Some(id)))
        | sea_orm::ActiveValue::Unchanged(sea_orm::Value::Uuid(Some(id))) => Some(id),
        _ => None,
    }
}
