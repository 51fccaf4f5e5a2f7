//! The GraphQL side of `writes!` (`service/writes.rs`): the create and update input
//! objects of a record type and their conversions to the service's structs, generated
//! from the service's field lines. Inputs only convert; the rules stay in the service.

/// A required value, converted.
pub fn required<T, U>(value: T, convert: impl FnOnce(T) -> U) -> U {
    convert(value)
}

/// A required reference, converted; kept optional for the service's reference check.
pub fn required_id<U>(value: async_graphql::ID, convert: impl FnOnce(async_graphql::ID) -> U) -> Option<U> {
    Some(convert(value))
}

/// A value that may be left out (`None` keeps or defaults), converted.
pub fn optional<T, U>(value: Option<T>, convert: impl FnOnce(T) -> U) -> Option<U> {
    value.map(convert)
}

/// A reference id, or the nil id when malformed (the reference check reports `NOT_FOUND`).
pub fn id(value: &async_graphql::ID, kind: &str) -> uuid::Uuid {
    super::opt_id(Some(value), kind).unwrap_or_default()
}

/// An input value as the JSON a service keeps: the fields the client gave, without the
/// `null`s of those it left out. Iterative: the value's depth is the client's.
pub fn json<T: async_graphql::InputType>(value: &T) -> serde_json::Value {
    let mut json = value.to_value().into_json().unwrap_or_default();
    let mut stack = vec![&mut json];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(map) => {
                map.retain(|_, x| !x.is_null());
                stack.extend(map.values_mut());
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    json
}

/// The input objects of a `writes!` declaration: munches the field lines one at a time,
/// collecting each input field and its conversion.
#[doc(hidden)]
#[macro_export]
macro_rules! __writes_gql {
    (@$action:ident $doc:tt $svc:ident $gql:ident $fa:tt $ca:tt { $($fields:tt)* }) => {
        $crate::__writes_gql! { @$action $doc $svc $gql $fa $ca $($fields)* }
    };
    (@create [$($doc:tt)*] $svc:ident $gql:ident [$($fa:tt)*] [$(($f:ident [$($w:tt)*] [$($c:tt)*]))*]) => {
        $($doc)*
        #[derive(async_graphql::InputObject, Debug, Clone)]
        pub struct $gql {
            /// Idempotency key: a retry with the same key replays the first result.
            pub client_mutation_id: Option<String>,
            $($fa)*
        }

        impl From<$gql> for $svc {
            fn from(input: $gql) -> Self {
                Self { $($f: $($w)*(input.$f, $($c)*),)* }
            }
        }
    };
    (@update [$($doc:tt)*] $svc:ident $gql:ident [$($fa:tt)*] [$(($f:ident [$($w:tt)*] [$($c:tt)*]))*]) => {
        $($doc)*
        #[derive(async_graphql::InputObject, Debug, Clone)]
        pub struct $gql {
            /// Idempotency key: a retry with the same key replays the first result.
            pub client_mutation_id: Option<String>,
            pub id: async_graphql::ID,
            /// The `version` the change was made against; another version is `STALE_VERSION`.
            pub expected_version: i32,
            $($fa)*
        }

        impl From<$gql> for $svc {
            fn from(input: $gql) -> Self {
                Self { $($f: $($w)*(input.$f, $($c)*),)* }
            }
        }
    };
    // create
    (@create $doc:tt $svc:ident $gql:ident [$($fa:tt)*] [$($ca:tt)*]
        $(#[doc = $d:literal])* $f:ident : Id($t:ident) [create required $($cd:literal)?] $([$($u:tt)*])?;
        $($tail:tt)*) => {
        $crate::__writes_gql! { @create $doc $svc $gql
            [$($fa)* $(#[doc = $d])* $(#[doc = $cd])? pub $f: async_graphql::ID,]
            [$($ca)* ($f [$crate::graphql::input::writes::required_id] [$crate::__w_conv!(Id($t))])]
            $($tail)* }
    };
    (@create $doc:tt $svc:ident $gql:ident [$($fa:tt)*] [$($ca:tt)*]
        $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))? [create required $($cd:literal)?]
        $([$($u:tt)*])?; $($tail:tt)*) => {
        $crate::__writes_gql! { @create $doc $svc $gql
            [$($fa)* $(#[doc = $d])* $(#[doc = $cd])? pub $f: $crate::__w_gql_ty!($k $(($($ka)*))?),]
            [$($ca)* ($f [$crate::graphql::input::writes::required] [$crate::__w_conv!($k $(($($ka)*))?)])]
            $($tail)* }
    };
    (@create $doc:tt $svc:ident $gql:ident [$($fa:tt)*] [$($ca:tt)*]
        $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))? [create optional $($cd:literal)?]
        $([$($u:tt)*])?; $($tail:tt)*) => {
        $crate::__writes_gql! { @create $doc $svc $gql
            [$($fa)* $(#[doc = $d])* $(#[doc = $cd])? pub $f: Option<$crate::__w_gql_ty!($k $(($($ka)*))?)>,]
            [$($ca)* ($f [$crate::graphql::input::writes::optional] [$crate::__w_conv!($k $(($($ka)*))?)])]
            $($tail)* }
    };
    (@create $doc:tt $svc:ident $gql:ident [$($fa:tt)*] [$($ca:tt)*]
        $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))? [create default $(= $v:literal)? $($cd:literal)?]
        $([$($u:tt)*])?; $($tail:tt)*) => {
        $crate::__writes_gql! { @create $doc $svc $gql
            [$($fa)* $(#[doc = $d])* $(#[doc = $cd])? #[graphql(default $(= $v)?)]
                pub $f: $crate::__w_gql_ty!($k $(($($ka)*))?),]
            [$($ca)* ($f [$crate::graphql::input::writes::required] [$crate::__w_conv!($k $(($($ka)*))?)])]
            $($tail)* }
    };
    (@create $doc:tt $svc:ident $gql:ident $fa:tt $ca:tt
        $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))? [update $($u:tt)*]; $($tail:tt)*) => {
        $crate::__writes_gql! { @create $doc $svc $gql $fa $ca $($tail)* }
    };
    // update
    (@update $doc:tt $svc:ident $gql:ident [$($fa:tt)*] [$($ca:tt)*]
        $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))? $([create $($c:tt)*])?
        [update set $($ud:literal)?]; $($tail:tt)*) => {
        $crate::__writes_gql! { @update $doc $svc $gql
            [$($fa)* $(#[doc = $d])* $(#[doc = $ud])? pub $f: Option<$crate::__w_gql_ty!($k $(($($ka)*))?)>,]
            [$($ca)* ($f [$crate::graphql::input::writes::optional] [$crate::__w_conv!($k $(($($ka)*))?)])]
            $($tail)* }
    };
    (@update $doc:tt $svc:ident $gql:ident [$($fa:tt)*] [$($ca:tt)*]
        $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))? $([create $($c:tt)*])?
        [update clear $($ud:literal)?]; $($tail:tt)*) => {
        $crate::__writes_gql! { @update $doc $svc $gql
            [$($fa)* $(#[doc = $d])* $(#[doc = $ud])?
                pub $f: async_graphql::MaybeUndefined<$crate::__w_gql_ty!($k $(($($ka)*))?)>,]
            [$($ca)* ($f [$crate::graphql::input::patch] [$crate::__w_conv!($k $(($($ka)*))?)])]
            $($tail)* }
    };
    (@update $doc:tt $svc:ident $gql:ident $fa:tt $ca:tt
        $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))? [create $($c:tt)*]; $($tail:tt)*) => {
        $crate::__writes_gql! { @update $doc $svc $gql $fa $ca $($tail)* }
    };
}

