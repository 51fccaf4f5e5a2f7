//! The five workload queries as GraphQL documents, and the seeded request lists that
//! both Clientele and the floor replay (the same sequence on every run).

use crate::setup::World;
use clientele::graphql::relay::global_id;
use serde_json::{Value, json};

/// The queries of the workload, in report order: five record queries, then the reports.
pub const QUERIES: [Query; 9] =
    [Query::Q1, Query::Q2, Query::Q3, Query::Q4, Query::Q5, Query::D1, Query::R1, Query::R2, Query::R3];

/// Request bodies per query and role, cycled through by the load generator.
pub const SAMPLES: usize = 256;

/// One of the workload's queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Query {
    Q1,
    Q2,
    Q3,
    Q4,
    Q5,
    D1,
    R1,
    R2,
    R3,
}

impl Query {
    /// `Q1` … `Q5`.
    pub fn name(self) -> &'static str {
        match self {
            Query::Q1 => "Q1",
            Query::Q2 => "Q2",
            Query::Q3 => "Q3",
            Query::Q4 => "Q4",
            Query::Q5 => "Q5",
            Query::D1 => "D1",
            Query::R1 => "R1",
            Query::R2 => "R2",
            Query::R3 => "R3",
        }
    }

    /// What the query does, for the report.
    pub fn summary(self) -> &'static str {
        match self {
            Query::Q1 => "page of 50 customers + owner, contacts, open deals, last 3 tickets",
            Query::Q2 => "one customer + contacts, open deals, last 3 tickets, responses + survey",
            Query::Q3 => "one owner's customers with one tag, by name, 50, contacts' emails",
            Query::Q4 => "deal count and amount by stage for one owner",
            Query::Q5 => "create an interaction and return it",
            Query::D1 => "the whole pipeline: deal count and amount by stage (the dashboard)",
            Query::R1 => "sales by month and owner over 12 months",
            Query::R2 => "service time percentiles (p50, p90) per priority over 12 months",
            Query::R3 => "NPS by customer value tier",
        }
    }

    fn document(self) -> &'static str {
        match self {
            Query::Q1 => Q1,
            Query::Q2 => Q2,
            Query::Q3 => Q3,
            Query::Q4 => Q4,
            Query::Q5 => Q5,
            Query::D1 => D1,
            Query::R1 => R1,
            Query::R2 => R2,
            Query::R3 => R3,
        }
    }
}

const Q1: &str = "query Q1($after: String) {
  customers(first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id code name phone email lifecycleStage
      owner { id name email }
      contacts(first: 20) { nodes { id name phone email isPrimary } }
      deals(first: 20, filter: {stage: {in: [LEAD, QUALIFIED, PROPOSAL, NEGOTIATION]}}) {
        nodes { id title stage amount currency }
      }
      tickets(first: 3) { nodes { id code subject status priority } }
    }
  }
}";

const Q2: &str = "query Q2($id: ID!) {
  customer(id: $id) {
    id code name phone email lifecycleStage
    contacts(first: 20) { nodes { id name phone email isPrimary } }
    deals(first: 20, filter: {stage: {in: [LEAD, QUALIFIED, PROPOSAL, NEGOTIATION]}}) {
      nodes { id title stage amount currency }
    }
    tickets(first: 3) { nodes { id code subject status priority } }
    surveyResponses(first: 10) { nodes { id score survey { id title } } }
  }
}";

const Q3: &str = "query Q3($owner: ID!, $tag: ID!) {
  customers(first: 50, filter: {ownerId: {eq: $owner}, hasTag: {id: {eq: $tag}}}, orderBy: [{field: NAME}]) {
    nodes { id name contacts(first: 20) { nodes { email } } }
  }
}";

const Q4: &str = "query Q4($owner: ID!) {
  dealsByStage(filter: {ownerId: {eq: $owner}}) { stage currency count amount }
}";

const Q5: &str = "mutation Q5($input: CreateInteractionInput!) {
  createInteraction(input: $input) {
    interaction { id channel summary }
    userErrors { field message code }
  }
}";

const D1: &str = "query D1 { dealsByStage { stage currency count amount } }";

const R1: &str = "query R1($from: Date!, $to: Date!) {
  salesByPeriod(period: MONTH, from: $from, to: $to, by: OWNER) { period owner { id } currency count amount }
}";

