//! Inputs of feedback.

use super::*;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::input::patch;
use crate::graphql::types::enums::{FeedbackKind, Sentiment};
use crate::service::now;
use crate::service::record::{Change, Checked, check_ref};
use crate::service::validate::Checker;
use crate::{enum_filter, lifecycle_inputs, record_filter, record_order, set_field};
use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};
use entity::{customer, feedback, ticket};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

enum_filter!(FeedbackKindFilter, FeedbackKind, entity::enums::FeedbackKind);
enum_filter!(SentimentFilter, Sentiment, entity::enums::Sentiment);

record_filter! {
    /// Conditions on feedback.
    FeedbackFilter for feedback as "Feedback" {
        id: IdFilter => Id("Feedback"),
        customer_id: IdFilter => CustomerId("Customer"),
        ticket_id: IdFilter => TicketId("Ticket"),
        kind: FeedbackKindFilter => Kind,
        sentiment: SentimentFilter => Sentiment,
        content: StringFilter => Content,
        source: StringFilter => Source,
        received_at: DateTimeFilter => ReceivedAt,
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (feedback::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
}

record_order!(FeedbackOrder, FeedbackOrderField for feedback as "Feedback", default ReceivedAt Desc {
    ReceivedAt => ReceivedAt,
    CreatedAt => CreatedAt,
});

lifecycle_inputs!(DeleteFeedbackInput, RestoreFeedbackInput);

/// Praise, a suggestion or a complaint to record.
#[derive(InputObject, Debug, Clone)]
pub struct CreateFeedbackInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub ticket_id: Option<ID>,
    pub kind: FeedbackKind,
    /// From the kind when left out (praise positive, complaint negative).
    pub sentiment: Option<Sentiment>,
    pub content: String,
    pub source: Option<String>,
    /// Now when left out.
    pub received_at: Option<DateTime<Utc>>,
}

impl CreateFeedbackInput {
    /// The row to insert, or the field errors.
    pub async fn into_row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<feedback::ActiveModel>> {
        use entity::enums::{FeedbackKind as K, Sentiment as S};
        let mut c = Checker::default();
        let customer = check_ref::<customer::Entity>(
            db,
            viewer,
            &mut c,
            "customerId",
            opt_id(Some(&self.customer_id), "Customer"),
        )
        .await?;
        let customer_id = customer.map(|m| m.id).unwrap_or_default();
        let ticket =
            check_ref::<ticket::Entity>(db, viewer, &mut c, "ticketId", opt_id(self.ticket_id.as_ref(), "Ticket"))
                .await?;
        same_customer(&mut c, "ticketId", customer_id, ticket.as_ref().map(|m| m.customer_id));
        let kind: K = self.kind.into();
        let sentiment = self.sentiment.map(Into::into).unwrap_or(match kind {
            K::Praise => S::Positive,
            K::Suggestion => S::Neutral,
            K::Complaint => S::Negative,
        });
        let ts = now();
        let row = feedback::ActiveModel {
            customer_id: Set(customer_id),
            ticket_id: Set(ticket.map(|m| m.id)),
            kind: Set(kind),
            sentiment: Set(sentiment),
            content: Set(c.name("content", &self.content, 10_000)),
            source: Set(c.text("source", self.source.as_deref(), 64)),
            received_at: Set(self.received_at.unwrap_or(ts)),
            ..entity::record::new_row::<entity::feedback::Entity>(ts)
        };
        Ok(c.finish(row))
    }
}

/// Changes to a piece of feedback.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateFeedbackInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub kind: Option<FeedbackKind>,
    pub sentiment: Option<Sentiment>,
    pub content: Option<String>,
    pub source: MaybeUndefined<String>,
}

impl UpdateFeedbackInput {
    /// The change to write.
    pub fn change(self, _current: &feedback::Model) -> Change<feedback::ActiveModel> {
        let mut c = Checker::default();
        let mut row = feedback::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = self.kind {
            set_field!(row, fields, kind, "kind", v.into());
        }
        if let Some(v) = self.sentiment {
            set_field!(row, fields, sentiment, "sentiment", v.into());
        }
        if let Some(v) = &self.content {
            set_field!(row, fields, content, "content", c.name("content", v, 10_000));
        }
        if let Some(v) = patch(self.source, |v| v) {
            set_field!(row, fields, source, "source", c.text("source", v.as_deref(), 64));
        }
        c.finish((row, fields))
    }
}
