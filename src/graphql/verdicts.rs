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
    kept: Mutex<LruCache<String, (Option<String>, Verdict)>>,
}

impl Default for Verdicts {
    fn default() -> Self {
        Self { kept: Mutex::new(LruCache::new(NonZeroUsize::MIN.saturating_add(1023))) }
    }
}

impl Verdicts {
    /// The verdict on `query` (its `operation`) with `variables` under `limits`.
    pub fn judge(&self, limits: &Limits, query: &str, operation: Option<&str>, variables: &Variables) -> Verdict {
        if let Ok(mut kept) = self.kept.lock()
            && let Some((op, verdict)) = kept.get(query)
            && op.as_deref() == operation
        {
            return verdict.clone();
        }
        let Ok(document) = super::documents::parse(query) else {
            // A document that does not parse costs little; execution reports its error.
            return Verdict::Cost(1);
        };
        let verdict = match limits.check(&document, variables, operation) {
            Ok(()) => Verdict::Cost(super::cost::estimate(&document, operation, variables)),
            Err(refusal) => Verdict::Refused(refusal),
        };
        if !pages_by_variable(&document)
            && let Ok(mut kept) = self.kept.lock()
        {
            kept.put(query.to_string(), (operation.map(str::to_string), verdict.clone()));
        }
        verdict
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
        let verdicts = Verdicts::default();
        let limits = Limits::default();
        let vars = Variables::default();
        let fixed = "{ customers(first: 50) { nodes { id name } } }";
        assert!(matches!(verdicts.judge(&limits, fixed, None, &vars), Verdict::Cost(151)));
        assert!(verdicts.kept.lock().unwrap().contains(fixed));
        let paged = "query($n: Int) { customers(first: $n) { nodes { id } } }";
        let big = Variables::from_json(serde_json::json!({ "n": 101 }));
        assert!(matches!(verdicts.judge(&limits, paged, None, &big), Verdict::Refused(_)));
        assert!(!verdicts.kept.lock().unwrap().contains(paged));
        let small = Variables::from_json(serde_json::json!({ "n": 10 }));
        assert!(matches!(verdicts.judge(&limits, paged, None, &small), Verdict::Cost(_)));
        // Another operation of a kept document is judged afresh.
        let two = "query A { viewer { id } } query B { viewer { id } }";
        verdicts.judge(&limits, two, Some("A"), &vars);
        assert!(matches!(verdicts.judge(&limits, two, Some("B"), &vars), Verdict::Cost(_)));
    }
}
