//! Custom fields in the API: the definitions (`customFieldDefinitions`, admin mutations),
//! a customer's values (`customFields`, `customField(key:)`, through the field policy when
//! sensitive) and the `customField` filter. The rules live in `service::custom_field`.

use crate::auth::Viewer;
use crate::auth::policy::{self, Rule};
use crate::error::{AppError, AppResult};
use crate::graphql::context;
use crate::graphql::input::filter::{DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::loader::{LoaderEnv, MakeLoader};
use crate::graphql::types::enums::{CustomFieldType, CustomRecordType};
use crate::service::custom_field::{self as service, values};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, InputObject, Json, Result, SimpleObject};
use entity::custom_field::Model as Definition;
use sea_orm::Condition;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use serde_json::Value;
use std::collections::HashMap;

crate::record! {
    /// A custom field of a record type: key, label, type, options, required, sensitive.
    /// Sensitive values leave through the policy row `<Type>.sensitiveCustomFields`.
    CustomFieldDefinition(custom_field) {
        record_type RecordType: Enum(CustomRecordType);
        /// The value's key in `customFields`.
        key Key: Text, filter StringFilter, sort Key;
        label Label: Text, filter StringFilter;
        field_type FieldType: Enum(CustomFieldType);
        /// Every new record must have a value; no write may clear it.
        required Required: Bool;
        /// Personal data: masked or denied by role, like a phone number.
        sensitive Sensitive: Bool;
        /// Order among the record type's fields.
        position Position: Int, sort Position;
    }
    references {}
    /// Conditions on custom field definitions.
    filter CustomFieldDefinitionFilter {
        id: IdFilter => Id("CustomFieldDefinition"),
        created_at: DateTimeFilter => CreatedAt,
    }
    related {}
    order CustomFieldDefinitionOrder(CustomFieldDefinitionOrderField), default Position Asc {
        CreatedAt => CreatedAt,
    }
    resolvers {
        /// The choices of a SELECT or MULTI_SELECT field.
        async fn options(&self) -> Vec<String> {
            serde_json::from_str(&self.0.options).unwrap_or_default()
        }
    }
}

/// A value given to a custom field.
#[derive(InputObject, Clone, Debug)]
pub struct CustomFieldValueInput {
    pub key: String,
    /// The value as its type takes it (`null` clears): a string, number, boolean, or a list
    /// of strings for MULTI_SELECT.
    pub value: Option<Json<Value>>,
}

impl From<CustomFieldValueInput> for values::FieldValue {
    fn from(v: CustomFieldValueInput) -> Self {
        Self { key: v.key, value: v.value.map(|j| j.0).unwrap_or(Value::Null) }
    }
}

/// A record's value of one custom field.
#[derive(SimpleObject)]
pub struct CustomFieldValue {
    pub key: String,
    pub label: String,
    #[graphql(name = "type")]
    pub field_type: CustomFieldType,
    /// The value (`null` when your role may not see this sensitive field).
    pub value: Option<Json<Value>>,
}

/// Condition on one custom field of customers.
#[derive(InputObject, Clone, Debug)]
pub struct CustomFieldFilter {
    /// The field's key.
    pub key: String,
    /// Equal to (a MULTI_SELECT value is not compared).
    pub eq: Option<Json<Value>>,
    /// Equal to one of these (at most 100).
    #[graphql(name = "in")]
    pub in_: Option<Vec<Json<Value>>>,
    /// True: no value; false: a value.
    pub is_null: Option<bool>,
}

/// The field policy's rule for the viewer on sensitive custom fields of `ty`.
fn sensitive_rule(viewer: &Viewer, ty: entity::enums::CustomRecordType) -> Rule {
    policy::rule(viewer, type_name(ty), "sensitiveCustomFields")
}

/// The GraphQL type of the records of `ty`.
fn type_name(ty: entity::enums::CustomRecordType) -> &'static str {
    use entity::enums::CustomRecordType as T;
    match ty {
        T::Customer => "Customer",
        T::Contact => "Contact",
        T::Deal => "Deal",
        T::Ticket => "Ticket",
    }
}

/// The `customField` filter of each record type that has custom fields.
macro_rules! filters {
    ($($name:ident => $ty:ident),+ $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($ty), "` records whose custom field matches.")]
            pub fn $name(f: &CustomFieldFilter, viewer: &Viewer) -> AppResult<Condition> {
                condition(f, viewer, entity::enums::CustomRecordType::$ty)
            }
        )+
    };
}

filters!(customer_custom_field => Customer, contact_custom_field => Contact, deal_custom_field => Deal, ticket_custom_field => Ticket);

