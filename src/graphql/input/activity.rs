//! Inputs of interaction, purchase, deal, ticket and feedback queries and mutations.

use super::customer::CustomerFilter;
use super::filter::{DateFilter, DateTimeFilter, IdFilter, IntFilter, MoneyFilter, StringFilter};
use super::patch;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::relay::{Date, expect_id};
use crate::graphql::types::enums::{
    Channel, DealStage, FeedbackKind, Sentiment, TicketCategory, TicketPriority, TicketStatus,
};
use crate::service::record::{Change, Checked, check_ref};
use crate::service::validate::{Checker, ErrorCode};
use crate::service::{now, sequence};
use crate::{enum_filter, lifecycle_inputs, record_filter, record_order, set_field};
use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};
use entity::enums::Role;
use entity::{contact, customer, deal, feedback, interaction, purchase, ticket, user};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, DatabaseConnection};
use uuid::Uuid;

enum_filter!(InteractionChannelFilter, Channel, entity::enums::Channel);
enum_filter!(DealStageFilter, DealStage, entity::enums::DealStage);
enum_filter!(TicketCategoryFilter, TicketCategory, entity::enums::TicketCategory);
enum_filter!(TicketPriorityFilter, TicketPriority, entity::enums::TicketPriority);
enum_filter!(TicketStatusFilter, TicketStatus, entity::enums::TicketStatus);
enum_filter!(FeedbackKindFilter, FeedbackKind, entity::enums::FeedbackKind);
enum_filter!(SentimentFilter, Sentiment, entity::enums::Sentiment);

/// The id behind an optional global ID of `kind`; a malformed one becomes the nil id so
/// the reference check reports it as `NOT_FOUND`.
fn opt_id(id: Option<&ID>, kind: &str) -> Option<Uuid> {
    id.map(|id| expect_id(id, kind).unwrap_or_default())
}

/// Checks that a referenced contact or deal belongs to the same customer.
fn same_customer(c: &mut Checker, field: &str, customer: Uuid, owner: Option<Uuid>) {
    if owner.is_some_and(|o| o != customer) {
        c.push(field, ErrorCode::Invalid, format!("{field} belongs to another customer"));
    }
}