/// The GraphQL type of a kind.
#[doc(hidden)]
#[macro_export]
macro_rules! __w_gql_ty {
    (Text) => { String };
    (Int) => { i32 };
    (Bool) => { bool };
    (Money) => { ::rust_decimal::Decimal };
    (Date) => { $crate::graphql::relay::Date };
    (DateTime) => { ::chrono::DateTime<::chrono::Utc> };
    (Texts) => { Vec<String> };
    (Id($t:ident)) => { async_graphql::ID };
    (Enum($e:ident)) => { $crate::graphql::types::enums::$e };
    (Each($g:ty, $s:ty)) => { Vec<$g> };
    (Json($g:ty)) => { $g };
}

/// The conversion of a kind's GraphQL value to the service's.
#[doc(hidden)]
#[macro_export]
macro_rules! __w_conv {
    (Date) => {
        |d: $crate::graphql::relay::Date| d.0
    };
    (Id($t:ident)) => {
        |id: async_graphql::ID| $crate::graphql::input::writes::id(&id, stringify!($t))
    };
    (Enum($e:ident)) => {
        <$crate::graphql::types::enums::$e as Into<::entity::enums::$e>>::into
    };
    (Each($g:ty, $s:ty)) => {
        |list: Vec<$g>| list.into_iter().map(<$s>::from).collect::<Vec<$s>>()
    };
    (Json($g:ty)) => {
        |v: $g| $crate::graphql::input::writes::json(&v)
    };
    ($kind:ident) => {
        ::std::convert::identity
    };
}

