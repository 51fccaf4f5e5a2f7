//! `Customer`: the customer record (客户档案).

use super::all::*;
use super::enums::{Channel, CustomerKind, CustomerSource, Gender, Industry, LifecycleStage, ValueTier};
use crate::graphql::context;
use crate::graphql::input::activity::*;
use crate::graphql::input::contact::*;
use crate::graphql::input::marketing::*;
use crate::graphql::loader::*;
use crate::graphql::policy;
use crate::graphql::relay::{Date, One, RecordMeta, global_id, one};
use crate::meta;
use crate::service::customer::missing_fields;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use entity::customer::Model;

/// A customer: a person or a company, owned by one user.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Customer(pub Model);

#[Object]
impl Customer {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("Customer", self.0.id)
    }
    /// Human-readable number, `C` + date + sequence (e.g. `C20261129001`).
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn kind(&self) -> CustomerKind {
        self.0.kind.into()
    }
    /// Person's name, or the company's display name.
    async fn name(&self, ctx: &Context<'_>) -> Result<String> {
        policy::required_text(ctx, "Customer", "name", &self.0.name)
    }
    async fn gender(&self) -> Option<Gender> {
        self.0.gender.map(Into::into)
    }
    async fn birth_date(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        policy::value(ctx, "Customer", "birthDate", self.0.birth_date.map(Date))
    }
    async fn occupation(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Customer", "occupation", self.0.occupation.as_deref())
    }
    async fn company_name(&self) -> Option<&str> {
        self.0.company_name.as_deref()
    }
    async fn industry(&self) -> Option<Industry> {
        self.0.industry.map(Into::into)
    }
    async fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
    /// Number of employees, for companies.
    async fn company_size(&self) -> Option<i32> {
        self.0.company_size
    }
    /// Street address (masked to the region for roles that need no more).
    async fn address(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::address(ctx, "Customer", self.0.address.as_deref(), self.0.region.as_deref())
    }
    /// E.164 phone number.
    async fn phone(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Customer", "phone", self.0.phone.as_deref())
    }
    async fn email(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Customer", "email", self.0.email.as_deref())
    }
    async fn preferred_channel(&self) -> Option<Channel> {
        self.0.preferred_channel.map(Into::into)
    }
    /// Brands, colours, features … the customer prefers.
    async fn preferences(&self) -> Vec<String> {
        serde_json::from_value(self.0.preferences.clone()).unwrap_or_default()
    }
    async fn potential_needs(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Customer", "potentialNeeds", self.0.potential_needs.as_deref())
    }
    async fn notes(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Customer", "notes", self.0.notes.as_deref())
    }
    async fn source(&self) -> CustomerSource {
        self.0.source.into()
    }
    /// The user responsible for this customer (负责人).
    async fn owner(&self, ctx: &Context<'_>) -> Result<One<User>> {
        one::<entity::user::Entity, _>(ctx, Some(self.0.owner_id), User).await
    }
    /// Classification tags, by dimension and name.
    async fn tags(&self, ctx: &Context<'_>) -> Result<Vec<Tag>> {
        let loader = context::loaders(ctx)?.get::<uuid::Uuid, TagsByCustomer>();
        Ok(loader.load_one(self.0.id).await?.unwrap_or_default().into_iter().map(Tag).collect())
    }
    /// Consent to marketing (PIPL / GDPR).
    async fn marketing_consent(&self) -> bool {
        self.0.marketing_consent
    }
    async fn lifecycle_stage(&self) -> LifecycleStage {
        self.0.lifecycle_stage.into()
    }
    async fn value_tier(&self) -> Option<ValueTier> {
        self.0.value_tier.map(Into::into)
    }
    /// Key fields are missing: the record is marked to follow up (待跟进).
    async fn needs_follow_up(&self) -> bool {
        !missing_fields(&self.0).is_empty()
    }
    /// The key fields that are missing.
    async fn missing_fields(&self) -> Vec<&'static str> {
        missing_fields(&self.0)
    }
    async fn next_follow_up_at(&self) -> Option<DateTime<Utc>> {
        self.0.next_follow_up_at
    }
    async fn last_interaction_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_interaction_at
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
    /// The nested lists.
    #[graphql(flatten)]
    async fn lists(&self) -> CustomerLists {
        CustomerLists(self.0.id)
    }
}

crate::lists! {
    /// The nested lists of `Customer`, flattened into it.
    CustomerLists {
        /// Contact people, oldest first.
        contacts: CustomerContacts => Contact(ContactFilter, ContactOrder);
        /// Communication records (沟通记录), latest first.
        interactions: CustomerInteractions => Interaction(InteractionFilter, InteractionOrder);
        /// Purchases (交易记录), latest first.
        purchases: CustomerPurchases => Purchase(PurchaseFilter, PurchaseOrder);
        /// Deals, newest first.
        deals: CustomerDeals => Deal(DealFilter, DealOrder);
        /// Service tickets, latest first.
        tickets: CustomerTickets => Ticket(TicketFilter, TicketOrder);
        /// Praise, suggestions and complaints, latest first.
        feedback: CustomerFeedback => Feedback(FeedbackFilter, FeedbackOrder);
        /// Campaigns the customer was invited to or attended.
        campaign_participations: CustomerParticipations => CampaignParticipation(CampaignParticipationFilter, CampaignParticipationOrder);
        /// Survey responses, latest first.
        survey_responses: CustomerSurveyResponses => SurveyResponse(SurveyResponseFilter, SurveyResponseOrder);
    }
}
