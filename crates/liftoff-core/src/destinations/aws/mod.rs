//! AWS: a static app served from S3 (and CloudFront), each deployment an immutable release,
//! going live a server-side switch. Requests signed with Signature Version 4 ([`sigv4`]); S3 and
//! CloudFront through their REST APIs, no SDK (`../shared/brief/targets.md`, AWS).
//!
//! Layout in the bucket, under the optional prefix:
//! - `releases/{id}/…`: each release's files, never changed once written;
//! - `releases/liftoff.json`: the [`crate::deploy::releases::Manifest`] (releases, their files'
//!   hashes, the live one);
//! - the live release's files at the root (or the prefix), copied there server-side.

pub mod objects;
pub mod release;
pub mod sigv4;
pub mod workflow;

use std::fmt;

pub use release::{AwsDeployed, AwsHistory, AwsRelease, AwsRollback, BuiltFile, Website};
pub use sigv4::Credentials;

use super::{DestinationSpec, Kind, NameRule};
use crate::net::encode_component;

/// Who answers, in messages.
pub const SERVICE: &str = "AWS";

/// Old releases kept by default besides the live one (as on a server over SSH).
pub const DEFAULT_KEEP: usize = 5;

/// AWS's row of the registry: the CLI's only (its endpoints are per region and per account,
/// so the extension, which reaches only the origins it declares, goes through a GitHub Actions
/// workflow instead).
pub const SPEC: DestinationSpec = DestinationSpec {
    id: "aws",
    display: "AWS",
    word: "bucket",
    token_var: "AWS_ACCESS_KEY_ID",
    token_help: "Access keys as every AWS tool reads them: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE and ~/.aws/credentials; they need s3:GetObject, s3:PutObject and s3:ListBucket on the bucket, and cloudfront:CreateInvalidation with a distribution.",
    origins: &[],
    names: Some(NameRule {
        label: "bucket",
        check: |text| {
            check_bucket(text).map_err(|_| "use 3 to 63 lower-case letters, digits, '-' and '.'")
        },
        max_len: 63,
        suggest: false,
    }),
    kind: Kind::Files,
};

/// Where a static app goes on AWS, and how to sign for it. `Debug` never shows the secret.
#[derive(Clone)]
pub struct AwsTarget {
    pub bucket: String,
    /// Keys start with it (`""`, or `site/`: always ending with `/` when not empty).
    pub prefix: String,
    pub region: String,
    /// A CloudFront distribution to invalidate after a switch.
    pub distribution: Option<String>,
    pub credentials: Credentials,
    /// An S3 endpoint (an S3-compatible store, a local test server): path-style addressing.
    pub s3_endpoint: Option<String>,
    /// A CloudFront endpoint other than AWS's.
    pub cloudfront_endpoint: Option<String>,
    /// Old releases kept besides the live one; older ones leave the manifest and the bucket.
    pub keep: usize,
}

impl fmt::Debug for AwsTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsTarget")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("region", &self.region)
            .field("distribution", &self.distribution)
            .field("credentials", &self.credentials)
            .field("s3_endpoint", &self.s3_endpoint)
            .finish_non_exhaustive()
    }
}

/// Why a target cannot be used as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetProblem {
    #[error("'{}' is not an S3 bucket name: 3 to 63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit", crate::text::excerpt(.0))]
    Bucket(String),
    #[error("'{}' is not a prefix Liftoff writes under: letters, digits, '-', '_', '.' and '/' only, no '..'", crate::text::excerpt(.0))]
    Prefix(String),
    #[error("'{}' is not an AWS region (such as us-east-1)", crate::text::excerpt(.0))]
    Region(String),
}

/// An S3 bucket name: 3 to 63 lower-case letters, digits, `-` and `.`, a letter or digit at
/// each end, no `..`.
pub fn check_bucket(bucket: &str) -> Result<(), TargetProblem> {
    let b = bucket;
    let ok = (3..=63).contains(&b.len())
        && b.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
        && b.starts_with(|c: char| c.is_ascii_alphanumeric())
        && b.ends_with(|c: char| c.is_ascii_alphanumeric())
        && !b.contains("..");
    ok.then_some(())
        .ok_or_else(|| TargetProblem::Bucket(bucket.to_string()))
}

/// A key prefix Liftoff writes under, normalized: `""`, or plain segments ending with `/`.
pub fn checked_prefix(prefix: &str) -> Result<String, TargetProblem> {
    let trimmed = prefix.trim_matches('/');
    let ok = trimmed
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"-_./".contains(&c))
        && !trimmed
            .split('/')
            .any(|s| s == ".." || s == "." || (s.is_empty() && !trimmed.is_empty()));
    match (ok, trimmed.is_empty()) {
        (false, _) => Err(TargetProblem::Prefix(prefix.to_string())),
        (true, true) => Ok(String::new()),
        (true, false) => Ok(format!("{trimmed}/")),
    }
}

/// An AWS region name (`us-east-1`).
pub fn check_region(region: &str) -> Result<(), TargetProblem> {
    let ok = !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    ok.then_some(())
        .ok_or_else(|| TargetProblem::Region(region.to_string()))
}

impl AwsTarget {
    /// Checks the names that go into URLs and keys; the prefix gets its trailing `/`.
    pub fn checked(mut self) -> Result<Self, TargetProblem> {
        check_bucket(&self.bucket)?;
        self.prefix = checked_prefix(&self.prefix)?;
        check_region(&self.region)?;
        Ok(self)
    }

    /// The URL of `key` (its segments percent-encoded once): path-style on a given endpoint,
    /// virtual-hosted on AWS.
    pub fn object_url(&self, key: &str) -> String {
        let key = key
            .split('/')
            .map(encode_component)
            .collect::<Vec<_>>()
            .join("/");
        match &self.s3_endpoint {
            Some(endpoint) => format!("{}/{}/{key}", endpoint.trim_end_matches('/'), self.bucket),
            None => format!(
                "https://{}.s3.{}.amazonaws.com/{key}",
                self.bucket, self.region
            ),
        }
    }

    /// The URL of a bucket-level call (`?website`).
    pub fn bucket_url(&self, query: &str) -> String {
        match &self.s3_endpoint {
            Some(endpoint) => format!("{}/{}?{query}", endpoint.trim_end_matches('/'), self.bucket),
            None => format!(
                "https://{}.s3.{}.amazonaws.com/?{query}",
                self.bucket, self.region
            ),
        }
    }

    /// The CloudFront API's origin.
    pub fn cloudfront_origin(&self) -> String {
        self.cloudfront_endpoint
            .clone()
            .unwrap_or_else(|| "https://cloudfront.amazonaws.com".into())
            .trim_end_matches('/')
            .to_string()
    }

    /// The manifest's key.
    pub fn manifest_key(&self) -> String {
        format!("{}releases/liftoff.json", self.prefix)
    }

    /// Where release `id` keeps `path`.
    pub fn release_key(&self, id: &str, path: &str) -> String {
        format!("{}releases/{id}/{path}", self.prefix)
    }

    /// Where the live `path` sits.
    pub fn live_key(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }
}
