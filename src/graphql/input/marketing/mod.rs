//! Inputs of campaign, participation, survey, survey response and tag queries and mutations.

mod campaign;
mod survey;
mod tag;

pub use campaign::*;
pub use survey::*;
pub use tag::*;

pub use crate::graphql::types::marketing::{
    CampaignFilter, CampaignOrder, CampaignOrderField, CampaignParticipationFilter, CampaignParticipationOrder,
    CampaignParticipationOrderField, SurveyFilter, SurveyOrder, SurveyOrderField, SurveyResponseFilter,
    SurveyResponseOrder, SurveyResponseOrderField, TagFilter, TagOrder, TagOrderField,
};
