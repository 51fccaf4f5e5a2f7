//! Custom field values: checked against their definitions on every write and kept in the
//! record's `custom_fields` JSON object. Scalar values are stored as their canonical text
//! (`"13"`, `"true"`, `"2026-12-05"`), a MULTI_SELECT as a list of texts, so that one SQL
//! expression, `custom_fields ->> 'key'`, reads them alike on PostgreSQL and SQLite — in
//! filters and in the index each definition gets.

use crate::service::validate::{Checker, ErrorCode, normalize_text};
use chrono::NaiveDate;
use entity::custom_field::Model as Definition;
use entity::enums::CustomFieldType;
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::str::FromStr;

/// Most values one write sets.
pub const MAX_VALUES: usize = 100;
/// Longest TEXT value, in characters.
const MAX_TEXT: usize = 1000;

/// A value a client gives a custom field (`null` clears it).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldValue {
    pub key: String,
    pub value: Value,
}

/// The SQL expression of the stored text of `key` (a checked identifier).
pub fn expression(key: &str) -> String {
    format!("(custom_fields ->> '{key}')")
}

/// `current` with `given` applied, each value checked against `defs`; errors at
/// `customFields.<key>`. On `creating`, every required field must be given.
pub fn apply(c: &mut Checker, defs: &[Definition], current: &Value, given: &[FieldValue], creating: bool) -> Value {
    let mut out: Map<String, Value> = current.as_object().cloned().unwrap_or_default();
    if given.len() > MAX_VALUES {
        c.push("customFields", ErrorCode::Invalid, format!("at most {MAX_VALUES} custom fields a write"));
        return Value::Object(out);
    }
    for (i, item) in given.iter().enumerate() {
        let Some(def) = defs.iter().find(|d| d.key == item.key) else {
            c.push(&format!("customFields.{i}.key"), ErrorCode::Invalid, "no such custom field");
            continue;
        };
        let field = format!("customFields.{}", def.key);
        if item.value.is_null() {
            if def.required {
                c.push(&field, ErrorCode::Required, format!("{} is required", def.label));
            }
            out.remove(&def.key);
            continue;
        }
        match stored(def, &item.value) {
            Ok(v) => {
                out.insert(def.key.clone(), v);
            }
            Err(message) => c.push(&field, ErrorCode::Invalid, format!("{}: {message}", def.label)),
        }
    }
    if creating {
        for def in defs.iter().filter(|d| d.required && !out.contains_key(&d.key)) {
            c.push(&format!("customFields.{}", def.key), ErrorCode::Required, format!("{} is required", def.label));
        }
    }
    Value::Object(out)
}

/// The stored form of `value` for `def`, or why it does not fit.
pub fn stored(def: &Definition, value: &Value) -> Result<Value, String> {
    let options: Vec<String> = serde_json::from_str(&def.options).unwrap_or_default();
    let text = |v: &Value| v.as_str().map(normalize_text).ok_or_else(|| "expected a string".to_owned());
    let out = match def.field_type {
        CustomFieldType::Text => {
            let s = text(value)?;
            if s.chars().count() > MAX_TEXT {
                return Err(format!("longer than {MAX_TEXT} characters"));
            }
            s
        }
        CustomFieldType::Number => match value {
            Value::Number(n) => n.to_string(),
            _ => return Err("expected a number".into()),
        },
        CustomFieldType::Decimal => {
            let raw = match value {
                Value::Number(n) => n.to_string(),
                other => text(other)?,
            };
            Decimal::from_str(&raw).map_err(|_| format!("`{raw}` is not a decimal"))?.normalize().to_string()
        }
        CustomFieldType::Date => {
            let s = text(value)?;
            NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))?;
            s
        }
        CustomFieldType::Boolean => value.as_bool().ok_or("expected true or false")?.to_string(),
        CustomFieldType::Select => {
            let s = text(value)?;
            if !options.contains(&s) {
                return Err(format!("`{s}` is not one of {}", options.join(", ")));
            }
            s
        }
        CustomFieldType::MultiSelect => {
            let list = value.as_array().ok_or("expected a list")?;
            let mut picked: Vec<String> = Vec::new();
            for item in list {
                let s = text(item)?;
                if !options.contains(&s) {
                    return Err(format!("`{s}` is not one of {}", options.join(", ")));
                }
                if !picked.contains(&s) {
                    picked.push(s);
                }
            }
            return Ok(Value::from(picked));
        }
    };
    Ok(Value::String(out))
}

/// A stored value as the API shows it, typed by its definition: NUMBER and BOOLEAN back to
/// JSON numbers and booleans, the rest as stored.
pub fn shown(def: &Definition, stored: &Value) -> Value {
    match (def.field_type, stored.as_str()) {
        (CustomFieldType::Number, Some(s)) => {
            serde_json::from_str::<serde_json::Number>(s).map(Value::Number).unwrap_or(Value::Null)
        }
        (CustomFieldType::Boolean, Some(s)) => Value::Bool(s == "true"),
        _ => stored.clone(),
    }
}

/// The text a filter compares a given value with, as [`stored`] would keep it.
pub fn comparable(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(normalize_text(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn def(key: &str, ty: CustomFieldType, options: &[&str], required: bool) -> Definition {
        Definition {
            id: uuid::Uuid::nil(),
            record_type: entity::enums::CustomRecordType::Customer,
            key: key.into(),
            label: key.into(),
            field_type: ty,
            options: serde_json::to_string(options).unwrap(),
            required,
            sensitive: false,
            position: 0,
            version: 1,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            deleted_at: None,
        }
    }

    #[test]
    fn values_are_checked_by_type_and_stored_as_text() {
        let n = def("staff", CustomFieldType::Number, &[], false);
        assert_eq!(stored(&n, &json!(13)), Ok(json!("13")));
        assert!(stored(&n, &json!("13")).is_err());
        let d = def("credit", CustomFieldType::Decimal, &[], false);
        assert_eq!(stored(&d, &json!("1200.50")), Ok(json!("1200.5")));
        let dt = def("since", CustomFieldType::Date, &[], false);
        assert!(stored(&dt, &json!("2026-02-30")).is_err());
        let s = def("grade", CustomFieldType::Select, &["A", "B"], false);
        assert!(stored(&s, &json!("C")).is_err());
        let m = def("tags", CustomFieldType::MultiSelect, &["A", "B"], false);
        assert_eq!(stored(&m, &json!(["A", "A", "B"])), Ok(json!(["A", "B"])));
        let b = def("vip", CustomFieldType::Boolean, &[], false);
        assert_eq!(shown(&b, &stored(&b, &json!(true)).unwrap()), json!(true));
        assert_eq!(shown(&n, &json!("13")), json!(13));
    }

    #[test]
    fn required_fields_must_be_given_on_create_and_never_cleared() {
        let defs = [def("code", CustomFieldType::Text, &[], true)];
        let mut c = Checker::default();
        apply(&mut c, &defs, &json!({}), &[], true);
        assert_eq!(c.errors[0].field, ["input", "customFields", "code"]);
        let mut c = Checker::default();
        let given = [FieldValue { key: "code".into(), value: Value::Null }];
        apply(&mut c, &defs, &json!({ "code": "C13" }), &given, false);
        assert_eq!(c.errors.len(), 1);
        let mut c = Checker::default();
        let given = [FieldValue { key: "nope".into(), value: json!(1) }];
        apply(&mut c, &defs, &json!({ "code": "C13" }), &given, false);
        assert_eq!(c.errors[0].field, ["input", "customFields", "0", "key"]);
    }
}
