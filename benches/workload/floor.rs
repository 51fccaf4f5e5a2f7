//! The floor: a minimal HTTP endpoint that answers each workload query with one
//! hand-written PostgreSQL statement building the same JSON as Clientele's GraphQL answer
//! (for the reports: one grouped statement over the records).
//! It applies the same row scope (a rep sees their own customers) and nothing else: no
//! parsing, no authorization, no loaders. Clientele's numbers are reported as ratios to it.
//!
//! Runs in its own process (`workload --serve-floor PORT`) so its CPU time and memory are
//! measured like the server's. Parameters arrive as a JSON array of texts, cast in SQL.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sea_orm::sqlx::{self, PgPool};

/// A relay global id, as Clientele encodes it: base64 of `Type:uuid`.
macro_rules! gid {
    ($ty:literal, $col:literal) => {
        concat!("encode(convert_to('", $ty, ":' || ", $col, ", 'UTF8'), 'base64')")
    };
}

/// Nodes of a child list: `json_agg` over a limited, ordered subquery, `[]` when empty.
macro_rules! nodes {
    ($object:expr, $table:literal WHERE $where:expr, $order:literal, $limit:literal) => {
        concat!(
            "json_build_object('nodes', COALESCE((SELECT json_agg(",
            $object,
            " ORDER BY ",
            $order,
            ") FROM (SELECT * FROM ",
            $table,
            " x WHERE ",
            $where,
            " ORDER BY ",
            $order,
            " LIMIT ",
            $limit,
            ") x), '[]'::json))"
        )
    };
}

macro_rules! contacts {
    ($customer:literal) => {
        nodes!(
            concat!("json_build_object('id', ", gid!("Contact", "x.id"),
                ", 'name', x.name, 'phone', x.phone, 'email', x.email, 'isPrimary', x.is_primary)"),
            "contacts" WHERE concat!("x.customer_id = ", $customer, " AND x.deleted_at IS NULL"),
            "x.created_at, x.id",
            "20"
        )
    };
}

macro_rules! open_deals {
    ($customer:literal) => {
        nodes!(
            concat!("json_build_object('id', ", gid!("Deal", "x.id"), ", 'title', x.title, 'stage', x.stage, \
                'amount', trim_scale(x.amount_e4 / 10000.0)::text, 'currency', x.currency)"),
            "deals" WHERE concat!("x.customer_id = ", $customer,
                " AND x.deleted_at IS NULL AND x.stage IN ('LEAD', 'QUALIFIED', 'PROPOSAL', 'NEGOTIATION')"),
            "x.created_at DESC, x.id",
            "20"
        )
    };
}

macro_rules! last_tickets {
    ($customer:literal) => {
        nodes!(
            concat!("json_build_object('id', ", gid!("Ticket", "x.id"),
                ", 'code', x.code, 'subject', x.subject, 'status', x.status, 'priority', x.priority)"),
            "tickets" WHERE concat!("x.customer_id = ", $customer, " AND x.deleted_at IS NULL"),
            "x.opened_at DESC, x.id",
            "3"
        )
    };
}

/// Q1: $1 created_at and $2 id of the row before the page, $3 the rep's scope or null.
const Q1: &str = concat!(
    "WITH page AS (SELECT * FROM customers c WHERE c.deleted_at IS NULL AND ($3::uuid IS NULL OR c.owner_id = $3::uuid) \
       AND (c.created_at, c.id) > ($1::timestamptz, $2::uuid) ORDER BY c.created_at, c.id LIMIT 51), \
     shown AS (SELECT * FROM page ORDER BY created_at, id LIMIT 50) \
     SELECT json_build_object('data', json_build_object('customers', json_build_object( \
       'pageInfo', json_build_object('hasNextPage', (SELECT count(*) > 50 FROM page)), \
       'nodes', COALESCE((SELECT json_agg(json_build_object( \
         'id', ",
    gid!("Customer", "s.id"),
    ", 'code', s.code, 'name', s.name, 'phone', s.phone, 'email', s.email, \
         'lifecycleStage', s.lifecycle_stage, \
         'owner', (SELECT json_build_object('id', ",
    gid!("User", "u.id"),
    ", 'name', u.name, 'email', u.email) \
                   FROM users u WHERE u.id = s.owner_id), \
         'contacts', ",
    contacts!("s.id"),
    ", \
         'deals', ",
    open_deals!("s.id"),
    ", \
         'tickets', ",
    last_tickets!("s.id"),
    " \
       ) ORDER BY s.created_at, s.id) FROM shown s), '[]'::json))))::text"
);

