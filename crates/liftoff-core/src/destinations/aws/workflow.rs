//! The extension's route to AWS: it cannot build, so it pushes the export with a GitHub Actions
//! workflow that builds and deploys on every push to the branch, signed in to AWS through
//! GitHub's OIDC provider (`permissions: id-token: write` and an IAM role to assume: no
//! long-lived key in the repository). The workflow keeps Liftoff's layout with the AWS CLI:
//! the build under `releases/<commit>/` (hashed assets immutable, the rest `no-cache`), then
//! made live assets first and pages last, then one CloudFront invalidation of the pages.

/// What the workflow deploys to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowSpec {
    pub bucket: String,
    pub region: String,
    /// The IAM role GitHub's OIDC token is exchanged for (`arn:aws:iam::<account>:role/<name>`).
    pub role_arn: String,
    pub distribution: Option<String>,
    /// Keys start with it (`""` or `site/`).
    pub prefix: String,
    /// The branch whose pushes deploy; `None`: the repository's default branch.
    pub branch: Option<String>,
    /// `npm ci` with a lockfile, `npm install` without.
    pub lockfile: bool,
    /// Where the build leaves the site, most likely first.
    pub output_dirs: Vec<String>,
}

/// Where the workflow is written in the repository.
pub const WORKFLOW_PATH: &str = ".github/workflows/liftoff-aws.yml";

/// Where a push of `tree` deploys, as the person gave it; the rest comes from the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsRoute {
    pub bucket: String,
    pub region: String,
    pub role_arn: String,
    pub distribution: Option<String>,
    pub prefix: String,
}

/// Adds the workflow for `route` to `tree` (replacing an earlier one), deploying pushes to
/// `branch` (`None`: the default branch): the install command and the output folder from the
/// tree's lockfile and framework.
pub fn add_workflow(
    tree: &mut crate::tree::SourceTree,
    route: AwsRoute,
    branch: Option<String>,
) -> Result<(), WorkflowProblem> {
    let framework = crate::detect::detect_framework(tree);
    let spec = WorkflowSpec {
        bucket: route.bucket,
        region: route.region,
        role_arn: route.role_arn,
        distribution: route.distribution.filter(|d| !d.is_empty()),
        prefix: route.prefix,
        branch,
        lockfile: tree.get("package-lock.json").is_some(),
        output_dirs: crate::detect::static_output_dirs(&framework)
            .iter()
            .map(|d| d.to_string())
            .collect(),
    }
    .checked()?;
    let entry = crate::tree::FileEntry::new(spec.yaml().into_bytes());
    tree.insert(WORKFLOW_PATH, entry, crate::tree::OnDuplicate::Replace)
        .expect("a fixed, valid path");
    Ok(())
}

/// Why a spec is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowProblem {
    #[error("'{}' is not an IAM role ARN: write arn:aws:iam::<12-digit account>:role/<name>", crate::text::excerpt(.0))]
    Role(String),
    #[error("'{}' is not a CloudFront distribution id (upper-case letters and digits)", crate::text::excerpt(.0))]
    Distribution(String),
    #[error(transparent)]
    Target(#[from] super::TargetProblem),
}

impl crate::error::Coded for WorkflowProblem {
    /// The popup words it from the core's sentence.
    fn code(&self) -> &'static str {
        "bad-aws-route"
    }
}

