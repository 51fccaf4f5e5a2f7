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

    /// The field `name` of the type (its name as a static string, and how it is read), if
    /// the direct path reads it.
    pub fn field(self, name: &str) -> Option<(&'static str, Field)> {
        self.fields().find(|(n, _)| *n == name)
    }

    /// The fields the direct path reads of the type: the common ones (`columns::COMMON`),
    /// the stored columns and references its declaration names (`record!`) and its nested
    /// lists (`columns::lists`). A field not listed (computed, JSON-backed, or with
    /// arguments of its own) sends the request down the standard path; so does a record's
    /// way back to its customer (every direct root is under a customer, and the planner
    /// refuses cycles). `tests/api/direct/fields.rs` runs every entry both ways for every
    /// role; a unit test in `columns` checks each against the schema.
    pub fn fields(self) -> impl Iterator<Item = (&'static str, Field)> {
        let columns = self.columns().iter().map(|c| (c.name, Field::Column(c.column, c.kind)));
        let references = self.references().iter().filter_map(|r| {
            let target = Ty::ALL.into_iter().find(|t| t.name() == r.target && *t != Ty::Customer)?;
            Some((r.name, Field::One(r.column, target)))
        });
        let common = super::columns::COMMON.iter().copied();
        common.chain(columns).chain(references).chain(super::columns::lists(self).iter().copied())
    }

    /// The to-one references of the type, from its declaration (the direct path follows
    /// those to the other types it answers, except the way back to the customer).
    pub fn references(self) -> &'static [crate::graphql::record::Reference] {
        use crate::graphql::types::all::*;
        match self {
            Ty::Customer => Customer::REFERENCES,
            Ty::Contact => Contact::REFERENCES,
            Ty::Deal => Deal::REFERENCES,
            Ty::Ticket => Ticket::REFERENCES,
            Ty::Interaction => Interaction::REFERENCES,
            Ty::Purchase => Purchase::REFERENCES,
            Ty::Feedback => Feedback::REFERENCES,
            Ty::SurveyResponse => SurveyResponse::REFERENCES,
            Ty::Survey => Survey::REFERENCES,
            Ty::User => User::REFERENCES,
        }
    }

    /// The stored columns of the type, from its declaration.
    pub fn columns(self) -> &'static [crate::graphql::record::Column] {
        use crate::graphql::types::all::*;
        match self {
            Ty::Customer => Customer::COLUMNS,
            Ty::Contact => Contact::COLUMNS,
            Ty::Deal => Deal::COLUMNS,
            Ty::Ticket => Ticket::COLUMNS,
            Ty::Interaction => Interaction::COLUMNS,
            Ty::Purchase => Purchase::COLUMNS,
            Ty::Feedback => Feedback::COLUMNS,
            Ty::SurveyResponse => SurveyResponse::COLUMNS,
            Ty::Survey => Survey::COLUMNS,
            Ty::User => User::COLUMNS,
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
