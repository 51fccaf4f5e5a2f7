//! The follow-up queue: the customers a rep should act on next, each with its reasons, and
//! reviews (`markReviewed`) that keep records current — active customers quarterly,
//! potential ones every six months (DOMAIN.md "Keeping records current").
//!
//! Which customers are due is one SQL condition (so the queue pages and counts like any
//! customer list); why each one is due is worked out again from its row and classes by
//! [`reasons`], from the same definitions.

use super::classification::sql::months_before;
use super::record::customer_visible;
use super::validate::{Checker, ErrorCode, FieldError};
use super::{audit, customer::missing_fields};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::classification::current;
use entity::customer::{self, Column};
use entity::enums::{LifecycleStage, NeedUrgency, ValueTier};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

/// Months between reviews of a customer past its first purchase.
pub const ACTIVE_REVIEW_MONTHS: u32 = 3;
/// Months between reviews of a potential customer.
pub const POTENTIAL_REVIEW_MONTHS: u32 = 6;

/// Why a customer is in the queue.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Key fields are missing (待跟进).
    MissingFields,
    /// Its `nextFollowUpAt` has come.
    FollowUpDue,
    /// Its periodic review has come.
    ReviewDue,
    /// A complainant nobody has contacted since the complaint.
    ReturnVisit,
    /// Dormant: offer to reactivate.
    Reactivation,
    /// High value with an urgent need: senior staff should take it.
    UrgentHighValue,
    /// The customer asked for their record to be corrected (纠错).
    CorrectionRequested,
}

/// Every reason, in the order items list them.
pub const REASONS: [Reason; 7] = [
    Reason::UrgentHighValue,
    Reason::CorrectionRequested,
    Reason::ReturnVisit,
    Reason::FollowUpDue,
    Reason::ReviewDue,
    Reason::Reactivation,
    Reason::MissingFields,
];

/// What the queue holds: customers due by `due_before`, of `owner` if given, for any of
/// `reasons` (all when empty).
#[derive(Clone, Debug)]
pub struct Queue {
    pub owner: Option<Uuid>,
    pub due_before: DateTime<Utc>,
    pub reasons: Vec<Reason>,
}

impl Queue {
    fn wants(&self, reason: Reason) -> bool {
        self.reasons.is_empty() || self.reasons.contains(&reason)
    }

    /// The customers in the queue, as a condition on `customers` (row scope is added by
    /// the list that uses it).
    pub fn condition(&self) -> Condition {
        let mut any = Condition::any();
        for reason in REASONS.into_iter().filter(|r| self.wants(*r)) {
            any = any.add(self.due(reason));
        }
        let mut cond = Condition::all().add(any);
        if let Some(owner) = self.owner {
            cond = cond.add(Column::OwnerId.eq(owner));
        }
        cond
    }

    fn due(&self, reason: Reason) -> Condition {
        let at = self.due_before;
        match reason {
            Reason::MissingFields => super::customer::missing_fields_condition(),
            Reason::FollowUpDue => Condition::all().add(Column::NextFollowUpAt.lte(at)),
            Reason::ReviewDue => Condition::any()
                .add(
                    Column::LifecycleStage
                        .eq(LifecycleStage::Potential)
                        .and(last_review_before(months_before(at, POTENTIAL_REVIEW_MONTHS))),
                )
                .add(
                    Column::LifecycleStage
                        .ne(LifecycleStage::Potential)
                        .and(last_review_before(months_before(at, ACTIVE_REVIEW_MONTHS))),
                ),
            Reason::ReturnVisit => Condition::all().add(holds(
                "COMPLAINANT",
                Some(
                    Expr::col((customer::Entity, Column::LastInteractionAt)).is_null().or(Expr::col((
                        customer::Entity,
                        Column::LastInteractionAt,
                    ))
                    .lt(Expr::col((current::Entity, current::Column::Since)))),
                ),
            )),
            Reason::Reactivation => Condition::all().add(holds("DORMANT", None)),
            Reason::UrgentHighValue => Condition::all()
                .add(Column::ValueTier.eq(ValueTier::High))
                .add(Column::NeedUrgency.eq(NeedUrgency::Urgent)),
            Reason::CorrectionRequested => {
                use entity::correction_request as request;
                let open = Query::select()
                    .expr(Expr::val(1))
                    .from(request::Entity)
                    .and_where(
                        Expr::col((request::Entity, request::Column::CustomerId))
                            .equals((customer::Entity, Column::Id)),
                    )
                    .and_where(Expr::col((request::Entity, request::Column::ClosedAt)).is_null())
                    .to_owned();
                Condition::all().add(Expr::exists(open))
            }
        }
    }
}

