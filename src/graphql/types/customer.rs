//! `Customer`: the customer record (客户档案).

use super::all::*;
use super::enums::{
    Channel, CustomerKind, CustomerSource, Gender, Industry, LifecycleStage, NeedPriority, NeedUrgency, ValueTier,
};
use crate::graphql::context;
use crate::graphql::input::activity::*;
use crate::graphql::input::contact::*;
use crate::graphql::input::customer::{
    BehaviourFilter, ChannelFilter, CustomerKindFilter, CustomerSourceFilter, IndustryFilter, LifecycleStageFilter,
    NeedUrgencyFilter, ValueTierFilter, tagged,
};
use crate::graphql::input::filter::{BooleanFilter, DateFilter, DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::input::marketing::*;
use crate::graphql::loader::*;
use crate::graphql::policy;
use crate::service::customer::missing_fields;
use async_graphql::{Context, Result};
use entity::customer::Column;

crate::record! {
    /// A customer: a person or a company, owned by one user.
    Customer(customer) {
        /// Human-readable number, `C` + date + sequence (e.g. `C20261129001`).
        code Code: Text, filter StringFilter, sort Code;
        kind Kind: Enum(CustomerKind), filter CustomerKindFilter;
        /// Person's name, or the company's display name.
        name Name: Text guarded_nonnull, filter StringFilter, sort Name;
        gender Gender: OptEnum(Gender);
        birth_date BirthDate: OptDate guarded, filter DateFilter;
        occupation Occupation: OptText guarded;
        /// Governed like `name`: a small company's name identifies the person behind it.
        company_name CompanyName: OptText guarded, filter StringFilter;
        industry Industry: OptEnum(Industry), filter IndustryFilter;
        region Region: OptText, filter StringFilter;
        /// Number of employees, for companies.
        company_size CompanySize: OptInt;
        /// E.164 phone number.
        phone Phone: OptText guarded, filter StringFilter;
        email Email: OptText guarded, filter StringFilter;
        preferred_channel PreferredChannel: OptEnum(Channel), filter ChannelFilter;
        potential_needs PotentialNeeds: OptText guarded;
        /// How soon the potential need matters.
        need_priority NeedPriority: OptEnum(NeedPriority);
        /// When the customer expects to act on the need.
        need_expected_date NeedExpectedDate: OptDate, filter DateFilter;
        /// Need classification (computed): URGENT or ROUTINE, none without a need.
        need_urgency NeedUrgency: OptEnum(NeedUrgency), filter NeedUrgencyFilter;
        notes Notes: OptText guarded;
        source Source: Enum(CustomerSource), filter CustomerSourceFilter;
        /// A live MARKETING consent (derived from the consent ledger, `consents`; setting
        /// it on create or update records a grant or a withdrawal there).
        marketing_consent MarketingConsent: Bool, filter BooleanFilter;
        /// A live PARTNER_SHARING consent: partner keys see the customer (derived).
        partner_sharing_consent PartnerSharingConsent: Bool, filter BooleanFilter;
        /// ANALYTICS not withdrawn (derived from the consent ledger).
        analytics_allowed AnalyticsAllowed: Bool, filter BooleanFilter;
        /// PROFILING not withdrawn: the behaviour classes apply (derived).
        profiling_allowed ProfilingAllowed: Bool, filter BooleanFilter;
        lifecycle_stage LifecycleStage: Enum(LifecycleStage), filter LifecycleStageFilter;
        value_tier ValueTier: OptEnum(ValueTier), filter ValueTierFilter;
        next_follow_up_at NextFollowUpAt: OptDateTime, filter DateTimeFilter;
        last_interaction_at LastInteractionAt: OptDateTime, filter DateTimeFilter;
        /// When the record was last reviewed (`markReviewed`).
        last_reviewed_at LastReviewedAt: OptDateTime, filter DateTimeFilter;
        /// When its personal data was erased (`eraseCustomer`): an anonymous record since.
        erased_at ErasedAt: OptDateTime, filter DateTimeFilter;
    }
    references {
        /// The user responsible for this customer (负责人).
        owner owner_id: User(user);
    }
    /// Conditions on customers; all given fields must hold. Related filters match
    /// customers having at least one such record (e.g. an open deal above an amount).
    filter CustomerFilter {
        id: IdFilter => Id("Customer"),
        owner_id: IdFilter => OwnerId("User"),
        created_at: DateTimeFilter => CreatedAt,
        updated_at: DateTimeFilter => UpdatedAt,
        deleted_at: DateTimeFilter => DeletedAt,
    }
    related {
        has_contact: ContactFilter => (Column::Id, entity::contact::Entity, entity::contact::Column::CustomerId),
        has_interaction: InteractionFilter => (Column::Id, entity::interaction::Entity, entity::interaction::Column::CustomerId),
        has_purchase: PurchaseFilter => (Column::Id, entity::purchase::Entity, entity::purchase::Column::CustomerId),
        has_deal: DealFilter => (Column::Id, entity::deal::Entity, entity::deal::Column::CustomerId),
        has_ticket: TicketFilter => (Column::Id, entity::ticket::Entity, entity::ticket::Column::CustomerId),
        has_feedback: FeedbackFilter => (Column::Id, entity::feedback::Entity, entity::feedback::Column::CustomerId),
    }
    custom {
        has_tag: TagFilter => tagged,
        behaviours: BehaviourFilter => crate::graphql::input::customer::behaving,
        custom_field: crate::graphql::types::custom_field::CustomFieldFilter
            => crate::graphql::types::custom_field::customer_custom_field,
    }
    order CustomerOrder(CustomerOrderField), default CreatedAt Asc, custom fields of Customer {
        CreatedAt => CreatedAt,
        UpdatedAt => UpdatedAt,
    }
    resolvers {
        /// Classification: classes with since and reason, the combined label, history.
        #[graphql(flatten)]
        async fn classes(&self) -> crate::graphql::types::classification::CustomerClasses {
            crate::graphql::types::classification::CustomerClasses::of(&self.0)
        }
        /// Custom fields.
        #[graphql(flatten)]
        async fn custom(&self) -> crate::graphql::types::custom_field::CustomFields {
            crate::graphql::types::custom_field::CustomFields::of(entity::enums::CustomRecordType::Customer, &self.0.custom_fields)
        }
        /// Street address (masked to the region for roles that need no more).
        async fn address(&self, ctx: &Context<'_>) -> Result<Option<String>> {
            policy::address(ctx, "Customer", Some(self.0.id), self.0.address.as_deref(), self.0.region.as_deref())
        }
        /// Brands, colours, features … the customer prefers.
        async fn preferences(&self) -> Vec<String> {
            serde_json::from_value(self.0.preferences.clone()).unwrap_or_default()
        }
        /// Classification tags, by dimension and name.
        async fn tags(&self, ctx: &Context<'_>) -> Result<Vec<Tag>> {
            let loader = context::loaders(ctx)?.get::<uuid::Uuid, TagsByCustomer>();
            Ok(loader.load_one(self.0.id).await?.unwrap_or_default().into_iter().map(Tag).collect())
        }
        /// Requests to correct this record (纠错), newest first; only open ones with
        /// `open: true`.
        async fn correction_requests(
            &self,
            ctx: &Context<'_>,
            #[graphql(default)] open: bool,
        ) -> Result<Vec<crate::graphql::types::correction::CorrectionRequest>> {
            crate::graphql::types::correction::of_customer(ctx, self.0.id, open).await
        }
        /// The consent ledger, newest first: one purpose's entries, or all; only live
        /// grants with `live: true`.
        async fn consents(
            &self,
            ctx: &Context<'_>,
            purpose: Option<super::enums::ConsentPurpose>,
            #[graphql(default)] live: bool,
        ) -> Result<Vec<crate::graphql::types::consent::Consent>> {
            crate::graphql::types::consent::of_customer(ctx, self.0.id, purpose, live).await
        }
        /// Key fields are missing: the record is marked to follow up (待跟进).
        async fn needs_follow_up(&self) -> bool {
            !missing_fields(&self.0).is_empty()
        }
        /// The key fields that are missing.
        async fn missing_fields(&self) -> Vec<&'static str> {
            missing_fields(&self.0)
        }
        /// The nested lists.
        #[graphql(flatten)]
        async fn lists(&self) -> CustomerLists {
            CustomerLists(self.0.id)
        }
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
