//! Sort keys: a column, or the value of a custom field inside a record's `custom_fields`.
//!
//! A custom field sorts as two keys: whether the record has no value (always ascending, so
//! records without one come last in either direction), then the value — the stored text, or
//! for NUMBER and DECIMAL fields that text as a number. Both keys are never null, so keyset
//! comparisons stay exact; a cursor keeps the stored text and the database converts it the
//! same way on both sides of a comparison.

use crate::error::{AppError, AppResult};
use crate::service::custom_field::values;
use entity::enums::{CustomFieldType, CustomRecordType};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{ColumnTrait, ColumnType, ConnectionTrait, IntoSimpleExpr, ModelTrait, Value};

/// One key of a requested order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SortKey<C> {
    /// A stored, non-null column.
    Column(C),
    /// A custom field's value.
    Custom(CustomSort<C>),
}

impl<C> From<C> for SortKey<C>
where
    C: ColumnTrait,
{
    fn from(column: C) -> Self {
        SortKey::Column(column)
    }
}

/// A custom field to sort on, as the request names it; its type is looked up before the
/// statement is built ([`resolve`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CustomSort<C> {
    /// The record's JSON column of custom fields.
    pub column: C,
    pub record_type: CustomRecordType,
    /// The definition's key (checked to be an identifier).
    pub key: String,
    /// The viewer may read sensitive custom fields of this type in full.
    pub sensitive_readable: bool,
    /// Compare as numbers (NUMBER, DECIMAL); known once resolved.
    pub numeric: Option<bool>,
}

/// A key of the statement: the order's keys with custom fields split in two, and the id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key<C> {
    Column(C),
    /// 1 when the record has no value for the field, else 0.
    Missing(C, String),
    /// The stored text of the field ('' when none).
    Text(C, String),
    /// The stored text as a number (0 when none).
    Number(C, String),
}

impl<C: ColumnTrait> Key<C> {
    /// The statement's expression for this key.
    pub fn expr(&self) -> SimpleExpr {
        match self {
            Key::Column(c) => c.into_simple_expr(),
            Key::Missing(_, key) => Expr::case(Expr::cust(values::expression(key)).is_null(), 1).finally(0).into(),
            Key::Text(_, key) => Func::coalesce([Expr::cust(values::expression(key)), Expr::val("")]).into(),
            Key::Number(_, key) => number(Expr::cust(values::expression(key))),
        }
    }

    /// `self <op> value`, for a value a cursor carried.
    pub fn compare(&self, op: Op, value: Value) -> SimpleExpr {
        let (left, right): (SimpleExpr, SimpleExpr) = match self {
            Key::Column(c) => {
                return match op {
                    Op::Eq => c.eq(value),
                    Op::Gt => c.gt(value),
                    Op::Lt => c.lt(value),
                    Op::Gte => c.gte(value),
                    Op::Lte => c.lte(value),
                };
            }
            Key::Missing(..) | Key::Text(..) => (self.expr(), Expr::val(value)),
            Key::Number(..) => (self.expr(), number(Expr::val(value))),
        };
        match op {
            Op::Eq => left.eq(right),
            Op::Gt => left.gt(right),
            Op::Lt => left.lt(right),
            Op::Gte => left.gte(right),
            Op::Lte => left.lte(right),
        }
    }

    /// This key's value in `row`, as a cursor keeps it.
    pub fn value<M>(&self, row: &M) -> Value
    where
        M: ModelTrait,
        M::Entity: sea_orm::EntityTrait<Column = C>,
    {
        let stored = |column: &C, key: &str| match row.get(*column) {
            Value::Json(Some(json)) => json.get(key).and_then(|v| v.as_str()).map(str::to_owned),
            _ => None,
        };
        match self {
            Key::Column(c) => row.get(*c),
            Key::Missing(c, key) => Value::Int(Some(i32::from(stored(c, key).is_none()))),
            Key::Text(c, key) | Key::Number(c, key) => Value::String(Some(stored(c, key).unwrap_or_default())),
        }
    }