/// Only admins and managers give records to other users.
fn check_assignee(c: &mut Checker, viewer: &Viewer, field: &str, user: Option<Uuid>) {
    if user.is_some_and(|u| u != viewer.user_id) && !matches!(viewer.role, Role::Admin | Role::Manager | Role::Service)
    {
        c.push(field, ErrorCode::Forbidden, "only admins, managers and service staff assign records to others");
    }
}

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
    /// The row to insert (logged as the viewer), or the field errors.
    pub async fn into_row(
        self,
        db: &DatabaseConnection,
        viewer: &Viewer,
    ) -> AppResult<Checked<interaction::ActiveModel>> {
        let mut c = Checker::default();
        let customer_id = opt_id(Some(&self.customer_id), "Customer");
        let customer = check_ref::<customer::Entity>(db, viewer, &mut c, "customerId", customer_id).await?;
        let customer_id = customer.map(|m| m.id).unwrap_or_default();
        let contact =
            check_ref::<contact::Entity>(db, viewer, &mut c, "contactId", opt_id(self.contact_id.as_ref(), "Contact"))
                .await?;
        same_customer(&mut c, "contactId", customer_id, contact.as_ref().map(|m| m.customer_id));
        let deal =
            check_ref::<deal::Entity>(db, viewer, &mut c, "dealId", opt_id(self.deal_id.as_ref(), "Deal")).await?;
        same_customer(&mut c, "dealId", customer_id, deal.as_ref().map(|m| m.customer_id));
        let ts = now();
        let occurred_at = self.occurred_at.unwrap_or(ts);
        if occurred_at > ts + chrono::Duration::minutes(5) {
            c.push("occurredAt", ErrorCode::Invalid, "occurredAt cannot be in the future");
        }
        let row = interaction::ActiveModel {
            id: Set(entity::new_id()),
            customer_id: Set(customer_id),
            contact_id: Set(contact.map(|m| m.id)),
            deal_id: Set(deal.map(|m| m.id)),
            user_id: Set(viewer.user_id),
            channel: Set(self.channel.into()),
            occurred_at: Set(occurred_at),
            summary: Set(c.name("summary", &self.summary, 5_000)),
            outcome: Set(c.long_text("outcome", self.outcome.as_deref(), 5_000)),
            next_step: Set(c.long_text("nextStep", self.next_step.as_deref(), 2_000)),
            next_follow_up_at: Set(self.next_follow_up_at),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
            deleted_at: Set(None),
        };
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

record_filter! {
    /// Conditions on purchases.
    PurchaseFilter for purchase as "Purchase" {
        id: IdFilter => Id("Purchase"),
        customer_id: IdFilter => CustomerId("Customer"),
        deal_id: IdFilter => DealId("Deal"),
        product: StringFilter => Product,
        quantity: IntFilter => Quantity,
        amount: MoneyFilter => AmountE4,
        currency: StringFilter => Currency,
        purchased_at: DateFilter => PurchasedAt,
        payment_method: StringFilter => PaymentMethod,
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (purchase::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
}

record_order!(PurchaseOrder, PurchaseOrderField for purchase as "Purchase", default PurchasedAt Desc {
    PurchasedAt => PurchasedAt,
    Amount => AmountE4,
    Product => Product,
    CreatedAt => CreatedAt,
});

lifecycle_inputs!(DeletePurchaseInput, RestorePurchaseInput);

/// A purchase to record.
#[derive(InputObject, Debug, Clone)]
pub struct CreatePurchaseInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub deal_id: Option<ID>,
    pub product: String,
    #[graphql(default = 1)]
    pub quantity: i32,
    /// Total amount (at most four decimal places).
    pub amount: Decimal,
    /// ISO 4217 code; CNY when left out.
    pub currency: Option<String>,
    /// Today when left out; never in the future.
    pub purchased_at: Option<Date>,
    pub payment_method: Option<String>,
}

impl CreatePurchaseInput {
    /// The row to insert, or the field errors.
    pub async fn into_row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<purchase::ActiveModel>> {
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
        let deal =
            check_ref::<deal::Entity>(db, viewer, &mut c, "dealId", opt_id(self.deal_id.as_ref(), "Deal")).await?;
        same_customer(&mut c, "dealId", customer_id, deal.as_ref().map(|m| m.customer_id));
        let ts = now();
        let row = purchase::ActiveModel {
            id: Set(entity::new_id()),
            customer_id: Set(customer_id),
            deal_id: Set(deal.map(|m| m.id)),
            product: Set(c.name("product", &self.product, 200)),
            quantity: Set(c.int_range("quantity", self.quantity, 1, 1_000_000)),
            amount_e4: Set(c.money("amount", self.amount)),
            currency: Set(c.currency("currency", self.currency.as_deref(), "CNY")),
            purchased_at: Set(c.past_date("purchasedAt", self.purchased_at.map_or(ts.date_naive(), |d| d.0))),
            payment_method: Set(c.text("paymentMethod", self.payment_method.as_deref(), 64)),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
            deleted_at: Set(None),
        };
        Ok(c.finish(row))
    }
}

/// Changes to a purchase.
#[derive(InputObject, Debug, Clone)]
pub struct UpdatePurchaseInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub product: Option<String>,
    pub quantity: Option<i32>,
    pub amount: Option<Decimal>,
    pub currency: Option<String>,
    pub purchased_at: Option<Date>,
    pub payment_method: MaybeUndefined<String>,
}

impl UpdatePurchaseInput {
    /// The change to write.
    pub fn change(self, _current: &purchase::Model) -> Change<purchase::ActiveModel> {
        let mut c = Checker::default();
        let mut row = purchase::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = &self.product {
            set_field!(row, fields, product, "product", c.name("product", v, 200));
        }
        if let Some(v) = self.quantity {
            set_field!(row, fields, quantity, "quantity", c.int_range("quantity", v, 1, 1_000_000));
        }
        if let Some(v) = self.amount {
            set_field!(row, fields, amount_e4, "amount", c.money("amount", v));
        }
        if let Some(v) = &self.currency {
            set_field!(row, fields, currency, "currency", c.currency("currency", Some(v), "CNY"));
        }
        if let Some(v) = self.purchased_at {
            set_field!(row, fields, purchased_at, "purchasedAt", c.past_date("purchasedAt", v.0));
        }
        if let Some(v) = patch(self.payment_method, |v| v) {
            set_field!(row, fields, payment_method, "paymentMethod", c.text("paymentMethod", v.as_deref(), 64));
        }
        c.finish((row, fields))
    }
}

record_filter! {
    /// Conditions on deals.
    DealFilter for deal as "Deal" {
        id: IdFilter => Id("Deal"),
        customer_id: IdFilter => CustomerId("Customer"),
        owner_id: IdFilter => OwnerId("User"),
        title: StringFilter => Title,
        stage: DealStageFilter => Stage,
        amount: MoneyFilter => AmountE4,
        currency: StringFilter => Currency,
        probability: IntFilter => Probability,
        expected_close_date: DateFilter => ExpectedCloseDate,
        closed_at: DateTimeFilter => ClosedAt,
        created_at: DateTimeFilter => CreatedAt,
        updated_at: DateTimeFilter => UpdatedAt,
    }
    related {
        customer: CustomerFilter => (deal::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
}

record_order!(DealOrder, DealOrderField for deal as "Deal", default CreatedAt Desc {
    CreatedAt => CreatedAt,
    UpdatedAt => UpdatedAt,
    Title => Title,
    Amount => AmountE4,
    Probability => Probability,
});

lifecycle_inputs!(DeleteDealInput, RestoreDealInput);

/// The default win probability of a stage, in percent.
pub fn stage_probability(stage: entity::enums::DealStage) -> i32 {
    use entity::enums::DealStage as S;
    match stage {
        S::Lead => 10,
        S::Qualified => 25,
        S::Proposal => 50,
        S::Negotiation => 75,
        S::Won => 100,
        S::Lost => 0,
    }
}

/// A deal to open.
#[derive(InputObject, Debug, Clone)]
pub struct CreateDealInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub title: String,
    /// LEAD when left out; close a deal with `moveDealStage`.
    pub stage: Option<DealStage>,
    pub amount: Decimal,
    /// ISO 4217 code; CNY when left out.
    pub currency: Option<String>,
    /// Percent; the stage's default when left out.
    pub probability: Option<i32>,
    pub expected_close_date: Option<Date>,
    /// Owner (admins and managers only); the caller when left out.
    pub owner_id: Option<ID>,
}

impl CreateDealInput {
    /// The row to insert, or the field errors.
    pub async fn into_row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<deal::ActiveModel>> {
        let mut c = Checker::default();
        let customer = check_ref::<customer::Entity>(
            db,
            viewer,
            &mut c,
            "customerId",
            opt_id(Some(&self.customer_id), "Customer"),
        )
        .await?;
        let owner = opt_id(self.owner_id.as_ref(), "User");
        if owner.is_some_and(|o| o != viewer.user_id) && !matches!(viewer.role, Role::Admin | Role::Manager) {
            c.push("ownerId", ErrorCode::Forbidden, "only admins and managers give deals to others");
        }
        let owner =
            check_ref::<user::Entity>(db, viewer, &mut c, "ownerId", owner).await?.map_or(viewer.user_id, |u| u.id);
        let stage: entity::enums::DealStage = self.stage.map_or(entity::enums::DealStage::Lead, Into::into);
        if matches!(stage, entity::enums::DealStage::Won | entity::enums::DealStage::Lost) {
            c.push("stage", ErrorCode::Invalid, "open a deal in an open stage; close it with moveDealStage");
        }
        let ts = now();
        let row = deal::ActiveModel {
            id: Set(entity::new_id()),
            customer_id: Set(customer.map(|m| m.id).unwrap_or_default()),
            owner_id: Set(owner),
            title: Set(c.name("title", &self.title, 200)),
            stage: Set(stage),
            amount_e4: Set(c.money("amount", self.amount)),
            currency: Set(c.currency("currency", self.currency.as_deref(), "CNY")),
            probability: Set(c.int_range("probability", self.probability.unwrap_or(stage_probability(stage)), 0, 100)),
            expected_close_date: Set(self.expected_close_date.map(|d| d.0)),
            closed_at: Set(None),
            lost_reason: Set(None),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
            deleted_at: Set(None),
        };
        Ok(c.finish(row))
    }
}

/// Changes to a deal (its stage moves with `moveDealStage`).
#[derive(InputObject, Debug, Clone)]
pub struct UpdateDealInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub title: Option<String>,
    pub amount: Option<Decimal>,
    pub currency: Option<String>,
    pub probability: Option<i32>,
    pub expected_close_date: MaybeUndefined<Date>,
    /// Reassign (admins and managers only).
    pub owner_id: Option<ID>,
}

impl UpdateDealInput {
    /// The change to write.
    pub async fn change(
        self,
        db: &DatabaseConnection,
        viewer: &Viewer,
        current: &deal::Model,
    ) -> AppResult<Change<deal::ActiveModel>> {
        let mut c = Checker::default();
        let mut row = deal::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = &self.title {
            set_field!(row, fields, title, "title", c.name("title", v, 200));
        }
        if let Some(v) = self.amount {
            set_field!(row, fields, amount_e4, "amount", c.money("amount", v));
        }
        if let Some(v) = &self.currency {
            set_field!(row, fields, currency, "currency", c.currency("currency", Some(v), "CNY"));
        }
        if let Some(v) = self.probability {
            set_field!(row, fields, probability, "probability", c.int_range("probability", v, 0, 100));
        }
        if let Some(v) = patch(self.expected_close_date, |d| d.0) {
            set_field!(row, fields, expected_close_date, "expectedCloseDate", v);
        }
        if let Some(owner) = opt_id(self.owner_id.as_ref(), "User").filter(|o| *o != current.owner_id) {
            if !matches!(viewer.role, Role::Admin | Role::Manager) {
                c.push("ownerId", ErrorCode::Forbidden, "only admins and managers reassign deals");
            } else if let Some(u) = check_ref::<user::Entity>(db, viewer, &mut c, "ownerId", Some(owner)).await? {
                set_field!(row, fields, owner_id, "ownerId", u.id);
            }
        }
        Ok(c.finish((row, fields)))
    }
}

/// Moves a deal through the pipeline; WON and LOST close it.
#[derive(InputObject, Debug, Clone)]
pub struct MoveDealStageInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub stage: DealStage,
    /// Required when the stage is LOST.
    pub lost_reason: Option<String>,
    /// The stage's default when left out.
    pub probability: Option<i32>,
}

