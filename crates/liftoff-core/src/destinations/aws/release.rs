//! The conversations with S3 (and CloudFront): a release deployed and made live
//! ([`AwsRelease`]), the releases listed ([`AwsHistory`]), an earlier one made live again
//! ([`AwsRollback`]).
//!
//! 1. `GET {prefix}releases/liftoff.json` (none yet: a first deployment).
//! 2. A deployment stores its files under `releases/{id}/`: `PutObject` for content the bucket
//!    does not hold, `CopyObject` (server-side, nothing uploaded) from an earlier release for
//!    content it does, found by SHA-256 in the manifest.
//! 3. Going live (a deployment, or a rollback): the manifest first says a switch is under way
//!    (`switching`); the release's files are copied server-side to the root, every asset first
//!    and the HTML pages last, so no page is ever served whose assets are missing; a file the
//!    live release already serves with the same content is left as it is (a one-file redeploy
//!    or a rollback copies what differs), unless an earlier switch stopped halfway: then every
//!    file is copied. Files of the previous live release that the new one lacks are deleted
//!    from the root, but for hashed assets (a page cached elsewhere may still ask for them).
//! 4. `PUT releases/liftoff.json` with the live release; then, with a distribution, one
//!    CloudFront invalidation of the pages (its `CallerReference` makes a retry create nothing).
//! 5. A deployment of a single-page app makes its deep links load: without a distribution, a
//!    bucket with no website configuration gets index and error document `index.html`; behind
//!    one (the app at the bucket's root), a distribution with no custom error responses gets 403
//!    and 404 answered with `/index.html`, written back with the ETag it was read with. What the
//!    founder set is left alone, and a refusal here leaves the deployment standing.
//!
//! Every call is idempotent (the same bytes to the same key; the invalidation's reference), so
//! a lost answer is simply asked again. A failure before step 3 leaves the live app as it was.

use crate::deploy::{steps_driving, DeployError, Deployment, HistoryEntry};
use crate::net::{
    header, Conversation, Method, Outcome, Outgoing, Pool, PoolEvent, Progress, RemoteError,
    Request, RequestId, Response, RetryPolicy,
};

use super::objects::{cache_control, content_type, is_entry, is_hashed};
use super::sigv4::{self, Payload, Scope};
use super::{AwsTarget, SERVICE};
pub use crate::deploy::releases::BuiltFile;
use crate::deploy::releases::{release_of, Manifest, Release};

/// Requests in flight at once (S3 takes thousands a second per prefix).
const IN_FLIGHT: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Job {
    ReadManifest,
    /// Upload a release file (by its index in the build).
    Put(usize),
    /// A server-side copy; `path` names the file in messages.
    Copy {
        from: String,
        to: String,
        path: String,
    },
    /// A file of the previous live release that the new one lacks, removed from the root.
    Delete {
        key: String,
        path: String,
    },
    /// A file of a release dropped past `keep` (its failure is not the deployment's).
    DropOld {
        key: String,
    },
    /// The bucket's website configuration, read (a single-page app needs an error document).
    ReadWebsite,
    /// The website configuration written: index and error document `index.html`.
    WriteWebsite,
    /// The manifest saying a switch is under way.
    MarkSwitching,
    WriteManifest,
    Invalidate,
    /// The distribution's configuration, read with its ETag (a single-page app needs its 403
    /// and 404 answered with `index.html`).
    ReadDistribution,
    /// The configuration written back whole, with only its error responses set.
    WriteDistribution {
        config: String,
        etag: String,
    },
}

/// Where the conversation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Reading,
    Storing,
    Marking,
    LiveAssets,
    LiveEntries,
    Pruning,
    Recording,
    DroppingOld,
    Website,
    Invalidating,
    ErrorPages,
}

/// What makes a single-page app's deep links load after a deployment: the bucket website's
/// error document when the bucket serves the app, the distribution's error responses (403 and
/// 404 answered with `/index.html`) when a CloudFront distribution does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Website {
    /// Not looked at: no `index.html`, a rollback, or an app under a prefix behind a
    /// distribution (whose origin path Liftoff does not know).
    NotAsked,
    /// Set by this deployment.
    Set,
    /// The founder's own was there (a website configuration, or error responses): left as it is.
    Kept,
    /// Could not be read or written (the keys may not): the founder sets it.
    Refused,
}

