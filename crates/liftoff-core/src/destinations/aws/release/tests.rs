//! The release conversations against an in-memory S3 that keeps to the REST API's shapes
//! (PutObject, CopyObject with `x-amz-copy-source` and its 200-with-`<Error>` quirk, GetObject's
//! `NoSuchKey`), checking every request's signature header is there and the order of the switch.

use std::collections::BTreeMap;

use super::*;
use crate::error::Coded;
use crate::net::run_blocking;

const ENDPOINT: &str = "http://127.0.0.1:9000";

fn target() -> AwsTarget {
    AwsTarget {
        bucket: "founder-app".into(),
        prefix: String::new(),
        region: "eu-west-1".into(),
        distribution: Some("E2EXAMPLE".into()),
        credentials: super::super::Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "SECRET-never-in-a-message".into(),
            session_token: None,
        },
        s3_endpoint: Some(ENDPOINT.into()),
        cloudfront_endpoint: Some("http://127.0.0.1:9001".into()),
        keep: 5,
    }
    .checked()
    .unwrap()
}

/// A bucket: key → (bytes, content type, cache control); every request logged as
/// "METHOD key [copy-from]".
#[derive(Default)]
struct FakeS3 {
    objects: BTreeMap<String, (Vec<u8>, String, String)>,
    log: Vec<String>,
    invalidations: Vec<String>,
    /// Answer the next copy to this key with 200 and an `<Error>` body.
    fail_copy_to: Option<String>,
    /// The bucket's website configuration (`?website`), when it has one.
    website: Option<String>,
    /// The distribution's configuration and its ETag (`…/distribution/{id}/config`).
    distribution: Option<(String, u32)>,
}

/// A distribution's configuration as `GetDistributionConfig` answers it (indented, abridged).
const DISTRIBUTION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DistributionConfig xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\n  <CallerReference>founder</CallerReference>\n  <Origins><Quantity>1</Quantity><Items><Origin><Id>s3</Id><DomainName>founder-app.s3.amazonaws.com</DomainName><OriginPath></OriginPath></Origin></Items></Origins>\n  <CustomErrorResponses>\n    <Quantity>0</Quantity>\n  </CustomErrorResponses>\n  <Comment>the founder's</Comment>\n  <Enabled>true</Enabled>\n</DistributionConfig>\n";