impl MoveDealStageInput {
    /// The change to write.
    pub fn change(self, current: &deal::Model) -> Change<deal::ActiveModel> {
        use entity::enums::DealStage as S;
        let mut c = Checker::default();
        let mut row = deal::ActiveModel::default();
        let mut fields = Vec::new();
        let stage: S = self.stage.into();
        if matches!(current.stage, S::Won | S::Lost) && stage == current.stage {
            c.push("stage", ErrorCode::InvalidState, "the deal is already in this stage");
        }
        let reason = c.long_text("lostReason", self.lost_reason.as_deref(), 2_000);
        if stage == S::Lost && reason.is_none() {
            c.push("lostReason", ErrorCode::Required, "a lost deal needs a lostReason");
        }
        set_field!(row, fields, stage, "stage", stage);
        set_field!(
            row,
            fields,
            probability,
            "probability",
            c.int_range("probability", self.probability.unwrap_or(stage_probability(stage)), 0, 100)
        );
        let closed = matches!(stage, S::Won | S::Lost);
        set_field!(row, fields, closed_at, "closedAt", closed.then(now));
        set_field!(row, fields, lost_reason, "lostReason", if stage == S::Lost { reason } else { None });
        c.finish((row, fields))
    }
}

record_filter! {
    /// Conditions on tickets.
    TicketFilter for ticket as "Ticket" {
        id: IdFilter => Id("Ticket"),
        code: StringFilter => Code,
        customer_id: IdFilter => CustomerId("Customer"),
        contact_id: IdFilter => ContactId("Contact"),
        assignee_id: IdFilter => AssigneeId("User"),
        subject: StringFilter => Subject,
        category: TicketCategoryFilter => Category,
        priority: TicketPriorityFilter => Priority,
        status: TicketStatusFilter => Status,
        opened_at: DateTimeFilter => OpenedAt,
        first_response_at: DateTimeFilter => FirstResponseAt,
        resolved_at: DateTimeFilter => ResolvedAt,
        due_at: DateTimeFilter => DueAt,
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (ticket::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
}

record_order!(TicketOrder, TicketOrderField for ticket as "Ticket", default OpenedAt Desc {
    OpenedAt => OpenedAt,
    Code => Code,
    UpdatedAt => UpdatedAt,
});

lifecycle_inputs!(DeleteTicketInput, RestoreTicketInput);

/// A service request to open.
#[derive(InputObject, Debug, Clone)]
pub struct CreateTicketInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub contact_id: Option<ID>,
    pub subject: String,
    pub description: Option<String>,
    pub category: TicketCategory,
    /// NORMAL when left out.
    pub priority: Option<TicketPriority>,
    pub due_at: Option<DateTime<Utc>>,
    pub assignee_id: Option<ID>,
}

impl CreateTicketInput {
    /// The row to insert (numbered `T` + date + sequence), or the field errors.
    pub async fn into_row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<ticket::ActiveModel>> {
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
        let contact =
            check_ref::<contact::Entity>(db, viewer, &mut c, "contactId", opt_id(self.contact_id.as_ref(), "Contact"))
                .await?;
        same_customer(&mut c, "contactId", customer_id, contact.as_ref().map(|m| m.customer_id));
        let assignee = opt_id(self.assignee_id.as_ref(), "User");
        check_assignee(&mut c, viewer, "assigneeId", assignee);
        let assignee = check_ref::<user::Entity>(db, viewer, &mut c, "assigneeId", assignee).await?;
        let ts = now();
        let subject = c.name("subject", &self.subject, 300);
        let description = c.long_text("description", self.description.as_deref(), 20_000);
        if self.due_at.is_some_and(|d| d < ts) {
            c.push("dueAt", ErrorCode::Invalid, "dueAt cannot be in the past");
        }
        if !c.is_clean() {
            return Ok(Err(c.errors));
        }
        let row = ticket::ActiveModel {
            id: Set(entity::new_id()),
            code: Set(sequence::next_code(db, "T", ts.date_naive()).await?),
            customer_id: Set(customer_id),
            contact_id: Set(contact.map(|m| m.id)),
            assignee_id: Set(assignee.map(|u| u.id)),
            subject: Set(subject),
            description: Set(description),
            category: Set(self.category.into()),
            priority: Set(self.priority.map_or(entity::enums::TicketPriority::Normal, Into::into)),
            status: Set(entity::enums::TicketStatus::Open),
            opened_at: Set(ts),
            first_response_at: Set(None),
            resolved_at: Set(None),
            due_at: Set(self.due_at),
            resolution: Set(None),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
            deleted_at: Set(None),
        };
        Ok(Ok(row))
    }
}

/// Changes to a ticket (assign with `assignTicket`, resolve with `resolveTicket`).
#[derive(InputObject, Debug, Clone)]
pub struct UpdateTicketInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub subject: Option<String>,
    pub description: MaybeUndefined<String>,
    pub category: Option<TicketCategory>,
    pub priority: Option<TicketPriority>,
    /// OPEN, IN_PROGRESS, WAITING or CLOSED; RESOLVED goes through `resolveTicket`.
    pub status: Option<TicketStatus>,
    pub due_at: MaybeUndefined<DateTime<Utc>>,
}

