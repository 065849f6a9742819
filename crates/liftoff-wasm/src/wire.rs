//! Requests and responses across the JS boundary, shared by every session class: requests go
//! out as `{id, method, url, headers: [[name, value]], body?: Uint8Array}`, responses come
//! back as status, `[[name, value]]` headers and body bytes; and the driving methods every
//! session class shares (`driving_methods!`).

use js_sys::{Array, Object, Reflect, Uint8Array};
use liftoff_core::net::{Conversation, Method, Outcome, Outgoing, Progress, RequestId, Response};
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

/// What a session drives: [`Conversation`] without `finish`, so that a session holding one of
/// several conversations (with different results) can hand out whichever runs.
pub trait Driven {
    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing>;
    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64);
    fn next_wakeup(&self) -> Option<u64>;
    fn progress(&self) -> Progress;
    fn is_finished(&self) -> bool;
}

impl<C: Conversation> Driven for C {
    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        Conversation::poll_transmit(self, now_ms)
    }
    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        Conversation::handle(self, id, outcome, now_ms)
    }
    fn next_wakeup(&self) -> Option<u64> {
        Conversation::next_wakeup(self)
    }
    fn progress(&self) -> Progress {
        Conversation::progress(self)
    }
    fn is_finished(&self) -> bool {
        Conversation::is_finished(self)
    }
}

/// The driving methods every session class exposes to the service worker's `fetch` driver
/// (`pollTransmit`, `handleResponse`, `handleNetworkError`, `nextWakeup`, `progress`,
/// `isFinished`), written once over the session's `fn driven(&mut self) -> Result<&mut dyn
/// Driven, JsError>` (an error once the session has finished). `finish` stays per class: each
/// result has its own shape.
macro_rules! driving_methods {
    ($session:ident) => {
        #[wasm_bindgen::prelude::wasm_bindgen]
        impl $session {
            /// Requests to send now.
            #[wasm_bindgen(js_name = pollTransmit)]
            pub fn poll_transmit(
                &mut self,
                now_ms: f64,
            ) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsError> {
                let out = self.driven()?.poll_transmit(now_ms as u64);
                $crate::wire::requests_to_js(&out)
            }

            /// The response to request `id`: status, headers as `[[name, value]]`, body bytes.
            #[wasm_bindgen(js_name = handleResponse)]
            pub fn handle_response(
                &mut self,
                id: f64,
                status: u16,
                headers: wasm_bindgen::JsValue,
                body: js_sys::Uint8Array,
                now_ms: f64,
            ) -> Result<(), wasm_bindgen::JsError> {
                let outcome = $crate::wire::response_outcome(status, headers, &body)?;
                let id = liftoff_core::net::RequestId(id as u64);
                self.driven()?.handle(id, outcome, now_ms as u64);
                Ok(())
            }

            /// Request `id` got no response (network error, dropped connection).
            #[wasm_bindgen(js_name = handleNetworkError)]
            pub fn handle_network_error(
                &mut self,
                id: f64,
                message: &str,
                now_ms: f64,
            ) -> Result<(), wasm_bindgen::JsError> {
                let outcome = liftoff_core::net::Outcome::NetworkError(message.to_string());
                let id = liftoff_core::net::RequestId(id as u64);
                self.driven()?.handle(id, outcome, now_ms as u64);
                Ok(())
            }

            /// When a delayed retry or status poll becomes due (epoch ms), if one waits.
            #[wasm_bindgen(js_name = nextWakeup)]
            pub fn next_wakeup(&mut self) -> Result<Option<f64>, wasm_bindgen::JsError> {
                Ok(self.driven()?.next_wakeup().map(|t| t as f64))
            }

            /// `{done, total}`.
            pub fn progress(&mut self) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsError> {
                let progress = self.driven()?.progress();
                $crate::to_js(&progress)
            }

            /// True once `finish` may be called.
            #[wasm_bindgen(js_name = isFinished)]
            pub fn is_finished(&mut self) -> Result<bool, wasm_bindgen::JsError> {
                Ok(self.driven()?.is_finished())
            }
        }
    };
}
pub(crate) use driving_methods;

/// The error every session method gives once `finish` has been called.
pub fn finished() -> JsError {
    JsError::new("the session has already finished")
}
