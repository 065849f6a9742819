//! What front ends show of the registries: every builder and destination with its names, and
//! the rules for the names a person types. The extension gets this through the wasm (never a
//! copy in JavaScript: the builders from the export module, the destinations from the remote
//! module); the CLI reads the registries directly.

use serde::Serialize;

use crate::builders;
use crate::destinations::{self, Kind};

/// The builders and destinations, as the popup and the options page show them.
#[derive(Debug, Serialize)]
pub struct Catalog {
    pub builders: Vec<BuilderEntry>,
    pub destinations: Vec<DestinationEntry>,
}

/// One builder.
#[derive(Debug, Serialize)]
pub struct BuilderEntry {
    pub id: &'static str,
    pub name: &'static str,
    /// What it calls a person's work (`project`, `app`).
    pub word: &'static str,
    /// Where a person finds one (`lovable.dev/projects/…`).
    pub address: &'static str,
    /// Where its editor runs.
    pub hosts: &'static [&'static str],
    /// Whether the project comes from its API (with the page's session) rather than the page.
    pub fetched: bool,
    /// Its API's origins (the only ones its session token goes to); none for a builder read
    /// from its page.
    pub origins: &'static [&'static str],
    /// Where a person makes a key for its official API, when it has one: the options page then
    /// holds one (under the builder's id, with the tokens' storage rules).
    #[serde(rename = "keyHelp")]
    pub key_help: Option<&'static str>,
}

/// One destination.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationEntry {
    pub id: &'static str,
    pub name: &'static str,
    /// `forge`, `hosting` or `database`.
    pub kind: &'static str,
    /// What it calls the thing a person names (`repository`, `project`, `site`).
    pub word: &'static str,
    /// What the name a person types is called (`project name`, `project ref`), when it has one.
    pub label: Option<&'static str>,
    /// Whether names can be suggested from a project's name ([`suggest_name`]).
    pub suggests: bool,
    /// The environment variable the CLI reads its token from.
    pub token_var: &'static str,
    /// Where a person makes a token, and what it needs.
    pub token_help: &'static str,
    /// Whether it takes a team id.
    pub teams: bool,
    /// A forge a person may run on their own host (an origin added in the options page).
    pub self_managed: bool,
    /// A forge whose commit checks Liftoff follows after a push.
    pub follows_checks: bool,
    /// The only origins its token goes to.
    pub origins: &'static [&'static str],
}

/// Every builder and destination, in registry order.
pub fn catalog() -> Catalog {
    Catalog {
        builders: builder_entries(),
        destinations: destination_entries(),
    }
}

/// Every builder, in registry order (what the extension's export module carries).
pub fn builder_entries() -> Vec<BuilderEntry> {
    builders::ALL
        .iter()
        .map(|s| BuilderEntry {
            id: s.builder.as_str(),
            name: s.display,
            word: s.word,
            address: s.address,
            hosts: s.hosts,
            fetched: s.remote.is_some(),
            origins: s.remote.as_ref().map_or(&[], |r| r.origins),
            key_help: s
                .remote
                .as_ref()
                .filter(|r| r.key_var.is_some())
                .map(|r| r.key_help),
        })
        .collect()
}

/// Every destination, in registry order (what the extension's remote module carries).
pub fn destination_entries() -> Vec<DestinationEntry> {
    destinations::ALL
        .iter()
        .map(|d| DestinationEntry {
            id: d.id,
            name: d.display,
            kind: match d.kind {
                Kind::Forge(_) => "forge",
                Kind::Hosting(_) => "hosting",
                Kind::Database(_) => "database",
                Kind::Files => "files",
            },
            word: d.word,
            label: d.names.as_ref().map(|n| n.label),
            suggests: d.names.as_ref().is_some_and(|n| n.suggest),
            token_var: d.token_var,
            token_help: d.token_help,
            teams: matches!(&d.kind, Kind::Hosting(h) if h.teams),
            self_managed: matches!(&d.kind, Kind::Forge(f) if f.self_managed),
            follows_checks: matches!(&d.kind, Kind::Forge(f) if f.checks.is_some()),
            origins: d.origins,
        })
        .collect()
}

/// Why `name` cannot be destination `destination`'s name, as a sentence; `None` when it can.
pub fn name_problem(destination: &str, name: &str) -> Option<String> {
    match destinations::by_id(destination) {
        Some(spec) => spec.name_problem(name),
        None => Some(format!(
            "“{}” is not a destination Liftoff knows.",
            destination.chars().take(40).collect::<String>()
        )),
    }
}

/// A name destination `destination` accepts, made from a project's name; `None` when it has no
/// such names.
pub fn suggest_name(destination: &str, text: &str) -> Option<String> {
    destinations::by_id(destination)?.suggest_name(text)
}

#[cfg(test)]
mod tests;
