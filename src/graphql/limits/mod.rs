//! Request limits, all refused with `QUERY_TOO_COMPLEX` before any resolver or SQL runs.
//!
//! Two stages. [`Limits::precheck`] runs on the raw request before anything parses it: a
//! single loop over the query text (its length, its tokens and how deep brackets nest)
//! and an explicit-stack walk of the variables. Why before the parser: async-graphql's
//! parser, validation and value conversion recurse once per nesting level, and a 10 KB
//! document of 5,000 nested lists overflows the stack — an abort of the whole process
//! that `catch_unwind` cannot stop. A bound checked without recursion can.
//! [`Limits::check`] then runs on the parsed (now shallow) document: page sizes, aliases,
//! fields, root fields and directives per field. async-graphql's own depth and
//! complexity limits cover the rest.

mod depth;
mod text;

use crate::service::page::MAX_PAGE_SIZE;
use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, Selection, SelectionSet};
use async_graphql::{ErrorExtensions, Positioned, ServerError, ServerResult, Value as ConstValue, Variables};
use async_graphql_value::Value;
use depth::Depth;
use std::collections::HashSet;
use text::{scan, variables_depth};

/// The document limits of one server (`CLIENTELE_MAX_*`, see the README's "Limits").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest query text, in bytes.
    pub query_bytes: usize,
    /// Most lexical tokens in the query text.
    pub tokens: usize,
    /// Deepest nesting of brackets (`{`, `[`, `(`) in the query text: selections, list and
    /// object values, argument lists and list types alike.
    pub nesting: usize,
    /// Deepest nesting of the variables' JSON (objects and lists).
    pub variables_depth: usize,
    /// Most fields at the root of the operation (introspection fields not counted).
    pub root_fields: usize,
    /// Most directives on one field, fragment spread or inline fragment.
    pub directives_per_field: usize,
    /// Most aliased fields in the document.
    pub aliases: usize,
    /// Most field selections in the document.
    pub fields: usize,
    /// Most errors in one response; the rest are summed up in one last error.
    pub errors: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            query_bytes: 16 * 1024,
            tokens: 2_000,
            nesting: 40,
            variables_depth: 32,
            root_fields: 10,
            directives_per_field: 5,
            aliases: 30,
            fields: 500,
            errors: 100,
        }
    }
}

/// Nesting that parsing may never exceed, whatever is configured: far below what a
/// 2 MiB worker stack takes (`tests::parser_survives_the_hard_ceiling`).
pub const HARD_MAX_NESTING: usize = 128;

/// A `QUERY_TOO_COMPLEX` error (no position: it is about the whole request).
pub fn too_complex(message: String) -> ServerError {
    let err = async_graphql::Error::new(message).extend_with(|_, e| e.set("code", "QUERY_TOO_COMPLEX"));
    err.into_server_error(async_graphql::Pos::default())
}

impl Limits {
    /// The checks that need no parsing: query length, tokens, bracket nesting and the
    /// variables' depth. Linear in the request's size, no recursion.
    pub fn precheck(&self, query: &str, variables: &Variables) -> ServerResult<()> {
        if query.len() > self.query_bytes {
            return Err(too_complex(format!(
                "the query is {} bytes; at most {} are allowed",
                query.len(),
                self.query_bytes
            )));
        }
        scan(query, self.tokens, self.nesting.min(HARD_MAX_NESTING))?;
        let depth = variables_depth(variables, self.variables_depth);
        if depth > self.variables_depth {
            return Err(too_complex(format!(
                "variables nest deeper than {} levels; at most {} are allowed",
                self.variables_depth, self.variables_depth
            )));
        }
        Ok(())
    }

    /// Checks a parsed document against the request limits (run before validation).
    pub fn check(
        &self,
        document: &ExecutableDocument,
        variables: &Variables,
        operation: Option<&str>,
    ) -> ServerResult<()> {
        let mut tally = Tally { limits: self, variables, aliases: 0, fields: 0 };
        for (_, op) in document.operations.iter() {
            tally.walk(&op.node.selection_set)?;
            tally.directives(op.node.directives.len(), "the operation")?;
        }
        for fragment in document.fragments.values() {
            tally.walk(&fragment.node.selection_set)?;
            tally.directives(fragment.node.directives.len(), "a fragment")?;
        }
        if tally.aliases > self.aliases {
            return Err(too_complex(format!("{} aliases; at most {} are allowed", tally.aliases, self.aliases)));
        }
        if tally.fields > self.fields {
            return Err(too_complex(format!("{} fields; at most {} are allowed", tally.fields, self.fields)));
        }
        let mut depth = Depth::new(document, self);
        for (_, op) in document.operations.iter() {
            depth.check(&op.node.selection_set.node)?;
        }
        for name in document.fragments.keys() {
            depth.fragment(name, 0)?;
        }
        if let Some(op) = crate::engine::documents::selected(document, operation) {
            let roots = root_fields(document, op);
            if roots > self.root_fields {
                return Err(too_complex(format!(
                    "{roots} root fields in the operation; at most {} are allowed",
                    self.root_fields
                )));
            }
        }
        Ok(())
    }

    /// Keeps at most `errors` errors in `errors`; the ones dropped are counted in a last
    /// error, so a document of thousands of bad directives cannot amplify into megabytes.
    pub fn cap_errors(&self, errors: &mut Vec<ServerError>) {
        if errors.len() <= self.errors {
            return;
        }
        let dropped = errors.len() - self.errors;
        errors.truncate(self.errors);
        errors.push(too_complex(format!("{dropped} more errors left out; at most {} are listed", self.errors)));
    }
}