/// Q2: $1 the customer, $2 the rep's scope or null.
const Q2: &str = concat!(
    "SELECT json_build_object('data', json_build_object('customer', (SELECT json_build_object( \
       'id', ",
    gid!("Customer", "s.id"),
    ", 'code', s.code, 'name', s.name, 'phone', s.phone, 'email', s.email, \
       'lifecycleStage', s.lifecycle_stage, \
       'contacts', ",
    contacts!("s.id"),
    ", \
       'deals', ",
    open_deals!("s.id"),
    ", \
       'tickets', ",
    last_tickets!("s.id"),
    ", \
       'surveyResponses', ",
    nodes!(
        concat!("json_build_object('id', ", gid!("SurveyResponse", "x.id"), ", 'score', x.score, \
            'survey', (SELECT json_build_object('id', ", gid!("Survey", "v.id"), ", 'title', v.title) \
                       FROM surveys v WHERE v.id = x.survey_id AND v.deleted_at IS NULL))"),
        "survey_responses" WHERE "x.customer_id = s.id AND x.deleted_at IS NULL",
        "x.submitted_at DESC, x.id",
        "10"
    ),
    " \
     ) FROM customers s WHERE s.id = $1::uuid AND s.deleted_at IS NULL \
       AND ($2::uuid IS NULL OR s.owner_id = $2::uuid))))::text"
);

/// Q3: $1 the owner, $2 the tag, $3 the rep's scope or null.
const Q3: &str = concat!(
    "SELECT json_build_object('data', json_build_object('customers', json_build_object('nodes', \
       COALESCE((SELECT json_agg(json_build_object('id', ",
    gid!("Customer", "s.id"),
    ", 'name', s.name, \
         'contacts', ",
    nodes!("json_build_object('email', x.email)",
            "contacts" WHERE "x.customer_id = s.id AND x.deleted_at IS NULL", "x.created_at, x.id", "20"),
    ") \
         ORDER BY s.name, s.id) \
       FROM (SELECT * FROM customers c WHERE c.deleted_at IS NULL AND c.owner_id = $1::uuid \
               AND ($3::uuid IS NULL OR c.owner_id = $3::uuid) \
               AND EXISTS (SELECT 1 FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id \
                           WHERE ct.customer_id = c.id AND t.id = $2::uuid AND t.deleted_at IS NULL) \
             ORDER BY c.name, c.id LIMIT 50) s), '[]'::json))))::text"
);

/// Q4: $1 the owner, $2 the rep's scope or null.
const Q4: &str = "SELECT json_build_object('data', json_build_object('dealsByStage', COALESCE(( \
       SELECT json_agg(json_build_object('stage', stage, 'currency', currency, 'count', n, \
                                         'amount', trim_scale(total / 10000.0)::text) ORDER BY stage, currency) \
       FROM (SELECT d.stage, d.currency, count(*) AS n, sum(d.amount_e4) AS total FROM deals d \
             WHERE d.deleted_at IS NULL AND d.owner_id = $1::uuid \
               AND d.customer_id IN (SELECT c.id FROM customers c WHERE c.deleted_at IS NULL \
                                     AND ($2::uuid IS NULL OR c.owner_id = $2::uuid)) \
             GROUP BY d.stage, d.currency) g), '[]'::json)))::text";

/// The customers a viewer sees: $N the rep's scope or null.
macro_rules! scoped_customers {
    ($n:literal) => {
        concat!(
            "SELECT c.id FROM customers c WHERE c.deleted_at IS NULL AND ($",
            $n,
            "::uuid IS NULL OR c.owner_id = $",
            $n,
            "::uuid)"
        )
    };
}

/// D1: $1 the rep's scope or null. The grouped statement over the deals (what `dealsByStage`
/// ran before the dashboard summaries).
const D1: &str = concat!(
    "SELECT json_build_object('data', json_build_object('dealsByStage', COALESCE(( \
       SELECT json_agg(json_build_object('stage', stage, 'currency', currency, 'count', n, \
                                         'amount', trim_scale(total / 10000.0)::text) ORDER BY stage, currency) \
       FROM (SELECT d.stage, d.currency, count(*) AS n, sum(d.amount_e4) AS total FROM deals d \
             WHERE d.deleted_at IS NULL AND d.customer_id IN (",
    scoped_customers!("1"),
    ") GROUP BY d.stage, d.currency) g), '[]'::json)))::text"
);