#[cfg(test)]
mod tests {
    use crate::graphql::input::activity::CreatePurchaseInput;
    use crate::graphql::input::customer::{CreateCustomerInput, UpdateCustomerInput};
    use crate::service::customer::{CustomerPatch, NewCustomer};
    use crate::service::purchase::NewPurchase;
    use async_graphql::{InputType, Value};
    use serde_json::json;

    fn parse<T: InputType>(json: serde_json::Value) -> T {
        T::parse(Some(Value::from_json(json).unwrap()))
            .unwrap_or_else(|e| panic!("{}", e.into_server_error(Default::default()).message))
    }

    #[test]
    fn update_fields_keep_when_left_out_clear_on_null_and_set_on_a_value() {
        let id = crate::graphql::relay::global_id("Customer", uuid::Uuid::nil());
        let patch: CustomerPatch = parse::<UpdateCustomerInput>(json!({
            "id": id.to_string(), "expectedVersion": 3,
            "name": "新名字", "phone": null, "email": "a@b.cn", "gender": "FEMALE", "preferences": ["微信"]
        }))
        .into();
        assert_eq!(patch.name.as_deref(), Some("新名字"));
        assert_eq!(patch.phone, Some(None), "an explicit null clears a clearable field");
        assert_eq!(patch.email, Some(Some("a@b.cn".to_owned())));
        assert_eq!(patch.gender, Some(Some(entity::enums::Gender::Female)));
        assert_eq!(patch.preferences, Some(vec!["微信".to_owned()]));
        assert_eq!(patch.address, None, "a field left out is kept");
        assert_eq!(patch.kind, None);
        assert_eq!(patch.owner_id, None);
    }

    #[test]
    fn create_fields_take_defaults_and_references_become_ids() {
        let owner = uuid::Uuid::new_v4();
        let new: NewCustomer = parse::<CreateCustomerInput>(json!({
            "name": "张三", "birthDate": "1990-02-03",
            "ownerId": crate::graphql::relay::global_id("User", owner).to_string()
        }))
        .into();
        assert_eq!(new.name, "张三");
        assert_eq!(new.birth_date, chrono::NaiveDate::from_ymd_opt(1990, 2, 3));
        assert_eq!(new.owner_id, Some(owner));
        assert!(!new.marketing_consent && !new.allow_duplicate && new.preferences.is_empty());
        let malformed: NewCustomer =
            parse::<CreateCustomerInput>(json!({"name": "李四", "ownerId": "nonsense"})).into();
        assert_eq!(malformed.owner_id, Some(uuid::Uuid::nil()), "a malformed id is checked (NOT_FOUND), not dropped");
        let purchase: NewPurchase = parse::<CreatePurchaseInput>(json!({
            "customerId": crate::graphql::relay::global_id("Customer", owner).to_string(),
            "product": "工业泵", "amount": "1200.50"
        }))
        .into();
        assert_eq!(purchase.quantity, 1, "a declared default applies when the field is left out");
        assert_eq!(purchase.customer_id, Some(owner));
        assert_eq!(purchase.amount, rust_decimal::Decimal::new(120_050, 2));
    }
}
