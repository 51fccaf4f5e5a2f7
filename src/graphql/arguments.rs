//! Argument values checked against their types before execution, so that a malformed
//! scalar is the caller's `BAD_USER_INPUT`, naming the argument's path and the expected
//! format, and nothing runs.
//!
//! Why not leave it to async-graphql: its validation checks a scalar only through the
//! scalar's `is_valid`, which `Decimal` and `DateTime` (and our `Date`) do not narrow, so
//! `"2026-02-30"` or `"1e400"` passed validation and failed inside the resolver as an
//! uncoded error — reported as `INTERNAL`. Here each value goes through the scalar's own
//! `parse`, literals and variables alike. Strings holding U+0000 are refused too:
//! PostgreSQL text cannot store it, SQLite can, and one API must answer the same on both.
//!
//! The walk recurses as deep as the document and the variables nest, both bounded by
//! `limits` before anything parses.

use super::shape::registry;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::registry::{MetaType, MetaTypeName};
use async_graphql::{ErrorExtensions, InputType, ServerError, ServerResult, Value, Variables};

/// Checks every argument of the selected operation (through its fragments).
pub fn check(document: &ExecutableDocument, operation: Option<&str>, variables: &Variables) -> ServerResult<()> {
    let Some(op) = crate::engine::documents::selected(document, operation) else { return Ok(()) };
    let Some(root) = crate::engine::documents::root_type(op) else { return Ok(()) };
    let walk = Walk { variables };
    walk.set(root, &op.selection_set.node)?;
    // Each fragment once, on its own type: a fragment spread many times has the same
    // arguments each time.
    for fragment in document.fragments.values() {
        walk.set(fragment.node.type_condition.node.on.node.as_str(), &fragment.node.selection_set.node)?;
    }
    Ok(())
}

struct Walk<'a> {
    variables: &'a Variables,
}

impl<'a> Walk<'a> {
    fn set(&self, parent: &str, set: &'a SelectionSet) -> ServerResult<()> {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let Some(def) = registry().types.get(parent).and_then(|t| t.field_by_name(&field.node.name.node))
                    else {
                        continue; // Unknown fields are validation's to report.
                    };
                    for (name, value) in &field.node.arguments {
                        let Some(arg) = def.args.get(name.node.as_str()) else { continue };
                        // A variable that is missing is validation's to report.
                        let Ok(value) =
                            value.node.clone().into_const_with(|var| self.variables.get(&var).cloned().ok_or(()))
                        else {
                            continue;
                        };
                        value_of(&value, &arg.ty, &mut vec![name.node.to_string()])?;
                    }
                    let child = MetaTypeName::concrete_typename(&def.ty);
                    self.set(child, &field.node.selection_set.node)?;
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment.node.type_condition.as_ref().map_or(parent, |c| c.node.on.node.as_str());
                    self.set(on, &fragment.node.selection_set.node)?;
                }
                Selection::FragmentSpread(_) => {} // Checked once each, in `check`.
            }
        }
        Ok(())
    }
}

/// Checks `value` against the input type `ty` (e.g. `[DealFilter!]`), at `path`.
fn value_of(value: &Value, ty: &str, path: &mut Vec<String>) -> ServerResult<()> {
    match MetaTypeName::create(ty) {
        MetaTypeName::NonNull(inner) => value_of(value, inner, path),
        MetaTypeName::List(item) => match value {
            Value::List(items) => {
                for (index, entry) in items.iter().enumerate() {
                    path.push(index.to_string());
                    value_of(entry, item, path)?;
                    path.pop();
                }
                Ok(())
            }
            single => value_of(single, item, path),
        },
        MetaTypeName::Named(name) => match (registry().types.get(name), value) {
            (_, Value::Null) => Ok(()),
            (Some(MetaType::InputObject { input_fields, .. }), Value::Object(fields)) => {
                for (key, entry) in fields {
                    if let Some(field) = input_fields.get(key.as_str()) {
                        path.push(key.to_string());
                        value_of(entry, &field.ty, path)?;
                        path.pop();
                    }
                }
                Ok(())
            }
            // async-graphql 7.2's validation lets any non-object through here.
            (Some(MetaType::InputObject { .. }), other) => {
                Err(bad_input(path, format!("{other} is not an input object; expected a {name}")))
            }
            (Some(MetaType::Scalar { .. }), value) => scalar(name, value, path),
            _ => Ok(()),
        },
    }
}

