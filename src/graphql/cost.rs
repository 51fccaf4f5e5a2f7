//! What a request costs, for the per-credential budgets (`http::budget`): each field 1,
//! a connection's children times its page size (`relay::page_complexity`, the schema's
//! own complexity formula), and each mutation 10 more — it writes. Computed once per
//! request from the parsed document and the variables, before anything runs.
//!
//! The same walk measures the document as async-graphql's validation would (complexity
//! and field depth over every operation, fragments expanded), so the schema's complexity
//! and depth limits are checked here, with their own error code, before execution
//! (`verdicts`); the schema keeps the same limits only as a backstop.

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
    let Some(op) = crate::engine::documents::selected(document, operation) else { return 1 };
    let Some(root) = crate::engine::documents::root_type(op) else { return 1 };
    let extra = if op.ty == OperationType::Mutation { MUTATION_COST } else { 0 };
    let mut walk = Walk { document, variables, memo: HashMap::new() };
    let roots = op.selection_set.node.items.len() as u64;
    (walk.set(root, &op.selection_set.node).complexity as u64).saturating_add(extra.saturating_mul(roots)).max(1)
}

/// A document as async-graphql's validation measures it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measure {
    /// Each field 1 plus its children; a paged connection `page_complexity`; summed over
    /// every operation.
    pub complexity: usize,
    /// The deepest chain of fields (a leaf under a root field is 2).
    pub depth: usize,
}

/// The complexity and depth of every operation of `document` together.
pub fn measure(document: &ExecutableDocument, variables: &Variables) -> Measure {
    let mut walk = Walk { document, variables, memo: HashMap::new() };
    let mut total = Measure::default();
    for (_, op) in document.operations.iter() {
        let one = walk.set(crate::engine::documents::root_type(&op.node).unwrap_or(""), &op.node.selection_set.node);
        total.complexity = total.complexity.saturating_add(one.complexity);
        total.depth = total.depth.max(one.depth);
    }
    total
}

struct Walk<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    /// Each fragment's measure, computed once (`limits` refused cycles and deep chains).
    memo: HashMap<&'a Name, Measure>,
}

impl<'a> Walk<'a> {
    fn set(&mut self, parent: &str, set: &'a SelectionSet) -> Measure {
        let mut total = Measure::default();
        for item in &set.items {
            let one = match &item.node {
                Selection::Field(field) => {
                    let def = registry().types.get(parent).and_then(|t| t.field_by_name(&field.node.name.node));
                    let child = def.map_or("", |d| MetaTypeName::concrete_typename(&d.ty));
                    let below = self.set(child, &field.node.selection_set.node);
                    let complexity = if def.is_some_and(|d| d.args.contains_key("first")) {
                        let int = |name: &str| self.int(&field.node, name);
                        page_complexity(int("first"), int("last"), below.complexity)
                    } else {
                        below.complexity.saturating_add(1)
                    };
                    Measure { complexity, depth: below.depth + 1 }
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment.node.type_condition.as_ref().map_or(parent, |c| c.node.on.node.as_str());
                    self.set(on, &fragment.node.selection_set.node)
                }
                Selection::FragmentSpread(spread) => self.fragment(&spread.node.fragment_name.node),
            };
            total.complexity = total.complexity.saturating_add(one.complexity);
            total.depth = total.depth.max(one.depth);
        }
        total
    }

    fn fragment(&mut self, name: &'a Name) -> Measure {
        if let Some(measure) = self.memo.get(name) {
            return *measure;
        }
        // Marked before the walk, so a cycle (refused by `limits` already) cannot loop.
        self.memo.insert(name, Measure::default());
        let measure = match self.document.fragments.get(name) {
            Some(fragment) => {
                self.set(fragment.node.type_condition.node.on.node.as_str(), &fragment.node.selection_set.node)
            }
            None => Measure::default(),
        };
        self.memo.insert(name, measure);
        measure
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

    #[test]
    fn measures_every_operation_as_validation_does() {
        let doc = async_graphql::parser::parse_query(
            "query A { viewer { id } } query B { customers(first: 10) { nodes { ...N } } } \
             fragment N on Customer { id owner { id } }",
        )
        .unwrap();
        // A: 1 + 1; B: 1 + 10 × (nodes 1 + id 1 + owner 2).
        assert_eq!(measure(&doc, &Variables::default()), Measure { complexity: 2 + 41, depth: 4 });
    }

    /// Whether async-graphql's own validation lets `query` through a schema limited to
    /// `depth` and `complexity` (the execution after it fails: the schema has no database).
    fn library_accepts(query: &str, variables: &str, depth: usize, complexity: usize) -> bool {
        let schema = crate::graphql::schema::build(None, depth, complexity, true);
        let variables = Variables::from_json(serde_json::from_str(variables).unwrap());
        let request = async_graphql::Request::new(query).variables(variables);
        let response = tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(schema.execute(request));
        !response.errors.iter().any(|e| e.message.contains("too complex") || e.message.contains("nested too deep"))
    }

    /// `measure` is the very limit async-graphql's validation enforces: each document passes
    /// a schema limited to its measure and fails one a step below it, for depth and for
    /// complexity. An upgrade that changes how the library counts (fragments, variables in
    /// page sizes, several operations) fails here, not in production where the verdict and
    /// the backstop would disagree.
    #[test]
    fn the_measure_is_the_library_s_limit() {
        let documents = [
            ("{ viewer { id name } }", "{}"),
            ("{ customers(first: 7) { nodes { id owner { id name } } } }", "{}"),
            (
                "query Q($n: Int) { customers(first: $n) { nodes { ...C } } } fragment C on Customer { id deals(first: 3) { nodes { id title } } }",
                r#"{"n": 12}"#,
            ),
            ("query A { viewer { id } } query B { customers(last: 4) { totalCount nodes { id } } }", "{}"),
            ("{ a: viewer { id } ... on Query { customers(first: 2) { edges { node { id } cursor } } } }", "{}"),
        ];
        for (query, variables) in documents {
            let doc = async_graphql::parser::parse_query(query).unwrap();
            let vars = Variables::from_json(serde_json::from_str(variables).unwrap());
            let m = measure(&doc, &vars);
            assert!(library_accepts(query, variables, m.depth, m.complexity), "{query}: {m:?} refused");
            assert!(
                !library_accepts(query, variables, m.depth - 1, usize::MAX),
                "{query}: depth {} passes",
                m.depth - 1
            );
            assert!(
                !library_accepts(query, variables, usize::MAX, m.complexity - 1),
                "{query}: complexity {} passes",
                m.complexity - 1
            );
        }
    }
}
