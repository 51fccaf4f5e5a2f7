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

use crate::service::page::MAX_PAGE_SIZE;
use async_graphql::Name;
use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, Selection, SelectionSet};
use async_graphql::{ErrorExtensions, Positioned, ServerError, ServerResult, Value as ConstValue, Variables};
use async_graphql_value::Value;
use std::collections::{HashMap, HashSet};

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
        let mut depth = Depth { document, memo: HashMap::new(), visiting: HashSet::new(), limits: self };
        for (_, op) in document.operations.iter() {
            depth.check(&op.node.selection_set.node)?;
        }
        for name in document.fragments.keys() {
            depth.fragment(name, 0)?;
        }
        let selected = match operation {
            Some(name) => document.operations.iter().find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
            None => document.operations.iter().next(),
        };
        if let Some((_, op)) = selected {
            let roots = root_fields(document, &op.node);
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

/// How deep selections nest and how many fields there are when fragment spreads are
/// followed (each spread a level): async-graphql's validation and execution recurse
/// through spreads, so a chain of hundreds of fragments is as deep a recursion as hundreds
/// of nested braces, and a fragment spread three times at each of thirty levels is 3³⁰
/// fields. Each fragment is measured once (the walk stays linear), and a cycle is refused.
struct Depth<'a> {
    document: &'a ExecutableDocument,
    memo: HashMap<&'a Name, Size>,
    visiting: HashSet<&'a Name>,
    limits: &'a Limits,
}

/// What a selection set expands to: its depth and its number of fields (saturating).
#[derive(Clone, Copy, Default)]
struct Size {
    depth: usize,
    fields: usize,
}

impl<'a> Depth<'a> {
    fn check(&mut self, set: &'a SelectionSet) -> ServerResult<()> {
        let size = self.set(set, 0)?;
        if size.depth > self.limits.nesting {
            return Err(self.too_deep());
        }
        if size.fields > self.limits.fields {
            return Err(too_complex(format!(
                "{} fields once fragments are expanded; at most {} are allowed",
                size.fields, self.limits.fields
            )));
        }
        Ok(())
    }

    fn too_deep(&self) -> ServerError {
        let limit = self.limits.nesting;
        too_complex(format!(
            "selections nest deeper than {limit} levels (fragment spreads included); at most {limit} are allowed"
        ))
    }

    /// The size below `set`; `frames` (how deep this walk is) never passes the limit.
    fn set(&mut self, set: &'a SelectionSet, frames: usize) -> ServerResult<Size> {
        if frames > self.limits.nesting {
            return Err(self.too_deep());
        }
        let mut total = Size::default();
        for item in &set.items {
            let size = match &item.node {
                Selection::Field(field) => {
                    let below = self.set(&field.node.selection_set.node, frames + 1)?;
                    Size { depth: below.depth + 1, fields: below.fields.saturating_add(1) }
                }
                Selection::InlineFragment(fragment) => self.set(&fragment.node.selection_set.node, frames + 1)?,
                Selection::FragmentSpread(spread) => {
                    let below = self.fragment(&spread.node.fragment_name.node, frames + 1)?;
                    Size { depth: below.depth + 1, fields: below.fields }
                }
            };
            total.depth = total.depth.max(size.depth);
            total.fields = total.fields.saturating_add(size.fields);
        }
        Ok(total)
    }

