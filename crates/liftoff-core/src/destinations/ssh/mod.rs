//! A server of the founder's own, over SSH (`--to ssh://user@host[:port]/path`): each deployment
//! a release under `path/releases/{id}/`, files the previous release already holds hard-linked
//! instead of sent, `path/current` switched atomically (a symlink renamed over the old one),
//! rollback the same switch, the oldest releases beyond `--keep` removed.
//!
//! The core has no sockets: it parses the address, plans the release and writes the POSIX
//! shell scripts the server runs; the CLI runs them with the system's `ssh` (its agent, its
//! known_hosts: host keys are always checked) and sends the new files as a tar on the script's
//! standard input. No path from the build is ever put into a script: the lists travel inside
//! the tar and are read line by line (a project path holds no control character).

use crate::deploy::releases::{release_of, BuiltFile, Manifest, Release};

use super::{DestinationSpec, Kind};

/// The server's row of the registry: the CLI's only, named by an `ssh://` address.
pub const SPEC: DestinationSpec = DestinationSpec {
    id: "ssh",
    display: "SSH",
    word: "server",
    token_var: "SSH_AUTH_SOCK",
    token_help: "The system's ssh and its agent (or --identity FILE): the server's host key must already be in known_hosts.",
    origins: &[],
    names: None,
    kind: Kind::Files,
};

/// Old releases kept by default (besides the live one).
pub const DEFAULT_KEEP: usize = 5;

/// The manifest's path under the deployment folder.
const MANIFEST: &str = "releases/liftoff.json";
/// The list of files to hard-link, inside the tar: `<path>` lines, each linked from the
/// previous release's file of the same path and content.
pub const LINKS_FILE: &str = ".liftoff-links";
/// The new manifest, inside the tar.
pub const MANIFEST_FILE: &str = ".liftoff-manifest";

/// Where the app lives: `ssh://[user@]host[:port]/path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    /// Absolute, without a trailing `/`.
    pub path: String,
}

/// Why an address is not one Liftoff deploys to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{}' is not an address Liftoff deploys to: write ssh://user@host[:port]/absolute/path (letters, digits, '-', '_', '.', '/' in the path)", crate::text::excerpt(.0))]
pub struct BadSshAddress(pub String);

impl SshTarget {
    /// Parses `ssh://[user@]host[:port]/path`; the path must be absolute and plain (it goes
    /// into the server's shell, quoted, and is refused when it could be anything but a folder).
    pub fn parse(text: &str) -> Result<Self, BadSshAddress> {
        let bad = || BadSshAddress(text.to_string());
        let rest = text.strip_prefix("ssh://").ok_or_else(bad)?;
        let (authority, path) = rest.find('/').map(|at| rest.split_at(at)).ok_or_else(bad)?;
        let (user, host_port) = match authority.rsplit_once('@') {
            Some((user, hp)) => (Some(user.to_string()), hp),
            None => (None, authority),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((h, p)) if !h.contains(']') || h.ends_with(']') => {
                (h, Some(p.parse::<u16>().map_err(|_| bad())?))
            }
            _ => (host_port, None),
        };
        let word_ok = |s: &str| {
            !s.is_empty()
                && !s.starts_with('-')
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.[]:".contains(&b))
        };
        let path = path.trim_end_matches('/');
        let path_ok = path.starts_with('/')
            && path.len() > 1
            && path
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
            && !path.split('/').any(|s| s == ".." || s == ".");
        if !word_ok(host) || !user.as_deref().is_none_or(word_ok) || !path_ok {
            return Err(bad());
        }
        Ok(Self {
            user,
            host: host.to_string(),
            port,
            path: path.to_string(),
        })
    }

    /// `user@host` (or `host`) for `ssh`.
    pub fn destination(&self) -> String {
        match &self.user {
            Some(user) => format!("{user}@{}", self.host),
            None => self.host.clone(),
        }
    }

    /// What serves the app: the one line for nginx and for Caddy.
    pub fn serve_hint(&self) -> String {
        format!(
            "serve {p}/current: nginx `root {p}/current;` or Caddy `root * {p}/current` (with \
             `try_files $uri /index.html;` / `try_files {{path}} /index.html` for a single-page app)",
            p = self.path
        )
    }

    /// The script that prints the manifest (or nothing) and a line `LIVE <id>` for the release
    /// `current` points at.
    pub fn read_script(&self) -> String {
        format!(
            "set -e\ncd {base} 2>/dev/null || exit 0\ncat {MANIFEST} 2>/dev/null || true\n\
             printf '\\nLIVE %s\\n' \"$(readlink current 2>/dev/null || true)\"\n",
            base = quote(&self.path)
        )
    }

