//! The closed vocabularies of the data model, stored as short upper-case strings.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Declares a string-backed enum stored in a `VARCHAR(32)` column.
macro_rules! db_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $(#[sea_orm(string_value = $value)] $variant,)+
        }

        impl $name {
            /// The stored spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $value,)+ }
            }
        }
    };
}

db_enum!(/// What a user may do; see the field policy.
    Role { Admin = "ADMIN", Manager = "MANAGER", Sales = "SALES", Service = "SERVICE",
           Marketing = "MARKETING", Analyst = "ANALYST", Partner = "PARTNER" });
db_enum!(/// A person or an organisation.
    CustomerKind { Individual = "INDIVIDUAL", Company = "COMPANY" });
db_enum!(/// As the customer states it.
    Gender { Female = "FEMALE", Male = "MALE", Other = "OTHER", Undisclosed = "UNDISCLOSED" });
db_enum!(/// Where a customer record came from.
    CustomerSource { WebForm = "WEB_FORM", Phone = "PHONE", Event = "EVENT", Referral = "REFERRAL",
                     Import = "IMPORT", Partner = "PARTNER", Other = "OTHER" });
db_enum!(/// A way of talking to a customer.
    Channel { Phone = "PHONE", Email = "EMAIL", Meeting = "MEETING", Chat = "CHAT", Visit = "VISIT",
              Wechat = "WECHAT", Other = "OTHER" });
db_enum!(/// Lifecycle classification (seed 004).
    LifecycleStage { Potential = "POTENTIAL", New = "NEW", Established = "ESTABLISHED",
                     ChurnRisk = "CHURN_RISK" });
db_enum!(/// Value classification (seed 004).
    ValueTier { High = "HIGH", Medium = "MEDIUM", Low = "LOW", Potential = "POTENTIAL" });
db_enum!(/// How soon a customer's potential need matters to them.
    NeedPriority { High = "HIGH", Normal = "NORMAL", Low = "LOW" });
db_enum!(/// Need classification: an urgent need or a routine one (seed 004).
    NeedUrgency { Urgent = "URGENT", Routine = "ROUTINE" });
db_enum!(/// A dimension a customer is classified on; the behaviours hold or not.
    ClassificationDimension { Lifecycle = "LIFECYCLE", Value = "VALUE", Need = "NEED",
                              HighFrequency = "HIGH_FREQUENCY", Dormant = "DORMANT",
                              Complainant = "COMPLAINANT" });
db_enum!(/// How a customer write treats likely duplicates.
    DuplicatePolicy { Block = "BLOCK", Warn = "WARN", Allow = "ALLOW" });
db_enum!(/// The record types that take custom fields.
    CustomRecordType { Customer = "CUSTOMER", Contact = "CONTACT", Deal = "DEAL", Ticket = "TICKET" });
db_enum!(/// The type of a custom field's value.
    CustomFieldType { Text = "TEXT", Number = "NUMBER", Decimal = "DECIMAL", Date = "DATE", Boolean = "BOOLEAN",
                      Select = "SELECT", MultiSelect = "MULTI_SELECT" });
db_enum!(/// Industry of a company customer.
    Industry { Manufacturing = "MANUFACTURING", Services = "SERVICES", Education = "EDUCATION",
               Retail = "RETAIL", Finance = "FINANCE", Healthcare = "HEALTHCARE",
               Technology = "TECHNOLOGY", Government = "GOVERNMENT", Other = "OTHER" });
db_enum!(/// A contact person's part in a purchase decision.
    DecisionRole { DecisionMaker = "DECISION_MAKER", Influencer = "INFLUENCER", User = "USER",
                   Gatekeeper = "GATEKEEPER", Other = "OTHER" });
db_enum!(/// Sales pipeline stage.
    DealStage { Lead = "LEAD", Qualified = "QUALIFIED", Proposal = "PROPOSAL",
                Negotiation = "NEGOTIATION", Won = "WON", Lost = "LOST" });
db_enum!(/// Kind of service ticket.
    TicketCategory { Request = "REQUEST", Question = "QUESTION", Complaint = "COMPLAINT",
                     Incident = "INCIDENT", Other = "OTHER" });
db_enum!(/// Urgency of a ticket.
    TicketPriority { Low = "LOW", Normal = "NORMAL", High = "HIGH", Urgent = "URGENT" });
db_enum!(/// What became of a ticket's resolution.
    ResolutionOutcome { Confirmed = "CONFIRMED", Reopened = "REOPENED", NoAnswer = "NO_ANSWER" });
db_enum!(/// Handling state of a ticket.
    TicketStatus { Open = "OPEN", InProgress = "IN_PROGRESS", Waiting = "WAITING",
                   Resolved = "RESOLVED", Closed = "CLOSED" });
db_enum!(/// Praise, suggestion or complaint.
    FeedbackKind { Praise = "PRAISE", Suggestion = "SUGGESTION", Complaint = "COMPLAINT" });
db_enum!(/// Tone of a piece of feedback.
    Sentiment { Positive = "POSITIVE", Neutral = "NEUTRAL", Negative = "NEGATIVE" });
db_enum!(/// Kind of marketing activity (市场活动).
    CampaignKind { Exhibition = "EXHIBITION", Promotion = "PROMOTION", Seminar = "SEMINAR",
                   Webinar = "WEBINAR", Other = "OTHER" });
db_enum!(/// A customer's part in a campaign.
    ParticipationStatus { Invited = "INVITED", Registered = "REGISTERED", Attended = "ATTENDED",
                          NoShow = "NO_SHOW" });
db_enum!(/// Survey methodology.
    SurveyKind { Nps = "NPS", Csat = "CSAT", Ces = "CES", Custom = "CUSTOM" });
db_enum!(/// Survey publication state.
    SurveyStatus { Draft = "DRAFT", Active = "ACTIVE", Closed = "CLOSED" });
db_enum!(/// What a customer's personal data may be used for, with their consent (PIPL, GDPR):
    /// MARKETING and PARTNER_SHARING need a live grant; ANALYTICS and PROFILING hold until
    /// the customer withdraws them.
    ConsentPurpose { Marketing = "MARKETING", PartnerSharing = "PARTNER_SHARING", Analytics = "ANALYTICS",
                     Profiling = "PROFILING" });
