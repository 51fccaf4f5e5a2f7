//! Writes the answer from the database's JSON arrays: global IDs, the field policy's masks,
//! the scalars' spellings (as async-graphql writes them), in the client's selection order.

use super::fields::Kind;
use super::plan::{Conn, Obj, Out, PageField, Plan, Root};
use crate::auth::policy::mask;
use crate::engine::rows::value_at;
use crate::graphql::relay::{Date, write_global_id};
use crate::service::access_log::Reads;
use crate::service::cursor::encode_cursor;
use async_graphql::ScalarType;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sea_orm::QueryResult;
use serde_json::Value as Json;
use std::io::Write;

/// Why an answer could not be written (a bug or a database surprise; the standard path
/// answers instead).
pub type Failed = String;

/// Writes the root field's value for `rows` (the plan's statement's answer) into `out`.
/// Governed values written unmasked are noted in `reads` (the audit of personal-data reads).
pub fn root(out: &mut Vec<u8>, plan: &Plan, rows: &[QueryResult], reads: &Reads) -> Result<(), Failed> {
    let object = |out: &mut Vec<u8>, obj: &Obj, json: &Json| object(out, reads, obj, json);
    match &plan.root {
        Root::One(obj) => match rows.first() {
            None => out.extend_from_slice(b"null"),
            Some(row) => object(out, obj, &row_json(row)?)?,
        },
        Root::List(obj) => {
            out.push(b'[');
            for (i, row) in rows.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                object(out, obj, &row_json(row)?)?;
            }
            out.push(b']');
        }
        Root::Page { conn, keyset, kinds } => {
            let limit = keyset.limit as usize;
            let more = rows.len() > limit;
            let mut rows: Vec<&QueryResult> = rows.iter().take(limit).collect();
            if keyset.backward {
                rows.reverse();
            }
            let cursor = |row: Option<&&QueryResult>| -> Result<Option<String>, Failed> {
                let Some(row) = row else { return Ok(None) };
                let values = kinds
                    .iter()
                    .enumerate()
                    .map(|(i, kind)| value_at(row, i + 2, kind).map_err(|e| e.to_string()))
                    .collect::<Result<Vec<_>, _>>()?;
                encode_cursor(&keyset.signature, &values).map(Some).map_err(|e| e.to_string())
            };
            let row_object = |out: &mut Vec<u8>, obj: &Obj, row: &&QueryResult| object(out, obj, &row_json(row)?);
            connection(out, conn, &rows, row_object, |out, field| {
                match field {
                    PageField::HasNext => write_bool(out, keyset.has_next(more)),
                    PageField::HasPrevious => write_bool(out, keyset.has_previous(more)),
                    PageField::StartCursor => write_opt_str(out, cursor(rows.first())?.as_deref()),
                    PageField::EndCursor => write_opt_str(out, cursor(rows.last())?.as_deref()),
                }
                Ok(())
            })?;
        }
    }
    Ok(())
}

/// A connection's selection (`nodes`, `pageInfo`) over `rows`, each written by `node`,
/// each `PageInfo` field by `page`.
fn connection<T>(
    out: &mut Vec<u8>,
    conn: &[Conn],
    rows: &[T],
    node: impl Fn(&mut Vec<u8>, &Obj, &T) -> Result<(), Failed>,
    page: impl Fn(&mut Vec<u8>, PageField) -> Result<(), Failed>,
) -> Result<(), Failed> {
    out.push(b'{');
    for (i, item) in conn.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match item {
            Conn::Nodes { key, obj } => {
                write_key(out, key);
                out.push(b'[');
                for (n, row) in rows.iter().enumerate() {
                    if n > 0 {
                        out.push(b',');
                    }
                    node(out, obj, row)?;
                }
                out.push(b']');
            }
            Conn::PageInfo { key, fields } => {
                write_key(out, key);
                out.push(b'{');
                for (n, (key, field)) in fields.iter().enumerate() {
                    if n > 0 {
                        out.push(b',');
                    }
                    write_key(out, key);
                    page(out, *field)?;
                }
                out.push(b'}');
            }
        }
    }
    out.push(b'}');
    Ok(())
}

