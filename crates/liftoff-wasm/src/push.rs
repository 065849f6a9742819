//! A forge for the service worker's `fetch` driver: what a push of an export would change
//! (`PushSession.preview`), the push itself (one commit, and a pull request when asked), and the
//! CI verdict of a commit (`ChecksSession`). Same driving protocol as `BuilderSession` (see
//! `wire`).

use liftoff_core::destinations::aws::workflow::{add_workflow, AwsRoute};
use liftoff_core::destinations::github::{
    default_message, ChecksConfig, PullRequestSpec, PushConfig,
};
use liftoff_core::destinations::{
    self, ChecksConversation, Forge, Kind, PreviewConversation, PushConversation,
};
use liftoff_core::net::Conversation;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::exported::tree_of;
use crate::wire::{driving_methods, finished, Driven};
use crate::{js_error, to_js};

/// A field of an options object, when set.
fn get(options: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(options, &key.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// A non-blank text field of an options object.
fn text(options: &JsValue, key: &str) -> Option<String> {
    get(options, key)
        .and_then(|v| v.as_string())
        .filter(|s| !s.trim().is_empty())
}

/// The forge a catalog id names (GitHub by default), and the origin its requests go to: `api`
/// when given (a self-managed host), else the forge's own (never another forge's: a GitLab
/// token goes to gitlab.com, not to GitHub's API).
fn forge(options: &JsValue) -> Result<(&'static Forge, String), JsValue> {
    let id = text(options, "forge").unwrap_or_else(|| "github".into());
    let spec = destinations::by_id(&id);
    match (spec, spec.map(|d| &d.kind)) {
        (Some(spec), Some(Kind::Forge(forge))) => {
            let api = text(options, "api").or_else(|| spec.default_api().map(str::to_string));
            let api =
                api.ok_or_else(|| JsError::new(&format!("{id} has no address to push to")))?;
            Ok((forge, api))
        }
        _ => Err(JsError::new(&format!("{id} is not a forge Liftoff pushes to")).into()),
    }
}

/// `{branch?, create?, private?, message?, pr?: {title, summary}}` as the core's push settings
/// for `api` (from [`forge`]).
fn config(
    repository: &str,
    token: &str,
    api: String,
    options: &JsValue,
    now_ms: f64,
) -> PushConfig {
    let flag = |key: &str| get(options, key).and_then(|v| v.as_bool()).unwrap_or(false);
    let time_s = (now_ms / 1000.0) as i64;
    // The popup sends the message it showed (the export module's `defaultCommitMessage` unless
    // the person wrote one); this module does not carry the builders' names.
    let message = text(options, "message").unwrap_or_else(|| default_message(None, time_s));
    let mut config = PushConfig::new(repository, token, message, time_s);
    config.api = api;
    config.branch = text(options, "branch");
    config.create = flag("create");
    config.private = flag("private");
    if let Some(pr) = get(options, "pr") {
        config.pull_request = Some(PullRequestSpec {
            title: text(&pr, "title").unwrap_or_default(),
            summary: text(&pr, "summary").unwrap_or_default(),
        });
    }
    config
}

/// `aws: {bucket, region, role, distribution?, prefix?}`: the export goes with the GitHub
/// Actions workflow that deploys it on AWS (the core's `aws::workflow`).
fn with_aws_workflow(
    tree: &mut liftoff_core::tree::SourceTree,
    options: &JsValue,
    branch: Option<String>,
) -> Result<(), JsValue> {
    let Some(aws) = get(options, "aws").filter(|v| v.is_object()) else {
        return Ok(());
    };
    let route = AwsRoute {
        bucket: text(&aws, "bucket").unwrap_or_default(),
        region: text(&aws, "region").unwrap_or_default(),
        role_arn: text(&aws, "role").unwrap_or_default(),
        distribution: text(&aws, "distribution"),
        prefix: text(&aws, "prefix").unwrap_or_default(),
    };
    add_workflow(tree, route, branch).map_err(|e| js_error(&e))
}

enum Machine {
    Push(PushConversation),
    Preview(PreviewConversation),
}

/// One push (or preview) of an exported project to a repository, driven from JavaScript.
#[wasm_bindgen]
pub struct PushSession {
    machine: Option<Machine>,
}

/// A preview as the popup reads it: the CLI's `--dry-run --json` fields and the diffs.
#[derive(Serialize)]
struct PreviewJs<'a> {
    #[serde(flatten)]
    preview: &'a liftoff_core::destinations::github::Preview,
    diffs: &'a [liftoff_core::destinations::github::FileDiff],
}

#[wasm_bindgen]
impl PushSession {
    /// Starts a push of the project in `zip` (an export's zip) to `repository` (`OWNER/NAME`)
    /// with `token`. `options`: `{forge?, api?, branch?, create?, private?, message?, pr?:
    /// {title, summary}}` (`forge`: a catalog id, GitHub by default; `pr`: open or update a pull
    /// request from `branch` into the default branch); `now_ms` dates the commit.
    #[wasm_bindgen(constructor)]
    pub fn new(
        zip: &[u8],
        repository: &str,
        token: &str,
        options: JsValue,
        now_ms: f64,
    ) -> Result<PushSession, JsValue> {
        let (forge, api) = forge(&options)?;
        let mut tree = tree_of(zip)?;
        let config = config(repository, token, api, &options, now_ms);
        with_aws_workflow(&mut tree, &options, config.branch.clone())?;
        let conversation = (forge.push)(config, tree).map_err(|e| js_error(&e))?;
        Ok(Self {
            machine: Some(Machine::Push(conversation)),
        })
    }

    /// What that push would change, nothing written: the same arguments.
    pub fn preview(
        zip: &[u8],
        repository: &str,
        token: &str,
        options: JsValue,
        now_ms: f64,
    ) -> Result<PushSession, JsValue> {
        let (forge, api) = forge(&options)?;
        let mut tree = tree_of(zip)?;
        let config = config(repository, token, api, &options, now_ms);
        with_aws_workflow(&mut tree, &options, config.branch.clone())?;
        let conversation = (forge.preview)(config, tree).map_err(|e| js_error(&e))?;
        Ok(Self {
            machine: Some(Machine::Preview(conversation)),
        })
    }

    fn driven(&mut self) -> Result<&mut dyn Driven, JsError> {
        Ok(match self.machine.as_mut().ok_or_else(finished)? {
            Machine::Push(m) => m,
            Machine::Preview(m) => m,
        })
    }

    /// A push: `{commit, url, branch, repository, created, up_to_date, rebuilt, objects_sent,
    /// bytes_sent, requests, excluded, changes, pull_request?}` (the CLI's `--json` names). A
    /// preview: `{repository, branch, changes, excluded, up_to_date, diffs: [{path, text,
    /// cut}]}`. Throws an `Error` with a `code` (`bad-token`, `forbidden`, …).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let machine = self
            .machine
            .take()
            .ok_or_else(|| JsValue::from(finished()))?;
        let value = match machine {
            Machine::Push(m) => to_js(&m.finish().map_err(|e| js_error(&e))?),
            Machine::Preview(m) => {
                let preview = m.finish().map_err(|e| js_error(&e))?;
                to_js(&PreviewJs {
                    preview: &preview,
                    diffs: &preview.diffs,
                })
            }
        };
        value.map_err(JsValue::from)
    }
}

