//! Output types, one file per domain noun.

pub mod access;
pub mod activity;
pub mod audit;
pub mod auth;
pub mod classification;
pub mod consent;
pub mod contact;
pub mod correction;
pub mod custom_field;
pub mod customer;
pub mod duplicate;
pub mod enums;
pub mod follow_up;
pub mod habits;
pub mod lists;
pub mod marketing;
pub mod merge;
pub mod people;
pub mod reports;
pub mod retention;
pub mod satisfaction;
pub mod segment;
pub mod service_reports;
pub mod sla;
pub mod subject;
pub mod user_error;

/// Every output type, for `use types::all::*`.
pub mod all {
    pub use super::activity::{Deal, Feedback, Interaction, Purchase, Ticket};
    pub use super::contact::Contact;
    pub use super::custom_field::CustomFieldDefinition;
    pub use super::customer::Customer;
    pub use super::marketing::{Campaign, CampaignParticipation, Survey, SurveyQuestion, SurveyResponse, Tag};
    pub use super::people::{Team, User};
    pub use super::segment::Segment;
}
