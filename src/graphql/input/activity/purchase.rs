//! Inputs of purchases.

use super::*;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateFilter, DateTimeFilter, IdFilter, IntFilter, MoneyFilter, StringFilter};
use crate::graphql::input::patch;
use crate::graphql::relay::Date;
use crate::service::now;
use crate::service::record::{Change, Checked, check_ref};
use crate::service::validate::Checker;
use crate::{lifecycle_inputs, record_filter, record_order, set_field};
use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::{customer, deal, purchase};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, DatabaseConnection};

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

impl CreatePurchaseInput {
    /// The row to insert, or the field errors.
    pub async fn into_row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<purchase::ActiveModel>> {
        let mut c = Checker::default();
        let customer = check_ref::<customer::Entity>(
            db,
            viewer,
            &mut c,
            "customerId",
            opt_id(Some(&self.customer_id), "Customer"),
        )
        .await?;
        let customer_id = customer.map(|m| m.id).unwrap_or_default();
        let deal =
            check_ref::<deal::Entity>(db, viewer, &mut c, "dealId", opt_id(self.deal_id.as_ref(), "Deal")).await?;
        same_customer(&mut c, "dealId", customer_id, deal.as_ref().map(|m| m.customer_id));
        let ts = now();
        let row = purchase::ActiveModel {
            customer_id: Set(customer_id),
            deal_id: Set(deal.map(|m| m.id)),
            product: Set(c.name("product", &self.product, 200)),
            quantity: Set(c.int_range("quantity", self.quantity, 1, 1_000_000)),
            amount_e4: Set(c.money("amount", self.amount)),
            currency: Set(c.currency("currency", self.currency.as_deref(), "CNY")),
            purchased_at: Set(c.past_date("purchasedAt", self.purchased_at.map_or(ts.date_naive(), |d| d.0))),
            payment_method: Set(c.text("paymentMethod", self.payment_method.as_deref(), 64)),
            ..entity::record::new_row::<entity::purchase::Entity>(ts)
        };
        Ok(c.finish(row))
    }
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

impl UpdatePurchaseInput {
    /// The change to write.
    pub fn change(self, _current: &purchase::Model) -> Change<purchase::ActiveModel> {
        let mut c = Checker::default();
        let mut row = purchase::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = &self.product {
            set_field!(row, fields, product, "product", c.name("product", v, 200));
        }
        if let Some(v) = self.quantity {
            set_field!(row, fields, quantity, "quantity", c.int_range("quantity", v, 1, 1_000_000));
        }
        if let Some(v) = self.amount {
            set_field!(row, fields, amount_e4, "amount", c.money("amount", v));
        }
        if let Some(v) = &self.currency {
            set_field!(row, fields, currency, "currency", c.currency("currency", Some(v), "CNY"));
        }
        if let Some(v) = self.purchased_at {
            set_field!(row, fields, purchased_at, "purchasedAt", c.past_date("purchasedAt", v.0));
        }
        if let Some(v) = patch(self.payment_method, |v| v) {
            set_field!(row, fields, payment_method, "paymentMethod", c.text("paymentMethod", v.as_deref(), 64));
        }
        c.finish((row, fields))
    }
}