/// What a deployment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsDeployed {
    pub deployment: Deployment,
    /// Bytes of file content uploaded (content the bucket held is copied, not sent).
    pub uploaded: u64,
    /// Server-side copies (into the release, and to the live root).
    pub copied: u64,
    pub website: Website,
    /// Made live (`false`: a preview, served only under its release's own address).
    pub production: bool,
    /// A promotion or rollback to the release already live: nothing changed.
    pub already_live: bool,
}

/// What the conversation was asked.
enum Goal {
    /// `preview`: stored and recorded, not made live.
    Deploy {
        files: Vec<BuiltFile>,
        now_ms: u64,
        preview: bool,
    },
    History,
    Rollback(Option<String>),
}

/// The steps all three share.
struct Steps {
    target: AwsTarget,
    goal: Goal,
    pool: Pool<Job>,
    phase: Phase,
    manifest: Manifest,
    /// The release being made live.
    release: Option<Release>,
    /// Jobs of the current phase still open.
    open: usize,
    /// The root serves exactly the manifest's live release (no switch stopped halfway).
    root_trusted: bool,
    /// The release served before this switch, if any.
    previous_live: Option<Release>,
    /// The files of releases dropped past `keep`, removed once the manifest no longer lists them.
    old_files: Vec<Job>,
    /// Old release files that could not be removed (left in the bucket, never served).
    orphans: u64,
    /// A promotion (or rollback) to the release already live: nothing was written.
    already_live: bool,
    /// What became of the bucket's website configuration.
    website: Website,
    progress: Progress,
    history: Vec<HistoryEntry>,
    error: Option<DeployError>,
    finished: bool,
    /// Bytes of file content uploaded (`PutObject` bodies), and files copied server-side.
    uploaded: u64,
    copied: u64,
}

impl Steps {
    fn new(target: AwsTarget, goal: Goal, retry: RetryPolicy) -> Self {
        let mut pool = Pool::new(IN_FLIGHT, retry);
        pool.push(Job::ReadManifest);
        Self {
            target,
            goal,
            pool,
            phase: Phase::Reading,
            manifest: Manifest::default(),
            release: None,
            open: 0,
            root_trusted: true,
            previous_live: None,
            old_files: Vec::new(),
            orphans: 0,
            already_live: false,
            website: Website::NotAsked,
            progress: Progress { done: 0, total: 1 },
            history: Vec::new(),
            error: None,
            finished: false,
            uploaded: 0,
            copied: 0,
        }
    }

    fn signed(&self, mut request: Request, service: &str, now_ms: u64) -> Request {
        let region = if service == "cloudfront" {
            "us-east-1"
        } else {
            self.target.region.as_str()
        };
        let scope = Scope {
            region,
            service,
            time_s: (now_ms / 1000) as i64,
        };
        sigv4::sign(
            &mut request,
            &self.target.credentials,
            scope,
            Payload::Signed,
        );
        request
    }

