//! Saved segments: a stored customer filter whose members are computed when read, under
//! each reader's row scope; names unique, filters checked, only the creator (or an admin or
//! manager) changes one.

use crate::helpers::{TestApp, error_code, spawn_app};
use entity::enums::Role;
use serde_json::{Value, json};

const CREATE: &str = "mutation($input: CreateSegmentInput!) { createSegment(input: $input) {
    segment { id name version filter count createdBy { id } }
    userErrors { field code message } } }";

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(token, CREATE, json!({ "input": input })).await
}

async fn members(app: &TestApp, token: &str, id: &str) -> (i64, Vec<String>) {
    let body = app
        .gql(
            token,
            "query($id: ID!) { segment(id: $id) { count members(first: 50) { totalCount nodes { name } } } }",
            json!({ "id": id }),
        )
        .await;
    let segment = &body["data"]["segment"];
    let count = segment["count"].as_i64().unwrap_or_else(|| panic!("{body}"));
    assert_eq!(segment["members"]["totalCount"].as_i64(), Some(count), "{body}");
    let mut names: Vec<String> = segment["members"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    (count, names)
}

#[tokio::test]
async fn a_segment_is_evaluated_live_for_each_reader_under_their_row_scope() {
    let app = spawn_app().await;
    let (_, rep_a) = app.user(Role::Sales, None).await;
    let (_, rep_b) = app.user(Role::Sales, None).await;
    for (token, name, region) in
        [(&rep_a, "上海一", "上海"), (&rep_a, "上海二", "上海"), (&rep_a, "北京一", "北京"), (&rep_b, "上海三", "上海")]
    {
        app.create_customer(token, json!({ "name": name, "region": region })).await;
    }
    let filter = json!({ "region": { "eq": "上海" } });
    let body = create(&app, &rep_a, json!({ "name": "上海客户", "description": "华东片区", "filter": filter })).await;
    let segment = &body["data"]["createSegment"]["segment"];
    assert_eq!(segment["filter"], filter, "the filter reads back as given: {body}");
    assert_eq!(segment["count"], json!(2), "the creator counts their own customers: {body}");
    let id = segment["id"].as_str().unwrap().to_owned();

    assert_eq!(members(&app, &rep_a, &id).await, (2, vec!["上海一".into(), "上海二".into()]));
    assert_eq!(members(&app, &rep_b, &id).await, (1, vec!["上海三".into()]), "rep B sees only their own");
    assert_eq!(members(&app, &app.admin_token, &id).await.0, 3, "an admin sees every member");

    // Live: a new matching customer is a member at the next read.
    app.create_customer(&rep_b, json!({ "name": "上海四", "region": "上海" })).await;
    assert_eq!(members(&app, &app.admin_token, &id).await.0, 4);

    let body = app.gql(&rep_b, "{ segments { totalCount nodes { name description } } }", json!({})).await;
    assert_eq!(body["data"]["segments"]["nodes"], json!([{ "name": "上海客户", "description": "华东片区" }]));
    let body =
        app.gql(&rep_b, "query($id: ID!) { node(id: $id) { ... on Segment { name } } }", json!({ "id": id })).await;
    assert_eq!(body["data"]["node"]["name"], json!("上海客户"), "{body}");
}

#[tokio::test]
async fn a_taken_name_or_a_filter_that_cannot_run_is_a_user_error_and_writes_nothing() {
    let app = spawn_app().await;
    let body =
        create(&app, &app.admin_token, json!({ "name": "VIP", "filter": { "valueTier": { "eq": "HIGH" } } })).await;
    assert_eq!(body["data"]["createSegment"]["userErrors"], json!([]), "{body}");

    let body = create(&app, &app.admin_token, json!({ "name": " VIP ", "filter": {} })).await;
    let errors = &body["data"]["createSegment"]["userErrors"];
    assert_eq!(errors[0]["field"], json!(["input", "name"]), "{body}");
    assert_eq!(errors[0]["code"], json!("ALREADY_EXISTS"), "{body}");

    let codes: Vec<String> = (0..101).map(|i| format!("C{i}")).collect();
    let body = create(&app, &app.admin_token, json!({ "name": "Many", "filter": { "code": { "in": codes } } })).await;
    let errors = &body["data"]["createSegment"]["userErrors"];
    assert_eq!(errors[0]["field"], json!(["input", "filter"]), "{body}");
    assert_eq!(errors[0]["code"], json!("INVALID"), "{body}");
    assert_eq!(body["data"]["createSegment"]["segment"], Value::Null);

    let body =
        create(&app, &app.admin_token, json!({ "name": "Bad", "filter": { "valueTier": { "eq": "GOLD" } } })).await;
    assert!(body["errors"].is_array(), "an unknown enum value fails validation: {body}");
    assert_eq!(app.count("segments").await, 1, "only the first segment was saved");
}

#[tokio::test]
async fn only_its_creator_admins_and_managers_change_or_delete_a_segment() {
    let app = spawn_app().await;
    let (_, rep_a) = app.user(Role::Sales, None).await;
    let (_, rep_b) = app.user(Role::Sales, None).await;
    let (_, analyst) = app.user(Role::Analyst, None).await;
    let body = create(&app, &rep_a, json!({ "name": "Mine", "filter": { "region": { "eq": "上海" } } })).await;
    let id = body["data"]["createSegment"]["segment"]["id"].as_str().unwrap().to_owned();

    let update = "mutation($input: UpdateSegmentInput!) { updateSegment(input: $input) {
        segment { name version filter } userErrors { field code } } }";
    let rename = |version: i64| json!({ "input": { "id": id, "expectedVersion": version, "name": "Theirs" } });
    let body = app.gql(&rep_b, update, rename(1)).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let delete = "mutation($input: DeleteSegmentInput!) { deleteSegment(input: $input) { segment { id } } }";
    let body = app.gql(&rep_b, delete, json!({ "input": { "id": id } })).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = create(&app, &analyst, json!({ "name": "Analyst's", "filter": {} })).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");

    let body = app
        .gql(
            &rep_a,
            update,
            json!({ "input": { "id": id, "expectedVersion": 1, "filter": { "region": { "eq": "北京" } } } }),
        )
        .await;
    let segment = &body["data"]["updateSegment"]["segment"];
    assert_eq!(segment["filter"], json!({ "region": { "eq": "北京" } }), "{body}");
    assert_eq!(segment["version"], json!(2));
    let body = app.gql(&rep_a, update, rename(1)).await;
    assert_eq!(body["data"]["updateSegment"]["userErrors"][0]["code"], json!("STALE_VERSION"), "{body}");

    let body = app.gql(&app.admin_token, delete, json!({ "input": { "id": id } })).await;
    assert_eq!(body["data"]["deleteSegment"]["segment"]["id"], json!(id), "{body}");
    let body = app.gql(&rep_a, "{ segments { totalCount } }", json!({})).await;
    assert_eq!(body["data"]["segments"]["totalCount"], json!(0), "{body}");
}
