//! The results: one cell per system × query × viewer × connections, printed as a table
//! with Clientele's ratios to the floor and the targets, and written as JSON for tracking.

use crate::load::Measured;
use crate::queries::{QUERIES, Query};
use serde_json::{Value, json};

/// One measured run.
pub struct Cell {
    pub system: &'static str,
    pub query: Query,
    pub role: &'static str,
    pub connections: u32,
    pub measured: Measured,
    /// Server CPU (user + system) per request.
    pub cpu_ms: f64,
    /// CPU of all PostgreSQL processes per request.
    pub db_cpu_ms: f64,
    /// SQL statements per request (from `/metrics`; the floor sends one by construction).
    pub statements: f64,
    /// Peak resident memory during the run.
    pub peak_rss_mib: f64,
}

impl Cell {
    fn json(&self) -> Value {
        let m = &self.measured;
        json!({
            "system": self.system, "query": self.query.name(), "role": self.role, "connections": self.connections,
            "requests": m.requests, "rps": round(m.rps()), "p50_ms": round(m.p50_us / 1000.0),
            "p99_ms": round(m.p99_us / 1000.0), "cpu_ms_per_request": round(self.cpu_ms),
            "db_cpu_ms_per_request": round(self.db_cpu_ms), "statements_per_request": round(self.statements),
            "peak_rss_mib": round(self.peak_rss_mib),
        })
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The whole run.
pub struct Report {
    pub scale: f64,
    pub seconds: u64,
    pub idle_rss_mib: f64,
    /// Wall time of `clientele reclassify` over the whole database.
    pub extras: crate::extras::Extras,
    pub cells: Vec<Cell>,
}

/// The share of the floor's requests/s each query must reach at 8 connections. D1's floor
/// is the grouped statement `dealsByStage` ran before the dashboard summaries: an admin's
/// pipeline is to come at least three times as fast from them.
fn throughput_target(query: Query, role: &str) -> f64 {
    match query {
        Query::Q4 => 0.8,
        Query::Q5 => 0.5,
        Query::D1 if role == "ADMIN" => 3.0,
        Query::D1 | Query::R1 | Query::R2 | Query::R3 => 0.7,
        _ => 0.6,
    }
}

impl Report {
    fn find(&self, system: &str, query: Query, role: &str, connections: u32) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.system == system && c.query == query && c.role == role && c.connections == connections)
    }

    /// Each target with its reading and whether it holds.
    pub fn targets(&self) -> Vec<(String, String, bool)> {
        let mut out = Vec::new();
        for query in QUERIES {
            for role in ["ADMIN", "SALES"] {
                let pair = |n| Some((self.find("clientele", query, role, n)?, self.find("floor", query, role, n)?));
                if let Some((c, f)) = pair(8) {
                    let ratio = c.measured.rps() / f.measured.rps().max(1e-9);
                    let want = throughput_target(query, role);
                    out.push((
                        format!("{} {role} req/s ≥ {:.0} % of floor (8 conn)", query.name(), want * 100.0),
                        format!("{:.0} %", ratio * 100.0),
                        ratio >= want,
                    ));
                    if query == Query::Q1 {
                        out.push((
                            format!("Q1 {role} server CPU ≤ 2 ms/request"),
                            format!("{:.2} ms", c.cpu_ms),
                            c.cpu_ms <= 2.0,
                        ));
                        out.push((
                            format!("Q1 {role} peak RSS < 200 MiB"),
                            format!("{:.0} MiB", c.peak_rss_mib),
                            c.peak_rss_mib < 200.0,
                        ));
                    }
                }
                if let Some((c, f)) = pair(1) {
                    let ratio = c.measured.p50_us / f.measured.p50_us.max(1e-9);
                    out.push((
                        format!("{} {role} p50 ≤ 3× floor (1 conn)", query.name()),
                        format!("{ratio:.2}×"),
                        ratio <= 3.0,
                    ));
                }
            }
        }
        out.push(("idle RSS < 60 MiB".into(), format!("{:.0} MiB", self.idle_rss_mib), self.idle_rss_mib < 60.0));
        let e = &self.extras;
        let seconds = e.reclassify_seconds;
        out.push(("reclassify every customer < 10 s".into(), format!("{seconds:.1} s"), seconds < 10.0));
        let seconds = e.duplicates_seconds;
        out.push(("duplicateCandidates over every customer < 10 s".into(), format!("{seconds:.1} s"), seconds < 10.0));
        let ms = e.custom_field_p50_ms;
        out.push(("customField filter p50 < 50 ms".into(), format!("{ms:.1} ms"), ms < 50.0));
        out
    }

    /// The table for a terminal (and the README).
    pub fn table(&self) -> String {
        let mut out = format!(
            "scale {} · {} s per run · Clientele (C) beside the one-SQL floor (F)\n\n\
             | query | viewer | conn | C req/s | F req/s | C/F | C p50 ms | F p50 ms | C p99 ms | F p99 ms | C CPU ms/req | F CPU ms/req | C DB CPU ms/req | F DB CPU ms/req | C SQL/req | C peak RSS MiB |\n\
             |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
            self.scale, self.seconds
        );
        for query in QUERIES {
            for role in ["ADMIN", "SALES"] {
                for n in [1, 8] {
                    let (Some(c), Some(f)) =
                        (self.find("clientele", query, role, n), self.find("floor", query, role, n))
                    else {
                        continue;
                    };
                    let (cm, fm) = (&c.measured, &f.measured);
                    out.push_str(&format!(
                        "| {} | {role} | {n} | {:.0} | {:.0} | {:.0} % | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} | {:.0} |\n",
                        query.name(), cm.rps(), fm.rps(), 100.0 * cm.rps() / fm.rps().max(1e-9),
                        cm.p50_us / 1000.0, fm.p50_us / 1000.0, cm.p99_us / 1000.0, fm.p99_us / 1000.0,
                        c.cpu_ms, f.cpu_ms, c.db_cpu_ms, f.db_cpu_ms, c.statements, c.peak_rss_mib,
                    ));
                }
            }
        }
        out.push_str(&format!("\nidle RSS: {:.0} MiB\n\n", self.idle_rss_mib));
        for query in QUERIES {
            out.push_str(&format!("- {}: {}\n", query.name(), query.summary()));
        }
        out.push_str("\n| target | reading | holds |\n|---|---:|---|\n");
        for (target, reading, holds) in self.targets() {
            out.push_str(&format!("| {target} | {reading} | {} |\n", if holds { "yes" } else { "**no**" }));
        }
        out
    }

    /// The run as JSON.
    pub fn json(&self) -> Value {
        json!({
            "scale": self.scale,
            "seconds_per_run": self.seconds,
            "idle_rss_mib": round(self.idle_rss_mib),
            "reclassify_seconds": round(self.extras.reclassify_seconds),
            "duplicates_seconds": round(self.extras.duplicates_seconds),
            "duplicate_clusters": self.extras.duplicate_clusters,
            "custom_field_p50_ms": round(self.extras.custom_field_p50_ms),
            "cells": self.cells.iter().map(Cell::json).collect::<Vec<_>>(),
            "targets": self.targets().into_iter()
                .map(|(target, reading, holds)| json!({"target": target, "reading": reading, "holds": holds}))
                .collect::<Vec<_>>(),
        })
    }
}
