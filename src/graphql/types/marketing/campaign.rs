//! `Campaign` and `CampaignParticipation`.

use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateFilter, DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::input::marketing::{CampaignKindFilter, ParticipationStatusFilter};
use crate::graphql::loader::CampaignParticipations;
use crate::graphql::types::all::Customer;
use crate::graphql::types::enums::{CampaignKind, ParticipationStatus};
use entity::{campaign, campaign_participation, customer};

crate::record! {
    /// A marketing activity (市场活动).
    Campaign(campaign) {
        name Name: Text, filter StringFilter, sort Name;
        kind Kind: Enum(CampaignKind), filter CampaignKindFilter;
        description Description: OptText;
        starts_on StartsOn: Date, filter DateFilter, sort StartsOn;
        ends_on EndsOn: OptDate, filter DateFilter;
    }
    references {}
    /// Conditions on campaigns.
    filter CampaignFilter {
        id: IdFilter => Id("Campaign"),
        created_at: DateTimeFilter => CreatedAt,
    }
    related {}
    order CampaignOrder(CampaignOrderField), default StartsOn Desc {
        CreatedAt => CreatedAt,
    }
    resolvers {
        /// The nested lists.
        #[graphql(flatten)]
        async fn lists(&self) -> CampaignLists {
            CampaignLists(self.0.id)
        }
    }
}

crate::lists! {
    /// The nested lists of `Campaign`, flattened into it.
    CampaignLists {
        /// Customers invited to or attending this campaign (those the caller may see).
        participations: CampaignParticipations => CampaignParticipation(CampaignParticipationFilter, CampaignParticipationOrder);
    }
}

crate::record! {
    /// A customer's invitation to and attendance of a campaign.
    CampaignParticipation(campaign_participation) {
        status Status: Enum(ParticipationStatus), filter ParticipationStatusFilter;
    }
    references {
        campaign campaign_id: Campaign(campaign);
        customer customer_id: Customer(customer);
    }
    /// Conditions on campaign participations.
    filter CampaignParticipationFilter {
        id: IdFilter => Id("CampaignParticipation"),
        campaign_id: IdFilter => CampaignId("Campaign"),
        customer_id: IdFilter => CustomerId("Customer"),
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (campaign_participation::Column::CustomerId, customer::Entity, customer::Column::Id),
        campaign: CampaignFilter => (campaign_participation::Column::CampaignId, campaign::Entity, campaign::Column::Id),
    }
    order CampaignParticipationOrder(CampaignParticipationOrderField), default CreatedAt Desc {
        CreatedAt => CreatedAt,
        UpdatedAt => UpdatedAt,
    }
    resolvers {}
}
