//! Direct reads (`graphql::direct`): a query the planner knows is answered by one
//! statement, and its answer is byte for byte the standard path's, for every role.
//!
//! Each query is written with `@D` on its root field: removed, the query may go direct;
//! replaced by `@include(if: true)` (a directive, which the planner leaves alone), the
//! same query takes the standard path. The answers must be equal as JSON. (Not as text:
//! the standard path writes a plain object's keys in the order its fields finish; the
//! direct path writes them in selection order, as the GraphQL spec asks.)

use crate::helpers::{TestApp, spawn_app};
use entity::enums::Role;
use serde_json::{Value, json};

/// The errors of a response as `(path, code, message)`, sorted (the standard path lists
/// them in the order its fields finish; `@D`'s replacement moves their locations).
fn errors(body: &Value) -> Vec<String> {
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
async fn both_ways(app: &TestApp, token: &str, query: &str, variables: Value) -> (Value, bool) {
    both_ways_as(app, &format!("Bearer {token}"), query, variables).await
}

/// The body of `query` sent with the `Authorization` header `authorization`.
async fn text_as(app: &TestApp, authorization: &str, query: &str, variables: Value) -> String {
    let request = app.client.post(app.url("/graphql")).header("authorization", authorization);
    let request = request.json(&json!({ "query": query, "variables": variables }));
    request.send().await.unwrap().text().await.unwrap()
}

/// [`both_ways`] with any credential (API keys too).
async fn both_ways_as(app: &TestApp, authorization: &str, query: &str, variables: Value) -> (Value, bool) {
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

const EVERYTHING: &str = "query($first: Int, $after: String, $last: Int, $before: String) {
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
async fn demo_tokens(app: &TestApp) -> Vec<(Role, String)> {
    clientele::seed::demo(&app.db).await.unwrap();
    let mut tokens = Vec::new();
    for (role, email) in [
        (Role::Admin, "admin@demo.clientele.dev"),
        (Role::Manager, "manager@demo.clientele.dev"),
        (Role::Sales, "sales1@demo.clientele.dev"),
        (Role::Service, "service@demo.clientele.dev"),
        (Role::Marketing, "marketing@demo.clientele.dev"),
        (Role::Analyst, "analyst@demo.clientele.dev"),
    ] {
        let user = clientele::service::user::find_by_email(&app.db, email).await.unwrap().unwrap();
        tokens.push((role, app.keys.issue(user.id, role.as_str(), chrono::Duration::hours(1)).unwrap()));
    }
    tokens
}

#[tokio::test]
async fn pages_of_customers_with_every_relation_are_the_same_both_ways_for_every_role() {
    let app = spawn_app().await;
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
    let app = spawn_app().await;
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
    let app = spawn_app().await;
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
    let app = spawn_app().await;
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
        assert!(direct, "{role:?}");
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
    let app = spawn_app().await;
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
    let app = crate::helpers::spawn_app_with(&[("CLIENTELE_QUERY_COMPLEXITY_LIMIT", "300")]).await;
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

/// Sets the role (and active flag) of user `id` straight in the database.
async fn change_user(app: &TestApp, id: uuid::Uuid, role: Role, active: bool) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    let user = entity::user::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    let mut row: entity::user::ActiveModel = user.into();
    row.role = Set(role);
    row.active = Set(active);
    row.update(&app.db).await.unwrap();
}

#[tokio::test]
async fn a_changed_or_deactivated_user_is_seen_by_the_statement_that_answers() {
    let app = spawn_app().await;
    let (id, token) = app.user(Role::Admin, None).await;
    for i in 0..3 {
        app.create_customer(&app.admin_token, json!({ "name": format!("Company {i}") })).await;
    }
    let query = "{ customers(first: 10) { nodes { name } } }";
    let count = |body: &Value| body["data"]["customers"]["nodes"].as_array().map_or(0, Vec::len);
    // The first request validates the document and teaches the server the token's viewer.
    assert_eq!(count(&app.gql(&token, query, json!({})).await), 3);
    let (before, statements) = (app.direct_answers(), app.statements());
    assert_eq!(count(&app.gql(&token, query, json!({})).await), 3);
    assert_eq!((app.direct_answers() - before, app.statements() - statements), (1, 1));

    // Now a sales rep who owns one customer: the answer computed as the admin is not sent.
    change_user(&app, id, Role::Sales, true).await;
    let owner = clientele::graphql::relay::global_id("User", id).0;
    app.create_customer(&app.admin_token, json!({ "name": "Own", "ownerId": owner })).await;
    let body = app.gql(&token, query, json!({})).await;
    assert_eq!(body["data"]["customers"]["nodes"], json!([{ "name": "Own" }]), "{body}");
    // … and from then on the rep is answered directly, in one statement.
    let (before, statements) = (app.direct_answers(), app.statements());
    assert_eq!(count(&app.gql(&token, query, json!({})).await), 1);
    assert_eq!((app.direct_answers() - before, app.statements() - statements), (1, 1));
    // An empty answer carries no user record: the credential is checked on its own.
    let empty = "{ customers(first: 10, search: \"nothing like this\") { nodes { name } } }";
    app.gql(&token, empty, json!({})).await;
    let (before, statements) = (app.direct_answers(), app.statements());
    assert_eq!(count(&app.gql(&token, empty, json!({})).await), 0);
    assert_eq!((app.direct_answers() - before, app.statements() - statements), (1, 2));

    // Deactivated: refused at once.
    change_user(&app, id, Role::Sales, false).await;
    let response =
        app.client.post(app.url("/graphql")).bearer_auth(&token).json(&json!({ "query": query })).send().await.unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_logged_out_session_stops_direct_answers() {
    let app = spawn_app().await;
    let anonymous = |query: &'static str, variables: Value| {
        let app = &app;
        async move {
            let response =
                app.client.post(app.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
            response.send().await.unwrap().json::<Value>().await.unwrap()
        }
    };
    let made = app
        .gql(
            &app.admin_token,
            "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } userErrors { code } } }",
            json!({ "i": { "email": "rep@example.com", "name": "Rep", "role": "SALES", "password": "a long enough password" } }),
        )
        .await;
    let rep = made["data"]["createUser"]["user"]["id"].clone();
    app.create_customer(&app.admin_token, json!({ "name": "Own", "ownerId": rep })).await;
    let login = anonymous(
        "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }",
        json!({ "i": { "email": "rep@example.com", "password": "a long enough password" } }),
    )
    .await;
    let access = login["data"]["login"]["accessToken"].as_str().unwrap().to_string();
    let refresh = login["data"]["login"]["refreshToken"].clone();
    let query = "{ customers(first: 5) { nodes { name } } }";
    app.gql(&access, query, json!({})).await;
    let (before, statements) = (app.direct_answers(), app.statements());
    let body = app.gql(&access, query, json!({})).await;
    assert_eq!(body["data"]["customers"]["nodes"], json!([{ "name": "Own" }]));
    // The session's state is read in the answering statement too.
    assert_eq!((app.direct_answers() - before, app.statements() - statements), (1, 1));

    let out =
        anonymous("mutation($t: String!) { logout(input: { refreshToken: $t }) { ok } }", json!({ "t": refresh }))
            .await;
    assert_eq!(out["data"]["logout"]["ok"], true);
    let body = app.gql(&access, query, json!({})).await;
    assert_eq!(crate::helpers::error_code(&body), "UNAUTHENTICATED", "{body}");
}

#[tokio::test]
async fn partner_keys_see_their_record_families_masked_both_ways() {
    let app = spawn_app().await;
    clientele::seed::demo(&app.db).await.unwrap();
    let (partner, _) = app.user(Role::Partner, None).await;
    let key = |scopes: Vec<&'static str>| {
        let app = &app;
        async move {
            let made = app
                .gql(
                    &app.admin_token,
                    "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret userErrors { code } } }",
                    json!({ "i": { "name": "ERP", "scopes": scopes,
                                   "ownerId": clientele::graphql::relay::global_id("User", partner).0 } }),
                )
                .await;
            format!("ApiKey {}", made["data"]["createApiKey"]["secret"].as_str().unwrap())
        }
    };
    let everything = key(vec!["customers:read", "contacts:read", "deals:read", "tickets:read", "surveys:read"]).await;
    let with_pii =
        key(vec!["customers:read", "contacts:read", "deals:read", "tickets:read", "surveys:read", "pii:read"]).await;
    let customers_only = key(vec!["customers:read"]).await;
    let nothing = key(vec!["campaigns:read"]).await;
    let query = "{ customers(first: 6) @D { pageInfo { hasNextPage endCursor } nodes {
        id name phone email owner { name email }
        contacts(first: 2) { nodes { name phone email } }
        deals(first: 2) { nodes { title stage currency } }
        tickets(first: 2) { nodes { code status } }
        surveyResponses(first: 2) { nodes { score survey { title } } } } } }";
    for (authorization, rows) in [(&everything, true), (&with_pii, true), (&customers_only, true), (&nothing, false)] {
        let (body, direct) = both_ways_as(&app, authorization, query, json!({})).await;
        assert!(direct, "{body}");
        let nodes = body["data"]["customers"]["nodes"].as_array().unwrap();
        assert_eq!(!nodes.is_empty(), rows, "{body}");
    }
    // Denied for partners (Customer.notes): FORBIDDEN, on the standard path.
    let (body, direct) =
        both_ways_as(&app, &everything, "{ customers(first: 2) @D { nodes { notes } } }", json!({})).await;
    assert!(!direct && crate::helpers::error_code(&body) == "FORBIDDEN", "{body}");
}
