//! The levels below the root: objects, to-one records and nested connections, each a JSON
//! value the database builds inside its parent's.

use super::fields::{Field, Kind, Rel, Ty, per_ty};
use super::plan::{Conn, Obj, Out, PageField, Planner, col, key, key_alias, leaf, node_columns, parse, plain};
use crate::auth::Viewer;
use crate::auth::policy::{Mask, Rule, rule};
use crate::error::AppResult;
use crate::graphql::input::activity::*;
use crate::graphql::input::contact::{ContactFilter, ContactOrder};
use crate::graphql::input::marketing::{SurveyResponseFilter, SurveyResponseOrder};
use crate::graphql::loader::*;
use crate::service::page::{self, DEFAULT_PAGE_SIZE, PageArgs, SortSpec};
use crate::service::record::visible;
use async_graphql::parser::types::{Field as Ast, SelectionSet};
use async_graphql::{InputType, Name};
use entity::record::Record;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{Condition, DbBackend, EntityTrait, Order};

/// Evaluates `$body` with the relation, filter and order types of `$rel`, and `$child` its
/// child type.
macro_rules! per_rel {
    ($rel:expr, $r:ident, $f:ident, $o:ident, $child:ident => $body:expr) => {
        match $rel {
            Rel::Contacts => {
                type $r = CustomerContacts;
                type $f = ContactFilter;
                type $o = ContactOrder;
                let $child = Ty::Contact;
                $body
            }
            Rel::Deals => {
                type $r = CustomerDeals;
                type $f = DealFilter;
                type $o = DealOrder;
                let $child = Ty::Deal;
                $body
            }
            Rel::Tickets => {
                type $r = CustomerTickets;
                type $f = TicketFilter;
                type $o = TicketOrder;
                let $child = Ty::Ticket;
                $body
            }
            Rel::Interactions => {
                type $r = CustomerInteractions;
                type $f = InteractionFilter;
                type $o = InteractionOrder;
                let $child = Ty::Interaction;
                $body
            }
            Rel::Purchases => {
                type $r = CustomerPurchases;
                type $f = PurchaseFilter;
                type $o = PurchaseOrder;
                let $child = Ty::Purchase;
                $body
            }
            Rel::Feedback => {
                type $r = CustomerFeedback;
                type $f = FeedbackFilter;
                type $o = FeedbackOrder;
                let $child = Ty::Feedback;
                $body
            }
            Rel::SurveyResponses => {
                type $r = CustomerSurveyResponses;
                type $f = SurveyResponseFilter;
                type $o = SurveyResponseOrder;
                let $child = Ty::SurveyResponse;
                $body
            }
        }
    };
}

type Column<R> = <<R as ChildRelation>::Child as EntityTrait>::Column;

/// A connection's `orderBy` translation (`…Order::spec`).
type Spec<R, O> = fn(&Viewer, Option<Vec<O>>) -> AppResult<SortSpec<Column<R>>>;

impl Obj {
    /// The position of `column` in the level's array (each column once).
    fn column(&mut self, table: &'static str, column: &'static str, kind: Kind, backend: DbBackend) -> usize {
        if let Some(at) = self.names.iter().position(|n| *n == column) {
            return at;
        }
        let mut expr = col(table, column);
        if kind == Kind::Id && backend == DbBackend::Sqlite {
            // SQLite keeps UUIDs as 16-byte blobs, which JSON cannot hold.
            expr = Func::cust("hex").arg(expr).into();
        }
        self.push(column, expr)
    }

    /// Adds a value that is not a plain column (a nested record or list).
    pub(super) fn push(&mut self, name: &'static str, expr: Expr) -> usize {
        self.cols.push(expr);
        self.names.push(name);
        self.cols.len() - 1
    }
}

