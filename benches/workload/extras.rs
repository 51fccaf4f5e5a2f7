//! The figures of whole-base operations, measured once the load is over: a full
//! reclassification (as an operator runs it), `duplicateCandidates` over every customer,
//! and a filter on one custom field (a definition and a value per customer are added on
//! first use; the definition's expression index serves the filter).

use crate::setup::{self, SetupResult};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};
use std::time::Instant;

/// What the whole-base operations took.
pub struct Extras {
    pub reclassify_seconds: f64,
    pub duplicates_seconds: f64,
    pub duplicate_clusters: u64,
    pub custom_field_p50_ms: f64,
}

/// Runs and times each operation against the server at `graphql_url` and database `url`.
pub async fn measure<F, Fut>(db: &DatabaseConnection, url: &str, graphql: F) -> SetupResult<Extras>
where
    F: Fn(Value) -> Fut,
    Fut: std::future::Future<Output = SetupResult<Value>>,
{
    let started = Instant::now();
    let reclassified = setup::cli(url, &["reclassify"])?;
    let reclassify_seconds = started.elapsed().as_secs_f64();
    eprintln!("{reclassified}");

    let started = Instant::now();
    let data = graphql(json!({ "query": "{ duplicateCandidates(first: 20) { totalCount nodes { score } } }" })).await?;
    let duplicates_seconds = started.elapsed().as_secs_f64();
    let duplicate_clusters = data["duplicateCandidates"]["totalCount"].as_u64().unwrap_or(0);
    eprintln!("duplicateCandidates: {duplicate_clusters} clusters in {duplicates_seconds:.2} s");

    custom_field_values(db, &graphql).await?;
    let query = "query($code: JSON) { customers(first: 20, filter: { customField: { key: \"industry_code\", eq: $code } }) { totalCount nodes { id } } }";
    let mut times = Vec::new();
    for i in 0..21 {
        let started = Instant::now();
        let data = graphql(json!({ "query": query, "variables": { "code": format!("C{:02}", i % 16) } })).await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if data["customers"]["totalCount"].as_u64().unwrap_or(0) == 0 {
            return Err("the custom field filter matched no customer".into());
        }
    }
    times.sort_by(f64::total_cmp);
    let custom_field_p50_ms = times[times.len() / 2];
    eprintln!("customField filter p50 {custom_field_p50_ms:.1} ms");
    Ok(Extras { reclassify_seconds, duplicates_seconds, duplicate_clusters, custom_field_p50_ms })
}

/// The `industry_code` definition and one of 16 codes on every customer, once per database.
async fn custom_field_values<F, Fut>(db: &DatabaseConnection, graphql: &F) -> SetupResult<()>
where
    F: Fn(Value) -> Fut,
    Fut: std::future::Future<Output = SetupResult<Value>>,
{
    let defined = graphql(
        json!({ "query": "{ customFieldDefinitions(filter: { key: { eq: \"industry_code\" } }) { totalCount } }" }),
    )
    .await?;
    if defined["customFieldDefinitions"]["totalCount"].as_u64() == Some(1) {
        return Ok(());
    }
    let create = "mutation { createCustomFieldDefinition(input: { recordType: CUSTOMER, key: \"industry_code\", label: \"行业代码\", fieldType: TEXT }) { userErrors { message } } }";
    graphql(json!({ "query": create })).await?;
    let sql = "UPDATE customers SET custom_fields = json_build_object('industry_code', \
               'C' || lpad((get_byte(decode(md5(id::text), 'hex'), 0) % 16)::text, 2, '0'))";
    let backend = db.get_database_backend();
    for statement in [sql, "ANALYZE customers"] {
        db.execute_raw(Statement::from_string(backend, statement.to_owned())).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}
