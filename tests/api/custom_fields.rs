//! Custom fields: admins define them (typed, with options, required, sensitive); customer
//! writes are checked against the definitions; values read back typed, filter (on the
//! indexed expression), and a sensitive one leaves through the field policy.

use crate::helpers::{TestApp, error_code, spawn_app};
use entity::enums::Role;
use serde_json::{Value, json};

const DEFINE: &str =
    "mutation($input: CreateCustomFieldDefinitionInput!) { createCustomFieldDefinition(input: $input) {
    customFieldDefinition { id key options } userErrors { field code message } } }";

async fn define(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(token, DEFINE, json!({ "input": input })).await
}

pub async fn define_all(app: &TestApp) {
    for input in [
        json!({ "recordType": "CUSTOMER", "key": "industry_code", "label": "行业代码", "fieldType": "SELECT", "options": ["C13", "C14"] }),
        json!({ "recordType": "CUSTOMER", "key": "staff", "label": "员工数", "fieldType": "NUMBER" }),
        json!({ "recordType": "CUSTOMER", "key": "vip", "label": "VIP", "fieldType": "BOOLEAN" }),
        json!({ "recordType": "CUSTOMER", "key": "credit", "label": "授信额度", "fieldType": "DECIMAL" }),
        json!({ "recordType": "CUSTOMER", "key": "lines", "label": "产品线", "fieldType": "MULTI_SELECT", "options": ["泵", "阀"] }),
        json!({ "recordType": "CUSTOMER", "key": "id_card", "label": "身份证号", "fieldType": "TEXT", "sensitive": true }),
    ] {
        let body = define(app, &app.admin_token, input).await;
        assert_eq!(body["data"]["createCustomFieldDefinition"]["userErrors"], json!([]), "{body}");
    }
}

const CREATE: &str = "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
    customer { id version customFields { key type value } } userErrors { field code message } } }";

pub async fn customer(app: &TestApp, name: &str, fields: Value) -> Value {
    let body = app.gql(&app.admin_token, CREATE, json!({ "input": { "name": name, "customFields": fields } })).await;
    body["data"]["createCustomer"].clone()
}