/// The row's JSON array (column `j`).
fn row_json(row: &QueryResult) -> Result<Json, Failed> {
    let text: String = row.try_get_by_index(0).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

fn object(out: &mut Vec<u8>, reads: &Reads, obj: &Obj, json: &Json) -> Result<(), Failed> {
    let values = json.as_array().ok_or("a level is not a JSON array")?;
    let at = |i: usize| values.get(i).ok_or_else(|| format!("no value {i} in a level"));
    out.push(b'{');
    for (i, item) in obj.out.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match item {
            Out::Value { key, at: index, kind, ty, mask: how, read } => {
                write_key(out, key);
                let value = at(*index)?;
                if value.is_null() {
                    out.extend_from_slice(b"null");
                    continue;
                }
                scalar(out, *kind, ty.name(), *how, value)?;
                if let Some((field, id_at)) = read
                    && let Some(id) = at(*id_at)?.as_str().and_then(|s| uuid::Uuid::parse_str(s).ok())
                {
                    reads.note(ty.name(), id, field);
                }
            }
            Out::Typename { key, name } => {
                write_key(out, key);
                write_str(out, name);
            }
            Out::One { key, at: index, obj } => {
                write_key(out, key);
                match at(*index)? {
                    Json::Null => out.extend_from_slice(b"null"),
                    record => object(out, reads, obj, record)?,
                }
            }
            Out::Many { key, at: index, limit, conn } => {
                write_key(out, key);
                let rows = match at(*index)? {
                    Json::Null => &[][..],
                    Json::Array(rows) => rows.as_slice(),
                    _ => return Err("a nested list is not an array".into()),
                };
                let more = rows.len() > *limit;
                let rows = &rows[..rows.len().min(*limit)];
                // Nested pages start at the first row: nothing precedes them.
                connection(
                    out,
                    conn,
                    rows,
                    |out, obj, row| object(out, reads, obj, row),
                    |out, field| {
                        write_bool(out, matches!(field, PageField::HasNext) && more);
                        Ok(())
                    },
                )?;
            }
        }
    }
    out.push(b'}');
    Ok(())
}

/// One non-null column value.
fn scalar(
    out: &mut Vec<u8>,
    kind: Kind,
    type_name: &str,
    how: Option<crate::auth::policy::Mask>,
    value: &Json,
) -> Result<(), Failed> {
    let text = || value.as_str().ok_or_else(|| format!("{kind:?} value is not text: {value}"));
    match kind {
        Kind::Id => {
            let id = uuid::Uuid::parse_str(text()?).map_err(|e| e.to_string())?;
            // Base64 needs no escaping.
            out.push(b'"');
            write_global_id(out, type_name, id);
            out.push(b'"');
        }
        Kind::Text => match how {
            Some(strategy) => write_str(out, &mask(strategy, text()?)),
            None => write_str(out, text()?),
        },
        Kind::Enum => write_str(out, text()?),
        Kind::Int => {
            let n = value.as_i64().ok_or("an Int is not an integer")?;
            let _ = write!(out, "{n}");
        }
        Kind::Float => {
            let n = value.as_f64().ok_or("a Float is not a number")?;
            serde_json::to_writer(&mut *out, &n).map_err(|e| e.to_string())?;
        }
        Kind::Bool => {
            let b = match value {
                Json::Bool(b) => *b,
                // SQLite keeps booleans as 0 and 1.
                Json::Number(n) => n.as_i64() != Some(0),
                _ => return Err("a Boolean is not a boolean".into()),
            };
            write_bool(out, b);
        }
        Kind::DateTime => write_str(out, &timestamp(text()?)?.to_rfc3339()),
        Kind::Date => {
            let date = NaiveDate::parse_from_str(text()?, "%Y-%m-%d").map_err(|e| e.to_string())?;
            write_scalar(out, &Date(date))?;
        }
        Kind::Money => {
            let units = value.as_i64().ok_or("an amount is not an integer")?;
            write_scalar(out, &entity::money::from_e4(units))?;
        }
        Kind::MoneySum => {
            let (high, low) = text()?.split_once(':').ok_or("a sum is not high:low")?;
            let part = |p: &str| p.trim().parse::<i64>().map_err(|e| e.to_string());
            write_scalar(out, &entity::money::from_parts(part(high)?, part(low)?))?;
        }
    }
    Ok(())
}

/// A timestamp as PostgreSQL's JSON (RFC 3339) or SQLite's stored text spell it.
fn timestamp(text: &str) -> Result<DateTime<Utc>, Failed> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.to_utc());
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%#z"] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Ok(t.to_utc());
        }
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
        .map(|t| t.and_utc())
        .map_err(|_| format!("unreadable timestamp {text:?}"))
}

fn write_scalar<T: ScalarType>(out: &mut Vec<u8>, value: &T) -> Result<(), Failed> {
    serde_json::to_writer(&mut *out, &value.to_value()).map_err(|e| e.to_string())
}

/// `"key":` (GraphQL names need no escaping).
pub fn write_key(out: &mut Vec<u8>, key: &str) {
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

/// A JSON string, escaped as serde_json escapes it.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

fn write_opt_str(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => write_str(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

fn write_bool(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}
