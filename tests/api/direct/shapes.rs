//! Every supported shape answered both ways, for every role; what goes the standard way.

use super::{EVERYTHING, both_ways, demo_tokens};
use crate::helpers::spawn_fast_app;
use entity::enums::Role;
use serde_json::{Value, json};

#[tokio::test]
async fn pages_of_customers_with_every_relation_are_the_same_both_ways_for_every_role() {
    let app = spawn_fast_app().await;
    for (role, token) in demo_tokens(&app).await {
        // Forward, three pages deep.
        let mut after = Value::Null;
        for _ in 0..3 {
            let (body, direct) = both_ways(&app, &token, EVERYTHING, json!({ "first": 7, "after": after })).await;
            // Marketing and analysts may not read customer notes: FORBIDDEN errors, which
            // only the standard path writes.
            assert_eq!(direct, !matches!(role, Role::Marketing | Role::Analyst), "{role:?}: {body}");
            let page = &body["data"]["customers"];
            assert!(!page["nodes"].as_array().unwrap().is_empty(), "{role:?}: {body}");
            after = page["pageInfo"]["endCursor"].clone();
        }
        // Backward from there.
        let (body, _) = both_ways(&app, &token, EVERYTHING, json!({ "last": 4, "before": after })).await;
        assert_eq!(body["data"]["customers"]["pageInfo"]["hasPreviousPage"], true, "{role:?}: {body}");
        both_ways(&app, &token, EVERYTHING, json!({ "last": 3 })).await;
    }
}

#[tokio::test]
async fn masked_values_are_masked_and_denied_fields_take_the_standard_path() {
    let app = spawn_fast_app().await;
    let tokens = demo_tokens(&app).await;
    let token = |role| tokens.iter().find(|(r, _)| *r == role).map(|(_, t)| t.clone()).unwrap();
    let query = "{ customers(first: 5) @D { nodes { name phone email contacts { nodes { name phone email } } } } }";
    let (body, direct) = both_ways(&app, &token(Role::Marketing), query, json!({})).await;
    assert!(direct, "{body}");
    let shown = body["data"]["customers"]["nodes"].to_string();
    assert!(shown.contains("****") || shown.contains("***@"), "masked for marketing: {shown}");

    // SERVICE may not read deal amounts: FORBIDDEN at the field, as the standard path says.
    let query = "{ customers(first: 3) @D { nodes { deals(first: 2) { nodes { title amount } } } } }";
    let (body, direct) = both_ways(&app, &token(Role::Service), query, json!({})).await;
    assert!(!direct);
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{body}");
    let (body, direct) = both_ways(&app, &token(Role::Admin), query, json!({})).await;
    assert!(direct && body["errors"].is_null(), "{body}");
}

#[tokio::test]
async fn one_customer_with_five_lists_is_one_statement() {
    let app = spawn_fast_app().await;
    let tokens = demo_tokens(&app).await;
    let (_, admin) = &tokens[0];
    let query = "query($id: ID!) { customer(id: $id) @D {
        id code name phone email lifecycleStage
        contacts(first: 20) { nodes { id name phone email isPrimary } }
        deals(first: 20, filter: {stage: {in: [LEAD, QUALIFIED, PROPOSAL, NEGOTIATION]}}) {
          nodes { id title stage amount currency } }
        tickets(first: 3) { nodes { id code subject status priority } }
        surveyResponses(first: 10) { nodes { id score survey { id title } } } } }";
    let page = app.gql(admin, "{ customers(first: 40) { nodes { id } } }", json!({})).await;
    let ids: Vec<Value> =
        page["data"]["customers"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()).collect();
    for id in &ids {
        let (body, direct) = both_ways(&app, admin, query, json!({ "id": id })).await;
        assert!(direct && body["data"]["customer"]["id"] == *id, "{body}");
    }
    let before = app.statements();
    app.gql(admin, &query.replace("@D", ""), json!({ "id": ids[0] })).await;
    // One statement: the answer, with the credential's user record read inside it.
    assert_eq!(app.statements() - before, 1);

    // A rep sees only its own customers; an ID of another type or of nothing is null.
    for (role, token) in &tokens {
        for id in ids.iter().take(10) {
            let (_, direct) = both_ways(&app, token, query, json!({ "id": id })).await;
            // Service and marketing may not read deal amounts (FORBIDDEN errors).
            assert_eq!(direct, !matches!(role, Role::Service | Role::Marketing), "{role:?}");
        }
    }
    let contact =
        app.gql(admin, "{ customers(first: 1) { nodes { contacts(first: 1) { nodes { id } } } } }", json!({})).await;
    let contact = contact["data"]["customers"]["nodes"][0]["contacts"]["nodes"][0]["id"].clone();
    for id in [contact, json!("nonsense"), json!(clientele::graphql::relay::global_id("Customer", uuid::Uuid::nil()).0)]
    {
        let (body, direct) = both_ways(&app, admin, query, json!({ "id": id })).await;
        assert!(direct && body["data"]["customer"].is_null(), "{body}");
    }
}

