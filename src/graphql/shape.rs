//! The response's shape, as the GraphQL spec and API.md want it: keys in selection order
//! ("Serialized Map Ordering"), a failed nullable field present as `null`, a `null` in a
//! non-null position carried up to the nearest nullable parent.
//!
//! Why afterwards, over the finished data: async-graphql 7.2 inserts an object's keys in
//! the order its fields complete, leaves a field whose resolver failed out of its object
//! (the key vanishes) and turns an object whose every field failed into `null`, even in a
//! `[Deal!]!` list. One walk over the answer, guided by the selection set and the types,
//! mends all three in one place for every resolver. The walk recurses as deep as the
//! selection set, which `limits` bounded before parsing.

use super::mutation::MutationRoot;
use super::query::QueryRoot;
use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{Name, OutputType, PathSegment, Positioned, ServerError, Value, Variables};
use std::collections::HashSet;
use std::sync::LazyLock;

/// The schema's types (field and argument types, nullability), built once.
pub fn registry() -> &'static Registry {
    static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
        let mut registry = Registry::default();
        QueryRoot::create_type_info(&mut registry);
        MutationRoot::create_type_info(&mut registry);
        registry
    });
    &REGISTRY
}

/// Mends `data` (the answer to `operation` of `document`) in place; see the module docs.
pub fn mend(
    data: &mut Value,
    document: &ExecutableDocument,
    operation: Option<&str>,
    variables: &Variables,
    errors: &[ServerError],
) {
    let Some(op) = crate::engine::documents::selected(document, operation) else { return };
    let Some(root) = crate::engine::documents::root_type(op) else { return };
    let walk = Walk { document, variables, errors, registry: registry(), track: !errors.is_empty() };
    let mut path = Vec::new();
    walk.revive(data, &path);
    // The root is never null by the spec's rules unless a non-null root field failed.
    if walk.object(data, &[(root, &op.selection_set.node)], &mut path).is_err() {
        *data = Value::Null;
    }
}

/// A `null` in a non-null position: the parent must become `null` in turn.
struct Propagate;

struct Walk<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    errors: &'a [ServerError],
    registry: &'a Registry,
    /// Whether there are errors to match: paths are followed and types looked up.
    track: bool,
}

/// The fields selected under one response key, each with the type it was selected on.
type Grouped<'a> = IndexMap<&'a Name, Vec<(&'a str, &'a Positioned<Field>)>>;

impl<'a> Walk<'a> {
    /// Orders and mends one object selected by `sets` (each with its parent type name).
    fn object(
        &self,
        value: &mut Value,
        sets: &[(&'a str, &'a SelectionSet)],
        path: &mut Vec<PathSegment>,
    ) -> Result<(), Propagate> {
        let Value::Object(map) = value else { return Ok(()) };
        let mut grouped = Grouped::new();
        let mut seen = HashSet::new();
        for (ty, set) in sets {
            self.collect(ty, set, &mut grouped, &mut seen);
        }
        let mut old = std::mem::take(map);
        for (key, fields) in grouped {
            let Some(mut item) = old.shift_remove(key) else {
                // A key left out only because its resolver failed: `null` in its place.
                if self.failed_at(path, key) {
                    let nullable =
                        fields.iter().all(|(ty, f)| self.field_type(ty, f).is_none_or(|t| !t.ends_with('!')));
                    if !nullable {
                        return Err(Propagate);
                    }
                    map.insert(key.clone(), Value::Null);
                }
                continue;
            };
            // Paths only matter to match errors: none, no path is built.
            if self.track {
                path.push(PathSegment::Field(key.to_string()));
            }
            let result = self.field(&mut item, &fields, path);
            if self.track {
                path.pop();
            }
            match result {
                Ok(()) => {
                    map.insert(key.clone(), item);
                }
                Err(Propagate) => return Err(Propagate),
            }
        }
        // Anything the selection did not name (nothing, normally) keeps its place at the end.
        map.extend(old);
        Ok(())
    }

    /// Mends one field's value against its declared type.
    fn field(
        &self,
        value: &mut Value,
        fields: &[(&'a str, &'a Positioned<Field>)],
        path: &mut Vec<PathSegment>,
    ) -> Result<(), Propagate> {
        let Some(&(parent, first)) = fields.first() else { return Ok(()) };
        // Without errors no key is missing and no `null` stands where the schema forbids
        // one: only the order needs mending, and types need not be looked up.
        if !self.track {
            return self.value(value, None, fields, path);
        }
        let Some(ty) = self.field_type(parent, first) else {
            // Introspection and `__typename`: only the order of nested keys is mended.
            return self.value(value, None, fields, path);
        };
        self.value(value, Some(ty), fields, path)
    }

