//! Deployments for the service worker's `fetch` driver: deploy an exported zip to Vercel or
//! Netlify, list a project's production deployments, roll back. One class for the three
//! conversations (`DeploySession.deploy/history/rollback`), same driving protocol as
//! `BuilderSession` (see `wire`).

use js_sys::Uint8Array;
use liftoff_core::archive::read_archive;
use liftoff_core::deploy::{
    DeployConversation, DeployError, HistoryConversation, Provider, RollbackConversation, Target,
};
use liftoff_core::detect::detect_framework;
use liftoff_core::net::{Conversation, Outcome, Progress, RequestId};
use liftoff_core::{Limits, Report};
use wasm_bindgen::prelude::*;

use crate::wire::{requests_to_js, response_outcome};
use crate::{capture_error, to_js};

/// A JavaScript `Error` with the deploy error's message, its stable `code` and, when there
/// was one, the HTTP `status`.
fn deploy_error(error: DeployError) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    let _ = js_sys::Reflect::set(&js, &"code".into(), &error.code().into());
    if let DeployError::Remote(remote) = &error {
        if let Some(status) = remote.status() {
            let _ = js_sys::Reflect::set(&js, &"status".into(), &status.into());
        }
    }
    js.into()
}

/// `{provider: 'vercel'|'netlify', project, token, team?, api?}` as the core's target.
fn target(options: &JsValue) -> Result<Target, JsValue> {
    let text = |key: &str| {
        js_sys::Reflect::get(options, &key.into())
            .ok()
            .and_then(|v| v.as_string())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let provider = match text("provider").as_deref() {
        Some("vercel") => Provider::Vercel,
        Some("netlify") => Provider::Netlify,
        _ => return Err(JsError::new("provider must be 'vercel' or 'netlify'").into()),
    };
    let project = text("project").ok_or_else(|| JsError::new("a project name is needed"))?;
    let token = text("token").ok_or_else(|| JsError::new("a token is needed"))?;
    Ok(Target {
        provider,
        project,
        token,
        team: text("team"),
        api: text("api"),
    })
}

enum Machine {
    Deploy(DeployConversation),
    History(HistoryConversation),
    Rollback(RollbackConversation),
}

/// Calls the same method on whichever conversation runs.
macro_rules! each {
    ($machine:expr, $m:ident => $call:expr) => {
        match $machine {
            Machine::Deploy($m) => $call,
            Machine::History($m) => $call,
            Machine::Rollback($m) => $call,
        }
    };
}

/// One deploy, history listing or rollback, driven from JavaScript.
#[wasm_bindgen]
pub struct DeploySession {
    machine: Option<Machine>,
}

#[wasm_bindgen]
impl DeploySession {
    /// Deploys the project in `zip` (an export's zip; `.env` values become the project's
    /// variables, never files) to `target` (`{provider, project, token, team?, api?}`).
    pub fn deploy(zip: &[u8], target_options: JsValue) -> Result<DeploySession, JsValue> {
        let target = target(&target_options)?;
        let mut report = Report::default();
        let tree = read_archive("the exported zip", zip, &Limits::default(), &mut report)
            .map_err(|e| capture_error(e.into()))?;
        let framework = detect_framework(&tree);
        let machine = target.deploy(&tree, &framework).map_err(deploy_error)?;
        Ok(Self::with(Machine::Deploy(machine)))
    }

    /// Lists the target's production deployments, newest first.
    pub fn history(target_options: JsValue) -> Result<DeploySession, JsValue> {
        let machine = target(&target_options)?.history().map_err(deploy_error)?;
        Ok(Self::with(Machine::History(machine)))
    }

    /// Puts `deployment` (or the production deployment before the current one) back.
    pub fn rollback(
        target_options: JsValue,
        deployment: Option<String>,
    ) -> Result<DeploySession, JsValue> {
        let deployment = deployment.filter(|d| !d.is_empty());
        let machine = target(&target_options)?
            .rollback(deployment)
            .map_err(deploy_error)?;
        Ok(Self::with(Machine::Rollback(machine)))
    }

    fn with(machine: Machine) -> Self {
        Self {
            machine: Some(machine),
        }
    }

    fn machine(&mut self) -> Result<&mut Machine, JsError> {
        self.machine
            .as_mut()
            .ok_or_else(|| JsError::new("the session has already finished"))
    }

    /// Requests to send now.
    #[wasm_bindgen(js_name = pollTransmit)]
    pub fn poll_transmit(&mut self, now_ms: f64) -> Result<JsValue, JsError> {
        let out = each!(self.machine()?, m => m.poll_transmit(now_ms as u64));
        requests_to_js(&out)
    }

    /// The response to request `id`.
    #[wasm_bindgen(js_name = handleResponse)]
    pub fn handle_response(
        &mut self,
        id: f64,
        status: u16,
        headers: JsValue,
        body: Uint8Array,
        now_ms: f64,
    ) -> Result<(), JsError> {
        let outcome = response_outcome(status, headers, &body)?;
        self.handle(id, outcome, now_ms)
    }

    /// Request `id` got no response.
    #[wasm_bindgen(js_name = handleNetworkError)]
    pub fn handle_network_error(
        &mut self,
        id: f64,
        message: &str,
        now_ms: f64,
    ) -> Result<(), JsError> {
        self.handle(id, Outcome::NetworkError(message.to_string()), now_ms)
    }

    fn handle(&mut self, id: f64, outcome: Outcome, now_ms: f64) -> Result<(), JsError> {
        let id = RequestId(id as u64);
        each!(self.machine()?, m => m.handle(id, outcome, now_ms as u64));
        Ok(())
    }

    /// When a delayed retry or status poll becomes due (epoch ms), if one waits.
    #[wasm_bindgen(js_name = nextWakeup)]
    pub fn next_wakeup(&mut self) -> Result<Option<f64>, JsError> {
        Ok(each!(self.machine()?, m => m.next_wakeup()).map(|t| t as f64))
    }

    /// `{done, total}`.
    pub fn progress(&mut self) -> Result<JsValue, JsError> {
        let progress: Progress = each!(self.machine()?, m => m.progress());
        to_js(&progress)
    }

    /// True once `finish` may be called.
    #[wasm_bindgen(js_name = isFinished)]
    pub fn is_finished(&mut self) -> Result<bool, JsError> {
        Ok(each!(self.machine()?, m => m.is_finished()))
    }

    /// Deploy and rollback: `{id, url, state}` (rollback: the deployment now in production);
    /// history: `[{id, url, state, created, production}]`, newest first (the CLI's `--json`).
    /// Throws an `Error` with a `code` (`bad-token`, `build-failed`, …).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let machine = self
            .machine
            .take()
            .ok_or_else(|| JsValue::from(JsError::new("the session has already finished")))?;
        let result = match machine {
            Machine::Deploy(m) => m.finish().map(|d| to_js(&d)),
            Machine::History(m) => m.finish().map(|h| to_js(&h)),
            Machine::Rollback(m) => m.finish().map(|d| to_js(&d)),
        };
        result.map_err(deploy_error)?.map_err(JsValue::from)
    }
}