/// The formats clients are told when a scalar does not parse.
fn expected(scalar: &str) -> Option<&'static str> {
    Some(match scalar {
        "Date" => "a date as YYYY-MM-DD, e.g. \"2026-11-01\"",
        "DateTime" => "an RFC 3339 date and time, e.g. \"2026-11-01T10:00:00Z\"",
        "Decimal" => "a decimal number as a string with a dot, e.g. \"1234.50\"",
        "Duration" => "an ISO 8601 duration of days, hours, minutes and seconds up to a year, e.g. \"PT4H\"",
        _ => return None,
    })
}

fn scalar(name: &str, value: &Value, path: &[String]) -> ServerResult<()> {
    let parsed = match name {
        "Date" => super::relay::Date::parse(Some(value.clone())).is_ok(),
        "DateTime" => <chrono::DateTime<chrono::Utc> as InputType>::parse(Some(value.clone())).is_ok(),
        "Decimal" => <rust_decimal::Decimal as InputType>::parse(Some(value.clone())).is_ok(),
        "Duration" => <super::types::sla::IsoDuration as InputType>::parse(Some(value.clone())).is_ok(),
        "String" | "ID" => {
            if let Value::String(s) = value
                && s.contains('\0')
            {
                return Err(bad_input(path, "contains a NUL character (U+0000), which text may not hold".into()));
            }
            true
        }
        _ => true,
    };
    match (parsed, expected(name)) {
        (false, Some(format)) => Err(bad_input(path, format!("{value} is not a valid {name}; expected {format}"))),
        _ => Ok(()),
    }
}

/// `BAD_USER_INPUT` naming the argument path (also in `extensions.argument`).
fn bad_input(path: &[String], reason: String) -> ServerError {
    let at = path.join(".");
    async_graphql::Error::new(format!("invalid value for argument `{at}`: {reason}"))
        .extend_with(|_, e| {
            e.set("code", "BAD_USER_INPUT");
            e.set("argument", at.as_str());
        })
        .into_server_error(async_graphql::Pos::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(query: &str, variables: serde_json::Value) -> ServerResult<()> {
        let document = async_graphql::parser::parse_query(query).unwrap();
        check(&document, None, &Variables::from_json(variables))
    }

    #[test]
    fn malformed_scalars_name_their_argument() {
        let err = run(
            r#"mutation { createCustomer(input: {name: "a", birthDate: "2026-02-30"}) { userErrors { code } } }"#,
            serde_json::json!({}),
        )
        .unwrap_err();
        assert!(err.message.contains("`input.birthDate`"), "{}", err.message);
        assert!(err.message.contains("YYYY-MM-DD"), "{}", err.message);
        let err = run(
            "query($f: DealFilter) { deals(filter: $f) { totalCount } }",
            serde_json::json!({"f": {"or": [{"amount": {"gte": "12,5"}}]}}),
        )
        .unwrap_err();
        assert!(err.message.contains("`filter.or.0.amount.gte`"), "{}", err.message);
    }

    #[test]
    fn a_scalar_where_an_input_object_belongs_is_refused() {
        let err =
            run("query($f: CustomerFilter) { customers(filter: $f) { totalCount } }", serde_json::json!({"f": false}))
                .unwrap_err();
        assert!(err.message.contains("`filter`") && err.message.contains("CustomerFilter"), "{}", err.message);
        let err = run(r#"{ customers(filter: {and: [1]}) { totalCount } }"#, serde_json::json!({})).unwrap_err();
        assert!(err.message.contains("`filter.and.0`"), "{}", err.message);
    }

    #[test]
    fn nul_characters_are_refused_and_good_values_pass() {
        assert!(run(r#"{ customers(search: "a\u0000b") { totalCount } }"#, serde_json::json!({})).is_err());
        assert!(run(r#"{ customers(search: "ab") { totalCount } }"#, serde_json::json!({})).is_ok());
    }
}
