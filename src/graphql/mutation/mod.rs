//! Root mutations, merged from one object per domain noun.

mod activity;
mod auth;
mod batch;
mod contact;
mod customer;
mod marketing;

use async_graphql::MergedObject;

/// The mutation root.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    customer::CustomerMutation,
    contact::ContactMutation,
    activity::InteractionMutation,
    activity::PurchaseMutation,
    activity::DealMutation,
    activity::TicketMutation,
    activity::FeedbackMutation,
    activity::WorkflowMutation,
    marketing::CampaignMutation,
    marketing::CampaignParticipationMutation,
    marketing::SurveyMutation,
    marketing::TagMutation,
    marketing::ResponseMutation,
    batch::BatchMutation,
    auth::AuthMutation,
);
