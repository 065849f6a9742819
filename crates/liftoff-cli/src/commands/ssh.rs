//! `liftoff deploy|deployments|rollback --to ssh://user@host[:port]/path`: the core's plan and
//! scripts run with the system's `ssh` (its agent, its config and known_hosts: host keys are
//! always checked; `LIFTOFF_SSH_COMMAND` replaces `ssh`, as GIT_SSH_COMMAND does for git), the
//! new files sent as one tar on the script's standard input.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use liftoff_core::deploy::releases::{BuiltFile, Manifest};
use liftoff_core::deploy::{Deployment, HistoryEntry};
use liftoff_core::destinations::ssh::{
    self, plan, prune, read_answer, remote_command, SshTarget, LINKS_FILE, MANIFEST_FILE,
};
use thiserror::Error;

use super::source::env_token;

/// Why an SSH deployment did not happen (the server's `current` is unchanged unless said).
#[derive(Debug, Error)]
pub enum SshError {
    #[error(transparent)]
    Address(#[from] ssh::BadSshAddress),
    #[error("`{command}` could not be run: {source}")]
    Spawn {
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("ssh to {host} failed ({status}); the live release is unchanged: {stderr}")]
    Failed {
        host: String,
        status: String,
        stderr: String,
    },
    #[error("the server's releases/liftoff.json cannot be read: {0}")]
    Manifest(String),
    #[error("{0} has no earlier release to roll back to")]
    NothingToRollBackTo(String),
    #[error("{host} has no release {id} (see `liftoff deployments`)")]
    NoSuchRelease { host: String, id: String },
}

/// How to reach the server.
pub struct Reach {
    pub target: SshTarget,
    pub identity: Option<PathBuf>,
}

impl Reach {
    fn command(&self) -> Command {
        let program = env_token("LIFTOFF_SSH_COMMAND").unwrap_or_else(|| "ssh".into());
        let mut words = program.split_whitespace();
        let mut command = Command::new(words.next().unwrap_or("ssh"));
        command.args(words);
        if let Some(port) = self.target.port {
            command.args(["-p", &port.to_string()]);
        }
        if let Some(identity) = &self.identity {
            command.arg("-i").arg(identity);
        }
        command.args(["-o", "BatchMode=yes", "--", &self.target.destination()]);
        command
    }

    /// Runs `script` on the server with `stdin`; its standard output.
    fn run(&self, script: &str, stdin: &[u8]) -> Result<Vec<u8>, SshError> {
        let mut command = self.command();
        command
            .arg(remote_command(script))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|source| SshError::Spawn {
            command: "ssh".into(),
            source,
        })?;
        let mut input = child.stdin.take().expect("piped");
        let bytes = stdin.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&bytes);
        });
        let out = child.wait_with_output().map_err(|source| SshError::Spawn {
            command: "ssh".into(),
            source,
        })?;
        let _ = writer.join();
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let last: Vec<&str> = stderr.lines().rev().take(5).collect();
            return Err(SshError::Failed {
                host: self.target.destination(),
                status: out.status.to_string(),
                stderr: last.into_iter().rev().collect::<Vec<_>>().join(" / "),
            });
        }
        Ok(out.stdout)
    }

    /// The manifest and the live release's id.
    fn read(&self) -> Result<(Manifest, Option<String>), SshError> {
        let out = self.run(&self.target.read_script(), b"")?;
        read_answer(&String::from_utf8_lossy(&out)).map_err(|e| SshError::Manifest(e.to_string()))
    }

    fn url(&self) -> String {
        format!(
            "ssh://{}{}/current",
            self.target.destination(),
            self.target.path
        )
    }

    fn release_url(&self, id: &str) -> String {
        let (host, path) = (self.target.destination(), &self.target.path);
        format!("ssh://{host}{path}/releases/{id}")
    }
}

