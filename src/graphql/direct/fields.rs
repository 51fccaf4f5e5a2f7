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
        COMMON.iter().chain(self.fields()).find(|(n, _)| *n == name).map(|(_, field)| *field)
    }

    /// The fields the direct path reads of the type besides [`COMMON`]'s: its column map.
    /// A field not listed (computed, JSON-backed, or with arguments of its own) sends
    /// the request down the standard path; so does a record's way back to its customer
    /// (every direct root is under a customer, and the planner refuses cycles). `tests/api/direct/fields.rs` runs every entry
    /// both ways for every role; a unit test below checks each against the schema.
    pub fn fields(self) -> &'static [(&'static str, Field)] {
        match self {
            Ty::Customer => CUSTOMER,
            Ty::Contact => CONTACT,
            Ty::Deal => DEAL,
            Ty::Ticket => TICKET,
            Ty::Interaction => INTERACTION,
            Ty::Purchase => PURCHASE,
            Ty::Feedback => FEEDBACK,
            Ty::SurveyResponse => SURVEY_RESPONSE,
            Ty::Survey => SURVEY,
            Ty::User => USER,
        }
    }

    /// Every type the direct path answers.
    pub const ALL: [Ty; 10] = [
        Ty::Customer,
        Ty::Contact,
        Ty::Deal,
        Ty::Ticket,
        Ty::Interaction,
        Ty::Purchase,
        Ty::Feedback,
        Ty::SurveyResponse,
        Ty::Survey,
        Ty::User,
    ];
}

use Field::{Column as C, Many as M, One as O};
use Kind::*;

/// The fields every record type has.
pub const COMMON: &[(&str, Field)] = &[
    ("id", C("id", Id)),
    ("version", C("version", Int)),
    ("createdAt", C("created_at", DateTime)),
    ("updatedAt", C("updated_at", DateTime)),
    ("deletedAt", C("deleted_at", DateTime)),
];

const CUSTOMER: &[(&str, Field)] = &[
    ("code", C("code", Text)),
    ("kind", C("kind", Enum)),
    ("name", C("name", Text)),
    ("gender", C("gender", Enum)),
    ("birthDate", C("birth_date", Date)),
    ("occupation", C("occupation", Text)),
    ("companyName", C("company_name", Text)),
    ("industry", C("industry", Enum)),
    ("region", C("region", Text)),
    ("companySize", C("company_size", Int)),
    ("phone", C("phone", Text)),
    ("email", C("email", Text)),
    ("preferredChannel", C("preferred_channel", Enum)),
    ("potentialNeeds", C("potential_needs", Text)),
    ("notes", C("notes", Text)),
    ("source", C("source", Enum)),
    ("owner", O("owner_id", Ty::User)),
    ("marketingConsent", C("marketing_consent", Bool)),
    ("lifecycleStage", C("lifecycle_stage", Enum)),
    ("valueTier", C("value_tier", Enum)),
    ("nextFollowUpAt", C("next_follow_up_at", DateTime)),
    ("lastInteractionAt", C("last_interaction_at", DateTime)),
    ("contacts", M(Rel::Contacts)),
    ("deals", M(Rel::Deals)),
    ("tickets", M(Rel::Tickets)),
    ("interactions", M(Rel::Interactions)),
    ("purchases", M(Rel::Purchases)),
    ("feedback", M(Rel::Feedback)),
    ("surveyResponses", M(Rel::SurveyResponses)),
];

const CONTACT: &[(&str, Field)] = &[
    ("name", C("name", Text)),
    ("title", C("title", Text)),
    ("decisionRole", C("decision_role", Enum)),
    ("phone", C("phone", Text)),
    ("email", C("email", Text)),
    ("isPrimary", C("is_primary", Bool)),
    ("notes", C("notes", Text)),
];

const DEAL: &[(&str, Field)] = &[
    ("title", C("title", Text)),
    ("stage", C("stage", Enum)),
    ("amount", C("amount_e4", Money)),
    ("currency", C("currency", Text)),
    ("probability", C("probability", Int)),
    ("expectedCloseDate", C("expected_close_date", Date)),
    ("closedAt", C("closed_at", DateTime)),
    ("lostReason", C("lost_reason", Text)),
    ("owner", O("owner_id", Ty::User)),
];