#[tokio::test]
async fn filters_orders_search_and_aliases_are_the_same_both_ways() {
    let app = spawn_fast_app().await;
    let tokens = demo_tokens(&app).await;
    let (_, admin) = &tokens[0];
    let found = app.gql(admin, "{ customers(first: 30) { nodes { owner { id } tags { id } } } }", json!({})).await;
    let nodes = found["data"]["customers"]["nodes"].as_array().unwrap();
    let tagged = nodes.iter().find(|n| !n["tags"].as_array().unwrap().is_empty()).unwrap();
    let (owner, tag) = (tagged["owner"]["id"].clone(), tagged["tags"][0]["id"].clone());
    let q3 = "query($owner: ID!, $tag: ID!) {
      customers(first: 50, filter: {ownerId: {eq: $owner}, hasTag: {id: {eq: $tag}}}, orderBy: [{field: NAME}]) @D {
        nodes { id name contacts(first: 20) { nodes { email } } } } }";
    for (role, token) in &tokens {
        let (body, direct) = both_ways(&app, token, q3, json!({ "owner": owner, "tag": tag })).await;
        // Ordering by a name the role sees masked is refused (FORBIDDEN).
        assert_eq!(direct, !matches!(role, Role::Marketing | Role::Analyst), "{role:?}");
        if *role == Role::Admin {
            assert!(!body["data"]["customers"]["nodes"].as_array().unwrap().is_empty(), "{body}");
        }
    }
    let q4 = "query($owner: ID!) { dealsByStage(filter: {ownerId: {eq: $owner}}) @D { stage currency count amount } }";
    for (role, token) in &tokens {
        let (body, direct) = both_ways(&app, token, q4, json!({ "owner": owner })).await;
        // Service and marketing may not read deal amounts (FORBIDDEN errors).
        assert_eq!(direct, !matches!(role, Role::Service | Role::Marketing), "{role:?}");
        if *role == Role::Admin {
            assert!(!body["data"]["dealsByStage"].as_array().unwrap().is_empty(), "{body}");
        }
        let (_, direct) =
            both_ways(&app, token, "{ all: dealsByStage @D { n: count stage __typename } }", json!({})).await;
        // Unfiltered, the dashboard summaries answer (the resolver), except where the row
        // scope is not one of owners (marketing sees customers by consent).
        assert_eq!(direct, *role == Role::Marketing, "{role:?}");
    }
    let queries = [
        "{ customers(first: 10, orderBy: [{field: NAME, direction: DESC}], search: \"科技\") @D {
            nodes { name companyName } pageInfo { endCursor } } }",
        "{ list: customers(first: 5, filter: {lifecycleStage: {in: [NEW, ESTABLISHED]}}) @D {
            info: pageInfo { more: hasNextPage } items: nodes { kind: __typename key: id who: owner { n: name }
            d: deals(first: 5, orderBy: [{field: AMOUNT, direction: DESC}]) { nodes { title stage } } } } }",
        "{ customers(first: 0) @D { pageInfo { hasNextPage startCursor endCursor } nodes { id } } }",
        "{ customers @D { nodes { code contacts(first: 1) { pageInfo { hasNextPage } } } } }",
    ];
    for query in queries {
        let (body, direct) = both_ways(&app, admin, query, json!({})).await;
        assert!(direct && body["errors"].is_null(), "{query}: {body}");
    }
}

#[tokio::test]
async fn what_the_planner_does_not_know_takes_the_standard_path() {
    let app = spawn_fast_app().await;
    let tokens = demo_tokens(&app).await;
    let (_, admin) = &tokens[0];
    let queries = [
        // Fragments, totalCount, computed fields, nested cursors, a second root field.
        "fragment F on Customer { name } { customers(first: 3) @D { nodes { ...F } } }",
        "{ customers(first: 3) @D { totalCount nodes { name } } }",
        "{ customers(first: 3) @D { nodes { needsFollowUp tags { name } address } } }",
        "{ customers(first: 3) @D { nodes { contacts(first: 1) { pageInfo { endCursor } } } } }",
        "{ customers(first: 3) @D { nodes { name } } viewer { name } }",
        // Errors: a page too large, a bad cursor.
        "{ customers(first: 500) @D { nodes { name } } }",
        "{ customers(first: 3, after: \"garbage\") @D { nodes { name } } }",
    ];
    for query in queries {
        let (_, direct) = both_ways(&app, admin, query, json!({})).await;
        assert!(!direct, "{query}");
    }
    // A wrongly typed variable is the standard path's error, every time.
    let query = "query($n: Int) { customers(first: $n) @D { nodes { name } } }";
    let (body, direct) = both_ways(&app, admin, query, json!({ "n": "three" })).await;
    assert!(!direct && body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", "{body}");
}

#[tokio::test]
async fn the_complexity_limit_holds_whatever_the_variables() {
    let app =
        crate::helpers::spawn_app_with(&[("CLIENTELE_QUERY_COMPLEXITY_LIMIT", "300"), ("CLIENTELE_FAST_PATHS", "all")])
            .await;
    for i in 0..3 {
        app.create_customer(&app.admin_token, json!({ "name": format!("Company {i}") })).await;
    }
    let query = "query($n: Int) { customers(first: $n) @D { nodes { name contacts(first: $n) { nodes { name } } } } }";
    let (body, direct) = both_ways(&app, &app.admin_token, query, json!({ "n": 2 })).await;
    assert!(direct && body["data"]["customers"]["nodes"].as_array().unwrap().len() == 2, "{body}");
    // 50 × (1 + 1 + (50 × 2 + 1)) + 1 = 5151 > 300: refused, as the standard path refuses it.
    let (body, direct) = both_ways(&app, &app.admin_token, query, json!({ "n": 50 })).await;
    assert!(!direct, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX", "{body}");
}
