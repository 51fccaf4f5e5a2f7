//! A response-shape checker, written apart from the server's own mending
//! (`graphql::shape`) so that it checks it: for every object in `data`, each selected
//! response key is present (unless a fragment's type condition or a variable directive
//! may leave it out), no other key is, keys come in selection order, and a `null` sits
//! only where the schema allows one.

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::parse_query;
use async_graphql::parser::types::{Directive, ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::registry::{MetaType, MetaTypeName};
use async_graphql::{Name, Positioned, Value};
use clientele::graphql::shape::registry;

/// Checks the answer `text` to `query` (and `operation`); panics with the path of the
/// first fault.
pub fn check(query: &str, operation: Option<&str>, text: &str) {
    let Ok(Value::Object(body)) = serde_json::from_str::<Value>(text) else { return };
    let Some(data) = body.get("data").filter(|d| !matches!(d, Value::Null)) else { return };
    let Ok(document) = parse_query(query) else { return };
    let selected = match operation {
        Some(name) => document.operations.iter().find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
        None => document.operations.iter().next(),
    };
    let Some((_, op)) = selected else { return };
    let root = match op.node.ty {
        OperationType::Query => "Query",
        OperationType::Mutation => "Mutation",
        OperationType::Subscription => return,
    };
    Checker { document: &document }.object(data, root, &[&op.node.selection_set.node], "data");
}

struct Checker<'a> {
    document: &'a ExecutableDocument,
}

/// A selected response key: must it be there, its declared type, its sub-selections.
struct Expected<'a> {
    required: bool,
    ty: Option<String>,
    children: Vec<&'a SelectionSet>,
}

impl<'a> Checker<'a> {
    fn object(&self, value: &Value, declared: &str, sets: &[&'a SelectionSet], at: &str) {
        let Value::Object(map) = value else { panic!("{at}: expected an object, got {value}") };
        let concrete = match map.get("__typename") {
            Some(Value::String(name)) => name.as_str(),
            _ => declared,
        };
        let known = !registry().types.get(concrete).is_some_and(MetaType::is_abstract);
        let mut expected: IndexMap<&Name, Expected<'a>> = IndexMap::new();
        for set in sets {
            self.collect(concrete, known, set, true, &mut expected, &mut Vec::new());
        }
        let order: Vec<&str> = expected.keys().map(|k| k.as_str()).collect();
        let mut last = 0;
        for key in map.keys() {
            let Some(at_order) = order.iter().position(|k| *k == key.as_str()) else {
                panic!("{at}: key `{key}` was not selected (selected: {order:?})");
            };
            assert!(at_order >= last, "{at}: key `{key}` is out of selection order {order:?}: {value}");
            last = at_order;
        }
        for (key, wanted) in &expected {
            match map.get(*key) {
                None => assert!(!wanted.required, "{at}: selected key `{key}` is missing: {value}"),
                Some(v) => self.value(v, wanted.ty.as_deref(), &wanted.children, &format!("{at}.{key}")),
            }
        }
    }

    fn value(&self, value: &Value, ty: Option<&str>, children: &[&'a SelectionSet], at: &str) {
        let Some(ty) = ty else { return };
        match MetaTypeName::create(ty) {
            MetaTypeName::NonNull(inner) => {
                assert!(!matches!(value, Value::Null), "{at}: null where the schema says {ty}");
                self.value(value, Some(inner), children, at);
            }
            MetaTypeName::List(item) => match value {
                Value::List(items) => {
                    for (i, v) in items.iter().enumerate() {
                        self.value(v, Some(item), children, &format!("{at}[{i}]"));
                    }
                }
                Value::Null => {}
                other => panic!("{at}: expected a list, got {other}"),
            },
            MetaTypeName::Named(name) => {
                let composite = registry().types.get(name).is_some_and(|t| !t.is_leaf());
                if composite && !matches!(value, Value::Null) {
                    self.object(value, name, children, at);
                }
            }
        }
    }

    /// Does a fragment on `condition` apply to an object of type `ty`?
    fn applies(ty: &str, condition: &str) -> bool {
        ty == condition || registry().implements.get(ty).is_some_and(|i| i.contains(condition))
    }

    fn collect(
        &self,
        ty: &str,
        known: bool,
        set: &'a SelectionSet,
        required: bool,
        out: &mut IndexMap<&'a Name, Expected<'a>>,
        spreads: &mut Vec<&'a Name>,
    ) {
        for item in &set.items {
            let (directives, condition, inner): (&[Positioned<Directive>], Option<&str>, Option<&'a SelectionSet>) =
                match &item.node {
                    Selection::Field(f) => (&f.node.directives, None, None),
                    Selection::InlineFragment(f) => (
                        &f.node.directives,
                        f.node.type_condition.as_ref().map(|c| c.node.on.node.as_str()),
                        Some(&f.node.selection_set.node),
                    ),
                    Selection::FragmentSpread(f) => {
                        let name = &f.node.fragment_name.node;
                        let Some(fragment) = self.document.fragments.get(name) else { continue };
                        if spreads.contains(&name) {
                            continue;
                        }
                        spreads.push(name);
                        (
                            &f.node.directives,
                            Some(fragment.node.type_condition.node.on.node.as_str()),
                            Some(&fragment.node.selection_set.node),
                        )
                    }
                };
            let Some(required) = included(directives).map(|certain| required && certain) else { continue };
            if let Selection::Field(field) = &item.node {
                let def = registry().types.get(ty).and_then(|t| t.field_by_name(&field.node.name.node));
                let entry = out.entry(&field.node.response_key().node).or_insert_with(|| Expected {
                    required: false,
                    ty: def.map(|d| d.ty.clone()),
                    children: Vec::new(),
                });
                entry.required |= required;
                entry.children.push(&field.node.selection_set.node);
                continue;
            }
            let Some(inner) = inner else { continue };
            match condition {
                Some(c) if known && !Self::applies(ty, c) => {}
                Some(c) if !known => self.collect(c, true, inner, false, out, spreads),
                _ => self.collect(ty, known, inner, required, out, spreads),
            }
        }
    }
}

/// `Some(true)`: included for sure; `Some(false)`: maybe (a variable decides); `None`:
/// skipped by a literal `@skip(if: true)` / `@include(if: false)`.
fn included(directives: &[Positioned<Directive>]) -> Option<bool> {
    let mut certain = true;
    for d in directives {
        let flag = d.node.get_argument("if").map(|v| &v.node);
        match (d.node.name.node.as_str(), flag) {
            ("skip", Some(async_graphql_value::Value::Boolean(true)))
            | ("include", Some(async_graphql_value::Value::Boolean(false))) => return None,
            ("skip" | "include", Some(async_graphql_value::Value::Variable(_))) => certain = false,
            _ => {}
        }
    }
    Some(certain)
}