const TICKET: &[(&str, Field)] = &[
    ("code", C("code", Text)),
    ("subject", C("subject", Text)),
    ("description", C("description", Text)),
    ("category", C("category", Enum)),
    ("priority", C("priority", Enum)),
    ("status", C("status", Enum)),
    ("assignee", O("assignee_id", Ty::User)),
    ("openedAt", C("opened_at", DateTime)),
    ("firstResponseAt", C("first_response_at", DateTime)),
    ("resolvedAt", C("resolved_at", DateTime)),
    ("dueAt", C("due_at", DateTime)),
    ("resolution", C("resolution", Text)),
    ("contact", O("contact_id", Ty::Contact)),
];

const INTERACTION: &[(&str, Field)] = &[
    ("contact", O("contact_id", Ty::Contact)),
    ("channel", C("channel", Enum)),
    ("occurredAt", C("occurred_at", DateTime)),
    ("summary", C("summary", Text)),
    ("outcome", C("outcome", Text)),
    ("nextStep", C("next_step", Text)),
    ("nextFollowUpAt", C("next_follow_up_at", DateTime)),
    ("user", O("user_id", Ty::User)),
    ("deal", O("deal_id", Ty::Deal)),
];

const PURCHASE: &[(&str, Field)] = &[
    ("amount", C("amount_e4", Money)),
    ("currency", C("currency", Text)),
    ("deal", O("deal_id", Ty::Deal)),
    ("product", C("product", Text)),
    ("quantity", C("quantity", Int)),
    ("purchasedAt", C("purchased_at", Date)),
    ("paymentMethod", C("payment_method", Text)),
];

const FEEDBACK: &[(&str, Field)] = &[
    ("kind", C("kind", Enum)),
    ("sentiment", C("sentiment", Enum)),
    ("content", C("content", Text)),
    ("source", C("source", Text)),
    ("receivedAt", C("received_at", DateTime)),
    ("ticket", O("ticket_id", Ty::Ticket)),
];

const SURVEY_RESPONSE: &[(&str, Field)] = &[
    ("ticket", O("ticket_id", Ty::Ticket)),
    ("score", C("score", Float)),
    ("submittedAt", C("submitted_at", DateTime)),
    ("survey", O("survey_id", Ty::Survey)),
];

const SURVEY: &[(&str, Field)] =
    &[("title", C("title", Text)), ("kind", C("kind", Enum)), ("status", C("status", Enum))];

const USER: &[(&str, Field)] =
    &[("name", C("name", Text)), ("email", C("email", Text)), ("role", C("role", Enum)), ("active", C("active", Bool))];

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::registry::MetaTypeName;

    /// Every mapped field exists in the schema with the type its kind writes, so the map
    /// cannot name a field the schema lacks or read a column as the wrong scalar.
    #[test]
    fn every_mapped_field_is_a_schema_field_of_its_kind() {
        let registry = crate::graphql::shape::registry();
        for ty in Ty::ALL {
            let object = registry.types.get(ty.name()).unwrap_or_else(|| panic!("{} not in the schema", ty.name()));
            for (name, field) in COMMON.iter().chain(ty.fields()) {
                let def =
                    object.field_by_name(name).unwrap_or_else(|| panic!("{}.{name} not in the schema", ty.name()));
                assert!(def.args.is_empty() || matches!(field, Field::Many(_)), "{}.{name} takes arguments", ty.name());
                let named = MetaTypeName::concrete_typename(&def.ty);
                let expected = match field {
                    Field::Column(_, Kind::Id) => "ID",
                    Field::Column(_, Kind::Text) => "String",
                    Field::Column(_, Kind::Int) => "Int",
                    Field::Column(_, Kind::Float) => "Float",
                    Field::Column(_, Kind::Bool) => "Boolean",
                    Field::Column(_, Kind::DateTime) => "DateTime",
                    Field::Column(_, Kind::Date) => "Date",
                    Field::Column(_, Kind::Money | Kind::MoneySum) => "Decimal",
                    Field::Column(_, Kind::Enum) => {
                        let is_enum =
                            matches!(registry.types.get(named), Some(async_graphql::registry::MetaType::Enum { .. }));
                        assert!(is_enum, "{}.{name} is not an enum", ty.name());
                        named
                    }
                    Field::One(_, target) => target.name(),
                    Field::Many(_) => {
                        assert!(named.ends_with("Connection"), "{}.{name} is not a connection", ty.name());
                        named
                    }
                };
                assert_eq!(named, expected, "{}.{name}", ty.name());
            }
        }
    }
}
