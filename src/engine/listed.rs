//! Objects in a list (the nodes and edges of every connection) and the records of to-one
//! relations, resolved without a boxed task per field.
//!
//! async-graphql resolves an object's fields as one boxed future each, pushed onto a
//! `FuturesUnordered` (a reference-counted task per field) and collected into a map in
//! the order they finish. A page of 50 customers with their contacts, deals and tickets
//! is about 3,000 fields; that machinery was a fifth of the instructions such a page cost
//! (callgrind). [`Listed`] is the same GraphQL type as the object it wraps — its name and
//! schema entry are the object's own — and resolves a plain selection (fields only, the
//! usual case) by running the object's own field resolvers together in one joined
//! future: one allocation for all fields, the answer in selection order. Anything else
//! (fragments, field directives) goes the standard way.
//!
//! The schema registers no async-graphql extension (see `documents`); an extension's
//! per-field hook would not run for the fields resolved here.

use async_graphql::indexmap::IndexMap;
use async_graphql::indexmap::map::Entry;
use async_graphql::parser::types::{Field, Selection};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::resolve_container;
use async_graphql::{
    ContainerType, Context, ContextSelectionSet, Name, OutputType, Positioned, ServerError, ServerResult, Value,
};
use std::borrow::Cow;

/// `T` as an item of a list: the same GraphQL type, resolved as described above.
pub struct Listed<T>(pub T);

impl<T: ContainerType> OutputType for Listed<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.introspection_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, _field: &Positioned<Field>) -> ServerResult<Value> {
        resolve_fields(ctx, &self.0).await
    }
}

/// True when the selection is plain fields without directives.
fn plain(ctx: &ContextSelectionSet<'_>) -> bool {
    ctx.item.node.items.iter().all(|s| matches!(&s.node, Selection::Field(f) if f.node.directives.is_empty()))
}

/// Resolves `root`'s selected fields together; errors are added to the response and the
/// field left out, as async-graphql does (`shape::mend` puts the `null` in its place).
async fn resolve_fields<T: ContainerType>(ctx: &ContextSelectionSet<'_>, root: &T) -> ServerResult<Value> {
    if !plain(ctx) {
        return resolve_container(ctx, root).await;
    }
    let items = &ctx.item.node.items;
    let mut fields: Vec<Context<'_>> = Vec::with_capacity(items.len());
    for item in items {
        if let Selection::Field(field) = &item.node {
            fields.push(ctx.with_field(field));
        }
    }
    let results = futures::future::join_all(fields.iter().map(|field| resolve_field(field, root))).await;
    let mut object = IndexMap::with_capacity(results.len());
    for result in results {
        match result {
            Ok((name, value)) => merge(&mut object, name, value),
            Err(error) => ctx.add_error(error),
        }
    }
    Ok(Value::Object(object))
}

/// One field's response key and value.
async fn resolve_field<T: ContainerType>(field: &Context<'_>, root: &T) -> Result<(Name, Value), ServerError> {
    let key = field.item.node.response_key().node.clone();
    if field.item.node.name.node == "__typename" {
        return Ok((key, Value::String(root.introspection_type_name().into_owned())));
    }
    Ok((key, root.resolve_field(field).await?.unwrap_or_default()))
}

/// Adds a field to the object; a response key selected twice (`contacts { id }` and
/// `contacts { name }`) merges the two selections' objects, item by item for lists.
fn merge(object: &mut IndexMap<Name, Value>, key: Name, value: Value) {
    let existing = match object.entry(key) {
        Entry::Vacant(slot) => {
            slot.insert(value);
            return;
        }
        Entry::Occupied(slot) => slot.into_mut(),
    };
    match (existing, value) {
        (Value::Object(into), Value::Object(from)) => merge_objects(into, from),
        (Value::List(into), Value::List(from)) => {
            for (item, other) in into.iter_mut().zip(from) {
                if let (Value::Object(into), Value::Object(from)) = (item, other) {
                    merge_objects(into, from);
                }
            }
        }
        _ => {}
    }
}

fn merge_objects(into: &mut IndexMap<Name, Value>, from: IndexMap<Name, Value>) {
    for (key, value) in from {
        merge(into, key, value);
    }
}