/// R1: $1 from and $2 to (days), $3 the rep's scope or null. Purchases per month and
/// customer owner.
const R1: &str = concat!(
    "SELECT json_build_object('data', json_build_object('salesByPeriod', COALESCE(( \
       SELECT json_agg(json_build_object('period', period, \
           'owner', CASE WHEN owner IS NULL THEN NULL ELSE json_build_object('id', ",
    gid!("User", "owner"),
    ") END, \
           'currency', currency, 'count', n, 'amount', trim_scale(total / 10000.0)::text) \
         ORDER BY period, currency, owner) \
       FROM (SELECT to_char(date_trunc('month', p.purchased_at), 'YYYY-MM-DD') AS period, c.owner_id AS owner, \
                    p.currency, count(*) AS n, sum(p.amount_e4) AS total \
             FROM purchases p JOIN customers c ON c.id = p.customer_id \
             WHERE p.deleted_at IS NULL AND c.deleted_at IS NULL AND ($3::uuid IS NULL OR c.owner_id = $3::uuid) \
               AND p.purchased_at >= $1::date AND p.purchased_at < $2::date \
             GROUP BY 1, 2, 3) g), '[]'::json)))::text"
);

/// R2: $1 from and $2 to (instants), $3 the rep's scope or null. Service times per
/// priority, percentiles in seconds to the millisecond.
const R2: &str = concat!(
    "SELECT json_build_object('data', json_build_object('serviceTimes', COALESCE(( \
       SELECT json_agg(json_build_object('priority', priority, 'opened', opened, 'resolved', resolved, \
           'firstResponseP50', round(fr50::numeric, 3), 'firstResponseP90', round(fr90::numeric, 3), \
           'resolutionP50', round(res50::numeric, 3), 'resolutionP90', round(res90::numeric, 3), \
           'breached', breached, \
           'breachRate', CASE WHEN opened > 0 THEN round(breached::numeric / opened * 1000) / 10 END) \
         ORDER BY priority) \
       FROM (SELECT t.priority, count(*) AS opened, \
                    count(*) FILTER (WHERE t.status IN ('RESOLVED', 'CLOSED')) AS resolved, \
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (t.first_response_at - t.opened_at))) AS fr50, \
                    percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (t.first_response_at - t.opened_at))) AS fr90, \
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (t.resolved_at - t.opened_at))) AS res50, \
                    percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (t.resolved_at - t.opened_at))) AS res90, \
                    count(*) FILTER (WHERE t.first_response_breached OR t.resolution_breached) AS breached \
             FROM tickets t WHERE t.deleted_at IS NULL AND t.customer_id IN (",
    scoped_customers!("3"),
    ") AND t.opened_at >= $1::timestamptz AND t.opened_at < $2::timestamptz \
             GROUP BY t.priority) g), '[]'::json)))::text"
);

/// R3: $1 the survey, $2 the rep's scope or null. NPS (% promoters − % detractors, to one
/// decimal) per customer value tier.
const R3: &str = "SELECT json_build_object('data', json_build_object('satisfactionByValueTier', COALESCE(( \
       SELECT json_agg(json_build_object('valueTier', tier, 'responses', n, \
           'score', CASE WHEN n > 0 THEN round((p - d)::numeric / n * 1000) / 10 END) ORDER BY tier) \
       FROM (SELECT c.value_tier AS tier, count(r.score) AS n, count(*) FILTER (WHERE r.score >= 9) AS p, \
                    count(*) FILTER (WHERE r.score <= 6) AS d \
             FROM survey_responses r JOIN customers c ON c.id = r.customer_id \
             WHERE r.deleted_at IS NULL AND c.deleted_at IS NULL AND ($2::uuid IS NULL OR c.owner_id = $2::uuid) \
               AND r.survey_id = $1::uuid AND r.score IS NOT NULL \
             GROUP BY c.value_tier) g), '[]'::json)))::text";