driving_methods!(PushSession);

/// A commit's CI verdict, read once or followed until it is over, driven from JavaScript.
#[wasm_bindgen]
pub struct ChecksSession {
    conversation: Option<ChecksConversation>,
}

#[wasm_bindgen]
impl ChecksSession {
    /// Reads the checks of `commit` in `repository` with `token`; `options`: `{forge?, api?,
    /// wait?}` (`wait`: follow them until they pass or fail, every few seconds, then backing
    /// off).
    #[wasm_bindgen(constructor)]
    pub fn new(
        repository: &str,
        commit: &str,
        token: &str,
        options: JsValue,
    ) -> Result<ChecksSession, JsValue> {
        let (forge, api) = forge(&options)?;
        let mut config = ChecksConfig::new(repository, commit, token);
        config.api = api;
        config.wait = get(&options, "wait")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let checks = forge.checks.ok_or_else(|| {
            js_error(&liftoff_core::destinations::github::PushError::ChecksUnsupported)
        })?;
        let conversation = checks(config).map_err(|e| js_error(&e))?;
        Ok(Self {
            conversation: Some(conversation),
        })
    }

    fn driven(&mut self) -> Result<&mut dyn Driven, JsError> {
        Ok(self.conversation.as_mut().ok_or_else(finished)?)
    }

    /// The verdict of the last round read while the session follows the checks
    /// (`{state, checks, failing, timed_out}`), or `null` before the first.
    pub fn latest(&self) -> Result<JsValue, JsValue> {
        match self.conversation.as_ref().and_then(|c| c.latest()) {
            Some(checks) => to_js(checks).map_err(JsValue::from),
            None => Ok(JsValue::NULL),
        }
    }

    /// `{state: 'queued'|'running'|'passed'|'failed'|'none', checks: [{name, status,
    /// conclusion, url}], failing, timed_out}`.
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let conversation = self
            .conversation
            .take()
            .ok_or_else(|| JsValue::from(finished()))?;
        let checks = conversation.finish().map_err(|e| js_error(&e))?;
        to_js(&checks).map_err(JsValue::from)
    }
}

driving_methods!(ChecksSession);