    fn request(&self, job: &Job, now_ms: u64) -> Request {
        let t = &self.target;
        let bare = |method, url: String| Request {
            method,
            url,
            headers: Vec::new(),
            body: Vec::new(),
        };
        let request = match job {
            Job::ReadManifest => bare(Method::Get, t.object_url(&t.manifest_key())),
            Job::Put(index) => {
                let Goal::Deploy { files, .. } = &self.goal else {
                    unreachable!("uploads belong to a deployment")
                };
                let file = &files[*index];
                let id = self.release.as_ref().map_or("", |r| r.id.as_str());
                let mut put = bare(Method::Put, t.object_url(&t.release_key(id, &file.path)))
                    .with_header(header::CONTENT_TYPE, content_type(&file.path))
                    .with_header("cache-control", cache_control(&file.path));
                put.body = file.bytes.clone();
                put
            }
            Job::Copy { from, to, path } => {
                let source = format!("/{}/{}", t.bucket, sigv4::encode(from, false));
                bare(Method::Put, t.object_url(to))
                    .with_header("x-amz-copy-source", source)
                    .with_header("x-amz-metadata-directive", "REPLACE")
                    .with_header(header::CONTENT_TYPE, content_type(path))
                    .with_header("cache-control", cache_control(path))
            }
            Job::ReadWebsite => bare(Method::Get, t.bucket_url("website")),
            Job::WriteWebsite => {
                let index = xml_escape(&t.live_key("index.html"));
                let mut put = bare(Method::Put, t.bucket_url("website"))
                    .with_header(header::CONTENT_TYPE, "application/xml");
                put.body = format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
                     <WebsiteConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
                     <IndexDocument><Suffix>index.html</Suffix></IndexDocument>\
                     <ErrorDocument><Key>{index}</Key></ErrorDocument></WebsiteConfiguration>"
                )
                .into_bytes();
                put
            }
            Job::Delete { key, .. } | Job::DropOld { key } => {
                bare(Method::Delete, t.object_url(key))
            }
            Job::MarkSwitching | Job::WriteManifest => {
                let mut put = bare(Method::Put, t.object_url(&t.manifest_key()))
                    .with_header(header::CONTENT_TYPE, "application/json")
                    .with_header("cache-control", "no-cache");
                put.body =
                    serde_json::to_vec_pretty(&self.manifest).expect("a manifest serializes");
                put
            }
            Job::Invalidate => {
                let mut post = bare(Method::Post, self.distribution_url("invalidation"))
                    .with_header(header::CONTENT_TYPE, "text/xml");
                post.body = self.invalidation_batch().into_bytes();
                return self.signed(post, "cloudfront", now_ms);
            }
            Job::ReadDistribution => {
                let get = bare(Method::Get, self.distribution_url("config"));
                return self.signed(get, "cloudfront", now_ms);
            }
            Job::WriteDistribution { config, etag } => {
                let mut put = bare(Method::Put, self.distribution_url("config"))
                    .with_header(header::CONTENT_TYPE, "text/xml")
                    .with_header("if-match", etag.clone());
                put.body = config.clone().into_bytes();
                return self.signed(put, "cloudfront", now_ms);
            }
        };
        self.signed(request, "s3", now_ms)
    }

    /// `…/2020-05-31/distribution/{id}/{rest}` on CloudFront's API.
    fn distribution_url(&self, rest: &str) -> String {
        let t = &self.target;
        format!(
            "{}/2020-05-31/distribution/{}/{rest}",
            t.cloudfront_origin(),
            crate::net::encode_component(t.distribution.as_deref().unwrap_or_default())
        )
    }

    /// The pages of the live release (and `/` for the index), as one batch.
    fn invalidation_batch(&self) -> String {
        let release = self
            .release
            .as_ref()
            .expect("a release before its invalidation");
        let mut paths: Vec<String> = release
            .files
            .keys()
            .filter(|p| is_entry(p))
            .map(|p| format!("/{}", self.target.live_key(p)))
            .collect();
        if release.files.contains_key("index.html") {
            paths.push(format!("/{}", self.target.prefix));
        }
        let items: String = paths
            .iter()
            .map(|p| format!("<Path>{}</Path>", xml_escape(&sigv4::encode(p, false))))
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
             <Paths><Quantity>{}</Quantity><Items>{items}</Items></Paths>\
             <CallerReference>liftoff-{}-{}</CallerReference></InvalidationBatch>",
            paths.len(),
            xml_escape(&self.target.prefix),
            xml_escape(&release.id),
        )
    }

    fn fail(&mut self, error: DeployError) {
        self.pool.clear();
        self.error = Some(error);
        self.finished = true;
    }

    fn queue_all(&mut self, jobs: Vec<Job>) {
        self.open = jobs.len();
        self.progress.total += jobs.len() as u64;
        for job in jobs {
            self.pool.push(job);
        }
    }

    fn on_response(&mut self, job: Job, response: Response) -> Result<(), DeployError> {
        match job {
            Job::ReadManifest => self.on_manifest(response),
            Job::Put(_) | Job::Copy { .. } | Job::Delete { .. } => {
                check_stored(&response, &job)?;
                if let Job::Put(index) = job {
                    if let Goal::Deploy { files, .. } = &self.goal {
                        self.uploaded += files[index].bytes.len() as u64;
                    }
                } else {
                    self.copied += 1;
                }
                self.open -= 1;
                if self.open == 0 {
                    self.next_phase();
                }
                Ok(())
            }
            Job::MarkSwitching => {
                check_stored(&response, &job)?;
                self.switch();
                Ok(())
            }
            Job::WriteManifest => {
                check_stored(&response, &job)?;
                let old = std::mem::take(&mut self.old_files);
                if old.is_empty() {
                    self.after_recorded();
                } else {
                    self.phase = Phase::DroppingOld;
                    self.queue_all(old);
                }
                Ok(())
            }
            Job::DropOld { .. } => {
                self.dropped(response.is_success());
                Ok(())
            }
            Job::ReadWebsite => {
                match (response.status, error_code(&response).as_deref()) {
                    (200..=299, _) => {
                        self.website = Website::Kept;
                        self.finished = true;
                    }
                    (404, Some("NoSuchWebsiteConfiguration")) => {
                        self.queue_all(vec![Job::WriteWebsite]);
                    }
                    _ => {
                        self.website = Website::Refused;
                        self.finished = true;
                    }
                }
                Ok(())
            }
            Job::WriteWebsite => {
                self.website = if response.is_success() {
                    Website::Set
                } else {
                    Website::Refused
                };
                self.finished = true;
                Ok(())
            }
            Job::Invalidate => {
                if !response.is_success() {
                    return Err(s3_error(&response, "the CloudFront invalidation"));
                }
                if self.serves_app() && self.target.prefix.is_empty() {
                    // Deep links of a single-page app reach S3 as missing keys (403 without
                    // list rights, else 404): the distribution answers them with the app.
                    self.phase = Phase::ErrorPages;
                    self.queue_all(vec![Job::ReadDistribution]);
                } else {
                    self.finished = true;
                }
                Ok(())
            }
            Job::ReadDistribution => {
                let etag = response.header("etag").map(str::to_string);
                let config = std::str::from_utf8(&response.body).ok();
                match (response.is_success(), etag, config.map(error_pages_set)) {
                    (true, Some(etag), Some(Some(config))) => {
                        self.queue_all(vec![Job::WriteDistribution { config, etag }]);
                    }
                    // Error responses of the founder's own: left as they are.
                    (true, _, Some(None)) => {
                        self.website = Website::Kept;
                        self.finished = true;
                    }
                    _ => {
                        self.website = Website::Refused;
                        self.finished = true;
                    }
                }
                Ok(())
            }
            Job::WriteDistribution { .. } => {
                // A 412 (changed since it was read) or a refusal: the founder sets them; the
                // deployment itself is done.
                self.website = if response.is_success() {
                    Website::Set
                } else {
                    Website::Refused
                };
                self.finished = true;
                Ok(())
            }
        }
    }

    fn on_manifest(&mut self, response: Response) -> Result<(), DeployError> {
        self.manifest = match response.status {
            200..=299 => serde_json::from_slice(&response.body).map_err(|e| {
                DeployError::Remote(RemoteError::Malformed {
                    service: SERVICE,
                    what: self.target.manifest_key(),
                    detail: e.to_string(),
                })
            })?,
            404 if error_code(&response).as_deref() != Some("NoSuchBucket") => Manifest::default(),
            404 => return Err(s3_error(&response, &self.target.bucket)),
            _ => return Err(s3_error(&response, &self.target.manifest_key())),
        };
        self.root_trusted = self.manifest.switching.is_none();
        self.previous_live = self
            .manifest
            .live
            .as_deref()
            .and_then(|id| self.manifest.release(id))
            .cloned();
        match &self.goal {
            Goal::History => {
                self.history = history_of(&self.target, &self.manifest);
                self.finished = true;
            }
            Goal::Rollback(to) => {
                let release = match to {
                    Some(id) => self.manifest.release(id),
                    None => self.manifest.before_live(),
                };
                let Some(release) = release.cloned() else {
                    return Err(DeployError::NothingToRollBackTo {
                        service: SERVICE,
                        project: format!("s3://{}/{}", self.target.bucket, self.target.prefix),
                    });
                };
                let live = self.manifest.live.as_deref() == Some(release.id.as_str());
                self.release = Some(release);
                if live && self.root_trusted {
                    // Already what is served: nothing to switch, nothing written.
                    self.already_live = true;
                    self.finished = true;
                    return Ok(());
                }
                self.go_live();
            }
            Goal::Deploy { .. } => self.store(),
        }
        Ok(())
    }

    /// Step 2: the release's files, uploaded or copied from where the bucket holds them.
    fn store(&mut self) {
        let Goal::Deploy { files, now_ms, .. } = &self.goal else {
            return;
        };
        let release = release_of(files, *now_ms);
        let id = release.id.clone();
        // The same files again within the same second: the release is stored already (its id
        // names its time and content), and is only made live again.
        let stored = self.manifest.release(&id).is_some();
        let jobs: Vec<Job> = if stored {
            Vec::new()
        } else {
            let holders = self.manifest.holders();
            files
                .iter()
                .enumerate()
                .map(|(index, f)| {
                    let sha = release.files[&f.path].sha256.as_str();
                    match holders.get(sha).copied() {
                        Some((holder, path)) if holder != id => Job::Copy {
                            from: self.target.release_key(holder, path),
                            to: self.target.release_key(&id, &f.path),
                            path: f.path.clone(),
                        },
                        _ => Job::Put(index),
                    }
                })
                .collect()
        };
        self.release = Some(release);
        self.enter(Phase::Storing, jobs);
    }

    /// Moves to `phase` with its requests; a phase with none is over at once.
    fn enter(&mut self, phase: Phase, jobs: Vec<Job>) {
        self.phase = phase;
        if jobs.is_empty() {
            self.next_phase();
        } else {
            self.queue_all(jobs);
        }
    }

    /// Step 3 begins: the manifest says a switch to the release is under way.
    fn go_live(&mut self) {
        let id = self
            .release
            .as_ref()
            .expect("a release to make live")
            .id
            .clone();
        self.manifest.switching = Some(id);
        self.phase = Phase::Marking;
        self.queue_all(vec![Job::MarkSwitching]);
    }

    /// The release's files copied to the live keys, assets then pages.
    fn switch(&mut self) {
        let jobs = self.live_copies(false);
        self.enter(Phase::LiveAssets, jobs);
    }

    /// The copies that make `release` live: its assets (or pages), except the files the live
    /// release already serves with the same content at the same path.
    fn live_copies(&self, entries: bool) -> Vec<Job> {
        let release = self.release.as_ref().expect("a release to make live");
        let live = self.previous_live.as_ref().filter(|_| self.root_trusted);
        let serving = |path: &str| {
            live.and_then(|l| l.files.get(path))
                .is_some_and(|old| old.sha256 == release.files[path].sha256)
        };
        release
            .files
            .keys()
            .filter(|path| is_entry(path) == entries && !serving(path))
            .map(|path| Job::Copy {
                from: self.target.release_key(&release.id, path),
                to: self.target.live_key(path),
                path: path.clone(),
            })
            .collect()
    }

    fn next_phase(&mut self) {
        match self.phase {
            Phase::Storing if self.is_preview() => {
                let mut release = self.release.clone().expect("the stored release");
                release.preview = true;
                if self.manifest.release(&release.id).is_none() {
                    self.manifest.releases.push(release);
                }
                self.phase = Phase::Recording;
                self.queue_all(vec![Job::WriteManifest]);
            }
            Phase::Storing => self.go_live(),
            Phase::LiveAssets => {
                let jobs = self.live_copies(true);
                self.enter(Phase::LiveEntries, jobs);
            }
            Phase::LiveEntries => {
                let jobs = self.stale_deletions();
                self.enter(Phase::Pruning, jobs);
            }
            Phase::Pruning => {
                let release = self.release.clone().expect("the live release");
                if self.manifest.release(&release.id).is_none() {
                    self.manifest.releases.push(release.clone());
                }
                // Live now: a promoted preview is a production release from here on.
                for r in &mut self.manifest.releases {
                    if r.id == release.id {
                        r.preview = false;
                    }
                }
                self.manifest.live = Some(release.id);
                self.manifest.switching = None;
                let dropped = self.manifest.prune(self.target.keep);
                self.old_files = dropped
                    .iter()
                    .flat_map(|r| {
                        r.files.keys().map(|path| Job::DropOld {
                            key: self.target.release_key(&r.id, path),
                        })
                    })
                    .collect();
                self.phase = Phase::Recording;
                self.queue_all(vec![Job::WriteManifest]);
            }
            _ => {}
        }
    }

    /// One old release file removed (or not: it stays, unlisted and never served).
    fn dropped(&mut self, removed: bool) {
        if !removed {
            self.orphans += 1;
        }
        self.open -= 1;
        if self.open == 0 {
            self.after_recorded();
        }
    }

    /// A deployment (not a switch) of a single-page app: what needs deep links answered.
    fn serves_app(&self) -> bool {
        let app = self
            .release
            .as_ref()
            .is_some_and(|r| r.files.contains_key("index.html"));
        app && matches!(self.goal, Goal::Deploy { .. })
    }

    fn is_preview(&self) -> bool {
        matches!(self.goal, Goal::Deploy { preview: true, .. })
    }

    /// The manifest is written: the invalidation, if a distribution is named.
    fn after_recorded(&mut self) {
        if self.is_preview() {
            self.finished = true;
            return;
        }
        if self.target.distribution.is_some() {
            self.phase = Phase::Invalidating;
            self.queue_all(vec![Job::Invalidate]);
        } else if self.serves_app() {
            // Served from the bucket itself: its website's error document makes deep links
            // load the app. A configuration already there is the founder's, left as it is.
            self.phase = Phase::Website;
            self.queue_all(vec![Job::ReadWebsite]);
        } else {
            self.finished = true;
        }
    }

    /// The previous live release's files the new one lacks, but for hashed assets (cached pages
    /// may still ask for them; they never hold other bytes).
    fn stale_deletions(&self) -> Vec<Job> {
        let release = self.release.as_ref().expect("the live release");
        let Some(previous) = &self.previous_live else {
            return Vec::new();
        };
        previous
            .files
            .keys()
            .filter(|path| !release.files.contains_key(*path) && !is_hashed(path))
            .map(|path| Job::Delete {
                key: self.target.live_key(path),
                path: path.clone(),
            })
            .collect()
    }

    fn deployed(&self) -> AwsDeployed {
        AwsDeployed {
            deployment: self.deployment(),
            uploaded: self.uploaded,
            copied: self.copied,
            website: self.website,
            production: !self.is_preview(),
            already_live: self.already_live,
        }
    }

    fn deployment(&self) -> Deployment {
        let release = self.release.as_ref().expect("a release once finished");
        let index = if release.files.contains_key("index.html") {
            "index.html"
        } else {
            ""
        };
        if self.is_preview() {
            // Served under the release's own address, production untouched.
            return Deployment {
                id: release.id.clone(),
                url: self
                    .target
                    .object_url(&self.target.release_key(&release.id, index)),
                state: "PREVIEW".into(),
            };
        }
        Deployment {
            id: release.id.clone(),
            url: self.target.object_url(&self.target.live_key(index)),
            state: "LIVE".into(),
        }
    }

    fn next_wakeup(&self) -> Option<u64> {
        self.pool.next_wakeup()
    }

    fn poll(&mut self, now_ms: u64) -> Vec<Outgoing> {
        if self.finished {
            return Vec::new();
        }
        self.pool
            .poll_transmit(now_ms)
            .into_iter()
            .map(|(id, job)| Outgoing::new(id, self.request(&job, now_ms)))
            .collect()
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        if self.finished {
            return;
        }
        match self.pool.handle(id, outcome, now_ms) {
            PoolEvent::Done(job, response) => {
                self.progress.done += 1;
                if let Err(error) = self.on_response(job, response) {
                    self.fail(error);
                }
            }
            PoolEvent::Failed(Job::DropOld { .. }, _) => {
                self.progress.done += 1;
                self.dropped(false);
            }
            PoolEvent::Failed(
                Job::ReadWebsite
                | Job::WriteWebsite
                | Job::ReadDistribution
                | Job::WriteDistribution { .. },
                _,
            ) => {
                // The app is live; only its deep links are left for the founder to set up.
                self.progress.done += 1;
                self.website = Website::Refused;
                self.finished = true;
            }
            PoolEvent::Failed(job, outcome) => {
                let what = what_of(&job);
                self.fail(DeployError::Remote(RemoteError::from_outcome(
                    SERVICE, &what, &outcome,
                )));
            }
            PoolEvent::Retrying | PoolEvent::Unknown => {}
        }
        self.progress.total = self.progress.total.max(self.progress.done);
    }
}

