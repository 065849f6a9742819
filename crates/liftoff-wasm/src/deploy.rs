//! Deployments for the service worker's `fetch` driver: deploy an exported zip to Vercel or
//! Netlify, list a project's production deployments, roll back. One class for the three
//! conversations (`DeploySession.deploy/history/rollback`), same driving protocol as
//! `BuilderSession` (see `wire`).

use liftoff_core::archive::read_archive;
use liftoff_core::deploy::{
    DeployConversation, DeployError, HistoryConversation, Provider, RollbackConversation, Target,
};
use liftoff_core::detect::detect_framework;
use liftoff_core::net::Conversation;
use liftoff_core::{Limits, Report};
use wasm_bindgen::prelude::*;

use crate::wire::{driving_methods, finished, Driven};
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
    let provider = text("provider")
        .and_then(|name| Provider::from_name(&name))
        .ok_or_else(|| JsError::new("provider must be 'vercel' or 'netlify'"))?;
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

    fn driven(&mut self) -> Result<&mut dyn Driven, JsError> {
        Ok(match self.machine.as_mut().ok_or_else(finished)? {
            Machine::Deploy(m) => m,
            Machine::History(m) => m,
            Machine::Rollback(m) => m,
        })
    }

    /// Deploy and rollback: `{id, url, state}` (rollback: the deployment now in production);
    /// history: `[{id, url, state, created, production}]`, newest first (the CLI's `--json`).
    /// Throws an `Error` with a `code` (`bad-token`, `build-failed`, …).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let machine = self
            .machine
            .take()
            .ok_or_else(|| JsValue::from(finished()))?;
        let result = match machine {
            Machine::Deploy(m) => m.finish().map(|d| to_js(&d)),
            Machine::History(m) => m.finish().map(|h| to_js(&h)),
            Machine::Rollback(m) => m.finish().map(|d| to_js(&d)),
        };
        result.map_err(deploy_error)?.map_err(JsValue::from)
    }
}

driving_methods!(DeploySession);
