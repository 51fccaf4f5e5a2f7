//! Opaque cursors: the sort-key values of a row, tagged by type, with the order's signature.

use crate::error::{AppError, AppResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{ColumnType, Value};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Cursor {
    /// Signature of the order the cursor was taken in.
    o: String,
    /// The values, one per sort key.
    v: Vec<String>,
}

/// A row's place in an ordering, encoded only when the client asks for its cursor: most
/// queries read nodes and never an edge's cursor, and encoding is a JSON + base64 pass.
#[derive(Debug, Clone)]
pub struct RowCursor {
    signature: std::sync::Arc<str>,
    values: Vec<Value>,
}

impl RowCursor {
    /// The cursor of a row with sort-key `values` in the order `signature`.
    pub fn new(signature: std::sync::Arc<str>, values: Vec<Value>) -> Self {
        Self { signature, values }
    }
}

impl async_graphql::connection::CursorType for RowCursor {
    type Error = &'static str;

    fn decode_cursor(_: &str) -> Result<Self, Self::Error> {
        // Cursors come in as `String` arguments and are decoded by the page service.
        Err("cursors are decoded by the page service")
    }

    fn encode_cursor(&self) -> String {
        encode_cursor(&self.signature, &self.values).unwrap_or_else(|e| {
            // Sort keys are non-null columns of the encodable kinds; this is a bug if seen.
            tracing::error!(error = %e, "cursor not encodable");
            String::new()
        })
    }
}

/// Encodes the sort-key values of a row.
pub fn encode_cursor(signature: &str, values: &[Value]) -> AppResult<String> {
    let v = values.iter().map(encode_value).collect::<AppResult<Vec<_>>>()?;
    let json = serde_json::to_vec(&Cursor { o: signature.to_string(), v }).map_err(AppError::internal)?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

/// Decodes a client-supplied cursor for the order `signature` whose keys have `types`.
pub fn decode_cursor(cursor: &str, signature: &str, types: &[ColumnType]) -> AppResult<Vec<Value>> {
    let invalid = || AppError::BadUserInput("invalid cursor".into());
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| invalid())?;
    let parsed: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if parsed.o != signature {
        return Err(AppError::BadUserInput("cursor belongs to another ordering".into()));
    }
    if parsed.v.len() != types.len() {
        return Err(invalid());
    }
    parsed.v.iter().zip(types).map(|(text, ty)| decode_value(text, ty).ok_or_else(invalid)).collect()
}

fn encode_value(value: &Value) -> AppResult<String> {
    Ok(match value {
        Value::String(Some(s)) => s.clone(),
        Value::Uuid(Some(u)) => u.to_string(),
        Value::ChronoDateTimeUtc(Some(t)) => t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        Value::ChronoDate(Some(d)) => d.to_string(),
        Value::Int(Some(i)) => i.to_string(),
        Value::BigInt(Some(i)) => i.to_string(),
        Value::Bool(Some(b)) => b.to_string(),
        other => return Err(AppError::internal(format!("unsupported cursor value {other:?}"))),
    })
}

fn decode_value(text: &str, ty: &ColumnType) -> Option<Value> {
    Some(match ty {
        ColumnType::Uuid => Value::Uuid(Some(text.parse().ok()?)),
        ColumnType::TimestampWithTimeZone | ColumnType::Timestamp | ColumnType::DateTime => {
            Value::ChronoDateTimeUtc(Some(chrono::DateTime::parse_from_rfc3339(text).ok()?.to_utc()))
        }
        ColumnType::Date => Value::ChronoDate(Some(text.parse().ok()?)),
        ColumnType::Integer => Value::Int(Some(text.parse().ok()?)),
        ColumnType::BigInteger => Value::BigInt(Some(text.parse().ok()?)),
        ColumnType::Boolean => Value::Bool(Some(text.parse().ok()?)),
        ColumnType::String(_) | ColumnType::Text | ColumnType::Char(_) => Value::String(Some(text.to_string())),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_each_kind() {
        let id = uuid::Uuid::now_v7();
        let now = chrono::Utc::now();
        let values =
            vec![Value::String(Some("张明".into())), Value::ChronoDateTimeUtc(Some(now)), Value::Uuid(Some(id))];
        let types = vec![ColumnType::String(Default::default()), ColumnType::TimestampWithTimeZone, ColumnType::Uuid];
        let cursor = encode_cursor("+name,+id", &values).unwrap();
        let back = decode_cursor(&cursor, "+name,+id", &types).unwrap();
        assert_eq!(back[0], values[0]);
        assert_eq!(back[2], values[2]);
    }

    #[test]
    fn refuses_garbage_and_foreign_orders() {
        let types = vec![ColumnType::Uuid];
        assert!(matches!(decode_cursor("%%%", "+id", &types), Err(AppError::BadUserInput(_))));
        let cursor = encode_cursor("+id", &[Value::Uuid(Some(uuid::Uuid::now_v7()))]).unwrap();
        assert!(matches!(decode_cursor(&cursor, "-id", &types), Err(AppError::BadUserInput(_))));
    }
}
