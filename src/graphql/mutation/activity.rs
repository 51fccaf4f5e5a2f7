//! Interaction, purchase, deal, ticket and feedback mutations, with the deal and ticket
//! actions.

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::crud::{self, CreateInput};
use crate::graphql::input::activity::*;
use crate::graphql::types::activity::{Deal, Feedback, Interaction, Purchase, Ticket};
use crate::service;
use crate::service::insert::Hooks;
use crate::service::interaction::claim_customer;
use crate::service::record::Checked;
use crate::{change_input, create_input, crud_mutations, payload};
use async_graphql::{Context, Object, Result};
use entity::interaction;
use sea_orm::DatabaseConnection;

#[async_trait::async_trait]
impl CreateInput for CreateInteractionInput {
    type Entity = interaction::Entity;
    type Row = interaction::ActiveModel;
    fn key(&self) -> Option<String> {
        self.client_mutation_id.clone()
    }
    async fn row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<Self::Row>> {
        crate::service::interaction::prepare(db, viewer, self.into()).await
    }
    fn hooks() -> Hooks<'static, interaction::ActiveModel, interaction::Model> {
        Hooks {
            before: Some(Box::new(|txn, viewer, row| Box::pin(claim_customer(txn, viewer, row)))),
            after: Some(Box::new(|txn, viewer, model| {
                Box::pin(service::interaction::after_create(txn, viewer, model))
            })),
        }
    }
}

change_input!(UpdateInteractionInput => interaction via service::interaction::change);
create_input!(CreatePurchaseInput => purchase via service::purchase::prepare, after service::purchase::reclassify);
change_input!(UpdatePurchaseInput => purchase via service::purchase::change);
create_input!(CreateDealInput => deal via service::deal::prepare);
change_input!(UpdateDealInput => deal via service::deal::change);
change_input!(MoveDealStageInput => deal via service::deal::move_stage);
create_input!(CreateTicketInput => ticket via service::ticket::prepare, after by viewer service::ticket::after_create);
change_input!(UpdateTicketInput => ticket via service::ticket::change);
change_input!(AssignTicketInput => ticket via service::ticket::assign);
change_input!(ResolveTicketInput => ticket via service::ticket::resolve);
change_input!(ReopenTicketInput => ticket via service::ticket::reopen);
change_input!(ConfirmTicketResolutionInput => ticket via service::ticket::confirm);
create_input!(CreateFeedbackInput => feedback via service::feedback::prepare, after service::feedback::reclassify);
change_input!(UpdateFeedbackInput => feedback via service::feedback::change);

crud_mutations! {
    InteractionMutation for interaction as Interaction in interaction {
        create_interaction(CreateInteractionInput) -> CreateInteractionPayload,
        update_interaction(UpdateInteractionInput) -> UpdateInteractionPayload,
        delete_interaction(DeleteInteractionInput) -> DeleteInteractionPayload,
        restore_interaction(RestoreInteractionInput) -> RestoreInteractionPayload,
    }
}

crud_mutations! {
    PurchaseMutation for purchase as Purchase in purchase {
        create_purchase(CreatePurchaseInput) -> CreatePurchasePayload,
        update_purchase(UpdatePurchaseInput) -> UpdatePurchasePayload,
        delete_purchase(DeletePurchaseInput) -> DeletePurchasePayload,
        restore_purchase(RestorePurchaseInput) -> RestorePurchasePayload,
    }
}

crud_mutations! {
    DealMutation for deal as Deal in deal {
        create_deal(CreateDealInput) -> CreateDealPayload,
        update_deal(UpdateDealInput) -> UpdateDealPayload,
        delete_deal(DeleteDealInput) -> DeleteDealPayload,
        restore_deal(RestoreDealInput) -> RestoreDealPayload,
    }
}

crud_mutations! {
    TicketMutation for ticket as Ticket in ticket {
        create_ticket(CreateTicketInput) -> CreateTicketPayload,
        update_ticket(UpdateTicketInput) -> UpdateTicketPayload,
        delete_ticket(DeleteTicketInput) -> DeleteTicketPayload,
        restore_ticket(RestoreTicketInput) -> RestoreTicketPayload,
    }
}

crud_mutations! {
    FeedbackMutation for feedback as Feedback in feedback {
        create_feedback(CreateFeedbackInput) -> CreateFeedbackPayload,
        update_feedback(UpdateFeedbackInput) -> UpdateFeedbackPayload,
        delete_feedback(DeleteFeedbackInput) -> DeleteFeedbackPayload,
        restore_feedback(RestoreFeedbackInput) -> RestoreFeedbackPayload,
    }
}

payload!(/// The result of `moveDealStage`.
    MoveDealStagePayload { deal: Deal });
payload!(/// The result of `assignTicket`.
    AssignTicketPayload { ticket: Ticket });
payload!(/// The result of `resolveTicket`.
    ResolveTicketPayload { ticket: Ticket });
payload!(/// The result of `reopenTicket`.
    ReopenTicketPayload { ticket: Ticket });
payload!(/// The result of `confirmTicketResolution`.
    ConfirmTicketResolutionPayload { ticket: Ticket });

/// Pipeline and service-desk actions.
#[derive(Default)]
pub struct WorkflowMutation;

#[Object]
impl WorkflowMutation {
    /// Moves a deal to another stage; WON and LOST close it (LOST needs a reason).
    async fn move_deal_stage(&self, ctx: &Context<'_>, input: MoveDealStageInput) -> Result<MoveDealStagePayload> {
        crud::change(ctx, input, Deal).await
    }

    /// Gives a ticket to a user; an OPEN ticket moves to IN_PROGRESS.
    async fn assign_ticket(&self, ctx: &Context<'_>, input: AssignTicketInput) -> Result<AssignTicketPayload> {
        crud::change(ctx, input, Ticket).await
    }

    /// Resolves a ticket, recording the solution and `resolvedAt`.
    async fn resolve_ticket(&self, ctx: &Context<'_>, input: ResolveTicketInput) -> Result<ResolveTicketPayload> {
        crud::change(ctx, input, Ticket).await
    }

    /// Reopens a resolved or closed ticket: back to IN_PROGRESS (OPEN when unassigned), the
    /// resolution's outcome REOPENED, `reopenCount` up by one.
    async fn reopen_ticket(&self, ctx: &Context<'_>, input: ReopenTicketInput) -> Result<ReopenTicketPayload> {
        crud::change(ctx, input, Ticket).await
    }

    /// The customer confirmed a resolved ticket's solution: it closes, outcome CONFIRMED.
    async fn confirm_ticket_resolution(
        &self,
        ctx: &Context<'_>,
        input: ConfirmTicketResolutionInput,
    ) -> Result<ConfirmTicketResolutionPayload> {
        crud::change(ctx, input, Ticket).await
    }
}
