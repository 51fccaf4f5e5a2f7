//! Plans kept for reuse (`graphql::direct::prepared`): a document whose variables all hold
//! IDs is planned once per viewer, and later requests only bind their IDs — with the
//! same answers as a fresh plan and the standard path.

use super::{both_ways, demo_tokens, text_as};
use crate::helpers::spawn_fast_app;
use entity::enums::Role;
use serde_json::{Value, json};

const ONE: &str = "query($id: ID!) { customer(id: $id) @D {
    id name phone contacts(first: 5) { nodes { id name email } }
    tickets(first: 3) { nodes { code status assignee { name } } } } }";

#[tokio::test]
async fn a_kept_plan_answers_other_ids_as_the_standard_path_does() {
    let app = spawn_fast_app().await;
    let tokens = demo_tokens(&app).await;
    let (_, admin) = &tokens[0];
    let page = app.gql(admin, "{ customers(first: 12) { nodes { id } } }", json!({})).await;
    let ids: Vec<Value> =
        page["data"]["customers"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()).collect();
    // The first direct answer plans; the second plans and keeps the plan; each later one
    // reuses it (two direct answers per `both_ways`).
    both_ways(&app, admin, ONE, json!({ "id": ids[0] })).await;
    let before = app.direct_reused();
    both_ways(&app, admin, ONE, json!({ "id": ids[1] })).await;
    assert_eq!(app.direct_reused() - before, 1);
    for id in &ids[2..] {
        let before = app.direct_reused();
        let (body, direct) = both_ways(&app, admin, ONE, json!({ "id": id })).await;
        assert!(direct && body["data"]["customer"]["id"] == *id, "{body}");
        assert_eq!(app.direct_reused() - before, 2);
    }

    // A plan is the viewer's: a rep's first answer is planned for the rep, and sees only
    // the rep's customers.
    let (_, rep) = tokens.iter().find(|(role, _)| *role == Role::Sales).unwrap();
    let direct = |token: &str, id: &Value| {
        let (app, token, id) = (&app, token.to_string(), id.clone());
        async move {
            let text = text_as(app, &format!("Bearer {token}"), &ONE.replace("@D", ""), json!({ "id": id })).await;
            serde_json::from_str::<Value>(&text).unwrap()
        }
    };
    let before = app.direct_reused();
    direct(rep, &ids[0]).await;
    direct(rep, &ids[1]).await;
    assert_eq!(app.direct_reused(), before, "another viewer's plan was reused");
    let mut seen = 0;
    for id in &ids {
        let (body, went_direct) = both_ways(&app, rep, ONE, json!({ "id": id })).await;
        assert!(went_direct, "{body}");
        seen += usize::from(!body["data"]["customer"].is_null());
    }
    assert!(seen > 0 && seen < ids.len(), "the rep sees some customers, not all: {seen}");

    // An ID of another type, or a string that is no ID, is planned afresh: null.
    let contact = app.gql(admin, "{ contacts(first: 1) { nodes { id } } }", json!({})).await;
    let contact = contact["data"]["contacts"]["nodes"][0]["id"].clone();
    for id in [contact, json!("not an id")] {
        let before = app.direct_reused();
        let body = direct(admin, &id).await;
        assert!(body["data"]["customer"].is_null(), "{body}");
        assert_eq!(app.direct_reused(), before);
    }
}

#[tokio::test]
async fn only_variables_that_are_bound_as_ids_make_a_plan_reusable() {
    let app = spawn_fast_app().await;
    let tokens = demo_tokens(&app).await;
    let (_, admin) = &tokens[0];
    let found = app.gql(admin, "{ customers(first: 30) { nodes { id owner { id } tags { id } } } }", json!({})).await;
    let nodes = found["data"]["customers"]["nodes"].as_array().unwrap();
    let tagged: Vec<&Value> = nodes.iter().filter(|n| !n["tags"].as_array().unwrap().is_empty()).collect();
    assert!(tagged.len() > 2);

    // Two IDs in one filter: both bound where the probe showed them.
    let q3 = "query($owner: ID!, $tag: ID!) {
      customers(first: 50, filter: {ownerId: {eq: $owner}, hasTag: {id: {eq: $tag}}}, orderBy: [{field: NAME}]) @D {
        nodes { id name contacts(first: 2) { nodes { email } } } } }";
    let mut reused = 0;
    for node in &tagged {
        let variables = json!({ "owner": node["owner"]["id"], "tag": node["tags"][0]["id"] });
        let before = app.direct_reused();
        let (body, direct) = both_ways(&app, admin, q3, variables).await;
        let found = body["data"]["customers"]["nodes"].as_array().unwrap();
        assert!(direct && (found.len() == 50 || found.iter().any(|n| n["id"] == node["id"])), "{body}");
        reused += app.direct_reused() - before;
    }
    // The first `both_ways` validates and plans, the second keeps the plan and reuses it
    // once; each later one reuses it twice.
    assert_eq!(reused, 2 * (tagged.len() as u64 - 2) + 1);

    // An ID used as search text is not bound as a UUID: never reused, always right.
    let search = "query($s: String) { customers(first: 5, search: $s) @D { nodes { id } } }";
    let before = app.direct_reused();
    for node in nodes.iter().take(3) {
        let (body, direct) = both_ways(&app, admin, search, json!({ "s": node["id"] })).await;
        assert!(direct && body["data"]["customers"]["nodes"] == json!([]), "{body}");
    }
    // Nor is a plan whose variables are not all IDs.
    let first = "query($n: Int) { customers(first: $n) @D { nodes { id } } }";
    for n in [1, 2, 3] {
        let (body, direct) = both_ways(&app, admin, first, json!({ "n": n })).await;
        assert!(direct && body["data"]["customers"]["nodes"].as_array().unwrap().len() == n, "{body}");
    }
    assert_eq!(app.direct_reused(), before);
}