    fn fragment(&mut self, name: &'a Name, frames: usize) -> ServerResult<Size> {
        if let Some(size) = self.memo.get(name) {
            return Ok(*size);
        }
        if !self.visiting.insert(name) {
            let err = async_graphql::Error::new(format!("fragment `{name}` spreads itself"))
                .extend_with(|_, e| e.set("code", "BAD_USER_INPUT"));
            return Err(err.into_server_error(async_graphql::Pos::default()));
        }
        let size = match self.document.fragments.get(name) {
            Some(fragment) => self.set(&fragment.node.selection_set.node, frames)?,
            None => Size::default(),
        };
        self.visiting.remove(name);
        self.memo.insert(name, size);
        Ok(size)
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

/// How deep `variables` nest, counted up to `limit + 1` with an explicit stack.
fn variables_depth(variables: &Variables, limit: usize) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&ConstValue, usize)> = variables.values().map(|v| (v, 1)).collect();
    while let Some((value, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &ConstValue>> = match value {
            ConstValue::List(items) => Box::new(items.iter()),
            ConstValue::Object(fields) => Box::new(fields.values()),
            _ => continue,
        };
        deepest = deepest.max(depth);
        if depth > limit {
            return depth;
        }
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    deepest
}

/// One pass over the query text as GraphQL's lexer sees it (ignored characters,
/// comments, strings and block strings, names, numbers, punctuators), counting tokens and
/// the nesting of `{`, `[` and `(`. Malformed text is left for the parser to report;
/// only its size matters here.
fn scan(query: &str, max_tokens: usize, max_nesting: usize) -> ServerResult<()> {
    let bytes = query.as_bytes();
    let (mut i, mut tokens, mut depth) = (0, 0usize, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
                }
                i += 3;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > max_nesting {
                    return Err(too_complex(format!(
                        "the query nests deeper than {max_nesting} levels of brackets; at most {max_nesting} are allowed"
                    )));
                }
                i += 1;
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => i += 3,
            b'_' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' => {
                i += 1;
                while i < bytes.len()
                    && matches!(bytes[i], b'_' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'+')
                {
                    i += 1;
                }
            }
            _ => {
                // A punctuator, the BOM or anything else: one token per character.
                i += query[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        tokens += 1;
        if tokens > max_tokens {
            return Err(too_complex(format!(
                "the query has more than {max_tokens} tokens; at most {max_tokens} are allowed"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!(
            "{{ customers(filter: {{name: {{in: {}\"a\"{}}}}}) {{ totalCount }} }}",
            "[".repeat(depth),
            "]".repeat(depth)
        )
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_nest() {
        let query =
            format!("# {}\n{{ a(x: \"{}\", y: \"\"\"{}\"\"\") }}", "[".repeat(500), "{".repeat(500), "(".repeat(500));
        assert!(scan(&query, 2_000, 10).is_ok());
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let err = scan(&nested(5_000), usize::MAX, 40).unwrap_err();
        assert!(err.message.contains("nests deeper"), "{}", err.message);
        assert!(scan(&nested(30), usize::MAX, 40).is_ok());
    }

    #[test]
    fn tokens_are_counted() {
        let query = format!("{{ {} }}", "a ".repeat(100));
        assert!(scan(&query, 102, 5).is_ok());
        assert!(scan(&query, 101, 5).is_err());
        let query = "{ a(x: -1.5e3, y: $v) @skip(if: true) ... on T { b } }";
        assert!(scan(query, 25, 5).is_ok());
        assert!(scan(query, 24, 5).is_err());
    }

    #[test]
    fn deep_variables_are_refused() {
        let mut value = serde_json::json!(1);
        for _ in 0..100 {
            value = serde_json::json!([value]);
        }
        let variables = Variables::from_json(serde_json::json!({ "v": value }));
        assert!(Limits::default().precheck("{ a }", &variables).is_err());
        let shallow = Variables::from_json(serde_json::json!({ "v": [[{"a": [1]}]] }));
        assert!(Limits::default().precheck("{ a }", &shallow).is_ok());
    }

    /// What the hard ceiling lets through parses on a worker-sized stack.
    #[test]
    fn parser_survives_the_hard_ceiling() {
        let query = nested(HARD_MAX_NESTING - 8);
        let parsed = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || async_graphql::parser::parse_query(query).is_ok())
            .map(|t| t.join());
        assert!(matches!(parsed, Ok(Ok(true))));
    }

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
