//! Communication records: keeping the customer's `lastInteractionAt` current.

use crate::error::AppResult;
use entity::{customer, interaction};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter};

/// Moves the customer's `lastInteractionAt` (and an earlier-or-unset `nextFollowUpAt`)
/// forward to this interaction. A derived field: the customer's version is not bumped.
pub async fn touch_customer(txn: &DatabaseTransaction, saved: &interaction::Model) -> AppResult<()> {
    customer::Entity::update_many()
        .col_expr(customer::Column::LastInteractionAt, Expr::val(saved.occurred_at))
        .filter(customer::Column::Id.eq(saved.customer_id))
        .filter(
            Condition::any()
                .add(customer::Column::LastInteractionAt.is_null())
                .add(customer::Column::LastInteractionAt.lt(saved.occurred_at)),
        )
        .exec(txn)
        .await?;
    if let Some(next) = saved.next_follow_up_at {
        customer::Entity::update_many()
            .col_expr(customer::Column::NextFollowUpAt, Expr::val(next))
            .filter(customer::Column::Id.eq(saved.customer_id))
            .exec(txn)
            .await?;
    }
    Ok(())
}
