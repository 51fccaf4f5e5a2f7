//! The column kinds of [`record!`](crate::record): for each, the GraphQL type it answers
//! with, how a stored value becomes that value (through the field policy when guarded)
//! and how the direct path writes it; and the compile-time camel case of field names.

/// The length of `snake` in camel case.
#[doc(hidden)]
pub const fn camel_len(snake: &str) -> usize {
    let bytes = snake.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < bytes.len() {
        if bytes[i] != b'_' {
            n += 1;
        }
        i += 1;
    }
    n
}

/// `snake` (ASCII) in camel case, in a buffer of [`camel_len`] bytes.
#[doc(hidden)]
pub const fn camel_bytes<const N: usize>(snake: &str) -> [u8; N] {
    let bytes = snake.as_bytes();
    let mut out = [0u8; N];
    let (mut i, mut n, mut upper) = (0, 0, false);
    while i < bytes.len() {
        if bytes[i] == b'_' {
            upper = true;
        } else {
            out[n] = if upper { bytes[i].to_ascii_uppercase() } else { bytes[i] };
            upper = false;
            n += 1;
        }
        i += 1;
    }
    out
}

/// `lost_reason` → `"lostReason"`, at compile time (the name async-graphql gives the field).
#[doc(hidden)]
#[macro_export]
macro_rules! __camel {
    ($snake:ident) => {{
        const SNAKE: &str = stringify!($snake);
        const BYTES: [u8; $crate::graphql::record::camel_len(SNAKE)] =
            $crate::graphql::record::camel_bytes::<{ $crate::graphql::record::camel_len(SNAKE) }>(SNAKE);
        match ::core::str::from_utf8(&BYTES) {
            Ok(name) => name,
            Err(_) => panic!("a field name is ASCII"),
        }
    }};
}

/// The GraphQL type a column kind answers with.
#[doc(hidden)]
#[macro_export]
macro_rules! __column_type {
    (Text) => { String };
    (Text guarded) => { Option<String> };
    (Text guarded_nonnull) => { String };
    (OptText $($g:ident)?) => { Option<String> };
    (Int) => { i32 };
    (OptInt) => { Option<i32> };
    (Float) => { f64 };
    (OptFloat) => { Option<f64> };
    (Bool) => { bool };
    (DateTime) => { chrono::DateTime<chrono::Utc> };
    (OptDateTime) => { Option<chrono::DateTime<chrono::Utc>> };
    (Date) => { $crate::graphql::relay::Date };
    (OptDate $($g:ident)?) => { Option<$crate::graphql::relay::Date> };
    (Money) => { rust_decimal::Decimal };
    (Money guarded) => { Option<rust_decimal::Decimal> };
    (Enum($g:ty)) => { $g };
    (OptEnum($g:ty)) => { Option<$g> };
}

/// A column's value as its GraphQL value, through the field policy when guarded.
#[doc(hidden)]
#[macro_export]
macro_rules! __column_value {
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; Text) => {
        $v.clone()
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; Text guarded) => {
        $crate::graphql::policy::text($c, $t, $f, Some($id), Some(&$v))?
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; Text guarded_nonnull) => {
        $crate::graphql::policy::required_text($c, $t, $f, Some($id), &$v)?
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; OptText) => {
        $v.clone()
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; OptText guarded) => {
        $crate::graphql::policy::text($c, $t, $f, Some($id), $v.as_deref())?
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; Date) => {
        $crate::graphql::relay::Date($v)
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; OptDate) => {
        $v.map($crate::graphql::relay::Date)
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; OptDate guarded) => {
        $crate::graphql::policy::value($c, $t, $f, Some($id), $v.map($crate::graphql::relay::Date))?
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; Money) => {
        entity::money::from_e4($v)
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; Money guarded) => {
        $crate::graphql::policy::value($c, $t, $f, Some($id), Some(entity::money::from_e4($v)))?
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; Enum($g:ty)) => {
        <$g>::from($v)
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; OptEnum($g:ty)) => {
        $v.map(<$g>::from)
    };
    ($c:ident, $t:expr, $f:expr, $id:expr, $v:expr; $copy:ident) => {
        $v
    };
}

/// How the direct path writes a column kind.
#[doc(hidden)]
#[macro_export]
macro_rules! __column_kind {
    (Text) => {
        Kind::Text
    };
    (OptText) => {
        Kind::Text
    };
    (Int) => {
        Kind::Int
    };
    (OptInt) => {
        Kind::Int
    };
    (Float) => {
        Kind::Float
    };
    (OptFloat) => {
        Kind::Float
    };
    (Bool) => {
        Kind::Bool
    };
    (DateTime) => {
        Kind::DateTime
    };
    (OptDateTime) => {
        Kind::DateTime
    };
    (Date) => {
        Kind::Date
    };
    (OptDate) => {
        Kind::Date
    };
    (Money) => {
        Kind::Money
    };
    (Enum) => {
        Kind::Enum
    };
    (OptEnum) => {
        Kind::Enum
    };
}

/// The model field of a column (its own name unless `= model_field` names another): its
/// value in `$record`, or its name.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_field {
    ($record:expr; $field:ident) => {
        $record.$field
    };
    ($record:expr; $field:ident = $model:ident) => {
        $record.$model
    };
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident = $model:ident) => {
        stringify!($model)
    };
}

/// Whether a column is governed by the field policy.
#[doc(hidden)]
#[macro_export]
macro_rules! __guarded {
    () => {
        false
    };
    ($guard:ident) => {
        true
    };
}