    /// Mends `value` of type `ty` (`None`: unknown, order only).
    fn value(
        &self,
        value: &mut Value,
        ty: Option<&str>,
        fields: &[(&'a str, &'a Positioned<Field>)],
        path: &mut Vec<PathSegment>,
    ) -> Result<(), Propagate> {
        let (inner, non_null) = match ty.map(MetaTypeName::create) {
            Some(MetaTypeName::NonNull(inner)) => (Some(inner), true),
            other => (ty.filter(|_| other.is_some()), false),
        };
        if let Some(MetaTypeName::Named(name)) = inner.map(MetaTypeName::create)
            && self.registry.types.get(name).is_some_and(|t| !t.is_leaf())
        {
            self.revive(value, path);
        }
        let result = match (&*value, inner.map(MetaTypeName::create)) {
            (Value::Null, _) => Err(Propagate),
            (Value::List(_), Some(MetaTypeName::List(item))) => self.list(value, Some(item), fields, path),
            (Value::List(_), None) => self.list(value, None, fields, path),
            (Value::Object(_), named) => {
                let name = match named {
                    Some(MetaTypeName::Named(name)) => name,
                    _ => "",
                };
                // Fields inside a fragment are looked up on the fragment's type (`collect`).
                let sets: Vec<(&str, &SelectionSet)> =
                    fields.iter().map(|(_, f)| (name, &f.node.selection_set.node)).collect();
                self.object(value, &sets, path)
            }
            _ => Ok(()),
        };
        match result {
            Ok(()) => Ok(()),
            Err(Propagate) if non_null => Err(Propagate),
            Err(Propagate) => {
                *value = Value::Null;
                Ok(())
            }
        }
    }

    fn list(
        &self,
        value: &mut Value,
        item: Option<&str>,
        fields: &[(&'a str, &'a Positioned<Field>)],
        path: &mut Vec<PathSegment>,
    ) -> Result<(), Propagate> {
        let Value::List(items) = value else { return Ok(()) };
        for (index, entry) in items.iter_mut().enumerate() {
            if self.track {
                path.push(PathSegment::Index(index));
            }
            let result = self.value(entry, item, fields, path);
            if self.track {
                path.pop();
            }
            result?;
        }
        Ok(())
    }

    /// An object async-graphql answered as `null` because fields under it failed becomes
    /// an object again, so each failed field is judged by its own nullability.
    fn revive(&self, value: &mut Value, path: &[PathSegment]) {
        if matches!(value, Value::Null)
            && self.errors.iter().any(|e| e.path.len() > path.len() && e.path.starts_with(path))
        {
            *value = Value::Object(IndexMap::new());
        }
    }

    /// The declared type of `field` on `parent`, e.g. `[Deal!]!`.
    fn field_type(&self, parent: &str, field: &Positioned<Field>) -> Option<&'a str> {
        let ty: &'a MetaType = self.registry.types.get(parent)?;
        Some(ty.field_by_name(field.node.name.node.as_str())?.ty.as_str())
    }

    /// True when an error was reported at `path` + `key`.
    fn failed_at(&self, path: &[PathSegment], key: &Name) -> bool {
        self.errors.iter().any(|e| {
            e.path.len() == path.len() + 1
                && e.path[..path.len()] == *path
                && matches!(e.path.last(), Some(PathSegment::Field(k)) if k == key.as_str())
        })
    }

    /// Groups the fields of `set` (selected on type `ty`) by response key, in selection
    /// order, through fragments; fields skipped by `@skip` / `@include` are left out.
    fn collect(&self, ty: &'a str, set: &'a SelectionSet, out: &mut Grouped<'a>, seen: &mut HashSet<&'a Name>) {
        for item in &set.items {
            let directives = match &item.node {
                Selection::Field(f) => &f.node.directives,
                Selection::InlineFragment(f) => &f.node.directives,
                Selection::FragmentSpread(f) => &f.node.directives,
            };
            if !self.included(directives) {
                continue;
            }
            match &item.node {
                Selection::Field(field) => out.entry(&field.node.response_key().node).or_default().push((ty, field)),
                Selection::InlineFragment(fragment) => {
                    let on = fragment.node.type_condition.as_ref().map_or(ty, |c| c.node.on.node.as_str());
                    self.collect(on, &fragment.node.selection_set.node, out, seen);
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if let Some(fragment) = self.document.fragments.get(name)
                        && seen.insert(name)
                    {
                        // Kept in `seen`: a fragment spread twice adds the same fields once.
                        let on = fragment.node.type_condition.node.on.node.as_str();
                        self.collect(on, &fragment.node.selection_set.node, out, seen);
                    }
                }
            }
        }
    }

    /// `@skip(if:)` / `@include(if:)` with a literal or a variable.
    fn included(&self, directives: &[Positioned<async_graphql::parser::types::Directive>]) -> bool {
        directives.iter().all(|d| {
            let flag = d.node.get_argument("if").and_then(|v| match &v.node {
                async_graphql_value::Value::Boolean(b) => Some(*b),
                async_graphql_value::Value::Variable(name) => match self.variables.get(name) {
                    Some(Value::Boolean(b)) => Some(*b),
                    _ => None,
                },
                _ => None,
            });
            !matches!((d.node.name.node.as_str(), flag), ("skip", Some(true)) | ("include", Some(false)))
        })
    }
}
