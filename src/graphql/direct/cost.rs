//! The query's complexity as async-graphql's validation computes it (each field 1 plus its
//! children; a paged connection `page_complexity`), for the planner's subset of documents.
//! The depth limit depends on the document alone and was checked when the standard path
//! validated it; complexity depends on `first`/`last`, which variables may change.

use super::fields::{Field, Ty};
use super::plan::plain;
use crate::graphql::relay::page_complexity;
use async_graphql::parser::types::{Field as Ast, SelectionSet};
use async_graphql::{Value, Variables};
use async_graphql_value::Value as Syntax;

/// What a selection set selects from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// A customer: its nested lists are paged connections.
    Customer,
    /// The root `customers` connection: its `nodes` are customers.
    Customers,
    /// Anything else.
    Other,
}

/// The complexity of the root field `field`.
pub fn root(field: &Ast, variables: &Variables) -> usize {
    let set = &field.selection_set.node;
    match field.name.node.as_str() {
        "customers" => paged(field, variables, cost(set, On::Customers, variables)),
        "customer" => 1 + cost(set, On::Customer, variables),
        _ => 1 + cost(set, On::Other, variables),
    }
}

fn cost(set: &SelectionSet, on: On, variables: &Variables) -> usize {
    set.items
        .iter()
        .filter_map(plain)
        .map(|field| {
            let name = field.name.node.as_str();
            let children = &field.selection_set.node;
            match on {
                On::Customer if matches!(Ty::Customer.field(name), Some(Field::Many(_))) => {
                    paged(field, variables, cost(children, On::Other, variables))
                }
                On::Customers if name == "nodes" => 1 + cost(children, On::Customer, variables),
                _ => 1 + cost(children, On::Other, variables),
            }
        })
        .sum()
}

/// `page_complexity(first, last, children)`.
fn paged(field: &Ast, variables: &Variables, children: usize) -> usize {
    let int = |name: &str| {
        let (_, value) = field.arguments.iter().find(|(n, _)| n.node == name)?;
        let value = match &value.node {
            Syntax::Variable(var) => variables.get(var)?.clone(),
            other => other.clone().into_const()?,
        };
        match value {
            Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
            _ => None,
        }
    };
    page_complexity(int("first"), int("last"), children)
}
