//! `<type>(id)` and `<types>(…)` for every record type but customers (which add search).

use crate::graphql::context;
use crate::graphql::input::activity::*;
use crate::graphql::input::contact::*;
use crate::graphql::input::custom_field::*;
use crate::graphql::input::marketing::*;
use crate::graphql::input::segment::*;
use crate::graphql::relay::{Conn, TotalCount, connection, expect_id, page_args, page_complexity};
use crate::graphql::types::all::*;
use crate::service::record;
use async_graphql::{Context, ID, Result};
use entity::record::Record;

/// Declares the root look-up and list of a record type.
macro_rules! record_query {
    ($query:ident: $one:ident, $many:ident => $module:ident as $ty:ident, $filter:ty, $order:ty) => {
        #[doc = concat!("`", stringify!($one), "` and `", stringify!($many), "`.")]
        #[derive(Default)]
        pub struct $query;

        #[async_graphql::Object]
        impl $query {
            #[doc = concat!("One ", stringify!($ty), " by global ID; `null` when missing or not visible.")]
            async fn $one(&self, ctx: &Context<'_>, id: ID) -> Result<Option<$ty>> {
                let viewer = context::viewer(ctx)?;
                let Ok(id) = expect_id(&id, <entity::$module::Entity as Record>::NAME) else { return Ok(None) };
                Ok(record::find::<entity::$module::Entity>(context::db(ctx)?, viewer, id).await?.map($ty))
            }

            #[doc = concat!("The ", stringify!($ty), " records the caller may see, as a Relay connection.")]
            #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
            async fn $many(
                &self,
                ctx: &Context<'_>,
                first: Option<i32>,
                after: Option<String>,
                last: Option<i32>,
                before: Option<String>,
                filter: Option<$filter>,
                order_by: Option<Vec<$order>>,
                #[graphql(default, desc = "Include soft-deleted records (admins only).")] include_deleted: bool,
            ) -> Result<Conn<$ty>> {
                let viewer = context::viewer(ctx)?;
                let filter = filter.map(|f| f.condition(viewer)).transpose()?;
                let order = <$order>::spec(viewer, order_by)?;
                let args = page_args(first, after, last, before);
                let (page, count) = record::list::<entity::$module::Entity>(
                    context::db(ctx)?,
                    viewer,
                    filter,
                    &order,
                    &args,
                    include_deleted,
                )
                .await?;
                Ok(connection(page, TotalCount::Statement(Box::new(count)), $ty))
            }
        }
    };
}

record_query!(ContactQuery: contact, contacts => contact as Contact, ContactFilter, ContactOrder);
record_query!(InteractionQuery: interaction, interactions => interaction as Interaction, InteractionFilter, InteractionOrder);
record_query!(PurchaseQuery: purchase, purchases => purchase as Purchase, PurchaseFilter, PurchaseOrder);
record_query!(DealQuery: deal, deals => deal as Deal, DealFilter, DealOrder);
record_query!(TicketQuery: ticket, tickets => ticket as Ticket, TicketFilter, TicketOrder);
record_query!(FeedbackQuery: feedback, feedbacks => feedback as Feedback, FeedbackFilter, FeedbackOrder);
record_query!(CampaignQuery: campaign, campaigns => campaign as Campaign, CampaignFilter, CampaignOrder);
record_query!(CampaignParticipationQuery: campaign_participation, campaign_participations => campaign_participation as CampaignParticipation, CampaignParticipationFilter, CampaignParticipationOrder);
record_query!(SurveyQuery: survey, surveys => survey as Survey, SurveyFilter, SurveyOrder);
record_query!(SurveyResponseQuery: survey_response, survey_responses => survey_response as SurveyResponse, SurveyResponseFilter, SurveyResponseOrder);
record_query!(TagQuery: tag, tags => tag as Tag, TagFilter, TagOrder);
record_query!(CustomFieldDefinitionQuery: custom_field_definition, custom_field_definitions => custom_field as CustomFieldDefinition, CustomFieldDefinitionFilter, CustomFieldDefinitionOrder);
record_query!(SegmentQuery: segment, segments => segment as Segment, SegmentFilter, SegmentOrder);
