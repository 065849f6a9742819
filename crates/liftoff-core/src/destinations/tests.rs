//! The destinations registry: ids, kinds, targets and names.

use super::*;

#[test]
fn ids_are_unique_and_every_destination_has_a_token_variable() {
    for (i, spec) in ALL.iter().enumerate() {
        assert!(ALL[..i].iter().all(|d| d.id != spec.id), "{}", spec.id);
        assert!(!spec.token_var.is_empty());
        assert!(spec.origins.iter().all(|o| o.starts_with("https://")));
    }
    assert_eq!(ids(is_hosting), ["vercel", "netlify"]);
}

#[test]
fn targets_are_hosting_destinations_and_teams_go_only_where_taken() {
    let vercel = target("vercel", "app", "t", Some("team_1".into()), None).unwrap();
    assert!(vercel.hosting.teams);
    assert_eq!(vercel.team.as_deref(), Some("team_1"));
    let error = target("netlify", "app", "t", Some("team_1".into()), None).unwrap_err();
    assert_eq!(error.code(), "no-teams");
    assert_eq!(
        error.to_string(),
        "a team id is for Vercel; a Netlify site's account comes with the site"
    );
    assert_eq!(
        target("github", "a/b", "t", None, None).unwrap_err().code(),
        "unknown-destination"
    );
    assert!(target("heroku", "a", "t", None, None).is_err());
    let debug = format!(
        "{:?}",
        target("netlify", "app", "secret-token", None, None).unwrap()
    );
    assert!(!debug.contains("secret-token"), "{debug}");
}
