//! The follow-up queue in the API: `followUps` (what to do next, each customer with its
//! reasons) and `markReviewed`. The definitions live in `service::follow_up`.

use super::classification::Classifications;
use crate::graphql::context;
use crate::graphql::crud;
use crate::graphql::idempotency::idempotent;
use crate::graphql::input::customer::CustomerOrder;
use crate::graphql::relay::{Conn, connection, expect_id, page_args, page_complexity};
use crate::graphql::types::customer::Customer;
use crate::service::customer as customers;
use crate::service::follow_up::{self as service, Queue, Reason};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use uuid::Uuid;

/// Why a customer needs attention.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::service::follow_up::Reason")]
pub enum FollowUpReason {
    /// Key fields are missing (待跟进): see `missingFields`.
    MissingFields,
    /// Its `nextFollowUpAt` has come.
    FollowUpDue,
    /// Its periodic review has come: quarterly once it has bought, every six months while
    /// potential, counted from `lastReviewedAt` (or its creation).
    ReviewDue,
    /// A complainant nobody has contacted since the complaint: a return visit.
    ReturnVisit,
    /// Dormant: a reactivation offer.
    Reactivation,
    /// High value with an urgent need: for senior staff, answered within 24 h.
    UrgentHighValue,
    /// The customer asked for their record to be corrected (纠错): see
    /// `Customer.correctionRequests`; an update of the named fields settles it.
    CorrectionRequested,
}

/// Which follow-ups to list.
#[derive(InputObject, Default)]
pub struct FollowUpFilter {
    /// Only customers owned by this user.
    pub owner_id: Option<ID>,
    /// What is due by this time (default: now).
    pub due_before: Option<DateTime<Utc>>,
    /// Only these reasons (default: all).
    pub reasons: Option<Vec<FollowUpReason>>,
}

/// A customer in the queue, with why.
pub struct FollowUp {
    customer: Customer,
    queue: Arc<Queue>,
}

#[Object]
impl FollowUp {
    async fn customer(&self) -> &Customer {
        &self.customer
    }
    /// Why it is in the queue, most pressing first.
    async fn reasons(&self, ctx: &Context<'_>) -> Result<Vec<FollowUpReason>> {
        let loader = context::loaders(ctx)?.get::<Uuid, Classifications>();
        let classes = loader.load_one(self.customer.0.id).await?.unwrap_or_default();
        let open = context::loaders(ctx)?.get::<Uuid, super::correction::OpenCorrections>();
        let correction = open.load_one(self.customer.0.id).await?.is_some();
        Ok(service::reasons(&self.queue, &self.customer.0, &classes, correction).into_iter().map(Into::into).collect())
    }
    /// The key fields to fill in (empty unless MISSING_FIELDS).
    async fn missing_fields(&self) -> Vec<&'static str> {
        customers::missing_fields(&self.customer.0)
    }
}

/// `followUps`.
#[derive(Default)]
pub struct FollowUpQuery;

#[Object]
impl FollowUpQuery {
    /// What to do next: the customers the caller may see that need attention, each with
    /// its reasons. Reps see their own, managers their team's (row scope).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn follow_ups(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<FollowUpFilter>,
        order_by: Option<Vec<CustomerOrder>>,
    ) -> Result<Conn<FollowUp>> {
        let filter = filter.unwrap_or_default();
        let queue = Arc::new(Queue {
            // A malformed id matches no owner, as in every id filter.
            owner: filter.owner_id.map(|id| expect_id(&id, "User").unwrap_or_default()),
            due_before: filter.due_before.unwrap_or_else(crate::service::now),
            reasons: filter.reasons.unwrap_or_default().into_iter().map(Reason::from).collect(),
        });
        let args = page_args(first, after, last, before);
        let (page, count) = crate::graphql::query::customer::matching(ctx, queue.condition(), order_by, args).await?;
        Ok(connection(page, count, |m| FollowUp { customer: Customer(m), queue: queue.clone() }))
    }
}

/// A review of a customer record.
#[derive(InputObject)]
pub struct MarkReviewedInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    /// What was checked or changed, up to 2,000 characters.
    pub note: Option<String>,
}

crate::payload!(/// The result of `markReviewed`.
    MarkReviewedPayload { customer: Customer });

/// `markReviewed`.
#[derive(Default)]
pub struct FollowUpMutation;

#[Object]
impl FollowUpMutation {
    /// Records that the caller reviewed a customer's record: its next review falls due a
    /// period from now (REVIEW_DUE leaves the queue).
    async fn mark_reviewed(&self, ctx: &Context<'_>, input: MarkReviewedInput) -> Result<MarkReviewedPayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let id = expect_id(&input.customer_id, "Customer").unwrap_or_default();
            let result = service::mark_reviewed(db, viewer, id, input.note.as_deref(), crate::service::now()).await?;
            Ok(crud::build(result, Customer, key.clone()))
        })
        .await
    }
}