/// Q5: $1 the customer, $2 the rep's scope or null, $3 the acting user, $4 channel, $5 summary.
/// Inserts the interaction, moves the customer's last-interaction time, writes the audit
/// row and re-evaluates the customer's lifecycle, HIGH_FREQUENCY and DORMANT classes by the
/// default rules (history, current class and the customer's column where one changed), as
/// Clientele does, in one statement. The statement's snapshot does not see the interaction
/// it inserts: it counts as one more, and as the latest contact.
const Q5: &str = concat!(
    "WITH target AS (SELECT c.id FROM customers c WHERE c.id = $1::uuid AND c.deleted_at IS NULL \
       AND ($2::uuid IS NULL OR c.owner_id = $2::uuid)), \
     ins AS (INSERT INTO interactions (id, customer_id, contact_id, deal_id, user_id, channel, occurred_at, summary, \
               outcome, next_step, next_follow_up_at, version, created_at, updated_at, deleted_at) \
             SELECT gen_random_uuid(), t.id, NULL, NULL, $3::uuid, $4, now(), $5, NULL, NULL, NULL, 1, now(), now(), NULL \
             FROM target t RETURNING *), \
     cls AS (SELECT n.dimension, n.value, cc.value AS before, n.count FROM target t \
               CROSS JOIN LATERAL ( \
                 SELECT 'LIFECYCLE' AS dimension, CASE WHEN p.first IS NULL THEN 'POTENTIAL' \
                     WHEN p.first >= (now() - interval '3 months')::date THEN 'NEW' ELSE 'ESTABLISHED' END AS value, \
                     NULL::int AS count \
                   FROM (SELECT MIN(purchased_at) AS first FROM purchases WHERE customer_id = t.id AND deleted_at IS NULL) p \
                 UNION ALL \
                 SELECT 'HIGH_FREQUENCY', CASE WHEN f.n + 1 >= 3 THEN 'HIGH_FREQUENCY' END, (f.n + 1)::int \
                   FROM (SELECT COUNT(*) AS n FROM interactions WHERE customer_id = t.id AND deleted_at IS NULL \
                         AND occurred_at >= now() - interval '30 days') f \
                 UNION ALL SELECT 'DORMANT', NULL, NULL) n \
               LEFT JOIN customer_classifications cc ON cc.customer_id = t.id AND cc.dimension = n.dimension \
               WHERE (cc.customer_id IS NULL AND n.value IS NOT NULL) \
                  OR (cc.customer_id IS NOT NULL AND cc.value IS DISTINCT FROM n.value)), \
     hist AS (INSERT INTO classification_history (customer_id, dimension, from_value, to_value, changed_at, count, \
                rules_version) SELECT t.id, c.dimension, c.before, c.value, now(), c.count, 0 FROM cls c, target t \
              RETURNING id), \
     cur AS (INSERT INTO customer_classifications (customer_id, dimension, value, since, count, rules_version) \
               SELECT t.id, c.dimension, c.value, now(), c.count, 0 FROM cls c, target t \
             ON CONFLICT (customer_id, dimension) DO UPDATE SET value = excluded.value, since = excluded.since, \
               amount = NULL, share = NULL, at = NULL, count = excluded.count, rules_version = 0 RETURNING customer_id), \
     touch AS (UPDATE customers c SET last_interaction_at = i.occurred_at, \
                 lifecycle_stage = COALESCE((SELECT value FROM cls WHERE dimension = 'LIFECYCLE'), c.lifecycle_stage) \
               FROM ins i WHERE c.id = i.customer_id \
               AND (c.last_interaction_at IS NULL OR c.last_interaction_at < i.occurred_at) RETURNING c.id), \
     audit AS (INSERT INTO audit_events (id, actor_id, action, entity, entity_id, fields, request_id, created_at, updated_at) \
               SELECT gen_random_uuid(), $3::uuid, 'create', 'Interaction', i.id, '[\"*\"]', NULL, now(), now() \
               FROM ins i RETURNING id) \
     SELECT json_build_object('data', json_build_object('createInteraction', json_build_object( \
       'interaction', (SELECT json_build_object('id', ",
    gid!("Interaction", "i.id"),
    ", 'channel', i.channel, \
                       'summary', i.summary) FROM ins i), \
       'userErrors', '[]'::json)))::text"
);

/// The statement for a query name (`q1` … `q5`).
fn statement(query: &str) -> Option<&'static str> {
    Some(match query {
        "q1" => Q1,
        "q2" => Q2,
        "q3" => Q3,
        "q4" => Q4,
        "q5" => Q5,
        "d1" => D1,
        "r1" => R1,
        "r2" => R2,
        "r3" => R3,
        _ => return None,
    })
}

/// Serves the floor on 127.0.0.1:`port` until killed.
pub async fn serve(database_url: &str, port: u16) -> Result<(), String> {
    // No ping on checkout (sqlx's default), as the server is configured: the floor is one
    // round trip per request.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(10)
        .test_before_acquire(false)
        .connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let app = Router::new().route("/healthz", get(|| async { "ok" })).route("/{query}", post(answer)).with_state(pool);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| e.to_string())?;
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

async fn answer(State(pool): State<PgPool>, Path(query): Path<String>, body: Bytes) -> Response {
    let Some(sql) = statement(&query) else { return StatusCode::NOT_FOUND.into_response() };
    let Ok(params) = serde_json::from_slice::<Vec<Option<String>>>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let mut statement = sqlx::query_scalar::<_, String>(sql);
    for param in params {
        statement = statement.bind(param);
    }
    match statement.fetch_one(&pool).await {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
