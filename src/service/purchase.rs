//! Purchases (交易记录): recording one and changing it.

use super::now;
use super::record::{Change, Checked, check_ref};
use super::reference::same_customer;
use super::validate::Checker;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::set_field;
use entity::{customer, deal, purchase};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

/// Re-evaluates the customer's lifecycle and value in the purchase's transaction.
pub async fn reclassify(txn: &sea_orm::DatabaseTransaction, saved: &purchase::Model) -> AppResult<()> {
    super::classification::one::reevaluate(txn, saved.customer_id, &["LIFECYCLE", "VALUE"], now()).await.map(drop)
}

crate::writes! {
    inputs purchase_inputs;
    /// A purchase to record.
    create NewPurchase as CreatePurchaseInput;
    /// Changes to a purchase.
    update PurchasePatch as UpdatePurchaseInput;
    fields {
        customer_id: Id(Customer) [create required];
        deal_id: Id(Deal) [create optional];
        product: Text [create required] [update set];
        quantity: Int [create default = 1] [update set];
        amount: Money [create required "Total amount (at most four decimal places)."] [update set];
        currency: Text [create optional "ISO 4217 code; CNY when left out."] [update set];
        purchased_at: Date [create optional "Today when left out; never in the future."] [update set];
        payment_method: Text [create optional] [update clear];
    }
}

/// The row of a new purchase, or the field errors.
pub async fn prepare(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewPurchase,
) -> AppResult<Checked<purchase::ActiveModel>> {
    let mut c = Checker::default();
    let customer = check_ref::<customer::Entity>(db, viewer, &mut c, "customerId", new.customer_id).await?;
    let customer_id = customer.map(|m| m.id).unwrap_or_default();
    let deal = check_ref::<deal::Entity>(db, viewer, &mut c, "dealId", new.deal_id).await?;
    same_customer(&mut c, "dealId", customer_id, deal.as_ref().map(|m| m.customer_id));
    let ts = now();
    let row = purchase::ActiveModel {
        customer_id: Set(customer_id),
        deal_id: Set(deal.map(|m| m.id)),
        product: Set(c.name("product", &new.product, 200)),
        quantity: Set(c.int_range("quantity", new.quantity, 1, 1_000_000)),
        amount_e4: Set(c.money("amount", new.amount)),
        currency: Set(c.currency("currency", new.currency.as_deref(), "CNY")),
        purchased_at: Set(c.past_date("purchasedAt", new.purchased_at.unwrap_or(ts.date_naive()))),
        payment_method: Set(c.text("paymentMethod", new.payment_method.as_deref(), 64)),
        ..entity::record::new_row::<purchase::Entity>(ts)
    };
    Ok(c.finish(row))
}

/// The change `patch` makes to a purchase.
pub async fn change(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    _current: &purchase::Model,
    patch: PurchasePatch,
) -> AppResult<Change<purchase::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = purchase::ActiveModel::default();
    let mut fields = Vec::new();
    if let Some(v) = &patch.product {
        set_field!(row, fields, product, "product", c.name("product", v, 200));
    }
    if let Some(v) = patch.quantity {
        set_field!(row, fields, quantity, "quantity", c.int_range("quantity", v, 1, 1_000_000));
    }
    if let Some(v) = patch.amount {
        set_field!(row, fields, amount_e4, "amount", c.money("amount", v));
    }
    if let Some(v) = &patch.currency {
        set_field!(row, fields, currency, "currency", c.currency("currency", Some(v), "CNY"));
    }
    if let Some(v) = patch.purchased_at {
        set_field!(row, fields, purchased_at, "purchasedAt", c.past_date("purchasedAt", v));
    }
    if let Some(v) = patch.payment_method {
        set_field!(row, fields, payment_method, "paymentMethod", c.text("paymentMethod", v.as_deref(), 64));
    }
    Ok(c.finish((row, fields)))
}
