//! Campaign, participation, survey, survey response and tag mutations.

use crate::graphql::context;
use crate::graphql::crud;
use crate::graphql::idempotency::idempotent;
use crate::graphql::input::marketing::*;
use crate::graphql::relay::expect_id;
use crate::graphql::types::customer::Customer;
use crate::graphql::types::marketing::{Campaign, CampaignParticipation, Survey, SurveyResponse, Tag};
use crate::graphql::types::user_error::user_errors;
use crate::service;
use crate::service::tag;
use crate::{change_input, create_input, crud_mutations, payload};
use async_graphql::{Context, Object, Result};

create_input!(CreateCampaignInput => campaign via service::campaign::prepare);
change_input!(UpdateCampaignInput => campaign via service::campaign::change);
create_input!(CreateCampaignParticipationInput => campaign_participation via service::campaign::prepare_participation);
change_input!(UpdateCampaignParticipationInput => campaign_participation via service::campaign::change_participation);
create_input!(CreateSurveyInput => survey via service::survey::prepare);
change_input!(UpdateSurveyInput => survey via service::survey::change);
create_input!(SubmitSurveyResponseInput => survey_response via service::survey::submit);
create_input!(CreateTagInput => tag via service::tag::prepare);
change_input!(UpdateTagInput => tag via service::tag::change);

crud_mutations! {
    CampaignMutation for campaign as Campaign in campaign {
        create_campaign(CreateCampaignInput) -> CreateCampaignPayload,
        update_campaign(UpdateCampaignInput) -> UpdateCampaignPayload,
        delete_campaign(DeleteCampaignInput) -> DeleteCampaignPayload,
        restore_campaign(RestoreCampaignInput) -> RestoreCampaignPayload,
    }
}

crud_mutations! {
    CampaignParticipationMutation for campaign_participation as CampaignParticipation in campaign_participation {
        create_campaign_participation(CreateCampaignParticipationInput) -> CreateCampaignParticipationPayload,
        update_campaign_participation(UpdateCampaignParticipationInput) -> UpdateCampaignParticipationPayload,
        delete_campaign_participation(DeleteCampaignParticipationInput) -> DeleteCampaignParticipationPayload,
        restore_campaign_participation(RestoreCampaignParticipationInput) -> RestoreCampaignParticipationPayload,
    }
}

crud_mutations! {
    SurveyMutation for survey as Survey in survey {
        create_survey(CreateSurveyInput) -> CreateSurveyPayload,
        update_survey(UpdateSurveyInput) -> UpdateSurveyPayload,
        delete_survey(DeleteSurveyInput) -> DeleteSurveyPayload,
        restore_survey(RestoreSurveyInput) -> RestoreSurveyPayload,
    }
}

crud_mutations! {
    TagMutation for tag as Tag in tag {
        create_tag(CreateTagInput) -> CreateTagPayload,
        update_tag(UpdateTagInput) -> UpdateTagPayload,
        delete_tag(DeleteTagInput) -> DeleteTagPayload,
        restore_tag(RestoreTagInput) -> RestoreTagPayload,
    }
}

payload!(/// The result of `submitSurveyResponse`.
    SubmitSurveyResponsePayload { survey_response: SurveyResponse;
        /// The answers were stored. With a token the response itself is not shown: a token
        /// reaches nothing but its own survey.
        accepted: bool });
payload!(/// The result of `deleteSurveyResponse`.
    DeleteSurveyResponsePayload { survey_response: SurveyResponse });
payload!(/// The result of `restoreSurveyResponse`.
    RestoreSurveyResponsePayload { survey_response: SurveyResponse });
payload!(/// The result of `addTags` and `removeTags`.
    CustomerTagsPayload { customer: Customer });

/// Survey responses and customer tagging.
#[derive(Default)]
pub struct ResponseMutation;

#[Object]
impl ResponseMutation {
    /// Records a customer's answers to an ACTIVE survey — entered by staff, or by the
    /// customer with an invitation's token and no account. Answers are checked against
    /// the questions and scored by the survey's kind (NPS, CSAT, CES: the primary rating;
    /// CUSTOM: the mean of the ratings).
    async fn submit_survey_response(
        &self,
        ctx: &Context<'_>,
        input: SubmitSurveyResponseInput,
    ) -> Result<SubmitSurveyResponsePayload> {
        if let Some(token) = input.token.as_deref()
            && input.survey_id.is_none()
            && input.customer_id.is_none()
            && input.ticket_id.is_none()
        {
            let answers: Vec<service::survey::Answer> = input.answers.iter().cloned().map(Into::into).collect();
            let result = service::survey::invite::respond(crate::graphql::context::db(ctx)?, token, &answers).await?;
            let errors = result.err().unwrap_or_default();
            return Ok(SubmitSurveyResponsePayload {
                survey_response: None,
                accepted: errors.is_empty(),
                user_errors: errors.into_iter().map(Into::into).collect(),
                client_mutation_id: input.client_mutation_id,
            });
        }
        let mut payload: SubmitSurveyResponsePayload = crud::create(ctx, input, SurveyResponse).await?;
        payload.accepted = payload.survey_response.is_some();
        Ok(payload)
    }

    /// Soft-deletes a survey response.
    async fn delete_survey_response(
        &self,
        ctx: &Context<'_>,
        input: DeleteSurveyResponseInput,
    ) -> Result<DeleteSurveyResponsePayload> {
        crud::delete::<entity::survey_response::Entity, entity::survey_response::ActiveModel, _>(
            ctx,
            &input.id,
            input.expected_version,
            input.client_mutation_id.clone(),
            SurveyResponse,
        )
        .await
    }

    /// Restores a soft-deleted survey response.
    async fn restore_survey_response(
        &self,
        ctx: &Context<'_>,
        input: RestoreSurveyResponseInput,
    ) -> Result<RestoreSurveyResponsePayload> {
        crud::restore::<entity::survey_response::Entity, entity::survey_response::ActiveModel, _>(
            ctx,
            &input.id,
            input.client_mutation_id.clone(),
            SurveyResponse,
        )
        .await
    }

    /// Puts tags on a customer (tags already there are left alone).
    async fn add_tags(&self, ctx: &Context<'_>, input: CustomerTagsInput) -> Result<CustomerTagsPayload> {
        tags(ctx, input, true).await
    }

    /// Takes tags off a customer (tags not there are ignored).
    async fn remove_tags(&self, ctx: &Context<'_>, input: CustomerTagsInput) -> Result<CustomerTagsPayload> {
        tags(ctx, input, false).await
    }
}

async fn tags(ctx: &Context<'_>, input: CustomerTagsInput, add: bool) -> Result<CustomerTagsPayload> {
    let viewer = context::viewer(ctx)?;
    let db = context::db(ctx)?;
    let key = input.client_mutation_id.clone();
    idempotent(ctx, key.as_deref(), || async {
        let customer = expect_id(&input.customer_id, "Customer").unwrap_or_default();
        let tag_ids = input.tag_ids.iter().map(|id| expect_id(id, "Tag").unwrap_or_default()).collect::<Vec<_>>();
        let result = tag::set_on_customer(db, viewer, customer, &tag_ids, add).await?;
        Ok(match result {
            Ok(m) => CustomerTagsPayload {
                customer: Some(Customer(m)),
                user_errors: vec![],
                client_mutation_id: key.clone(),
            },
            Err(e) => {
                CustomerTagsPayload { customer: None, user_errors: user_errors(e), client_mutation_id: key.clone() }
            }
        })
    })
    .await
}