impl UpdateTicketInput {
    /// The change to write.
    pub fn change(self, current: &ticket::Model) -> Change<ticket::ActiveModel> {
        use entity::enums::TicketStatus as S;
        let mut c = Checker::default();
        let mut row = ticket::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = &self.subject {
            set_field!(row, fields, subject, "subject", c.name("subject", v, 300));
        }
        if let Some(v) = patch(self.description, |v| v) {
            set_field!(row, fields, description, "description", c.long_text("description", v.as_deref(), 20_000));
        }
        if let Some(v) = self.category {
            set_field!(row, fields, category, "category", v.into());
        }
        if let Some(v) = self.priority {
            set_field!(row, fields, priority, "priority", v.into());
        }
        if let Some(v) = self.status {
            let status: S = v.into();
            if status == S::Resolved {
                c.push("status", ErrorCode::Invalid, "resolve a ticket with resolveTicket");
            }
            if status != current.status {
                if current.first_response_at.is_none() && status != S::Open {
                    set_field!(row, fields, first_response_at, "firstResponseAt", Some(now()));
                }
                if matches!(status, S::Open | S::InProgress | S::Waiting) && current.resolved_at.is_some() {
                    set_field!(row, fields, resolved_at, "resolvedAt", None);
                }
            }
            set_field!(row, fields, status, "status", status);
        }
        if let Some(v) = patch(self.due_at, |v| v) {
            set_field!(row, fields, due_at, "dueAt", v);
        }
        c.finish((row, fields))
    }
}

