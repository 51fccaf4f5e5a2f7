//! The document checks' verdict — `Limits::check` and the request's cost — kept per query
//! text, so a document a client sends again is walked once, not on every request.
//!
//! Why: those walks look every field up in the schema's registry; on a one-customer read
//! they were about a tenth of the request's instructions (callgrind). Only verdicts no
//! variable can change are kept: a document whose `first` / `last` is a variable is
//! judged on each request (its page-size limit and its cost depend on the value).

use super::limits::Limits;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, Variables};
use async_graphql_value::Value;
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::Mutex;

/// What the checks said of a document.
#[derive(Clone, Debug)]
pub enum Verdict {
    /// Within the limits, at this cost.
    Cost(u64),
    /// Refused, with this error.
    Refused(ServerError),
}

/// Verdicts kept per query text (and operation name), for one server's limits.
pub struct Verdicts {
    /// The schema's field-depth and complexity limits (see `cost::measure`).
    depth: usize,
    complexity: usize,
    /// Off (`CLIENTELE_FAST_PATHS` without `verdicts`): every request is judged afresh.
    keep: bool,
    kept: Mutex<LruCache<String, (Option<String>, Verdict)>>,
}

impl Verdicts {
    /// Verdicts under the schema's `depth` and `complexity` limits, kept when `keep`.
    pub fn new(depth: usize, complexity: usize, keep: bool) -> Self {
        Self { depth, complexity, keep, kept: Mutex::new(LruCache::new(NonZeroUsize::MIN.saturating_add(1023))) }
    }

    /// The verdict on `document` (the text `query`, its `operation`) with `variables`
    /// under `limits`.
    pub fn judge(
        &self,
        limits: &Limits,
        query: &str,
        document: &ExecutableDocument,
        operation: Option<&str>,
        variables: &Variables,
    ) -> Verdict {
        if self.keep
            && let Ok(mut kept) = self.kept.lock()
            && let Some((op, verdict)) = kept.get(query)
            && op.as_deref() == operation
        {
            return verdict.clone();
        }
        let verdict = match self.check(limits, document, operation, variables) {
            Ok(()) => Verdict::Cost(super::cost::estimate(document, operation, variables)),
            Err(refusal) => Verdict::Refused(refusal),
        };
        if self.keep
            && !pages_by_variable(document)
            && let Ok(mut kept) = self.kept.lock()
        {
            kept.put(query.to_string(), (operation.map(str::to_string), verdict.clone()));
        }
        verdict
    }

    /// The document limits, then the schema's depth and complexity limits.
    fn check(
        &self,
        limits: &Limits,
        document: &ExecutableDocument,
        operation: Option<&str>,
        variables: &Variables,
    ) -> Result<(), ServerError> {
        limits.check(document, variables, operation)?;
        let measure = super::cost::measure(document, variables);
        if measure.depth > self.depth {
            return Err(super::limits::too_complex(format!(
                "fields nested {} deep; at most {} levels are allowed",
                measure.depth, self.depth
            )));
        }
        if measure.complexity > self.complexity {
            return Err(super::limits::too_complex(format!(
                "complexity {}; at most {} is allowed (a list counts its page size times its fields)",
                measure.complexity, self.complexity
            )));
        }
        Ok(())
    }
}

/// True when some `first` / `last` argument is a variable.
fn pages_by_variable(document: &ExecutableDocument) -> bool {
    let mut sets: Vec<&SelectionSet> = document.operations.iter().map(|(_, op)| &op.node.selection_set.node).collect();
    sets.extend(document.fragments.values().map(|f| &f.node.selection_set.node));
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let paged = field.node.arguments.iter().any(|(name, value)| {
                        matches!(name.node.as_str(), "first" | "last") && matches!(value.node, Value::Variable(_))
                    });
                    if paged {
                        return true;
                    }
                    sets.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => sets.push(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_are_kept_unless_a_variable_pages() {
        let verdicts = Verdicts::new(15, 20_000, true);
        let limits = Limits::default();
        let vars = Variables::default();
        let judge = |query: &str, op: Option<&str>, vars: &Variables| {
            let document = async_graphql::parser::parse_query(query).unwrap();
            verdicts.judge(&limits, query, &document, op, vars)
        };
        let fixed = "{ customers(first: 50) { nodes { id name } } }";
        assert!(matches!(judge(fixed, None, &vars), Verdict::Cost(151)));
        assert!(verdicts.kept.lock().unwrap().contains(fixed));
        let paged = "query($n: Int) { customers(first: $n) { nodes { id } } }";
        let big = Variables::from_json(serde_json::json!({ "n": 101 }));
        assert!(matches!(judge(paged, None, &big), Verdict::Refused(_)));
        assert!(!verdicts.kept.lock().unwrap().contains(paged));
        let small = Variables::from_json(serde_json::json!({ "n": 10 }));
        assert!(matches!(judge(paged, None, &small), Verdict::Cost(_)));
        // Another operation of a kept document is judged afresh.
        let two = "query A { viewer { id } } query B { viewer { id } }";
        judge(two, Some("A"), &vars);
        assert!(matches!(judge(two, Some("B"), &vars), Verdict::Cost(_)));
    }

    #[test]
    fn the_schemas_depth_and_complexity_limits_are_refused_with_a_code() {
        let verdicts = Verdicts::new(3, 100, false);
        let limits = Limits::default();
        let judge = |query: &str| {
            let document = async_graphql::parser::parse_query(query).unwrap();
            verdicts.judge(&limits, query, &document, None, &Variables::default())
        };
        assert!(matches!(judge("{ customers(first: 10) { nodes { id } } }"), Verdict::Cost(_)));
        for refused in
            ["{ customers(first: 10) { nodes { owner { id } } } }", "{ customers(first: 50) { nodes { id name } } }"]
        {
            let Verdict::Refused(error) = judge(refused) else { panic!("{refused} passed") };
            let code = error.extensions.as_ref().and_then(|e| e.get("code")).cloned();
            assert_eq!(code, Some(async_graphql::Value::from("QUERY_TOO_COMPLEX")), "{refused}");
        }
        assert!(verdicts.kept.lock().unwrap().is_empty());
    }
}