/// The error for a store that did not happen: a refused status, or CopyObject's 200 whose
/// body is an `<Error>` (S3 sends the status before the copy ends, and reports a failure in the
/// body: the CopyObject API reference).
fn check_stored(response: &Response, job: &Job) -> Result<(), DeployError> {
    let body_error = matches!(job, Job::Copy { .. })
        && response.is_success()
        && String::from_utf8_lossy(&response.body).contains("<Error>");
    if response.is_success() && !body_error {
        return Ok(());
    }
    let mut failed = response.clone();
    if body_error {
        failed.status = 500;
    }
    Err(s3_error(&failed, &what_of(job)))
}

fn what_of(job: &Job) -> String {
    match job {
        Job::ReadManifest | Job::WriteManifest | Job::MarkSwitching => {
            "the release manifest".into()
        }
        Job::Delete { path, .. } => format!("{path} (an old file removed)"),
        Job::DropOld { key } => format!("{key} (a release past --keep)"),
        Job::ReadWebsite | Job::WriteWebsite => "the bucket's website configuration".into(),
        Job::Put(index) => format!("file #{index}"),
        Job::Copy { path, to, .. } => format!("{path} (to {to})"),
        Job::Invalidate => "the CloudFront invalidation".into(),
        Job::ReadDistribution | Job::WriteDistribution { .. } => {
            "the CloudFront distribution's error responses".into()
        }
    }
}

