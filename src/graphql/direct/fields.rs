//! What the direct path knows of the schema: the object types it answers, the table of
//! each, and the fields it reads straight from a column, a to-one reference or a nested
//! connection. A field missing here (computed, JSON-backed, or with arguments of its own)
//! sends the request down the standard path.

use sea_orm::EntityName;

/// An object type the direct path answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Customer,
    Contact,
    Deal,
    Ticket,
    Interaction,
    Purchase,
    Feedback,
    SurveyResponse,
    Survey,
    User,
}

/// How a column's value becomes a GraphQL value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The record's UUID as an opaque global ID.
    Id,
    Text,
    Int,
    Float,
    Bool,
    /// Stored with the GraphQL enum value's spelling (see `entity::enums`).
    Enum,
    DateTime,
    Date,
    /// Ten-thousandths as the `Decimal` scalar.
    Money,
    /// A sum of ten-thousandths as `"<high>:<low>"` text, the sums of the parts split by
    /// `entity::money::SPLIT` (exact past 64 bits), as the `Decimal` scalar.
    MoneySum,
}

/// A field of an object type.
#[derive(Debug, Clone, Copy)]
pub enum Field {
    /// A column of the record.
    Column(&'static str, Kind),
    /// The record a column names, if the viewer may see it.
    One(&'static str, Ty),
    /// A nested connection.
    Many(Rel),
}

/// The nested connections the direct path answers (all under a customer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rel {
    Contacts,
    Deals,
    Tickets,
    Interactions,
    Purchases,
    Feedback,
    SurveyResponses,
}

/// Evaluates `$body` with `$e` the entity of `$ty`.
macro_rules! per_ty {
    ($ty:expr, $e:ident => $body:expr) => {{
        use $crate::graphql::direct::fields::Ty;
        match $ty {
            Ty::Customer => {
                type $e = entity::customer::Entity;
                $body
            }
            Ty::Contact => {
                type $e = entity::contact::Entity;
                $body
            }
            Ty::Deal => {
                type $e = entity::deal::Entity;
                $body
            }
            Ty::Ticket => {
                type $e = entity::ticket::Entity;
                $body
            }
            Ty::Interaction => {
                type $e = entity::interaction::Entity;
                $body
            }
            Ty::Purchase => {
                type $e = entity::purchase::Entity;
                $body
            }
            Ty::Feedback => {
                type $e = entity::feedback::Entity;
                $body
            }
            Ty::SurveyResponse => {
                type $e = entity::survey_response::Entity;
                $body
            }
            Ty::Survey => {
                type $e = entity::survey::Entity;
                $body
            }
            Ty::User => {
                type $e = entity::user::Entity;
                $body
            }
        }
    }};
}
pub(crate) use per_ty;

impl Ty {
    /// The GraphQL type name (also the global ID's prefix).
    pub fn name(self) -> &'static str {
        match self {
            Ty::Customer => "Customer",
            Ty::Contact => "Contact",
            Ty::Deal => "Deal",
            Ty::Ticket => "Ticket",
            Ty::Interaction => "Interaction",
            Ty::Purchase => "Purchase",
            Ty::Feedback => "Feedback",
            Ty::SurveyResponse => "SurveyResponse",
            Ty::Survey => "Survey",
            Ty::User => "User",
        }
    }

