//! The one-to-many relations of the API, each a marker type for the generic loaders.

use super::ChildRelation;
use crate::service::page::SortSpec;
use entity::{
    campaign_participation, contact, customer, deal, feedback, interaction, purchase, survey_response, ticket, user,
};
use sea_orm::{EntityTrait, Order};

/// Declares a relation: `Name: child module by parent column, ordered by columns`.
macro_rules! relation {
    ($(#[$doc:meta])* $name:ident: $child:ident by $parent:ident, order [$(($col:ident, $dir:ident)),+], same customer: $same:literal) => {
        $(#[$doc])*
        pub struct $name;

        impl ChildRelation for $name {
            type Child = $child::Entity;
            fn parent() -> <$child::Entity as EntityTrait>::Column {
                $child::Column::$parent
            }
            fn order() -> SortSpec<<$child::Entity as EntityTrait>::Column> {
                crate::service::page::by(&[$(($child::Column::$col, Order::$dir)),+])
            }
            const SAME_CUSTOMER: bool = $same;
        }
    };
}

relation!(/// A customer's contact people, oldest first.
    CustomerContacts: contact by CustomerId, order [(CreatedAt, Asc)], same customer: true);
relation!(/// A customer's communication records, latest first.
    CustomerInteractions: interaction by CustomerId, order [(OccurredAt, Desc)], same customer: true);
relation!(/// A customer's purchases, latest first.
    CustomerPurchases: purchase by CustomerId, order [(PurchasedAt, Desc)], same customer: true);
relation!(/// A customer's deals, newest first.
    CustomerDeals: deal by CustomerId, order [(CreatedAt, Desc)], same customer: true);
relation!(/// A customer's tickets, latest first.
    CustomerTickets: ticket by CustomerId, order [(OpenedAt, Desc)], same customer: true);
relation!(/// A customer's feedback, latest first.
    CustomerFeedback: feedback by CustomerId, order [(ReceivedAt, Desc)], same customer: true);
relation!(/// A customer's campaign participations, newest first.
    CustomerParticipations: campaign_participation by CustomerId, order [(CreatedAt, Desc)], same customer: true);
relation!(/// A customer's survey responses, latest first.
    CustomerSurveyResponses: survey_response by CustomerId, order [(SubmittedAt, Desc)], same customer: true);
relation!(/// The communication records about a deal, latest first.
    DealInteractions: interaction by DealId, order [(OccurredAt, Desc)], same customer: true);
relation!(/// The purchases a deal produced, latest first.
    DealPurchases: purchase by DealId, order [(PurchasedAt, Desc)], same customer: true);
relation!(/// The communication records with a contact, latest first.
    ContactInteractions: interaction by ContactId, order [(OccurredAt, Desc)], same customer: true);
relation!(/// The tickets a contact raised, latest first.
    ContactTickets: ticket by ContactId, order [(OpenedAt, Desc)], same customer: true);
relation!(/// Feedback about a ticket, latest first.
    TicketFeedback: feedback by TicketId, order [(ReceivedAt, Desc)], same customer: true);
relation!(/// Survey responses about a ticket, latest first.
    TicketSurveyResponses: survey_response by TicketId, order [(SubmittedAt, Desc)], same customer: true);
relation!(/// A campaign's participants, newest first.
    CampaignParticipations: campaign_participation by CampaignId, order [(CreatedAt, Desc)], same customer: false);
relation!(/// A survey's responses, latest first.
    SurveyResponses: survey_response by SurveyId, order [(SubmittedAt, Desc)], same customer: false);
relation!(/// A team's members, by name.
    TeamMembers: user by TeamId, order [(Name, Asc)], same customer: false);
relation!(/// The customers a user owns, by name.
    UserCustomers: customer by OwnerId, order [(Name, Asc)], same customer: false);
relation!(/// The deals a user owns, newest first.
    UserDeals: deal by OwnerId, order [(CreatedAt, Desc)], same customer: false);
relation!(/// The tickets assigned to a user, latest first.
    UserTickets: ticket by AssigneeId, order [(OpenedAt, Desc)], same customer: false);
