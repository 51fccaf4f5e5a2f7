//! Duplicates: the spellings of one person (张先生 / 张明 / Zhang Ming / ZHANG MING) found
//! through a shared phone or company, clustered over the customer base under the caller's
//! row scope; a customer write refuses or lists likely duplicates as `duplicatePolicy` says.

use crate::helpers::{TestApp, spawn_app};
use entity::enums::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const CREATE: &str = "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
    customer { id name } duplicates { customer { name } score matchedOn } userErrors { field code message } } }";

const CLUSTERS: &str = "query($first: Int, $after: String, $min: Float) {
    duplicateCandidates(first: $first, after: $after, minScore: $min) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { score matchedOn customers { name } } } } }";

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(token, CREATE, json!({ "input": input })).await["data"]["createCustomer"].clone()
}

fn names(list: &Value, path: &str) -> Vec<String> {
    let mut out: Vec<String> = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|x| x.pointer(path).and_then(Value::as_str).unwrap().to_owned())
        .collect();
    out.sort();
    out
}

/// 张明, Zhang Ming, ZHANG MING and 张先生, linked by one phone and one company; 李雷 a
/// colleague at that company; 王芳 unrelated.
async fn one_person_four_ways(app: &TestApp, token: &str) {
    let phone = "13800138000";
    for input in [
        json!({ "name": "张明", "phone": phone, "companyName": "华兴" }),
        json!({ "name": "Zhang Ming", "companyName": "华兴有限公司" }),
        json!({ "name": "ZHANG MING", "email": "zm@example.com", "companyName": "华兴" }),
        json!({ "name": "张先生", "phone": phone, "duplicatePolicy": "ALLOW" }),
        json!({ "name": "李雷", "companyName": "华兴" }),
        json!({ "name": "王芳", "phone": "13900139000" }),
    ] {
        let payload = create(app, token, input).await;
        assert_eq!(payload["userErrors"], json!([]), "{payload}");
    }
}

#[tokio::test]
async fn the_spellings_of_one_person_form_one_cluster_and_colleagues_stay_out() {
    let app = spawn_app().await;
    one_person_four_ways(&app, &app.admin_token).await;
    let body = app.gql(&app.admin_token, CLUSTERS, json!({})).await;
    let conn = &body["data"]["duplicateCandidates"];
    assert_eq!(conn["totalCount"], json!(1), "{body}");
    let cluster = &conn["edges"][0]["node"];
    assert_eq!(names(&cluster["customers"], "/name"), ["ZHANG MING", "Zhang Ming", "张先生", "张明"]);
    for signal in ["PHONE", "SURNAME", "NAME", "NAME_PINYIN", "COMPANY"] {
        assert!(cluster["matchedOn"].as_array().unwrap().contains(&json!(signal)), "{signal} in {cluster}");
    }
    assert!(cluster["score"].as_f64().unwrap() > 0.7, "{cluster}");

    // A second cluster (one email, two records); pages walk both, best first.
    for name in ["Li Na", "Lina Li"] {
        let input = json!({ "name": name, "email": "lina@example.com", "duplicatePolicy": "ALLOW" });
        assert_eq!(create(&app, &app.admin_token, input).await["userErrors"], json!([]));
    }
    let first = app.gql(&app.admin_token, CLUSTERS, json!({ "first": 1 })).await;
    let conn = &first["data"]["duplicateCandidates"];
    assert_eq!(conn["totalCount"], json!(2), "{first}");
    assert_eq!(conn["pageInfo"]["hasNextPage"], json!(true));
    let after = conn["pageInfo"]["endCursor"].clone();
    let second = app.gql(&app.admin_token, CLUSTERS, json!({ "first": 1, "after": after })).await;
    let conn2 = &second["data"]["duplicateCandidates"];
    assert_eq!(conn2["pageInfo"]["hasNextPage"], json!(false), "{second}");
    let firsts = [&conn["edges"][0]["node"], &conn2["edges"][0]["node"]];
    assert!(firsts[0]["score"].as_f64() >= firsts[1]["score"].as_f64(), "best first");
    assert_ne!(firsts[0]["customers"], firsts[1]["customers"]);

    let strict = app.gql(&app.admin_token, CLUSTERS, json!({ "min": 0.95 })).await;
    assert_eq!(strict["data"]["duplicateCandidates"]["totalCount"], json!(0), "{strict}");
    let bad = app.gql(&app.admin_token, CLUSTERS, json!({ "after": "nonsense" })).await;
    assert_eq!(crate::helpers::error_code(&bad), "BAD_USER_INPUT", "{bad}");
    let bad = app.gql(&app.admin_token, CLUSTERS, json!({ "min": 1.5 })).await;
    assert_eq!(crate::helpers::error_code(&bad), "BAD_USER_INPUT", "{bad}");
}