/// The last review (or, never reviewed, the record's creation) is before `cutoff`.
fn last_review_before(cutoff: DateTime<Utc>) -> Expr {
    Column::LastReviewedAt.lt(cutoff).or(Column::LastReviewedAt.is_null().and(Column::CreatedAt.lt(cutoff)))
}

/// The behaviour `dimension` holds for the customer (and `extra` on its class row).
fn holds(dimension: &str, extra: Option<Expr>) -> Expr {
    let mut q = Query::select();
    q.expr(Expr::val(1))
        .from(current::Entity)
        .and_where(Expr::col((current::Entity, current::Column::CustomerId)).equals((customer::Entity, Column::Id)))
        .and_where(Expr::col((current::Entity, current::Column::Dimension)).eq(dimension))
        .and_where(Expr::col((current::Entity, current::Column::Value)).eq(dimension));
    if let Some(extra) = extra {
        q.and_where(extra);
    }
    Expr::exists(q.to_owned())
}

/// Why `c` (with its current `classes`, and whether it has an open correction request) is
/// in `queue`, in [`REASONS`] order; the same definitions as [`Queue::condition`].
pub fn reasons(queue: &Queue, c: &customer::Model, classes: &[current::Model], correction: bool) -> Vec<Reason> {
    let at = queue.due_before;
    let class = |d: &str| classes.iter().find(|k| k.dimension == d && k.value.as_deref() == Some(d));
    let review_months =
        if c.lifecycle_stage == LifecycleStage::Potential { POTENTIAL_REVIEW_MONTHS } else { ACTIVE_REVIEW_MONTHS };
    let holds = |reason: Reason| match reason {
        Reason::MissingFields => !missing_fields(c).is_empty(),
        Reason::FollowUpDue => c.next_follow_up_at.is_some_and(|t| t <= at),
        Reason::ReviewDue => c.last_reviewed_at.unwrap_or(c.created_at) < months_before(at, review_months),
        Reason::ReturnVisit => class("COMPLAINANT").is_some_and(|k| c.last_interaction_at.is_none_or(|t| t < k.since)),
        Reason::Reactivation => class("DORMANT").is_some(),
        Reason::UrgentHighValue => c.value_tier == Some(ValueTier::High) && c.need_urgency == Some(NeedUrgency::Urgent),
        Reason::CorrectionRequested => correction,
    };
    REASONS.into_iter().filter(|r| queue.wants(*r) && holds(*r)).collect()
}

/// Records that `viewer` reviewed customer `id` at `at` (with an optional note): a review
/// row and the customer's `lastReviewedAt`, audited, in one transaction. The customer's
/// version is not bumped — a review changes no field a client edits.
pub async fn mark_reviewed(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> AppResult<Result<customer::Model, Vec<FieldError>>> {
    super::permission::require_write(viewer, "Customer")?;
    let mut c = Checker::default();
    let note = c.long_text("note", note, 2000);
    if !customer_visible(db, viewer, id).await? {
        c.push("customerId", ErrorCode::NotFound, "no such Customer");
    }
    if let Err(errors) = c.finish(()) {
        return Ok(Err(errors));
    }
    let txn = crate::engine::rows::begin(db).await?;
    entity::customer_review::Entity::insert(entity::customer_review::ActiveModel {
        id: Set(entity::new_id()),
        customer_id: Set(id),
        reviewer_id: Set(viewer.user_id),
        note: Set(note),
        reviewed_at: Set(at),
    })
    .exec_without_returning(&txn)
    .await?;
    customer::Entity::update_many()
        .col_expr(Column::LastReviewedAt, Expr::val(at))
        .filter(Column::Id.eq(id))
        .exec(&txn)
        .await?;
    audit::record(&txn, viewer, "review", "Customer", id, &["lastReviewedAt"]).await?;
    let saved = customer::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(saved))
}
