//! The speed paths and their switch, `CLIENTELE_FAST_PATHS`.
//!
//! Each path answers exactly as the plain path does, only sooner; the plain path is the
//! definition. `all` (the default) turns every path on, `off` none, and a comma-separated
//! list names the ones to keep (`direct,plans`). `.ci/run` runs the HTTP suite once with
//! `off`, so the product is shown correct without any of them.

use std::fmt;

/// Which speed paths are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FastPaths {
    /// `direct`: a read whose every field maps to a column is answered by one SQL
    /// statement written straight into the body (`graphql::direct`).
    pub direct: bool,
    /// `plans`: direct plans kept per document, viewer and variable shape, reused with
    /// other IDs (`graphql::direct::prepared`). Needs `direct`.
    pub plans: bool,
    /// `guess`: a read starts as the viewer its credential resolved to last time, while the
    /// credential is checked (`auth::hints`); the direct statement confirms it itself.
    pub guess: bool,
    /// `gate`: a `create<Type>` starts as the guessed viewer, its audit row confirming the
    /// credential before it commits (`auth::gate`). Needs `guess`.
    pub gate: bool,
    /// `tokens`: a token verified before is only checked against the clock again
    /// (`auth::jwt`).
    pub tokens: bool,
    /// `documents`: parsed documents kept per query text (`engine::documents`).
    pub documents: bool,
    /// `verdicts`: the limits check and the cost of a document kept per query text
    /// (`graphql::verdicts`).
    pub verdicts: bool,
    /// `summaries`: `dealsByStage` and `salesByPeriod` read the dashboard summaries kept
    /// current by every write (`service::report::summary`) instead of grouping the records.
    pub summaries: bool,
}

/// Every path's name, in the order of the fields.
pub const NAMES: [&str; 8] = ["direct", "plans", "guess", "gate", "tokens", "documents", "verdicts", "summaries"];

impl FastPaths {
    /// Every path on.
    pub const ALL: Self = Self {
        direct: true,
        plans: true,
        guess: true,
        gate: true,
        tokens: true,
        documents: true,
        verdicts: true,
        summaries: true,
    };

    /// Every path off: only the plain path.
    pub const OFF: Self = Self {
        direct: false,
        plans: false,
        guess: false,
        gate: false,
        tokens: false,
        documents: false,
        verdicts: false,
        summaries: false,
    };

    /// Reads `all`, `off` or a comma-separated list of [`NAMES`].
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "all" | "on" => return Ok(Self::ALL),
            "off" | "none" => return Ok(Self::OFF),
            _ => {}
        }
        let mut paths = Self::OFF;
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            *paths.slot(name).ok_or_else(|| format!("`{name}` is not one of all, off, {}", NAMES.join(", ")))? = true;
        }
        Ok(paths)
    }

    fn slot(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name.to_ascii_lowercase().as_str() {
            "direct" => &mut self.direct,
            "plans" => &mut self.plans,
            "guess" => &mut self.guess,
            "gate" => &mut self.gate,
            "tokens" => &mut self.tokens,
            "documents" => &mut self.documents,
            "verdicts" => &mut self.verdicts,
            "summaries" => &mut self.summaries,
            _ => return None,
        })
    }

    fn flags(self) -> [bool; 8] {
        [self.direct, self.plans, self.guess, self.gate, self.tokens, self.documents, self.verdicts, self.summaries]
    }
}

impl Default for FastPaths {
    fn default() -> Self {
        Self::ALL
    }
}

impl fmt::Display for FastPaths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let on: Vec<&str> = NAMES.iter().zip(self.flags()).filter(|(_, on)| *on).map(|(name, _)| *name).collect();
        if on.is_empty() { f.write_str("off") } else { f.write_str(&on.join(",")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_all_off_and_lists() {
        assert_eq!(FastPaths::parse("all"), Ok(FastPaths::ALL));
        assert_eq!(FastPaths::parse(" OFF "), Ok(FastPaths::OFF));
        let some = FastPaths::parse("direct, plans").unwrap();
        assert!(some.direct && some.plans && !some.guess && !some.tokens);
        assert_eq!(some.to_string(), "direct,plans");
        assert_eq!(FastPaths::ALL.to_string(), NAMES.join(","));
        assert_eq!(FastPaths::OFF.to_string(), "off");
        assert!(FastPaths::parse("direct,warp").unwrap_err().contains("`warp`"));
        for name in NAMES {
            assert_eq!(FastPaths::parse(name).unwrap().to_string(), name);
        }
    }
}
