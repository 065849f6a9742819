use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::net::run_blocking;

const APP: &str = "66a1b2c3d4e5f60718293a4b";
const TOKEN: &str = "b44-secret-token";

/// `(entity, limit, skip)` of a request URL.
fn parse(url: &str) -> (String, usize, usize) {
    let rest = url
        .strip_prefix(&format!("https://app.base44.com/api/apps/{APP}/entities/"))
        .unwrap();
    let (entity, query) = rest.split_once('?').unwrap();
    let params: BTreeMap<&str, &str> = query
        .split('&')
        .map(|kv| kv.split_once('=').unwrap())
        .collect();
    assert_eq!(params["sort"], "created_date");
    (
        entity.to_string(),
        params["limit"].parse().unwrap(),
        params["skip"].parse().unwrap(),
    )
}

fn table(entity: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"id": format!("{entity}-{i}"), "n": i}))
        .collect()
}

fn ok(rows: &[Value]) -> Outcome {
    Outcome::Response(Response::new(200, serde_json::to_vec(rows).unwrap()))
}

fn config(entities: &[&str]) -> RowsConfig {
    let mut c = RowsConfig::new(APP, TOKEN, entities.iter().map(|e| e.to_string()).collect());
    c.page_size = 10;
    c
}

#[test]
fn pages_every_entity_until_an_empty_page_through_retries() {
    let data: BTreeMap<&str, Vec<Value>> = [
        ("Task", table("Task", 25)),
        ("User Profile", table("UserProfile", 10)),
        ("Empty", vec![]),
    ]
    .into();
    let mut failed_once = false;
    let (result, sent) = run_blocking(
        Base44Rows::new(config(&["Task", "User Profile", "Empty"])).unwrap(),
        |r| {
            assert_eq!(r.header("authorization"), Some("Bearer b44-secret-token"));
            let (entity, limit, skip) = parse(&r.url);
            if entity == "Task" && skip == 10 && !failed_once {
                failed_once = true;
                return Outcome::Response(Response::new(503, Vec::new()));
            }
            let entity = entity.replace("%20", " ");
            let rows = &data[entity.as_str()];
            ok(&rows[skip.min(rows.len())..(skip + limit).min(rows.len())])
        },
    );
    let got = result.unwrap();
    assert_eq!(
        got.iter()
            .map(|e| (e.entity.as_str(), e.rows.len()))
            .collect::<Vec<_>>(),
        [("Task", 25), ("User Profile", 10), ("Empty", 0)]
    );
    assert_eq!(got[0].rows, data["Task"]);
    // Task: 0, 10 (503), 10, 20, 25 (empty); User Profile: 0, 10; Empty: 0.
    assert_eq!(sent, 8);
}

#[test]
fn a_server_that_caps_pages_loses_nothing_and_repeats_are_kept_once() {
    let rows = table("T", 23);
    let (result, _) = run_blocking(Base44Rows::new(config(&["T"])).unwrap(), |r| {
        let (_, _, skip) = parse(&r.url);
        // Pages of at most 4 (below the limit of 10), and every page after the first starts
        // one row early, as when a row was added in front meanwhile.
        let from = skip.saturating_sub(usize::from(skip > 0));
        let from = from.min(rows.len());
        ok(&rows[from..(from + 4).min(rows.len())])
    });
    let got = result.unwrap();
    assert_eq!(got[0].rows, rows, "every row once, in order");
}

#[test]
fn hostile_answers_stop_with_clear_errors() {
    let error = |answer: Outcome| {
        let (result, _) =
            run_blocking(Base44Rows::new(config(&["T"])).unwrap(), |_| answer.clone());
        result.unwrap_err()
    };
    let text = error(Outcome::Response(Response::new(
        200,
        br#"{"items": []}"#.to_vec(),
    )))
    .to_string();
    assert_eq!(
        text,
        "Base44 sent an unexpected answer for the rows of entity T (from row 0): expected a JSON array of rows, got an object"
    );
    let text = error(Outcome::Response(Response::new(200, b"<html>".to_vec()))).to_string();
    assert!(text.ends_with("the answer is not JSON"), "{text}");
    let e = error(Outcome::Response(Response::new(401, Vec::new())));
    assert_eq!(e.code(), "bad-token");
    assert!(!e.to_string().contains(TOKEN));
    assert_eq!(
        error(Outcome::Response(Response::new(404, Vec::new()))).to_string(),
        "Base44: the rows of entity T (from row 0) not found (404), or the token cannot see it"
    );

    // A server that ignores `skip` sends the same page for ever.
    let page = table("T", 10);
    let text = error(ok(&page)).to_string();
    assert!(text.contains("repeats rows already read"), "{text}");
}

#[test]
fn limits_on_rows_and_bytes() {
    let mut c = config(&["T"]);
    c.max_rows = 15;
    let rows = table("T", 100);
    let (result, sent) = run_blocking(Base44Rows::new(c).unwrap(), |r| {
        let (_, limit, skip) = parse(&r.url);
        ok(&rows[skip..skip + limit])
    });
    assert_eq!(result.unwrap_err(), RowsError::TooManyRows { limit: 15 });
    assert_eq!(sent, 2, "stops at the page that crosses the limit");

    let mut c = config(&["T"]);
    c.max_bytes = 100;
    let (result, _) = run_blocking(Base44Rows::new(c).unwrap(), |_| {
        ok(&[json!({"id": "x".repeat(200)})])
    });
    assert_eq!(result.unwrap_err().code(), "too-large");
}

#[test]
fn ids_and_names_are_checked_or_encoded() {
    assert_eq!(
        Base44Rows::new(RowsConfig::new("../x", TOKEN, vec![])).err(),
        Some(RowsError::BadId("../x".into()))
    );
    let mut conv = Base44Rows::new(config(&["A/../B?x=1"])).unwrap();
    let out = conv.poll_transmit(0);
    assert!(out[0]
        .request
        .url
        .contains("/entities/A%2F..%2FB%3Fx%3D1?sort="));
    assert!(!format!("{:?}", out[0].request).contains(TOKEN));
    let (result, sent) = run_blocking(Base44Rows::new(config(&[])).unwrap(), |_| unreachable!());
    assert!(result.unwrap().is_empty());
    assert_eq!(sent, 0);
}