/// S3's (and CloudFront's) `<Code>` in an error body.
fn error_code(response: &Response) -> Option<String> {
    xml_field(&String::from_utf8_lossy(&response.body), "Code")
}

/// The error for an S3 or CloudFront refusal, its code and message kept.
fn s3_error(response: &Response, what: &str) -> DeployError {
    let body = String::from_utf8_lossy(&response.body);
    let code = xml_field(&body, "Code").unwrap_or_default();
    let message = xml_field(&body, "Message").unwrap_or_default();
    match code.as_str() {
        "InvalidAccessKeyId"
        | "SignatureDoesNotMatch"
        | "InvalidClientTokenId"
        | "ExpiredToken"
        | "InvalidToken"
        | "AuthFailure" => DeployError::CredentialsRefused {
            service: SERVICE,
            code,
        },
        "NoSuchBucket" => DeployError::Remote(RemoteError::NotFound {
            service: SERVICE,
            what: format!("bucket {what}"),
        }),
        _ => DeployError::Remote(RemoteError::Status {
            service: SERVICE,
            status: response.status,
            what: what.to_string(),
            message: if code.is_empty() {
                crate::text::excerpt(&body)
            } else {
                format!("{code}: {message}")
            },
        }),
    }
}

/// The text of the first `<name>…</name>` (no nesting, entities decoded for the usual five).
fn xml_field(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    let text = &xml[start..end];
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The releases newest first, the live one marked.
fn history_of(target: &AwsTarget, manifest: &Manifest) -> Vec<HistoryEntry> {
    manifest
        .releases
        .iter()
        .rev()
        .map(|release| {
            let live = manifest.live.as_deref() == Some(release.id.as_str());
            let index = if release.files.contains_key("index.html") {
                "index.html"
            } else {
                ""
            };
            HistoryEntry {
                id: release.id.clone(),
                url: target.object_url(&target.release_key(&release.id, index)),
                state: match (live, release.preview) {
                    (true, _) => "LIVE".into(),
                    (false, true) => "PREVIEW".into(),
                    (false, false) => "READY".into(),
                },
                created: release.created,
                production: live,
                preview: release.preview && !live,
            }
        })
        .collect()
}

/// A deployment: the build stored as a new release and made live. Drive as a [`Conversation`].
pub struct AwsRelease {
    steps: Steps,
}

impl AwsRelease {
    /// `files`: the build's output; `now_ms` names the release and signs the requests' dates
    /// are taken from the driver's clock).
    pub fn new(target: AwsTarget, files: Vec<BuiltFile>, now_ms: u64, retry: RetryPolicy) -> Self {
        Self {
            steps: Steps::new(
                target,
                Goal::Deploy {
                    files,
                    now_ms,
                    preview: false,
                },
                retry,
            ),
        }
    }

    /// A preview: the build stored as a release and recorded, production untouched; served
    /// under the release's own address until `promote` makes it live.
    pub fn preview(
        target: AwsTarget,
        files: Vec<BuiltFile>,
        now_ms: u64,
        retry: RetryPolicy,
    ) -> Self {
        Self {
            steps: Steps::new(
                target,
                Goal::Deploy {
                    files,
                    now_ms,
                    preview: true,
                },
                retry,
            ),
        }
    }
}

/// The releases, newest first, the live one marked.
pub struct AwsHistory {
    steps: Steps,
}

impl AwsHistory {
    pub fn new(target: AwsTarget, retry: RetryPolicy) -> Self {
        Self {
            steps: Steps::new(target, Goal::History, retry),
        }
    }
}

/// An earlier release made live again (by id, or the one before the live one), nothing
/// uploaded.
pub struct AwsRollback {
    steps: Steps,
}

impl AwsRollback {
    pub fn new(target: AwsTarget, to: Option<String>, retry: RetryPolicy) -> Self {
        Self {
            steps: Steps::new(target, Goal::Rollback(to), retry),
        }
    }

    /// Files copied server-side so far (a rollback uploads nothing).
    pub fn copied(&self) -> u64 {
        self.steps.copied
    }
}

macro_rules! conversation {
    ($ty:ty, $out:ty, $done:expr) => {
        impl Conversation for $ty {
            type Output = Result<$out, DeployError>;

            steps_driving!();

            fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
                self.steps.handle(id, outcome, now_ms);
            }

            fn finish(self) -> Result<$out, DeployError> {
                match self.steps.error {
                    Some(error) => Err(error),
                    None => Ok($done(&self.steps)),
                }
            }
        }
    };
}