    /// The table of the type's records.
    pub fn table(self) -> &'static str {
        per_ty!(self, E => E::default().table_name())
    }

    /// The field `name` of the type, if the direct path reads it.
    pub fn field(self, name: &str) -> Option<Field> {
        use Field::{Column as C, One as O};
        use Kind::*;
        let own = match (self, name) {
            (_, "id") => C("id", Id),
            (_, "version") => C("version", Int),
            (_, "createdAt") => C("created_at", DateTime),
            (_, "updatedAt") => C("updated_at", DateTime),
            (_, "deletedAt") => C("deleted_at", DateTime),
            (Ty::Customer, _) => customer(name)?,
            (Ty::Contact, "name") => C("name", Text),
            (Ty::Contact, "title") => C("title", Text),
            (Ty::Contact, "decisionRole") => C("decision_role", Enum),
            (Ty::Contact, "phone") => C("phone", Text),
            (Ty::Contact, "email") => C("email", Text),
            (Ty::Contact, "isPrimary") => C("is_primary", Bool),
            (Ty::Contact, "notes") => C("notes", Text),
            (Ty::Deal, "title") => C("title", Text),
            (Ty::Deal, "stage") => C("stage", Enum),
            (Ty::Deal | Ty::Purchase, "amount") => C("amount_e4", Money),
            (Ty::Deal | Ty::Purchase, "currency") => C("currency", Text),
            (Ty::Deal, "probability") => C("probability", Int),
            (Ty::Deal, "expectedCloseDate") => C("expected_close_date", Date),
            (Ty::Deal, "closedAt") => C("closed_at", DateTime),
            (Ty::Deal, "lostReason") => C("lost_reason", Text),
            (Ty::Deal, "owner") => O("owner_id", Ty::User),
            (Ty::Ticket, "code") => C("code", Text),
            (Ty::Ticket, "subject") => C("subject", Text),
            (Ty::Ticket, "description") => C("description", Text),
            (Ty::Ticket, "category") => C("category", Enum),
            (Ty::Ticket, "priority") => C("priority", Enum),
            (Ty::Ticket, "status") => C("status", Enum),
            (Ty::Ticket, "assignee") => O("assignee_id", Ty::User),
            (Ty::Ticket, "openedAt") => C("opened_at", DateTime),
            (Ty::Ticket, "firstResponseAt") => C("first_response_at", DateTime),
            (Ty::Ticket, "resolvedAt") => C("resolved_at", DateTime),
            (Ty::Ticket, "dueAt") => C("due_at", DateTime),
            (Ty::Ticket, "resolution") => C("resolution", Text),
            (Ty::Ticket | Ty::Interaction, "contact") => O("contact_id", Ty::Contact),
            (Ty::Interaction, "channel") => C("channel", Enum),
            (Ty::Interaction, "occurredAt") => C("occurred_at", DateTime),
            (Ty::Interaction, "summary") => C("summary", Text),
            (Ty::Interaction, "outcome") => C("outcome", Text),
            (Ty::Interaction, "nextStep") => C("next_step", Text),
            (Ty::Interaction, "nextFollowUpAt") => C("next_follow_up_at", DateTime),
            (Ty::Interaction, "user") => O("user_id", Ty::User),
            (Ty::Interaction | Ty::Purchase, "deal") => O("deal_id", Ty::Deal),
            (Ty::Purchase, "product") => C("product", Text),
            (Ty::Purchase, "quantity") => C("quantity", Int),
            (Ty::Purchase, "purchasedAt") => C("purchased_at", Date),
            (Ty::Purchase, "paymentMethod") => C("payment_method", Text),
            (Ty::Feedback, "kind") => C("kind", Enum),
            (Ty::Feedback, "sentiment") => C("sentiment", Enum),
            (Ty::Feedback, "content") => C("content", Text),
            (Ty::Feedback, "source") => C("source", Text),
            (Ty::Feedback, "receivedAt") => C("received_at", DateTime),
            (Ty::Feedback | Ty::SurveyResponse, "ticket") => O("ticket_id", Ty::Ticket),
            (Ty::SurveyResponse, "score") => C("score", Float),
            (Ty::SurveyResponse, "submittedAt") => C("submitted_at", DateTime),
            (Ty::SurveyResponse, "survey") => O("survey_id", Ty::Survey),
            (Ty::Survey, "title") => C("title", Text),
            (Ty::Survey, "kind") => C("kind", Enum),
            (Ty::Survey, "status") => C("status", Enum),
            (Ty::User, "name") => C("name", Text),
            (Ty::User, "email") => C("email", Text),
            (Ty::User, "role") => C("role", Enum),
            (Ty::User, "active") => C("active", Bool),
            (Ty::User | Ty::Survey, _) => return None,
            (_, "customer") => O("customer_id", Ty::Customer),
            _ => return None,
        };
        Some(own)
    }
}

fn customer(name: &str) -> Option<Field> {
    use Field::{Column as C, Many as M, One as O};
    use Kind::*;
    Some(match name {
        "code" => C("code", Text),
        "kind" => C("kind", Enum),
        "name" => C("name", Text),
        "gender" => C("gender", Enum),
        "birthDate" => C("birth_date", Date),
        "occupation" => C("occupation", Text),
        "companyName" => C("company_name", Text),
        "industry" => C("industry", Enum),
        "region" => C("region", Text),
        "companySize" => C("company_size", Int),
        "phone" => C("phone", Text),
        "email" => C("email", Text),
        "preferredChannel" => C("preferred_channel", Enum),
        "potentialNeeds" => C("potential_needs", Text),
        "notes" => C("notes", Text),
        "source" => C("source", Enum),
        "owner" => O("owner_id", Ty::User),
        "marketingConsent" => C("marketing_consent", Bool),
        "lifecycleStage" => C("lifecycle_stage", Enum),
        "valueTier" => C("value_tier", Enum),
        "nextFollowUpAt" => C("next_follow_up_at", DateTime),
        "lastInteractionAt" => C("last_interaction_at", DateTime),
        "contacts" => M(Rel::Contacts),
        "deals" => M(Rel::Deals),
        "tickets" => M(Rel::Tickets),
        "interactions" => M(Rel::Interactions),
        "purchases" => M(Rel::Purchases),
        "feedback" => M(Rel::Feedback),
        "surveyResponses" => M(Rel::SurveyResponses),
        _ => return None,
    })
}
