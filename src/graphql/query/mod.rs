//! Root queries, merged from one object per domain noun.

mod auth;
pub mod customer;
mod node;
mod records;
mod report;
mod viewer;

use async_graphql::MergedObject;
use records::*;

/// The query root.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    node::NodeQuery,
    auth::AuthQuery,
    viewer::ViewerQuery,
    customer::CustomerQuery,
    crate::graphql::types::classification::ClassificationQuery,
    ContactQuery,
    InteractionQuery,
    PurchaseQuery,
    DealQuery,
    TicketQuery,
    FeedbackQuery,
    CampaignQuery,
    CampaignParticipationQuery,
    SurveyQuery,
    SurveyResponseQuery,
    TagQuery,
    SegmentQuery,
    CustomFieldDefinitionQuery,
    crate::graphql::types::follow_up::FollowUpQuery,
    crate::graphql::types::duplicate::DuplicateQuery,
    crate::graphql::types::sla::SlaQuery,
    crate::graphql::types::satisfaction::SatisfactionQuery,
    report::ReportQuery,
    crate::graphql::types::reports::ReportsQuery,
    crate::graphql::types::service_reports::ServiceReportsQuery,
    crate::graphql::types::habits::HabitsQuery,
    crate::graphql::types::audit::AuditQuery,
    crate::graphql::types::access::AccessQuery,
    crate::graphql::types::consent::ConsentQuery,
    crate::graphql::types::retention::RetentionQuery,
    crate::graphql::types::subject::SubjectQuery,
);