    /// The script that stores a release from the tar on its standard input, links the files
    /// the previous one holds, writes the manifest, switches `current` and prunes.
    pub fn deploy_script(&self, plan: &Plan) -> String {
        let id = quote(&plan.release.id);
        let link_from = plan
            .link_from
            .as_deref()
            .map(|prev| quote(&format!("releases/{prev}")))
            .unwrap_or_else(|| "''".into());
        format!(
            "set -eu\numask 022\nmkdir -p {base}/releases\ncd {base}\n\
             tmp=releases/.incoming-$$\nrm -rf \"$tmp\"\nmkdir \"$tmp\"\n\
             trap 'rm -rf \"$tmp\"' EXIT\n\
             tar -x -f - -C \"$tmp\"\n\
             prev={link_from}\n\
             if [ -s \"$tmp/{LINKS_FILE}\" ]; then\n\
             \x20 while IFS= read -r f; do\n\
             \x20   mkdir -p \"$tmp/$(dirname \"$f\")\"\n\
             \x20   ln \"$prev/$f\" \"$tmp/$f\"\n\
             \x20 done < \"$tmp/{LINKS_FILE}\"\n\
             fi\n\
             rm -f \"$tmp/{LINKS_FILE}\"\n\
             mv \"$tmp/{MANIFEST_FILE}\" {MANIFEST}.new\n\
             rm -rf releases/{id}\nmv \"$tmp\" releases/{id}\ntrap - EXIT\n\
             {switch}",
            base = quote(&self.path),
            switch = if plan.preview {
                self.record_lines(&plan.prune)
            } else {
                self.switch_lines(&plan.release.id, &plan.prune)
            },
        )
    }

    /// The script that makes release `id` live again: the manifest from its standard input.
    pub fn rollback_script(&self, id: &str, prune: &[String]) -> String {
        format!(
            "set -eu\ncd {base}\n[ -d releases/{qid} ] || {{ echo 'no release {id} on the server' >&2; exit 3; }}\n\
             cat > {MANIFEST}.new\n{switch}",
            base = quote(&self.path),
            qid = quote(id),
            switch = self.switch_lines(id, prune),
        )
    }

    /// A preview: the manifest put in place, `current` untouched, old releases removed.
    fn record_lines(&self, prune: &[String]) -> String {
        let removals: String = prune
            .iter()
            .map(|old| format!("rm -rf releases/{}\n", quote(old)))
            .collect();
        format!("mv {MANIFEST}.new {MANIFEST}\n{removals}")
    }

    /// `current` replaced atomically (a new symlink renamed over it: `mv -T`, GNU's and
    /// BusyBox's, so the rename never lands inside the old target), the manifest put in place,
    /// old releases removed.
    fn switch_lines(&self, id: &str, prune: &[String]) -> String {
        let removals: String = prune
            .iter()
            .map(|old| format!("rm -rf releases/{}\n", quote(old)))
            .collect();
        format!(
            "ln -sfn releases/{id} current.new-$$\nmv -T current.new-$$ current\n\
             mv {MANIFEST}.new {MANIFEST}\n{removals}",
            id = quote(id)
        )
    }
}

/// The remote command that runs `script` with the server's POSIX shell, whatever the account's
/// login shell is.
pub fn remote_command(script: &str) -> String {
    format!("sh -c {}", quote(script))
}

/// POSIX shell single quotes.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// What a deployment sends and does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub release: Release,
    /// The files sent (their content is not in the previous release at the same path).
    pub send: Vec<String>,
    /// The files hard-linked from the previous release.
    pub link: Vec<String>,
    /// The release they are linked from.
    pub link_from: Option<String>,
    /// The manifest after the switch.
    pub manifest: Manifest,
    /// Releases removed after the switch (beyond `keep`, never the live one).
    pub prune: Vec<String>,
    /// Stored and recorded, `current` left as it is (`deploy --preview`).
    pub preview: bool,
}

/// Plans a deployment of `files` over what the server holds (`manifest`, and the release
/// `current` points at).
pub fn plan(
    manifest: &Manifest,
    live: Option<&str>,
    files: &[BuiltFile],
    now_ms: u64,
    keep: usize,
    preview: bool,
) -> Plan {
    let mut release = release_of(files, now_ms);
    release.preview = preview;
    let previous = live.and_then(|id| manifest.release(id));
    let (mut send, mut link) = (Vec::new(), Vec::new());
    for (path, record) in &release.files {
        let same = previous
            .and_then(|p| p.files.get(path))
            .is_some_and(|old| old.sha256 == record.sha256);
        if same { &mut link } else { &mut send }.push(path.clone());
    }
    let mut next = manifest.clone();
    next.releases.retain(|r| r.id != release.id);
    next.releases.push(release.clone());
    if !preview {
        next.live = Some(release.id.clone());
    }
    let prune = prune(&mut next, keep);
    Plan {
        link_from: previous.map(|p| p.id.clone()),
        release,
        send,
        link,
        manifest: next,
        prune,
        preview,
    }
}

/// Removes from `manifest` the oldest releases beyond `keep` besides the live one; returns
/// their ids (their folders are removed by the script).
pub fn prune(manifest: &mut Manifest, keep: usize) -> Vec<String> {
    manifest.prune(keep).into_iter().map(|r| r.id).collect()
}

/// Reads what [`SshTarget::read_script`] printed: the manifest (empty when there is none) and
/// the live release's id.
pub fn read_answer(text: &str) -> Result<(Manifest, Option<String>), serde_json::Error> {
    let (json, live) = match text.rfind("\nLIVE ") {
        Some(at) => (&text[..at], text[at + 6..].trim()),
        None => (text, ""),
    };
    let manifest = if json.trim().is_empty() {
        Manifest::default()
    } else {
        serde_json::from_str(json)?
    };
    let live = live.strip_prefix("releases/").unwrap_or(live);
    Ok((manifest, (!live.is_empty()).then(|| live.to_string())))
}

#[cfg(test)]
mod tests;
