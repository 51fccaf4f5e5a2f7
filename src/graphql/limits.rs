//! Request limits checked on the parsed document, before anything executes: page sizes
//! (`first` / `last` above the cap), aliases and the number of fields. async-graphql's own
//! depth and complexity limits cover the rest.

use crate::service::page::MAX_PAGE_SIZE;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ErrorExtensions, Positioned, ServerError, ServerResult, Value as ConstValue, Variables};
use async_graphql_value::Value;

/// Most aliased fields one request may hold.
pub const MAX_ALIASES: usize = 30;
/// Most field selections one request may hold.
pub const MAX_FIELDS: usize = 500;

#[derive(Default)]
struct Tally {
    aliases: usize,
    fields: usize,
}

fn too_complex(message: String) -> ServerError {
    let err = async_graphql::Error::new(message).extend_with(|_, e| e.set("code", "QUERY_TOO_COMPLEX"));
    err.into_server_error(async_graphql::Pos::default())
}

/// Checks a parsed document against the request limits (run before validation).
pub fn check(document: &ExecutableDocument, variables: &Variables) -> ServerResult<()> {
    let mut tally = Tally::default();
    for (_, op) in document.operations.iter() {
        walk(&op.node.selection_set, variables, &mut tally)?;
    }
    for fragment in document.fragments.values() {
        walk(&fragment.node.selection_set, variables, &mut tally)?;
    }
    if tally.aliases > MAX_ALIASES {
        return Err(too_complex(format!("{} aliases; at most {MAX_ALIASES} are allowed", tally.aliases)));
    }
    if tally.fields > MAX_FIELDS {
        return Err(too_complex(format!("{} fields; at most {MAX_FIELDS} are allowed", tally.fields)));
    }
    Ok(())
}

fn walk(set: &Positioned<SelectionSet>, variables: &Variables, tally: &mut Tally) -> ServerResult<()> {
    for item in &set.node.items {
        match &item.node {
            Selection::Field(field) => {
                tally.fields += 1;
                if field.node.alias.is_some() {
                    tally.aliases += 1;
                }
                for (name, value) in &field.node.arguments {
                    if matches!(name.node.as_str(), "first" | "last") {
                        let size = match &value.node {
                            Value::Number(n) => n.as_i64(),
                            Value::Variable(var) => match variables.get(var) {
                                Some(ConstValue::Number(n)) => n.as_i64(),
                                _ => None,
                            },
                            _ => None,
                        };
                        if let Some(size) = size.filter(|s| *s > i64::from(MAX_PAGE_SIZE)) {
                            return Err(too_complex(format!(
                                "`{}: {size}` is above the page size limit of {MAX_PAGE_SIZE}",
                                name.node
                            )));
                        }
                    }
                }
                walk(&field.node.selection_set, variables, tally)?;
            }
            Selection::InlineFragment(fragment) => walk(&fragment.node.selection_set, variables, tally)?,
            Selection::FragmentSpread(_) => {}
        }
    }
    Ok(())
}
