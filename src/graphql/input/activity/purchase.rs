//! Inputs of purchases.

use super::opt_id;
use crate::graphql::input::patch;
use crate::graphql::relay::Date;
use crate::lifecycle_inputs;
use crate::service::purchase::{NewPurchase, PurchasePatch};
use async_graphql::{ID, InputObject, MaybeUndefined};
use rust_decimal::Decimal;

pub use crate::graphql::types::activity::{PurchaseFilter, PurchaseOrder, PurchaseOrderField};

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