async fn names(app: &TestApp, token: &str, filter: Value) -> Vec<String> {
    let body = app
        .gql(token, "query($f: CustomerFilter) { customers(filter: $f) { nodes { name } } }", json!({ "f": filter }))
        .await;
    let mut out: Vec<String> = body["data"]["customers"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn definitions_are_checked_and_only_admins_manage_them() {
    let app = spawn_app().await;
    let (_, manager) = app.user(Role::Manager, None).await;
    let ok = json!({ "recordType": "CUSTOMER", "key": "grade", "label": "等级", "fieldType": "SELECT", "options": ["A", "B", "A"] });
    let body = define(&app, &manager, ok.clone()).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = define(&app, &app.admin_token, ok.clone()).await;
    assert_eq!(
        body["data"]["createCustomFieldDefinition"]["customFieldDefinition"]["options"],
        json!(["A", "B"]),
        "{body}"
    );
    let errors = |body: &Value| body["data"]["createCustomFieldDefinition"]["userErrors"].clone();
    assert_eq!(errors(&define(&app, &app.admin_token, ok).await)[0]["code"], json!("ALREADY_EXISTS"));
    let bad = define(
        &app,
        &app.admin_token,
        json!({ "recordType": "CUSTOMER", "key": "Grade Two", "label": "x", "fieldType": "TEXT" }),
    )
    .await;
    assert_eq!(errors(&bad)[0]["field"], json!(["input", "key"]), "{bad}");
    let bad = define(
        &app,
        &app.admin_token,
        json!({ "recordType": "CUSTOMER", "key": "pick", "label": "x", "fieldType": "SELECT" }),
    )
    .await;
    assert_eq!(errors(&bad)[0]["field"], json!(["input", "options"]), "{bad}");
    let body =
        app.gql(&manager, "{ customFieldDefinitions { totalCount nodes { key label fieldType } } }", json!({})).await;
    assert_eq!(
        body["data"]["customFieldDefinitions"]["nodes"],
        json!([{ "key": "grade", "label": "等级", "fieldType": "SELECT" }]),
        "every role reads them"
    );
}

#[tokio::test]
async fn values_are_validated_typed_updated_and_filtered() {
    let app = spawn_app().await;
    define_all(&app).await;
    let payload = customer(&app, "华兴", json!([
        { "key": "industry_code", "value": "C13" }, { "key": "staff", "value": 120 }, { "key": "vip", "value": true },
        { "key": "credit", "value": "50000.00" }, { "key": "lines", "value": ["泵", "阀", "泵"] },
    ])).await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    let fields: Vec<Value> = payload["customer"]["customFields"].as_array().unwrap().clone();
    let value = |key: &str| fields.iter().find(|f| f["key"] == json!(key)).unwrap()["value"].clone();
    assert_eq!(value("staff"), json!(120));
    assert_eq!(value("vip"), json!(true));
    assert_eq!(value("credit"), json!("50000"));
    assert_eq!(value("lines"), json!(["泵", "阀"]));
    assert_eq!(value("id_card"), Value::Null);
    customer(&app, "远航", json!([{ "key": "industry_code", "value": "C14" }, { "key": "staff", "value": 8 }])).await;
    customer(&app, "无字段", json!([])).await;

    let bad = customer(&app, "坏", json!([{ "key": "staff", "value": "many" }, { "key": "industry_code", "value": "Z9" }, { "key": "nope", "value": 1 }])).await;
    let fields: Vec<Value> = bad["userErrors"].as_array().unwrap().iter().map(|e| e["field"].clone()).collect();
    assert_eq!(
        fields,
        [
            json!(["input", "customFields", "staff"]),
            json!(["input", "customFields", "industry_code"]),
            json!(["input", "customFields", "2", "key"])
        ],
        "{bad}"
    );
    assert_eq!(app.count("customers").await, 3, "a refused write saves nothing");

    assert_eq!(
        names(&app, &app.admin_token, json!({ "customField": { "key": "industry_code", "eq": "C13" } })).await,
        ["华兴"]
    );
    assert_eq!(names(&app, &app.admin_token, json!({ "customField": { "key": "staff", "eq": 8 } })).await, ["远航"]);
    assert_eq!(names(&app, &app.admin_token, json!({ "customField": { "key": "vip", "eq": true } })).await, ["华兴"]);
    assert_eq!(
        names(&app, &app.admin_token, json!({ "customField": { "key": "industry_code", "in": ["C13", "C14"] } })).await,
        ["华兴", "远航"]
    );
    assert_eq!(
        names(&app, &app.admin_token, json!({ "customField": { "key": "staff", "isNull": true } })).await,
        ["无字段"]
    );
    let body = app.gql(&app.admin_token, "{ customers(filter: { customField: { key: \"x'; DROP TABLE customers; --\", eq: \"1\" } }) { totalCount } }", json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");

    // An update changes the given keys, clears on null, keeps the rest.
    let id = payload["customer"]["id"].clone();
    let update = "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) {
        customer { staff: customField(key: \"staff\") vip: customField(key: \"vip\") code: customField(key: \"industry_code\") }
        userErrors { field code } } }";
    let input = json!({ "id": id, "expectedVersion": 1, "customFields": [{ "key": "staff", "value": 150 }, { "key": "vip", "value": null }] });
    let body = app.gql(&app.admin_token, update, json!({ "input": input })).await;
    assert_eq!(
        body["data"]["updateCustomer"]["customer"],
        json!({ "staff": 150, "vip": null, "code": "C13" }),
        "{body}"
    );
}

#[tokio::test]
async fn a_sensitive_field_leaves_through_the_field_policy_and_cannot_be_probed() {
    let app = spawn_app().await;
    define_all(&app).await;
    let payload = customer(&app, "张明", json!([{ "key": "id_card", "value": "110101199001011234" }])).await;
    let id = payload["customer"]["id"].clone();
    let (_, service) = app.user(Role::Service, None).await;
    let read = "query($id: ID!) { node(id: $id) { ... on Customer { card: customField(key: \"id_card\") customFields { key value } } } }";
    let body = app.gql(&app.admin_token, read, json!({ "id": id })).await;
    assert_eq!(body["data"]["node"]["card"], json!("110101199001011234"), "{body}");
    let body = app.gql(&service, read, json!({ "id": id })).await;
    assert_eq!(body["data"]["node"]["card"], json!("****"), "masked for service staff: {body}");
    let listed =
        body["data"]["node"]["customFields"].as_array().unwrap().iter().find(|f| f["key"] == json!("id_card")).cloned();
    assert_eq!(listed.unwrap()["value"], json!("****"));

    let probe = json!({ "customField": { "key": "id_card", "eq": "110101199001011234" } });
    assert_eq!(names(&app, &app.admin_token, probe.clone()).await, ["张明"]);
    assert!(names(&app, &service, probe).await.is_empty(), "a masked field cannot be probed by filter");
}

#[tokio::test]
async fn contacts_deals_and_tickets_take_their_own_custom_fields() {
    let app = spawn_app().await;
    for (ty, key, field_type, sensitive) in [
        ("CONTACT", "wechat", "TEXT", true),
        ("DEAL", "contract_no", "TEXT", false),
        ("TICKET", "sla_tier", "SELECT", false),
    ] {
        let mut input =
            json!({ "recordType": ty, "key": key, "label": key, "fieldType": field_type, "sensitive": sensitive });
        if field_type == "SELECT" {
            input["options"] = json!(["GOLD", "SILVER"]);
        }
        let body = define(&app, &app.admin_token, input).await;
        assert_eq!(body["data"]["createCustomFieldDefinition"]["userErrors"], json!([]), "{body}");
    }
    let customer = customer(&app, "华兴", json!([])).await["customer"]["id"].clone();
    let create = |ty: &str, fields: &str| {
        format!(
            "mutation($input: Create{ty}Input!) {{ create{ty}(input: $input) {{ {fields} userErrors {{ field code }} }} }}"
        )
    };
    let body = app
        .gql(&app.admin_token, &create("Contact", "contact { id customField(key: \"wechat\") }"),
            json!({ "input": { "customerId": customer, "name": "秘书", "customFields": [{ "key": "wechat", "value": "hx_sec" }] } }))
        .await;
    let contact = body["data"]["createContact"]["contact"].clone();
    assert_eq!(contact["customField"], json!("hx_sec"), "{body}");
    let body = app
        .gql(&app.admin_token, &create("Deal", "deal { id customFields { key value } }"),
            json!({ "input": { "customerId": customer, "title": "二期", "amount": "1000", "customFields": [{ "key": "contract_no", "value": "HT-7" }] } }))
        .await;
    assert_eq!(
        body["data"]["createDeal"]["deal"]["customFields"],
        json!([{ "key": "contract_no", "value": "HT-7" }]),
        "{body}"
    );
    let body = app
        .gql(&app.admin_token, &create("Ticket", "ticket { id }"),
            json!({ "input": { "customerId": customer, "subject": "漏水", "category": "REQUEST", "customFields": [{ "key": "sla_tier", "value": "BRONZE" }] } }))
        .await;
    assert_eq!(
        body["data"]["createTicket"]["userErrors"][0]["field"],
        json!(["input", "customFields", "sla_tier"]),
        "{body}"
    );
    let body = app
        .gql(&app.admin_token, &create("Ticket", "ticket { id }"),
            json!({ "input": { "customerId": customer, "subject": "漏水", "category": "REQUEST", "customFields": [{ "key": "contract_no", "value": "x" }] } }))
        .await;
    assert_eq!(
        body["data"]["createTicket"]["userErrors"][0]["field"],
        json!(["input", "customFields", "0", "key"]),
        "a deal's field is not a ticket's: {body}"
    );

    let body = app
        .gql(
            &app.admin_token,
            "{ deals(filter: { customField: { key: \"contract_no\", eq: \"HT-7\" } }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["deals"]["totalCount"], json!(1), "{body}");
    let (_, service) = app.user(Role::Service, None).await;
    let read = "query($id: ID!) { contact(id: $id) { customField(key: \"wechat\") } }";
    let body = app.gql(&service, read, json!({ "id": contact["id"] })).await;
    assert_eq!(body["data"]["contact"]["customField"], json!("****"), "a sensitive contact field is masked: {body}");
    let body = app
        .gql(
            &service,
            "{ contacts(filter: { customField: { key: \"wechat\", eq: \"hx_sec\" } }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["contacts"]["totalCount"], json!(0), "and cannot be probed: {body}");
}
