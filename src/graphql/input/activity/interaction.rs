//! Inputs of communication records.

use super::*;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::input::patch;
use crate::graphql::types::enums::Channel;
use crate::service::now;
use crate::service::record::{Change, Checked, check_ref};
use crate::service::validate::{Checker, ErrorCode};
use crate::{enum_filter, lifecycle_inputs, record_filter, record_order, set_field};
use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};
use entity::{contact, customer, deal, interaction};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

enum_filter!(InteractionChannelFilter, Channel, entity::enums::Channel);

record_filter! {
    /// Conditions on communication records.
    InteractionFilter for interaction as "Interaction" {
        id: IdFilter => Id("Interaction"),
        customer_id: IdFilter => CustomerId("Customer"),
        contact_id: IdFilter => ContactId("Contact"),
        deal_id: IdFilter => DealId("Deal"),
        user_id: IdFilter => UserId("User"),
        channel: InteractionChannelFilter => Channel,
        occurred_at: DateTimeFilter => OccurredAt,
        summary: StringFilter => Summary,
        next_follow_up_at: DateTimeFilter => NextFollowUpAt,
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (interaction::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
}

record_order!(InteractionOrder, InteractionOrderField for interaction as "Interaction", default OccurredAt Desc {
    OccurredAt => OccurredAt,
    CreatedAt => CreatedAt,
    UpdatedAt => UpdatedAt,
});

lifecycle_inputs!(DeleteInteractionInput, RestoreInteractionInput);

/// A communication record to log.
#[derive(InputObject, Debug, Clone)]
pub struct CreateInteractionInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub contact_id: Option<ID>,
    pub deal_id: Option<ID>,
    pub channel: Channel,
    /// When it happened; now when left out.
    pub occurred_at: Option<DateTime<Utc>>,
    pub summary: String,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
    pub next_follow_up_at: Option<DateTime<Utc>>,
}

impl CreateInteractionInput {
    /// The row to insert (logged as the viewer), or the field errors. The customer is
    /// checked when the row is stored, by the statement that updates it
    /// ([`claim_customer`](crate::service::interaction::claim_customer)); here only when
    /// there are other errors, so that all are reported at once.
    pub async fn into_row(
        self,
        db: &DatabaseConnection,
        viewer: &Viewer,
    ) -> AppResult<Checked<interaction::ActiveModel>> {
        let mut c = Checker::default();
        let customer_id = opt_id(Some(&self.customer_id), "Customer");
        let contact =
            check_ref::<contact::Entity>(db, viewer, &mut c, "contactId", opt_id(self.contact_id.as_ref(), "Contact"))
                .await?;
        same_customer(&mut c, "contactId", customer_id.unwrap_or_default(), contact.as_ref().map(|m| m.customer_id));
        let deal =
            check_ref::<deal::Entity>(db, viewer, &mut c, "dealId", opt_id(self.deal_id.as_ref(), "Deal")).await?;
        same_customer(&mut c, "dealId", customer_id.unwrap_or_default(), deal.as_ref().map(|m| m.customer_id));
        let ts = now();
        let occurred_at = self.occurred_at.unwrap_or(ts);
        if occurred_at > ts + chrono::Duration::minutes(5) {
            c.push("occurredAt", ErrorCode::Invalid, "occurredAt cannot be in the future");
        }
        let row = interaction::ActiveModel {
            customer_id: Set(customer_id.unwrap_or_default()),
            contact_id: Set(contact.map(|m| m.id)),
            deal_id: Set(deal.map(|m| m.id)),
            user_id: Set(viewer.user_id),
            channel: Set(self.channel.into()),
            occurred_at: Set(occurred_at),
            summary: Set(c.name("summary", &self.summary, 5_000)),
            outcome: Set(c.long_text("outcome", self.outcome.as_deref(), 5_000)),
            next_step: Set(c.long_text("nextStep", self.next_step.as_deref(), 2_000)),
            next_follow_up_at: Set(self.next_follow_up_at),
            ..entity::record::new_row::<entity::interaction::Entity>(ts)
        };
        if !c.errors.is_empty() {
            let mut first = Checker::default();
            check_ref::<customer::Entity>(db, viewer, &mut first, "customerId", customer_id).await?;
            first.errors.append(&mut c.errors);
            c = first;
        }
        Ok(c.finish(row))
    }
}

/// Changes to a communication record.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateInteractionInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub channel: Option<Channel>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub summary: Option<String>,
    pub outcome: MaybeUndefined<String>,
    pub next_step: MaybeUndefined<String>,
    pub next_follow_up_at: MaybeUndefined<DateTime<Utc>>,
}

impl UpdateInteractionInput {
    /// The change to write.
    pub fn change(self, _current: &interaction::Model) -> Change<interaction::ActiveModel> {
        let mut c = Checker::default();
        let mut row = interaction::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = self.channel {
            set_field!(row, fields, channel, "channel", v.into());
        }
        if let Some(v) = self.occurred_at {
            set_field!(row, fields, occurred_at, "occurredAt", v);
        }
        if let Some(v) = &self.summary {
            set_field!(row, fields, summary, "summary", c.name("summary", v, 5_000));
        }
        if let Some(v) = patch(self.outcome, |v| v) {
            set_field!(row, fields, outcome, "outcome", c.long_text("outcome", v.as_deref(), 5_000));
        }
        if let Some(v) = patch(self.next_step, |v| v) {
            set_field!(row, fields, next_step, "nextStep", c.long_text("nextStep", v.as_deref(), 2_000));
        }
        if let Some(v) = patch(self.next_follow_up_at, |v| v) {
            set_field!(row, fields, next_follow_up_at, "nextFollowUpAt", v);
        }
        c.finish((row, fields))
    }
}