impl Planner<'_> {
    /// The plan of a `ty` object's `selection`.
    pub(super) fn object(&mut self, ty: Ty, selection: &SelectionSet) -> Option<Obj> {
        self.open.push(ty);
        let table = ty.table();
        let mut obj = Obj::default();
        let mut seen = Vec::new();
        for item in &selection.items {
            let field = plain(item)?;
            let key = key(field);
            if seen.contains(&key) {
                return None;
            }
            seen.push(key.clone());
            let name = field.name.node.as_str();
            if name == "__typename" {
                if !leaf(field) {
                    return None;
                }
                obj.out.push(Out::Typename { key, name: ty.name() });
                continue;
            }
            let (name, found) = ty.field(name)?;
            match found {
                Field::Column(column, kind) => {
                    if !leaf(field) {
                        return None;
                    }
                    let mask = match rule(self.viewer, ty.name(), name) {
                        Rule::Allow => None,
                        Rule::Mask(mask) if kind == Kind::Text && mask != Mask::Address => Some(mask),
                        // Denied (and masked non-text) fields answer FORBIDDEN errors.
                        Rule::Mask(_) | Rule::Deny => return None,
                    };
                    let at = obj.column(table, column, kind, self.backend);
                    let read = (mask.is_none() && crate::auth::policy::governed(ty.name(), name))
                        .then(|| (name, obj.column(table, "id", Kind::Id, self.backend)));
                    obj.out.push(Out::Value { key, at, kind, ty, mask, read });
                }
                Field::One(column, target) => {
                    if !field.arguments.is_empty() || self.open.contains(&target) {
                        return None;
                    }
                    let (expr, child) = self.one(table, column, target, &field.selection_set.node)?;
                    let at = obj.push("", expr);
                    obj.out.push(Out::One { key, at, obj: child });
                }
                Field::Many(rel) => {
                    let (expr, limit, conn) = per_rel!(rel, R, F, O, child => {
                        if self.open.contains(&child) {
                            return None;
                        }
                        self.many::<R, F, O>(field, table, child, F::condition, O::spec)?
                    });
                    let at = obj.push("", expr);
                    obj.out.push(Out::Many { key, at, limit, conn });
                }
            }
        }
        self.open.pop();
        Some(obj)
    }

    /// The record of `target` that `parent.column` names, if the viewer may see it.
    fn one(
        &mut self,
        parent: &'static str,
        column: &'static str,
        target: Ty,
        selection: &SelectionSet,
    ) -> Option<(Expr, Obj)> {
        let mut obj = self.object(target, selection)?;
        let viewer = self.viewer;
        let mut query = per_ty!(target, E => Query::select()
            .from(E::default())
            .and_where(Expr::col((E::default(), E::id_column())).equals((parent, column)))
            .cond_where(visible::<E>(viewer, viewer.is_admin()))
            .to_owned());
        query.expr(self.array(std::mem::take(&mut obj.cols)));
        Some((self.embed(query), obj))
    }

    /// A nested connection of relation `R` under `parent`: its rows as a JSON array of
    /// arrays, one more than the page (that one tells `hasNextPage`).
    fn many<R: ChildRelation, F: InputType, O: InputType>(
        &mut self,
        field: &Ast,
        parent: &'static str,
        child: Ty,
        condition: fn(&F, &Viewer) -> AppResult<Condition>,
        spec: Spec<R, O>,
    ) -> Option<(Expr, usize, Vec<Conn>)> {
        let mut args = self.args(field, &["first", "filter", "orderBy"])?;
        let mut take = |name: &str| args.iter().position(|(n, _)| n == name).map(|i| args.swap_remove(i).1);
        let first: Option<i32> = parse(take("first"))?;
        let filter: Option<F> = parse(take("filter"))?;
        let order: Option<Vec<O>> = parse(take("orderBy"))?;
        page::check_args(&PageArgs { first, ..PageArgs::default() }).ok()?;
        let limit = first.unwrap_or(DEFAULT_PAGE_SIZE) as u64;
        let viewer = self.viewer;
        let filter = filter.map(|f| condition(&f, viewer)).transpose().ok()?;
        let order = match order {
            Some(order) => spec(viewer, Some(order)).ok()?,
            None => R::order(),
        };
        let mut conn = self.connection(child, &field.selection_set.node, false)?;
        let cols = node_columns(&mut conn);

        let entity = R::Child::default();
        let link = Expr::col((entity, R::parent())).equals((parent, "id"));
        // (A bare `SELECT … FROM`: `Entity::find()` would first list every column.)
        let mut rows = Query::select();
        rows.from(entity).cond_where(child_scope::<R>(viewer)).and_where(link);
        if let Some(filter) = filter {
            rows.cond_where(filter);
        }
        rows.expr_as(self.array(cols), "j");
        // A custom field's keys are expressions: that order takes the resolvers' path.
        let keys = page::plain_columns(&page::full_keys::<R::Child>(&order, <R::Child as Record>::id_column()))?;
        let mut aggregate_order = Vec::with_capacity(keys.len());
        for (i, (column, asc)) in keys.iter().enumerate() {
            rows.expr_as(Expr::col((entity, *column)), key_alias(i));
            rows.order_by((entity, *column), if *asc { Order::Asc } else { Order::Desc });
            aggregate_order.push(format!("k{i} {}", if *asc { "ASC" } else { "DESC" }));
        }
        rows.limit(limit + 1);
        let aggregate = match self.backend {
            DbBackend::Postgres => format!("json_agg(j ORDER BY {})", aggregate_order.join(", ")),
            _ => format!("json_group_array(json(j) ORDER BY {})", aggregate_order.join(", ")),
        };
        let mut list = Query::select();
        list.expr(Expr::cust(aggregate)).from_subquery(rows, "page");
        Some((self.embed(list), limit as usize, conn))
    }

    /// The selection of a connection: `nodes` (once) and `pageInfo`. Cursors are known
    /// for root pages only.
    pub(super) fn connection(&mut self, ty: Ty, selection: &SelectionSet, root: bool) -> Option<Vec<Conn>> {
        let mut conn = Vec::new();
        let mut seen: Vec<Name> = Vec::new();
        for item in &selection.items {
            let field = plain(item)?;
            let key = key(field);
            if seen.contains(&key) || !field.arguments.is_empty() {
                return None;
            }
            seen.push(key.clone());
            match field.name.node.as_str() {
                "nodes" if !conn.iter().any(|c| matches!(c, Conn::Nodes { .. })) => {
                    let obj = self.object(ty, &field.selection_set.node)?;
                    conn.push(Conn::Nodes { key, obj });
                }
                "pageInfo" => {
                    let mut fields = Vec::new();
                    for item in &field.selection_set.node.items {
                        let f = plain(item)?;
                        let k = super::plan::key(f);
                        if !leaf(f) || fields.iter().any(|(n, _)| *n == k) {
                            return None;
                        }
                        let which = match f.name.node.as_str() {
                            "hasNextPage" => PageField::HasNext,
                            "hasPreviousPage" => PageField::HasPrevious,
                            "startCursor" if root => PageField::StartCursor,
                            "endCursor" if root => PageField::EndCursor,
                            _ => return None,
                        };
                        fields.push((k, which));
                    }
                    conn.push(Conn::PageInfo { key, fields });
                }
                _ => return None,
            }
        }
        Some(conn)
    }

    /// The backend's JSON array of `items`.
    pub(super) fn array(&self, items: Vec<Expr>) -> Expr {
        let name = if self.backend == DbBackend::Postgres { "json_build_array" } else { "json_array" };
        Func::cust(name).args(items).into()
    }

    /// `query` (one JSON value) as a value inside a JSON array. SQLite hands a subquery's
    /// JSON over as text; `json()` makes it JSON again.
    fn embed(&self, query: SelectStatement) -> Expr {
        let value = Expr::SubQuery(None, Box::new(query.into()));
        if self.backend == DbBackend::Postgres { value } else { Func::cust("json").arg(value).into() }
    }
}