const R2: &str = "query R2($from: DateTime!, $to: DateTime!) {
  serviceTimes(by: PRIORITY, from: $from, to: $to) {
    priority opened resolved firstResponseP50 firstResponseP90 resolutionP50 resolutionP90 breached breachRate
  }
}";

const R3: &str = "query R3($survey: ID!) { satisfactionByValueTier(surveyId: $survey) { valueTier responses score } }";

/// One request as both servers take it: a GraphQL body and the floor's parameters.
pub struct Sample {
    pub graphql: String,
    pub floor: String,
}

/// The request lists of `query` for a viewer; `owner` is the row scope of a sales rep
/// (`None` for an admin, who sees every customer).
pub fn samples(query: Query, world: &World, owner: Option<uuid::Uuid>, seed: u64) -> Vec<Sample> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let customers: Vec<_> = world.customers.iter().filter(|c| owner.is_none_or(|o| c.owner == o)).collect();
    let scope = owner.map(|o| o.to_string());
    (0..SAMPLES)
        .map(|_| {
            let (variables, params) = match query {
                Query::Q1 => {
                    let starts = world.starts(owner);
                    let (c, cursor) = &starts[rng.usize(..starts.len())];
                    (json!({"after": cursor}), vec![Some(c.created_at.clone()), Some(c.id.to_string()), scope.clone()])
                }
                Query::Q2 => {
                    let c = customers[rng.usize(..customers.len())];
                    (json!({"id": global_id("Customer", c.id)}), vec![Some(c.id.to_string()), scope.clone()])
                }
                Query::Q3 => {
                    let rep = owner.unwrap_or_else(|| world.reps[rng.usize(..world.reps.len())]);
                    let tag = world.tags[rng.usize(..world.tags.len())];
                    (
                        json!({"owner": global_id("User", rep), "tag": global_id("Tag", tag)}),
                        vec![Some(rep.to_string()), Some(tag.to_string()), scope.clone()],
                    )
                }
                Query::Q4 => {
                    let rep = owner.unwrap_or_else(|| world.reps[rng.usize(..world.reps.len())]);
                    (json!({"owner": global_id("User", rep)}), vec![Some(rep.to_string()), scope.clone()])
                }
                Query::D1 => (json!({}), vec![scope.clone()]),
                Query::R1 => {
                    let (from, to) = world.twelve_months();
                    (json!({"from": from, "to": to}), vec![Some(from), Some(to), scope.clone()])
                }
                Query::R2 => {
                    let (from, to) = world.last_year();
                    (json!({"from": from, "to": to}), vec![Some(from), Some(to), scope.clone()])
                }
                Query::R3 => (
                    json!({"survey": global_id("Survey", world.survey)}),
                    vec![Some(world.survey.to_string()), scope.clone()],
                ),
                Query::Q5 => {
                    let c = customers[rng.usize(..customers.len())];
                    let channel = ["PHONE", "EMAIL", "MEETING", "CHAT", "VISIT"][rng.usize(..5)];
                    let summary = format!("Benchmark call #{}: discussed renewal terms", rng.u32(..1_000_000));
                    (
                        json!({"input": {"customerId": global_id("Customer", c.id), "channel": channel, "summary": summary}}),
                        vec![Some(c.id.to_string()), scope.clone(), Some(world.viewer_id(owner).to_string()),
                             Some(channel.to_string()), Some(summary)],
                    )
                }
            };
            Sample {
                graphql: json!({"query": query.document(), "variables": variables}).to_string(),
                floor: Value::from(params).to_string(),
            }
        })
        .collect()
}

/// A response's `data`, made comparable: cursors are opaque and created ids are new on
/// every write, so those are dropped; numbers compare by value (`1.0` = `1`).
pub fn comparable(query: Query, mut body: Value) -> Value {
    fn strip(value: &mut Value, keys: &[&str]) {
        match value {
            Value::Object(map) => {
                map.retain(|k, _| !keys.contains(&k.as_str()));
                map.values_mut().for_each(|v| strip(v, keys));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| strip(v, keys)),
            Value::Number(n) => *value = n.as_f64().map_or(Value::Null, Value::from),
            _ => {}
        }
    }
    let keys: &[&str] = if query == Query::Q5 { &["endCursor", "id"] } else { &["endCursor"] };
    strip(&mut body, keys);
    body
}