impl FakeS3 {
    fn send(&mut self, request: &Request) -> Outcome {
        assert!(
            request
                .header("authorization")
                .is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")),
            "unsigned: {}",
            request.url
        );
        assert!(!format!("{request:?}").contains("SECRET-never"));
        if request.url.ends_with("/distribution/E2EXAMPLE/config") {
            // Keys that may invalidate but not read the configuration (the tests that are not
            // about error responses): refused, and not logged.
            let Some((config, etag)) = self.distribution.clone() else {
                return Outcome::Response(Response::new(
                    403,
                    b"<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>"
                        .to_vec(),
                ));
            };
            self.log.push(format!("{} config", request.method.as_str()));
            return Outcome::Response(match request.method {
                Method::Get => Response::new(200, config.into_bytes()).with_header("ETag", format!("E{etag}")),
                Method::Put if request.header("if-match") == Some(format!("E{etag}").as_str()) => {
                    let body = String::from_utf8(request.body.clone()).unwrap();
                    self.distribution = Some((body.clone(), etag + 1));
                    Response::new(200, body.into_bytes()).with_header("ETag", format!("E{}", etag + 1))
                }
                Method::Put => Response::new(412, b"<ErrorResponse><Error><Code>PreconditionFailed</Code></Error></ErrorResponse>".to_vec()),
                other => panic!("unexpected {other:?}"),
            });
        }
        if request.url.contains("/invalidation") {
            self.invalidations
                .push(String::from_utf8(request.body.clone()).unwrap());
            return Outcome::Response(Response::new(201, b"<Invalidation/>".to_vec()));
        }
        if request.url == format!("{ENDPOINT}/founder-app?website") {
            self.log
                .push(format!("{} ?website", request.method.as_str()));
            return match (request.method, &self.website) {
                (Method::Get, Some(config)) => Outcome::Response(Response::new(200, config.clone().into_bytes())),
                (Method::Get, None) => Outcome::Response(Response::new(
                    404,
                    b"<Error><Code>NoSuchWebsiteConfiguration</Code><Message>The specified bucket does not have a website configuration</Message></Error>".to_vec(),
                )),
                (Method::Put, _) => {
                    self.website = Some(String::from_utf8(request.body.clone()).unwrap());
                    Outcome::Response(Response::new(200, Vec::new()))
                }
                other => panic!("unexpected {other:?}"),
            };
        }
        let key = request
            .url
            .strip_prefix(&format!("{ENDPOINT}/founder-app/"))
            .expect("path-style on the endpoint")
            .to_string();
        let copy = request.header("x-amz-copy-source").map(str::to_string);
        self.log.push(format!(
            "{} {key}{}",
            request.method.as_str(),
            copy.as_deref()
                .map(|c| format!(" <- {c}"))
                .unwrap_or_default()
        ));
        let header = |name: &str| request.header(name).unwrap_or_default().to_string();
        match (request.method, copy) {
            (Method::Get, _) => match self.objects.get(&key) {
                Some((bytes, _, _)) => Outcome::Response(Response::new(200, bytes.clone())),
                None => Outcome::Response(Response::new(
                    404,
                    b"<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>".to_vec(),
                )),
            },
            (Method::Put, Some(source)) => {
                if self.fail_copy_to.as_deref() == Some(key.as_str()) {
                    self.fail_copy_to = None;
                    return Outcome::Response(Response::new(
                        200,
                        b"<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>".to_vec(),
                    ));
                }
                let from = source.strip_prefix("/founder-app/").unwrap().to_string();
                let (bytes, _, _) = self.objects.get(&from).cloned().expect("the copy's source exists");
                self.objects.insert(key, (bytes, header("content-type"), header("cache-control")));
                Outcome::Response(Response::new(200, b"<CopyObjectResult/>".to_vec()))
            }
            (Method::Put, None) => {
                self.objects.insert(key, (request.body.clone(), header("content-type"), header("cache-control")));
                Outcome::Response(Response::new(200, Vec::new()))
            }
            (Method::Delete, None) => {
                self.objects.remove(&key);
                Outcome::Response(Response::new(204, Vec::new()))
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    fn puts(&self) -> Vec<&String> {
        self.log
            .iter()
            .filter(|l| l.starts_with("PUT ") && !l.contains(" <- "))
            .collect()
    }
}

fn build(files: &[(&str, &[u8])]) -> Vec<BuiltFile> {
    files
        .iter()
        .map(|(path, bytes)| BuiltFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        })
        .collect()
}

fn deploy(s3: &mut FakeS3, files: Vec<BuiltFile>, now_ms: u64) -> Result<Deployment, DeployError> {
    run_blocking(
        AwsRelease::new(target(), files, now_ms, RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0
    .map(|d| d.deployment)
}

/// A deployment's whole result (the website or error responses' outcome with it).
fn deploy_all(
    s3: &mut FakeS3,
    files: Vec<BuiltFile>,
    now_ms: u64,
) -> Result<AwsDeployed, DeployError> {
    run_blocking(
        AwsRelease::new(target(), files, now_ms, RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0
}

const V1: &[(&str, &[u8])] = &[
    (
        "index.html",
        b"<script src=/assets/index-1a2b3c4d.js></script>",
    ),
    ("assets/index-1a2b3c4d.js", b"console.log(1)"),
    ("logo.png", b"\x89PNG\r\n\x1a\n\x00binary"),
];

#[test]
fn a_first_deployment_stores_the_release_then_switches_assets_before_pages() {
    let mut s3 = FakeS3::default();
    let deployed = deploy(&mut s3, build(V1), 1_764_800_000_000).unwrap();
    assert_eq!(deployed.state, "LIVE");
    assert!(deployed.id.starts_with("20251203T"), "{}", deployed.id);
    assert_eq!(deployed.url, format!("{ENDPOINT}/founder-app/index.html"));
    let id = &deployed.id;
    // The release's files uploaded, byte for byte, with their types and cache policies.
    assert_eq!(
        s3.puts().len(),
        5,
        "three files, the manifest twice (switching, then live): {:?}",
        s3.log
    );
    let (png, png_type, _) = &s3.objects[&format!("releases/{id}/logo.png")];
    assert_eq!(png.as_slice(), V1[2].1);
    assert_eq!(png_type, "image/png");
    assert_eq!(
        s3.objects["assets/index-1a2b3c4d.js"].2,
        "public, max-age=31536000, immutable"
    );
    assert_eq!(s3.objects["index.html"].2, "no-cache");
    assert_eq!(s3.objects["index.html"].1, "text/html; charset=utf-8");
    // Live copies: every asset before the page.
    let copies: Vec<&String> = s3.log.iter().filter(|l| l.contains(" <- ")).collect();
    assert_eq!(copies.len(), 3);
    assert!(copies[2].starts_with("PUT index.html <- "), "{copies:?}");
    // The manifest last, then one invalidation of the pages.
    assert!(s3
        .log
        .last()
        .unwrap()
        .starts_with("PUT releases/liftoff.json"));
    let manifest: Manifest =
        serde_json::from_slice(&s3.objects["releases/liftoff.json"].0).unwrap();
    assert_eq!(manifest.live.as_deref(), Some(id.as_str()));
    assert_eq!(s3.invalidations.len(), 1);
    assert!(s3.invalidations[0]
        .contains("<Quantity>2</Quantity><Items><Path>/index.html</Path><Path>/</Path></Items>"));
    assert!(
        s3.invalidations[0].contains(&format!("<CallerReference>liftoff--{id}</CallerReference>"))
    );
}

#[test]
fn a_redeploy_uploads_only_what_changed_and_a_rollback_uploads_nothing() {
    let mut s3 = FakeS3::default();
    let first = deploy(&mut s3, build(V1), 1_764_800_000_000).unwrap();
    s3.log.clear();
    let mut v2 = build(V1);
    v2[1].bytes = b"console.log(2)".to_vec();
    let second = deploy(&mut s3, v2, 1_764_800_060_000).unwrap();
    assert_ne!(first.id, second.id);
    let uploads: Vec<&String> = s3.puts();
    assert_eq!(
        uploads.len(),
        3,
        "the changed file, the manifest twice: {uploads:?}"
    );
    assert!(uploads[0].ends_with("/assets/index-1a2b3c4d.js"));
    assert!(s3.log.iter().any(|l| l.starts_with(&format!(
        "PUT releases/{}/logo.png <- /founder-app/releases/{}/logo.png",
        second.id, first.id
    ))));
    assert_eq!(s3.objects["assets/index-1a2b3c4d.js"].0, b"console.log(2)");

    // Only what differs from the live release went live: the changed asset.
    let live_copies: Vec<&String> = s3
        .log
        .iter()
        .filter(|l| l.contains(" <- ") && !l.starts_with("PUT releases/"))
        .collect();
    assert_eq!(live_copies.len(), 1, "{live_copies:?}");
    assert!(live_copies[0].starts_with("PUT assets/index-1a2b3c4d.js <- "));
    // Roll back: the first release's files copied over the live ones; only the manifest written.
    s3.log.clear();
    let rolled = run_blocking(
        AwsRollback::new(target(), None, RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0
    .unwrap();
    assert_eq!(rolled.deployment.id, first.id);
    assert_eq!(
        s3.puts().len(),
        2,
        "the manifest only (switching, then live): {:?}",
        s3.log
    );
    assert_eq!(
        s3.log.iter().filter(|l| l.contains(" <- ")).count(),
        1,
        "one file differs: {:?}",
        s3.log
    );
    assert_eq!(s3.objects["assets/index-1a2b3c4d.js"].0, b"console.log(1)");
    let history = run_blocking(AwsHistory::new(target(), RetryPolicy::default()), |r| {
        s3.send(r)
    })
    .0
    .unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| (h.id.as_str(), h.production))
            .collect::<Vec<_>>(),
        [(second.id.as_str(), false), (first.id.as_str(), true)]
    );
    // Forward again by id.
    let forward = run_blocking(
        AwsRollback::new(target(), Some(second.id.clone()), RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0
    .unwrap();
    assert_eq!(forward.deployment.id, second.id);
}

#[test]
fn a_failed_copy_leaves_the_live_app_as_it_was() {
    let mut s3 = FakeS3::default();
    let first = deploy(&mut s3, build(V1), 1_764_800_000_000).unwrap();
    let live_before = s3.objects["index.html"].clone();
    let mut v2 = build(V1);
    v2[0].bytes = b"<p>new page</p>".to_vec();
    // A copy into the new release fails with CopyObject's 200-with-an-error.
    s3.fail_copy_to = Some("releases/".to_string());
    let v2_id_guess = {
        let mut probe = FakeS3::default();
        deploy(&mut probe, v2.clone(), 1_764_800_060_000)
            .unwrap()
            .id
    };
    s3.fail_copy_to = Some(format!("releases/{v2_id_guess}/logo.png"));
    let error = deploy(&mut s3, v2, 1_764_800_060_000).unwrap_err();
    assert!(error.to_string().contains("InternalError"), "{error}");
    assert_eq!(
        s3.objects["index.html"], live_before,
        "production untouched"
    );
    let manifest: Manifest =
        serde_json::from_slice(&s3.objects["releases/liftoff.json"].0).unwrap();
    assert_eq!(manifest.live.as_deref(), Some(first.id.as_str()));
    assert_eq!(manifest.releases.len(), 1);
}

#[test]
fn a_switch_that_stopped_halfway_is_repaired_whole_and_old_files_leave_the_root() {
    let mut s3 = FakeS3::default();
    let a = build(&[
        ("index.html", b"<p>a</p>"),
        ("about.html", b"<p>about a</p>"),
        ("robots.txt", b"ok"),
    ]);
    let first = deploy(&mut s3, a.clone(), 1_764_800_000_000).unwrap();
    // B changes robots.txt and about.html; its live copy of about.html fails.
    let b = build(&[
        ("index.html", b"<p>a</p>"),
        ("about.html", b"<p>about b</p>"),
        ("robots.txt", b"no"),
    ]);
    s3.fail_copy_to = Some("about.html".into());
    assert!(deploy(&mut s3, b, 1_764_800_060_000).is_err());
    assert_eq!(
        s3.objects["robots.txt"].0, b"no",
        "the switch stopped halfway"
    );
    let manifest: Manifest =
        serde_json::from_slice(&s3.objects["releases/liftoff.json"].0).unwrap();
    assert_eq!(manifest.live.as_deref(), Some(first.id.as_str()));
    assert!(
        manifest.switching.is_some(),
        "the manifest says a switch was under way"
    );
    // A again: the same release as live, yet every file is copied to repair the root.
    s3.log.clear();
    deploy(&mut s3, a, 1_764_800_120_000).unwrap();
    assert_eq!(s3.objects["robots.txt"].0, b"ok");
    assert_eq!(s3.objects["about.html"].0, b"<p>about a</p>");
    let manifest: Manifest =
        serde_json::from_slice(&s3.objects["releases/liftoff.json"].0).unwrap();
    assert!(manifest.switching.is_none());
    // A release without robots.txt removes it from the root (it is not a hashed asset); a
    // hashed asset of the old release stays for pages cached elsewhere.
    let c = build(&[
        ("index.html", b"<p>c</p>"),
        ("assets/old-1a2b3c4d.js", b"x"),
    ]);
    deploy(&mut s3, c, 1_764_800_180_000).unwrap();
    let d = build(&[("index.html", b"<p>d</p>")]);
    deploy(&mut s3, d, 1_764_800_240_000).unwrap();
    assert!(!s3.objects.contains_key("robots.txt") && !s3.objects.contains_key("about.html"));
    assert!(s3.objects.contains_key("assets/old-1a2b3c4d.js"));
}

#[test]
fn releases_past_keep_leave_the_manifest_and_the_bucket() {
    let mut s3 = FakeS3::default();
    let keep_one = || AwsTarget {
        keep: 1,
        ..target()
    };
    let mut ids = Vec::new();
    for n in 0..4u64 {
        let page = format!("<p>{n}</p>");
        let files = build(&[("index.html", page.as_bytes()), ("logo.png", b"same")]);
        let release = AwsRelease::new(
            keep_one(),
            files,
            1_764_800_000_000 + n * 60_000,
            RetryPolicy::default(),
        );
        ids.push(
            run_blocking(release, |r| s3.send(r))
                .0
                .unwrap()
                .deployment
                .id,
        );
    }
    let manifest: Manifest =
        serde_json::from_slice(&s3.objects["releases/liftoff.json"].0).unwrap();
    let listed: Vec<&str> = manifest.releases.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        listed,
        [ids[2].as_str(), ids[3].as_str()],
        "the live one and one other"
    );
    for old in &ids[..2] {
        assert!(
            !s3.objects
                .keys()
                .any(|k| k.starts_with(&format!("releases/{old}/"))),
            "{old} removed"
        );
    }
    assert!(s3
        .objects
        .contains_key(&format!("releases/{}/logo.png", ids[2])));
    assert_eq!(
        s3.objects["index.html"].0, b"<p>3</p>",
        "the live root untouched"
    );
    let gone = run_blocking(
        AwsRollback::new(keep_one(), Some(ids[0].clone()), RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0;
    assert_eq!(gone.unwrap_err().code(), "nothing-to-roll-back");
}

#[test]
fn a_bucket_that_serves_the_app_gets_its_error_document_once_and_a_founder_s_one_is_kept() {
    let mut s3 = FakeS3::default();
    let bucket_only = || {
        AwsTarget {
            distribution: None,
            prefix: "site".into(),
            ..target()
        }
        .checked()
        .unwrap()
    };
    let deployed = run_blocking(
        AwsRelease::new(bucket_only(), build(V1), 1, RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0
    .unwrap();
    assert_eq!(deployed.website, Website::Set);
    let config = s3.website.clone().unwrap();
    assert!(
        config.contains("<ErrorDocument><Key>site/index.html</Key></ErrorDocument>"),
        "{config}"
    );
    assert!(deployed.uploaded > 0);
    // The founder's own configuration: read, never overwritten.
    s3.website = Some("<WebsiteConfiguration><RoutingRules/></WebsiteConfiguration>".into());
    s3.log.clear();
    let again = run_blocking(
        AwsRelease::new(bucket_only(), build(V1), 2, RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0
    .unwrap();
    assert_eq!(again.website, Website::Kept);
    assert!(!s3.log.iter().any(|l| l == "PUT ?website"));
    assert_eq!(again.uploaded, 0, "the same content again: copies only");
    // Behind a distribution the bucket's website is not Liftoff's business (the distribution's
    // error responses are; this fake's keys may not read them).
    let website = s3.website.clone();
    let behind = run_blocking(
        AwsRelease::new(target(), build(V1), 3, RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0
    .unwrap();
    assert_eq!(behind.website, Website::Refused);
    assert_eq!(s3.website, website, "the bucket's website untouched");
}

#[test]
fn a_preview_leaves_production_alone_until_promoted_and_promoting_the_live_one_writes_nothing() {
    let mut s3 = FakeS3::default();
    let first = deploy(&mut s3, build(V1), 1_764_800_000_000).unwrap();
    let mut v2 = build(V1);
    v2[0].bytes = b"<p>preview</p>".to_vec();
    let preview = run_blocking(
        AwsRelease::preview(target(), v2, 1_764_800_060_000, RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0
    .unwrap();
    assert!(!preview.production);
    assert_eq!(preview.deployment.state, "PREVIEW");
    assert_eq!(
        preview.deployment.url,
        format!(
            "{ENDPOINT}/founder-app/releases/{}/index.html",
            preview.deployment.id
        )
    );
    assert_eq!(s3.objects["index.html"].0, V1[0].1, "production untouched");
    assert_eq!(
        s3.objects[&format!("releases/{}/index.html", preview.deployment.id)].0,
        b"<p>preview</p>"
    );
    assert_eq!(s3.invalidations.len(), 1, "no invalidation for a preview");
    let history = run_blocking(AwsHistory::new(target(), RetryPolicy::default()), |r| {
        s3.send(r)
    })
    .0
    .unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| (h.state.as_str(), h.production))
            .collect::<Vec<_>>(),
        [("PREVIEW", false), ("LIVE", true)]
    );
    // A rollback's default passes over previews: there is no earlier production release.
    let none = run_blocking(
        AwsRollback::new(target(), None, RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0;
    assert_eq!(none.unwrap_err().code(), "nothing-to-roll-back");
    // Promote: the switch, no upload.
    s3.log.clear();
    let promoted = run_blocking(
        AwsRollback::new(
            target(),
            Some(preview.deployment.id.clone()),
            RetryPolicy::default(),
        ),
        |r| s3.send(r),
    )
    .0
    .unwrap();
    assert!(!promoted.already_live);
    assert_eq!(s3.objects["index.html"].0, b"<p>preview</p>");
    assert_eq!(s3.puts().len(), 2, "the manifest only: {:?}", s3.log);
    let history = run_blocking(AwsHistory::new(target(), RetryPolicy::default()), |r| {
        s3.send(r)
    })
    .0
    .unwrap();
    assert_eq!(history[0].state, "LIVE", "a promoted preview is production");
    // Promoting it again changes nothing and writes nothing.
    s3.log.clear();
    let again = run_blocking(
        AwsRollback::new(
            target(),
            Some(preview.deployment.id.clone()),
            RetryPolicy::default(),
        ),
        |r| s3.send(r),
    )
    .0
    .unwrap();
    assert!(again.already_live);
    assert!(s3.log.iter().all(|l| l.starts_with("GET ")), "{:?}", s3.log);
    // And back to the first: a rollback goes to the production release before the live one.
    let back = run_blocking(
        AwsRollback::new(target(), None, RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0
    .unwrap();
    assert_eq!(back.deployment.id, first.id);
}

#[test]
fn refused_credentials_are_said_without_the_secret_and_nothing_is_written() {
    let mut writes = 0;
    let error = run_blocking(AwsRelease::new(target(), build(V1), 1, RetryPolicy::default()), |request| {
        if request.method != Method::Get {
            writes += 1;
        }
        Outcome::Response(Response::new(
            403,
            b"<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>".to_vec(),
        ))
    })
    .0
    .unwrap_err();
    assert_eq!(writes, 0);
    assert_eq!(error.code(), "bad-token");
    let text = error.to_string();
    assert!(
        text.contains("SignatureDoesNotMatch") && text.contains("AWS_SECRET_ACCESS_KEY"),
        "{text}"
    );
    assert!(!text.contains("SECRET-never"));
}

#[test]
fn nothing_to_roll_back_to_on_a_first_release() {
    let mut s3 = FakeS3::default();
    deploy(&mut s3, build(V1), 1_764_800_000_000).unwrap();
    let error = run_blocking(
        AwsRollback::new(target(), None, RetryPolicy::default()),
        |r| s3.send(r),
    )
    .0
    .unwrap_err();
    assert_eq!(error.code(), "nothing-to-roll-back");
}

#[test]
fn names_are_checked_before_anything_is_sent() {
    let bad = |bucket: &str, prefix: &str| {
        AwsTarget {
            bucket: bucket.into(),
            prefix: prefix.into(),
            ..target()
        }
        .checked()
        .is_err()
    };
    assert!(bad("Upper", ""));
    assert!(bad("ab", ""));
    assert!(bad("ok-bucket", "../up"));
    assert!(bad("ok-bucket", "a//b"));
    assert!(!bad("ok-bucket", "/site/"));
    let t = AwsTarget {
        prefix: "site".into(),
        ..target()
    }
    .checked()
    .unwrap();
    assert_eq!(t.live_key("index.html"), "site/index.html");
    assert_eq!(
        t.object_url("releases/x/a b.js"),
        format!("{ENDPOINT}/founder-app/releases/x/a%20b.js")
    );
    let aws = AwsTarget {
        s3_endpoint: None,
        ..target()
    };
    assert_eq!(
        aws.object_url("index.html"),
        "https://founder-app.s3.eu-west-1.amazonaws.com/index.html"
    );
}

#[test]
fn behind_a_distribution_without_error_responses_deep_links_are_answered_with_the_app() {
    let mut s3 = FakeS3 {
        distribution: Some((DISTRIBUTION.into(), 1)),
        ..FakeS3::default()
    };
    let done = deploy_all(&mut s3, build(V1), 1_764_800_000_000).unwrap();
    assert_eq!(done.website, Website::Set);
    let (config, etag) = s3.distribution.clone().unwrap();
    assert_eq!(etag, 2, "written once, with the ETag read");
    assert!(config.contains(
        "<CustomErrorResponses><Quantity>2</Quantity><Items><CustomErrorResponse><ErrorCode>403</ErrorCode><ResponsePagePath>/index.html</ResponsePagePath><ResponseCode>200</ResponseCode><ErrorCachingMinTTL>0</ErrorCachingMinTTL></CustomErrorResponse><CustomErrorResponse><ErrorCode>404</ErrorCode>"
    ));
    // Every other byte as CloudFront sent it.
    let before = DISTRIBUTION
        .split("<CustomErrorResponses>")
        .collect::<Vec<_>>();
    assert!(config.starts_with(before[0]));
    assert!(config.ends_with(
        "\n  <Comment>the founder's</Comment>\n  <Enabled>true</Enabled>\n</DistributionConfig>\n"
    ));
    // The next deployment finds them set (its own now, or the founder's): nothing written.
    s3.log.clear();
    let again = deploy_all(&mut s3, build(V1), 1_764_800_100_000).unwrap();
    assert_eq!(again.website, Website::Kept);
    assert_eq!(s3.distribution.as_ref().unwrap().1, 2);
    assert_eq!(
        s3.log.iter().filter(|l| l.ends_with(" config")).count(),
        1,
        "{:?}",
        s3.log
    );
}

#[test]
fn a_distribution_changed_meanwhile_is_left_alone_and_the_deployment_stands() {
    let mut s3 = FakeS3 {
        distribution: Some((DISTRIBUTION.into(), 1)),
        ..FakeS3::default()
    };
    let conversation = AwsRelease::new(
        target(),
        build(V1),
        1_764_800_000_000,
        RetryPolicy::default(),
    );
    let (done, _) = run_blocking(conversation, |r| {
        // Someone changes the distribution between our read and our write: 412.
        if r.method == Method::Put && r.url.ends_with("/config") {
            s3.distribution.as_mut().unwrap().1 += 10;
        }
        s3.send(r)
    });
    let done = done.unwrap();
    assert_eq!(done.website, Website::Refused);
    assert!(done.production);
    assert!(
        s3.distribution
            .unwrap()
            .0
            .contains("<Quantity>0</Quantity>"),
        "not written"
    );
}

#[test]
fn error_pages_are_set_only_where_there_are_none() {
    let set = |config: &str| error_pages_set(config);
    let none = "<DistributionConfig><CustomErrorResponses><Quantity>0</Quantity></CustomErrorResponses><Comment/></DistributionConfig>";
    assert!(set(none).unwrap().contains("<Quantity>2</Quantity>"));
    let empty = "<DistributionConfig><CustomErrorResponses/><Comment/></DistributionConfig>";
    assert!(set(empty).unwrap().contains("<ErrorCode>404</ErrorCode>"));
    let absent = "<DistributionConfig><CacheBehaviors/><Comment>x</Comment></DistributionConfig>";
    let added = set(absent).unwrap();
    assert!(added.find("<CustomErrorResponses>").unwrap() < added.find("<Comment>").unwrap());
    let founders = "<DistributionConfig><CustomErrorResponses><Quantity>1</Quantity><Items><CustomErrorResponse><ErrorCode>500</ErrorCode></CustomErrorResponse></Items></CustomErrorResponses></DistributionConfig>";
    assert_eq!(set(founders), None, "the founder's own stay");
    assert_eq!(set("<Error><Code>AccessDenied</Code></Error>"), None);
}
