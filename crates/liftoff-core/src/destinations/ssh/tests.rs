//! The address rules, the plan, and the scripts run for real by `sh` in a temporary folder
//! (the part of a deployment that does not need the network), with a tar made by `tar`.

use std::path::Path;
use std::process::{Command, Stdio};

use super::*;
use crate::deploy::releases::BuiltFile;

fn files(list: &[(&str, &str)]) -> Vec<BuiltFile> {
    list.iter()
        .map(|(p, b)| BuiltFile {
            path: p.to_string(),
            bytes: b.as_bytes().to_vec(),
        })
        .collect()
}

#[test]
fn addresses() {
    let t = SshTarget::parse("ssh://deploy@example.com:2222/srv/app/").unwrap();
    assert_eq!(t.destination(), "deploy@example.com");
    assert_eq!((t.port, t.path.as_str()), (Some(2222), "/srv/app"));
    assert_eq!(SshTarget::parse("ssh://host/srv").unwrap().user, None);
    for bad in [
        "ssh://host",
        "ssh://host/",
        "ssh://host/srv/../etc",
        "ssh://-oProxyCommand=x/srv",
        "ssh://host/srv app",
        "ssh://host/srv;rm",
        "http://host/srv",
        "ssh://host:99999/srv",
        "ssh://us'er@host/srv",
    ] {
        assert!(SshTarget::parse(bad).is_err(), "{bad}");
    }
}

/// Runs `script` with `sh` in `dir` (as the server would, the base path being absolute), the
/// files in `tar_of` packed as its standard input.
fn run(script: &str, stdin: &[u8]) -> std::process::Output {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// A tar of the plan's sent files, its link list and manifest (what the CLI streams).
fn tar_for(plan: &Plan, all: &[BuiltFile]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    for path in &plan.send {
        let file = all.iter().find(|f| &f.path == path).unwrap();
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, &file.bytes).unwrap();
    }
    let links: String = plan.link.iter().map(|p| format!("{p}\n")).collect();
    std::fs::write(dir.path().join(LINKS_FILE), links).unwrap();
    std::fs::write(
        dir.path().join(MANIFEST_FILE),
        serde_json::to_vec(&plan.manifest).unwrap(),
    )
    .unwrap();
    let out = Command::new("tar")
        .args(["-c", "-f", "-", "-C"])
        .arg(dir.path())
        .arg(".")
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

fn read(target: &SshTarget) -> (Manifest, Option<String>) {
    let out = run(&target.read_script(), b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    read_answer(&String::from_utf8(out.stdout).unwrap()).unwrap()
}

fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

#[test]
fn deploy_link_switch_roll_back_and_prune_with_the_real_shell() {
    let root = tempfile::tempdir().unwrap();
    let base = root.path().join("srv/app");
    let target = SshTarget::parse(&format!("ssh://host{}", base.display())).unwrap();
    assert_eq!(
        read(&target),
        (Manifest::default(), None),
        "nothing there yet"
    );

    let v1 = files(&[
        ("index.html", "<p>one</p>"),
        ("assets/a-12345678.js", "a()"),
        ("logo.svg", "<svg/>"),
    ]);
    let plan1 = plan(&Manifest::default(), None, &v1, 1_000_000, 1, false);
    assert_eq!(plan1.send.len(), 3);
    let out = run(&target.deploy_script(&plan1), &tar_for(&plan1, &v1));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(base.join("current/index.html")).unwrap(),
        "<p>one</p>"
    );
    let (manifest, live) = read(&target);
    assert_eq!(live.as_deref(), Some(plan1.release.id.as_str()));
    assert_eq!(manifest.live, live);

    // One file changed: two hard links, one file sent.
    let v2 = files(&[
        ("index.html", "<p>two</p>"),
        ("assets/a-12345678.js", "a()"),
        ("logo.svg", "<svg/>"),
    ]);
    let plan2 = plan(&manifest, live.as_deref(), &v2, 2_000_000, 1, false);
    assert_eq!(plan2.send, ["index.html"]);
    assert_eq!(plan2.link.len(), 2);
    let out = run(&target.deploy_script(&plan2), &tar_for(&plan2, &v2));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r1 = base.join("releases").join(&plan1.release.id);
    let r2 = base.join("releases").join(&plan2.release.id);
    assert_eq!(
        inode(&r1.join("logo.svg")),
        inode(&r2.join("logo.svg")),
        "hard-linked, not copied"
    );
    assert_eq!(
        std::fs::read_to_string(base.join("current/index.html")).unwrap(),
        "<p>two</p>"
    );
    assert!(std::fs::symlink_metadata(base.join("current"))
        .unwrap()
        .file_type()
        .is_symlink());

    // Roll back: current points at the first release again.
    let (mut manifest, _) = read(&target);
    manifest.live = Some(plan1.release.id.clone());
    let out = run(
        &target.rollback_script(&plan1.release.id, &[]),
        &serde_json::to_vec(&manifest).unwrap(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(base.join("current/index.html")).unwrap(),
        "<p>one</p>"
    );
    let out = run(
        &target.rollback_script("20990101T000000Z-deadbeef", &[]),
        b"{}",
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "an unknown release changes nothing"
    );
    assert_eq!(
        std::fs::read_to_string(base.join("current/index.html")).unwrap(),
        "<p>one</p>"
    );

    // A third release with keep = 1: the oldest non-live release is removed.
    let (manifest, live) = read(&target);
    let v3 = files(&[("index.html", "<p>three</p>")]);
    let plan3 = plan(&manifest, live.as_deref(), &v3, 3_000_000, 1, false);
    assert_eq!(plan3.prune, std::slice::from_ref(&plan1.release.id));
    let out = run(&target.deploy_script(&plan3), &tar_for(&plan3, &v3));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!r1.exists() && r2.exists());
    let (manifest, live) = read(&target);
    assert_eq!(live.as_deref(), Some(plan3.release.id.as_str()));
    assert_eq!(manifest.releases.len(), 2);
}

#[test]
fn hostile_paths_never_reach_the_script() {
    let plan = plan(
        &Manifest::default(),
        None,
        &files(&[("a b/$(touch x).html", "x")]),
        1,
        5,
        false,
    );
    let script = SshTarget::parse("ssh://h/srv/app")
        .unwrap()
        .deploy_script(&plan);
    assert!(!script.contains("touch x"), "{script}");
}