impl WorkflowSpec {
    /// Checks every value that goes into the workflow (none can break out of its YAML string or
    /// its shell line).
    pub fn checked(mut self) -> Result<Self, WorkflowProblem> {
        super::check_bucket(&self.bucket)?;
        super::check_region(&self.region)?;
        self.prefix = super::checked_prefix(&self.prefix)?;
        let role_ok = self
            .role_arn
            .strip_prefix("arn:aws:iam::")
            .and_then(|rest| rest.split_once(":role/"))
            .is_some_and(|(account, name)| {
                account.len() == 12
                    && account.bytes().all(|b| b.is_ascii_digit())
                    && !name.is_empty()
                    && name.len() <= 512
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-/".contains(&b))
            });
        if !role_ok {
            return Err(WorkflowProblem::Role(self.role_arn));
        }
        if let Some(d) = &self.distribution {
            if d.is_empty()
                || d.len() > 32
                || !d
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            {
                return Err(WorkflowProblem::Distribution(d.clone()));
            }
        }
        if let Some(branch) = &self.branch {
            let plain = crate::destinations::github::names::check_branch(branch).is_ok()
                && branch
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b));
            if !plain {
                // Not safe to quote into the trigger: the job's own check names it instead.
                self.branch = None;
            }
        }
        self.output_dirs.retain(|d| {
            !d.is_empty()
                && d.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
                && !d.contains("..")
        });
        Ok(self)
    }

    /// The workflow file's text.
    pub fn yaml(&self) -> String {
        let install = if self.lockfile {
            "npm ci"
        } else {
            "npm install"
        };
        let dirs = self.output_dirs.join(" ");
        let base = format!("s3://{}/{}", self.bucket, self.prefix);
        let invalidate = match &self.distribution {
            Some(id) => format!(
                "      - name: Invalidate the pages\n        run: aws cloudfront create-invalidation --distribution-id {id} --paths '/{p}index.html' '/{p}' '/{p}*.html'\n",
                p = self.prefix
            ),
            None => String::new(),
        };
        let (trigger, only) = match &self.branch {
            Some(branch) => (format!("\n    branches: ['{branch}']"), String::new()),
            None => (
                String::new(),
                "    if: github.ref_name == github.event.repository.default_branch\n".to_string(),
            ),
        };
        let branch = self.branch.as_deref().unwrap_or("the default branch");
        format!(
            "# Written by Liftoff: builds this app and deploys it to s3://{bucket}/{prefix} on every push to {branch}.\n\
             # AWS access comes from GitHub's OIDC token exchanged for the role below (no keys stored here).\n\
             name: Deploy on AWS (Liftoff)\n\
             on:\n  push:{trigger}\n  workflow_dispatch: {{}}\n\
             permissions:\n  id-token: write\n  contents: read\n\
             concurrency:\n  group: liftoff-aws\n  cancel-in-progress: false\n\
             jobs:\n  deploy:\n{only}    runs-on: ubuntu-latest\n    steps:\n\
             \x20     - uses: actions/checkout@v4\n\
             \x20     - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n\
             \x20     - name: Install\n        run: {install}\n\
             \x20     - name: Build\n        run: npm run build\n\
             \x20     - name: Find the site\n        id: site\n        run: |\n          for d in {dirs}; do if [ -d \"$d\" ]; then echo \"dir=$d\" >> \"$GITHUB_OUTPUT\"; exit 0; fi; done\n          echo 'The build left no site in: {dirs}' >&2; exit 1\n\
             \x20     - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: {role}\n          aws-region: {region}\n\
             \x20     - name: Store the release\n        run: |\n          aws s3 cp \"${{{{ steps.site.outputs.dir }}}}\" \"{base}releases/${{GITHUB_SHA}}/\" --recursive --exclude 'assets/*' --cache-control no-cache\n          aws s3 cp \"${{{{ steps.site.outputs.dir }}}}\" \"{base}releases/${{GITHUB_SHA}}/\" --recursive --exclude '*' --include 'assets/*' --cache-control 'public, max-age=31536000, immutable'\n\
             \x20     - name: Go live, assets first, pages last\n        run: |\n          aws s3 cp \"{base}releases/${{GITHUB_SHA}}/\" \"{base}\" --recursive --exclude '*.html'\n          aws s3 cp \"{base}releases/${{GITHUB_SHA}}/\" \"{base}\" --recursive --exclude '*' --include '*.html'\n\
             {invalidate}",
            bucket = self.bucket,
            prefix = self.prefix,
            role = self.role_arn,
            region = self.region,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> WorkflowSpec {
        WorkflowSpec {
            bucket: "founder-app".into(),
            region: "eu-west-1".into(),
            role_arn: "arn:aws:iam::123456789012:role/liftoff-deploy".into(),
            distribution: Some("E2EXAMPLE1".into()),
            prefix: "site".into(),
            branch: Some("main".into()),
            lockfile: true,
            output_dirs: vec!["dist".into(), "build".into()],
        }
    }

    #[test]
    fn the_workflow_signs_in_with_oidc_and_keeps_the_release_layout() {
        let yaml = spec().checked().unwrap().yaml();
        assert!(
            yaml.contains("permissions:\n  id-token: write\n  contents: read\n")
                && yaml.contains("  push:\n    branches: ['main']\n"),
            "{yaml}"
        );
        assert!(yaml.contains("role-to-assume: arn:aws:iam::123456789012:role/liftoff-deploy"));
        assert!(yaml.contains("s3://founder-app/site/releases/${GITHUB_SHA}/"));
        assert!(yaml.contains("run: npm ci\n"));
        assert!(yaml.contains("--distribution-id E2EXAMPLE1"));
        assert!(yaml.contains("${{ steps.site.outputs.dir }}"));
        let assets = yaml.find("--exclude '*.html'").unwrap();
        let pages = yaml.find("--exclude '*' --include '*.html'").unwrap();
        assert!(assets < pages, "assets live before pages");
        assert!(!yaml.contains("AWS_SECRET_ACCESS_KEY") && !yaml.contains("secrets."));
    }

    #[test]
    fn values_that_could_break_out_are_refused() {
        let bad_role = WorkflowSpec {
            role_arn: "arn:aws:iam::123:role/x'; rm -rf /".into(),
            ..spec()
        };
        assert!(matches!(bad_role.checked(), Err(WorkflowProblem::Role(_))));
        let bad_dist = WorkflowSpec {
            distribution: Some("e2$(x)".into()),
            ..spec()
        };
        assert!(matches!(
            bad_dist.checked(),
            Err(WorkflowProblem::Distribution(_))
        ));
        let bad_bucket = WorkflowSpec {
            bucket: "Bad Bucket".into(),
            ..spec()
        };
        assert!(bad_bucket.checked().is_err());
        let odd = WorkflowSpec {
            branch: Some("x'y".into()),
            output_dirs: vec!["dist".into(), "$(x)".into()],
            ..spec()
        }
        .checked()
        .unwrap();
        assert_eq!(odd.branch, None);
        assert_eq!(odd.output_dirs, ["dist"]);
        let default = odd.yaml();
        assert!(
            default.contains("  push:\n  workflow_dispatch"),
            "{default}"
        );
        assert!(
            default.contains("    if: github.ref_name == github.event.repository.default_branch\n")
        );
    }
}
