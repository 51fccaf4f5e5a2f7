//! Inputs of purchases.

use super::opt_id;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateFilter, DateTimeFilter, IdFilter, IntFilter, MoneyFilter, StringFilter};
use crate::graphql::input::patch;
use crate::graphql::relay::Date;
use crate::service::purchase::{NewPurchase, PurchasePatch};
use crate::{lifecycle_inputs, record_filter, record_order};
use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::{customer, purchase};
use rust_decimal::Decimal;

record_filter! {
    /// Conditions on purchases.
    PurchaseFilter for purchase as "Purchase" {
        id: IdFilter => Id("Purchase"),
        customer_id: IdFilter => CustomerId("Customer"),
        deal_id: IdFilter => DealId("Deal"),
        product: StringFilter => Product,
        quantity: IntFilter => Quantity,
        amount: MoneyFilter => AmountE4,
        currency: StringFilter => Currency,
        purchased_at: DateFilter => PurchasedAt,
        payment_method: StringFilter => PaymentMethod,
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (purchase::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
}

record_order!(PurchaseOrder, PurchaseOrderField for purchase as "Purchase", default PurchasedAt Desc {
    PurchasedAt => PurchasedAt,
    Amount => AmountE4,
    Product => Product,
    CreatedAt => CreatedAt,
});

lifecycle_inputs!(DeletePurchaseInput, RestorePurchaseInput);

/// A purchase to record.
#[derive(InputObject, Debug, Clone)]
pub struct CreatePurchaseInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub deal_id: Option<ID>,
    pub product: String,
    #[graphql(default = 1)]
    pub quantity: i32,
    /// Total amount (at most four decimal places).
    pub amount: Decimal,
    /// ISO 4217 code; CNY when left out.
    pub currency: Option<String>,
    /// Today when left out; never in the future.
    pub purchased_at: Option<Date>,
    pub payment_method: Option<String>,
}

/// Changes to a purchase.
#[derive(InputObject, Debug, Clone)]
pub struct UpdatePurchaseInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub product: Option<String>,
    pub quantity: Option<i32>,
    pub amount: Option<Decimal>,
    pub currency: Option<String>,
    pub purchased_at: Option<Date>,
    pub payment_method: MaybeUndefined<String>,
}

impl From<CreatePurchaseInput> for NewPurchase {
    fn from(input: CreatePurchaseInput) -> Self {
        Self {
            customer_id: opt_id(Some(&input.customer_id), "Customer"),
            deal_id: opt_id(input.deal_id.as_ref(), "Deal"),
            product: input.product,
            quantity: input.quantity,
            amount: input.amount,
            currency: input.currency,
            purchased_at: input.purchased_at.map(|d| d.0),
            payment_method: input.payment_method,
        }
    }
}

impl From<UpdatePurchaseInput> for PurchasePatch {
    fn from(input: UpdatePurchaseInput) -> Self {
        Self {
            product: input.product,
            quantity: input.quantity,
            amount: input.amount,
            currency: input.currency,
            purchased_at: input.purchased_at.map(|d| d.0),
            payment_method: patch(input.payment_method, |v| v),
        }
    }
}
