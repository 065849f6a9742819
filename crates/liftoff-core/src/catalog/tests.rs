//! The catalog against the registries, and the extension's manifest against the catalog: a
//! builder or destination added to a registry without its manifest lines (or the reverse) fails
//! here, not in a person's browser.

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;

const MANIFEST: &str = include_str!("../../../../manifest.json");

fn manifest() -> Value {
    serde_json::from_str(MANIFEST).unwrap()
}

#[test]
fn the_manifests_host_permissions_are_exactly_the_registries_origins() {
    let catalog = catalog();
    let mut origins: BTreeSet<String> = BTreeSet::new();
    for builder in builders::ALL {
        if let Some(remote) = &builder.remote {
            origins.extend(remote.origins.iter().map(|o| format!("{o}/*")));
            // The pages of a fetched builder: Chrome shows the worker the session a page sends
            // to its API (webRequest) only with host access to the page's origin too.
            origins.extend(builder.hosts.iter().map(|h| format!("https://{h}/*")));
        }
    }
    for destination in &catalog.destinations {
        origins.extend(destination.origins.iter().map(|o| format!("{o}/*")));
    }
    let declared: BTreeSet<String> = manifest()["host_permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    assert_eq!(declared, origins);
}

#[test]
fn every_builder_has_a_content_script_on_its_hosts_and_nothing_else_does() {
    let hosts: BTreeSet<String> = catalog()
        .builders
        .iter()
        .flat_map(|b| b.hosts.iter().map(|h| format!("https://{h}/*")))
        .collect();
    let matched: BTreeSet<String> = manifest()["content_scripts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["matches"].as_array().unwrap().clone())
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    assert_eq!(matched, hosts);
}

#[test]
fn names_are_checked_and_suggested_by_the_destinations_rules() {
    assert_eq!(name_problem("vercel", "my-app"), None);
    let problem = name_problem("netlify", "My_App").unwrap();
    assert!(problem.contains("Netlify site name"), "{problem}");
    assert!(name_problem("vercel", "a---b").unwrap().contains("---"));
    assert_eq!(name_problem("github", "acme/crm.web"), None);
    assert!(name_problem("github", "crm").is_some());
    assert_eq!(name_problem("supabase", "abcdefghijklmnopqrst"), None);
    assert!(name_problem("supabase", "ABCDEFGHIJKLMNOPQRST").is_some());
    assert!(name_problem("elsewhere", "x").is_some());
    assert_eq!(
        suggest_name("vercel", "My Portfolio (v2)!").as_deref(),
        Some("my-portfolio-v2")
    );
    assert_eq!(
        suggest_name("netlify", "Café Crème").as_deref(),
        Some("cafe-creme")
    );
    assert_eq!(suggest_name("netlify", "!!!").as_deref(), Some("my-app"));
    let long = "word ".repeat(40);
    let cut = suggest_name("netlify", &long).unwrap();
    assert!(cut.len() <= 63 && !cut.ends_with('-'), "{cut}");
    assert_eq!(suggest_name("supabase", "anything"), None);
}

#[test]
fn the_catalog_serializes_every_entry() {
    let json = serde_json::to_value(catalog()).unwrap();
    let ids = |key: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("builders"), ["bolt", "lovable", "base44"]);
    assert_eq!(
        ids("destinations"),
        [
            "github", "vercel", "netlify", "supabase", "postgres", "aws", "ssh", "gitlab", "gitea",
            "git"
        ]
    );
    let vercel = &json["destinations"][1];
    assert_eq!(vercel["kind"], "hosting");
    assert_eq!(vercel["teams"], true);
    assert_eq!(json["destinations"][2]["word"], "site");
}
