//! Every field of the direct path's column map, run both ways for every role: the data
//! and the errors must be the standard path's. A field made computed in `graphql::types`
//! but left in the map would answer differently here.

use super::{both_ways, demo_tokens};
use crate::helpers::spawn_fast_app;
use serde_json::json;
use std::collections::BTreeSet;

/// A query reaching `ty` from the customers page, with `selection` at that type.
fn reaching(ty: &str, selection: &str) -> String {
    let under_customer =
        |list: &str| format!("customers(first: 6) @D {{ nodes {{ {list}(first: 3) {{ nodes {{ {selection} }} }} }} }}");
    let path = match ty {
        "Customer" => format!("customers(first: 6) @D {{ nodes {{ {selection} }} }}"),
        "Contact" => under_customer("contacts"),
        "Deal" => under_customer("deals"),
        "Ticket" => under_customer("tickets"),
        "Interaction" => under_customer("interactions"),
        "Purchase" => under_customer("purchases"),
        "Feedback" => under_customer("feedback"),
        "SurveyResponse" => under_customer("surveyResponses"),
        "Survey" => under_customer("surveyResponses").replace(selection, &format!("survey {{ {selection} }}")),
        "User" => format!("customers(first: 6) @D {{ nodes {{ owner {{ {selection} }} }} }}"),
        other => panic!("no path to {other}"),
    };
    format!("{{ {path} }}")
}

#[tokio::test]
async fn every_mapped_field_of_every_type_answers_the_same_both_ways_for_every_role() {
    let app = spawn_fast_app().await;
    let tokens = demo_tokens(&app).await;
    let mut never_direct = BTreeSet::new();
    for (ty, field, under) in clientele::graphql::direct::mapped_fields() {
        let query = reaching(ty, &format!("{field} {under}"));
        let mut direct_for_some_role = false;
        for (role, token) in &tokens {
            let (body, direct) = both_ways(&app, token, &query, json!({})).await;
            assert!(body["data"].is_object(), "{role:?} {ty}.{field}: {body}");
            direct_for_some_role |= direct;
        }
        if !direct_for_some_role {
            never_direct.insert(format!("{ty}.{field}"));
        }
    }
    // Each mapped field goes direct for some role (else this compared the standard path
    // with itself).
    assert!(never_direct.is_empty(), "never answered directly: {never_direct:?}");
}
