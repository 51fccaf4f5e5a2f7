//! Interaction, purchase, deal, ticket and feedback mutations, with the deal and ticket
//! actions.

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::crud::{self, CreateInput};
use crate::graphql::input::activity::*;
use crate::graphql::types::activity::{Deal, Feedback, Interaction, Purchase, Ticket};
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
        self.into_row(db, viewer).await
    }
    fn hooks() -> Hooks<'static, interaction::ActiveModel, interaction::Model> {
        Hooks { before: Some(Box::new(|txn, viewer, row| Box::pin(claim_customer(txn, viewer, row)))), after: None }
    }
}

change_input!(UpdateInteractionInput => interaction, plain);
create_input!(CreatePurchaseInput => purchase, db_viewer);
change_input!(UpdatePurchaseInput => purchase, plain);
create_input!(CreateDealInput => deal, db_viewer);
change_input!(UpdateDealInput => deal, db_viewer);
change_input!(MoveDealStageInput => deal, plain);
create_input!(CreateTicketInput => ticket, db_viewer);
change_input!(UpdateTicketInput => ticket, plain);
change_input!(AssignTicketInput => ticket, db_viewer);
change_input!(ResolveTicketInput => ticket, plain);
create_input!(CreateFeedbackInput => feedback, db_viewer);
change_input!(UpdateFeedbackInput => feedback, plain);

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
}