/// Deploys `files` as a new release and switches `current` to it (a `preview`: stored and
/// recorded only); keeps `keep` old releases. Returns the deployment and how many files were
/// sent and hard-linked.
pub fn deploy(
    reach: &Reach,
    files: &[BuiltFile],
    now_ms: u64,
    keep: usize,
    preview: bool,
) -> Result<(Deployment, usize, usize), SshError> {
    let (manifest, live) = reach.read()?;
    let plan = plan(&manifest, live.as_deref(), files, now_ms, keep, preview);
    let deployment = Deployment {
        id: plan.release.id.clone(),
        url: if preview {
            reach.release_url(&plan.release.id)
        } else {
            reach.url()
        },
        state: if preview { "PREVIEW" } else { "LIVE" }.into(),
    };
    if live.as_deref() == Some(plan.release.id.as_str()) {
        // The same files, deployed again within the same second: already live, nothing to do
        // (never rewrite the folder `current` points at).
        return Ok((deployment, 0, 0));
    }
    let tar = tar_of(&plan, files, now_ms / 1000);
    reach.run(&reach.target.deploy_script(&plan), &tar)?;
    Ok((deployment, plan.send.len(), plan.link.len()))
}

/// The releases, newest first, the live one marked.
pub fn history(reach: &Reach) -> Result<Vec<HistoryEntry>, SshError> {
    let (manifest, live) = reach.read()?;
    Ok(manifest
        .releases
        .iter()
        .rev()
        .map(|r| HistoryEntry {
            id: r.id.clone(),
            url: reach.release_url(&r.id),
            state: match (live.as_deref() == Some(r.id.as_str()), r.preview) {
                (true, _) => "LIVE".into(),
                (false, true) => "PREVIEW".into(),
                (false, false) => "READY".into(),
            },
            created: r.created,
            production: live.as_deref() == Some(r.id.as_str()),
            preview: r.preview && live.as_deref() != Some(r.id.as_str()),
        })
        .collect())
}

/// Switches `current` to release `to` (default: the production release before the live one):
/// a rollback, or the promotion of a preview. Returns the deployment and whether it was live
/// already (then nothing is written).
pub fn rollback(
    reach: &Reach,
    to: Option<String>,
    keep: usize,
) -> Result<(Deployment, bool), SshError> {
    let (mut manifest, live) = reach.read()?;
    manifest.live = live.clone().or(manifest.live);
    let id = match to {
        Some(id) if manifest.release(&id).is_some() => id,
        Some(id) => {
            return Err(SshError::NoSuchRelease {
                host: reach.target.destination(),
                id,
            })
        }
        None => manifest
            .before_live()
            .map(|r| r.id.clone())
            .ok_or_else(|| SshError::NothingToRollBackTo(reach.url()))?,
    };
    let deployment = Deployment {
        id: id.clone(),
        url: reach.url(),
        state: "LIVE".into(),
    };
    if live.as_deref() == Some(id.as_str()) {
        return Ok((deployment, true));
    }
    manifest.live = Some(id.clone());
    for r in &mut manifest.releases {
        if r.id == id {
            r.preview = false;
        }
    }
    let gone = prune(&mut manifest, keep);
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serializes");
    reach.run(&reach.target.rollback_script(&id, &gone), &json)?;
    Ok((deployment, false))
}

/// The tar the deploy script reads: the files to send, the list to link, the new manifest; each
/// dated `time_s` (web servers derive `Last-Modified` and `ETag` from it).
fn tar_of(plan: &ssh::Plan, files: &[BuiltFile], time_s: u64) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut add = |path: &str, bytes: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(time_s);
        header.set_cksum();
        builder
            .append_data(&mut header, path, bytes)
            .expect("appending to a tar in memory");
    };
    for path in &plan.send {
        let file = files
            .iter()
            .find(|f| &f.path == path)
            .expect("a planned file");
        add(path, &file.bytes);
    }
    let links: String = plan.link.iter().map(|p| format!("{p}\n")).collect();
    add(LINKS_FILE, links.as_bytes());
    let manifest = serde_json::to_vec_pretty(&plan.manifest).expect("a manifest serializes");
    add(MANIFEST_FILE, &manifest);
    builder.into_inner().expect("a tar in memory")
}
