//! `Deal`: a sales opportunity.

use crate::graphql::input::activity::{
    DealStageFilter, InteractionFilter, InteractionOrder, PurchaseFilter, PurchaseOrder,
};
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateFilter, DateTimeFilter, IdFilter, IntFilter, MoneyFilter, StringFilter};
use crate::graphql::loader::{DealInteractions, DealPurchases};
use crate::graphql::types::all::{Customer, Interaction, Purchase, User};
use crate::graphql::types::enums::DealStage;
use entity::{customer, deal};

crate::record! {
    /// A sales opportunity (商机).
    Deal(deal) {
        title Title: Text, filter StringFilter, sort Title;
        stage Stage: Enum(DealStage), filter DealStageFilter;
        /// Expected or contracted amount, exact.
        amount = amount_e4 AmountE4: Money guarded, filter MoneyFilter, sort Amount;
        /// ISO 4217 code.
        currency Currency: Text, filter StringFilter;
        /// Win probability in percent.
        probability Probability: Int, filter IntFilter, sort Probability;
        expected_close_date ExpectedCloseDate: OptDate, filter DateFilter;
        closed_at ClosedAt: OptDateTime, filter DateTimeFilter;
        lost_reason LostReason: OptText guarded;
    }
    references {
        owner owner_id: User(user);
        customer customer_id: Customer(customer);
    }
    /// Conditions on deals.
    filter DealFilter {
        id: IdFilter => Id("Deal"),
        customer_id: IdFilter => CustomerId("Customer"),
        owner_id: IdFilter => OwnerId("User"),
        created_at: DateTimeFilter => CreatedAt,
        updated_at: DateTimeFilter => UpdatedAt,
    }
    related {
        customer: CustomerFilter => (deal::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
    custom {
        custom_field: crate::graphql::types::custom_field::CustomFieldFilter
            => crate::graphql::types::custom_field::deal_custom_field,
    }
    order DealOrder(DealOrderField), default CreatedAt Desc, custom fields of Deal {
        CreatedAt => CreatedAt,
        UpdatedAt => UpdatedAt,
    }
    resolvers {
        /// The nested lists.
        #[graphql(flatten)]
        async fn lists(&self) -> DealLists {
            DealLists(self.0.id)
        }
        /// Custom fields.
        #[graphql(flatten)]
        async fn custom(&self) -> crate::graphql::types::custom_field::CustomFields {
            crate::graphql::types::custom_field::CustomFields::of(entity::enums::CustomRecordType::Deal, &self.0.custom_fields)
        }
    }
}

crate::lists! {
    /// The nested lists of `Deal`, flattened into it.
    DealLists {
        /// Communication records about this deal.
        interactions: DealInteractions => Interaction(InteractionFilter, InteractionOrder);
        /// Purchases this deal produced.
        purchases: DealPurchases => Purchase(PurchaseFilter, PurchaseOrder);
    }
}
