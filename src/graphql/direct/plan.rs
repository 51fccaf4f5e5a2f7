//! From a query document to one SQL statement and the plan that writes its answer.
//!
//! Every level of the selection becomes a JSON array the database builds: the columns the
//! level's fields read, then one nested value per to-one record (a correlated subquery)
//! and per nested connection (a correlated, ordered, limited subquery aggregated into an
//! array). Row scope, filters, orders and page bounds are the conditions the standard
//! resolvers use; the field policy is applied as the answer is written. Anything this
//! planner does not know answers `None`, and the request takes the standard path.

use super::fields::{Kind, Ty};
use crate::auth::Viewer;
use crate::auth::gate::Credential;
use crate::auth::policy::Mask;
use crate::graphql::input::customer::{CustomerFilter, CustomerOrder};
use crate::graphql::relay::expect_id;
use crate::service::page::{self, PageArgs};
use crate::service::record::visible;
use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, Field as Ast, OperationType, Selection, VariableDefinition,
};
use async_graphql::{ID, InputType, Name, Positioned, Value, Variables};
use entity::customer;
use sea_orm::sea_query::{Expr, Func, SelectStatement};
use sea_orm::{ColumnTrait, ColumnType, DbBackend, EntityTrait, QueryFilter, QueryTrait};
use std::collections::HashSet;

/// One level of the answer: the values its JSON array holds, and what is written from them.
#[derive(Default)]
pub struct Obj {
    pub(super) cols: Vec<Expr>,
    pub(super) names: Vec<&'static str>,
    /// The response keys, in selection order.
    pub out: Vec<Out>,
}

