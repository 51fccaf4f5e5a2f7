//! `dealsByStage` answered directly: the report's grouped statement with each group's
//! values as a JSON array.

use super::fields::{Kind, Ty};
use super::plan::{Obj, Out, P, Plan, Planner, Root, key, leaf, parse, plain};
use crate::auth::policy::{Rule, rule};
use crate::graphql::input::activity::DealFilter;
use crate::service::record::counted;
use async_graphql::parser::types::Field as Ast;
use entity::deal::{self, Column};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};

impl Planner<'_> {
    /// Deal count and amount per stage and currency, as `service::report::deals_by_stage`
    /// computes them (same conditions, groups and order).
    pub(super) fn deals_by_stage(&mut self, field: &Ast) -> P<Plan> {
        let args = self.args(field, &["filter"])?;
        let filter: Option<DealFilter> = parse(args.into_iter().next().map(|(_, v)| v))?;
        let viewer = self.viewer;
        let filter = filter.map(|f| f.condition(viewer)).transpose().ok()?;
        // Where the dashboard summaries answer, the resolver reads them (faster than this).
        let summed = crate::service::report::summary::scope(viewer, entity::summary::deal_total::Column::ScopeOwnerId);
        if filter.is_none() && self.summaries && summed.is_some() {
            return None;
        }
        let mut obj = Obj::default();
        let mut seen = Vec::new();
        for item in &field.selection_set.node.items {
            let f = plain(item)?;
            let key = key(f);
            if !leaf(f) || seen.contains(&key) {
                return None;
            }
            seen.push(key.clone());
            let (name, expr, kind): (&'static str, Expr, Kind) = match f.name.node.as_str() {
                "__typename" => {
                    obj.out.push(Out::Typename { key, name: "DealStageTotal" });
                    continue;
                }
                "stage" => ("stage", Expr::col((deal::Entity, Column::Stage)), Kind::Enum),
                "currency" => ("currency", Expr::col((deal::Entity, Column::Currency)), Kind::Text),
                "count" => ("count", Expr::col((deal::Entity, Column::Id)).count(), Kind::Int),
                "amount" => {
                    // Governed like `Deal.amount`, which cannot be masked.
                    if rule(viewer, "Deal", "amount") != Rule::Allow {
                        return None;
                    }
                    ("amount", crate::service::report::split_sum_text(), Kind::MoneySum)
                }
                _ => return None,
            };
            let at = match obj.names.iter().position(|n| *n == name) {
                Some(at) => at,
                None => obj.push(name, expr),
            };
            obj.out.push(Out::Value { key, at, kind, ty: Ty::Deal, mask: None, read: None });
        }
        let mut select = deal::Entity::find().filter(counted::<deal::Entity>(viewer, false));
        if let Some(filter) = filter {
            select = select.filter(filter);
        }
        let select = select
            .group_by(Column::Stage)
            .group_by(Column::Currency)
            .order_by_asc(Column::Stage)
            .order_by_asc(Column::Currency);
        let cols = std::mem::take(&mut obj.cols);
        let mut statement = self.root_statement(select.into_query(), cols, Vec::new(), u64::MAX);
        statement.reset_limit();
        Some(Plan { key: key(field), statement: Some(statement), root: Root::List(obj) })
    }
}
