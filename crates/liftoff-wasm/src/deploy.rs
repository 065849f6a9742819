//! Deployments for the service worker's `fetch` driver: deploy an exported zip to a hosting
//! destination of the registry (to production or as a preview), list a project's deployments,
//! roll back, promote. One class for the four conversations
//! (`DeploySession.deploy/history/rollback/promote`), same driving protocol as `BuilderSession`
//! (see `wire`).

use liftoff_core::deploy::{
    DeployConversation, HistoryConversation, PromoteConversation, RollbackConversation, Stage,
    Target,
};
use liftoff_core::destinations;
use liftoff_core::detect::detect_framework;
use liftoff_core::net::Conversation;
use wasm_bindgen::prelude::*;

use crate::exported::tree_of;
use crate::wire::{driving_methods, finished, Driven};
use crate::{js_error, to_js};

use crate::text_field as text;

/// `{provider, project, token, team?, api?}` (`provider`: a catalog id) as the core's target.
fn target(options: &JsValue) -> Result<Target, JsValue> {
    let provider = text(options, "provider").unwrap_or_default();
    let project =
        text(options, "project").ok_or_else(|| JsError::new("a project name is needed"))?;
    let token = text(options, "token").ok_or_else(|| JsError::new("a token is needed"))?;
    destinations::target(
        &provider,
        project,
        token,
        text(options, "team"),
        text(options, "api"),
    )
    .map_err(|e| js_error(&e))
}

enum Machine {
    Deploy(DeployConversation),
    History(HistoryConversation),
    Rollback(RollbackConversation),
    Promote(PromoteConversation),
}

/// One deploy, history listing or rollback, driven from JavaScript.
#[wasm_bindgen]
pub struct DeploySession {
    machine: Option<Machine>,
}

#[wasm_bindgen]
impl DeploySession {
    /// Deploys the project in `zip` (an export's zip; `.env` values become the project's
    /// variables, never files) to `target` (`{provider, project, token, team?, api?,
    /// framework?, preview?}`; `framework`: the export report's, found again from the files
    /// when absent; `preview: true` leaves production as it is).
    pub fn deploy(zip: &[u8], target_options: JsValue) -> Result<DeploySession, JsValue> {
        let target = target(&target_options)?;
        let tree = tree_of(zip)?;
        let framework =
            text(&target_options, "framework").unwrap_or_else(|| detect_framework(&tree));
        let preview = js_sys::Reflect::get(&target_options, &JsValue::from_str("preview"))
            .ok()
            .and_then(|v| v.as_bool())
            == Some(true);
        let stage = if preview {
            Stage::Preview
        } else {
            Stage::Production
        };
        let machine = target
            .deploy(&tree, &framework, stage)
            .map_err(|e| js_error(&e))?;
        Ok(Self::with(Machine::Deploy(machine)))
    }

    /// Lists the target's production deployments, newest first.
    pub fn history(target_options: JsValue) -> Result<DeploySession, JsValue> {
        let machine = target(&target_options)?
            .history()
            .map_err(|e| js_error(&e))?;
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
            .map_err(|e| js_error(&e))?;
        Ok(Self::with(Machine::Rollback(machine)))
    }

    /// Makes `deployment` production without a rebuild; promoting the live one changes nothing.
    pub fn promote(target_options: JsValue, deployment: String) -> Result<DeploySession, JsValue> {
        let machine = target(&target_options)?
            .promote(deployment)
            .map_err(|e| js_error(&e))?;
        Ok(Self::with(Machine::Promote(machine)))
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
            Machine::Promote(m) => m,
        })
    }

    /// Deploy and rollback: `{id, url, state}` (rollback: the deployment now in production);
    /// promote: `{id, url, state, changed}`; history: `[{id, url, state, created, production,
    /// preview}]`, newest first (the CLI's `--json`).
    /// Throws an `Error` with a `code` (`bad-token`, `build-failed`, …) and its details
    /// (`deployment: {id, state}` for a failed or unfinished build).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let machine = self
            .machine
            .take()
            .ok_or_else(|| JsValue::from(finished()))?;
        let result = match machine {
            Machine::Deploy(m) => m.finish().map(|d| to_js(&d)),
            Machine::History(m) => m.finish().map(|h| to_js(&h)),
            Machine::Rollback(m) => m.finish().map(|d| to_js(&d)),
            Machine::Promote(m) => m.finish().map(|p| to_js(&p)),
        };
        result.map_err(|e| js_error(&e))?.map_err(JsValue::from)
    }
}

driving_methods!(DeploySession);