/// One response key of an object.
pub enum Out {
    /// A column's value, masked when the policy says so; `read`: a governed field left
    /// unmasked, noted for the audit of personal-data reads (`service::access_log`) with
    /// the object's id, at that position.
    Value { key: Name, at: usize, kind: Kind, ty: Ty, mask: Option<Mask>, read: Option<(&'static str, usize)> },
    /// `__typename`.
    Typename { key: Name, name: &'static str },
    /// A to-one record (`null` when missing or not visible).
    One { key: Name, at: usize, obj: Obj },
    /// A nested connection: at most `limit` rows (one more was read).
    Many { key: Name, at: usize, limit: usize, conn: Vec<Conn> },
}

/// One response key of a connection.
pub enum Conn {
    Nodes { key: Name, obj: Obj },
    PageInfo { key: Name, fields: Vec<(Name, PageField)> },
}

/// Takes the values of a connection's `nodes` (none without it) for the statement; the
/// rest of their plan stays to write the answer.
pub(super) fn node_columns(conn: &mut [Conn]) -> Vec<Expr> {
    conn.iter_mut()
        .find_map(|c| match c {
            Conn::Nodes { obj, .. } => Some(std::mem::take(&mut obj.cols)),
            Conn::PageInfo { .. } => None,
        })
        .unwrap_or_default()
}

/// The fields of `PageInfo`.
#[derive(Clone, Copy)]
pub enum PageField {
    HasNext,
    HasPrevious,
    StartCursor,
    EndCursor,
}

/// What the request's one root field answers.
pub enum Root {
    /// `customer(id:)`: the first row, or `null`.
    One(Obj),
    /// `dealsByStage`: an object per row.
    List(Obj),
    /// `customers(…)`: a keyset page; the row's sort keys follow its JSON.
    Page { conn: Vec<Conn>, keyset: page::Keyset<customer::Column>, kinds: Vec<ColumnType> },
}

/// A planned request.
pub struct Plan {
    /// The root field's response key.
    pub key: Name,
    /// The statement: a text JSON array per row (column `j`), the credential's user record
    /// (column `who`, see [`Planner::who`]), then the sort keys of a page.
    /// `None` when the answer is known without one (an ID of another type).
    pub statement: Option<SelectStatement>,
    pub root: Root,
}

pub(super) type P<T> = Option<T>;

/// Plans `document` for `viewer`, or `None` when the standard path must answer it. The
/// document is within every limit (the HTTP handler's verdict, with these variables).
pub fn plan(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
    viewer: &Viewer,
    (backend, summaries): (DbBackend, bool),
    credential: Option<&Credential>,
) -> P<Plan> {
    if !document.fragments.is_empty() {
        return None;
    }
    let operation = match &document.operations {
        DocumentOperations::Single(op) if operation_name.is_none() => op,
        DocumentOperations::Multiple(ops) if ops.len() == 1 => {
            let (name, op) = ops.iter().next()?;
            if operation_name.is_some_and(|n| n != name.as_str()) {
                return None;
            }
            op
        }
        _ => return None,
    };
    let op = &operation.node;
    if op.ty != OperationType::Query || !op.directives.is_empty() {
        return None;
    }
    let mut planner = Planner {
        viewer,
        variables,
        defined: &op.variable_definitions,
        used: HashSet::new(),
        backend,
        open: Vec::new(),
        credential,
        summaries,
    };
    let [item] = op.selection_set.node.items.as_slice() else { return None };
    let field = plain(item)?;
    let plan = match field.name.node.as_str() {
        "customer" => planner.customer(field)?,
        "customers" => planner.customers(field)?,
        "dealsByStage" => planner.deals_by_stage(field)?,
        _ => return None,
    };
    (planner.used.len() == op.variable_definitions.len()).then_some(plan)
}

pub(super) struct Planner<'a> {
    pub(super) viewer: &'a Viewer,
    variables: &'a Variables,
    defined: &'a [Positioned<VariableDefinition>],
    used: HashSet<Name>,
    pub(super) backend: DbBackend,
    /// The types of the levels being planned, outermost first.
    pub(super) open: Vec<Ty>,
    /// The credential whose user record the statement reads back (column `who`).
    pub(super) credential: Option<&'a Credential>,
    /// Reports read the dashboard summaries (their resolvers answer what those cover).
    pub(super) summaries: bool,
}

/// A field selection without directives.
pub(super) fn plain(item: &Positioned<Selection>) -> P<&Ast> {
    match &item.node {
        Selection::Field(f) if f.node.directives.is_empty() => Some(&f.node),
        _ => None,
    }
}

pub(super) fn key(field: &Ast) -> Name {
    field.alias.as_ref().unwrap_or(&field.name).node.clone()
}

pub(super) fn leaf(field: &Ast) -> bool {
    field.arguments.is_empty() && field.selection_set.node.items.is_empty()
}

/// An argument value as its Rust type (absent: `None` into `T`'s parser).
pub(super) fn parse<T: InputType>(value: Option<Value>) -> P<T> {
    T::parse(value).ok()
}

pub(super) fn col(table: &'static str, column: &'static str) -> Expr {
    Expr::col((table, column))
}

/// The alias of the `i`th sort key of a level (`k0`, `k1` …).
pub(super) fn key_alias(i: usize) -> sea_orm::sea_query::DynIden {
    const NAMES: [&str; 8] = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"];
    match NAMES.get(i) {
        Some(name) => (*name).into(),
        None => format!("k{i}").into(),
    }
}

impl Planner<'_> {
    /// The field's arguments, each named in `allowed`, with variables put in.
    pub(super) fn args(&mut self, field: &Ast, allowed: &[&str]) -> P<Vec<(String, Value)>> {
        let mut out: Vec<(String, Value)> = Vec::with_capacity(field.arguments.len());
        for (name, value) in &field.arguments {
            let name = name.node.as_str();
            if !allowed.contains(&name) || out.iter().any(|(n, _)| n == name) {
                return None;
            }
            // A variable standing for the whole argument may be null or absent (the
            // argument's null); inside a list or object a null would mean something else.
            let whole = matches!(value.node, async_graphql_value::Value::Variable(_));
            let mut used = Vec::new();
            let value = value.node.clone().into_const_with(|var| {
                used.push(var.clone());
                self.variable(&var, whole)
            });
            self.used.extend(used);
            out.push((name.to_string(), value.ok()?));
        }
        Some(out)
    }

    /// A variable's value, if it is declared as one of the plain scalars and holds one.
    fn variable(&self, name: &Name, nullable_here: bool) -> Result<Value, ()> {
        let def = self.defined.iter().find(|d| d.node.name.node == *name).ok_or(())?;
        if def.node.default_value.is_some() || !def.node.directives.is_empty() {
            return Err(());
        }
        let ty = &def.node.var_type.node;
        let BaseType::Named(base) = &ty.base else { return Err(()) };
        match self.variables.get(name) {
            None | Some(Value::Null) if ty.nullable && nullable_here => Ok(Value::Null),
            Some(v @ Value::String(_)) if matches!(base.as_str(), "ID" | "String") => Ok(v.clone()),
            Some(v @ Value::Boolean(_)) if base == "Boolean" => Ok(v.clone()),
            Some(v @ Value::Number(n)) if base == "Int" && n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {
                Ok(v.clone())
            }
            _ => Err(()),
        }
    }

    fn customer(&mut self, field: &Ast) -> P<Plan> {
        let args = self.args(field, &["id"])?;
        let id: ID = parse(args.into_iter().next().map(|(_, v)| v))?;
        let mut obj = self.object(Ty::Customer, &field.selection_set.node)?;
        let statement = expect_id(&id, "Customer").ok().map(|id| {
            let query = sea_orm::sea_query::Query::select()
                .from(customer::Entity)
                .and_where(customer::Column::Id.eq(id))
                .cond_where(visible::<customer::Entity>(self.viewer, self.viewer.is_admin()))
                .to_owned();
            self.root_statement(query, std::mem::take(&mut obj.cols), Vec::new(), 1)
        });
        Some(Plan { key: key(field), statement, root: Root::One(obj) })
    }

    fn customers(&mut self, field: &Ast) -> P<Plan> {
        let allowed = ["first", "after", "last", "before", "filter", "orderBy", "search", "includeDeleted"];
        let mut args = self.args(field, &allowed)?;
        let mut take = |name: &str| args.iter().position(|(n, _)| n == name).map(|i| args.swap_remove(i).1);
        let page = PageArgs {
            first: parse(take("first"))?,
            after: parse(take("after"))?,
            last: parse(take("last"))?,
            before: parse(take("before"))?,
        };
        let filter: Option<CustomerFilter> = parse(take("filter"))?;
        let order: Option<Vec<CustomerOrder>> = parse(take("orderBy"))?;
        let search: Option<String> = parse(take("search"))?;
        let include_deleted: Option<bool> = parse(take("includeDeleted"))?;
        let viewer = self.viewer;
        let filter = filter.map(|f| f.condition(viewer)).transpose().ok()?;
        let order = CustomerOrder::spec(viewer, order).ok()?;
        let filter = crate::service::customer::list_filter(viewer, filter, search.as_deref());
        let cond = crate::service::record::list_condition::<customer::Entity>(
            viewer,
            filter,
            include_deleted.unwrap_or(false),
        )
        .ok()?;
        let select = customer::Entity::find().filter(cond);
        let (select, keyset) = page::keyset(select, &order, customer::Column::Id, &page).ok()?;
        let mut conn = self.connection(Ty::Customer, &field.selection_set.node, true)?;
        let cols = node_columns(&mut conn);
        // A custom field's keys are expressions: that order takes the resolvers' path.
        let columns = page::plain_columns(&keyset.keys)?;
        let keys = columns.iter().map(|(column, _)| Expr::col((customer::Entity, *column))).collect();
        let kinds = page::keys_kinds(&keyset.keys);
        let statement = self.root_statement(select.into_query(), cols, keys, keyset.limit + 1);
        Some(Plan { key: key(field), statement: Some(statement), root: Root::Page { conn, keyset, kinds } })
    }

    /// `query` answering the text JSON array of `cols` as column `j`, the credential's user
    /// record as `who`, then `keys` as `k0`, `k1` ….
    pub(super) fn root_statement(
        &self,
        mut query: SelectStatement,
        cols: Vec<Expr>,
        keys: Vec<Expr>,
        limit: u64,
    ) -> SelectStatement {
        query.clear_selects();
        query.expr_as(Func::cast_as(self.array(cols), "text"), "j");
        query.expr_as(self.who(), "who");
        for (i, key) in keys.into_iter().enumerate() {
            query.expr_as(key, key_alias(i));
        }
        query.limit(limit);
        query
    }
}