/// Records of `ty` whose custom field `f.key` matches, on the expression its index covers.
/// A sensitive field the caller may not read in full matches nothing: a filter would reveal
/// it one comparison at a time.
fn condition(f: &CustomFieldFilter, viewer: &Viewer, ty: entity::enums::CustomRecordType) -> AppResult<Condition> {
    if !service::valid_key(&f.key) {
        return Err(AppError::BadUserInput(format!("`{}` is not a custom field key", f.key)));
    }
    let value = || Expr::cust(values::expression(&f.key));
    let text = |v: &Json<Value>| {
        values::comparable(&v.0)
            .ok_or_else(|| AppError::BadUserInput("compare with a string, number or boolean".into()))
    };
    let mut cond = Condition::all();
    if let Some(v) = &f.eq {
        cond = cond.add(value().eq(text(v)?));
    }
    if let Some(list) = &f.in_ {
        if list.len() > 100 {
            return Err(AppError::BadUserInput("`in` takes at most 100 values".into()));
        }
        cond = cond.add(value().is_in(list.iter().map(text).collect::<AppResult<Vec<_>>>()?));
    }
    if let Some(null) = f.is_null {
        cond = cond.add(if null { value().is_null() } else { value().is_not_null() });
    }
    if sensitive_rule(viewer, ty) != Rule::Allow {
        let sensitive = Query::select()
            .expr(Expr::val(1))
            .from(entity::custom_field::Entity)
            .and_where(Expr::col(entity::custom_field::Column::RecordType).eq(ty.as_str()))
            .and_where(Expr::col(entity::custom_field::Column::Key).eq(f.key.as_str()))
            .and_where(Expr::col(entity::custom_field::Column::Sensitive).eq(true))
            .and_where(Expr::col(entity::custom_field::Column::DeletedAt).is_null())
            .to_owned();
        cond = cond.add(Expr::exists(sensitive).not());
    }
    Ok(cond)
}

/// The live definitions of a record type, once per request.
pub struct Definitions(LoaderEnv);

impl MakeLoader for Definitions {
    fn make(env: LoaderEnv) -> Self {
        Self(env)
    }
}

impl Loader<entity::enums::CustomRecordType> for Definitions {
    type Value = Vec<Definition>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[entity::enums::CustomRecordType],
    ) -> Result<HashMap<entity::enums::CustomRecordType, Self::Value>, Self::Error> {
        let mut out = HashMap::new();
        for key in keys {
            out.insert(*key, service::definitions(&self.0.db, *key).await?);
        }
        Ok(out)
    }
}

/// The custom fields of a record of `ty` whose stored values are `stored`, as `ctx`'s
/// caller may see them, in definition order.
pub async fn of_record(
    ctx: &Context<'_>,
    ty: entity::enums::CustomRecordType,
    stored: &Value,
) -> Result<Vec<CustomFieldValue>> {
    let viewer = context::viewer(ctx)?;
    let loader = context::loaders(ctx)?.get::<entity::enums::CustomRecordType, Definitions>();
    let defs = loader.load_one(ty).await?.unwrap_or_default();
    let rule = sensitive_rule(viewer, ty);
    Ok(defs
        .iter()
        .map(|def| CustomFieldValue {
            key: def.key.clone(),
            label: def.label.clone(),
            field_type: def.field_type.into(),
            value: stored.get(&def.key).and_then(|v| shown(def, v, rule)).map(Json),
        })
        .collect())
}

/// One custom field of a record of `ty`; `FORBIDDEN` when the caller's role is denied it.
pub async fn one_of_record(
    ctx: &Context<'_>,
    ty: entity::enums::CustomRecordType,
    stored: &Value,
    key: &str,
) -> Result<Option<Json<Value>>> {
    let viewer = context::viewer(ctx)?;
    let loader = context::loaders(ctx)?.get::<entity::enums::CustomRecordType, Definitions>();
    let defs = loader.load_one(ty).await?.unwrap_or_default();
    let Some(def) = defs.iter().find(|d| d.key == key) else { return Ok(None) };
    let rule = sensitive_rule(viewer, ty);
    if def.sensitive && rule == Rule::Deny {
        return Err(AppError::Forbidden(format!("your role may not read the custom field {key}")).into());
    }
    Ok(stored.get(&def.key).and_then(|v| shown(def, v, rule)).map(Json))
}

/// A stored value as `rule` lets it leave: in full, masked (`****`), or not at all.
fn shown(def: &Definition, stored: &Value, rule: Rule) -> Option<Value> {
    match (def.sensitive, rule) {
        (false, _) | (true, Rule::Allow) => Some(values::shown(def, stored)),
        (true, Rule::Mask(_)) => Some(Value::String("****".into())),
        (true, Rule::Deny) => None,
    }
}

/// The custom-field fields of a record, flattened into its type.
pub struct CustomFields {
    ty: entity::enums::CustomRecordType,
    stored: Value,
}

impl CustomFields {
    /// The fields of a record of `ty` holding `stored`.
    pub fn of(ty: entity::enums::CustomRecordType, stored: &Value) -> Self {
        Self { ty, stored: stored.clone() }
    }
}

#[async_graphql::Object]
impl CustomFields {
    /// The values of the record's custom fields, in definition order; a sensitive one
    /// through the field policy (`<Type>.sensitiveCustomFields`).
    async fn custom_fields(&self, ctx: &Context<'_>) -> Result<Vec<CustomFieldValue>> {
        of_record(ctx, self.ty, &self.stored).await
    }
    /// One custom field's value (`null`: none, or no such field).
    async fn custom_field(&self, ctx: &Context<'_>, key: String) -> Result<Option<Json<Value>>> {
        one_of_record(ctx, self.ty, &self.stored, &key).await
    }
}