struct Tally<'a> {
    limits: &'a Limits,
    variables: &'a Variables,
    aliases: usize,
    fields: usize,
}

impl Tally<'_> {
    fn directives(&self, count: usize, what: &str) -> ServerResult<()> {
        if count > self.limits.directives_per_field {
            return Err(too_complex(format!(
                "{count} directives on {what}; at most {} are allowed",
                self.limits.directives_per_field
            )));
        }
        Ok(())
    }

    /// Recursion here is bounded: the document passed [`Limits::precheck`]'s nesting limit.
    fn walk(&mut self, set: &Positioned<SelectionSet>) -> ServerResult<()> {
        for item in &set.node.items {
            match &item.node {
                Selection::Field(field) => {
                    self.fields += 1;
                    if field.node.alias.is_some() {
                        self.aliases += 1;
                    }
                    self.directives(field.node.directives.len(), &format!("`{}`", field.node.name.node))?;
                    for (name, value) in &field.node.arguments {
                        self.page_size(name.node.as_str(), &value.node)?;
                    }
                    self.walk(&field.node.selection_set)?;
                }
                Selection::InlineFragment(fragment) => {
                    self.directives(fragment.node.directives.len(), "an inline fragment")?;
                    self.walk(&fragment.node.selection_set)?;
                }
                Selection::FragmentSpread(spread) => {
                    self.directives(spread.node.directives.len(), "a fragment spread")?;
                }
            }
        }
        Ok(())
    }

    fn page_size(&self, name: &str, value: &Value) -> ServerResult<()> {
        if !matches!(name, "first" | "last") {
            return Ok(());
        }
        let size = match value {
            Value::Number(n) => n.as_i64(),
            Value::Variable(var) => match self.variables.get(var) {
                Some(ConstValue::Number(n)) => n.as_i64(),
                _ => None,
            },
            _ => None,
        };
        match size.filter(|s| *s > i64::from(MAX_PAGE_SIZE)) {
            Some(size) => Err(too_complex(format!("`{name}: {size}` is above the page size limit of {MAX_PAGE_SIZE}"))),
            None => Ok(()),
        }
    }
}

/// Fields at the root of `op`, through fragments (each fragment counted once, so a cycle
/// cannot loop); introspection fields (`__schema`, `__type`, `__typename`) are free.
fn root_fields(document: &ExecutableDocument, op: &OperationDefinition) -> usize {
    let mut count = 0;
    let mut seen = HashSet::new();
    let mut sets = vec![&op.selection_set.node];
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => count += usize::from(!field.node.name.node.starts_with("__")),
                Selection::InlineFragment(fragment) => sets.push(&fragment.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if seen.insert(name.clone())
                        && let Some(fragment) = document.fragments.get(name)
                    {
                        sets.push(&fragment.node.selection_set.node);
                    }
                }
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_fields_and_directives_are_counted() {
        let limits = Limits { root_fields: 2, directives_per_field: 1, ..Limits::default() };
        let vars = Variables::default();
        let ok = async_graphql::parser::parse_query("{ a b __schema { x } ...F } fragment F on Query { __typename }")
            .unwrap();
        assert!(limits.check(&ok, &vars, None).is_ok());
        let many = async_graphql::parser::parse_query("{ a b ...F } fragment F on Query { c }").unwrap();
        assert!(limits.check(&many, &vars, None).is_err());
        let directives = async_graphql::parser::parse_query("{ a @skip(if: false) @include(if: true) }").unwrap();
        assert!(limits.check(&directives, &vars, None).is_err());
    }

    #[test]
    fn fragment_chains_count_as_nesting_and_cycles_are_refused() {
        let vars = Variables::default();
        let chain: String = (0..100).map(|i| format!("fragment F{i} on Query {{ ...F{} }}\n", i + 1)).collect();
        let query = format!("{{ ...F0 }}\n{chain}fragment F100 on Query {{ __typename }}");
        let document = async_graphql::parser::parse_query(query).unwrap();
        let err = Limits::default().check(&document, &vars, None).unwrap_err();
        assert!(err.message.contains("fragment spreads included"), "{}", err.message);
        let cycle =
            async_graphql::parser::parse_query("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }")
                .unwrap();
        assert!(Limits::default().check(&cycle, &vars, None).unwrap_err().message.contains("spreads itself"));
        // Spread three times at every level: measured once each (quick), and refused for
        // the 3³⁰ fields it expands to.
        let wide: String =
            (0..30).map(|i| format!("fragment W{i} on Query {{ ...W{n} ...W{n} ...W{n} }}\n", n = i + 1)).collect();
        let query = format!("{{ ...W0 }}\n{wide}fragment W30 on Query {{ __typename }}");
        let document = async_graphql::parser::parse_query(query).unwrap();
        let err = Limits::default().check(&document, &vars, None).unwrap_err();
        assert!(err.message.contains("once fragments are expanded"), "{}", err.message);
    }

    #[test]
    fn errors_are_capped() {
        let limits = Limits { errors: 3, ..Limits::default() };
        let mut errors: Vec<ServerError> = (0..10).map(|i| ServerError::new(format!("e{i}"), None)).collect();
        limits.cap_errors(&mut errors);
        assert_eq!(errors.len(), 4);
        assert!(errors[3].message.contains("7 more errors"));
    }
}
