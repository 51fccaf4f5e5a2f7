//! Communication records: the customer they are logged under, kept current.

use super::record::{Checked, visible};
use super::validate::{ErrorCode, FieldError};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use entity::record::Record;
use entity::{customer, interaction};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

/// Claims the customer an interaction is logged under, in the interaction's transaction
/// and before it is stored, with one statement: moves the customer's `lastInteractionAt`
/// forward to `occurred_at` (never back) and sets `nextFollowUpAt` when one is given.
/// Only a live customer the viewer may see is claimed; otherwise the answer is a
/// `NOT_FOUND` error on `customerId` and nothing is written. Derived fields: the
/// customer's version is not bumped.
pub async fn claim_customer(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    row: &interaction::ActiveModel,
) -> AppResult<Checked<()>> {
    let (Some(&customer_id), Some(&occurred_at)) = (row.customer_id.try_as_ref(), row.occurred_at.try_as_ref()) else {
        return Err(AppError::internal("an interaction row without its customer or time"));
    };
    let next_follow_up_at = row.next_follow_up_at.try_as_ref().copied().flatten();
    let last = Expr::col(customer::Column::LastInteractionAt);
    let later =
        Expr::case(last.clone().is_null().or(last.clone().lt(occurred_at)), Expr::val(occurred_at)).finally(last);
    let mut update = customer::Entity::update_many().col_expr(customer::Column::LastInteractionAt, later.into());
    if let Some(next) = next_follow_up_at {
        update = update.col_expr(customer::Column::NextFollowUpAt, Expr::val(next));
    }
    let result = update
        .filter(customer::Column::Id.eq(customer_id))
        .filter(visible::<customer::Entity>(viewer, false))
        .exec(txn)
        .await?;
    if result.rows_affected == 1 {
        Ok(Ok(()))
    } else {
        Ok(Err(vec![FieldError::new("customerId", ErrorCode::NotFound, format!("no such {}", customer::Entity::NAME))]))
    }
}
