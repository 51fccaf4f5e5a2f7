//! Root queries, merged from one object per domain noun.

mod customer;
mod node;
mod viewer;

use async_graphql::MergedObject;

/// The query root.
#[derive(MergedObject, Default)]
pub struct QueryRoot(node::NodeQuery, viewer::ViewerQuery, customer::CustomerQuery);
