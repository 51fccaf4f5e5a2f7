//! What happens with a customer: `Interaction`, `Purchase`, `Deal`, `Ticket`, `Feedback`.

use super::contact::Contact;
use super::customer::Customer;
use super::enums::{Channel, DealStage, FeedbackKind, Sentiment, TicketCategory, TicketPriority, TicketStatus};
use super::marketing::SurveyResponse;
use super::people::User;
use crate::graphql::input::activity::*;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::marketing::*;
use crate::graphql::loader::{DealInteractions, DealPurchases, TicketFeedback, TicketSurveyResponses};
use crate::graphql::policy;
use crate::graphql::relay::{Date, One, RecordMeta, global_id, one};
use crate::meta;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use entity::money::from_e4;
use entity::{customer, deal};
use crate::graphql::input::filter::*;
use rust_decimal::Decimal;

/// A communication record (沟通记录): a call, mail, meeting, chat or visit.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Interaction(pub entity::interaction::Model);

#[Object]
impl Interaction {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("Interaction", self.0.id)
    }
    async fn channel(&self) -> Channel {
        self.0.channel.into()
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    async fn summary(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Interaction", "summary", Some(&self.0.summary))
    }
    async fn outcome(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Interaction", "outcome", self.0.outcome.as_deref())
    }
    async fn next_step(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Interaction", "nextStep", self.0.next_step.as_deref())
    }
    async fn next_follow_up_at(&self) -> Option<DateTime<Utc>> {
        self.0.next_follow_up_at
    }
    /// Who talked to the customer.
    async fn user(&self, ctx: &Context<'_>) -> Result<One<User>> {
        one::<entity::user::Entity, _>(ctx, Some(self.0.user_id), User).await
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
        one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
    }
    async fn contact(&self, ctx: &Context<'_>) -> Result<One<Contact>> {
        one::<entity::contact::Entity, _>(ctx, self.0.contact_id, Contact).await
    }
    async fn deal(&self, ctx: &Context<'_>) -> Result<One<Deal>> {
        one::<entity::deal::Entity, _>(ctx, self.0.deal_id, Deal).await
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}

/// A purchase or transaction (交易记录).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Purchase(pub entity::purchase::Model);

#[Object]
impl Purchase {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("Purchase", self.0.id)
    }
    async fn product(&self) -> &str {
        &self.0.product
    }
    async fn quantity(&self) -> i32 {
        self.0.quantity
    }
    /// Total amount, exact.
    async fn amount(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        policy::value(ctx, "Purchase", "amount", Some(from_e4(self.0.amount_e4)))
    }
    /// ISO 4217 code.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn purchased_at(&self) -> Date {
        Date(self.0.purchased_at)
    }
    async fn payment_method(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Purchase", "paymentMethod", self.0.payment_method.as_deref())
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
        one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
    }
    async fn deal(&self, ctx: &Context<'_>) -> Result<One<Deal>> {
        one::<entity::deal::Entity, _>(ctx, self.0.deal_id, Deal).await
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}

crate::record! {
    /// A sales opportunity (商机).
    Deal(deal) {
        title Title: Text, filter StringFilter, sort Title;
        stage Stage: Enum(DealStage), filter DealStageFilter;
        /// Expected or contracted amount, exact.
        amount = amount_e4 AmountE4: Money guarded, filter MoneyFilter, sort Amount;
        /// ISO 4217 code.
        currency Currency: Text, filter StringFilter;
        /// Win probability in percent.
        probability Probability: Int, filter IntFilter, sort Probability;
        expected_close_date ExpectedCloseDate: OptDate, filter DateFilter;
        closed_at ClosedAt: OptDateTime, filter DateTimeFilter;
        lost_reason LostReason: OptText guarded;
    }
    /// Conditions on deals.
    filter DealFilter {
        id: IdFilter => Id("Deal"),
        customer_id: IdFilter => CustomerId("Customer"),
        owner_id: IdFilter => OwnerId("User"),
        created_at: DateTimeFilter => CreatedAt,
        updated_at: DateTimeFilter => UpdatedAt,
    }
    related {
        customer: CustomerFilter => (deal::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
    order DealOrder(DealOrderField), default CreatedAt Desc {
        CreatedAt => CreatedAt,
        UpdatedAt => UpdatedAt,
    }
    resolvers {
        async fn owner(&self, ctx: &Context<'_>) -> Result<One<User>> {
            one::<entity::user::Entity, _>(ctx, Some(self.0.owner_id), User).await
        }
        async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
            one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
        }
        /// The nested lists.
        #[graphql(flatten)]
        async fn lists(&self) -> DealLists {
            DealLists(self.0.id)
        }
    }
}

crate::lists! {
    /// The nested lists of `Deal`, flattened into it.
    DealLists {
        /// Communication records about this deal.
        interactions: DealInteractions => Interaction(InteractionFilter, InteractionOrder);
        /// Purchases this deal produced.
        purchases: DealPurchases => Purchase(PurchaseFilter, PurchaseOrder);
    }
}

/// An after-sales service request and its resolution.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Ticket(pub entity::ticket::Model);

#[Object]
impl Ticket {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("Ticket", self.0.id)
    }
    /// Human-readable number, `T` + date + sequence.
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    async fn description(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Ticket", "description", self.0.description.as_deref())
    }
    async fn category(&self) -> TicketCategory {
        self.0.category.into()
    }
    async fn priority(&self) -> TicketPriority {
        self.0.priority.into()
    }
    async fn status(&self) -> TicketStatus {
        self.0.status.into()
    }
    async fn assignee(&self, ctx: &Context<'_>) -> Result<One<User>> {
        one::<entity::user::Entity, _>(ctx, self.0.assignee_id, User).await
    }
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }
    async fn first_response_at(&self) -> Option<DateTime<Utc>> {
        self.0.first_response_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
    async fn due_at(&self) -> Option<DateTime<Utc>> {
        self.0.due_at
    }
    async fn resolution(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Ticket", "resolution", self.0.resolution.as_deref())
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
        one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
    }
    async fn contact(&self, ctx: &Context<'_>) -> Result<One<Contact>> {
        one::<entity::contact::Entity, _>(ctx, self.0.contact_id, Contact).await
    }
    /// The nested lists.
    #[graphql(flatten)]
    async fn lists(&self) -> TicketLists {
        TicketLists(self.0.id)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}

crate::lists! {
    /// The nested lists of `Ticket`, flattened into it.
    TicketLists {
        /// Feedback about this ticket.
        feedback: TicketFeedback => Feedback(FeedbackFilter, FeedbackOrder);
        /// Survey responses about this ticket.
        survey_responses: TicketSurveyResponses => SurveyResponse(SurveyResponseFilter, SurveyResponseOrder);
    }
}

/// Praise, a suggestion or a complaint (反馈).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Feedback(pub entity::feedback::Model);

#[Object]
impl Feedback {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("Feedback", self.0.id)
    }
    async fn kind(&self) -> FeedbackKind {
        self.0.kind.into()
    }
    async fn sentiment(&self) -> Sentiment {
        self.0.sentiment.into()
    }
    async fn content(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Feedback", "content", Some(&self.0.content))
    }
    /// Where it came in (phone, email, app review …).
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
    async fn received_at(&self) -> DateTime<Utc> {
        self.0.received_at
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
        one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
    }
    async fn ticket(&self, ctx: &Context<'_>) -> Result<One<Ticket>> {
        one::<entity::ticket::Entity, _>(ctx, self.0.ticket_id, Ticket).await
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}