/// Gives a ticket to a user (or takes it back with `assigneeId: null`).
#[derive(InputObject, Debug, Clone)]
pub struct AssignTicketInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub assignee_id: Option<ID>,
}

impl AssignTicketInput {
    /// The change to write.
    pub async fn change(
        self,
        db: &DatabaseConnection,
        viewer: &Viewer,
        current: &ticket::Model,
    ) -> AppResult<Change<ticket::ActiveModel>> {
        let mut c = Checker::default();
        let mut row = ticket::ActiveModel::default();
        let mut fields = Vec::new();
        let assignee = opt_id(self.assignee_id.as_ref(), "User");
        check_assignee(&mut c, viewer, "assigneeId", assignee);
        let user = check_ref::<user::Entity>(db, viewer, &mut c, "assigneeId", assignee).await?;
        if user.as_ref().is_some_and(|u| !u.active) {
            c.push("assigneeId", ErrorCode::InvalidState, "the user is not active");
        }
        set_field!(row, fields, assignee_id, "assigneeId", user.map(|u| u.id));
        if current.status == entity::enums::TicketStatus::Open {
            set_field!(row, fields, status, "status", entity::enums::TicketStatus::InProgress);
        }
        Ok(c.finish((row, fields)))
    }
}

/// Resolves a ticket: records the solution and when.
#[derive(InputObject, Debug, Clone)]
pub struct ResolveTicketInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub resolution: String,
}