#[tokio::test]
async fn a_rep_sees_clusters_among_their_own_customers_only() {
    let app = spawn_app().await;
    let (_, rep) = app.user(Role::Sales, None).await;
    one_person_four_ways(&app, &app.admin_token).await;
    let body = app.gql(&rep, CLUSTERS, json!({})).await;
    assert_eq!(body["data"]["duplicateCandidates"]["totalCount"], json!(0), "{body}");
    for input in [
        json!({ "name": "陈静", "companyName": "远航科技股份有限公司" }),
        json!({ "name": "Chen Jing", "companyName": "远航科技" }),
    ] {
        assert_eq!(create(&app, &rep, input).await["userErrors"], json!([]));
    }
    let body = app.gql(&rep, CLUSTERS, json!({})).await;
    let conn = &body["data"]["duplicateCandidates"];
    assert_eq!(conn["totalCount"], json!(1), "{body}");
    assert_eq!(names(&conn["edges"][0]["node"]["customers"], "/name"), ["Chen Jing", "陈静"]);
}

#[tokio::test]
async fn writes_block_warn_or_allow_likely_duplicates_as_the_policy_says() {
    let app = spawn_app().await;
    assert_eq!(
        create(&app, &app.admin_token, json!({ "name": "张明", "phone": "13800138000", "companyName": "华兴" })).await
            ["userErrors"],
        json!([])
    );

    // BLOCK: refused, the match listed, nothing written.
    let input = json!({ "name": "Zhang Ming", "companyName": "华兴集团", "duplicatePolicy": "BLOCK" });
    let payload = create(&app, &app.admin_token, input).await;
    assert_eq!(payload["customer"], Value::Null, "{payload}");
    assert_eq!(payload["userErrors"][0]["code"], json!("DUPLICATE_SUSPECTED"), "{payload}");
    assert_eq!(payload["userErrors"][0]["field"], json!(["input", "name"]));
    assert_eq!(payload["duplicates"][0]["customer"]["name"], json!("张明"));
    assert_eq!(payload["duplicates"][0]["matchedOn"], json!(["NAME_PINYIN", "COMPANY"]));
    assert_eq!(app.count("customers").await, 1);

    // WARN (the default): a fuzzy match is saved and listed; an exact phone is refused.
    let payload = create(&app, &app.admin_token, json!({ "name": "Zhang Ming", "companyName": "华兴集团" })).await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    assert_eq!(names(&payload["duplicates"], "/customer/name"), ["张明"]);
    let payload = create(&app, &app.admin_token, json!({ "name": "张先生", "phone": "138-0013-8000" })).await;
    assert_eq!(payload["userErrors"][0]["code"], json!("DUPLICATE_SUSPECTED"), "{payload}");
    assert_eq!(payload["userErrors"][0]["field"], json!(["input", "phone"]));
    assert_eq!(names(&payload["duplicates"], "/customer/name"), ["张明"], "the refusal lists the match too");

    // ALLOW: saved despite the exact phone, matches listed.
    let payload =
        create(&app, &app.admin_token, json!({ "name": "张先生", "phone": "13800138000", "duplicatePolicy": "ALLOW" }))
            .await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    assert_eq!(payload["duplicates"][0]["matchedOn"], json!(["PHONE", "SURNAME"]));
    assert_eq!(app.count("customers").await, 3);

    // Updates: renaming an unrelated customer into a look-alike under BLOCK is refused.
    let other = create(&app, &app.admin_token, json!({ "name": "王芳", "companyName": "华兴" })).await;
    let id = other["customer"]["id"].clone();
    let update = "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) {
        customer { name } duplicates { customer { name } matchedOn } userErrors { code } } }";
    let input = json!({ "id": id, "expectedVersion": 1, "name": "张 明", "duplicatePolicy": "BLOCK" });
    let body = app.gql(&app.admin_token, update, json!({ "input": input })).await;
    let payload = &body["data"]["updateCustomer"];
    assert_eq!(payload["userErrors"][0]["code"], json!("DUPLICATE_SUSPECTED"), "{body}");
    assert_eq!(names(&payload["duplicates"], "/customer/name"), ["Zhang Ming", "张明"]);
    let input = json!({ "id": id, "expectedVersion": 1, "name": "张 明" });
    let body = app.gql(&app.admin_token, update, json!({ "input": input })).await;
    let payload = &body["data"]["updateCustomer"];
    assert_eq!(payload["customer"]["name"], json!("张 明"), "{body}");
    assert_eq!(names(&payload["duplicates"], "/customer/name"), ["Zhang Ming", "张明"]);
}

#[tokio::test]
async fn customers_written_before_the_keys_existed_get_them_at_start() {
    let app = spawn_app().await;
    one_person_four_ways(&app, &app.admin_token).await;
    let backend = app.db.get_database_backend();
    let clear = "UPDATE customers SET match_name = NULL, match_pinyin = NULL, match_company = NULL";
    app.db.execute_raw(Statement::from_string(backend, clear.to_owned())).await.unwrap();
    let filled = clientele::service::duplicate::backfill(&app.db).await.unwrap();
    assert_eq!(filled, 6);
    let body = app.gql(&app.admin_token, CLUSTERS, json!({})).await;
    assert_eq!(
        names(&body["data"]["duplicateCandidates"]["edges"][0]["node"]["customers"], "/name").len(),
        4,
        "{body}"
    );
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT match_pinyin FROM customers WHERE name = 'Zhang Ming'".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "match_pinyin").unwrap(), "zhangming");
}
