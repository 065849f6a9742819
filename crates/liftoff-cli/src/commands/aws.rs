//! `liftoff deploy|deployments|rollback --to aws`: the credentials, region and endpoints as
//! every AWS tool reads them, then the core's release conversations over the blocking driver.

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use liftoff_core::destinations::aws::{AwsTarget, Credentials, TargetProblem};
use thiserror::Error;

use super::source::env_token;

/// Why the AWS settings cannot be used.
#[derive(Debug, Error)]
pub enum AwsSetupError {
    #[error(
        "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE \
         with the profile in ~/.aws/credentials{}",
        .profile.as_ref().map(|p| format!(" (profile {p} not found there)")).unwrap_or_default()
    )]
    NoCredentials { profile: Option<String> },
    #[error("no AWS region: name one with --region, AWS_REGION or AWS_DEFAULT_REGION, or in ~/.aws/config")]
    NoRegion,
    #[error("--bucket is needed with --to aws")]
    NoBucket,
    #[error(transparent)]
    Target(#[from] TargetProblem),
}

/// The flags `--to aws` reads.
pub struct AwsFlags<'a> {
    pub bucket: Option<&'a str>,
    pub region: Option<&'a str>,
    pub prefix: Option<&'a str>,
    pub distribution: Option<&'a str>,
    pub keep: usize,
}

/// The target from the flags and the environment (`AWS_*` variables, then the profile's files).
pub fn target(flags: &AwsFlags) -> Result<AwsTarget, AwsSetupError> {
    let bucket = flags.bucket.ok_or(AwsSetupError::NoBucket)?;
    let profile = env_token("AWS_PROFILE");
    let profile_name = profile.clone().unwrap_or_else(|| "default".into());
    let credentials = match (
        env_token("AWS_ACCESS_KEY_ID"),
        env_token("AWS_SECRET_ACCESS_KEY"),
    ) {
        (Some(id), Some(secret)) => Credentials {
            access_key_id: id,
            secret_access_key: secret,
            session_token: env_token("AWS_SESSION_TOKEN"),
        },
        _ => {
            let file = ini(&aws_file("AWS_SHARED_CREDENTIALS_FILE", "credentials"));
            let section = file.get(&profile_name);
            let field = |key: &str| section.and_then(|s| s.get(key)).cloned();
            match (field("aws_access_key_id"), field("aws_secret_access_key")) {
                (Some(id), Some(secret)) => Credentials {
                    access_key_id: id,
                    secret_access_key: secret,
                    session_token: field("aws_session_token"),
                },
                _ => return Err(AwsSetupError::NoCredentials { profile }),
            }
        }
    };
    let config = ini(&aws_file("AWS_CONFIG_FILE", "config"));
    let config_section = if profile_name == "default" {
        "default".to_string()
    } else {
        format!("profile {profile_name}")
    };
    let from_config = |key: &str| {
        config
            .get(&config_section)
            .and_then(|s| s.get(key))
            .cloned()
    };
    let region = flags
        .region
        .map(str::to_string)
        .or_else(|| env_token("AWS_REGION"))
        .or_else(|| env_token("AWS_DEFAULT_REGION"))
        .or_else(|| from_config("region"))
        .ok_or(AwsSetupError::NoRegion)?;
    let endpoint = |service_var: &str| {
        env_token(service_var)
            .or_else(|| env_token("AWS_ENDPOINT_URL"))
            .or_else(|| from_config("endpoint_url"))
    };
    Ok(AwsTarget {
        bucket: bucket.to_string(),
        prefix: flags.prefix.unwrap_or_default().to_string(),
        region,
        distribution: flags.distribution.map(str::to_string),
        credentials,
        s3_endpoint: endpoint("AWS_ENDPOINT_URL_S3"),
        cloudfront_endpoint: endpoint("AWS_ENDPOINT_URL_CLOUDFRONT"),
        keep: flags.keep,
    }
    .checked()?)
}

/// `~/.aws/<name>`, or the file the variable names.
fn aws_file(var: &str, name: &str) -> PathBuf {
    env_token(var).map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default();
        home.join(".aws").join(name)
    })
}

/// An INI file's sections (`[name]`) and their `key = value` lines; an unreadable file is empty.
/// Written here: the two files' format is a handful of lines, not worth a crate.
fn ini(path: &PathBuf) -> HashMap<String, HashMap<String, String>> {
    let mut sections: HashMap<String, HashMap<String, String>> = HashMap::new();
    let Ok(text) = fs::read_to_string(path) else {
        return sections;
    };
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim().to_string();
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            sections
                .entry(current.clone())
                .or_default()
                .insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    sections
}
