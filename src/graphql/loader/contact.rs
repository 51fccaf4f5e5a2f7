//! Contacts under customers: pages and counts, one statement per batch.

use crate::error::AppError;
use crate::service::contact;
use crate::service::page::{Page, PageArgs};
use async_graphql::dataloader::Loader;
use entity::contact::Model;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// Loads a page of contacts for each `(customer, page arguments)` key. Keys with the same
/// arguments (the usual case: one field in the query) share one windowed statement.
pub struct ContactPageLoader(pub DatabaseConnection);

impl Loader<(Uuid, PageArgs)> for ContactPageLoader {
    type Value = Page<Model>;
    type Error = AppError;

    async fn load(&self, keys: &[(Uuid, PageArgs)]) -> Result<HashMap<(Uuid, PageArgs), Page<Model>>, AppError> {
        let mut by_args: HashMap<&PageArgs, Vec<Uuid>> = HashMap::new();
        for (id, args) in keys {
            by_args.entry(args).or_default().push(*id);
        }
        let mut out = HashMap::new();
        for (args, ids) in by_args {
            let mut pages = contact::pages_for_customers(&self.0, &ids, args).await?;
            for id in ids {
                let page =
                    pages.remove(&id).unwrap_or(Page { items: Vec::new(), has_next: false, has_previous: false });
                out.insert((id, args.clone()), page);
            }
        }
        Ok(out)
    }
}

/// Loads live contact counts per customer.
pub struct ContactCountLoader(pub DatabaseConnection);

impl Loader<Uuid> for ContactCountLoader {
    type Value = i64;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, i64>, AppError> {
        let mut counts = contact::counts_for_customers(&self.0, keys).await?;
        Ok(keys.iter().map(|id| (*id, counts.remove(id).unwrap_or(0))).collect())
    }
}