    /// The column type a cursor's value of this key decodes as.
    pub fn kind(&self) -> ColumnType {
        match self {
            Key::Column(c) => c.def().get_column_type().clone(),
            Key::Missing(..) => ColumnType::Integer,
            Key::Text(..) | Key::Number(..) => ColumnType::Text,
        }
    }

    /// The key's name in an order's signature.
    pub fn name(&self) -> String {
        match self {
            Key::Column(c) => c.as_str().to_owned(),
            Key::Missing(_, key) => format!("cf?{key}"),
            Key::Text(_, key) => format!("cf:{key}"),
            Key::Number(_, key) => format!("cf#{key}"),
        }
    }

    /// A plain column key.
    pub fn column(&self) -> Option<C> {
        match self {
            Key::Column(c) => Some(*c),
            _ => None,
        }
    }
}

/// A comparison of a key with a cursor's value.
#[derive(Debug, Clone, Copy)]
pub enum Op {
    Eq,
    Gt,
    Lt,
    Gte,
    Lte,
}

/// The stored text `text` as a number; '' (no value) as 0.
fn number(text: SimpleExpr) -> SimpleExpr {
    let nonempty = Func::cust(Alias::new("NULLIF")).arg(text).arg("");
    Func::coalesce([Func::cast_as(nonempty, Alias::new("NUMERIC")).into(), Expr::val(0)]).into()
}

/// The order's keys for the statement, custom fields split in two (a field not yet
/// [`resolve`]d compares as text).
pub fn split<C: ColumnTrait>(key: &SortKey<C>, asc: bool) -> Vec<(Key<C>, bool)> {
    match key {
        SortKey::Column(c) => vec![(Key::Column(*c), asc)],
        SortKey::Custom(custom) => {
            let value = if custom.numeric == Some(true) {
                Key::Number(custom.column, custom.key.clone())
            } else {
                Key::Text(custom.column, custom.key.clone())
            };
            vec![(Key::Missing(custom.column, custom.key.clone()), true), (value, asc)]
        }
    }
}

/// The order with each custom field's type looked up: unknown fields are a user error,
/// a MULTI_SELECT cannot be sorted on, and a sensitive field only by those who read it in
/// full. One statement, and none when the order has no custom field.
pub async fn resolve<C, D>(
    db: &D,
    order: &[(SortKey<C>, sea_orm::Order)],
) -> AppResult<Vec<(SortKey<C>, sea_orm::Order)>>
where
    C: ColumnTrait,
    D: ConnectionTrait,
{
    let customs: Vec<&CustomSort<C>> = order
        .iter()
        .filter_map(|(k, _)| match k {
            SortKey::Custom(c) if c.numeric.is_none() => Some(c),
            _ => None,
        })
        .collect();
    let Some(first) = customs.first() else {
        return Ok(order.to_vec());
    };
    let defs = crate::service::custom_field::definitions(db, first.record_type).await?;
    let mut out = order.to_vec();
    for (key, _) in &mut out {
        let SortKey::Custom(custom) = key else { continue };
        let def = defs
            .iter()
            .find(|d| d.key == custom.key)
            .ok_or_else(|| AppError::BadUserInput(format!("no custom field `{}` to sort on", custom.key)))?;
        if def.sensitive && !custom.sensitive_readable {
            return Err(AppError::Forbidden(format!("your role may not sort on the sensitive field `{}`", def.key)));
        }
        custom.numeric = Some(match def.field_type {
            CustomFieldType::Number | CustomFieldType::Decimal => true,
            CustomFieldType::MultiSelect => {
                return Err(AppError::BadUserInput(format!(
                    "`{}` holds several values and cannot be sorted on",
                    def.key
                )));
            }
            _ => false,
        });
    }
    Ok(out)
}
