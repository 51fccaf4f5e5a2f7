//! Inputs of purchases.

use crate::lifecycle_inputs;
use crate::service::purchase::{NewPurchase, PurchasePatch};

pub use crate::graphql::types::activity::{PurchaseFilter, PurchaseOrder, PurchaseOrderField};

lifecycle_inputs!(DeletePurchaseInput, RestorePurchaseInput);

crate::service::purchase::purchase_inputs!();