conversation!(AwsRelease, AwsDeployed, Steps::deployed);
conversation!(AwsRollback, AwsDeployed, Steps::deployed);
conversation!(AwsHistory, Vec<HistoryEntry>, |s: &Steps| s.history.clone());

/// A distribution's configuration (`GetDistributionConfig`'s body) with its error responses set
/// to answer 403 and 404 with `/index.html` (status 200, not cached), when it has none; `None`
/// when it has some (the founder's, left alone) or its shape is not the one expected. Only the
/// `CustomErrorResponses` element changes: every other byte goes back as CloudFront sent it, as
/// `UpdateDistribution` wants the whole configuration. Written here rather than with an XML crate:
/// one element found and replaced, the wasm never links it (the CLI's only).
fn error_pages_set(config: &str) -> Option<String> {
    const OPEN: &str = "<CustomErrorResponses>";
    const CLOSE: &str = "</CustomErrorResponses>";
    let response = |code: u16| {
        format!(
            "<CustomErrorResponse><ErrorCode>{code}</ErrorCode>\
             <ResponsePagePath>/index.html</ResponsePagePath><ResponseCode>200</ResponseCode>\
             <ErrorCachingMinTTL>0</ErrorCachingMinTTL></CustomErrorResponse>"
        )
    };
    let ours = format!(
        "{OPEN}<Quantity>2</Quantity><Items>{}{}</Items>{CLOSE}",
        response(403),
        response(404)
    );
    // The element body without whitespace between tags, as CloudFront and SDKs may indent.
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let body = config.strip_prefix("\u{feff}").unwrap_or(config);
    if !body.contains("<DistributionConfig") || body.matches(OPEN).count() > 1 {
        return None;
    }
    match (body.find(OPEN), body.find(CLOSE)) {
        (Some(start), Some(end)) if start < end => {
            let inside = squeeze(&body[start + OPEN.len()..end]);
            (inside == "<Quantity>0</Quantity>" || inside == "<Quantity>0</Quantity><Items/>")
                .then(|| format!("{}{ours}{}", &body[..start], &body[end + CLOSE.len()..]))
        }
        // `<CustomErrorResponses/>` or none at all: before `<Comment>`, where the schema puts it.
        (None, None) => {
            let empty = "<CustomErrorResponses/>";
            if let Some(at) = body.find(empty) {
                return Some(format!(
                    "{}{ours}{}",
                    &body[..at],
                    &body[at + empty.len()..]
                ));
            }
            let at = body.find("<Comment")?;
            Some(format!("{}{ours}{}", &body[..at], &body[at..]))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
