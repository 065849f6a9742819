//! Requests and responses across the JS boundary, shared by every session class: requests go
//! out as `{id, method, url, headers: [[name, value]], body?: Uint8Array}`, responses come
//! back as status, `[[name, value]]` headers and body bytes.

use js_sys::{Array, Object, Reflect, Uint8Array};
use liftoff_core::net::{Method, Outcome, Outgoing, Response};
use wasm_bindgen::prelude::*;

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(target, &key.into(), value)
        .map(|_| ())
        .map_err(|_| JsError::new("could not build a request object"))
}

/// The requests a conversation wants sent, as plain objects for `fetch`.
pub fn requests_to_js(out: &[Outgoing]) -> Result<JsValue, JsError> {
    let list = Array::new();
    for o in out {
        let request = Object::new();
        set(&request, "id", &(o.id.0 as f64).into())?;
        set(&request, "method", &o.request.method.as_str().into())?;
        set(&request, "url", &o.request.url.as_str().into())?;
        let headers = Array::new();
        for (name, value) in &o.request.headers {
            headers.push(&Array::of2(&name.as_str().into(), &value.as_str().into()));
        }
        set(&request, "headers", &headers)?;
        if o.request.method != Method::Get {
            set(&request, "body", &Uint8Array::from(&o.request.body[..]))?;
        }
        list.push(&request);
    }
    Ok(list.into())
}

/// `[[name, value], …]` as pairs.
fn headers_from_js(headers: &JsValue) -> Result<Vec<(String, String)>, JsError> {
    let bad = || JsError::new("headers must be an array of [name, value] pairs of strings");
    let list: &Array = headers.dyn_ref().ok_or_else(bad)?;
    list.iter()
        .map(|pair| {
            let pair: Array = pair.dyn_into().map_err(|_| bad())?;
            let name = pair.get(0).as_string().ok_or_else(bad)?;
            let value = pair.get(1).as_string().ok_or_else(bad)?;
            Ok((name, value))
        })
        .collect()
}

/// A response from `fetch` as the core's outcome.
pub fn response_outcome(
    status: u16,
    headers: JsValue,
    body: &Uint8Array,
) -> Result<Outcome, JsError> {
    let headers = headers_from_js(&headers)?;
    Ok(Outcome::Response(Response {
        status,
        headers: headers
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect(),
        body: body.to_vec(),
    }))
}
