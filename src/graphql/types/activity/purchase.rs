//! `Purchase`: a transaction.

use super::Deal;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateFilter, DateTimeFilter, IdFilter, IntFilter, MoneyFilter, StringFilter};
use crate::graphql::types::all::Customer;
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
    references {
        customer customer_id: Customer(customer);
        deal deal_id: Deal(deal) optional;
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
    resolvers {}
}