impl ResolveTicketInput {
    /// The change to write.
    pub fn change(self, current: &ticket::Model) -> Change<ticket::ActiveModel> {
        use entity::enums::TicketStatus as S;
        let mut c = Checker::default();
        let mut row = ticket::ActiveModel::default();
        let mut fields = Vec::new();
        if matches!(current.status, S::Resolved | S::Closed) {
            c.push("id", ErrorCode::InvalidState, "the ticket is already resolved or closed");
        }
        let ts = now();
        set_field!(row, fields, resolution, "resolution", Some(c.name("resolution", &self.resolution, 20_000)));
        set_field!(row, fields, status, "status", S::Resolved);
        set_field!(row, fields, resolved_at, "resolvedAt", Some(ts));
        if current.first_response_at.is_none() {
            set_field!(row, fields, first_response_at, "firstResponseAt", Some(ts));
        }
        c.finish((row, fields))
    }
}

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
            id: Set(entity::new_id()),
            customer_id: Set(customer_id),
            ticket_id: Set(ticket.map(|m| m.id)),
            kind: Set(kind),
            sentiment: Set(sentiment),
            content: Set(c.name("content", &self.content, 10_000)),
            source: Set(c.text("source", self.source.as_deref(), 64)),
            received_at: Set(self.received_at.unwrap_or(ts)),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
            deleted_at: Set(None),
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
