//! `Purchase`: a transaction.

use super::Deal;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateFilter, DateTimeFilter, IdFilter, IntFilter, MoneyFilter, StringFilter};
use crate::graphql::relay::{One, one};
use crate::graphql::types::all::Customer;
use async_graphql::{Context, Result};
use entity::{customer, purchase};

crate::record! {
    /// A purchase or transaction (交易记录).
    Purchase(purchase) {
        product Product: Text, filter StringFilter, sort Product;
        quantity Quantity: Int, filter IntFilter;
        /// Total amount, exact.
        amount = amount_e4 AmountE4: Money guarded, filter MoneyFilter, sort Amount;
        /// ISO 4217 code.
        currency Currency: Text, filter StringFilter;
        purchased_at PurchasedAt: Date, filter DateFilter, sort PurchasedAt;
        payment_method PaymentMethod: OptText guarded, filter StringFilter;
    }
    /// Conditions on purchases.
    filter PurchaseFilter {
        id: IdFilter => Id("Purchase"),
        customer_id: IdFilter => CustomerId("Customer"),
        deal_id: IdFilter => DealId("Deal"),
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (purchase::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
    order PurchaseOrder(PurchaseOrderField), default PurchasedAt Desc {
        CreatedAt => CreatedAt,
    }
    resolvers {
        async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
            one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
        }
        async fn deal(&self, ctx: &Context<'_>) -> Result<One<Deal>> {
            one::<entity::deal::Entity, _>(ctx, self.0.deal_id, Deal).await
        }
    }
}
