//! GraphQL mirrors of the entity enums (the entity crate stays free of GraphQL).

/// Declares a GraphQL enum converting to and from the entity enum of the same name.
macro_rules! mirror {
    ($(#[$doc:meta])* $name:ident = $remote:literal { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        #[graphql(remote = $remote)]
        pub enum $name { $($variant),+ }
    };
}

mirror!(/// What a user may do.
    Role = "entity::enums::Role" { Admin, Manager, Sales, Service, Marketing, Analyst, Partner });
mirror!(/// A person or an organisation.
    CustomerKind = "entity::enums::CustomerKind" { Individual, Company });
mirror!(/// As the customer states it.
    Gender = "entity::enums::Gender" { Female, Male, Other, Undisclosed });
mirror!(/// Where a customer record came from.
    CustomerSource = "entity::enums::CustomerSource" { WebForm, Phone, Event, Referral, Import, Partner, Other });
mirror!(/// What a customer's personal data may be used for with their consent: MARKETING and
    /// PARTNER_SHARING need a live grant; ANALYTICS and PROFILING (the behaviour classes)
    /// hold until the customer withdraws them.
    ConsentPurpose = "entity::enums::ConsentPurpose" { Marketing, PartnerSharing, Analytics, Profiling });
mirror!(/// A way of talking to a customer.
    Channel = "entity::enums::Channel" { Phone, Email, Meeting, Chat, Visit, Wechat, Other });
mirror!(/// Lifecycle classification.
    LifecycleStage = "entity::enums::LifecycleStage" { Potential, New, Established, ChurnRisk });
mirror!(/// Value classification.
    ValueTier = "entity::enums::ValueTier" { High, Medium, Low, Potential });
mirror!(/// How soon a customer's potential need matters to them.
    NeedPriority = "entity::enums::NeedPriority" { High, Normal, Low });
mirror!(/// Need classification: an urgent need or a routine one.
    NeedUrgency = "entity::enums::NeedUrgency" { Urgent, Routine });
mirror!(/// A dimension customers are classified on; the behaviours hold or not.
    ClassificationDimension = "entity::enums::ClassificationDimension" { Lifecycle, Value, Need, HighFrequency, Dormant, Complainant });
mirror!(/// How a customer write treats likely duplicates: BLOCK refuses any; WARN (the
    /// default) refuses an exact phone or email match and saves a fuzzier one, listing it;
    /// ALLOW saves anyway (exempt from phone/email uniqueness), listing matches.
    DuplicatePolicy = "entity::enums::DuplicatePolicy" { Block, Warn, Allow });
mirror!(/// The record types that take custom fields.
    CustomRecordType = "entity::enums::CustomRecordType" { Customer, Contact, Deal, Ticket });
mirror!(/// The type of a custom field's value: TEXT (a string), NUMBER (a JSON number), DECIMAL
    /// (an exact decimal as a string), DATE (`YYYY-MM-DD`), BOOLEAN, SELECT (one of
    /// `options`), MULTI_SELECT (a list of distinct `options`).
    CustomFieldType = "entity::enums::CustomFieldType" { Text, Number, Decimal, Date, Boolean, Select, MultiSelect });
mirror!(/// Industry of a company customer.
    Industry = "entity::enums::Industry" { Manufacturing, Services, Education, Retail, Finance, Healthcare, Technology, Government, Other });
mirror!(/// A contact person's part in a purchase decision.
    DecisionRole = "entity::enums::DecisionRole" { DecisionMaker, Influencer, User, Gatekeeper, Other });
mirror!(/// Sales pipeline stage.
    DealStage = "entity::enums::DealStage" { Lead, Qualified, Proposal, Negotiation, Won, Lost });
mirror!(/// Kind of service ticket.
    TicketCategory = "entity::enums::TicketCategory" { Request, Question, Complaint, Incident, Other });
mirror!(/// Urgency of a ticket.
    TicketPriority = "entity::enums::TicketPriority" { Low, Normal, High, Urgent });
mirror!(/// What became of a ticket's resolution.
    ResolutionOutcome = "entity::enums::ResolutionOutcome" { Confirmed, Reopened, NoAnswer });
mirror!(/// Handling state of a ticket.
    TicketStatus = "entity::enums::TicketStatus" { Open, InProgress, Waiting, Resolved, Closed });
mirror!(/// Praise, suggestion or complaint.
    FeedbackKind = "entity::enums::FeedbackKind" { Praise, Suggestion, Complaint });
mirror!(/// Tone of a piece of feedback.
    Sentiment = "entity::enums::Sentiment" { Positive, Neutral, Negative });
mirror!(/// Kind of marketing activity.
    CampaignKind = "entity::enums::CampaignKind" { Exhibition, Promotion, Seminar, Webinar, Other });
mirror!(/// A customer's part in a campaign.
    ParticipationStatus = "entity::enums::ParticipationStatus" { Invited, Registered, Attended, NoShow });
mirror!(/// Survey methodology.
    SurveyKind = "entity::enums::SurveyKind" { Nps, Csat, Ces, Custom });
mirror!(/// Survey publication state.
    SurveyStatus = "entity::enums::SurveyStatus" { Draft, Active, Closed });
