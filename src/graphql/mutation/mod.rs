//! Root mutations, merged from one object per domain noun.

mod activity;
mod auth;
mod batch;
mod contact;
mod custom_field;
mod customer;
mod marketing;
mod segment;

use async_graphql::MergedObject;

/// The mutation root.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    customer::CustomerMutation,
    crate::graphql::types::classification::ClassificationMutation,
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
    segment::SegmentMutation,
    custom_field::CustomFieldDefinitionMutation,
    crate::graphql::types::follow_up::FollowUpMutation,
    crate::graphql::types::correction::CorrectionMutation,
    crate::graphql::types::consent::ConsentMutation,
    crate::graphql::types::subject::SubjectMutation,
    crate::graphql::types::retention::RetentionMutation,
    crate::graphql::types::merge::MergeMutation,
    crate::graphql::types::sla::SlaMutation,
    crate::graphql::types::satisfaction::SatisfactionMutation,
    batch::BatchMutation,
    auth::AuthMutation,
);

/// The `create<Type>` mutations of [`crud`](crate::graphql::crud), the only ones a guessed
/// viewer may run (their write confirms the credential: `auth::gate`).
const GATED: [&str; 13] = [
    customer::CustomerMutation::CREATE,
    contact::ContactMutation::CREATE,
    activity::InteractionMutation::CREATE,
    activity::PurchaseMutation::CREATE,
    activity::DealMutation::CREATE,
    activity::TicketMutation::CREATE,
    activity::FeedbackMutation::CREATE,
    marketing::CampaignMutation::CREATE,
    marketing::CampaignParticipationMutation::CREATE,
    marketing::SurveyMutation::CREATE,
    marketing::TagMutation::CREATE,
    segment::SegmentMutation::CREATE,
    custom_field::CustomFieldDefinitionMutation::CREATE,
];

/// True when the mutation field `name` (`createDeal`) may run as a guessed viewer.
pub fn gated(name: &str) -> bool {
    GATED.iter().any(|resolver| {
        let mut plain = resolver.chars().filter(|c| *c != '_');
        name.chars().all(|c| plain.next().is_some_and(|p| p.eq_ignore_ascii_case(&c))) && plain.next().is_none()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn gated_mutations_are_the_crud_creates() {
        assert!(super::gated("createInteraction"));
        assert!(super::gated("createCampaignParticipation"));
        assert!(!super::gated("createInteractions"));
        assert!(!super::gated("createInteractio"));
        assert!(!super::gated("createUser"));
        assert!(!super::gated("updateInteraction"));
        assert!(!super::gated("login"));
    }
}
