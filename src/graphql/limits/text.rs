//! The checks on the raw request, before any parsing: one loop over the query text and an
//! explicit-stack walk of the variables — no recursion, whatever the nesting.

use super::too_complex;
use async_graphql::{ServerResult, Value as ConstValue, Variables};

/// How deep `variables` nest, counted up to `limit + 1` with an explicit stack.
pub(super) fn variables_depth(variables: &Variables, limit: usize) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&ConstValue, usize)> = variables.values().map(|v| (v, 1)).collect();
    while let Some((value, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &ConstValue>> = match value {
            ConstValue::List(items) => Box::new(items.iter()),
            ConstValue::Object(fields) => Box::new(fields.values()),
            _ => continue,
        };
        deepest = deepest.max(depth);
        if depth > limit {
            return depth;
        }
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    deepest
}

/// One pass over the query text as GraphQL's lexer sees it (ignored characters,
/// comments, strings and block strings, names, numbers, punctuators), counting tokens and
/// the nesting of `{`, `[` and `(`. Malformed text is left for the parser to report;
/// only its size matters here.
pub(super) fn scan(query: &str, max_tokens: usize, max_nesting: usize) -> ServerResult<()> {
    let bytes = query.as_bytes();
    let (mut i, mut tokens, mut depth) = (0, 0usize, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = comment_end(bytes, i);
                continue;
            }
            b'"' => i = string_end(bytes, i),
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > max_nesting {
                    return Err(too_complex(format!(
                        "the query nests deeper than {max_nesting} levels of brackets; at most {max_nesting} are allowed"
                    )));
                }
                i += 1;
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => i += 3,
            b'_' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' => {
                i += 1;
                while i < bytes.len()
                    && matches!(bytes[i], b'_' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'+')
                {
                    i += 1;
                }
            }
            _ => {
                // A punctuator, the BOM or anything else: one token per character.
                i += query[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        tokens += 1;
        if tokens > max_tokens {
            return Err(too_complex(format!(
                "the query has more than {max_tokens} tokens; at most {max_tokens} are allowed"
            )));
        }
    }
    Ok(())
}

/// Where the comment starting at `i` ends (its line break, or the end).
fn comment_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
        i += 1;
    }
    i
}

/// Where the string or block string starting at `i` ends (past its closing quote).
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    if bytes[i..].starts_with(b"\"\"\"") {
        i += 3;
        while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
            i += if bytes[i..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
        }
        return i + 3;
    }
    i += 1;
    while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphql::limits::{HARD_MAX_NESTING, Limits};

    fn nested(depth: usize) -> String {
        format!(
            "{{ customers(filter: {{name: {{in: {}\"a\"{}}}}}) {{ totalCount }} }}",
            "[".repeat(depth),
            "]".repeat(depth)
        )
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_nest() {
        let query =
            format!("# {}\n{{ a(x: \"{}\", y: \"\"\"{}\"\"\") }}", "[".repeat(500), "{".repeat(500), "(".repeat(500));
        assert!(scan(&query, 2_000, 10).is_ok());
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let err = scan(&nested(5_000), usize::MAX, 40).unwrap_err();
        assert!(err.message.contains("nests deeper"), "{}", err.message);
        assert!(scan(&nested(30), usize::MAX, 40).is_ok());
    }

    #[test]
    fn tokens_are_counted() {
        let query = format!("{{ {} }}", "a ".repeat(100));
        assert!(scan(&query, 102, 5).is_ok());
        assert!(scan(&query, 101, 5).is_err());
        let query = "{ a(x: -1.5e3, y: $v) @skip(if: true) ... on T { b } }";
        assert!(scan(query, 25, 5).is_ok());
        assert!(scan(query, 24, 5).is_err());
    }

    #[test]
    fn deep_variables_are_refused() {
        let mut value = serde_json::json!(1);
        for _ in 0..100 {
            value = serde_json::json!([value]);
        }
        let variables = Variables::from_json(serde_json::json!({ "v": value }));
        assert!(Limits::default().precheck("{ a }", &variables).is_err());
        let shallow = Variables::from_json(serde_json::json!({ "v": [[{"a": [1]}]] }));
        assert!(Limits::default().precheck("{ a }", &shallow).is_ok());
    }

    /// What the hard ceiling lets through parses on a worker-sized stack.
    #[test]
    fn parser_survives_the_hard_ceiling() {
        let query = nested(HARD_MAX_NESTING - 8);
        let parsed = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || async_graphql::parser::parse_query(query).is_ok())
            .map(|t| t.join());
        assert!(matches!(parsed, Ok(Ok(true))));
    }
}
