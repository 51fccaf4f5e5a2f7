//! What a request costs, for the per-credential budgets (`http::budget`): each field 1,
//! a connection's children times its page size (`relay::page_complexity`, the schema's
//! own complexity formula), and each mutation 10 more — it writes. Computed once per
//! request from the parsed document and the variables, before anything runs.

use super::relay::page_complexity;
use super::shape::registry;
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::registry::MetaTypeName;
use async_graphql::{Name, Value, Variables};
use async_graphql_value::Value as Syntax;
use std::collections::HashMap;

/// The extra cost of a mutation field.
pub const MUTATION_COST: u64 = 10;

/// The cost of the operation `request` would run (1 for a document that does not parse or
/// names no operation: its error costs little).
pub fn estimate(document: &ExecutableDocument, operation: Option<&str>, variables: &Variables) -> u64 {
    let Some(op) = super::documents::selected(document, operation) else { return 1 };
    let Some(root) = super::documents::root_type(op) else { return 1 };
    let extra = if op.ty == OperationType::Mutation { MUTATION_COST } else { 0 };
    let mut walk = Walk { document, variables, memo: HashMap::new() };
    let roots = op.selection_set.node.items.len() as u64;
    (walk.set(root, &op.selection_set.node) as u64).saturating_add(extra.saturating_mul(roots)).max(1)
}

struct Walk<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    /// Each fragment's cost, computed once (`limits` refused cycles and deep chains).
    memo: HashMap<&'a Name, usize>,
}

impl<'a> Walk<'a> {
    fn set(&mut self, parent: &str, set: &'a SelectionSet) -> usize {
        let mut total = 0usize;
        for item in &set.items {
            let cost = match &item.node {
                Selection::Field(field) => {
                    let def = registry().types.get(parent).and_then(|t| t.field_by_name(&field.node.name.node));
                    let child = def.map_or("", |d| MetaTypeName::concrete_typename(&d.ty));
                    let below = self.set(child, &field.node.selection_set.node);
                    if def.is_some_and(|d| d.args.contains_key("first")) {
                        let int = |name: &str| self.int(&field.node, name);
                        page_complexity(int("first"), int("last"), below)
                    } else {
                        below.saturating_add(1)
                    }
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment.node.type_condition.as_ref().map_or(parent, |c| c.node.on.node.as_str());
                    self.set(on, &fragment.node.selection_set.node)
                }
                Selection::FragmentSpread(spread) => self.fragment(&spread.node.fragment_name.node),
            };
            total = total.saturating_add(cost);
        }
        total
    }

    fn fragment(&mut self, name: &'a Name) -> usize {
        if let Some(cost) = self.memo.get(name) {
            return *cost;
        }
        // Marked before the walk, so a cycle (refused by `limits` already) cannot loop.
        self.memo.insert(name, 0);
        let cost = match self.document.fragments.get(name) {
            Some(fragment) => {
                self.set(fragment.node.type_condition.node.on.node.as_str(), &fragment.node.selection_set.node)
            }
            None => 0,
        };
        self.memo.insert(name, cost);
        cost
    }

    fn int(&self, field: &async_graphql::parser::types::Field, name: &str) -> Option<i32> {
        let (_, value) = field.arguments.iter().find(|(n, _)| n.node == name)?;
        let value = match &value.node {
            Syntax::Variable(var) => self.variables.get(var)?.clone(),
            other => other.clone().into_const()?,
        };
        match value {
            Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(query: &str) -> u64 {
        estimate(&async_graphql::parser::parse_query(query).unwrap(), None, &Variables::default())
    }

    #[test]
    fn pages_multiply_and_mutations_cost_more() {
        assert_eq!(cost("{ viewer { id } }"), 2);
        // 1 + 50 × (nodes 1 + id 1 + name 1)
        assert_eq!(cost("{ customers(first: 50) { nodes { id name } } }"), 151);
        assert!(cost("{ customers { nodes { id contacts(first: 100) { nodes { id } } } } }") > 2_000);
        assert_eq!(cost("mutation { logout(input: {refreshToken: \"x\"}) { __typename } }"), 12);
        assert_eq!(cost("{ ...F } fragment F on Query { viewer { id } }"), 2);
    }
}
