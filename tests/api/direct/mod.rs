//! Direct reads (`graphql::direct`): a query the planner knows is answered by one
//! statement, and its answer is byte for byte the standard path's, for every role.
//!
//! Each query is written with `@D` on its root field: removed, the query may go direct;
//! replaced by `@include(if: true)` (a directive, which the planner leaves alone), the
//! same query takes the standard path. The answers must be equal as JSON. (Not as text:
//! the standard path writes a plain object's keys in the order its fields finish; the
//! direct path writes them in selection order, as the GraphQL spec asks.)
mod credentials;
mod fields;
mod prepared;
mod shapes;

use crate::helpers::TestApp;
use entity::enums::Role;
use serde_json::{Value, json};

/// The errors of a response as `(path, code, message)`, sorted (the standard path lists
/// them in the order its fields finish; `@D`'s replacement moves their locations).
pub fn errors(body: &Value) -> Vec<String> {
    let mut out: Vec<String> = body["errors"]
        .as_array()
        .map(|errors| {
            errors.iter().map(|e| format!("{} {} {}", e["path"], e["extensions"]["code"], e["message"])).collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Runs `query` both ways as `token`; returns the answer and whether it went direct.
pub async fn both_ways(app: &TestApp, token: &str, query: &str, variables: Value) -> (Value, bool) {
    both_ways_as(app, &format!("Bearer {token}"), query, variables).await
}

/// The body of `query` sent with the `Authorization` header `authorization`.
pub async fn text_as(app: &TestApp, authorization: &str, query: &str, variables: Value) -> String {
    let request = app.client.post(app.url("/graphql")).header("authorization", authorization);
    let request = request.json(&json!({ "query": query, "variables": variables }));
    request.send().await.unwrap().text().await.unwrap()
}

/// [`both_ways`] with any credential (API keys too).
pub async fn both_ways_as(app: &TestApp, authorization: &str, query: &str, variables: Value) -> (Value, bool) {
    let standard_query = query.replace("@D", "@include(if: true)");
    let direct_query = query.replace("@D", "");
    // The first run of a document is on the standard path, which validates it.
    text_as(app, authorization, &direct_query, variables.clone()).await;
    let before = app.direct_answers();
    let direct = text_as(app, authorization, &direct_query, variables.clone()).await;
    let went_direct = app.direct_answers() == before + 1;
    let standard = text_as(app, authorization, &standard_query, variables).await;
    assert_eq!(app.direct_answers(), before + u64::from(went_direct), "the directive keeps the standard path");
    let (direct, standard): (Value, Value) =
        (serde_json::from_str(&direct).unwrap(), serde_json::from_str(&standard).unwrap());
    assert_eq!(direct["data"], standard["data"], "direct and standard answers differ for {query}");
    assert_eq!(errors(&direct), errors(&standard), "direct and standard errors differ for {query}");
    assert_eq!(app.direct_failures(), 0, "a direct answer failed (see the log)");
    (direct, went_direct)
}

pub const EVERYTHING: &str = "query($first: Int, $after: String, $last: Int, $before: String) {
  customers(first: $first, after: $after, last: $last, before: $before) @D {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes {
      __typename id code kind name gender occupation companyName industry region companySize phone email
      preferredChannel potentialNeeds notes source marketingConsent lifecycleStage valueTier nextFollowUpAt
      lastInteractionAt version createdAt updatedAt deletedAt
      owner { id name email role active }
      contacts(first: 2) { pageInfo { hasNextPage hasPreviousPage } nodes {
        id name title decisionRole phone email isPrimary notes version createdAt } }
      openDeals: deals(first: 3, filter: {stage: {in: [LEAD, QUALIFIED, PROPOSAL, NEGOTIATION]}}) { nodes {
        id title stage currency probability expectedCloseDate closedAt owner { name } } }
      tickets(first: 3) { nodes { id code subject description category priority status openedAt
        firstResponseAt resolvedAt dueAt resolution assignee { name } contact { name } } }
      interactions(first: 2) { nodes { id channel occurredAt summary outcome nextStep nextFollowUpAt
        user { name } contact { name } deal { title } } }
      purchases(first: 2) { nodes { id product quantity currency purchasedAt deal { title } } }
      feedback(first: 2) { nodes { id kind sentiment content source receivedAt ticket { code } } }
      surveyResponses(first: 10) { nodes { id score submittedAt survey { id title kind status } ticket { code } } }
    }
  }
}";

/// Tokens for the demo's users by role.
pub async fn demo_tokens(app: &TestApp) -> Vec<(Role, String)> {
    clientele::seed::demo(&app.db).await.unwrap();
    let mut tokens = Vec::new();
    for (role, email) in [
        (Role::Admin, "admin@demo.clientele.dev"),
        (Role::Manager, "manager@demo.clientele.dev"),
        (Role::Sales, "sales1@demo.clientele.dev"),
        (Role::Service, "service@demo.clientele.dev"),
        (Role::Marketing, "marketing@demo.clientele.dev"),
        // ANALYST reads no customer records (reports only): nothing to answer both ways.
    ] {
        let user = clientele::service::user::find_by_email(&app.db, email).await.unwrap().unwrap();
        tokens.push((role, app.keys.issue(user.id, role.as_str(), chrono::Duration::hours(1)).unwrap()));
    }
    tokens
}
